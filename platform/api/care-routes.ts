/** Households, residents (personal data masked by role) and elderly care: monthly visits, their rate. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, Household, HouseholdCreate, HouseholdPatch, Id, Resident, ResidentCreate, ResidentPatch, Visit, VisitCreate, VisitDue, VisitRate } from '../../contract/index.ts';
import type { Principal } from '../auth/principal.ts';
import { invalidField } from '../errors.ts';
import { monthOf } from '../local-time.ts';
import { type AppDeps, ownWorkerId, requireRole } from './context.ts';

const Params = z.object({ id: Id });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month, YYYY-MM');
const editors = requireRole('admin', 'operator');

/** Operators change only their own communities. */
function assertCommunity(p: Principal, communityId: string): void {
  if (p.role === 'operator' && !p.communityIds.includes(communityId)) throw invalidField('communityId', 'outside your communities');
}

export function careRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { households, visits, clock } = deps;
  return async (app) => {
    app.get(
      '/households',
      {
        schema: {
          tags: ['care'],
          summary: 'Households in your scope with their residents and devices',
          querystring: z.object({ communityId: Id.optional(), gridId: Id.optional(), buildingId: Id.optional() }),
          response: { 200: z.array(Household) },
        },
      },
      (request) => households.list(request.principal, request.query, clock.now()),
    );
    app.post(
      '/households',
      { schema: { tags: ['care'], summary: 'Register a household (building, unit, room)', body: HouseholdCreate, response: { 201: Household, ...errors } }, preHandler: editors },
      async (request, reply) => {
        assertCommunity(request.principal, request.body.communityId);
        const id = await households.create(request.body, clock.now());
        return reply.code(201).send(await households.get(request.principal, id, clock.now()));
      },
    );
    app.get('/households/:id', { schema: { tags: ['care'], summary: 'One household', params: Params, response: { 200: Household, 404: ErrorBody } } }, (request) =>
      households.get(request.principal, request.params.id, clock.now()),
    );
    app.patch(
      '/households/:id',
      { schema: { tags: ['care'], summary: 'Move a household or set its quiet period', params: Params, body: HouseholdPatch, response: { 200: Household, ...errors } }, preHandler: editors },
      async (request) => {
        const row = await households.visibleRow(request.principal, request.params.id);
        await households.patch(row, request.body);
        return households.get(request.principal, row.id, clock.now());
      },
    );
    app.put(
      '/households/:id/devices/:deviceId',
      {
        schema: { tags: ['care'], summary: 'Install a device in the household (emergency button, door contact, water meter)', params: z.object({ id: Id, deviceId: Id }), response: { 200: Household, ...errors } },
        preHandler: editors,
      },
      async (request) => {
        const row = await households.visibleRow(request.principal, request.params.id);
        await households.setDevice(row, request.params.deviceId, true);
        return households.get(request.principal, row.id, clock.now());
      },
    );
    app.delete(
      '/households/:id/devices/:deviceId',
      { schema: { tags: ['care'], summary: 'Take a device out of the household', params: z.object({ id: Id, deviceId: Id }), response: { 200: Household, ...errors } }, preHandler: editors },
      async (request) => {
        const row = await households.visibleRow(request.principal, request.params.id);
        await households.setDevice(row, request.params.deviceId, false);
        return households.get(request.principal, row.id, clock.now());
      },
    );

    app.get(
      '/residents',
      {
        schema: {
          tags: ['care'],
          summary: 'Residents in your scope; phone and ID numbers masked unless you are responsible for them',
          querystring: z.object({ communityId: Id.optional(), gridId: Id.optional(), flag: z.enum(['livesAlone', 'specialDifficulty', 'disabled']).optional() }),
          response: { 200: z.array(Resident) },
        },
      },
      (request) => households.listResidents(request.principal, request.query, clock.now()),
    );
    app.post(
      '/residents',
      { schema: { tags: ['care'], summary: 'Add a resident to a household, with care flags and emergency contacts', body: ResidentCreate, response: { 201: Resident, ...errors } }, preHandler: editors },
      async (request, reply) => {
        await households.visibleRow(request.principal, request.body.householdId).catch(() => {
          throw invalidField('householdId', 'no such household in your scope');
        });
        if (request.body.registeredAt && Date.parse(request.body.registeredAt) > clock.now()) throw invalidField('registeredAt', 'must not be in the future');
        const id = await households.createResident(request.body, clock.now());
        return reply.code(201).send(await households.residentOut(request.principal, id, clock.now()));
      },
    );
    app.get('/residents/:id', { schema: { tags: ['care'], summary: 'One resident', params: Params, response: { 200: Resident, 404: ErrorBody } } }, (request) =>
      households.residentOut(request.principal, request.params.id, clock.now()),
    );
    app.patch(
      '/residents/:id',
      { schema: { tags: ['care'], summary: 'Change a resident: care flags, contacts, notes', params: Params, body: ResidentPatch, response: { 200: Resident, ...errors } }, preHandler: editors },
      async (request) => {
        const row = await households.residentRow(request.principal, request.params.id);
        await households.patchResident(row, request.body);
        return households.residentOut(request.principal, row.id, clock.now());
      },
    );

    app.get(
      '/visits/due',
      {
        schema: {
          tags: ['care'],
          summary: "This month's visits to residents in special difficulty: overdue (missed last month), due, done; `assignedTo=me` for a worker's own",
          querystring: z.object({ communityId: Id.optional(), gridId: Id.optional(), assignedTo: z.literal('me').optional() }),
          response: { 200: z.array(VisitDue), 400: ErrorBody },
        },
      },
      (request) => {
        const { assignedTo, ...filter } = request.query;
        const workerId = assignedTo === 'me' ? ownWorkerId(request.principal, 'assignedTo') : undefined;
        return visits.due(request.principal, { ...filter, workerId }, clock.now());
      },
    );
    app.get(
      '/visits/rate',
      {
        schema: {
          tags: ['care'],
          summary: "A month's visit rate per grid and community against the plan's 100 % target (default this month)",
          querystring: z.object({ month: Month.optional(), communityId: Id.optional() }),
          response: { 200: VisitRate, 400: ErrorBody },
        },
      },
      (request) => visits.rate(request.principal, request.query.month ?? monthOf(clock.now()), request.query.communityId),
    );
    app.get(
      '/visits',
      {
        schema: {
          tags: ['care'],
          summary: 'Visits recorded, newest first',
          querystring: z.object({ residentId: Id.optional(), communityId: Id.optional(), month: Month.optional(), followUp: z.enum(['true', 'false']).optional() }),
          response: { 200: z.array(Visit) },
        },
      },
      (request) => {
        const { followUp, ...filter } = request.query;
        return visits.list(request.principal, { ...filter, followUp: followUp === undefined ? undefined : followUp === 'true' });
      },
    );
    app.post(
      '/visits',
      {
        schema: { tags: ['care'], summary: 'Record a visit (time, outcome, note, follow-up needed)', body: VisitCreate, response: { 201: Visit, ...errors } },
        preHandler: requireRole('admin', 'operator', 'worker'),
      },
      async (request, reply) => {
        const { principal } = request;
        await households.residentRow(principal, request.body.residentId).catch(() => {
          throw invalidField('residentId', 'no such resident in your scope');
        });
        const at = request.body.visitedAt ? Date.parse(request.body.visitedAt) : clock.now();
        if (at > clock.now() + 5 * 60_000) throw invalidField('visitedAt', 'must not be in the future');
        const visit = await visits.record({ ...request.body, workerId: principal.workerId, recordedBy: principal.displayName }, clock.now());
        return reply.code(201).send(visit);
      },
    );
  };
}
