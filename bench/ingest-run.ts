/**
 * One backend of the ingest benchmark: the service in its own process on a fresh database, a fleet
 * provisioned through the API and connected from load-generator children, a warm-up, the raw COPY
 * baseline, then the end-to-end run — a fixed number of QoS 1 messages, timed from the first publish
 * until every message is stored (the service's stored checkpoint, polled in the database) and evaluated
 * (`anju_ingest_latency_seconds_count`, observed after the rules ran on the stored batch) — with the
 * service's event-loop lag over exactly that window (one /metrics scrape at each end).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findDeviceKind, type DeviceKind } from '../contract/index.ts';
import { ApiClient, provisionFleet } from '../simulators/provision.ts';
import type { DeviceCredentials } from '../simulators/credentials.ts';
import { BenchChild, epochNow, type ChildMessage } from './child.ts';
import { BenchDatabase, rawCopy, type CopyRun } from './ingest-copy.ts';
import { embeddedDatabase, machineBusyMs, scrapeMetrics, startServiceProcess, treeCpuMs, type ServiceProcess } from './ingest-service.ts';
import { loopbackSources } from './mqtt-load.ts';
import { startPostgres15, type Postgres15 } from './postgres15.ts';
import { cpuMs } from './proc-stats.ts';
import { summarise } from './stats.ts';

export type Backend = 'embedded' | 'postgres15';

export interface IngestRunOptions {
  devices: number;
  kinds: readonly DeviceKind[];
  messagesPerDevice: number;
  warmupPerDevice: number;
  /** Outstanding QoS 1 publishes per connection. */
  window: number;
  loadChildren: number;
  timeoutMs: number;
  /** Extra node flags for the service process (e.g. `--cpu-prof`). */
  serviceNodeArgs?: string[];
  log: (step: string) => void;
}

interface Finished extends ChildMessage {
  type: 'finished';
  sent: number;
  acked: number;
  failed: number;
  firstError?: string;
  firstSentAt: number;
  lastAckedAt: number;
  ackMs: ReturnType<typeof summarise>;
}

const PASSWORD = 'bench-admin-password';
const ms = (x: number) => Number(x.toFixed(1));
const seconds = (metrics: Map<string, number>, name: string) => ms((metrics.get(name) ?? Number.NaN) * 1000);

/** Publishes `perDevice` messages from every device; resolves with the children's reports. */
async function publish(children: BenchChild[], perDevice: number, window: number): Promise<void> {
  await Promise.all(children.map((c) => c.request({ cmd: 'publish', messagesPerDevice: perDevice, window }, 'publishing', 10_000)));
}

async function finish(children: BenchChild[], timeoutMs: number): Promise<Finished[]> {
  return Promise.all(children.map((c) => c.request<Finished>({ cmd: 'finish', timeoutMs }, 'finished', timeoutMs + 10_000)));
}

async function acked(children: BenchChild[]): Promise<number> {
  const answers = await Promise.all(children.map((c) => c.request<{ type: 'progress'; acked: number }>({ cmd: 'progress' }, 'progress', 10_000)));
  return answers.reduce((n, a) => n + a.acked, 0);
}

/** Waits until the stored checkpoint reaches `seq` and the service counted `evaluated` messages stored and evaluated. */
async function waitStoredAndEvaluated(db: BenchDatabase, service: ServiceProcess, seq: number, evaluated: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await db.checkpoint()).stored < seq) {
    if (Date.now() > deadline) throw new Error(`ingest did not store up to journal seq ${seq} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  while (((await scrapeMetrics(service.httpUrl)).get('anju_ingest_latency_seconds_count') ?? 0) < evaluated) {
    if (Date.now() > deadline) throw new Error(`ingest did not evaluate ${evaluated} messages within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The distinct messages of the service's warning and error log lines (pino JSON). */
function serviceWarnings(output: string): string[] {
  const messages = new Set<string>();
  for (const line of output.split('\n')) {
    try {
      const entry = JSON.parse(line) as { msg?: string; err?: unknown };
      if (entry.msg) messages.add(`${entry.msg}${entry.err ? `: ${typeof entry.err === 'string' ? entry.err : JSON.stringify(entry.err).slice(0, 200)}` : ''}`);
    } catch {
      // The first line may be cut (only the tail is kept); other output is shown as it is.
      if (line.trim() && !line.includes('"msg"')) messages.add(line.trim().slice(0, 200));
    }
  }
  return [...messages].slice(0, 20);
}

export async function runBackend(backend: Backend, o: IngestRunOptions) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'anju-bench-ingest-'));
  await fs.chmod(dataDir, 0o755);
  let pg15: Postgres15 | undefined;
  let service: ServiceProcess | undefined;
  let db: BenchDatabase | undefined;
  const children: BenchChild[] = [];
  try {
    if (backend === 'postgres15') pg15 = await startPostgres15();
    service = await startServiceProcess(
      { ANJU_DATA_DIR: dataDir, ANJU_ADMIN_PASSWORD: PASSWORD, ...(pg15 ? { ANJU_DATABASE_URL: pg15.url } : {}) },
      o.serviceNodeArgs,
    );
    const database = pg15 ? { url: pg15.url, pid: pg15.pid } : await embeddedDatabase(dataDir);
    db = await BenchDatabase.connect(database.url);
    const databaseVersion = await db.version();
    o.log(`${backend}: service ${service.pid} on PostgreSQL ${databaseVersion}`);

    const api = new ApiClient(service.httpUrl);
    await api.login('admin', PASSWORD);
    const fleet: DeviceCredentials[] = await provisionFleet(api, { count: o.devices, kinds: o.kinds, communityName: '压测社区 Ingest bench' });
    const metricsPerMessage = new Map(o.kinds.map((k) => [k, Object.keys(findDeviceKind(k)!.metrics).length]));
    const readingsPerRound = fleet.reduce((n, d) => n + metricsPerMessage.get(d.kind)!, 0);

    // Each child takes a share of the devices, from loopback source addresses of its own (≤ 50 connections each,
    // within the gateway's per-address connection burst).
    const share = Math.ceil(fleet.length / o.loadChildren);
    for (let c = 0; c < o.loadChildren; c++) {
      const devices = fleet.slice(c * share, (c + 1) * share).map((d) => ({ id: d.id, secret: d.secret, kind: d.kind }));
      const child = BenchChild.start('ingest-load.ts');
      children.push(child);
      await child.request({ cmd: 'connect', url: `mqtt://127.0.0.1:${service.mqttPort}`, devices, sources: loopbackSources(Math.ceil(devices.length / 50), 10 + c), clientPrefix: `ingest-${c}` }, 'connected', 120_000);
    }
    o.log(`${backend}: ${fleet.length} devices provisioned and connected from ${children.length} load children`);

    // Warm-up (JIT, pools, partitions touched), not reported.
    await publish(children, o.warmupPerDevice, o.window);
    const warm = await finish(children, o.timeoutMs);
    const warmAcked = warm.reduce((n, f) => n + f.acked, 0);
    if (warmAcked !== fleet.length * o.warmupPerDevice) throw new Error(`warm-up: ${warmAcked} of ${fleet.length * o.warmupPerDevice} acknowledged (${warm.find((f) => f.firstError)?.firstError ?? 'timeout'})`);
    // A fresh journal holds only what was accepted (each accepted message is one journal entry).
    const seq0 = (await scrapeMetrics(service.httpUrl)).get('anju_mqtt_messages_accepted_total') ?? 0;
    await waitStoredAndEvaluated(db, service, seq0, seq0, o.timeoutMs);
    o.log(`${backend}: warmed up (${warmAcked} messages)`);

    // The baseline: the same number of readings, the same devices and metrics, straight into the same table.
    await db.checkpointServer();
    const copy: CopyRun = await rawCopy(database.url, fleet, o.messagesPerDevice, 1_000_000_000, () => treeCpuMs(database.pid));
    o.log(`${backend}: raw COPY of ${copy.rows} rows: ${copy.rowsPerSecond} rows/s`);

    // End to end.
    await db.checkpointServer();
    const readings0 = await db.readings();
    const messages = fleet.length * o.messagesPerDevice;
    const readings = readingsPerRound * o.messagesPerDevice;
    const target = seq0 + messages;
    const start = await scrapeMetrics(service.httpUrl); // resets the service's event-loop delay histogram
    const evaluated0 = start.get('anju_ingest_latency_seconds_count') ?? 0;
    const pids = { service: [service.pid], load: children.map((c) => c.pid!) };
    const cpu0 = { service: await cpuMs(pids.service), database: await treeCpuMs(database.pid), load: await cpuMs(pids.load), bench: await cpuMs(['self']), machine: await machineBusyMs() };
    const started = epochNow();
    await publish(children, o.messagesPerDevice, o.window);
    const backlog: number[] = [];
    const deadline = Date.now() + o.timeoutMs;
    let storedAt = 0;
    let reportAt = Date.now() + 5000;
    for (;;) {
      const [sent, checkpoint] = await Promise.all([acked(children), db.checkpoint()]);
      backlog.push(Math.max(0, sent - (checkpoint.stored - seq0)));
      if (Date.now() > reportAt) {
        reportAt += 5000;
        o.log(`${backend}: ${sent} of ${messages} messages acknowledged, ${checkpoint.stored - seq0} stored`);
      }
      if (checkpoint.stored >= target) {
        storedAt = epochNow();
        break;
      }
      if (Date.now() > deadline) throw new Error(`${backend}: stored ${checkpoint.stored - seq0} of ${messages} messages within ${o.timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Stored; now until the service counted every message evaluated. The first scrape closes the lag window.
    let end = await scrapeMetrics(service.httpUrl);
    const lagWindow = end;
    while ((end.get('anju_ingest_latency_seconds_count') ?? 0) - evaluated0 < messages) {
      if (Date.now() > deadline) throw new Error(`${backend}: evaluated ${(end.get('anju_ingest_latency_seconds_count') ?? 0) - evaluated0} of ${messages} messages in time`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      end = await scrapeMetrics(service.httpUrl);
    }
    const completedAt = epochNow();
    const cpu = {
      service: (await cpuMs(pids.service)) - cpu0.service,
      database: (await treeCpuMs(database.pid)) - cpu0.database,
      load: (await cpuMs(pids.load)) - cpu0.load,
      bench: (await cpuMs(['self'])) - cpu0.bench,
      machine: (await machineBusyMs()) - cpu0.machine,
    };
    const reports = await finish(children, 10_000);
    const firstSentAt = Math.min(...reports.map((r) => r.firstSentAt));
    const lastAckedAt = Math.max(...reports.map((r) => r.lastAckedAt));
    const ackedCount = reports.reduce((n, r) => n + r.acked, 0);
    const e2eMs = completedAt - firstSentAt;

    // Exactly once: every reading stored, once; both rule lanes caught up (their checkpoints are written each second).
    const storedReadings = (await db.readings()) - readings0;
    let lanes = await db.checkpoint();
    for (let i = 0; i < 40 && (lanes.evaluated < target || lanes.alarm < target); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      lanes = await db.checkpoint();
    }
    const windowMs = completedAt - started;
    const percentOfCore = (x: number) => Math.round((x / windowMs) * 100);
    const e2e = {
      messages,
      readings,
      readingsPerMessage: Number((readings / messages).toFixed(2)),
      acknowledged: ackedCount,
      rejected: (end.get('anju_mqtt_messages_rejected_total') ?? 0) - (start.get('anju_mqtt_messages_rejected_total') ?? 0),
      storedReadings,
      exactlyOnce: storedReadings === readings,
      lanesCaughtUp: lanes.evaluated >= target && lanes.alarm >= target,
      ms: ms(e2eMs),
      readingsPerSecond: Math.round(readings / (e2eMs / 1000)),
      /** PUBACKs (journaled) per second, first publish → last PUBACK. */
      journaledReadingsPerSecond: Math.round((ackedCount * (readings / messages)) / ((lastAckedAt - firstSentAt) / 1000)),
      publishMs: ms(lastAckedAt - firstSentAt),
      storedAfterLastAckMs: ms(storedAt - lastAckedAt),
      evaluatedAfterStoredMs: ms(completedAt - storedAt),
      ackMs: reports.map((r) => r.ackMs),
      peakBacklogMessages: Math.max(...backlog),
      storeFailures: (end.get('anju_store_failures_total') ?? 0) - (start.get('anju_store_failures_total') ?? 0),
      eventLoopLagMs: {
        p50: seconds(lagWindow, 'anju_nodejs_eventloop_lag_p50_seconds'),
        p90: seconds(lagWindow, 'anju_nodejs_eventloop_lag_p90_seconds'),
        p99: seconds(lagWindow, 'anju_nodejs_eventloop_lag_p99_seconds'),
        max: seconds(lagWindow, 'anju_nodejs_eventloop_lag_max_seconds'),
      },
      cpuPercentOfOneCore: {
        service: percentOfCore(cpu.service),
        database: percentOfCore(cpu.database),
        loadGenerators: percentOfCore(cpu.load),
        bench: percentOfCore(cpu.bench),
        /** Everything else on the machine (other users' work competes for the same cores). */
        otherProcesses: percentOfCore(Math.max(0, cpu.machine - cpu.service - cpu.database - cpu.load - cpu.bench)),
      },
      /** CPU time per reading, µs: independent of what else the machine runs (the service's JavaScript is one thread, so 1e6 / service is its ceiling). */
      cpuMicrosPerReading: {
        service: Number(((cpu.service * 1000) / readings).toFixed(2)),
        database: Number(((cpu.database * 1000) / readings).toFixed(2)),
        loadGenerators: Number(((cpu.load * 1000) / readings).toFixed(2)),
      },
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    };
    o.log(`${backend}: end to end ${e2e.readingsPerSecond} readings/s, lag p99 ${e2e.eventLoopLagMs.p99} ms`);
    await Promise.all(children.map((c) => c.request({ cmd: 'close' }, 'closed', 30_000).catch(() => undefined)));
    return {
      backend,
      database: `PostgreSQL ${databaseVersion} (${pg15 ? `Debian, external: ${pg15.version}` : 'embedded, in ANJU_DATA_DIR'}; default settings)`,
      devices: fleet.length,
      kinds: Object.fromEntries(o.kinds.filter((k, i) => o.kinds.indexOf(k) === i).map((k) => [k, fleet.filter((d) => d.kind === k).length])),
      copy,
      e2e,
      ratio: Number((e2e.readingsPerSecond / copy.rowsPerSecond).toFixed(2)),
      serviceWarnings: serviceWarnings(service.output()),
    };
  } finally {
    for (const child of children) await child.stop().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await service?.stop().catch((error: unknown) => console.error('bench: could not stop the service', error));
    await pg15?.stop().catch((error: unknown) => console.error('bench: could not stop PostgreSQL 15', error));
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

export type BackendResult = Awaited<ReturnType<typeof runBackend>>;
