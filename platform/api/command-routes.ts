/** Commands down to a device, and the gateway's refusal audit. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Command, CommandCreate, ErrorBody, Id } from '../../contract/index.ts';
import { canSee } from '../auth/principal.ts';
import { ApiError } from '../errors.ts';
import { type AppDeps, requireRole } from './context.ts';

const DeviceParams = z.object({ id: Id });
const Refusal = z.object({ at: z.string(), deviceId: z.string().nullable(), address: z.string().nullable(), reason: z.string(), detail: z.string().nullable() });

export function commandRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const visibleDevice = async (principal: Parameters<typeof canSee>[0], id: string) => {
      const row = await deps.devices.getRow(id);
      if (!row || !canSee(principal, { communityId: row.community_id, gridId: row.grid_id, ownerUserId: row.owner_user_id })) throw new ApiError('not_found');
      return row;
    };

    app.post(
      '/devices/:id/commands',
      {
        schema: {
          tags: ['devices'],
          summary: "Send a command the device's kind defines; the answer is recorded, or the command times out",
          params: DeviceParams,
          body: CommandCreate,
          response: { 202: Command, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
        preHandler: requireRole('admin', 'operator', 'vendor'),
      },
      async (request, reply) => {
        const device = await visibleDevice(request.principal, request.params.id);
        return reply.code(202).send(await deps.commands.send(device, request.body, request.principal.userId));
      },
    );

    app.get(
      '/devices/:id/commands',
      { schema: { tags: ['devices'], summary: 'Commands sent to the device, newest first', params: DeviceParams, response: { 200: z.array(Command), 404: ErrorBody } } },
      async (request) => {
        const device = await visibleDevice(request.principal, request.params.id);
        return deps.commandStore.list(device.id, 100);
      },
    );

    app.get(
      '/devices/:id/commands/:commandId',
      { schema: { tags: ['devices'], summary: 'One command and its outcome', params: DeviceParams.extend({ commandId: z.string().max(20) }), response: { 200: Command, 404: ErrorBody } } },
      async (request) => {
        const device = await visibleDevice(request.principal, request.params.id);
        const command = await deps.commandStore.get(device.id, request.params.commandId);
        if (!command) throw new ApiError('not_found');
        return command;
      },
    );

    app.get(
      '/gateway/refusals',
      {
        schema: {
          tags: ['gateway'],
          summary: 'What the MQTT gateway refused (device, address, reason, time), newest first',
          querystring: z.object({ deviceId: z.string().max(128).optional(), reason: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
          response: { 200: z.array(Refusal), 403: ErrorBody },
        },
        preHandler: requireRole('admin'),
      },
      (request) => deps.refusals.list(request.query),
    );
  };
}
