/** The service on an external PostgreSQL (Debian's 15) through ANJU_DATABASE_URL: the same SQL path. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, TelemetryAnswer } from '../../contract/index.ts';
import { seedCommunity, startTestService, type TestService } from '../helpers/service.ts';
import { createTestDatabaseOn } from './pg15.ts';

const serverUrl = process.env.ANJU_TEST_PG15_URL;
if (!serverUrl) throw new Error('ANJU_TEST_PG15_URL is not set: run these suites with `npm run test:services`');

let t: TestService;
let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = await createTestDatabaseOn(serverUrl);
  const check = new pg.Client(databaseUrl);
  await check.connect();
  const { rows } = await check.query<{ server_version: string }>('SHOW server_version');
  await check.end();
  expect(rows[0]!.server_version).toMatch(/^15\./);
  t = await startTestService({ databaseUrl });
});
afterAll(() => t?.stop());

describe('external PostgreSQL 15', () => {
  it('migrates, ingests over MQTT, raises alerts and reads telemetry back', async () => {
    const place = await seedCommunity(t);
    const device = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId });
    const client = await t.connectDevice(device);
    for (const gas_lel of [1, 11, 26]) await client.publishAsync(`anju/v1/devices/${device.id}/telemetry`, JSON.stringify({ values: { gas_lel } }), { qos: 1 });
    await t.service.settle();
    const alerts = (await t.api<Alert[]>('GET', `/alerts?deviceId=${device.id}`, undefined, t.adminToken)).body;
    expect(alerts.map((a) => [a.level, a.assignees.map((w) => w.workerId)])).toEqual([['red', [place.workerId]]]);
    const stored = (await t.api<TelemetryAnswer>('GET', `/devices/${device.id}/telemetry?metric=gas_lel&bucket=1h`, undefined, t.adminToken)).body;
    expect(stored.points).toHaveLength(1);
    expect(stored.points[0]).toMatchObject({ min: 1, max: 26, last: 26, count: 3 });
  });

  it('keeps alerts across a restart on the same database', async () => {
    const before = (await t.api<Alert[]>('GET', '/alerts', undefined, t.adminToken)).body;
    await t.stop();
    t = await startTestService({ databaseUrl });
    const after = (await t.api<Alert[]>('GET', '/alerts', undefined, t.adminToken)).body;
    expect(after).toEqual(before);
  });
});
