/** From outside, with nothing but Debian's mosquitto_pub and mosquitto_sub: the device contract holds. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, ProvisionedDevice } from '../../contract/index.ts';
import { createTestDatabaseOn } from './pg15.ts';
import { seedCommunity, startTestService, type TestService } from '../helpers/service.ts';

const run = promisify(execFile);
let t: TestService;
let place: Awaited<ReturnType<typeof seedCommunity>>;
let device: ProvisionedDevice;

beforeAll(async () => {
  t = await startTestService({ databaseUrl: await createTestDatabaseOn() });
  place = await seedCommunity(t);
  device = await t.provision({ kind: 'smoke_detector', communityId: place.communityId, gridId: place.gridId });
});
afterAll(() => t?.stop());

const common = () => ['-h', '127.0.0.1', '-p', String(t.service.mqttPort), '-V', 'mqttv311'];
const pub = (args: string[]) => run('mosquitto_pub', [...common(), ...args]).then(
  (r) => ({ code: 0, out: r.stdout + r.stderr }),
  (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
);

describe('mosquitto clients against Anju', () => {
  it('refuses a wrong secret at CONNECT', async () => {
    const result = await pub(['-u', device.id, '-P', 'wrong', '-q', '1', '-t', `anju/v1/devices/${device.id}/telemetry`, '-m', '{"values":{"battery":50}}']);
    expect(result.code).not.toBe(0);
    expect(result.out.toLowerCase()).toMatch(/bad user name or password|not authori[sz]ed/);
  });

  it('answers a malformed payload on the errors topic', async () => {
    const sub = run('mosquitto_sub', [...common(), '-u', device.id, '-P', device.secret, '-i', 'err-sub', '-t', `anju/v1/devices/${device.id}/errors`, '-C', '1', '-W', '10']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await pub(['-u', device.id, '-P', device.secret, '-q', '1', '-t', `anju/v1/devices/${device.id}/telemetry`, '-m', '{"values":{"temperature":"hot"}}']);
    const { stdout } = await sub;
    expect(JSON.parse(stdout)).toMatchObject({ topic: `anju/v1/devices/${device.id}/telemetry`, error: 'invalid_payload' });
  });

  it("does not let a device publish for another: the connection is closed and nothing is stored", async () => {
    const other = await t.provision({ kind: 'smoke_detector', communityId: place.communityId, gridId: place.gridId });
    const result = await pub(['-u', device.id, '-P', device.secret, '-q', '1', '-t', `anju/v1/devices/${other.id}/events`, '-m', '{"event":"alarm"}']);
    expect(result.code).not.toBe(0);
    await t.service.settle();
    expect((await t.api<Alert[]>('GET', `/alerts?deviceId=${other.id}`, undefined, t.adminToken)).body).toEqual([]);
  });

  it('turns a smoke alarm into a red alert addressed to the grid worker', async () => {
    const result = await pub(['-u', device.id, '-P', device.secret, '-q', '1', '-t', `anju/v1/devices/${device.id}/events`, '-m', '{"event":"alarm","seq":1}']);
    expect(result.code).toBe(0);
    await t.service.settle();
    const alerts = (await t.api<Alert[]>('GET', `/alerts?deviceId=${device.id}`, undefined, t.adminToken)).body;
    expect(alerts.map((a) => [a.level, a.assignees.map((w) => w.workerId)])).toEqual([['red', [place.workerId]]]);
  });
});
