/**
 * `npm run bench -- ingest`: readings per second end to end — MQTT publish (QoS 1) → validated →
 * journaled → stored → rules evaluated — on the embedded PostgreSQL and on an external PostgreSQL 15,
 * beside a raw COPY of as many rows of the same shape into the same table in the same run, with the
 * service's event-loop lag p99 over the ingest window. Aims: ≥ 50,000 readings/s and ≥ 0.5× raw COPY.
 * The service runs in its own process; the load generators run in child processes.
 */
import os from 'node:os';
import type { DeviceKind } from '../contract/index.ts';
import { epochNow } from './child.ts';
import { runBackend, type Backend, type BackendResult } from './ingest-run.ts';

export interface IngestBenchOptions {
  devices?: number;
  messagesPerDevice?: number;
  backends?: Backend[];
}

const AIM = { readingsPerSecond: 50_000, ratio: 0.5 };
/**
 * A street's fleet, per 100 devices: kinds that report three metrics in every telemetry message, with rules
 * in both lanes — mostly smoke detectors, a third flood sensors and one self-service kiosk (kiosks are few
 * in a real fleet, and each one in a stored batch costs the kiosk module a database round trip).
 */
const MIX: [DeviceKind, number][] = [
  ['smoke_detector', 66],
  ['flood_sensor', 33],
  ['kiosk', 1],
];
/** The mix as a round-robin list of 100 kinds, interleaved so every stretch of the fleet has each kind in proportion. */
const KINDS: DeviceKind[] = Array.from({ length: 100 }, (_, i) => {
  let acc = 0;
  for (const [kind, share] of MIX) {
    acc += share;
    // (i × 37) mod 100 visits each of 0…99 once, in a scattered order: the kinds interleave.
    if (((i * 37) % 100) < acc) return kind;
  }
  return MIX[0]![0];
});

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

function tableRow(r: BackendResult) {
  return {
    backend: r.backend,
    readings: fmt(r.e2e.readings),
    'e2e readings/s': fmt(r.e2e.readingsPerSecond),
    'raw COPY rows/s': fmt(r.copy.rowsPerSecond),
    ratio: `${r.ratio.toFixed(2)}×`,
    'lag p99 ms': r.e2e.eventLoopLagMs.p99,
    'peak backlog msgs': fmt(r.e2e.peakBacklogMessages),
    'exactly once': r.e2e.exactlyOnce && r.e2e.lanesCaughtUp ? 'yes' : 'NO',
  };
}

function aims(r: BackendResult) {
  const throughput = r.e2e.readingsPerSecond >= AIM.readingsPerSecond;
  const ratio = r.ratio >= AIM.ratio;
  return {
    backend: r.backend,
    [`≥ ${fmt(AIM.readingsPerSecond)} readings/s`]: throughput ? 'met' : `NOT met (${fmt(r.e2e.readingsPerSecond)})`,
    [`≥ ${AIM.ratio}× raw COPY`]: ratio ? 'met' : `NOT met (${r.ratio.toFixed(2)}×)`,
    met: throughput && ratio,
  };
}

export async function ingestBench(options: IngestBenchOptions = {}) {
  const started = epochNow();
  const log = (step: string) => console.log(`  ingest: ${step} (${((epochNow() - started) / 1000).toFixed(1)} s)`);
  const devices = options.devices ?? 300;
  const messagesPerDevice = options.messagesPerDevice ?? 700;
  const profileDir = process.env.BENCH_INGEST_CPU_PROF;
  const run = {
    devices,
    kinds: KINDS,
    messagesPerDevice,
    warmupPerDevice: 40,
    window: 8,
    loadChildren: 2,
    timeoutMs: 120_000,
    serviceNodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    log,
  };
  const results: BackendResult[] = [];
  const skipped: Record<string, string> = {};
  for (const backend of options.backends ?? (['embedded', 'postgres15'] as const)) {
    try {
      results.push(await runBackend(backend, run));
    } catch (error) {
      // PostgreSQL 15 may be impossible to install here; say so rather than fail the whole benchmark.
      if (backend !== 'postgres15' || !/PostgreSQL 15 did not start|apt-get/.test(String(error))) throw error;
      skipped[backend] = error instanceof Error ? error.message : String(error);
      console.warn(`bench: ingest on PostgreSQL 15 skipped: ${skipped[backend]}`);
    }
  }
  const aimRows = results.map(aims);
  for (const a of aimRows) console.log(`  ingest aims on ${a.backend}: ${Object.entries(a).filter(([k]) => k !== 'backend' && k !== 'met').map(([k, v]) => `${k} ${String(v)}`).join('; ')}`);
  return {
    setup: {
      path: 'mqtt.js QoS 1 publishes over loopback TCP → aedes gateway (auth, ACL, parse, validate, normalise, dedupe) → lmdb journal (PUBACK after commit) → PostgreSQL (COPY + rollups + checkpoint per batch) → rules (urgent and bulk lanes)',
      fleet: `${devices} devices provisioned through POST /api/v1/devices (per 100: ${MIX.map(([k, n]) => `${n} ${k}`).join(', ')}; 3 metrics per message), one connection each, ${run.window} publishes outstanding per connection, from ${run.loadChildren} load-generator child processes`,
      messages: `${messagesPerDevice} per device measured (after ${run.warmupPerDevice} per device of warm-up)`,
      endToEnd: "first publish → the service's stored checkpoint (polled in the database every 50 ms) covers every message and its /metrics count every message evaluated",
      rawCopy: 'the same number of rows (same devices, metrics, current timestamps) in one COPY … FROM STDIN transaction from the bench process into the same readings table, measured before the end-to-end run; CHECKPOINT before each',
      eventLoopLag: "prom-client's monitorEventLoopDelay histogram (10 ms resolution) of the service process, reset by a /metrics scrape at the first publish and read at completion",
      service: 'tests/fixtures/run-service.ts in its own Node process (the real service, ANJU_* configuration, log level warn)',
      cpus: os.cpus().length,
      durationSeconds: Number(((epochNow() - started) / 1000).toFixed(1)),
    },
    aim: AIM,
    results,
    skipped,
    aims: aimRows,
    allAimsMet: aimRows.length > 0 && aimRows.every((a) => a.met) && Object.keys(skipped).length === 0,
    table: results.map(tableRow),
  };
}
