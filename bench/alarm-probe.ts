/**
 * Child process: the alarm side of the alert-latency benchmark. It holds the alarm devices' MQTT
 * connections (emergency buttons) and one live-stream WebSocket (as the dashboard), and times
 * publish → first live event about that alert in this one process with `performance.now()`.
 *
 * Commands:
 * - `connect` {url, devices, password, sources, wsUrl} → `connected` {connected, failed}
 * - `run` {pool, durationMs, minIntervalMs, maxIntervalMs, minGapMs, graceMs, seed, topicPrefix} → `ran` {alarms, unexpected}
 * - `close` → `closed`
 *
 * A run presses buttons every `minIntervalMs`–`maxIntervalMs` (QoS 1 `sos` events), alternating a
 * button of the pool not yet pressed (a new alert: `alert.raised`, a new incident) and a repeat of the
 * button pressed longest ago, at least `minGapMs` before (the same open alert counted again:
 * `alert.updated`); with no such button it presses a fresh one. Each button thus changes state a few
 * times a minute, well under the rule engine's flapping threshold (10 a minute).
 */
import type { MqttClient } from 'mqtt';
import WebSocket from 'ws';
import type { LiveEvent } from '../contract/index.ts';
import { epochNow, serveCommands } from './child.ts';
import { endClient, openIdle, type Endpoint } from './mqtt-load.ts';

interface Pending {
  deviceId: string;
  seq: number;
  kind: 'raised' | 'repeated';
  /** Presses of this button so far, this one included: the count the alert should show. */
  presses: number;
  /** performance.now() of the publish. */
  sentAt: number;
  /** epochNow() of the publish, to line up with the service's own timestamps. */
  sentEpoch: number;
  pubackMs?: number;
  eventMs?: number;
  receivedEpoch?: number;
  eventType?: string;
  alertCount?: number;
  alertId?: string;
}

const clients = new Map<string, MqttClient>();
let socket: WebSocket | undefined;
const pending = new Map<string, Pending>();
let unexpected = 0;
const presses = new Map<string, number>();
const seqs = new Map<string, number>();

function onLive(data: WebSocket.RawData): void {
  const at = performance.now();
  const epoch = epochNow();
  const event = JSON.parse(String(data)) as LiveEvent;
  if (event.type !== 'alert.raised' && event.type !== 'alert.updated') return;
  const waiting = pending.get(event.alert.deviceId);
  if (!waiting) {
    if (presses.has(event.alert.deviceId)) unexpected++;
    return;
  }
  pending.delete(event.alert.deviceId);
  waiting.eventMs = at - waiting.sentAt;
  waiting.receivedEpoch = epoch;
  waiting.eventType = event.type;
  waiting.alertCount = event.alert.count;
  waiting.alertId = event.alert.id;
}

/** A small deterministic generator (mulberry32), so runs press in the same rhythm. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function run(command: Record<string, unknown>) {
  const pool = [...(command.pool as string[])];
  const durationMs = Number(command.durationMs);
  const minInterval = Number(command.minIntervalMs);
  const maxInterval = Number(command.maxIntervalMs);
  const minGapMs = Number(command.minGapMs);
  const graceMs = Number(command.graceMs);
  const topicPrefix = String(command.topicPrefix);
  const next = random(Number(command.seed ?? 1));
  const done: Pending[] = [];
  /** Pressed buttons, least recently pressed first. */
  const pressed: { deviceId: string; at: number }[] = [];
  unexpected = 0;
  const started = performance.now();
  let index = 0;
  while (performance.now() - started < durationMs) {
    const now = performance.now();
    const wantRepeat = index % 2 === 1;
    const repeatable = pressed[0] && now - pressed[0].at >= minGapMs && !pending.has(pressed[0].deviceId) ? pressed[0] : undefined;
    let deviceId: string | undefined;
    if (wantRepeat && repeatable) deviceId = pressed.shift()!.deviceId;
    else if (pool.length) deviceId = pool.shift()!;
    else if (repeatable) deviceId = pressed.shift()!.deviceId;
    if (deviceId) {
      const client = clients.get(deviceId);
      if (!client) throw new Error(`no connection for ${deviceId}`);
      const count = (presses.get(deviceId) ?? 0) + 1;
      presses.set(deviceId, count);
      const seq = (seqs.get(deviceId) ?? 0) + 1;
      seqs.set(deviceId, seq);
      const payload = `{"seq":${seq},"ts":${Date.now()},"event":"sos"}`;
      const entry: Pending = { deviceId, seq, kind: count === 1 ? 'raised' : 'repeated', presses: count, sentAt: performance.now(), sentEpoch: epochNow() };
      pending.set(deviceId, entry);
      done.push(entry);
      client.publish(`${topicPrefix}${deviceId}/events`, payload, { qos: 1 }, (err) => {
        if (!err) entry.pubackMs = performance.now() - entry.sentAt;
      });
      pressed.push({ deviceId, at: entry.sentAt });
      index++;
    }
    const wait = minInterval + next() * (maxInterval - minInterval);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  // Late events still count; after the grace period, what is missing is reported as missing.
  const deadline = performance.now() + graceMs;
  while (pending.size && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  pending.clear();
  return {
    type: 'ran',
    wallMs: performance.now() - started,
    unexpected,
    alarms: done.map((p) => ({
      deviceId: p.deviceId,
      seq: p.seq,
      kind: p.kind,
      presses: p.presses,
      sentEpoch: p.sentEpoch,
      pubackMs: p.pubackMs ?? null,
      eventMs: p.eventMs ?? null,
      receivedEpoch: p.receivedEpoch ?? null,
      eventType: p.eventType ?? null,
      alertCount: p.alertCount ?? null,
      alertId: p.alertId ?? null,
    })),
  };
}

serveCommands(async (command) => {
  switch (command.cmd) {
    case 'connect': {
      const devices = command.devices as string[];
      const sources = (command.sources as string[] | undefined) ?? [];
      const endpoints: Endpoint[] = devices.map((id, i) => ({
        url: String(command.url),
        clientId: `bench-alarm-${id}`,
        username: id,
        password: String(command.password),
        ...(sources.length ? { localAddress: sources[i % sources.length]! } : {}),
      }));
      const connected: MqttClient[] = [];
      const outcome = await openIdle(endpoints, 50, connected);
      for (const client of connected) clients.set(String(client.options.username), client);
      socket = new WebSocket(String(command.wsUrl));
      await new Promise<void>((resolve, reject) => {
        socket!.once('message', () => resolve());
        socket!.once('error', reject);
      });
      socket.on('message', onLive);
      socket.on('error', () => undefined);
      return { type: 'connected', ...outcome };
    }
    case 'run':
      return run(command);
    case 'close': {
      socket?.close();
      await Promise.race([Promise.all([...clients.values()].map(endClient)), new Promise((resolve) => setTimeout(resolve, 5000))]);
      clients.clear();
      return { type: 'closed' };
    }
    default:
      throw new Error(`unknown command ${String(command.cmd)}`);
  }
});
