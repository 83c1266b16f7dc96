/**
 * HTTP authentication and authorisation hooks for an external MQTT cluster (EMQX 5 "HTTP Server"
 * authenticator and authorizer): the cluster asks Anju whether a device's credentials are good and
 * whether it may publish or subscribe to a topic; Anju answers with the same rules as its own broker.
 * The platform's own upstream login is answered "ignore", for the cluster's built-in database to decide.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DeviceInfo } from '../../gateway/device-info.ts';
import { parseAlinkLogin } from '../../gateway/dialects/alink/signature.ts';
import { DIALECTS } from '../../gateway/dialects/index.ts';
import { dialectSession } from '../../gateway/session.ts';
import type { AppDeps } from './context.ts';

const HookAnswer = z.object({ result: z.enum(['allow', 'deny', 'ignore']), is_superuser: z.boolean() });
const AuthenticateBody = z.object({ clientid: z.string().max(256), username: z.string().max(256).optional(), password: z.string().max(512).optional() });
const AuthorizeBody = z.object({ clientid: z.string().max(256), username: z.string().max(256).optional(), topic: z.string().max(1024), action: z.enum(['publish', 'subscribe']) });

const answer = (result: 'allow' | 'deny' | 'ignore') => ({ result, is_superuser: false });

export function mqttHookRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  /** The device a cluster session belongs to, from its username (device id, or ALink `{dn}&{pk}`). */
  const identify = async (clientid: string, username: string): Promise<DeviceInfo | undefined> => {
    const alink = parseAlinkLogin(clientid, username, '');
    return alink ? deps.directory.findAlink(alink.productKey, alink.deviceName) : deps.directory.find(username);
  };

  return async (app) => {
    const config = { public: true, rateLimit: { max: 6000, timeWindow: '1 minute' } };

    app.post(
      '/mqtt/authenticate',
      { schema: { tags: ['mqtt cluster'], summary: 'EMQX HTTP authenticator: are these device credentials good?', body: AuthenticateBody, response: { 200: HookAnswer }, security: [] }, config },
      async (request) => {
        const { clientid, username, password } = request.body;
        if (!username || password === undefined) return answer('deny');
        if (username === deps.upstreamUsername) return answer('ignore');
        const alink = parseAlinkLogin(clientid, username, password);
        const device = alink ? await deps.directory.authenticateAlink(alink) : await deps.directory.authenticate(username, password);
        if (!device) deps.metrics.mqttRefusals.inc({ reason: 'bad_credentials' });
        return answer(device ? 'allow' : 'deny');
      },
    );

    app.post(
      '/mqtt/authorize',
      { schema: { tags: ['mqtt cluster'], summary: 'EMQX HTTP authorizer: may this device publish or subscribe to the topic?', body: AuthorizeBody, response: { 200: HookAnswer }, security: [] }, config },
      async (request) => {
        const { clientid, username, topic, action } = request.body;
        if (username && username === deps.upstreamUsername) return answer('ignore');
        const device = username ? await identify(clientid, username) : undefined;
        const session = device && dialectSession(device);
        const allowed =
          session !== undefined &&
          !topic.startsWith('$') &&
          (action === 'publish' ? DIALECTS.some((d) => d.owns(session, topic)) : DIALECTS.some((d) => d.canSubscribe(session, topic)));
        if (!allowed) deps.metrics.mqttRefusals.inc({ reason: action === 'publish' ? 'topic_not_allowed' : 'subscription_not_allowed' });
        return answer(allowed ? 'allow' : 'deny');
      },
    );
  };
}
