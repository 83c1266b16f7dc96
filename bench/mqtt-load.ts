/**
 * The mqtt.js load generator shared by every broker under test: one publisher with a bounded window of
 * outstanding publishes (optionally paced), one subscriber that timestamps each receipt by `seq`, and
 * many idle connections opened at a bounded concurrency. Times are epoch ms (sub-ms resolution).
 */
import net from 'node:net';
import { type IClientOptions, MqttClient } from 'mqtt';
import { epochNow } from './child.ts';

export interface Endpoint {
  /** `mqtt://host:port` */
  url: string;
  username?: string;
  password?: string;
  clientId: string;
  /** Source address of the TCP connection (any of 127.0.0.0/8 works on Linux loopback). */
  localAddress?: string;
}

/** `count` loopback source addresses `127.{block}.x.y`, skipping .0 and .1 of each /24. */
export function loopbackSources(count: number, block: number): string[] {
  return Array.from({ length: count }, (_, i) => `127.${block}.${Math.floor(i / 250)}.${2 + (i % 250)}`);
}

/** An mqtt.js client over plain TCP (built here rather than by `mqtt.connect` so it can pick its source address). */
export function connectClient(endpoint: Endpoint, extra: IClientOptions = {}): Promise<MqttClient> {
  const { hostname, port } = new URL(endpoint.url);
  const stream = () => net.connect({ host: hostname, port: Number(port || 1883), ...(endpoint.localAddress ? { localAddress: endpoint.localAddress } : {}) });
  const client = new MqttClient(stream, {
    clientId: endpoint.clientId,
    username: endpoint.username,
    password: endpoint.password,
    protocolVersion: 4,
    clean: true,
    keepalive: 60,
    reconnectPeriod: 0,
    connectTimeout: 30_000,
    ...extra,
  });
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => {
      client.off('close', closed);
      client.end(true);
      reject(err);
    };
    const closed = () => fail(new Error('connection closed before CONNACK'));
    client.once('connect', () => {
      client.off('error', fail);
      client.off('close', closed);
      client.on('error', () => undefined);
      resolve(client);
    });
    client.once('error', fail);
    client.once('close', closed);
  });
}

export function endClient(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.end(false, {}, () => resolve()));
}

const PAD_DIGITS = '4567890123456789012345678901234567890123456789012345678901234567890123456789';

/**
 * A valid gas-detector telemetry payload of exactly `bytes` bytes:
 * `{"seq":n,"ts":epochMs,"values":{"gas_lel":1.23…,"battery":88}}`, padded with more digits of gas_lel.
 * `seq` comes first so a subscriber can read it without parsing the JSON.
 */
export function telemetryPayload(seq: number, ts: number, bytes = 100): Buffer {
  const head = `{"seq":${seq},"ts":${Math.floor(ts)},"values":{"gas_lel":1.23`;
  const tail = ',"battery":88}}';
  return Buffer.from(head + PAD_DIGITS.slice(0, Math.max(0, bytes - head.length - tail.length)) + tail);
}

/** Reads `seq` from the start of a payload made by `telemetryPayload`. */
export function payloadSeq(payload: Buffer): number {
  let seq = 0;
  for (let i = 7; i < payload.length; i++) {
    const c = payload[i]!;
    if (c < 48 || c > 57) break;
    seq = seq * 10 + (c - 48);
  }
  return seq;
}

export interface PublishOptions extends Endpoint {
  topic: string;
  qos: 0 | 1;
  count: number;
  seqStart: number;
  /** Most publishes outstanding at once (QoS 1: awaiting PUBACK; QoS 0: awaiting the socket). */
  window: number;
  /** Messages per second; unset = as fast as the window allows. */
  rate?: number;
  payloadBytes: number;
  timeoutMs: number;
}

export interface PublishRun {
  sent: number;
  completed: number;
  timedOut: boolean;
  /** Send time of message i (seq = seqStart + i). */
  sendTimes: number[];
  /** QoS 1: PUBACK time of message i; QoS 0: when the socket took it. */
  doneTimes: number[];
}

export async function publishRun(o: PublishOptions): Promise<PublishRun> {
  const client = await connectClient(o);
  const sendTimes = new Float64Array(o.count);
  const doneTimes = new Float64Array(o.count);
  let next = 0;
  let inflight = 0;
  let completed = 0;
  let scheduled = false;
  let startedAt = 0;
  const timedOut = await new Promise<boolean>((resolve, reject) => {
    const timer = setTimeout(() => resolve(true), o.timeoutMs);
    const schedule = (delayMs = 0) => {
      if (scheduled) return;
      scheduled = true;
      const run = () => {
        scheduled = false;
        pump();
      };
      if (delayMs > 0) setTimeout(run, delayMs);
      else setImmediate(run);
    };
    const pump = () => {
      while (next < o.count && inflight < o.window) {
        if (o.rate) {
          const due = startedAt + (next * 1000) / o.rate;
          const wait = due - epochNow();
          if (wait > 0) return schedule(Math.max(1, Math.floor(wait)));
        }
        const i = next++;
        inflight++;
        const now = epochNow();
        sendTimes[i] = now;
        client.publish(o.topic, telemetryPayload(o.seqStart + i, Date.now(), o.payloadBytes), { qos: o.qos }, (err) => {
          if (err) return reject(err);
          doneTimes[i] = epochNow();
          inflight--;
          if (++completed === o.count) {
            clearTimeout(timer);
            resolve(false);
          } else schedule();
        });
      }
    };
    startedAt = epochNow();
    pump();
  });
  if (timedOut) client.end(true);
  else await endClient(client);
  return { sent: next, completed, timedOut, sendTimes: Array.from(sendTimes.subarray(0, next)), doneTimes: Array.from(doneTimes.subarray(0, next)) };
}

export interface Collector {
  /** Resolves with receipt times by seq offset (0 = not received) once `expect` arrived or on `finish()`. */
  done: Promise<{ received: number; receiptTimes: number[] }>;
  finish(): void;
}

/** Subscribes, then timestamps each message by `seq - seqStart`; returns once the subscription is granted. */
export async function collect(o: Endpoint & { topic: string; qos: 0 | 1; seqStart: number; expect: number }): Promise<Collector> {
  const client = await connectClient(o);
  const times = new Float64Array(o.expect);
  let received = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  client.on('message', (_topic, payload) => {
    const i = payloadSeq(payload) - o.seqStart;
    if (i >= 0 && i < o.expect && times[i] === 0) {
      times[i] = epochNow();
      if (++received === o.expect) finish();
    }
  });
  await new Promise<void>((resolve, reject) =>
    client.subscribe(o.topic, { qos: o.qos }, (err, granted) => (err ? reject(err) : granted?.[0]?.qos === 128 ? reject(new Error('subscription refused')) : resolve())),
  );
  return {
    done: finished.then(async () => {
      await endClient(client);
      return { received, receiptTimes: Array.from(times) };
    }),
    finish,
  };
}

/** Opens `endpoints.length` connections, at most `concurrency` connecting at once; failures are counted. */
export async function openIdle(endpoints: Endpoint[], concurrency: number, into: MqttClient[]): Promise<{ connected: number; failed: number; firstError?: string }> {
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const worker = async () => {
    while (next < endpoints.length) {
      const endpoint = endpoints[next++]!;
      try {
        into.push(await connectClient(endpoint));
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  const before = into.length;
  await Promise.all(Array.from({ length: Math.min(concurrency, endpoints.length) }, worker));
  return { connected: into.length - before, failed, ...(firstError ? { firstError } : {}) };
}
