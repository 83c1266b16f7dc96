/**
 * Residents' requests (接诉即办) for staff: intake (integrations, and the control room typing a phone
 * call), lists in scope (`overdue=true` for those past their deadline), one request with its history and
 * notifications, the lifecycle steps, reassignment, statistics and the request policy. Contact phones are
 * masked by role (platform/privacy/mask.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ErrorBody,
  Id,
  RequestAssignBody,
  RequestCloseBody,
  RequestCreate,
  RequestCreated,
  RequestDetail,
  RequestPolicy,
  RequestQuery,
  RequestStats,
  RequestStatsQuery,
  RequestStepBody,
  ServiceRequest,
} from '../../contract/index.ts';
import type { Principal } from '../auth/principal.ts';
import { ApiError, invalidField } from '../errors.ts';
import { DAY_MS } from '../local-time.ts';
import { disclosureFor } from '../privacy/mask.ts';
import type { StepAction } from '../requests/service.ts';
import { requestStats } from '../requests/stats.ts';
import { canSeeRequest, type RequestRow } from '../requests/store.ts';
import { placeOfRequest, toServiceRequest } from '../requests/view.ts';
import { type AppDeps, ownWorkerId, requestSource, requireRole, timeRange, toMs } from './context.ts';

const Params = z.object({ id: Id });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
/** A forwarded order may be typed in late, but not from the future (beyond clock skew) or long after. */
const RECEIVED_AT_SKEW_MS = 5 * 60_000;
const RECEIVED_AT_MAX_AGE_MS = 30 * DAY_MS;

export function requestRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { service, store, policy } = deps.requests;
  const staff = requireRole('admin', 'operator', 'worker');

  const view = (p: Principal, row: RequestRow) => toServiceRequest(row, disclosureFor(p, placeOfRequest(row)), deps.clock.now());

  async function visible(p: Principal, id: string): Promise<RequestRow> {
    const row = await store.get(id);
    if (!row || !canSeeRequest(p, row)) throw new ApiError('not_found');
    return row;
  }

  return async (app) => {
    app.get(
      '/requests',
      {
        schema: { tags: ['requests'], summary: 'Residents’ requests in your scope, newest first; `overdue=true`: past their deadline without a response, longest waiting first; `assignedTo=me`: assigned or escalated to you', querystring: RequestQuery, response: { 200: z.array(ServiceRequest), 400: ErrorBody, 403: ErrorBody } },
        preHandler: staff,
      },
      async (request) => {
        const { assignedTo, from, to, ...filter } = request.query;
        const worker = assignedTo === 'me' ? ownWorkerId(request.principal, 'assignedTo') : assignedTo;
        const rows = await store.list(request.principal, { ...filter, assignedTo: worker, from: toMs(from), to: toMs(to) }, deps.clock.now());
        return rows.map((row) => view(request.principal, row));
      },
    );

    app.post(
      '/requests',
      {
        schema: {
          tags: ['requests'],
          summary: 'Take a request: an integration, or the control room typing a phone call (channel "phone"); routed to the grid worker; answers the check code once',
          body: RequestCreate,
          response: { 201: RequestCreated, ...errors },
        },
        preHandler: staff,
      },
      async (request, reply) => {
        const p = request.principal;
        const now = deps.clock.now();
        const receivedAt = toMs(request.body.receivedAt);
        if (receivedAt !== undefined && receivedAt > now + RECEIVED_AT_SKEW_MS) throw invalidField('receivedAt', 'lies in the future');
        if (receivedAt !== undefined && receivedAt < now - RECEIVED_AT_MAX_AGE_MS) throw invalidField('receivedAt', 'more than 30 days ago');
        const { request: row, checkCode } = await service.create(
          { ...request.body, receivedAt },
          { id: p.userId, name: p.displayName },
          requestSource(request),
          (place) => {
            if (p.role === 'operator' && !p.communityIds.includes(place.communityId)) throw new ApiError('forbidden', { reason: 'the place lies outside your communities' });
            if (p.role === 'worker' && (place.gridId === null || !p.gridIds.includes(place.gridId))) throw new ApiError('forbidden', { reason: 'the place lies outside your grids' });
          },
        );
        return reply.code(201).send({ ...view(p, row), checkCode });
      },
    );

    app.get(
      '/requests/stats',
      {
        schema: {
          tags: ['requests'],
          summary: 'Response time (on time %, median, p90) and satisfaction (好差评) per grid, community or category, for requests received in [from, to)',
          querystring: RequestStatsQuery,
          response: { 200: RequestStats, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
        preHandler: staff,
      },
      async (request) => {
        const p = request.principal;
        const { communityId, groupBy } = request.query;
        if (communityId && p.role !== 'admin' && !p.communityIds.includes(communityId)) throw new ApiError('not_found');
        const { from, to } = timeRange(request.query, deps.clock.now(), 30 * DAY_MS);
        return requestStats(deps.db, p, { communityId, from, to, groupBy }, deps.clock.now());
      },
    );

    app.get(
      '/requests/policy',
      { schema: { tags: ['requests'], summary: 'First-response deadline per category, reminder, escalation ladder and channels', response: { 200: RequestPolicy, 403: ErrorBody } }, preHandler: staff },
      () => policy.get(),
    );
    app.put(
      '/requests/policy',
      {
        schema: { tags: ['requests'], summary: 'Replace the request policy (admin); new requests get the new deadlines, open ones keep theirs', body: RequestPolicy, response: { 200: RequestPolicy, 400: ErrorBody, 403: ErrorBody } },
        preHandler: requireRole('admin'),
      },
      (request) => policy.save(request.body),
    );

    app.get(
      '/requests/:id',
      { schema: { tags: ['requests'], summary: 'One request with every step and every notification', params: Params, response: { 200: RequestDetail, 403: ErrorBody, 404: ErrorBody } }, preHandler: staff },
      async (request) => {
        const row = await visible(request.principal, request.params.id);
        const [history, notifications] = await Promise.all([store.history(row.id), store.notifications(row.id)]);
        return { ...view(request.principal, row), history, notifications };
      },
    );

    const step = (path: string, action: StepAction, body: typeof RequestStepBody | typeof RequestCloseBody, summary: string) =>
      app.post(
        `/requests/:id/${path}`,
        { schema: { tags: ['requests'], summary, params: Params, body, response: { 200: ServiceRequest, ...errors } }, preHandler: staff },
        async (request) => {
          const text = 'note' in request.body ? request.body.note : request.body.resolution;
          return view(request.principal, await service.step(request.principal, request.params.id, action, text, requestSource(request)));
        },
      );
    step('respond', 'respond', RequestStepBody, 'First response: the resident was contacted (the note is shown to the resident); stops the deadline’s reminder and escalation');
    step('progress', 'progress', RequestStepBody, 'Report progress (the note is shown to the resident)');
    step('close', 'close', RequestCloseBody, 'Close with a resolution (shown to the resident, who may then rate it)');

    app.post(
      '/requests/:id/assign',
      {
        schema: { tags: ['requests'], summary: 'Hand the request to another worker of the community (grid leader, operator, admin); they are notified', params: Params, body: RequestAssignBody, response: { 200: ServiceRequest, ...errors } },
        preHandler: staff,
      },
      async (request) => view(request.principal, await service.assign(request.principal, request.params.id, request.body.workerId, request.body.note, requestSource(request))),
    );
  };
}
