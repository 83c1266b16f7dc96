/**
 * Memory per idle connection: a child process opens the connections (so the clients' memory is not the
 * broker's) in two steps, and the broker process's RSS is read before, between and after.
 * - mosquitto: anonymous connections; RSS = VmRSS of the mosquitto process.
 * - Anju: each connection is a device authenticating with its own id; the service runs in this process,
 *   so RSS = this process after a full GC (the load generator is elsewhere), and the embedded PostgreSQL
 *   (separate processes) is reported apart as PSS.
 * Anju's devices are inserted with SQL sharing one precomputed secret hash (see `idleDevices`).
 */
import { randomBytes, scryptSync } from 'node:crypto';
import type { Service } from '../platform/service.ts';
import { type BenchChild, type ChildMessage, epochNow } from './child.ts';
import { ownMemory, rssBytes, treePssBytes } from './proc-stats.ts';

interface Connected extends ChildMessage {
  connected: number;
  failed: number;
  firstError?: string;
  ms: number;
  total: number;
}

export interface IdleSpec {
  connections: number;
  /** Connections opened in the first step; the marginal cost is measured over the rest. */
  firstStep: number;
  concurrency: number;
  timeoutMs: number;
  /** Source addresses the connections are spread over (round-robin). */
  sources: string[];
}

/** A secret hash in the platform's format (`scrypt$N$r$p$salt$hash`); verification reads N from it. */
export function sharedSecretHash(secret: string, N: number): string {
  const salt = randomBytes(16);
  const key = scryptSync(secret, salt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 });
  return `scrypt$${N}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Inserts `count` door contacts with ids `${prefix}-00001…` sharing one secret hash; returns the ids. */
export async function idleDevices(service: Service, communityId: string, prefix: string, count: number, secretHash: string): Promise<string[]> {
  const { rows } = await service.db.query<{ id: string }>(
    `INSERT INTO devices (id, kind, community_id, secret_hash)
     SELECT $1 || '-' || lpad(i::text, 5, '0'), 'door_contact', $2, $3 FROM generate_series(1, $4::int) AS i
     RETURNING id`,
    [prefix, communityId, secretHash, count],
  );
  return rows.map((r) => r.id).sort();
}

const perConnection = (before: number, after: number, connections: number) => (connections > 0 ? Math.round((after - before) / connections) : null);
const mib = (bytes: number) => Number((bytes / 2 ** 20).toFixed(1));

async function connectSteps(idle: BenchChild, spec: IdleSpec, command: (from: number, to: number) => Record<string, unknown>, read: () => Promise<number>) {
  const before = await read();
  const common = { concurrency: spec.concurrency, sources: spec.sources };
  const first = await idle.request<Connected>({ cmd: 'connect', ...command(0, spec.firstStep), ...common }, 'connected', spec.timeoutMs);
  const middle = await read();
  const second = await idle.request<Connected>({ cmd: 'connect', ...command(spec.firstStep, spec.connections), ...common }, 'connected', spec.timeoutMs);
  const after = await read();
  const connected = first.connected + second.connected;
  return {
    before,
    middle,
    after,
    figures: {
      connections: connected,
      failed: first.failed + second.failed,
      ...(first.firstError || second.firstError ? { firstError: first.firstError ?? second.firstError } : {}),
      connectSeconds: Number(((first.ms + second.ms) / 1000).toFixed(2)),
      connectsPerSecond: Math.round((connected * 1000) / (first.ms + second.ms)),
      rssBeforeMiB: mib(before),
      rssAfterMiB: mib(after),
      bytesPerConnection: perConnection(before, after, connected),
      marginalBytesPerConnection: perConnection(middle, after, second.connected),
    },
  };
}

async function closeAll(idle: BenchChild): Promise<void> {
  await idle.request({ cmd: 'close' }, 'closed', 30_000);
}

export async function mosquittoIdle(idle: BenchChild, broker: { url: string; pid: number }, spec: IdleSpec) {
  const read = async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    return rssBytes(broker.pid);
  };
  const { figures } = await connectSteps(idle, spec, (from, to) => ({ url: broker.url, count: to - from, clientPrefix: 'idle-mosquitto' }), read);
  await closeAll(idle);
  return figures;
}

export async function anjuIdle(idle: BenchChild, service: Service, postgresPid: number, communityId: string, spec: IdleSpec & { hashN: number }) {
  const secret = 'bench-idle-shared-secret';
  const hashStarted = epochNow();
  const ids = await idleDevices(service, communityId, 'bench-idle', spec.connections, sharedSecretHash(secret, spec.hashN));
  const insertSeconds = Number(((epochNow() - hashStarted) / 1000).toFixed(2));
  let heap = { before: 0, after: 0 };
  const read = async () => {
    await service.settle();
    const own = await ownMemory();
    heap = { before: heap.before || own.heapUsedBytes, after: own.heapUsedBytes };
    return own.rssBytes;
  };
  const postgresBefore = await treePssBytes(postgresPid);
  const url = `mqtt://127.0.0.1:${service.mqttPort}`;
  const { figures } = await connectSteps(idle, spec, (from, to) => ({ url, usernames: ids.slice(from, to), password: secret, clientPrefix: 'idle-anju' }), read);
  const postgresAfter = await treePssBytes(postgresPid);
  await closeAll(idle);
  // Presence goes offline after a grace period; let those writes finish before anything else runs.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await service.settle();
  return {
    ...figures,
    heapUsedBytesPerConnection: perConnection(heap.before, heap.after, figures.connections),
    postgres: {
      processes: postgresAfter.processes,
      pssBeforeMiB: mib(postgresBefore.pssBytes),
      pssAfterMiB: mib(postgresAfter.pssBytes),
      bytesPerConnection: perConnection(postgresBefore.pssBytes, postgresAfter.pssBytes, figures.connections),
    },
    devices: `${spec.connections} door contacts inserted with SQL in ${insertSeconds} s, sharing one secret hash with scrypt N=${spec.hashN} (the platform's default is N=16384); each still authenticates through scrypt on its first connection`,
  };
}

/** Connections per second when every device's hash has the platform's default cost (scrypt N=16384, at most 2 at once). */
export async function anjuAuthRate(idle: BenchChild, service: Service, communityId: string, count: number, sources: string[]) {
  const secret = 'bench-auth-shared-secret';
  const ids = await idleDevices(service, communityId, 'bench-auth', count, sharedSecretHash(secret, 16384));
  const result = await idle.request<Connected>(
    { cmd: 'connect', url: `mqtt://127.0.0.1:${service.mqttPort}`, usernames: ids, password: secret, clientPrefix: 'auth-anju', concurrency: 100, sources },
    'connected',
    120_000,
  );
  await closeAll(idle);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await service.settle();
  const rate = (result.connected * 1000) / result.ms;
  return {
    connections: result.connected,
    failed: result.failed,
    connectsPerSecond: Math.round(rate),
    projectedSecondsFor10000: Math.round(10_000 / rate),
  };
}
