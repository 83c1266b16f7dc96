/**
 * A 20-second PostgreSQL outage in the middle of a QoS 1 telemetry stream: devices keep being
 * acknowledged (the journal holds the data), an alarm still reaches the live stream and pages the grid
 * worker's webhook, /readyz and a blue
 * storage-fault alert report the outage, and afterwards every acknowledged reading is stored exactly once.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent, SystemAlert } from '../../contract/index.ts';
import { startReceiver, type Receiver } from '../helpers/receivers.ts';
import { eventually, seedCommunity, startTestService, type TestService } from '../helpers/service.ts';
import { createTestDatabaseOn } from './pg15.ts';

const run = promisify(execFile);
const ctl = process.env.ANJU_TEST_PG15_CTL;
if (!ctl) throw new Error('ANJU_TEST_PG15_CTL is set by `npm run test:services`');
const pgCtl = (action: 'stop -m fast' | 'start') => run('su', ['postgres', '-s', '/bin/sh', '-c', `${ctl} ${action}`]);

let t: TestService;
let databaseUrl: string;
let webhook: Receiver;

beforeAll(async () => {
  databaseUrl = await createTestDatabaseOn();
  webhook = await startReceiver();
  t = await startTestService({ databaseUrl, storageCheck: { everyMs: 1000, faultAfterMs: 5000 } });
});
afterAll(async () => {
  await pgCtl('start').catch(() => undefined);
  await t?.stop();
  await webhook?.close();
});

describe('storage outage', () => {
  it('acknowledges, alarms and reports through a 20 s outage, then stores every acknowledged reading once', async () => {
    const place = await seedCommunity(t);
    await t.api('PATCH', `/workers/${place.workerId}`, { channels: [{ type: 'webhook', url: `${webhook.url}/worker`, secret: 'outage-secret-123456' }] }, t.adminToken);
    const meter = await t.provision({ kind: 'electrical_monitor', communityId: place.communityId, gridId: place.gridId });
    const button = await t.provision({ kind: 'emergency_button', communityId: place.communityId, gridId: place.gridId });
    const client = await t.connectDevice(meter, { clean: false, clientId: `outage-${meter.id}`, reconnectPeriod: 200 } as never);
    const buttonClient = await t.connectDevice(button);
    const live: LiveEvent[] = [];
    const socket = new WebSocket(`${t.service.httpUrl.replace('http', 'ws')}/api/v1/stream?access_token=${t.adminToken}`);
    socket.on('message', (data) => live.push(JSON.parse(String(data)) as LiveEvent));
    await new Promise((resolve) => socket.once('open', resolve));

    const acked = new Set<number>();
    let seq = 0;
    let streaming = true;
    const stream = (async () => {
      while (streaming) {
        const n = ++seq;
        client.publish(`anju/v1/devices/${meter.id}/telemetry`, JSON.stringify({ seq: n, values: { residual_current_ma: 5 + (n % 10), cable_temp_c: 30 } }), { qos: 1 }, (err) => {
          if (!err) acked.add(n);
        });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    await new Promise((resolve) => setTimeout(resolve, 3000));
    await pgCtl('stop -m fast');
    const downAt = Date.now();
    const ackedAtStop = acked.size;

    // During the outage: still acknowledged, not ready, an alarm reaches the live stream.
    await eventually(async () => ((await fetch(`${t.service.httpUrl}/readyz`)).status === 503 ? true : undefined), 10_000);
    await buttonClient.publishAsync(`anju/v1/devices/${button.id}/events`, JSON.stringify({ event: 'sos' }), { qos: 1 });
    const provisional = await eventually(async () => live.find((e) => e.type === 'alert.raised' && e.alert.deviceId === button.id), 10_000);
    expect(provisional.type === 'alert.raised' && provisional.alert.id).toMatch(/^provisional-/);
    const page = await eventually(async () => webhook.requests.find((r) => (r.json as { alert?: { deviceId?: string } }).alert?.deviceId === button.id), 10_000);
    expect((page.json as { alert: { id: string } }).alert.id).toMatch(/^provisional-/);
    const fault = await eventually(async () => live.find((e) => e.type === 'system.alert' && e.alert.code === 'storage_fault' && !e.alert.clearedAt), 15_000);
    expect((fault as { alert: SystemAlert }).alert.level).toBe('blue');
    expect((await fetch(`${t.service.httpUrl}/healthz`)).status).toBe(200);
    while (Date.now() - downAt < 20_000) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(acked.size).toBeGreaterThan(ackedAtStop + 500);

    await pgCtl('start');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    streaming = false;
    await stream;
    await eventually(async () => (acked.size === seq ? true : undefined), 20_000);
    await eventually(async () => ((await fetch(`${t.service.httpUrl}/readyz`)).status === 200 ? true : undefined), 20_000);
    await t.service.settle();

    const db = new pg.Client(databaseUrl);
    await db.connect();
    try {
      const { rows } = await db.query<{ seq: string; n: string }>(`SELECT seq, count(*) AS n FROM readings WHERE device_id = $1 AND metric = 'residual_current_ma' GROUP BY seq`, [meter.id]);
      const stored = new Map(rows.map((r) => [Number(r.seq), Number(r.n)]));
      expect([...stored.values()].filter((n) => n !== 1), 'stored twice').toEqual([]);
      expect([...acked].filter((n) => !stored.has(n)), 'acknowledged but lost').toEqual([]);
      // The alarm sent during the outage is recorded once storage is back, and the fault is on record.
      const { rows: alerts } = await db.query<{ rule_id: string }>('SELECT rule_id FROM alerts WHERE device_id = $1', [button.id]);
      expect(alerts.map((a) => a.rule_id)).toEqual(['emergency_button.sos']);
      await eventually(async () => ((await db.query("SELECT 1 FROM system_alerts WHERE code = 'storage_fault' AND cleared_at IS NOT NULL")).rowCount ? true : undefined), 15_000);
    } finally {
      await db.end();
      socket.close();
    }
  }, 120_000);
});
