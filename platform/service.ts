/**
 * The composition root: starts the database (embedded or external), migrations, stores, the ingest
 * journal and its consumer, rules, the MQTT gateway and the HTTP app, in that order, and stops them in
 * reverse after draining.
 */
import path from 'node:path';
import { sharedBrokerState } from '../gateway/cluster.ts';
import { startGateway, type Gateway } from '../gateway/gateway.ts';
import { startUpstream } from '../gateway/upstream.ts';
import { IngestJournal } from '../gateway/journal/ingest-journal.ts';
import type { GatewayLimits } from '../gateway/limits.ts';
import { AlertService } from './alerts/service.ts';
import { DegradedMode } from './dispatch/degraded.ts';
import { StorageMonitor } from './health/storage-monitor.ts';
import { BufferedSink } from './telemetry/buffered-sink.ts';
import { InfluxTelemetryStore } from './telemetry/influx-store.ts';
import { buildApp, type AnjuApp } from './api/app.ts';
import { createCare } from './care/care-module.ts';
import { IndicatorStore } from './indicators/store.ts';
import { SecretBox } from './auth/secret-box.ts';
import { type Clock, systemClock } from './clock.ts';
import { CommandService } from './commands/service.ts';
import type { Config } from './config.ts';
import { lockDataDir } from './db/data-dir-lock.ts';
import { createDatabase, type Database } from './db/database.ts';
import { startEmbeddedPostgres } from './db/embedded-postgres.ts';
import { migrate } from './db/migrate.ts';
import { DatabaseDeviceDirectory } from './devices/directory.ts';
import { DeviceLiveState } from './devices/live-state.ts';
import { CheckpointStore } from './ingest/checkpoints.ts';
import { PlatformGatewayListener } from './ingest/gateway-listener.ts';
import { JournalConsumer } from './ingest/journal-consumer.ts';
import { KioskService } from './kiosks/service.ts';
import { LiveHub } from './live/hub.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { BroadcastService } from './dispatch/broadcast.ts';
import { Correlator } from './dispatch/correlator.ts';
import { Dispatcher } from './dispatch/dispatcher.ts';
import { PolicyStore } from './dispatch/policy.ts';
import { NotificationOutbox } from './notify/outbox.ts';
import { startRequests } from './requests/module.ts';
import { RuleEngine } from './rules/engine.ts';
import { RuleRuntime } from './rules/runtime.ts';
import { RuleSet } from './rules/rule-set.ts';
import { RuleStore } from './rules/rule-store.ts';
import { IncidentStore } from './store/incidents.ts';
import { MaintenanceStore } from './store/maintenance.ts';
import { TimerStore } from './store/timers.ts';
import { AlertStore } from './store/alerts.ts';
import { CommandStore } from './store/commands.ts';
import { DeadLetterStore } from './store/dead-letters.ts';
import { DeviceStore } from './store/devices.ts';
import { PeopleStore } from './store/people.ts';
import { RefusalStore } from './store/refusals.ts';
import { RegistryStore } from './store/registry.ts';
import { deviceSecretKey, jwtSecret } from './store/settings.ts';
import { TelemetryHistory } from './telemetry/history.ts';
import { storageEngine } from './telemetry/layout.ts';
import { DEFAULT_RETENTION, PartitionMaintainer, type Retention } from './telemetry/partitions.ts';
import { PostgresTelemetrySink } from './telemetry/postgres-sink.ts';

export interface ServiceOptions {
  clock?: Clock;
  logger?: Logger;
  /** Built dashboard to serve at `/`. */
  dashboardDir?: string;
  /** How often time-driven rules (durations, silence) and command deadlines are evaluated. */
  sweepEveryMs?: number;
  /** Gateway hardening limits (connections, packet and topic sizes, login throttling). */
  limits?: Partial<GatewayLimits>;
  /** How long raw readings, events and minute rollups are kept (default: from the configuration). */
  retention?: Retention;
  /** Journaled messages not yet stored beyond which QoS 1 acknowledgements wait (backpressure). */
  maxBacklog?: number;
  /** How often the database is checked, and how long it may be unreachable before a storage-fault alert. */
  storageCheck?: { everyMs: number; faultAfterMs: number };
}

export interface Service {
  readonly config: Config;
  readonly httpUrl: string;
  readonly mqttPort: number;
  readonly mqttsPort: number | undefined;
  readonly httpPort: number;
  readonly app: AnjuApp;
  readonly gateway: Gateway;
  readonly journal: IngestJournal;
  readonly db: Database;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly people: PeopleStore;
  readonly registry: RegistryStore;
  readonly devices: DeviceStore;
  /** Waits until everything accepted so far is stored, evaluated and turned into alerts. */
  settle(): Promise<void>;
  /** Runs the time-driven work once, now (tests with a manual clock call it). */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

/** How long journal entries are kept after they are stored: the window in which redeliveries are recognised. */
const JOURNAL_KEEP_MS = 10 * 60_000;

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

  try {
    cleanups.push(await lockDataDir(config.dataDir));
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      const embedded = await startEmbeddedPostgres(config.dataDir, logger);
      cleanups.push(() => embedded.stop());
      databaseUrl = embedded.url;
    }
    const db = createDatabase(databaseUrl, logger, 20);
    cleanups.push(() => db.end());
    await migrate(db, logger);

    const metrics = createMetrics();
    const registry = new RegistryStore(db);
    const devices = new DeviceStore(db, registry, new SecretBox(await deviceSecretKey(db)));
    const people = new PeopleStore(db, clock);
    const alerts = new AlertStore(db);
    const deadLetters = new DeadLetterStore(db);
    const refusals = new RefusalStore(db);
    const history = new TelemetryHistory(db);
    const live = new LiveHub(logger);
    const deviceState = new DeviceLiveState(devices, clock, logger);
    const timers = new TimerStore(db);
    const maintenance = new MaintenanceStore(db);
    const policy = new PolicyStore(db);
    const incidents = new IncidentStore(db, () => policy.get());
    await policy.load();
    const outbox = new NotificationOutbox(
      { db, clock, logger, metrics: { notifications: metrics.notifications } },
      { floodIntervalMs: policy.get().floodIntervalS * 1000, sms: config.smsGateway },
    );
    const broadcasts = new BroadcastService(db, clock, logger);
    const dispatcher = new Dispatcher({
      incidents,
      alerts,
      people,
      timers,
      policy,
      outbox,
      logger,
      // Read whole for the responder; each notification masks it for its recipient and channel.
      careProfile: (q, deviceId, now) => care.households.careProfileBy(deviceId, () => ({ phone: true, idNumber: true }), now, q),
    });
    const ruleStore = new RuleStore(db);
    const engine = new RuleEngine(new RuleSet([]));
    const kiosks = new KioskService({ db, outbox, clock, logger });
    const degraded = new DegradedMode({ db, people, policy, live, clock, logger, sms: config.smsGateway });
    const alertService = new AlertService({ db, alerts, devices, maintenance, correlator: new Correlator(incidents), dispatcher, policy, broadcasts, outbox, live, metrics, clock, logger, degraded, observers: [kiosks] });
    const rules = new RuleRuntime({ store: ruleStore, engine, timers, devices, alertService, dispatcher, clock, logger });
    const commandStore = new CommandStore(db);
    const commands = new CommandService(commandStore, clock, metrics, logger);
    const requests = await startRequests({ db, people, devices, timers, outbox, live, rules, commands, clock, logger });

    await bootstrapAdmin(people, config.adminPassword, logger);
    const secret = await jwtSecret(db);
    await devices.markAllOffline();
    await kiosks.start();
    await rules.start(clock.now(), await alerts.openStates());
    await degraded.refresh();
    const degradedTimer = setInterval(() => void degraded.refresh().catch(() => undefined), 60_000);
    degradedTimer.unref();
    cleanups.push(async () => clearInterval(degradedTimer));
    const storageMonitor = new StorageMonitor({ db, clock, live, metrics, logger }, options.storageCheck);
    storageMonitor.start();
    cleanups.push(async () => storageMonitor.stop());
    outbox.start();
    cleanups.push(() => outbox.stop());

    const storage = await storageEngine(db);
    const influxStore = config.influxUrl ? new InfluxTelemetryStore(config.influxUrl) : undefined;
    const influx = influxStore && new BufferedSink(influxStore, { logger, metrics });
    if (influx) cleanups.push(() => influx.close());
    const partitions = new PartitionMaintainer(db, storage, logger, options.retention ?? { ...DEFAULT_RETENTION, ...config.retention });
    await partitions.applyPolicies();
    await partitions.run(clock.now());
    const journal = await IngestJournal.open(path.join(config.dataDir, 'journal'));
    cleanups.push(() => journal.close());
    const care = createCare({ db, registry, handle: (signals) => alertService.handle(signals), clock, logger });
    const consumer = new JournalConsumer({
      journal,
      checkpoints: new CheckpointStore(db),
      sinks: { primary: new PostgresTelemetrySink(db, storage), secondary: influx ? [influx] : [] },
      evaluate: (entries, journalId, afterSeq, lane) => rules.evaluate(entries, journalId, afterSeq, lane),
      idle: () => alertService.idle(),
      observe: async (entries) => {
        await requests.observe(entries);
        await care.observe(entries);
        for (const { message, kind } of entries) {
          if (kind === 'broadcast_speaker' && message.type === 'event' && message.event === 'played') await broadcasts.played(message.deviceId, String(message.data?.broadcastId), message.ts);
        }
        await kiosks.observe(entries);
      },
      metrics,
      clock,
      logger,
    });
    await consumer.start();
    cleanups.push(async () => {
      await consumer.drain().catch((err: unknown) => logger.error({ err }, 'stopped before the journal was fully stored; it resumes at the next start'));
      consumer.close();
    });

    const gatewayListener = new PlatformGatewayListener({
      deviceState,
      devices,
      deadLetters,
      refusals,
      live,
      metrics,
      logger,
      journaled: () => consumer.notify(),
      commandReply: (reply) => commands.reply(reply),
      presenceRecorded: (deviceId, online, at) => kiosks.presence(deviceId, online, at),
    });
    deviceState.start();
    cleanups.push(() => deviceState.stop());
    cleanups.push(async () => {
      await gatewayListener.drain();
      gatewayListener.close();
    });

    const directory = new DatabaseDeviceDirectory(devices, (row) => degraded.learn(row));
    const shared = config.redisUrl ? sharedBrokerState(config.redisUrl) : undefined;
    if (shared) cleanups.push(() => shared.close());
    const gateway = await startGateway({
      host: config.host,
      port: config.mqttPort,
      tls: config.mqttsPort !== undefined ? { port: config.mqttsPort, certPath: config.tlsCertPath!, keyPath: config.tlsKeyPath! } : undefined,
      directory,
      listener: gatewayListener,
      journal,
      clock,
      logger,
      limits: options.limits,
      saturated: () => consumer.backlog > (options.maxBacklog ?? 5_000_000),
      shared: shared && { mq: shared.mq, persistence: shared.persistence },
    });
    cleanups.push(() => gateway.close());
    const upstream = config.mqttUpstreamUrl
      ? startUpstream({ url: config.mqttUpstreamUrl, directory, listener: gatewayListener, journal, clock, logger })
      : undefined;
    if (upstream) cleanups.push(() => upstream.close());
    commands.attach(upstream ?? gateway);
    broadcasts.attach(upstream ?? gateway);

    let sweeping: Promise<void> | undefined;
    const sweep = () =>
      (sweeping ??= (async () => {
        try {
          await rules.sweep();
          await rules.fireTimers();
          await care.tick();
          await commands.expire();
        } catch (error) {
          logger.error({ err: error }, 'sweep failed');
        } finally {
          sweeping = undefined;
        }
      })());
    const sweepTimer = clock.setInterval(() => void sweep(), options.sweepEveryMs ?? 1000);
    cleanups.push(async () => clock.clearInterval(sweepTimer));
    const pruneTimer = setInterval(() => {
      journal
        .prune(consumer.consumedSeq, clock.now() - JOURNAL_KEEP_MS)
        .then(() => metrics.journalEntries.set(journal.size))
        .catch((err: unknown) => logger.warn({ err }, 'could not prune the ingest journal'));
    }, 30_000);
    pruneTimer.unref();
    cleanups.push(async () => clearInterval(pruneTimer));
    const partitionTimer = clock.setInterval(() => void partitions.run(clock.now()).catch((err: unknown) => logger.warn({ err }, 'partition maintenance failed')), 3600_000);
    cleanups.push(async () => clock.clearInterval(partitionTimer));

    const ready = async () => {
      const checks: Record<string, string> = {};
      try {
        await db.query('SELECT 1');
        checks.database = 'ok';
      } catch (error) {
        checks.database = error instanceof Error ? error.message : 'unreachable';
      }
      checks.broker = gateway.broker.closed ? 'closed' : 'ok';
      if (upstream) checks.upstream = upstream.connected ? 'ok' : 'disconnected';
      if (storageMonitor.current) checks.storage = `fault since ${storageMonitor.current.raisedAt}`;
      const ready = Object.values(checks).every((c) => c === 'ok');
      // InfluxDB is written in addition: its trouble is reported, never a reason to be unready.
      if (influxStore) checks.influx = (await influxStore.ping().catch(() => false)) ? 'ok' : `unreachable (${influx!.queued} queued)`;
      return { ready, checks };
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
      refusals,
      incidents,
      ruleStore,
      rules,
      policy,
      outbox,
      maintenance,
      broadcasts,
      storageMonitor,
      commands,
      commandStore,
      history,
      requests,
      kiosks,
      households: care.households,
      indicators: new IndicatorStore(db),
      visits: care.visits,
      live,
      metrics,
      clock,
      logger,
      jwtSecret: secret,
      dashboardDir: options.dashboardDir,
      mqttOverWebSocket: (stream, request) => gateway.handleStream(stream, request),
      directory,
      upstreamUsername: config.mqttUpstreamUrl ? decodeURIComponent(new URL(config.mqttUpstreamUrl).username) : undefined,
      ready,
    });
    cleanups.push(() => app.close());
    await app.listen({ host: config.host, port: config.httpPort });
    const address = app.server.address();
    const httpPort = address && typeof address === 'object' ? address.port : config.httpPort;
    const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;

    let stopped: Promise<void> | undefined;
    return {
      config,
      httpUrl: `http://${hostForUrl}:${httpPort}`,
      httpPort,
      mqttPort: gateway.port,
      mqttsPort: gateway.tlsPort,
      app,
      gateway,
      journal,
      db,
      metrics,
      logger,
      people,
      registry,
      devices,
      settle: async () => {
        await consumer.drain();
        await gatewayListener.drain();
      },
      sweep,
      stop: () => (stopped ??= cleanup().then(() => logger.info('stopped'))),
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
