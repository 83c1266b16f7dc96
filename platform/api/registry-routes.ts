/** Communities, grids and buildings. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Building, BuildingCreate, BuildingPatch, Community, CommunityCreate, CommunityPatch, CommunitySummary, ErrorBody, Grid, GridCreate, GridPatch, Id } from '../../contract/index.ts';
import { ApiError } from '../errors.ts';
import { toDevice } from '../store/devices.ts';
import { type AppDeps, requireRole } from './context.ts';

const CommunityFilter = z.object({ communityId: Id.optional() });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const Params = z.object({ id: Id });
const notFound = (): never => {
  throw new ApiError('not_found');
};

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
    app.patch(
      '/communities/:id',
      { schema: { tags: ['registry'], summary: 'Rename a community or change its kind (admin)', params: Params, body: CommunityPatch, response: { 200: Community, ...errors } }, preHandler: requireRole('admin') },
      async (request) => (await deps.registry.patchCommunity(request.params.id, request.body)) ?? notFound(),
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
        const alerting = await deps.alerts.devicesWithActiveAlerts(id);
        const kiosks = devices.filter((d) => d.kind === 'kiosk');
        const now = deps.clock.now();
        const incidents = await deps.incidents.list(principal, { status: 'active', communityId: id, limit: 1000 });
        return {
          communityId: id,
          devices: {
            total: devices.length,
            online: devices.filter((d) => d.status === 'online').length,
            silent: devices.filter((d) => d.status === 'silent').length,
            offline: devices.filter((d) => d.status === 'offline').length,
            faulty: devices.filter((d) => d.faultySince !== null).length,
            lowBattery: devices.filter((d) => d.battery !== null && d.battery < 20).length,
            testMode: devices.filter((d) => d.testMode).length,
          },
          kiosks: { total: kiosks.length, inService: kiosks.filter((k) => k.status === 'online' && !alerting.has(k.id)).length },
          openAlerts: await deps.alerts.countOpenByLevel(id),
          overdueIncidents: incidents.filter((i) => i.deadline !== null && Date.parse(i.deadline.at) < now).length,
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

    app.patch(
      '/grids/:id',
      { schema: { tags: ['registry'], summary: 'Rename a grid (admin)', params: Params, body: GridPatch, response: { 200: Grid, ...errors } }, preHandler: requireRole('admin') },
      async (request) => (await deps.registry.renameGrid(request.params.id, request.body.name)) ?? notFound(),
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
    app.patch(
      '/buildings/:id',
      {
        schema: { tags: ['registry'], summary: 'Move a building on the schematic, rename it, change its grid, floors or units (admin)', params: Params, body: BuildingPatch, response: { 200: Building, ...errors } },
        preHandler: requireRole('admin'),
      },
      async (request) => {
        const current = (await deps.registry.getBuilding(request.params.id)) ?? notFound();
        return deps.registry.patchBuilding(current, request.body);
      },
    );
  };
}
