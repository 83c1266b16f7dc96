/**
 * Sign-in. Wrong credentials answer 401; after repeated failures for one account, 429 until the
 * window passes, whatever the password (per-account throttling, on the injected clock). Per-address
 * limits come from @fastify/rate-limit.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody, LoginAnswer, LoginBody, User } from '../../contract/index.ts';
import { hashSecret, verifySecret } from '../auth/passwords.ts';
import { toUser } from '../auth/principal.ts';
import { ApiError } from '../errors.ts';
import type { AppDeps } from './context.ts';

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60_000;

export function authRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const failures = new Map<string, number[]>();
  // Unknown users are checked against this, so their answer takes as long as a known user's.
  const decoy = hashSecret('not-a-password');

  const recentFailures = (username: string, now: number) => {
    const list = (failures.get(username) ?? []).filter((at) => now - at < LOGIN_WINDOW_MS);
    if (list.length) failures.set(username, list);
    else failures.delete(username);
    return list;
  };

  return async (app) => {
    app.post(
      '/auth/login',
      {
        schema: { tags: ['auth'], summary: 'Sign in; answers a bearer token', body: LoginBody, response: { 200: LoginAnswer, 401: ErrorBody, 429: ErrorBody }, security: [] },
        config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      },
      async (request) => {
        const { username, password } = request.body;
        const now = deps.clock.now();
        const recent = recentFailures(username, now);
        if (recent.length >= LOGIN_MAX_FAILURES) {
          const retryAfterS = Math.ceil((recent[0]! + LOGIN_WINDOW_MS - now) / 1000);
          throw new ApiError('too_many_attempts', { retryAfterS });
        }
        const login = await deps.people.findLogin(username);
        const ok = await verifySecret(password, login?.passwordHash ?? (await decoy));
        if (!login || !ok) {
          failures.set(username, [...recent, now]);
          deps.logger.warn({ username, ip: request.ip }, 'failed sign-in');
          throw new ApiError('invalid_credentials');
        }
        failures.delete(username);
        const principal = (await deps.people.loadPrincipal(login.id))!;
        const token = await app.jwt.sign({ sub: principal.userId, role: principal.role }, { expiresIn: '12h' });
        return { token, user: toUser(principal) };
      },
    );

    app.get('/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: User } } }, async (request) => toUser(request.principal));
  };
}
