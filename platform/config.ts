/**
 * Configuration from the environment, parsed once at start-up. Every problem is reported together,
 * each on one line naming the variable; the result is frozen and passed in, never read globally.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const days = z.coerce
  .number({ error: 'must be a number of days' })
  .int('must be a whole number of days')
  .min(1, 'must be between 1 and 3650 days')
  .max(3650, 'must be between 1 and 3650 days');

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

const EnvSchema = z
  .object({
    ANJU_MQTT_PORT: port.default(1883),
    ANJU_MQTTS_PORT: port.optional(),
    ANJU_TLS_CERT: z.string().min(1).optional(),
    ANJU_TLS_KEY: z.string().min(1).optional(),
    ANJU_HTTP_PORT: port.default(8080),
    ANJU_HOST: z.string().refine((h) => isIP(h) !== 0 || h === 'localhost', { message: 'must be an IP address or "localhost"' }).default('127.0.0.1'),
    ANJU_DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
    ANJU_DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
    ANJU_INFLUX_URL: url(['http:', 'https:']).optional(),
    ANJU_REDIS_URL: url(['redis:', 'rediss:']).optional(),
    ANJU_MQTT_UPSTREAM_URL: url(['mqtt:', 'mqtts:']).optional(),
    ANJU_SMS_GATEWAY_URL: url(['http:', 'https:']).optional(),
    ANJU_SMS_GATEWAY_TOKEN: z.string().min(1).optional(),
    ANJU_READINGS_RETENTION_DAYS: days.default(90),
    ANJU_EVENTS_RETENTION_DAYS: days.default(730),
    ANJU_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
    ANJU_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.ANJU_MQTTS_PORT !== undefined) {
      for (const key of ['ANJU_TLS_CERT', 'ANJU_TLS_KEY'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when ANJU_MQTTS_PORT is set' });
      }
    }
  });

export interface Config {
  readonly mqttPort: number;
  readonly mqttsPort: number | undefined;
  readonly tlsCertPath: string | undefined;
  readonly tlsKeyPath: string | undefined;
  readonly httpPort: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly influxUrl: string | undefined;
  readonly redisUrl: string | undefined;
  /** An external MQTT cluster (EMQX) to consume device messages from, with shared subscriptions. */
  readonly mqttUpstreamUrl: string | undefined;
  /** An HTTP SMS gateway for the `sms` channel (`POST {phone, template, text, params}`), with an optional bearer token. */
  readonly smsGateway: { url: string; token: string | undefined } | undefined;
  /** Days raw readings and events are kept; the per-minute rollup is kept 400 days, hourly forever. */
  readonly retention: { readingsDays: number; eventsDays: number };
  readonly adminPassword: string | undefined;
  readonly logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Reads the `ANJU_*` variables; throws a ConfigError with one line per problem. Empty strings count as unset. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([key, value]) => key.startsWith('ANJU_') && value !== ''));
  const result = EnvSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? 'environment');
      const got = present[variable];
      const shown = variable.includes('PASSWORD') || got === undefined ? '' : ` (got "${got}")`;
      return `${variable} ${issue.message}${shown}`;
    });
    throw new ConfigError(problems);
  }
  const e = result.data;
  return Object.freeze({
    mqttPort: e.ANJU_MQTT_PORT,
    mqttsPort: e.ANJU_MQTTS_PORT,
    tlsCertPath: e.ANJU_TLS_CERT,
    tlsKeyPath: e.ANJU_TLS_KEY,
    httpPort: e.ANJU_HTTP_PORT,
    host: e.ANJU_HOST,
    dataDir: path.resolve(e.ANJU_DATA_DIR),
    databaseUrl: e.ANJU_DATABASE_URL,
    influxUrl: e.ANJU_INFLUX_URL,
    redisUrl: e.ANJU_REDIS_URL,
    mqttUpstreamUrl: e.ANJU_MQTT_UPSTREAM_URL,
    smsGateway: e.ANJU_SMS_GATEWAY_URL ? { url: e.ANJU_SMS_GATEWAY_URL, token: e.ANJU_SMS_GATEWAY_TOKEN } : undefined,
    retention: Object.freeze({ readingsDays: e.ANJU_READINGS_RETENTION_DAYS, eventsDays: e.ANJU_EVENTS_RETENTION_DAYS }),
    adminPassword: e.ANJU_ADMIN_PASSWORD,
    logLevel: e.ANJU_LOG_LEVEL,
  });
}
