/** The simulators drive a real fleet over MQTT; their scenarios raise the alerts they promise. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../contract/index.ts';
import { startFleet, type Fleet } from '../../simulators/fleet.ts';
import { ApiClient, provisionFleet } from '../../simulators/provision.ts';
import { castScenario, runScenario, SCENARIOS } from '../../simulators/scenarios.ts';
import { REPO } from '../helpers/child-service.ts';
import { ADMIN_PASSWORD, eventually, startTestService, type TestService } from '../helpers/service.ts';

let t: TestService;
let fleet: Fleet;
const fast = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms / 50));

beforeAll(async () => {
  t = await startTestService();
  const api = new ApiClient(t.service.httpUrl);
  await api.login('admin', ADMIN_PASSWORD);
  const credentials = await provisionFleet(api, { count: 14 });
  fleet = await startFleet(credentials, { mqttUrl: `mqtt://127.0.0.1:${t.service.mqttPort}`, rate: 20 });
});
afterAll(async () => {
  await fleet?.stop();
  await t?.stop();
});

const alertsOf = async (deviceId: string) => (await t.api<Alert[]>('GET', `/alerts?deviceId=${deviceId}`, undefined, t.adminToken)).body;

describe('simulators', () => {
  it('keeps every device of the fleet reporting valid telemetry', async () => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await t.service.settle();
    for (const device of fleet.devices) {
      const field = Object.keys(device.kind.metrics)[0]!;
      const { body } = await t.api<{ points: unknown[] }>('GET', `/devices/${device.id}/telemetry?metric=${field}`, undefined, t.adminToken);
      expect(body.points.length, `${device.id} (${device.kind.kind})`).toBeGreaterThan(0);
    }
    const letters = await t.api<unknown[]>('GET', '/dead-letters', undefined, t.adminToken);
    expect(letters.body).toEqual([]);
  });

  // Played 50× faster than real time, so the 10-second smoke-obscuration rule has no time to fire here.
  it('plays the fire scenario: two smoke detectors of one building raise red alarms', async () => {
    const cast = castScenario(SCENARIOS.fire!, fleet.devices)!;
    expect(cast[0]!.credentials.buildingId).toBe(cast[1]!.credentials.buildingId);
    await runScenario(SCENARIOS.fire!, cast, fast);
    await t.service.settle();
    for (const device of cast) {
      const levels = (await alertsOf(device.id)).map((a) => `${a.rule}:${a.level}`);
      expect(levels).toContain('smoke_detector.alarm:red');
    }
  });

  it('plays the flood scenario up to a red water level', async () => {
    const cast = castScenario(SCENARIOS.flood!, fleet.devices)!;
    await runScenario(SCENARIOS.flood!, cast, fast);
    await t.service.settle();
    const levels = (await alertsOf(cast[0]!.id)).map((a) => `${a.rule}:${a.level}`);
    expect(levels).toEqual(expect.arrayContaining(['flood_sensor.water_level_cm:red', 'flood_sensor.leak:yellow']));
  });

  it('plays the kiosk-fault scenario: paper low (blue) then a fault (yellow)', async () => {
    const cast = castScenario(SCENARIOS['kiosk-fault']!, fleet.devices)!;
    await runScenario(SCENARIOS['kiosk-fault']!, cast, fast);
    await t.service.settle();
    const levels = (await alertsOf(cast[0]!.id)).map((a) => `${a.rule}:${a.level}`);
    expect(levels).toEqual(expect.arrayContaining(['kiosk.paper_pct:blue', 'kiosk.fault:yellow']));
  });

  it('runs from the command line: the sos scenario raises a red alert', async () => {
    // Asynchronously: the service under test runs in this process and must keep answering.
    const result = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(REPO, 'simulators/cli.ts'), '--scenario', 'sos', '--devices', '7', '--api', t.service.httpUrl, '--mqtt', `mqtt://127.0.0.1:${t.service.mqttPort}`, '--password', ADMIN_PASSWORD],
      { cwd: REPO, encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.stderr).toBe('');
    const deviceId = /scenario sos: .* \(devices ([^)]+)\)/.exec(result.stdout)?.[1];
    expect(deviceId).toBeDefined();
    const alert = await eventually(async () => (await alertsOf(deviceId!)).find((a) => a.rule === 'emergency_button.sos'));
    expect(alert.level).toBe('red');
  });
});
