/**
 * Child process: a share of the ingest benchmark's fleet. Each provisioned device gets its own MQTT
 * connection (mqtt.js, TCP, its own credentials) and publishes valid telemetry of its kind at QoS 1 —
 * every metric of the kind in each message, steady values in the kind's normal ranges — as fast as a window of
 * outstanding publishes per connection allows. A PUBACK means the gateway journaled the message.
 *
 * Commands:
 * - `connect` {url, devices: [{id, secret, kind}], sources, clientPrefix} → `connected` {connected}
 * - `publish` {messagesPerDevice, window} → `publishing` (publishing goes on in the background)
 * - `progress` → `progress` {sent, acked}
 * - `finish` {timeoutMs} → `finished` {sent, acked, failed, firstSentAt, lastAckedAt, ackMs}
 * - `close` → `closed`
 */
import type { MqttClient } from 'mqtt';
import { deviceTopic, findDeviceKind } from '../contract/index.ts';
import { epochNow, serveCommands } from './child.ts';
import { connectClient, endClient } from './mqtt-load.ts';
import { summarise } from './stats.ts';

interface FleetDevice {
  id: string;
  secret: string;
  kind: string;
}

/** One metric of a device: a steady value in the kind's normal range with a little noise (whole when the kind demands it), or a boolean. */
interface MetricDraw {
  name: string;
  base: number;
  noise: number;
  integer: boolean;
  boolean: boolean;
}

interface Publisher {
  client: MqttClient;
  topic: string;
  draws: MetricDraw[];
  seq: number;
  remaining: number;
  inflight: number;
}

function drawsFor(kind: string): MetricDraw[] {
  const definition = findDeviceKind(kind);
  if (!definition) throw new Error(`unknown device kind ${kind}`);
  return Object.entries(definition.metrics).map(([name, m]) => {
    const [low, high] = m.normal;
    return {
      name,
      base: low + (0.25 + Math.random() / 2) * (high - low),
      // A healthy device: readings wander by ±1 % of the normal range; the battery holds still (as it
      // does over a minute), so its level is news to dashboards once.
      noise: name === 'battery' ? 0 : (high - low) / 100,
      boolean: m.schema.safeParse(true).success,
      integer: !m.schema.safeParse(low + 0.5).success || name === 'battery',
    };
  });
}

function payload(p: Publisher): Buffer {
  const values: Record<string, number | boolean> = {};
  for (const d of p.draws) {
    if (d.boolean) values[d.name] = false;
    else {
      const v = d.base + (Math.random() * 2 - 1) * d.noise;
      values[d.name] = d.integer ? Math.round(v) : Math.round(v * 100) / 100;
    }
  }
  return Buffer.from(JSON.stringify({ seq: p.seq, ts: Date.now(), values }));
}

const publishers: Publisher[] = [];
let window = 1;
let sent = 0;
let acked = 0;
let failed = 0;
let firstError: string | undefined;
let firstSentAt = 0;
let lastAckedAt = 0;
let ackMs: number[] = [];
let target = 0;
let done: (() => void) | undefined;

function pump(p: Publisher): void {
  while (p.remaining > 0 && p.inflight < window) {
    p.remaining--;
    p.inflight++;
    p.seq++;
    sent++;
    const at = epochNow();
    if (!firstSentAt) firstSentAt = at;
    p.client.publish(p.topic, payload(p), { qos: 1 }, (err) => {
      p.inflight--;
      if (err) {
        failed++;
        firstError ??= err.message;
      } else {
        acked++;
        lastAckedAt = epochNow();
        // Every 16th acknowledgement is timed: enough for percentiles, little bookkeeping.
        if ((acked & 15) === 0) ackMs.push(lastAckedAt - at);
      }
      if (acked + failed >= target) done?.();
      else setImmediate(() => pump(p));
    });
  }
}

serveCommands(async (command) => {
  switch (command.cmd) {
    case 'connect': {
      const devices = command.devices as FleetDevice[];
      const sources = command.sources as string[];
      for (const [i, device] of devices.entries()) {
        const client = await connectClient({
          url: String(command.url),
          username: device.id,
          password: device.secret,
          clientId: `${String(command.clientPrefix)}-${i}`,
          localAddress: sources[i % sources.length],
        });
        publishers.push({ client, topic: deviceTopic(device.id, 'telemetry'), draws: drawsFor(device.kind), seq: Number(command.seqStart ?? 0), remaining: 0, inflight: 0 });
      }
      return { type: 'connected', connected: publishers.length };
    }
    case 'publish': {
      window = Number(command.window);
      sent = acked = failed = 0;
      firstSentAt = lastAckedAt = 0;
      ackMs = [];
      firstError = undefined;
      target = publishers.length * Number(command.messagesPerDevice);
      for (const p of publishers) p.remaining = Number(command.messagesPerDevice);
      for (const p of publishers) pump(p);
      return { type: 'publishing' };
    }
    case 'progress':
      return { type: 'progress', sent, acked, failed };
    case 'finish': {
      if (acked + failed < target) {
        const finished = new Promise<void>((resolve) => (done = resolve));
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([finished, new Promise<void>((resolve) => (timer = setTimeout(resolve, Number(command.timeoutMs))))]);
        clearTimeout(timer);
        done = undefined;
      }
      return { type: 'finished', sent, acked, failed, firstError, firstSentAt, lastAckedAt, ackMs: summarise(ackMs) };
    }
    case 'close':
      await Promise.all(publishers.splice(0).map((p) => endClient(p.client)));
      return { type: 'closed' };
    default:
      throw new Error(`unknown command ${String(command.cmd)}`);
  }
});
