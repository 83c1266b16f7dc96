/**
 * The platform behind an external MQTT broker (mosquitto here, EMQX in production): two instances
 * consume one shared subscription, so every device message is stored exactly once; answers and commands
 * reach the devices through the external broker.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from '../../contract/index.ts';
import { eventually, seedCommunity, startTestService, type TestService } from '../helpers/service.ts';
import { createTestDatabaseOn } from './pg15.ts';

const brokerUrl = process.env.ANJU_TEST_MOSQUITTO_URL;
if (!brokerUrl) throw new Error('ANJU_TEST_MOSQUITTO_URL is set by `npm run test:services`');

let databaseUrl: string;
const instances: TestService[] = [];
const dirs: string[] = [];
const devices: MqttClient[] = [];

beforeAll(async () => {
  databaseUrl = await createTestDatabaseOn();
  for (let i = 0; i < 2; i++) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'anju-upstream-'));
    dirs.push(dir);
    instances.push(await startTestService({ databaseUrl, env: { ANJU_DATA_DIR: dir, ANJU_MQTT_UPSTREAM_URL: brokerUrl! } }));
  }
  await eventually(async () => {
    for (const instance of instances) {
      const ready = (await instance.service.app.inject({ method: 'GET', url: '/readyz' })).json() as { status: string };
      if (ready.status !== 'ready') return undefined;
    }
    return true;
  }, 10_000);
});
afterAll(async () => {
  await Promise.all(devices.map((d) => d.endAsync(true)));
  for (const instance of instances) await instance.stop();
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

const onBroker = (clientId: string) => mqtt.connectAsync(brokerUrl!, { clientId, protocolVersion: 4, reconnectPeriod: 0 }).then((c) => (devices.push(c), c));

describe('behind an external MQTT cluster', () => {
  it('stores each device message exactly once across instances sharing the subscription', async () => {
    const [a] = instances;
    const place = await seedCommunity(a!);
    const device = await a!.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId });
    const client = await onBroker(`dev-${device.id}`);
    for (let seq = 1; seq <= 100; seq++) await client.publishAsync(`anju/v1/devices/${device.id}/telemetry`, JSON.stringify({ seq, values: { gas_lel: 1 } }), { qos: 1 });
    const db = new pg.Client(databaseUrl);
    await db.connect();
    try {
      const rows = await eventually(async () => {
        const { rows: r } = await db.query<{ seq: string; n: string }>('SELECT seq, count(*) AS n FROM readings WHERE device_id = $1 GROUP BY seq', [device.id]);
        return r.length === 100 ? r : undefined;
      }, 15_000);
      expect(rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
      const perInstance = await Promise.all(instances.map(async (i) => Number(/anju_mqtt_messages_accepted_total\{channel="telemetry",kind="gas_detector"\} (\d+)/.exec(await (await fetch(`${i.service.httpUrl}/metrics`)).text())?.[1] ?? 0)));
      expect(perInstance.reduce((x, y) => x + y, 0)).toBe(100);
    } finally {
      await db.end();
    }
  });

  it('answers a malformed payload on the errors topic through the external broker', async () => {
    const [a] = instances;
    const place = await seedCommunity(a!, '外部错误社区');
    const device = await a!.provision({ kind: 'smoke_detector', communityId: place.communityId, gridId: place.gridId });
    const client = await onBroker(`dev-${device.id}`);
    await client.subscribeAsync(`anju/v1/devices/${device.id}/errors`);
    const error = new Promise<string>((resolve) => client.once('message', (_t, p) => resolve(p.toString())));
    await client.publishAsync(`anju/v1/devices/${device.id}/events`, JSON.stringify({ event: 'explode' }), { qos: 1 });
    expect(JSON.parse(await error)).toMatchObject({ error: 'unknown_event' });
  });

  it('sends commands through the external broker and records the reply', async () => {
    const [a, b] = instances;
    const place = await seedCommunity(a!, '外部命令社区');
    const device = await a!.provision({ kind: 'smoke_detector', communityId: place.communityId, gridId: place.gridId });
    const client = await onBroker(`dev-${device.id}`);
    await client.subscribeAsync(`anju/v1/devices/${device.id}/commands`, { qos: 1 });
    client.on('message', (_t, payload) => {
      const command = JSON.parse(payload.toString()) as { id: string };
      void client.publishAsync(`anju/v1/devices/${device.id}/replies`, JSON.stringify({ id: command.id, status: 'ok' }), { qos: 1 });
    });
    const sent = await b!.api<Command>('POST', `/devices/${device.id}/commands`, { command: 'self_test' }, b!.adminToken);
    const done = await eventually(async () => {
      const { body } = await a!.api<Command>('GET', `/devices/${device.id}/commands/${sent.body.id}`, undefined, a!.adminToken);
      return body.status === 'sent' ? undefined : body;
    });
    expect(done.status).toBe('succeeded');
  });
});
