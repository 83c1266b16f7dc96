/**
 * Durable QoS 1: a PUBACK is sent only once the message is in the ingest journal, so `kill -9` in the
 * middle of a burst loses nothing that was acknowledged, and the restart stores nothing twice.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginAnswer, ProvisionedDevice } from '../../contract/index.ts';
import { startChildService, type ChildService } from '../helpers/child-service.ts';
import { createTestDatabase } from '../helpers/database.ts';

const DEVICES = 50;
const PER_DEVICE = 20;
const ADMIN = 'durable-admin-pw';

let dataDir: string;
let databaseUrl: string;
let env: Record<string, string>;
let service: ChildService | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function api<T>(method: string, url: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(`${service!.httpUrl}/api/v1${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'anju-durable-'));
  databaseUrl = await createTestDatabase();
  env = { ANJU_DATA_DIR: dataDir, ANJU_DATABASE_URL: databaseUrl, ANJU_ADMIN_PASSWORD: ADMIN, ANJU_MQTT_PORT: String(await freePort()), ANJU_HTTP_PORT: String(await freePort()) };
  service = await startChildService(env);
});
afterAll(async () => {
  service?.child.kill('SIGKILL');
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('durable QoS 1', () => {
  it('loses no acknowledged message and stores none twice across a kill -9 in the middle of a burst', async () => {
    const { token } = await api<LoginAnswer>('POST', '/auth/login', { username: 'admin', password: ADMIN });
    const community = await api<{ id: string }>('POST', '/communities', { name: '持久社区', kind: 'urban' }, token);
    const devices: ProvisionedDevice[] = [];
    for (let i = 0; i < DEVICES; i++) devices.push(await api<ProvisionedDevice>('POST', '/devices', { kind: 'gas_detector', communityId: community.id }, token));

    const acked = new Set<string>();
    const clients: MqttClient[] = await Promise.all(
      devices.map(
        (d) =>
          new Promise<MqttClient>((resolve, reject) => {
            const client = mqtt.connect(`mqtt://127.0.0.1:${env.ANJU_MQTT_PORT}`, {
              username: d.id,
              password: d.secret,
              clientId: `durable-${d.id}`,
              clean: false,
              protocolVersion: 4,
              reconnectPeriod: 100,
              connectTimeout: 5000,
            });
            client.once('connect', () => resolve(client));
            client.once('error', reject);
          }),
      ),
    );
    for (const client of clients) client.on('error', () => undefined);

    let killed = false;
    let restarted: Promise<ChildService> | undefined;
    const everything = clients.flatMap((client, i) =>
      Array.from({ length: PER_DEVICE }, (_, n) => {
        const seq = n + 1;
        return new Promise<void>((resolve) => {
          client.publish(`anju/v1/devices/${devices[i]!.id}/telemetry`, JSON.stringify({ seq, values: { gas_lel: seq / 10 } }), { qos: 1 }, (err) => {
            if (!err) acked.add(`${devices[i]!.id}/${seq}`);
            // Once some of the burst is acknowledged, the service dies without warning and comes back.
            if (!killed && acked.size >= (DEVICES * PER_DEVICE) / 3) {
              killed = true;
              service!.child.kill('SIGKILL');
              restarted = service!.exited.then(() => startChildService(env));
            }
            resolve();
          });
        });
      }),
    );
    await Promise.all(everything);
    expect(killed).toBe(true);
    service = await restarted!;
    const ackedBeforeEnd = acked.size;
    expect(ackedBeforeEnd).toBe(DEVICES * PER_DEVICE);

    // Wait until the restarted service has stored the whole journal.
    const db = new pg.Client(databaseUrl);
    await db.connect();
    try {
      const deadline = Date.now() + 30_000;
      let stored = 0;
      while (Date.now() < deadline) {
        stored = Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM readings WHERE metric = 'gas_lel'")).rows[0]!.n);
        if (stored >= DEVICES * PER_DEVICE) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const { rows } = await db.query<{ device_id: string; seq: string; n: string }>("SELECT device_id, seq, count(*) AS n FROM readings WHERE metric = 'gas_lel' GROUP BY 1, 2");
      const storedKeys = new Set(rows.map((r) => `${r.device_id}/${r.seq}`));
      const twice = rows.filter((r) => Number(r.n) > 1);
      const lost = [...acked].filter((key) => !storedKeys.has(key));
      expect(twice, 'stored twice').toEqual([]);
      expect(lost, 'acknowledged but lost').toEqual([]);
      expect(rows).toHaveLength(DEVICES * PER_DEVICE);
      const metrics = await (await fetch(`${service.httpUrl}/metrics`)).text();
      console.info(`redeliveries recognised after the restart: ${metrics.match(/anju_mqtt_messages_duplicate_total (\d+)/)?.[1]}`);
    } finally {
      await db.end();
      await Promise.all(clients.map((c) => c.endAsync(true)));
    }
  }, 120_000);

  it('recognises a redelivery after a restart from the journal, and stores it once', async () => {
    const { token } = await api<LoginAnswer>('POST', '/auth/login', { username: 'admin', password: ADMIN });
    const community = await api<{ id: string }>('POST', '/communities', { name: '重发社区', kind: 'urban' }, token);
    const device = await api<ProvisionedDevice>('POST', '/devices', { kind: 'gas_detector', communityId: community.id }, token);
    const publishOnce = async () => {
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${env.ANJU_MQTT_PORT}`, { username: device.id, password: device.secret, protocolVersion: 4, reconnectPeriod: 0 });
      await client.publishAsync(`anju/v1/devices/${device.id}/telemetry`, JSON.stringify({ seq: 77, values: { gas_lel: 7.7 } }), { qos: 1 });
      await client.endAsync();
    };
    await publishOnce();
    // As if the PUBACK had been lost with the process: the device sends the same message again after a restart.
    service!.child.kill('SIGKILL');
    await service!.exited;
    service = await startChildService(env);
    await publishOnce();
    const metrics = await (await fetch(`${service.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/anju_mqtt_messages_duplicate_total 1\b/);
    const db = new pg.Client(databaseUrl);
    await db.connect();
    const count = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM readings WHERE device_id = $1 AND seq = 77', [device.id])).rows[0]!.n);
    const deadline = Date.now() + 10_000;
    while ((await count()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await count()).toBe(1);
    await db.end();
  }, 60_000);
});
