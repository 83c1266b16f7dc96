/** Workers (who alerts go to) and users (who signs in). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, Id, User, UserCreate, Worker, WorkerCreate, WorkerPatch } from '../../contract/index.ts';
import { ApiError } from '../errors.ts';
import { type AppDeps, requireRole } from './context.ts';

const errors = { 400: ErrorBody, 403: ErrorBody, 409: ErrorBody };

export function peopleRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/workers',
      { schema: { tags: ['people'], summary: 'Workers in your scope', querystring: z.object({ communityId: Id.optional() }), response: { 200: z.array(Worker) } } },
      (request) => deps.people.listWorkers(request.principal, request.query.communityId),
    );
    app.post(
      '/workers',
      { schema: { tags: ['people'], summary: 'Create a worker with grids and channels (admin)', body: WorkerCreate, response: { 201: Worker, ...errors } }, preHandler: requireRole('admin') },
      async (request, reply) => reply.code(201).send(await deps.people.createWorker(request.body)),
    );
    app.patch(
      '/workers/:id',
      {
        schema: { tags: ['people'], summary: 'Change a worker: grids, channels, phone, roster, away (with a backup)', params: z.object({ id: Id }), body: WorkerPatch, response: { 200: Worker, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
        preHandler: requireRole('admin', 'operator', 'worker'),
      },
      async (request) => {
        const { principal } = request;
        const current = await deps.people.getWorker(request.params.id);
        if (!current || (principal.role === 'operator' && !principal.communityIds.includes(current.communityId))) throw new ApiError('not_found');
        // A worker may declare themselves away and name a backup, nothing else.
        if (principal.role === 'worker') {
          if (principal.workerId !== current.id) throw new ApiError('forbidden');
          const allowed = new Set(['awayUntil', 'backupWorkerId', 'phone']);
          const extra = Object.keys(request.body).filter((k) => !allowed.has(k));
          if (extra.length) throw new ApiError('forbidden', { fields: extra });
        }
        return (await deps.people.patchWorker(current.id, request.body))!;
      },
    );
    app.get('/users', { schema: { tags: ['people'], summary: 'Users (admin)', response: { 200: z.array(User), 403: ErrorBody } }, preHandler: requireRole('admin') }, () =>
      deps.people.listUsers(),
    );
    app.post(
      '/users',
      { schema: { tags: ['people'], summary: 'Create a user (admin)', body: UserCreate, response: { 201: User, ...errors } }, preHandler: requireRole('admin') },
      async (request, reply) => reply.code(201).send(await deps.people.createUser(request.body)),
    );
  };
}
