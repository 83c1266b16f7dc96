/** Liveness, readiness and Prometheus metrics, outside the API prefix and without sign-in. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from './context.ts';

const Readiness = z.object({ status: z.enum(['ready', 'not_ready']), checks: z.record(z.string(), z.string()) });

export function opsRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/healthz', { schema: { tags: ['ops'], summary: 'The process is up', response: { 200: z.object({ status: z.literal('ok') }) } }, config: { public: true } }, () => ({
      status: 'ok' as const,
    }));
    app.get(
      '/readyz',
      { schema: { tags: ['ops'], summary: 'Database reachable and broker listening', response: { 200: Readiness, 503: Readiness } }, config: { public: true } },
      async (_request, reply) => {
        const { ready, checks } = await deps.ready();
        return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
      },
    );
    app.get('/metrics', { schema: { tags: ['ops'], summary: 'Prometheus metrics', hide: true }, config: { public: true } }, async (_request, reply) => {
      reply.header('content-type', deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    });
  };
}
