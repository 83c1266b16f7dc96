/** Telemetry and event history: one device's points or buckets, its events, and a community's aggregates. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CommunityTelemetryAnswer, CommunityTelemetryQuery, DEVICE_KINDS, DeviceEvent, deviceKind, ErrorBody, EventsQuery, Id, TelemetryAnswer, TelemetryQuery } from '../../contract/index.ts';
import { ApiError, invalidField } from '../errors.ts';
import type { TimeRange } from '../telemetry/history.ts';
import type { AppDeps } from './context.ts';
import { visibleDeviceIn } from './device-routes.ts';

const DAY_MS = 24 * 3600_000;
/** The widest range one history query may span. */
export const MAX_RANGE_MS = 366 * DAY_MS;
const Params = z.object({ id: Id });

function toMs(value: string | number | undefined): number | undefined {
  return value === undefined ? undefined : typeof value === 'number' ? value : Date.parse(value);
}

export function historyRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const visibleDevice = visibleDeviceIn(deps);

  function range(query: { from?: string | number; to?: string | number }, defaultSpanMs: number): TimeRange {
    const to = toMs(query.to) ?? deps.clock.now();
    const from = toMs(query.from) ?? to - defaultSpanMs;
    if (from > to) throw invalidField('from', 'must not be after to');
    if (to - from > MAX_RANGE_MS) throw invalidField('from', 'the range may span at most 366 days');
    return { from, to };
  }

  return async (app) => {
    app.get(
      '/devices/:id/telemetry',
      {
        schema: {
          tags: ['history'],
          summary: 'Telemetry of one metric: raw points, or aggregates per bucket (min, max, avg, last); default range the last 24 h',
          params: Params,
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
        schema: { tags: ['history'], summary: "The device's events, newest first; default range the last 7 days", params: Params, querystring: EventsQuery, response: { 200: z.array(DeviceEvent), 400: ErrorBody, 404: ErrorBody } },
      },
      async (request) => {
        const row = await visibleDevice(request.principal, request.params.id);
        return deps.history.events(row.id, range(request.query, 7 * DAY_MS), request.query.limit);
      },
    );

    app.get(
      '/communities/:id/telemetry',
      {
        schema: {
          tags: ['history'],
          summary: "A metric across a community's devices (optionally one kind) per bucket: min, max, avg, last and how many devices reported; default the last 24 h by hour",
          params: Params,
          querystring: CommunityTelemetryQuery,
          response: { 200: CommunityTelemetryAnswer, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => {
        const { id } = request.params;
        const principal = request.principal;
        const inScope = principal.role === 'admin' || (principal.role !== 'vendor' && principal.communityIds.includes(id));
        if (!inScope || !(await deps.registry.getCommunity(id))) throw new ApiError('not_found');
        const { metric, kind, bucket, limit } = request.query;
        const kinds = kind ? [kind] : DEVICE_KINDS;
        if (!kinds.some((k) => Object.hasOwn(deviceKind(k).metrics, metric))) throw invalidField('metric', kind ? `${kind} has no metric ${metric}` : `no device kind has a metric ${metric}`);
        const points = await deps.history.community(id, metric, range(request.query, DAY_MS), bucket, kind, limit);
        return { communityId: id, metric, kind: kind ?? null, bucket, points };
      },
    );
  };
}
