/** Device provisioning, placement, state and history. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Device, deviceKind, DeviceCreate, DeviceEvent, DeviceKindName, DevicePatch, ErrorBody, EventsQuery, Id, ProvisionedDevice, TelemetryAnswer, TelemetryQuery } from '../../contract/index.ts';
import { canSee, type Principal } from '../auth/principal.ts';
import { ApiError, invalidField } from '../errors.ts';
import { toDevice, type DeviceRow } from '../store/devices.ts';
import { type AppDeps, requireRole } from './context.ts';

const DeviceParams = z.object({ id: Id });
const DeviceListQuery = z.object({ communityId: Id.optional(), gridId: Id.optional(), kind: DeviceKindName.optional() });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const DAY_MS = 24 * 3600_000;
/** The widest range one history query may span. */
export const MAX_RANGE_MS = 366 * DAY_MS;

function toMs(value: string | number | undefined): number | undefined {
  return value === undefined ? undefined : typeof value === 'number' ? value : Date.parse(value);
}

export function deviceRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const placement = (r: DeviceRow) => ({ communityId: r.community_id, gridId: r.grid_id, ownerUserId: r.owner_user_id });

  /** The device if it exists and is in the principal's scope; otherwise 404 (no hint that it exists). */
  async function visibleDevice(principal: Principal, id: string): Promise<DeviceRow> {
    const row = await deps.devices.getRow(id);
    if (!row || !canSee(principal, placement(row))) throw new ApiError('not_found');
    return row;
  }

  function range(query: { from?: string | number; to?: string | number }, defaultSpanMs: number) {
    const to = toMs(query.to) ?? deps.clock.now();
    const from = toMs(query.from) ?? to - defaultSpanMs;
    if (from > to) throw invalidField('from', 'must not be after to');
    if (to - from > MAX_RANGE_MS) throw invalidField('from', 'the range may span at most 366 days');
    return { from, to };
  }

  return async (app) => {
    app.get('/devices', { schema: { tags: ['devices'], summary: 'Devices in your scope', querystring: DeviceListQuery, response: { 200: z.array(Device) } } }, async (request) => {
      const rows = await deps.devices.list(request.principal, request.query);
      return rows.map((r) => deps.deviceState.overlay(toDevice(r)));
    });

    app.post(
      '/devices',
      {
        schema: { tags: ['devices'], summary: 'Provision a device; the answer holds its secret, shown this once', body: DeviceCreate, response: { 201: ProvisionedDevice, ...errors } },
        preHandler: requireRole('admin', 'operator', 'vendor'),
      },
      async (request, reply) => {
        const { principal } = request;
        if (principal.role === 'operator' && !principal.communityIds.includes(request.body.communityId)) throw invalidField('communityId', 'outside your communities');
        const { device, secret } = await deps.devices.provision(request.body, principal.userId);
        deps.logger.info({ deviceId: device.id, kind: device.kind, by: principal.username }, 'device provisioned');
        return reply.code(201).send({ ...device, secret });
      },
    );

    app.get('/devices/:id', { schema: { tags: ['devices'], summary: 'A device with online and lastSeen', params: DeviceParams, response: { 200: Device, 404: ErrorBody } } }, async (request) =>
      deps.deviceState.overlay(toDevice(await visibleDevice(request.principal, request.params.id))),
    );

    app.patch(
      '/devices/:id',
      {
        schema: { tags: ['devices'], summary: 'Move or rename a device', params: DeviceParams, body: DevicePatch, response: { 200: Device, ...errors } },
        preHandler: requireRole('admin', 'operator', 'vendor'),
      },
      async (request) => {
        const row = await visibleDevice(request.principal, request.params.id);
        const updated = await deps.devices.patch(row, request.body);
        if (request.body.ruleParams) await deps.rules.setDeviceParams(updated.id, updated.kind, updated.rule_params);
        return deps.deviceState.overlay(toDevice(updated));
      },
    );

    app.get(
      '/devices/:id/telemetry',
      {
        schema: {
          tags: ['devices'],
          summary: 'Telemetry of one metric: raw points, or aggregates per bucket (min, max, avg, last); default range the last 24 h',
          params: DeviceParams,
          querystring: TelemetryQuery,
          response: { 200: TelemetryAnswer, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => {
        const row = await visibleDevice(request.principal, request.params.id);
        const { metric, bucket, limit } = request.query;
        const kindMetrics = deviceKind(row.kind).metrics;
        if (!Object.hasOwn(kindMetrics, metric)) throw invalidField('metric', `${row.kind} has no metric ${metric}; it has ${Object.keys(kindMetrics).join(', ')}`);
        const points = await deps.history.readings(row.id, metric, range(request.query, DAY_MS), bucket, limit);
        return { deviceId: row.id, metric, bucket: bucket ?? null, points };
      },
    );

    app.get(
      '/devices/:id/events',
      {
        schema: { tags: ['devices'], summary: "The device's events, newest first; default range the last 7 days", params: DeviceParams, querystring: EventsQuery, response: { 200: z.array(DeviceEvent), 400: ErrorBody, 404: ErrorBody } },
      },
      async (request) => {
        const row = await visibleDevice(request.principal, request.params.id);
        return deps.history.events(row.id, range(request.query, 7 * DAY_MS), request.query.limit);
      },
    );
  };
}
