/** The plan's ten indicators (JSON and CSV), and the registry facts behind them. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CommunityProfile, CommunityProfilePatch, ErrorBody, Id, IndicatorsAnswer, SocialOrganisation, SocialOrganisationCreate } from '../../contract/index.ts';
import type { Principal } from '../auth/principal.ts';
import { ApiError } from '../errors.ts';
import { evaluateAll } from '../indicators/compute.ts';
import { indicatorsCsv } from '../indicators/csv.ts';
import { type AppDeps, requireRole } from './context.ts';

const Query = z.object({ communityId: Id.optional() });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const readers = requireRole('admin', 'operator', 'worker');
const editors = requireRole('admin', 'operator');

function assertCommunity(p: Principal, communityId: string): void {
  if (p.role !== 'admin' && !p.communityIds.includes(communityId)) throw new ApiError('not_found');
}

export function indicatorRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { indicators, registry, clock } = deps;
  const compute = async (p: Principal, communityId?: string) => ({ at: new Date(clock.now()).toISOString(), indicators: evaluateAll(await indicators.facts(p, communityId)) });
  return async (app) => {
    app.get(
      '/indicators',
      {
        schema: { tags: ['indicators'], summary: "The plan's ten indicators per community and in total, against the 2020 base and 2025 target", querystring: Query, response: { 200: IndicatorsAnswer, 403: ErrorBody } },
        preHandler: readers,
      },
      (request) => compute(request.principal, request.query.communityId),
    );
    app.get(
      '/indicators.csv',
      { schema: { tags: ['indicators'], summary: 'The indicators as CSV (UTF-8 with BOM, opens in Excel)', querystring: Query }, preHandler: readers },
      async (request, reply) => {
        const answer = await compute(request.principal, request.query.communityId);
        const day = answer.at.slice(0, 10);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="anju-indicators-${day}.csv"`)
          .send(indicatorsCsv(answer.indicators));
      },
    );

    app.get(
      '/communities/:id/profile',
      { schema: { tags: ['indicators'], summary: "A community's population and floor areas", params: z.object({ id: Id }), response: { 200: CommunityProfile, ...errors } }, preHandler: readers },
      async (request) => {
        assertCommunity(request.principal, request.params.id);
        if (!(await registry.getCommunity(request.params.id))) throw new ApiError('not_found');
        return indicators.profile(request.params.id);
      },
    );
    app.patch(
      '/communities/:id/profile',
      { schema: { tags: ['indicators'], summary: "Set a community's population and floor areas", params: z.object({ id: Id }), body: CommunityProfilePatch, response: { 200: CommunityProfile, ...errors } }, preHandler: editors },
      async (request) => {
        assertCommunity(request.principal, request.params.id);
        if (!(await registry.getCommunity(request.params.id))) throw new ApiError('not_found');
        return indicators.setProfile(request.params.id, request.body, clock.now());
      },
    );

    app.get(
      '/social-organisations',
      { schema: { tags: ['indicators'], summary: 'Community social organisations (社区社会组织)', querystring: Query, response: { 200: z.array(SocialOrganisation), 403: ErrorBody } }, preHandler: readers },
      (request) => indicators.organisations(request.principal, request.query.communityId),
    );
    app.post(
      '/social-organisations',
      { schema: { tags: ['indicators'], summary: 'Register a social organisation of a community', body: SocialOrganisationCreate, response: { 201: SocialOrganisation, ...errors } }, preHandler: editors },
      async (request, reply) => {
        assertCommunity(request.principal, request.body.communityId);
        return reply.code(201).send(await indicators.addOrganisation(request.body, clock.now()));
      },
    );
    app.delete(
      '/social-organisations/:id',
      { schema: { tags: ['indicators'], summary: 'Remove a social organisation', params: z.object({ id: Id }), response: { 204: z.null(), ...errors } }, preHandler: editors },
      async (request, reply) => {
        const communityId = await indicators.organisationCommunity(request.params.id);
        if (!communityId) throw new ApiError('not_found');
        assertCommunity(request.principal, communityId);
        await indicators.removeOrganisation(request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
