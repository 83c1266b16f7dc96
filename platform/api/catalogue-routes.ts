/** Read-only catalogues: device kinds with their fields and rules, the rules in force, dead letters. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEVICE_KIND_DEFINITIONS, DeadLetter, DeviceKindDescription, ErrorBody, Id } from '../../contract/index.ts';
import { type AppDeps, requireRole } from './context.ts';

const kinds: DeviceKindDescription[] = DEVICE_KIND_DEFINITIONS.map((d) => ({
  kind: d.kind,
  name: d.name,
  lifeSafety: d.lifeSafety,
  reportingIntervalS: d.reportingIntervalS,
  metrics: Object.fromEntries(Object.entries(d.metrics).map(([k, m]) => [k, { label: m.label, unit: m.unit }])),
  events: Object.fromEntries(Object.entries(d.events).map(([k, e]) => [k, { label: e.label }])),
}));

export function catalogueRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/device-kinds', { schema: { tags: ['catalogue'], summary: 'Device kinds: fields with units, events', response: { 200: z.array(DeviceKindDescription) } } }, () => kinds);
    app.get(
      '/dead-letters',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'Rejected device payloads with their reasons, newest first',
          querystring: z.object({ deviceId: Id.optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
          response: { 200: z.array(DeadLetter), 403: ErrorBody },
        },
        preHandler: requireRole('admin', 'operator', 'vendor'),
      },
      (request) => deps.deadLetters.list(request.principal, request.query),
    );
  };
}
