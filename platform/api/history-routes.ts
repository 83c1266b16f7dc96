/** Telemetry and event history: one device's points or buckets, its events, and a community's aggregates. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CommunityTelemetryAnswer, CommunityTelemetryQuery, DEVICE_KINDS, DeviceEvent, deviceKind, ErrorBody, EventsQuery, Id, TelemetryAnswer, TelemetryQuery } from '../../contract/index.ts';
import { ApiError, invalidField } from '../errors.ts';
import { DAY_MS } from '../local-time.ts';
import { type AppDeps, timeRange } from './context.ts';
import { visibleDeviceIn } from './device-routes.ts';

const Params = z.object({ id: Id });

export function historyRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const visibleDevice = visibleDeviceIn(deps);

  const range = (query: { from?: string | number; to?: string | number }, defaultSpanMs: number) => timeRange(query, deps.clock.now(), defaultSpanMs);

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
