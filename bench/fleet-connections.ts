/**
 * Child process: a city fleet of real MQTT connections that report. It opens the connections like the
 * idle-connection machinery (`connectClient` of mqtt-load, bounded concurrency, many loopback source
 * addresses) and gives every connection, as it connects, its own timer publishing valid telemetry (QoS 1)
 * once per period; the first reports are spread evenly over one period from the start of the connecting,
 * so the fleet sends `connections / period` messages per second.
 *
 * Commands:
 * - `connect` {url, usernames, password, clientPrefix, concurrency, sources, reportEveryMs?, topicPrefix?}
 *   → `connected` {connected, failed, ms, total, reportingSince (epoch ms)}
 * - `stats` → `stats` {sent, acked, failed, ackMs: {p50, p90, p99, max}} since the previous `stats`
 * - `close` → `closed` (timers stopped, connections ended)
 *
 * The payload is a door contact's telemetry, `{"seq":n,"ts":epochMs,"values":{"battery":b}}`, with a
 * battery level fixed per device (so only the first reading is news to dashboards).
 */
import type { MqttClient } from 'mqtt';
import { epochNow, serveCommands } from './child.ts';
import { connectClient, endClient, type Endpoint } from './mqtt-load.ts';
import { summarise } from './stats.ts';

const clients: MqttClient[] = [];
const timers: NodeJS.Timeout[] = [];
let opened = 0;
let sent = 0;
let acked = 0;
let failed = 0;
let ackMs: number[] = [];

function report(client: MqttClient, topic: string, battery: number, seq: { n: number }): void {
  if (!client.connected) return;
  const payload = `{"seq":${++seq.n},"ts":${Date.now()},"values":{"battery":${battery}}}`;
  const at = epochNow();
  sent++;
  client.publish(topic, payload, { qos: 1 }, (err) => {
    if (err) failed++;
    else {
      acked++;
      if (ackMs.length < 200_000) ackMs.push(epochNow() - at);
    }
  });
}

/** Arms connection `i` of `total`: its first report is due at `startAt + i·period/total`, then one per period. */
function arm(client: MqttClient, i: number, total: number, startAt: number, periodMs: number, topicPrefix: string): void {
  const topic = `${topicPrefix}${client.options.username}/telemetry`;
  const battery = 60 + (i % 40);
  const seq = { n: 0 };
  const first = setTimeout(
    () => {
      report(client, topic, battery, seq);
      timers.push(setInterval(() => report(client, topic, battery, seq), periodMs));
    },
    Math.max(0, startAt + (i * periodMs) / total - epochNow()),
  );
  timers.push(first);
}

serveCommands(async (command) => {
  switch (command.cmd) {
    case 'connect': {
      const url = String(command.url);
      const usernames = command.usernames as string[];
      const password = String(command.password);
      const prefix = String(command.clientPrefix ?? 'fleet');
      const sources = (command.sources as string[] | undefined) ?? [];
      const periodMs = command.reportEveryMs === undefined ? undefined : Number(command.reportEveryMs);
      const topicPrefix = String(command.topicPrefix ?? '');
      const endpoints: Endpoint[] = usernames.map((username, i) => ({
        url,
        clientId: `${prefix}-${opened + i}`,
        username,
        password,
        ...(sources.length ? { localAddress: sources[i % sources.length]! } : {}),
      }));
      opened += endpoints.length;
      // As `openIdle` does (at most `concurrency` connecting at once), arming each connection's timer as it connects.
      const startAt = epochNow();
      let next = 0;
      let connected = 0;
      let failedConnects = 0;
      let firstError: string | undefined;
      const worker = async () => {
        while (next < endpoints.length) {
          const i = next++;
          try {
            const client = await connectClient(endpoints[i]!);
            clients.push(client);
            connected++;
            if (periodMs) arm(client, i, endpoints.length, startAt, periodMs, topicPrefix);
          } catch (error) {
            failedConnects++;
            firstError ??= error instanceof Error ? error.message : String(error);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(Number(command.concurrency ?? 100), endpoints.length) }, worker));
      return { type: 'connected', connected, failed: failedConnects, ...(firstError ? { firstError } : {}), ms: epochNow() - startAt, total: clients.length, reportingSince: startAt };
    }
    case 'stats': {
      const s = summarise(ackMs);
      const answer = { type: 'stats', sent, acked, failed, ackMs: { count: s.count, p50: s.p50, p90: s.p90, p99: s.p99, max: s.max } };
      sent = acked = failed = 0;
      ackMs = [];
      return answer;
    }
    case 'close': {
      for (const timer of timers.splice(0)) clearTimeout(timer);
      const closing = clients.splice(0);
      const ended = Promise.all(closing.map(endClient));
      const timedOut = await Promise.race([ended.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 15_000))]);
      if (timedOut) for (const client of closing) client.end(true);
      return { type: 'closed', count: closing.length };
    }
    default:
      throw new Error(`unknown command ${String(command.cmd)}`);
  }
});
