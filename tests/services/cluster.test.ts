/**
 * Cluster mode on a real Redis: two gateway instances (each a whole service on its own data directory,
 * one PostgreSQL) share messages and sessions through mqemitter-redis and aedes-persistence-redis.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from '../../contract/index.ts';
import { seedCommunity, startTestService, type TestService } from '../helpers/service.ts';
import { createTestDatabaseOn } from './pg15.ts';

const redisUrl = process.env.ANJU_TEST_REDIS_URL;
const pgUrl = process.env.ANJU_TEST_PG15_URL;
if (!redisUrl || !pgUrl) throw new Error('ANJU_TEST_REDIS_URL and ANJU_TEST_PG15_URL are set by `npm run test:services`');

let databaseUrl: string;
let a: TestService;
let b: TestService;
const dirs: string[] = [];

async function instance(dataDir?: string): Promise<TestService> {
  const dir = dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'anju-cluster-')));
  if (!dataDir) dirs.push(dir);
  return startTestService({ databaseUrl, env: { ANJU_REDIS_URL: redisUrl!, ANJU_DATA_DIR: dir } });
}

beforeAll(async () => {
  databaseUrl = await createTestDatabaseOn(pgUrl);
  a = await instance();
  b = await instance();
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

const connect = (service: TestService, device: { id: string; secret: string }, clientId: string, clean: boolean) =>
  new Promise<MqttClient>((resolve, reject) => {
    const client = mqtt.connect(`mqtt://127.0.0.1:${service.service.mqttPort}`, { username: device.id, password: device.secret, clientId, clean, protocolVersion: 4, reconnectPeriod: 0 });
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });

const nextCommand = (client: MqttClient) => new Promise<{ id: string; command: string }>((resolve) => client.once('message', (_t, payload) => resolve(JSON.parse(payload.toString()))));

describe('gateway cluster on Redis', () => {
  it('delivers to a device on instance A a command published through instance B', async () => {
    const place = await seedCommunity(a);
    const device = await a.provision({ kind: 'smoke_detector', communityId: place.communityId, gridId: place.gridId });
    const client = await connect(a, device, `cluster-${device.id}`, true);
    await client.subscribeAsync(`anju/v1/devices/${device.id}/commands`, { qos: 1 });
    const received = nextCommand(client);
    const sent = await b.api<Command>('POST', `/devices/${device.id}/commands`, { command: 'self_test' }, b.adminToken);
    expect(sent.status).toBe(202);
    expect(await received).toMatchObject({ id: sent.body.id, command: 'self_test' });
    await client.endAsync();
  });

  it("keeps a persistent session's QoS 1 messages across a restart of its instance", async () => {
    const place = await seedCommunity(a, '持久会话社区');
    const device = await a.provision({ kind: 'kiosk', communityId: place.communityId, gridId: place.gridId });
    const clientId = `persistent-${device.id}`;
    const first = await connect(a, device, clientId, false);
    await first.subscribeAsync(`anju/v1/devices/${device.id}/commands`, { qos: 1 });
    await first.endAsync();
    const sent = await b.api<Command>('POST', `/devices/${device.id}/commands`, { command: 'print_test' }, b.adminToken);
    expect(sent.status).toBe(202);
    // Instance A goes down and comes back on the same data directory.
    const dataDir = a.service.config.dataDir;
    await a.stop();
    a = await instance(dataDir);
    const again = await new Promise<{ client: MqttClient; command: { id: string } }>((resolve, reject) => {
      const client = mqtt.connect(`mqtt://127.0.0.1:${a.service.mqttPort}`, { username: device.id, password: device.secret, clientId, clean: false, protocolVersion: 4, reconnectPeriod: 0 });
      client.once('message', (_t, payload) => resolve({ client, command: JSON.parse(payload.toString()) as { id: string } }));
      client.once('error', reject);
    });
    expect(again.command.id).toBe(sent.body.id);
    await again.client.endAsync();
  });
});
