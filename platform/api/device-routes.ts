/** Device provisioning, placement and state. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Device, DeviceCreate, DeviceKindName, DevicePatch, ErrorBody, Id, ProvisionedDevice } from '../../contract/index.ts';
import { canSee, type Principal } from '../auth/principal.ts';
import { ApiError, invalidField } from '../errors.ts';
import { toDevice, type DeviceRow } from '../store/devices.ts';
import { type AppDeps, requireRole } from './context.ts';

const DeviceParams = z.object({ id: Id });
const DeviceListQuery = z.object({ communityId: Id.optional(), gridId: Id.optional(), kind: DeviceKindName.optional() });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
/** The device if it exists and is in the principal's scope; otherwise 404 (no hint that it exists). */
export function visibleDeviceIn(deps: Pick<AppDeps, 'devices'>) {
  return async (principal: Principal, id: string): Promise<DeviceRow> => {
    const row = await deps.devices.getRow(id);
    if (!row || !canSee(principal, { communityId: row.community_id, gridId: row.grid_id, ownerUserId: row.owner_user_id })) throw new ApiError('not_found');
    return row;
  };
}

export function deviceRoutes(deps: AppDeps): FastifyPluginAsyncZod {

  const visibleDevice = visibleDeviceIn(deps);

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
  };
}
