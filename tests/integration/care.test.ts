/**
 * Residents and elderly care through the real service: personal data masked by role, the responder's
 * care profile on an alarm, a call the resident cancels, household inactivity, and monthly visits on an
 * injected clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertWithHistory, Household, Resident, VisitDue, VisitRate } from '../../contract/index.ts';
import { runScenario, SCENARIOS } from '../../simulators/scenarios.ts';
import { SimulatedDevice } from '../../simulators/simulated-device.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { startReceiver, type Receiver } from '../helpers/receivers.ts';
import { eventually, seedCommunity, startTestService, type TestService } from '../helpers/service.ts';

// 2026-11-20 10:00 in China (UTC+8).
const clock = new ManualClock(Date.parse('2026-11-20T02:00:00Z'));
let t: TestService;
let webhook: Receiver;
let east: Awaited<ReturnType<typeof seedCommunity>>;
let west: Awaited<ReturnType<typeof seedCommunity>>;
const tokens: Record<'worker' | 'otherGridWorker' | 'eastRoom' | 'westRoom', string> = { worker: '', otherGridWorker: '', eastRoom: '', westRoom: '' };

const PHONE = '13800001234';
const ID_NUMBER = '110101194103051234';
const CONTACT_PHONE = '13900005678';

async function household(communityId: string, buildingId: string, room: string): Promise<Household> {
  const answer = await t.api<Household>('POST', '/households', { communityId, buildingId, unit: '1', room }, t.adminToken);
  expect(answer.status).toBe(201);
  return answer.body;
}

async function resident(householdId: string, name: string, flags: { livesAlone?: boolean; specialDifficulty?: boolean } = {}): Promise<Resident> {
  const body = { householdId, name, birthYear: 1941, phone: PHONE, idNumber: ID_NUMBER, careNotes: '高血压，行动不便', contacts: [{ name: '张明', relation: '儿子', phone: CONTACT_PHONE }], ...flags };
  const answer = await t.api<Resident>('POST', '/residents', body, t.adminToken);
  expect(answer.status).toBe(201);
  return answer.body;
}

async function install(householdId: string, kind: 'emergency_button' | 'door_contact') {
  const device = await t.provision({ kind, communityId: east.communityId, location: { buildingId: east.buildingId, floor: 3 } });
  expect((await t.api('PUT', `/households/${householdId}/devices/${device.id}`, undefined, t.adminToken)).status).toBe(200);
  return { device, client: await t.connectDevice(device) };
}

async function advance(ms: number) {
  clock.advance(ms);
  await t.service.sweep();
  await t.service.settle();
}

beforeAll(async () => {
  webhook = await startReceiver((r) => (r.path === '/robot' ? { status: 200, body: { errcode: 0, errmsg: 'ok' } } : { status: 200, body: { ok: true } }));
  t = await startTestService({ clock, sweepEveryMs: 1000 });
  east = await seedCommunity(t, '东园社区');
  west = await seedCommunity(t, '西岭村');
  await t.api('PATCH', `/workers/${east.workerId}`, { channels: [{ type: 'webhook', url: `${webhook.url}/worker`, secret: 'care-webhook-secret' }, { type: 'wecom', url: `${webhook.url}/robot` }] }, t.adminToken);
  const otherGrid = (await t.api<{ id: string }>('POST', '/grids', { communityId: east.communityId, name: '东园二网格' }, t.adminToken)).body;
  const otherWorker = (await t.api<{ id: string }>('POST', '/workers', { communityId: east.communityId, name: '李强', position: 'grid_worker', gridIds: [otherGrid.id] }, t.adminToken)).body;
  const users = [
    { username: 'wang', role: 'worker', workerId: east.workerId },
    { username: 'li', role: 'worker', workerId: otherWorker.id },
    { username: 'east-room', role: 'operator', communityIds: [east.communityId] },
    { username: 'west-room', role: 'operator', communityIds: [west.communityId] },
  ];
  for (const user of users) expect((await t.api('POST', '/users', { ...user, password: 'care-test-password' }, t.adminToken)).status).toBe(201);
  tokens.worker = (await t.login('wang', 'care-test-password')).token;
  tokens.otherGridWorker = (await t.login('li', 'care-test-password')).token;
  tokens.eastRoom = (await t.login('east-room', 'care-test-password')).token;
  tokens.westRoom = (await t.login('west-room', 'care-test-password')).token;
});
afterAll(async () => {
  await t?.stop();
  await webhook?.close();
});

describe('residents and personal data', () => {
  it('places a household in its building’s grid and shows phone and ID numbers only to those responsible', async () => {
    const home = await household(east.communityId, east.buildingId, '302');
    expect(home).toMatchObject({ gridId: east.gridId, buildingId: east.buildingId, unit: '1', room: '302', inactivity: { periodS: 86_400, source: 'default' } });
    const zhang = await resident(home.id, '张桂兰', { livesAlone: true });

    const asAdmin = (await t.api<Resident>('GET', `/residents/${zhang.id}`, undefined, t.adminToken)).body;
    expect([asAdmin.phone, asAdmin.idNumber, asAdmin.contacts[0]?.phone]).toEqual([PHONE, ID_NUMBER, CONTACT_PHONE]);
    const asOperator = (await t.api<Resident>('GET', `/residents/${zhang.id}`, undefined, tokens.eastRoom)).body;
    expect([asOperator.phone, asOperator.idNumber]).toEqual([PHONE, ID_NUMBER]);
    // The grid worker calls the resident and the family; an ID number is not theirs to see.
    const asWorker = (await t.api<Resident>('GET', `/residents/${zhang.id}`, undefined, tokens.worker)).body;
    expect([asWorker.phone, asWorker.idNumber, asWorker.contacts[0]?.phone]).toEqual([PHONE, '110101********1234', CONTACT_PHONE]);
    expect(asWorker).toMatchObject({ age: 85, livesAlone: true, careNotes: '高血压，行动不便' });
  });

  it('never answers a worker outside the grid or an operator outside the community with a resident', async () => {
    const home = await household(east.communityId, east.buildingId, '303');
    const person = await resident(home.id, '王秀英');
    for (const token of [tokens.otherGridWorker, tokens.westRoom]) {
      expect((await t.api('GET', `/residents/${person.id}`, undefined, token)).status).toBe(404);
      expect((await t.api('GET', `/households/${home.id}`, undefined, token)).status).toBe(404);
      const listed = JSON.stringify((await t.api('GET', '/residents', undefined, token)).body) + JSON.stringify((await t.api('GET', '/households', undefined, token)).body);
      expect(listed).not.toContain(person.id);
      expect(listed).not.toContain(PHONE);
      expect(listed).not.toContain(ID_NUMBER);
    }
    // An operator may not register households in another community.
    const elsewhere = await t.api<{ details: { path: string }[] }>('POST', '/households', { communityId: east.communityId, room: '1' }, tokens.westRoom);
    expect([elsewhere.status, elsewhere.body.details[0]?.path]).toEqual([400, 'communityId']);
    expect((await t.api('POST', '/households', { communityId: east.communityId, room: '1' }, tokens.worker)).status).toBe(403);
  });

  it('validates residents field by field', async () => {
    const home = await household(east.communityId, east.buildingId, '304');
    const bad = await t.api<{ error: string; details: { path: string }[] }>('POST', '/residents', { householdId: home.id, name: '赵', phone: 'call me', idNumber: '12345' }, t.adminToken);
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d) => d.path).sort()).toEqual(['idNumber', 'phone']);
  });
});

describe('emergency calls from a household', () => {
  it('shows the responder who lives there and whom to call, and a cancel within a minute calls it off', async () => {
    const home = await household(east.communityId, east.buildingId, '501');
    await resident(home.id, '刘淑珍', { livesAlone: true });
    const { device, client } = await install(home.id, 'emergency_button');
    await client.publishAsync(`anju/v1/devices/${device.id}/events`, JSON.stringify({ event: 'sos' }), { qos: 1 });
    await t.service.settle();
    const alert = (await t.api<Alert[]>('GET', `/alerts?deviceId=${device.id}`, undefined, t.adminToken)).body[0]!;
    expect(alert).toMatchObject({ level: 'red', status: 'open' });

    const seen = (await t.api<AlertWithHistory>('GET', `/alerts/${alert.id}`, undefined, tokens.worker)).body;
    expect(seen.care).toMatchObject({ householdId: home.id, place: { room: '501' } });
    expect(seen.care!.residents[0]).toMatchObject({ name: '刘淑珍', phone: PHONE, idNumber: '110101********1234', careNotes: '高血压，行动不便' });
    expect(seen.care!.residents[0]!.contacts).toEqual([{ name: '张明', relation: '儿子', phone: CONTACT_PHONE }]);
    // The worker's own webhook carries whom to call; the group robot the same with phones masked; never an ID number.
    const page = await eventually(async () => webhook.requests.find((r) => r.path === '/worker' && (r.json as { alert: { id: string } }).alert?.id === alert.id));
    const paged = (page.json as { care: { residents: { name: string; phone: string; idNumber: string; contacts: { phone: string }[] }[] } }).care.residents[0]!;
    expect([paged.name, paged.phone, paged.idNumber, paged.contacts[0]?.phone]).toEqual(['刘淑珍', PHONE, '110101********1234', CONTACT_PHONE]);
    const robot = await eventually(async () => webhook.requests.find((r) => r.path === '/robot' && r.raw.includes('刘淑珍')));
    expect(robot.raw).toContain('139****5678');
    expect(robot.raw).not.toContain(CONTACT_PHONE);
    expect(robot.raw).not.toContain(PHONE);

    // 20 s later the resident presses cancel: a false alarm, and the worker already paged is told.
    await advance(20_000);
    await client.publishAsync(`anju/v1/devices/${device.id}/events`, JSON.stringify({ event: 'cancel' }), { qos: 1 });
    await t.service.settle();
    const cancelled = (await t.api<AlertWithHistory>('GET', `/alerts/${alert.id}`, undefined, t.adminToken)).body;
    expect(cancelled).toMatchObject({ status: 'resolved', disposition: 'false_alarm' });
    expect(cancelled.history.map((h) => h.action)).toEqual(['raised', 'condition_cleared', 'cancel']);
    await eventually(async () =>
      webhook.requests.find((r) => {
        const body = r.json as { event: string; alert: { id: string; status: string } };
        return body.event === 'alert.updated' && body.alert.id === alert.id && body.alert.status === 'resolved' ? r : undefined;
      }),
    );
    // No escalation for a cancelled call.
    await advance(61_000);
    await advance(1_000);
    expect(webhook.requests.filter((r) => (r.json as { event: string; alert: { id: string } }).alert?.id === alert.id && (r.json as { event: string }).event === 'alert.escalated')).toEqual([]);

    // A cancel two minutes after the call does not call it off: someone must still check.
    await client.publishAsync(`anju/v1/devices/${device.id}/events`, JSON.stringify({ event: 'fall' }), { qos: 1 });
    await t.service.settle();
    const fall = (await t.api<Alert[]>('GET', `/alerts?deviceId=${device.id}&status=active`, undefined, t.adminToken)).body[0]!;
    await advance(120_000);
    await client.publishAsync(`anju/v1/devices/${device.id}/events`, JSON.stringify({ event: 'cancel' }), { qos: 1 });
    await t.service.settle();
    const late = (await t.api<Alert>('GET', `/alerts/${fall.id}`, undefined, t.adminToken)).body;
    expect(late.status).not.toBe('resolved');
    expect(late.clearedAt).not.toBeNull();
  });
});

describe('household inactivity', () => {
  it('asks the grid worker to check on a quiet home and clears at the next sign of life', async () => {
    const home = await household(east.communityId, east.buildingId, '601');
    await resident(home.id, '陈老伯', { livesAlone: true });
    const { device, client } = await install(home.id, 'door_contact');
    await client.publishAsync(`anju/v1/devices/${device.id}/events`, JSON.stringify({ event: 'open' }), { qos: 1 });
    await t.service.settle();
    expect((await t.api<Household>('GET', `/households/${home.id}`, undefined, t.adminToken)).body.inactivity.lastActivityAt).toBe(new Date(clock.now()).toISOString());

    const quietAlerts = async () => (await t.api<Alert[]>('GET', `/alerts?deviceId=${device.id}`, undefined, t.adminToken)).body.filter((a) => a.rule === 'care.inactivity');
    await advance(23 * 3600_000);
    expect(await quietAlerts()).toEqual([]);
    await advance(2 * 3600_000);
    const [quiet] = await quietAlerts();
    expect(quiet).toMatchObject({ rule: 'care.inactivity', level: 'yellow', status: 'open', clearedAt: null, category: 'medical' });
    expect(quiet!.assignees.map((a) => a.workerId)).toEqual([east.workerId]);
    // Still quiet an hour later: the same alert, not a second one.
    await advance(3600_000);
    expect(await quietAlerts()).toHaveLength(1);

    await client.publishAsync(`anju/v1/devices/${device.id}/events`, JSON.stringify({ event: 'close' }), { qos: 1 });
    await t.service.settle();
    await eventually(async () => ((await t.api<Alert>('GET', `/alerts/${quiet!.id}`, undefined, t.adminToken)).body.clearedAt ? true : undefined));
  });

  it('plays the elderly-inactivity scenario: a check after a day of quiet, cleared when the door opens', async () => {
    const home = await household(east.communityId, east.buildingId, '603');
    await resident(home.id, '孙大爷', { livesAlone: true });
    const door = await t.provision({ kind: 'door_contact', communityId: east.communityId, location: { buildingId: east.buildingId, floor: 6 } });
    await t.api('PUT', `/households/${home.id}/devices/${door.id}`, undefined, t.adminToken);
    const device = new SimulatedDevice({ id: door.id, secret: door.secret, kind: 'door_contact', communityId: east.communityId, buildingId: east.buildingId }, { mqttUrl: `mqtt://127.0.0.1:${t.service.mqttPort}` });
    await device.connect();
    const quietAlerts = async () => (await t.api<Alert[]>('GET', `/alerts?deviceId=${door.id}`, undefined, t.adminToken)).body.filter((a) => a.rule === 'care.inactivity');
    const seen: { hour: number; status: string; cleared: boolean }[] = [];
    const start = clock.now();
    try {
      // The scenario's hours pass on the manual clock.
      await runScenario(SCENARIOS['elderly-inactivity']!, [device], async (ms) => {
        await t.service.settle();
        await advance(ms);
        for (const a of await quietAlerts()) seen.push({ hour: Math.round((clock.now() - start) / 3600_000), status: a.status, cleared: a.clearedAt !== null });
      });
      await t.service.settle();
    } finally {
      await device.disconnect();
    }
    // Quiet longer than the default 24 h: raised by the 25th hour, still uncleared while the door stays shut.
    expect(seen[0]).toMatchObject({ status: 'open', cleared: false });
    expect(seen[0]!.hour).toBeGreaterThanOrEqual(24);
    expect(seen[0]!.hour).toBeLessThanOrEqual(25);
    const [alert] = await quietAlerts();
    expect(alert).toMatchObject({ status: 'open' });
    expect(alert!.clearedAt).not.toBeNull();
  });

  it("learns a household's quiet period from its own days", async () => {
    const home = await household(east.communityId, east.buildingId, '602');
    // Ten days up from 07:00 to 22:00 local: the longest quiet spell is the 9-hour night.
    const day0 = Date.parse('2026-11-10T00:00:00+08:00');
    const hours: Date[] = [];
    for (let d = 0; d < 10; d++) for (let h = 7; h <= 22; h++) hours.push(new Date(day0 + d * 86_400_000 + h * 3600_000));
    await t.service.db.query('INSERT INTO household_activity (household_id, hour) SELECT $1, unnest($2::timestamptz[])', [home.id, hours]);
    const learned = (await t.api<Household>('GET', `/households/${home.id}`, undefined, t.adminToken)).body;
    expect(learned.inactivity).toMatchObject({ source: 'learned', periodS: 14 * 3600 });
    const overridden = (await t.api<Household>('PATCH', `/households/${home.id}`, { inactivityPeriodS: 12 * 3600 }, t.adminToken)).body;
    expect(overridden.inactivity).toMatchObject({ source: 'override', periodS: 12 * 3600 });
  });
});

describe('monthly visits', () => {
  it('schedules visits to the grid worker, overdue from the 1st when last month was missed, with the rate per grid', async () => {
    const south = await seedCommunity(t, '南湖社区');
    await t.api('POST', '/users', { username: 'nan', role: 'worker', workerId: south.workerId, password: 'care-test-password' }, t.adminToken);
    const nan = (await t.login('nan', 'care-test-password')).token;
    const homeA = await household(south.communityId, south.buildingId, '101');
    const homeB = await household(south.communityId, south.buildingId, '102');
    const visited = await resident(homeA.id, '周奶奶', { specialDifficulty: true });
    const missed = await resident(homeB.id, '吴爷爷', { specialDifficulty: true });
    await resident(homeB.id, '吴奶奶');

    // November: 周奶奶 is visited; 吴爷爷 was not at home, which does not count.
    expect((await t.api('POST', '/visits', { residentId: visited.id, outcome: 'well', note: '身体不错' }, nan)).status).toBe(201);
    expect((await t.api('POST', '/visits', { residentId: missed.id, outcome: 'not_home' }, nan)).status).toBe(201);
    const november = (await t.api<VisitRate>('GET', `/visits/rate?month=2026-11&communityId=${south.communityId}`, undefined, nan)).body;
    expect(november.groups).toEqual([
      { communityId: south.communityId, gridId: null, residents: 2, visited: 1, rate: 0.5, met: false },
      { communityId: south.communityId, gridId: south.gridId, residents: 2, visited: 1, rate: 0.5, met: false },
    ]);

    // 1 December, 00:10 local: 吴爷爷 is overdue (missed November), 周奶奶 due this month.
    clock.jump(Date.parse('2026-11-30T16:10:00Z') - clock.now());
    const due = (await t.api<VisitDue[]>('GET', '/visits/due?assignedTo=me', undefined, nan)).body;
    expect(due.map((d) => [d.resident.name, d.status, d.dueBy, d.worker?.id])).toEqual([
      ['吴爷爷', 'overdue', '2026-11-30T16:00:00.000Z', south.workerId],
      ['周奶奶', 'due', '2026-12-31T16:00:00.000Z', south.workerId],
    ]);
    expect(due[1]!.lastVisit).toMatchObject({ outcome: 'well', note: '身体不错' });
    // Another grid's worker has nobody to visit here.
    expect((await t.api<VisitDue[]>('GET', `/visits/due?communityId=${south.communityId}`, undefined, tokens.worker)).body).toEqual([]);

    const visit = await t.api<{ followUp: boolean; workerId: string }>('POST', '/visits', { residentId: missed.id, outcome: 'needs_help', note: '需要送药', followUp: true }, nan);
    expect(visit.body).toMatchObject({ followUp: true, workerId: south.workerId });
    const after = (await t.api<VisitDue[]>('GET', '/visits/due?assignedTo=me', undefined, nan)).body;
    expect(after.map((d) => [d.resident.name, d.status])).toEqual([
      ['周奶奶', 'due'],
      ['吴爷爷', 'done'],
    ]);
    const december = (await t.api<VisitRate>('GET', `/visits/rate?communityId=${south.communityId}`, undefined, nan)).body;
    expect(december).toMatchObject({ month: '2026-12', target: 1 });
    expect(december.groups[0]).toMatchObject({ residents: 2, visited: 1, met: false });
    const followUps = (await t.api<{ residentName: string }[]>('GET', `/visits?communityId=${south.communityId}&followUp=true`, undefined, nan)).body;
    expect(followUps.map((v) => v.residentName)).toEqual(['吴爷爷']);
    const future = await t.api('POST', '/visits', { residentId: missed.id, outcome: 'well', visitedAt: '2027-01-01T00:00:00Z' }, nan);
    expect(future.status).toBe(400);
  });
});
