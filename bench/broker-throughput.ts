/**
 * One publisher → one "delivery" per broker, driven by the load-generator children:
 * - mosquitto: a plain subscriber child receives the messages (delivered = received);
 * - Anju: devices may not subscribe to telemetry, so delivered = stored and evaluated, watched in-process
 *   by the AnjuProbe; the publisher is a provisioned device sending valid telemetry on its own topic.
 * Both report acknowledged (QoS 1 PUBACK) or written (QoS 0) throughput at the publisher, delivered
 * throughput, latencies, and the CPU each process used during the run.
 */
import type { Service } from '../platform/service.ts';
import type { AnjuProbe } from './anju-probe.ts';
import { type BenchChild, type ChildMessage, epochNow } from './child.ts';
import { cpuMs, processTree } from './proc-stats.ts';
import { summarise } from './stats.ts';

export interface RunSpec {
  qos: 0 | 1;
  count: number;
  seqStart: number;
  window: number;
  /** Paced at this many messages per second; unset = as fast as the window allows. */
  rate?: number;
  payloadBytes: number;
  timeoutMs: number;
}

interface Published extends ChildMessage {
  sent: number;
  completed: number;
  timedOut: boolean;
  sendTimes: number[];
  doneTimes: number[];
}

interface Collected extends ChildMessage {
  received: number;
  receiptTimes: number[];
}

export interface Loaders {
  publisher: BenchChild;
  subscriber: BenchChild;
}

const round = (n: number, digits = 0) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);
const ms = (samples: number[]) => {
  const s = summarise(samples);
  return { count: s.count, p50: round(s.p50, 3), p90: round(s.p90, 3), p99: round(s.p99, 3), max: round(s.max, 3) };
};
const perSecond = (count: number, fromMs: number, toMs: number) => round((count * 1000) / Math.max(1e-6, toMs - fromMs));
const lastOf = (times: number[]) => times.reduce((a, b) => (b > a ? b : a), 0);

/** CPU time of several processes across a run, as % of one core. */
async function cpuMeter(groups: Record<string, () => Promise<(number | 'self')[]>>) {
  const start = epochNow();
  const before = Object.fromEntries(await Promise.all(Object.entries(groups).map(async ([k, pids]) => [k, await cpuMs(await pids())] as const)));
  return async () => {
    const wall = epochNow() - start;
    const after = await Promise.all(Object.entries(groups).map(async ([k, pids]) => [k, await cpuMs(await pids())] as const));
    return Object.fromEntries(after.map(([k, used]) => [k, round((100 * (used - before[k]!)) / wall)])) as Record<string, number | null>;
  };
}

function publishCommand(spec: RunSpec, target: { url: string; topic: string; clientId: string; username?: string; password?: string }) {
  return { cmd: 'publish', ...target, qos: spec.qos, count: spec.count, seqStart: spec.seqStart, window: spec.window, rate: spec.rate, payloadBytes: spec.payloadBytes, timeoutMs: spec.timeoutMs };
}

function publisherFigures(spec: RunSpec, pub: Published) {
  const first = pub.sendTimes[0] ?? 0;
  const acked = spec.qos === 1 ? pub.completed : null;
  return {
    sent: pub.sent,
    publisherTimedOut: pub.timedOut,
    /** Rate at which the publisher's socket took the messages (for QoS 1, bounded by the PUBACK window). */
    writtenPerSecond: perSecond(pub.sent, first, lastOf(pub.sendTimes)),
    acked,
    ackedPerSecond: acked === null ? null : perSecond(acked, first, lastOf(pub.doneTimes)),
    ackLatencyMs: acked === null ? null : ms(pub.doneTimes.map((t, i) => t - pub.sendTimes[i]!).filter((_, i) => pub.doneTimes[i]! > 0)),
  };
}

export async function runMosquitto(loaders: Loaders, broker: { url: string; pid: number }, topic: string, spec: RunSpec) {
  const { publisher, subscriber } = loaders;
  await subscriber.request({ cmd: 'subscribe', url: broker.url, clientId: 'bench-subscriber', topic, qos: spec.qos, seqStart: spec.seqStart, expect: spec.count }, 'subscribed', 10_000);
  const cpu = await cpuMeter({ broker: async () => [broker.pid], publisher: async () => [publisher.pid!], subscriber: async () => [subscriber.pid!] });
  const pub = await publisher.request<Published>(publishCommand(spec, { url: broker.url, topic, clientId: 'bench-publisher' }), 'published', spec.timeoutMs + 10_000);
  const col = await subscriber.request<Collected>({ cmd: 'collect', timeoutMs: 10_000 }, 'collected', 20_000);
  const cpuPercent = await cpu();
  const delivery = col.receiptTimes.map((t, i) => (t > 0 ? t - pub.sendTimes[i]! : Number.NaN)).filter((x) => !Number.isNaN(x));
  return {
    ...publisherFigures(spec, pub),
    delivered: col.received,
    deliveredPerSecond: perSecond(col.received, pub.sendTimes[0] ?? 0, lastOf(col.receiptTimes)),
    deliveryLatencyMs: ms(delivery),
    cpuPercent,
  };
}

export async function runAnju(
  loaders: Loaders,
  service: Service,
  probe: AnjuProbe,
  postgresPid: number,
  device: { id: string; secret: string },
  topic: string,
  spec: RunSpec,
) {
  const { publisher } = loaders;
  await service.settle();
  probe.reset();
  const allAccepted = probe.waitAccepted(spec.count, spec.timeoutMs + 10_000);
  const cpu = await cpuMeter({ broker: async () => ['self'], postgres: () => processTree(postgresPid), publisher: async () => [publisher.pid!] });
  const pub = await publisher.request<Published>(
    publishCommand(spec, { url: `mqtt://127.0.0.1:${service.mqttPort}`, topic, clientId: `bench-${device.id}`, username: device.id, password: device.secret }),
    'published',
    spec.timeoutMs + 10_000,
  );
  await allAccepted;
  await Promise.race([service.settle(), new Promise((resolve) => setTimeout(resolve, spec.timeoutMs))]);
  const cpuPercent = await cpu();
  const first = pub.sendTimes[0] ?? 0;
  const stored = probe.storedAt.length;
  // The k-th stored message is the k-th sent only when nothing else was stored meanwhile and none was lost.
  const matched = stored === pub.sent;
  return {
    ...publisherFigures(spec, pub),
    accepted: probe.accepted,
    acceptedPerSecond: perSecond(probe.accepted, first, probe.lastAcceptedAt),
    stored,
    storedPerSecond: perSecond(stored, first, lastOf(probe.storedAt)),
    storedLatencyMs: matched ? ms(probe.storedAt.map((t, i) => t - pub.sendTimes[i]!)) : `not matched: ${stored} stored for ${pub.sent} sent`,
    ingestLatencyMs: ms(probe.ingestMs),
    cpuPercent,
  };
}

export type AnjuRun = Awaited<ReturnType<typeof runAnju>>;
export type MosquittoRun = Awaited<ReturnType<typeof runMosquitto>>;

/** Several runs of one measure: the median run by `key`, with every run's figure beside it. */
export class Repeats<R extends object> {
  private readonly runs: R[] = [];

  constructor(private readonly key: (run: R) => number | null) {}

  add(run: R): void {
    this.runs.push(run);
  }

  median(): R & { runsPerSecond: (number | null)[] } {
    const sorted = [...this.runs].sort((a, b) => (this.key(a) ?? 0) - (this.key(b) ?? 0));
    const middle = sorted[Math.floor((sorted.length - 1) / 2)];
    if (!middle) throw new Error('no runs');
    return { ...middle, runsPerSecond: this.runs.map(this.key) };
  }
}
