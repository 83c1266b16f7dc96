/**
 * Child process: holds many idle MQTT connections for the memory-per-connection measure, so the
 * clients' own memory is never counted as the broker's. Commands: `connect` {url, usernames? | count,
 * password?, clientPrefix, concurrency, sources?} → `connected` {connected, failed, ms, total}; `close` →
 * `closed`. Connection i comes from source address `sources[i % sources.length]`.
 */
import type { MqttClient } from 'mqtt';
import { epochNow, serveCommands } from './child.ts';
import { endClient, openIdle, type Endpoint } from './mqtt-load.ts';

const clients: MqttClient[] = [];
let opened = 0;

serveCommands(async (command) => {
  if (command.cmd === 'connect') {
    const url = String(command.url);
    const usernames = command.usernames as string[] | undefined;
    const count = usernames?.length ?? Number(command.count);
    const password = command.password as string | undefined;
    const prefix = String(command.clientPrefix ?? 'idle');
    const sources = (command.sources as string[] | undefined) ?? [];
    const endpoints: Endpoint[] = Array.from({ length: count }, (_, i) => ({
      url,
      clientId: `${prefix}-${opened + i}`,
      ...(sources.length ? { localAddress: sources[i % sources.length]! } : {}),
      ...(usernames ? { username: usernames[i]!, password } : {}),
    }));
    opened += count;
    const started = epochNow();
    const outcome = await openIdle(endpoints, Number(command.concurrency ?? 100), clients);
    return { type: 'connected', ...outcome, ms: epochNow() - started, total: clients.length };
  }
  if (command.cmd === 'close') {
    const closing = clients.splice(0);
    const ended = Promise.all(closing.map(endClient));
    const timedOut = await Promise.race([ended.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 10_000))]);
    if (timedOut) for (const client of closing) client.end(true);
    return { type: 'closed', count: closing.length };
  }
  throw new Error(`unknown command ${String(command.cmd)}`);
});
