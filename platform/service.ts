/**
 * The composition root: starts the database (embedded or external), migrations, stores, rules,
 * the MQTT gateway and the HTTP app, in that order, and stops them in reverse after draining.
 */
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { startGateway, type Gateway } from '../gateway/gateway.ts';
import { AlertService } from './alerts/service.ts';
import { buildApp, type AnjuApp } from './api/app.ts';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config.ts';
import { lockDataDir } from './db/data-dir-lock.ts';
import { createDatabase, type Database } from './db/database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './db/embedded-postgres.ts';
import { migrate } from './db/migrate.ts';
import { DatabaseDeviceDirectory } from './devices/directory.ts';
import { DeviceLiveState } from './devices/live-state.ts';
import { IngestConsumer } from './ingest-consumer.ts';
import { LiveHub } from './live/hub.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { RuleEngine } from './rules/engine.ts';
import { RuleSet } from './rules/rule-set.ts';
import { AlertStore } from './store/alerts.ts';
import { DeadLetterStore } from './store/dead-letters.ts';
import { DeviceStore } from './store/devices.ts';
import { PeopleStore } from './store/people.ts';
import { RegistryStore } from './store/registry.ts';
import { jwtSecret } from './store/settings.ts';
import { TelemetryHistory } from './telemetry/history.ts';
import { PostgresTelemetrySink } from './telemetry/postgres-sink.ts';

export interface ServiceOptions {
  clock?: Clock;
  logger?: Logger;
  /** Built dashboard to serve at `/`. */
  dashboardDir?: string;
  /** How often time-driven rules (durations, silence) are evaluated. */
  sweepEveryMs?: number;
}

export interface Service {
  readonly config: Config;
  readonly httpUrl: string;
  readonly mqttPort: number;
  readonly httpPort: number;
  readonly app: AnjuApp;
  readonly gateway: Gateway;
  readonly db: Database;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly people: PeopleStore;
  readonly registry: RegistryStore;
  readonly devices: DeviceStore;
  /** Waits until everything accepted so far is stored, evaluated and turned into alerts. */
  settle(): Promise<void>;
  /** Runs the time-driven rules once, now (tests with a manual clock call it). */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

async function bootstrapAdmin(people: PeopleStore, password: string | undefined, logger: Logger): Promise<void> {
  if (!password || (await people.countUsers()) > 0) return;
  await people.createUser({ username: 'admin', password, role: 'admin', displayName: '系统管理员 Administrator' });
  logger.info('created user admin from ANJU_ADMIN_PASSWORD');
}

export async function startService(config: Config, options: ServiceOptions = {}): Promise<Service> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch((err: unknown) => logger.error({ err }, 'error while stopping'));
  };

  for (const [variable, value] of [['ANJU_INFLUX_URL', config.influxUrl], ['ANJU_REDIS_URL', config.redisUrl], ['ANJU_MQTTS_PORT', config.mqttsPort]] as const) {
    if (value !== undefined) logger.warn({ variable }, `${variable} is set but not supported by this version yet; it is ignored`);
  }

  try {
    let embedded: EmbeddedPostgresHandle | undefined;
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      cleanups.push(await lockDataDir(config.dataDir));
      embedded = await startEmbeddedPostgres(config.dataDir, logger);
      cleanups.push(() => embedded!.stop());
      databaseUrl = embedded.url;
    }
    const db = createDatabase(databaseUrl, logger, 20);
    cleanups.push(() => db.end());
    await migrate(db, logger);

    const metrics = createMetrics();
    const registry = new RegistryStore(db);
    const devices = new DeviceStore(db, registry);
    const people = new PeopleStore(db);
    const alerts = new AlertStore(db);
    const deadLetters = new DeadLetterStore(db);
    const history = new TelemetryHistory(db);
    const live = new LiveHub(logger);
    const deviceState = new DeviceLiveState(devices, logger);
    const rules = new RuleSet();
    const engine = new RuleEngine(rules);
    const alertService = new AlertService({ alerts, devices, people, live, metrics, clock, logger });

    await bootstrapAdmin(people, config.adminPassword, logger);
    const secret = await jwtSecret(db);
    await devices.markAllOffline();
    const startedAt = clock.now();
    for (const d of await devices.lastActivity()) engine.track(d.id, d.kind, Math.max(d.lastSeen ?? d.createdAt, startedAt));
    engine.restore(await alerts.openStates());

    const consumer = new IngestConsumer({
      sinks: { primary: new PostgresTelemetrySink(db), secondary: [] },
      engine,
      alertService,
      deviceState,
      devices,
      deadLetters,
      live,
      metrics,
      clock,
      logger,
    });
    deviceState.start();
    cleanups.push(() => deviceState.stop());
    cleanups.push(async () => {
      await consumer.drain();
      consumer.close();
    });

    const gateway = await startGateway({ host: config.host, port: config.mqttPort, directory: new DatabaseDeviceDirectory(devices), listener: consumer, clock, logger });
    cleanups.push(() => gateway.close());

    const sweep = async () => {
      try {
        await alertService.handle(engine.sweep(clock.now()));
      } catch (error) {
        logger.error({ err: error }, 'rule sweep failed');
      }
    };
    const sweepTimer = clock.setInterval(() => void sweep(), options.sweepEveryMs ?? 1000);
    cleanups.push(async () => clock.clearInterval(sweepTimer));

    const ready = async () => {
      const checks: Record<string, string> = {};
      try {
        await db.query('SELECT 1');
        checks.database = 'ok';
      } catch (error) {
        checks.database = error instanceof Error ? error.message : 'unreachable';
      }
      checks.broker = gateway.broker.closed ? 'closed' : 'ok';
      return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
    };

    const app = await buildApp({
      config,
      db,
      registry,
      devices,
      deviceState,
      people,
      alerts,
      alertService,
      deadLetters,
      history,
      rules,
      live,
      metrics,
      clock,
      logger,
      jwtSecret: secret,
      dashboardDir: options.dashboardDir,
      mqttOverWebSocket: (stream: Duplex, request: IncomingMessage) => gateway.handleStream(stream, request),
      ready,
    });
    cleanups.push(() => app.close());
    await app.listen({ host: config.host, port: config.httpPort });
    const httpPort = app.server.address() && typeof app.server.address() === 'object' ? (app.server.address() as { port: number }).port : config.httpPort;
    const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;

    let stopped: Promise<void> | undefined;
    return {
      config,
      httpUrl: `http://${hostForUrl}:${httpPort}`,
      httpPort,
      mqttPort: gateway.port,
      app,
      gateway,
      db,
      metrics,
      logger,
      people,
      registry,
      devices,
      settle: () => consumer.drain(),
      sweep,
      stop: () => (stopped ??= cleanup().then(() => logger.info('stopped'))),
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
