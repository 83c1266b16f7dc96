/**
 * `GET /api/v1/stream`: live events for dashboards, as a WebSocket (JSON text frames) or, for plain
 * HTTP clients, as Server-Sent Events. Browsers pass the token as `?access_token=`.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { LiveEvent } from '../../contract/index.ts';
import { toUser } from '../auth/principal.ts';
import type { AppDeps } from './context.ts';

const HEARTBEAT_MS = 25_000;

export function streamRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const hello = (request: { principal: import('../auth/principal.ts').Principal }): LiveEvent => ({
    type: 'hello',
    at: new Date(deps.clock.now()).toISOString(),
    user: toUser(request.principal),
  });

  return async (app) => {
    app.route({
      method: 'GET',
      url: '/stream',
      schema: { tags: ['live'], summary: 'Live events (WebSocket, or text/event-stream): alert.raised, alert.updated, device.status', hide: false },
      handler: (request, reply) => {
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
        const write = (event: LiveEvent) => res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        write(hello(request));
        const unsubscribe = deps.live.subscribe({ principal: request.principal, send: write });
        deps.metrics.liveSubscribers.inc();
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
        request.raw.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
          deps.metrics.liveSubscribers.dec();
        });
      },
      wsHandler: (socket, request) => {
        const send = (event: LiveEvent) => {
          // A client that cannot keep up is cut off rather than buffered without bound.
          if (socket.bufferedAmount > 4 * 1024 * 1024) throw new Error('live client too slow');
          socket.send(JSON.stringify(event));
        };
        send(hello(request));
        const unsubscribe = deps.live.subscribe({
          principal: request.principal,
          send: (event) => {
            try {
              send(event);
            } catch (error) {
              socket.terminate();
              throw error;
            }
          },
        });
        deps.metrics.liveSubscribers.inc();
        const heartbeat = setInterval(() => {
          try {
            send({ type: 'ping', at: new Date(deps.clock.now()).toISOString() });
          } catch {
            socket.terminate();
          }
        }, HEARTBEAT_MS);
        socket.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
          deps.metrics.liveSubscribers.dec();
        });
        socket.on('message', () => undefined);
      },
    });
  };
}
