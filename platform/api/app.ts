/**
 * buildApp: the HTTP side of Anju, separate from listen(). One prefixed plugin per domain under
 * `/api/v1`, zod schemas on every body and answer, OpenAPI at `/docs`, the dashboard at `/`.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import fastifyJwt from '@fastify/jwt';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyError, type FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { createWebSocketStream } from 'ws';
import { ERROR_CATALOGUE, type ErrorBody, type ErrorCode } from '../../contract/index.ts';
import { ApiError } from '../errors.ts';
import { alertRoutes } from './alert-routes.ts';
import { authRoutes } from './auth-routes.ts';
import { catalogueRoutes } from './catalogue-routes.ts';
import { commandRoutes } from './command-routes.ts';
import type { AppDeps } from './context.ts';
import { careRoutes } from './care-routes.ts';
import { indicatorRoutes } from './indicator-routes.ts';
import { deviceRoutes } from './device-routes.ts';
import { historyRoutes } from './history-routes.ts';
import { incidentRoutes } from './incident-routes.ts';
import { kioskRoutes } from './kiosk-routes.ts';
import { ruleRoutes } from './rule-routes.ts';
import { mqttHookRoutes } from './mqtt-hook-routes.ts';
import { opsRoutes } from './ops-routes.ts';
import { peopleRoutes } from './people-routes.ts';
import { publicRequestRoutes } from './public-request-routes.ts';
import { registryRoutes } from './registry-routes.ts';
import { requestRoutes } from './request-routes.ts';
import { streamRoutes } from './stream-routes.ts';

export const API_PREFIX = '/api/v1';

function errorBody(code: ErrorCode, details?: unknown, message?: string): ErrorBody {
  return { error: code, message: message ?? ERROR_CATALOGUE[code].message, ...(details === undefined ? {} : { details }) };
}

function tokenFrom(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7);
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.access_token === 'string' ? query.access_token : undefined;
}

export async function buildApp(deps: AppDeps) {
  const app = Fastify({ loggerInstance: deps.logger, logController: new LogController({ disableRequestLogging: true }), bodyLimit: 1024 * 1024, trustProxy: false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) return reply.code(error.status).send(errorBody(error.code, error.details, error.message));
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      const details = error.validation.map((v) => ({ in: where, path: v.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)', message: v.message ?? 'is invalid' }));
      return reply.code(400).send(errorBody('validation_failed', details));
    }
    if (error.statusCode === 429) return reply.code(429).send(errorBody('rate_limited'));
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) return reply.code(400).send(errorBody('invalid_json', { reason: error.message }));
    if (error.code?.startsWith('FST_JWT_')) return reply.code(401).send(errorBody('unauthorized', { reason: error.message }));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send(errorBody('validation_failed', undefined, error.message));
    }
    request.log.error({ err: error, url: request.url.split('?')[0] }, 'request failed'); // no query string: it may carry a check code or a token
    return reply.code(500).send(errorBody('internal'));
  });

  // gzip or brotli for the dashboard's files and larger answers; never the live stream (SSE is excluded by default).
  await app.register(fastifyCompress, { threshold: 1024, encodings: ['br', 'gzip'], brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } } });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Anju 安居 API',
        version: '1',
        description: 'Smart-community IoT and service platform. Every call but sign-in needs `Authorization: Bearer <token>`. Errors are `{error, message, details?}` with codes from the catalogue (docs/errors.md).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  await app.register(fastifyJwt, { secret: deps.jwtSecret, verify: { extractToken: tokenFrom } });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: () => Object.assign(new ApiError('rate_limited'), { statusCode: 429 }),
  });
  await app.register(fastifyWebsocket, { options: { maxPayload: 256 * 1024 } });

  await app.register(opsRoutes(deps));

  if (deps.mqttOverWebSocket) {
    const handle = deps.mqttOverWebSocket;
    app.get('/mqtt', { websocket: true, schema: { hide: true } }, (socket, request) => handle(createWebSocketStream(socket), request.raw));
  }

  await app.register(
    async (api) => {
      api.decorateRequest('principal', null as never);
      api.addHook('onRequest', async (request) => {
        if ((request.routeOptions.config as { public?: boolean }).public) return;
        const token = tokenFrom(request);
        if (!token) throw new ApiError('unauthorized');
        let payload: { sub: string };
        try {
          payload = app.jwt.verify<{ sub: string }>(token);
        } catch {
          throw new ApiError('unauthorized', { reason: 'the token is invalid or has expired' });
        }
        const principal = await deps.people.loadPrincipal(payload.sub);
        if (!principal) throw new ApiError('unauthorized', { reason: 'the user no longer exists' });
        request.principal = principal;
      });
      for (const routes of [authRoutes, registryRoutes, deviceRoutes, historyRoutes, commandRoutes, alertRoutes, incidentRoutes, ruleRoutes, peopleRoutes, requestRoutes, publicRequestRoutes, careRoutes, indicatorRoutes, kioskRoutes, catalogueRoutes, streamRoutes, mqttHookRoutes]) {
        await api.register(routes(deps));
      }
    },
    { prefix: API_PREFIX },
  );

  const index = deps.dashboardDir ? path.join(deps.dashboardDir, 'index.html') : undefined;
  if (deps.dashboardDir && index && fs.existsSync(index)) {
    await app.register(fastifyStatic, { root: deps.dashboardDir, prefix: '/', wildcard: false, index: 'index.html', cacheControl: false, setHeaders: (res, file) => {
      res.setHeader('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    } });
  } else {
    app.get('/', { schema: { hide: true } }, (_request, reply) =>
      reply.type('text/html; charset=utf-8').send('<!doctype html><meta charset="utf-8"><title>Anju</title><p>The dashboard is not built. Run <code>npm run build:dashboard</code>, or start with <code>npm start</code>, which builds it.</p>'),
    );
  }

  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && String(request.headers.accept ?? '').includes('text/html');
    if (wantsPage && index && fs.existsSync(index)) return reply.type('text/html; charset=utf-8').sendFile('index.html');
    return reply.code(404).send(errorBody('not_found', { method: request.method, url: request.url.split('?')[0] }));
  });

  return app;
}
export type AnjuApp = Awaited<ReturnType<typeof buildApp>>;
