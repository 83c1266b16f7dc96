/** Alerts: lists in scope, one alert with its history, and the lifecycle steps. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Alert, AlertQuery, AlertResolveBody, AlertStepBody, AlertWithHistory, ErrorBody, Id } from '../../contract/index.ts';
import type { PersonAction } from '../alerts/lifecycle.ts';
import { canSee, type Principal } from '../auth/principal.ts';
import { ApiError } from '../errors.ts';
import { type AppDeps, ownWorkerId, requestSource, requireRole } from './context.ts';

const AlertParams = z.object({ id: Id });
const stepErrors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function alertRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  async function visibleAlert(principal: Principal, id: string) {
    const alert = await deps.alerts.get(id);
    if (!alert) throw new ApiError('not_found');
    const device = principal.role === 'vendor' ? await deps.devices.getRow(alert.deviceId) : undefined;
    if (!canSee(principal, { communityId: alert.communityId, gridId: alert.gridId, ownerUserId: device?.owner_user_id })) throw new ApiError('not_found');
    return alert;
  }

  return async (app) => {
    app.get(
      '/alerts',
      { schema: { tags: ['alerts'], summary: 'Alerts in your scope, newest first; `assignedTo=me` for your own', querystring: AlertQuery, response: { 200: z.array(Alert), 400: ErrorBody } } },
      (request) => {
        const { assignedTo, ...filter } = request.query;
        return deps.alerts.list(request.principal, { ...filter, assignedTo: assignedTo === 'me' ? ownWorkerId(request.principal, 'assignedTo') : assignedTo });
      },
    );

    app.get('/alerts/:id', { schema: { tags: ['alerts'], summary: 'One alert with every transition', params: AlertParams, response: { 200: AlertWithHistory, 404: ErrorBody } } }, async (request) => {
      const alert = await visibleAlert(request.principal, request.params.id);
      return { ...alert, history: await deps.alerts.history(alert.id), care: await deps.households.careProfile(request.principal, alert.deviceId, deps.clock.now()) };
    });

    const step = (path: string, action: PersonAction, body: typeof AlertStepBody | typeof AlertResolveBody, summary: string) =>
      app.post(
        `/alerts/:id/${path}`,
        { schema: { tags: ['alerts'], summary, params: AlertParams, body, response: { 200: Alert, ...stepErrors } }, preHandler: requireRole('admin', 'operator', 'worker') },
        async (request) => {
          await visibleAlert(request.principal, request.params.id);
          return deps.alertService.transition(request.principal, request.params.id, action, request.body as z.infer<typeof AlertResolveBody>, requestSource(request));
        },
      );
    step('acknowledge', 'acknowledge', AlertStepBody, 'Acknowledge an open alert');
    step('on-site', 'on_site', AlertStepBody, 'Report arrival on site (after acknowledging)');
    step('resolve', 'resolve', AlertResolveBody, 'Resolve with a disposition: real, false_alarm, test or device_fault');
  };
}
