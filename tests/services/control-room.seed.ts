/**
 * The stage of the control-room browser tests: one urban community with two grids, five buildings
 * positioned on the schematic (floors × units), a grid worker per grid (王芳 with a login and a webhook
 * that answers, so the timeline shows delivered pages), an operator login, and eight devices placed by
 * floor and unit, every one connected as a simulated device (so they are online), the alarming smoke
 * detector with a day of readings behind it (so its page has charts).
 */
import type { MqttClient } from 'mqtt';
import type { DeviceCreate, ProvisionedDevice } from '../../contract/index.ts';
import { SimulatedDevice } from '../../simulators/simulated-device.ts';
import type { TestService } from '../helpers/service.ts';

export const COMMUNITY = '幸福里社区';
export const PASSWORD = 'e2e-password-123';
/** The operator (control room) and the grid worker of grid 1. */
export const LOGINS = { operator: 'control', worker: 'wangfang' } as const;
export const WORKER_NAME = '王芳';
export const OPERATOR_NAME = '张伟';

export interface Street {
  communityId: string;
  grids: { first: string; second: string };
  buildings: Record<'b1' | 'b2' | 'b3' | 'b4' | 'centre', { id: string; name: string }>;
  workerId: string;
  /** The smoke detector on floor 3, unit 1 of 1号楼 that alarms in the tests. */
  smoke: SimulatedDevice & { name: string };
  devices: (SimulatedDevice & { name: string })[];
}

async function ok<T>(t: TestService, method: string, url: string, body: unknown): Promise<T> {
  const answer = await t.api<T>(method, url, body, t.adminToken);
  if (answer.status >= 300) throw new Error(`${method} ${url} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/**
 * A day of readings every 20 minutes for `device`, ending a minute ago: a gentle daily temperature
 * curve, clean air and a battery draining slowly (all within the kind's normal ranges, so no rule fires).
 */
async function backfillSmokeHistory(client: MqttClient, deviceId: string, now = Date.now()): Promise<void> {
  const points = 72;
  for (let i = points; i >= 1; i--) {
    const ts = now - 60_000 - (i - 1) * 20 * 60_000;
    const hour = new Date(ts).getUTCHours() + 8;
    const values = {
      smoke_obscuration: Math.round((0.04 + 0.03 * Math.sin(i / 5)) * 1000) / 1000,
      temperature: Math.round((23 + 2.5 * Math.sin(((hour - 9) / 24) * 2 * Math.PI)) * 10) / 10,
      battery: Math.round((97 - (points - i) * 0.02) * 10) / 10,
    };
    await client.publishAsync(`anju/v1/devices/${deviceId}/telemetry`, JSON.stringify({ ts, values }), { qos: 1 });
  }
}

export async function seedStreet(t: TestService, webhookUrl: string): Promise<Street> {
  const community = await ok<{ id: string }>(t, 'POST', '/communities', { name: COMMUNITY, kind: 'urban' });
  const first = await ok<{ id: string }>(t, 'POST', '/grids', { communityId: community.id, name: '幸福里一网格' });
  const second = await ok<{ id: string }>(t, 'POST', '/grids', { communityId: community.id, name: '幸福里二网格' });
  const building = async (name: string, gridId: string, x: number, y: number, floors: number, units: number) => ({
    id: (await ok<{ id: string }>(t, 'POST', '/buildings', { communityId: community.id, gridId, name, position: { x, y }, floors, units })).id,
    name,
  });
  const buildings = {
    b1: await building('1号楼', first.id, 110, 70, 6, 2),
    b2: await building('2号楼', first.id, 290, 70, 6, 2),
    b3: await building('3号楼', second.id, 470, 70, 11, 3),
    b4: await building('4号楼', second.id, 110, 210, 11, 3),
    centre: await building('社区服务中心', second.id, 330, 210, 2, 1),
  };

  const worker = await ok<{ id: string }>(t, 'POST', '/workers', {
    communityId: community.id,
    name: WORKER_NAME,
    position: 'grid_worker',
    gridIds: [first.id],
    phone: '13800000001',
    channels: [{ type: 'webhook', url: `${webhookUrl}/wangfang`, secret: 'e2e-webhook-secret' }],
  });
  await ok(t, 'POST', '/workers', {
    communityId: community.id,
    name: '李强',
    position: 'grid_worker',
    gridIds: [second.id],
    channels: [{ type: 'webhook', url: `${webhookUrl}/liqiang`, secret: 'e2e-webhook-secret' }],
  });
  await ok(t, 'POST', '/users', { username: LOGINS.worker, password: PASSWORD, role: 'worker', workerId: worker.id, displayName: WORKER_NAME });
  await ok(t, 'POST', '/users', { username: LOGINS.operator, password: PASSWORD, role: 'operator', communityIds: [community.id], displayName: OPERATOR_NAME });

  const placed: [string, Omit<DeviceCreate, 'communityId'>][] = [
    ['1号楼3层烟感', { kind: 'smoke_detector', gridId: first.id, location: { buildingId: buildings.b1.id, floor: 3, unit: '1', room: '302' } }],
    ['1号楼5层烟感', { kind: 'smoke_detector', gridId: first.id, location: { buildingId: buildings.b1.id, floor: 5, unit: '2', room: '502' } }],
    ['1号楼201呼叫器', { kind: 'emergency_button', gridId: first.id, location: { buildingId: buildings.b1.id, floor: 2, unit: '1', room: '201' } }],
    ['2号楼厨房燃气', { kind: 'gas_detector', gridId: first.id, location: { buildingId: buildings.b2.id, floor: 1, unit: '2', room: '102' } }],
    ['3号楼车库水浸', { kind: 'flood_sensor', gridId: second.id, location: { buildingId: buildings.b3.id, floor: -1, unit: '1' } }],
    ['3号楼配电间', { kind: 'electrical_monitor', gridId: second.id, location: { buildingId: buildings.b3.id, floor: 1, unit: '3' } }],
    ['4号楼7层烟感', { kind: 'smoke_detector', gridId: second.id, location: { buildingId: buildings.b4.id, floor: 7, unit: '2', room: '702' } }],
    ['服务中心烟感', { kind: 'smoke_detector', gridId: second.id, location: { buildingId: buildings.centre.id, floor: 1 } }],
  ];
  const mqttUrl = `mqtt://127.0.0.1:${t.service.mqttPort}`;
  const devices: (SimulatedDevice & { name: string })[] = [];
  for (const [name, input] of placed) {
    const device: ProvisionedDevice = await t.provision({ ...input, name, communityId: community.id } as DeviceCreate);
    const simulated = new SimulatedDevice(
      { id: device.id, secret: device.secret, kind: device.kind, communityId: community.id, buildingId: input.location?.buildingId ?? null },
      { mqttUrl, random: mulberry(devices.length + 1) },
    );
    devices.push(Object.assign(simulated, { name }));
    if (devices.length === 1) {
      const client = await t.connectDevice(device);
      await backfillSmokeHistory(client, device.id);
      await client.endAsync();
    }
  }
  for (const device of devices) {
    await device.connect();
    await device.report();
  }
  return { communityId: community.id, grids: { first: first.id, second: second.id }, buildings, workerId: worker.id, smoke: devices[0]!, devices };
}

/** A small seeded random source, so the simulated readings are the same on every run. */
function mulberry(seed: number): () => number {
  let a = seed * 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
