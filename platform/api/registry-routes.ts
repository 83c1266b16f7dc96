/** Communities, grids and buildings. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Building, BuildingCreate, Community, CommunityCreate, CommunitySummary, ErrorBody, Grid, GridCreate, Id } from '../../contract/index.ts';
import { ApiError } from '../errors.ts';
import { toDevice } from '../store/devices.ts';
import { type AppDeps, requireRole } from './context.ts';

const CommunityFilter = z.object({ communityId: Id.optional() });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function registryRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/communities', { schema: { tags: ['registry'], summary: 'Communities in your scope', response: { 200: z.array(Community) } } }, (request) =>
      deps.registry.listCommunities(request.principal),
    );
    app.post(
      '/communities',
      { schema: { tags: ['registry'], summary: 'Create a community (admin)', body: CommunityCreate, response: { 201: Community, ...errors } }, preHandler: requireRole('admin') },
      async (request, reply) => reply.code(201).send(await deps.registry.createCommunity(request.body)),
    );
    app.get(
      '/communities/:id/summary',
      { schema: { tags: ['registry'], summary: 'Live counts for a community: devices and open alerts by level', params: z.object({ id: Id }), response: { 200: CommunitySummary, 404: ErrorBody } } },
      async (request) => {
        const { id } = request.params;
        const principal = request.principal;
        if (!(await deps.registry.getCommunity(id)) || !(principal.role === 'admin' || principal.role === 'vendor' || principal.communityIds.includes(id))) {
          throw new ApiError('not_found');
        }
        const rows = await deps.devices.list(principal, { communityId: id });
        const devices = rows.map((r) => deps.deviceState.overlay(toDevice(r)));
        return {
          communityId: id,
          devices: { total: devices.length, online: devices.filter((d) => d.online).length, lowBattery: devices.filter((d) => d.battery !== null && d.battery < 20).length },
          openAlerts: await deps.alerts.countOpenByLevel(id),
        };
      },
    );

    app.get('/grids', { schema: { tags: ['registry'], summary: 'Grids in your scope', querystring: CommunityFilter, response: { 200: z.array(Grid) } } }, (request) =>
      deps.registry.listGrids(request.principal, request.query.communityId),
    );
    app.post(
      '/grids',
      { schema: { tags: ['registry'], summary: 'Create a grid (admin)', body: GridCreate, response: { 201: Grid, ...errors } }, preHandler: requireRole('admin') },
      async (request, reply) => reply.code(201).send(await deps.registry.createGrid(request.body)),
    );

    app.get('/buildings', { schema: { tags: ['registry'], summary: 'Buildings in your scope', querystring: CommunityFilter, response: { 200: z.array(Building) } } }, (request) =>
      deps.registry.listBuildings(request.principal, request.query.communityId),
    );
    app.post(
      '/buildings',
      { schema: { tags: ['registry'], summary: 'Create a building (admin)', body: BuildingCreate, response: { 201: Building, ...errors } }, preHandler: requireRole('admin') },
      async (request, reply) => {
        const building = await deps.registry.createBuilding(request.body);
        return reply.code(201).send(building);
      },
    );
  };
}
