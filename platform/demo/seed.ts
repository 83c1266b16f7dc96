/**
 * The demo street: one urban and one rural community with grids, buildings on the schematic, workers,
 * logins and 37 devices of every kind. Seeded through the public HTTP API, as an integrator would.
 */
import type { Building, Community, DeviceKind, Grid, ProvisionedDevice, Worker, WorkerCreate } from '../../contract/index.ts';
import type { DeviceCredentials } from '../../simulators/credentials.ts';
import type { ApiClient } from '../../simulators/provision.ts';
import { seedCare } from './seed-care.ts';
import { seedKiosks } from './seed-kiosks.ts';
import { seedRequests } from './seed-requests.ts';

export const DEMO_PASSWORD = 'anju-demo';

interface BuildingPlan {
  code: string;
  name: string;
  grid: number;
  position: { x: number; y: number };
  floors: number;
  /** Units (单元) side by side; residential blocks have several. */
  units?: number;
  devices: [DeviceKind, number][];
}

interface CommunityPlan {
  code: string;
  name: string;
  kind: 'urban' | 'rural';
  grids: string[];
  buildings: BuildingPlan[];
  workers: (Omit<WorkerCreate, 'communityId' | 'gridIds'> & { grids: number[]; login?: string })[];
}

const PLAN: CommunityPlan[] = [
  {
    code: 'xfl',
    name: '幸福里社区',
    kind: 'urban',
    grids: ['第一网格', '第二网格'],
    buildings: [
      { code: 'b1', name: '1号楼', grid: 0, position: { x: 120, y: 110 }, floors: 18, units: 3, devices: [['smoke_detector', 2], ['gas_detector', 1], ['door_contact', 1], ['emergency_button', 1], ['water_meter', 1]] },
      { code: 'b2', name: '2号楼', grid: 0, position: { x: 300, y: 110 }, floors: 18, units: 3, devices: [['smoke_detector', 2], ['gas_detector', 1], ['door_contact', 1]] },
      { code: 'b3', name: '3号楼', grid: 1, position: { x: 120, y: 300 }, floors: 11, units: 2, devices: [['smoke_detector', 2], ['gas_detector', 1], ['door_contact', 1], ['emergency_button', 1]] },
      { code: 'b4', name: '4号楼', grid: 1, position: { x: 300, y: 300 }, floors: 11, units: 2, devices: [['smoke_detector', 2], ['gas_detector', 1], ['door_contact', 1]] },
      { code: 'gar', name: '地下车库', grid: 1, position: { x: 480, y: 300 }, floors: 1, devices: [['flood_sensor', 2], ['electrical_monitor', 1]] },
      { code: 'ctr', name: '社区服务中心', grid: 0, position: { x: 480, y: 110 }, floors: 3, devices: [['kiosk', 2], ['electrical_monitor', 1], ['smoke_detector', 1]] },
    ],
    workers: [
      { name: '王芳', position: 'grid_worker', grids: [0], login: 'wangfang' },
      { name: '李强', position: 'grid_worker', grids: [1], login: 'liqiang' },
      { name: '赵敏', position: 'grid_leader', grids: [0, 1] },
      { name: '陈刚', position: 'duty_officer', grids: [] },
      { name: '街道应急中心', position: 'emergency_centre', grids: [] },
    ],
  },
  {
    code: 'tyc',
    name: '桃源村',
    kind: 'rural',
    grids: ['桃源网格'],
    buildings: [
      { code: 'cwh', name: '村委会', grid: 0, position: { x: 150, y: 120 }, floors: 2, devices: [['kiosk', 1], ['smoke_detector', 1]] },
      { code: 'lnz', name: '老年活动中心', grid: 0, position: { x: 350, y: 120 }, floors: 1, devices: [['emergency_button', 2], ['smoke_detector', 1]] },
      { code: 'zjy', name: '张家院', grid: 0, position: { x: 150, y: 300 }, floors: 2, devices: [['gas_detector', 1], ['door_contact', 1], ['emergency_button', 1], ['water_meter', 1]] },
      { code: 'ljy', name: '李家院', grid: 0, position: { x: 350, y: 300 }, floors: 2, devices: [['smoke_detector', 1], ['flood_sensor', 1]] },
    ],
    workers: [
      { name: '刘洋', position: 'grid_worker', grids: [0], login: 'liuyang' },
      { name: '孙丽', position: 'grid_leader', grids: [0] },
      { name: '周军', position: 'duty_officer', grids: [] },
    ],
  },
];

const KIND_CODE: Record<DeviceKind, string> = {
  smoke_detector: 'smoke',
  gas_detector: 'gas',
  flood_sensor: 'flood',
  electrical_monitor: 'elec',
  emergency_button: 'sos',
  door_contact: 'door',
  kiosk: 'kiosk',
  broadcast_speaker: 'spk',
  water_meter: 'water',
};

export interface DemoLogin {
  username: string;
  password: string;
  role: string;
  who: string;
}

export async function seedDemo(api: ApiClient): Promise<{ devices: DeviceCredentials[]; logins: DemoLogin[] }> {
  const devices: DeviceCredentials[] = [];
  const logins: DemoLogin[] = [];
  const communityIds: string[] = [];
  for (const plan of PLAN) {
    const community = await api.call<Community>('POST', '/communities', { id: plan.code, name: plan.name, kind: plan.kind });
    communityIds.push(community.id);
    const grids: Grid[] = [];
    for (const [i, name] of plan.grids.entries()) grids.push(await api.call<Grid>('POST', '/grids', { id: `${plan.code}-g${i + 1}`, communityId: community.id, name }));
    for (const b of plan.buildings) {
      const building = await api.call<Building>('POST', '/buildings', {
        id: `${plan.code}-${b.code}`,
        communityId: community.id,
        gridId: grids[b.grid]!.id,
        name: b.name,
        position: b.position,
        floors: b.floors,
        ...(b.units ? { units: b.units } : {}),
      });
      for (const [kind, count] of b.devices) {
        for (let n = 1; n <= count; n++) {
          const floor = Math.min(b.floors, 1 + ((n * 5 + kind.length) % b.floors));
          const unit = b.units ? 1 + ((n + kind.length) % b.units) : undefined;
          const device = await api.call<ProvisionedDevice>('POST', '/devices', {
            id: `${plan.code}-${b.code}-${KIND_CODE[kind]}-${n}`,
            kind,
            communityId: community.id,
            location: { buildingId: building.id, floor, ...(unit ? { unit: String(unit), room: `${floor}0${n}` } : {}) },
          });
          devices.push({ id: device.id, secret: device.secret, kind, communityId: community.id, buildingId: building.id });
        }
      }
    }
    for (const w of plan.workers) {
      const worker = await api.call<Worker>('POST', '/workers', {
        name: w.name,
        communityId: community.id,
        position: w.position,
        gridIds: w.grids.map((g) => grids[g]!.id),
        channels: [],
      });
      if (w.login) {
        await api.call('POST', '/users', { username: w.login, password: DEMO_PASSWORD, role: 'worker', displayName: w.name, workerId: worker.id });
        logins.push({ username: w.login, password: DEMO_PASSWORD, role: 'worker', who: `${w.name}, ${plan.name} ${w.grids.map((g) => plan.grids[g]).join('、')}` });
      }
    }
  }
  await api.call('POST', '/users', { username: 'control', password: DEMO_PASSWORD, role: 'operator', displayName: '街道指挥中心', communityIds });
  logins.unshift({ username: 'control', password: DEMO_PASSWORD, role: 'operator', who: '街道指挥中心 street control room (both communities)' });
  await api.call('POST', '/users', { username: 'vendor', password: DEMO_PASSWORD, role: 'vendor', displayName: '设备厂商 Vendor' });
  logins.push({ username: 'vendor', password: DEMO_PASSWORD, role: 'vendor', who: 'a device vendor (its own devices)' });
  await seedKiosks(api, logins, DEMO_PASSWORD);
  await seedCare(api, DEMO_PASSWORD);
  await seedRequests(api);
  return { devices, logins };
}
