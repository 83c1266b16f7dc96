/** Warning rules as data: list, read with versions, edit (a new version), create; every field validated. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, RuleCreate, RuleUpdate, StoredRule } from '../../contract/index.ts';
import { ApiError } from '../errors.ts';
import { type AppDeps, requireRole } from './context.ts';

const RuleParams = z.object({ id: z.string().max(100) });
const RuleVersion = z.object({ version: z.number(), definition: z.unknown(), enabled: z.boolean(), changedAt: z.string(), changedBy: z.string().nullable() });

export function ruleRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/rules', { schema: { tags: ['rules'], summary: 'Warning rules, per device kind, with version and state', response: { 200: z.array(StoredRule) } } }, () => deps.ruleStore.list());

    app.get(
      '/rules/:id',
      { schema: { tags: ['rules'], summary: 'One rule with all its versions', params: RuleParams, response: { 200: StoredRule.extend({ versions: z.array(RuleVersion) }), 404: ErrorBody } } },
      async (request) => {
        const rule = await deps.ruleStore.get(request.params.id);
        if (!rule) throw new ApiError('not_found');
        return { ...rule, versions: await deps.ruleStore.versions(rule.id) };
      },
    );

    app.put(
      '/rules/:id',
      {
        schema: { tags: ['rules'], summary: 'Change a rule (condition, levels, schedule, debounce, enabled); stored as a new version', params: RuleParams, body: RuleUpdate, response: { 200: StoredRule, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
        preHandler: requireRole('admin'),
      },
      async (request) => {
        const rule = await deps.ruleStore.update(request.params.id, request.body, request.principal.username, deps.clock.now());
        if (!rule) throw new ApiError('not_found');
        await deps.rules.reload();
        return rule;
      },
    );

    app.post(
      '/rules',
      { schema: { tags: ['rules'], summary: 'Add a rule for a device kind', body: RuleCreate, response: { 201: StoredRule, 400: ErrorBody, 403: ErrorBody, 409: ErrorBody } }, preHandler: requireRole('admin') },
      async (request, reply) => {
        const rule = await deps.ruleStore.create(request.body, request.principal.username, deps.clock.now());
        await deps.rules.reload();
        return reply.code(201).send(rule);
      },
    );
  };
}
