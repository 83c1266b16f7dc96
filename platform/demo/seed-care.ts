/**
 * The demo's residents: households in the buildings, elderly people living alone or in special
 * difficulty with their emergency contacts, the emergency buttons and door contacts installed in their
 * homes, a month of visit history (one resident left unvisited last month, so the overdue list is not
 * empty), and the facts behind the plan's indicators. Seeded through the HTTP API.
 */
import type { Household, Resident, Worker } from '../../contract/index.ts';
import type { ApiClient } from '../../simulators/provision.ts';
import { addMonths, DAY_MS, monthOf, monthStart } from '../local-time.ts';

interface Person {
  name: string;
  birthYear: number;
  phone: string;
  idNumber?: string;
  livesAlone?: boolean;
  specialDifficulty?: boolean;
  disabled?: boolean;
  careNotes?: string;
  contacts?: { name: string; relation: string; phone: string }[];
}

interface HomePlan {
  id: string;
  communityId: string;
  buildingId: string;
  unit?: string;
  room: string;
  devices: string[];
  people: Person[];
  /** Visited last month (and when this month), or not. */
  visits?: { lastMonthDay?: number; thisMonthDay?: number; worker: string };
}

const HOMES: HomePlan[] = [
  {
    id: 'xfl-b1-1-302',
    communityId: 'xfl',
    buildingId: 'xfl-b1',
    unit: '1',
    room: '302',
    devices: ['xfl-b1-sos-1', 'xfl-b1-door-1', 'xfl-b1-water-1'],
    people: [
      {
        name: '张桂兰',
        birthYear: 1941,
        phone: '13800010001',
        idNumber: '110105194103051226',
        livesAlone: true,
        specialDifficulty: true,
        careNotes: '高血压，独居，行动较慢 / high blood pressure, lives alone, walks slowly',
        contacts: [{ name: '张明', relation: '儿子 son', phone: '13900020001' }],
      },
    ],
    visits: { lastMonthDay: 8, thisMonthDay: 2, worker: 'wangfang' },
  },
  {
    id: 'xfl-b1-2-501',
    communityId: 'xfl',
    buildingId: 'xfl-b1',
    unit: '2',
    room: '501',
    devices: [],
    people: [
      { name: '王秀英', birthYear: 1938, phone: '13800010002', specialDifficulty: true, disabled: true, careNotes: '坐轮椅 / uses a wheelchair', contacts: [{ name: '王丽', relation: '女儿 daughter', phone: '13900020002' }] },
      { name: '刘建国', birthYear: 1936, phone: '13800010003' },
    ],
    visits: { lastMonthDay: 15, worker: 'wangfang' },
  },
  {
    id: 'xfl-b2-3-1101',
    communityId: 'xfl',
    buildingId: 'xfl-b2',
    unit: '3',
    room: '1101',
    devices: ['xfl-b2-door-1'],
    people: [{ name: '赵淑芬', birthYear: 1947, phone: '13800010004', livesAlone: true, specialDifficulty: true, contacts: [{ name: '赵强', relation: '侄子 nephew', phone: '13900020004' }] }],
    // Not visited last month: overdue.
    visits: { worker: 'wangfang' },
  },
  {
    id: 'xfl-b3-1-201',
    communityId: 'xfl',
    buildingId: 'xfl-b3',
    unit: '1',
    room: '201',
    devices: ['xfl-b3-sos-1', 'xfl-b3-door-1'],
    people: [
      {
        name: '李德福',
        birthYear: 1944,
        phone: '13800010005',
        idNumber: '110105194409121213',
        livesAlone: true,
        specialDifficulty: true,
        careNotes: '糖尿病，需按时服药 / diabetic, needs medicine on time',
        contacts: [{ name: '李红', relation: '女儿 daughter', phone: '13900020005' }],
      },
    ],
    visits: { lastMonthDay: 20, worker: 'liqiang' },
  },
  { id: 'xfl-b4-1-601', communityId: 'xfl', buildingId: 'xfl-b4', unit: '1', room: '601', devices: ['xfl-b4-door-1'], people: [{ name: '陈志远', birthYear: 1985, phone: '13800010006' }] },
  {
    id: 'tyc-zjy',
    communityId: 'tyc',
    buildingId: 'tyc-zjy',
    room: '张家院',
    devices: ['tyc-zjy-sos-1', 'tyc-zjy-door-1', 'tyc-zjy-water-1'],
    people: [{ name: '张老汉', birthYear: 1940, phone: '13800010007', livesAlone: true, specialDifficulty: true, contacts: [{ name: '张二娃', relation: '儿子 son', phone: '13900020007' }] }],
    visits: { lastMonthDay: 5, thisMonthDay: 1, worker: 'liuyang' },
  },
  {
    id: 'tyc-ljy',
    communityId: 'tyc',
    buildingId: 'tyc-ljy',
    room: '李家院',
    devices: [],
    people: [{ name: '李婆婆', birthYear: 1943, phone: '13800010008', specialDifficulty: true, contacts: [{ name: '李强', relation: '孙子 grandson', phone: '13900020008' }] }],
    visits: { lastMonthDay: 12, worker: 'liuyang' },
  },
];

/** The facts behind the plan's indicators for the two demo communities. */
const PROFILES = {
  xfl: { residents: 6200, households: 2100, totalFloorAreaM2: 186_000, serviceFacilityAreaM2: 720, commercialServiceAreaM2: 17_500, activityAreaM2: 460 },
  tyc: { residents: 1350, households: 420, totalFloorAreaM2: 52_000, serviceFacilityAreaM2: 260, commercialServiceAreaM2: 1_900, activityAreaM2: 170 },
};
const ORGANISATIONS = {
  xfl: [
    ['夕阳红志愿服务队', '志愿服务'],
    ['幸福里书画社', '文体'],
    ['邻里互助会', '互助'],
    ['银龄健身队', '文体'],
    ['社区调解委员会', '调解'],
    ['四点半课堂', '教育'],
    ['平安巡逻队', '平安'],
  ],
  tyc: [
    ['桃源村老年协会', '养老'],
    ['村民志愿者服务队', '志愿服务'],
    ['桃源秧歌队', '文体'],
  ],
} as const;

const at = (month: string, day: number, hour = 10) => new Date(monthStart(month) + (day - 1) * DAY_MS + hour * 3_600_000);

export async function seedCare(api: ApiClient, workerPassword: string, now = Date.now()): Promise<void> {
  const thisMonth = monthOf(now);
  const lastMonth = addMonths(thisMonth, -1);
  const workers = new Map<string, ApiClient>();
  const asWorker = async (username: string) => {
    if (!workers.has(username)) workers.set(username, await api.as(username, workerPassword));
    return workers.get(username)!;
  };
  for (const home of HOMES) {
    await api.call<Household>('POST', '/households', { id: home.id, communityId: home.communityId, buildingId: home.buildingId, ...(home.unit ? { unit: home.unit } : {}), room: home.room });
    for (const deviceId of home.devices) await api.call('PUT', `/households/${home.id}/devices/${deviceId}`);
    for (const person of home.people) {
      const registeredAt = new Date(monthStart(addMonths(thisMonth, -6))).toISOString();
      const resident = await api.call<Resident>('POST', '/residents', { householdId: home.id, registeredAt, ...person });
      if (!person.specialDifficulty || !home.visits) continue;
      const worker = await asWorker(home.visits.worker);
      const { lastMonthDay, thisMonthDay } = home.visits;
      if (lastMonthDay) await worker.call('POST', '/visits', { residentId: resident.id, visitedAt: at(lastMonth, lastMonthDay).toISOString(), outcome: 'well', note: '身体状况良好，已提醒按时服药' });
      if (thisMonthDay && at(thisMonth, thisMonthDay).getTime() < now) {
        await worker.call('POST', '/visits', { residentId: resident.id, visitedAt: at(thisMonth, thisMonthDay).toISOString(), outcome: 'needs_help', note: '家中水龙头漏水，已报修', followUp: true });
      }
    }
  }
  for (const [communityId, profile] of Object.entries(PROFILES)) await api.call('PATCH', `/communities/${communityId}/profile`, profile);
  for (const [communityId, list] of Object.entries(ORGANISATIONS)) {
    for (const [name, kind] of list) await api.call('POST', '/social-organisations', { communityId, name, kind });
  }
  // One in five community workers of 幸福里 holds the social-worker certificate.
  const staff = await api.call<Worker[]>('GET', '/workers?communityId=xfl');
  const certified = staff.find((w) => w.position === 'grid_leader');
  if (certified) await api.call('PATCH', `/workers/${certified.id}`, { socialWorkerCertified: true });
}
