/** Incidents (grouped alerts) with their timeline, notifications and broadcasts; the dispatch policy; maintenance windows. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Alert, AlertStatus, ErrorBody, Id, Incident, Notification, SystemAlert } from '../../contract/index.ts';
import { canSee } from '../auth/principal.ts';
import { DispatchPolicy } from '../dispatch/policy.ts';
import { ApiError } from '../errors.ts';
import { MaintenanceWindow, MaintenanceWindowCreate } from '../store/maintenance.ts';
import { type AppDeps, requireRole } from './context.ts';

const IncidentQuery = z.object({
  status: z.union([AlertStatus, z.literal('active')]).optional(),
  communityId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
const HistoryEntry = z.object({ at: z.string(), action: z.string(), detail: z.unknown(), actor: z.object({ id: z.string(), name: z.string() }).nullable() });
const Broadcast = z.object({
  id: z.string(),
  level: z.string(),
  text: z.object({ 'zh-CN': z.string(), en: z.string() }),
  at: z.string(),
  receipts: z.array(z.object({ deviceId: z.string(), playedAt: z.string() })),
});
const IncidentDetail = Incident.extend({ alerts: z.array(Alert), history: z.array(HistoryEntry), notifications: z.array(Notification), broadcasts: z.array(Broadcast) });

export function incidentRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/incidents', { schema: { tags: ['incidents'], summary: 'Incidents in your scope, newest first', querystring: IncidentQuery, response: { 200: z.array(Incident) } } }, (request) =>
      deps.incidents.list(request.principal, request.query),
    );

    app.get(
      '/incidents/:id',
      { schema: { tags: ['incidents'], summary: 'One incident: its alerts, every transition and every notification attempt', params: z.object({ id: Id }), response: { 200: IncidentDetail, 404: ErrorBody } } },
      async (request) => {
        const incident = await deps.incidents.get(request.params.id);
        if (!incident || !canSee(request.principal, { communityId: incident.communityId, gridId: incident.gridId })) throw new ApiError('not_found');
        const [alerts, history, notifications, broadcasts] = await Promise.all([
          deps.alerts.ofIncident(incident.id),
          deps.incidents.history(incident.id),
          deps.outbox.list({ incidentId: incident.id }),
          deps.broadcasts.ofIncident(incident.id),
        ]);
        return { ...incident, alerts, history, notifications, broadcasts };
      },
    );

    app.get(
      '/system/alerts',
      { schema: { tags: ['ops'], summary: 'Platform alerts (the storage outage), open first, newest first', response: { 200: z.array(SystemAlert), 403: ErrorBody } }, preHandler: requireRole('admin', 'operator') },
      () => deps.storageMonitor.history(),
    );

    app.get('/dispatch/policy', { schema: { tags: ['dispatch'], summary: 'Escalation, reminders, on-site deadlines, channels per level; correlation and flood control', response: { 200: DispatchPolicy } } }, () =>
      deps.policy.get(),
    );
    app.put(
      '/dispatch/policy',
      { schema: { tags: ['dispatch'], summary: 'Replace the dispatch policy', body: DispatchPolicy, response: { 200: DispatchPolicy, 400: ErrorBody, 403: ErrorBody } }, preHandler: requireRole('admin') },
      (request) => deps.policy.save(request.body),
    );

    app.get(
      '/maintenance-windows',
      { schema: { tags: ['dispatch'], summary: 'Maintenance windows of a community', querystring: z.object({ communityId: Id }), response: { 200: z.array(MaintenanceWindow) } } },
      (request) => {
        if (!canSee(request.principal, { communityId: request.query.communityId, gridId: null }) && request.principal.role !== 'worker') throw new ApiError('not_found');
        return deps.maintenance.list(request.query.communityId);
      },
    );
    app.post(
      '/maintenance-windows',
      {
        schema: { tags: ['dispatch'], summary: 'Declare a maintenance window (community, building or device): alerts are recorded, nobody is paged', body: MaintenanceWindowCreate, response: { 201: MaintenanceWindow, 400: ErrorBody, 403: ErrorBody } },
        preHandler: requireRole('admin', 'operator'),
      },
      async (request, reply) => {
        if (request.principal.role === 'operator' && !request.principal.communityIds.includes(request.body.communityId)) throw new ApiError('forbidden');
        return reply.code(201).send(await deps.maintenance.create(request.body, request.principal.username));
      },
    );
  };
}
