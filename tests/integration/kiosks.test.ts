/**
 * Kiosks end to end on the real service (MQTT over TCP, embedded PostgreSQL) with an injected clock:
 * service hours at least 8 h a day, availability over service hours only, work orders for the
 * maintainer from faults and paper, services with ratings, and coverage of urban communities.
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Kiosk, KioskAvailabilityAnswer, KioskCoverage, KioskServiceRecord, KioskServiceStatsAnswer, KioskWorkOrder, KioskWorkOrderWithHistory, ProvisionedDevice } from '../../contract/index.ts';
import { kioskCoverage } from '../../platform/kiosks/coverage.ts';
import { runScenario, SCENARIOS } from '../../simulators/scenarios.ts';
import { SimulatedDevice } from '../../simulators/simulated-device.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { startReceiver, type Receiver } from '../helpers/receivers.ts';
import { eventually, seedCommunity, startTestService, type TestService } from '../helpers/service.ts';

/** Local time (Asia/Shanghai) → epoch ms. */
const local = (s: string) => Date.parse(`${s}+08:00`);
// Monday 30 November 2026, 08:00 in Beijing.
const clock = new ManualClock(local('2026-11-30T08:00:00'));
const PASSWORD = 'kiosk-tests-password';
const OFFICE_HOURS = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' }));

let t: TestService;
let hooks: Receiver;
let place: Awaited<ReturnType<typeof seedCommunity>>;
let maintainerId: string;
const tokens: Record<string, string> = {};
const kiosks: Record<string, { device: ProvisionedDevice; client: MqttClient }> = {};

const as = (who: string) => tokens[who] ?? t.adminToken;
const get = async <T>(url: string, who = 'admin') => {
  const { status, body } = await t.api<T>('GET', url, undefined, as(who));
  if (status !== 200) throw new Error(`GET ${url} answered ${status}: ${JSON.stringify(body)}`);
  return body;
};

/** Moves the clock to a local time (or epoch ms) and lets everything due run. */
async function until(time: string | number) {
  clock.advance((typeof time === 'number' ? time : local(time)) - clock.now());
  await t.service.sweep();
  await t.service.settle();
}

async function connect(name: string) {
  const { device } = kiosks[name]!;
  const client = await t.connectDevice(device);
  await eventually(async () => t.service.gateway.presence.isOnline(device.id) || undefined);
  await t.service.settle();
  kiosks[name]!.client = client;
}

/** The kiosk drops its connection so that, after the gateway's grace period, it is offline exactly at `time`. */
async function disconnectAt(name: string, time: string | number) {
  await until((typeof time === 'number' ? time : local(time)) - 500);
  const connections = t.service.gateway.presence.onlineCount();
  await kiosks[name]!.client.endAsync(true);
  await eventually(async () => (t.service.gateway.presence.onlineCount() < connections ? true : undefined));
  clock.advance(500);
  await t.service.settle();
}

async function publish(name: string, channel: 'events' | 'telemetry', body: unknown) {
  const { device, client } = kiosks[name]!;
  await client.publishAsync(`anju/v1/devices/${device.id}/${channel}`, JSON.stringify(body), { qos: 1 });
  await t.service.settle();
}

const kiosk = (name: string, who = 'admin') => get<Kiosk>(`/kiosks/${kiosks[name]!.device.id}`, who);
const workOrders = (name: string, who = 'admin') => get<KioskWorkOrder[]>(`/work-orders?deviceId=${kiosks[name]!.device.id}`, who);
const alertOf = async (name: string, rule: string) => (await get<Alert[]>(`/alerts?deviceId=${kiosks[name]!.device.id}&status=active`)).find((a) => a.rule === rule)!;

async function resolve(alertId: string, who: string) {
  expect((await t.api('POST', `/alerts/${alertId}/acknowledge`, {}, as(who))).status).toBe(200);
  expect((await t.api('POST', `/alerts/${alertId}/resolve`, { disposition: 'real', note: '已修复 fixed' }, as(who))).status).toBe(200);
  await t.service.settle();
}

beforeAll(async () => {
  hooks = await startReceiver();
  t = await startTestService({ clock });
  place = await seedCommunity(t);
  const admin = t.adminToken;
  maintainerId = (
    await t.api<{ id: string }>('POST', '/workers', {
      communityId: place.communityId,
      name: '马建国',
      position: 'maintainer',
      phone: '13900001111',
      channels: [{ type: 'webhook', url: `${hooks.url}/maintainer`, secret: 'maintainer-secret' }],
    }, admin)
  ).body.id;
  const users = [
    { username: 'majianguo', role: 'worker', workerId: maintainerId },
    { username: 'wangfang', role: 'worker', workerId: place.workerId },
    { username: 'control', role: 'operator', communityIds: [place.communityId] },
    { username: 'vendor', role: 'vendor' },
  ];
  for (const u of users) {
    expect((await t.api('POST', '/users', { ...u, password: PASSWORD }, admin)).status).toBe(201);
    tokens[u.username] = (await t.login(u.username, PASSWORD)).token;
  }
  for (const name of ['A', 'B', 'C']) {
    const device = await t.provision({ kind: 'kiosk', communityId: place.communityId, name: `自助机${name}`, location: { buildingId: place.buildingId, floor: 1 } });
    kiosks[name] = { device, client: undefined as never };
    await connect(name);
  }
});
afterAll(async () => {
  await t?.stop();
  await hooks?.close();
});

describe('kiosk profile', () => {
  it('rejects service hours under 8 h a day, naming the field, and sets hours and a maintainer', async () => {
    const id = kiosks.A!.device.id;
    const short = await t.api<{ error: string; details: { path: string; message: string }[] }>(
      'PATCH',
      `/kiosks/${id}`,
      { serviceHours: [...OFFICE_HOURS.slice(0, 2), { weekday: 3, opens: '09:00', closes: '15:30' }] },
      as('control'),
    );
    expect(short.status).toBe(400);
    expect(short.body.details).toEqual([
      { in: 'body', path: 'serviceHours.2.closes', message: 'open 6 h 30 min on Wednesday (weekday 3); a kiosk must be open at least 8 h on every day it opens' },
    ]);
    const backwards = await t.api<{ details: { path: string }[] }>('PATCH', `/kiosks/${id}`, { serviceHours: [{ weekday: 1, opens: '17:00', closes: '09:00' }] }, as('control'));
    expect(backwards.body.details.map((d) => d.path)).toEqual(['serviceHours.0.closes']);
    const nobody = await t.api<{ details: { path: string }[] }>('PATCH', `/kiosks/${id}`, { maintainerWorkerId: 'no-such-worker' }, as('control'));
    expect([nobody.status, nobody.body.details[0]!.path]).toEqual([400, 'maintainerWorkerId']);
    expect((await t.api('PATCH', `/kiosks/${id}`, { serviceHours: OFFICE_HOURS }, as('wangfang'))).status).toBe(403);

    // Until set, a kiosk serves the default 09:00–17:00 every day.
    expect(await kiosk('A')).toMatchObject({ serviceHoursSet: false, serviceHours: expect.arrayContaining([{ weekday: 7, opens: '09:00', closes: '17:00' }]), maintainer: null });
    const set = await t.api<Kiosk>('PATCH', `/kiosks/${id}`, { serviceHours: OFFICE_HOURS }, as('control'));
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ serviceHours: OFFICE_HOURS, serviceHoursSet: true, available: true, reasons: [], updatedBy: 'control' });
    for (const name of ['B', 'C']) {
      const withMaintainer = await t.api<Kiosk>('PATCH', `/kiosks/${kiosks[name]!.device.id}`, { maintainerWorkerId: maintainerId }, as('control'));
      expect(withMaintainer.body.maintainer).toEqual({ workerId: maintainerId, name: '马建国', phone: '13900001111' });
    }
    // A device that is not a kiosk has no kiosk profile.
    const smoke = await t.provision({ kind: 'smoke_detector', communityId: place.communityId, gridId: place.gridId });
    expect((await t.api('GET', `/kiosks/${smoke.id}`, undefined, t.adminToken)).status).toBe(404);
  });
});

describe('work orders', () => {
  it('opens a work order for the maintainer when a kiosk reports a fault over MQTT, and closes it when the alert is resolved', async () => {
    await until('2026-11-30T10:00:00');
    await publish('B', 'events', { event: 'fault', data: { code: 'PRINTER_JAM', message: '打印机卡纸' } });
    const [order] = await workOrders('B');
    expect(order).toMatchObject({ reason: 'fault', status: 'open', maintainer: { workerId: maintainerId, name: '马建国' }, openedAt: new Date(local('2026-11-30T10:00:00')).toISOString() });
    expect(await kiosk('B')).toMatchObject({ available: false, reasons: ['fault'], openWorkOrders: 1 });

    // The maintainer hears of it on their own channel, the work order attached to the alert's notification.
    const hook = await eventually(async () => hooks.requests.find((r) => r.path === '/maintainer'));
    expect(hook.json).toMatchObject({ event: 'alert.raised', alert: { rule: 'kiosk.fault', deviceId: kiosks.B!.device.id }, recipient: { workerId: maintainerId }, workOrder: { id: order!.id, reason: 'fault' } });
    // ...and finds it among their own, though the kiosk is in no grid of theirs.
    expect((await get<KioskWorkOrder[]>('/work-orders?maintainer=me&status=open', 'majianguo')).map((o) => o.id)).toEqual([order!.id]);

    await until('2026-11-30T10:20:00');
    await resolve(order!.alertId!, 'wangfang');
    const closed = await get<KioskWorkOrderWithHistory>(`/work-orders/${order!.id}`);
    expect(closed).toMatchObject({ status: 'closed', closeReason: 'alert_resolved', closedBy: { name: 'wangfang' }, closedAt: new Date(local('2026-11-30T10:20:00')).toISOString() });
    expect(closed.history.map((h) => [h.action, h.actor?.name ?? 'system'])).toEqual([
      ['opened', 'system'],
      ['notified', 'system'],
      ['closed', 'wangfang'],
    ]);
    expect(closed.history[2]!.note).toBe('real: 已修复 fixed');
    expect(await kiosk('B')).toMatchObject({ available: true, reasons: [], openWorkOrders: 0 });
  });

  it('lets the maintainer close a work order by hand with a note, once', async () => {
    await until('2026-11-30T11:00:00');
    await publish('B', 'events', { event: 'fault', data: { code: 'SCREEN' } });
    const order = (await workOrders('B')).find((o) => o.status === 'open')!;
    expect((await t.api('POST', `/work-orders/${order.id}/close`, { note: ' ' }, as('majianguo'))).status).toBe(400);
    expect((await t.api('POST', `/work-orders/${order.id}/close`, { note: 'done' }, as('vendor'))).status).toBe(403);
    await until('2026-11-30T11:40:00');
    const closed = await t.api<KioskWorkOrderWithHistory>('POST', `/work-orders/${order.id}/close`, { note: '更换触摸屏 replaced the touch screen' }, as('majianguo'));
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closeReason: 'closed_by_hand', closedBy: { name: 'majianguo' }, note: '更换触摸屏 replaced the touch screen' });
    expect(closed.body.history.at(-1)).toMatchObject({ action: 'closed', actor: { name: 'majianguo' }, source: expect.stringContaining('127.0.0.1') });
    expect((await t.api('POST', `/work-orders/${order.id}/close`, { note: 'again' }, as('majianguo'))).status).toBe(409);
    expect(await kiosk('B')).toMatchObject({ available: true, openWorkOrders: 0 });
  });

  it('makes a kiosk out of paper unavailable with a work order, and available again with the order closed on refill', async () => {
    await until('2026-11-30T12:00:00');
    await publish('C', 'telemetry', { values: { paper_pct: 30 } });
    await publish('C', 'telemetry', { values: { paper_pct: 8 } });
    // Paper low (blue, below 10 %): a work order, but it still prints.
    const [order] = await workOrders('C');
    expect(order).toMatchObject({ reason: 'paper', status: 'open', detail: expect.stringContaining('8 %') });
    expect(await kiosk('C')).toMatchObject({ available: true, openWorkOrders: 1 });
    await until('2026-11-30T12:10:00');
    await publish('C', 'telemetry', { values: { paper_pct: 3 } });
    await publish('C', 'telemetry', { values: { paper_pct: 0 } });
    expect(await kiosk('C')).toMatchObject({ available: false, reasons: ['no_paper'] });
    await until('2026-11-30T12:40:00');
    await publish('C', 'telemetry', { values: { paper_pct: 100 } });
    expect(await kiosk('C')).toMatchObject({ available: true, reasons: [], openWorkOrders: 0 });
    const closed = await get<KioskWorkOrderWithHistory>(`/work-orders/${order!.id}`);
    expect(closed).toMatchObject({ status: 'closed', closeReason: 'condition_cleared', closedBy: null, note: 'paper refilled' });
    const outages = await get<KioskAvailabilityAnswer>(`/kiosks/availability?date=2026-11-30&deviceId=${kiosks.C!.device.id}`);
    expect(outages.kiosks[0]!.outages).toEqual([{ from: new Date(local('2026-11-30T12:10:00')).toISOString(), to: new Date(local('2026-11-30T12:40:00')).toISOString(), minutes: 30, reasons: ['no_paper'] }]);
  });
});

describe('availability', () => {
  it('is computed over service hours only: a night outage costs nothing, one in hours does, overlapping reasons count once', async () => {
    await until('2026-11-30T22:00:00');
    await disconnectAt('A', '2026-11-30T22:30:00');
    await connect('A');
    // Tuesday: offline 02:00–04:00 (night), 10:00–11:00; a fault 13:00 until resolved at 14:30, offline 13:30–14:00 meanwhile.
    await disconnectAt('A', '2026-12-01T02:00:00');
    await until('2026-12-01T04:00:00');
    await connect('A');
    await disconnectAt('A', '2026-12-01T10:00:00');
    await until('2026-12-01T11:00:00');
    await connect('A');
    await until('2026-12-01T13:00:00');
    await publish('A', 'events', { event: 'fault', data: { code: 'CARD_READER' } });
    await disconnectAt('A', '2026-12-01T13:30:00');
    await until('2026-12-01T14:00:00');
    await connect('A');
    await until('2026-12-01T14:30:00');
    await resolve((await alertOf('A', 'kiosk.fault')).id, 'wangfang');
    await until('2026-12-02T00:30:00');

    const yesterday = await get<KioskAvailabilityAnswer>('/kiosks/availability', 'control');
    expect([yesterday.from, yesterday.to, yesterday.timeZone]).toEqual([new Date(local('2026-12-01T00:00:00')).toISOString(), new Date(local('2026-12-02T00:00:00')).toISOString(), 'Asia/Shanghai']);
    const a = yesterday.kiosks.find((k) => k.deviceId === kiosks.A!.device.id)!;
    expect(a).toMatchObject({ serviceMinutes: 480, availableMinutes: 330, unavailableMinutes: 150, ratio: 0.6875, fullyAvailable: false });
    const iso = (time: string) => new Date(local(`2026-12-01T${time}:00`)).toISOString();
    expect(a.outages).toEqual([
      { from: iso('10:00'), to: iso('11:00'), minutes: 60, reasons: ['offline'] },
      { from: iso('13:00'), to: iso('13:30'), minutes: 30, reasons: ['fault'] },
      { from: iso('13:30'), to: iso('14:00'), minutes: 30, reasons: ['offline', 'fault'] },
      { from: iso('14:00'), to: iso('14:30'), minutes: 30, reasons: ['fault'] },
    ]);
    // "Which kiosks were not available for their full service hours yesterday?"
    const short = await get<KioskAvailabilityAnswer>('/kiosks/availability?date=2026-12-01&notFullyAvailable=true', 'control');
    expect(short.kiosks.map((k) => k.deviceId)).toEqual([kiosks.A!.device.id]);
    expect(short.communities).toEqual([
      { communityId: place.communityId, name: '幸福里社区', kiosks: 3, notFullyAvailable: 1, serviceMinutes: 1440, availableMinutes: 1290, unavailableMinutes: 150, ratio: 0.8958 },
    ]);
    expect(short.total).toMatchObject({ kiosks: 3, notFullyAvailable: 1, ratio: 0.8958 });
    // Monday: only kiosk C's paper ran out within hours (B's faults left its own time, A was set to office hours
    // and connected all day); B lost 20 + 40 minutes to its two faults.
    const monday = await get<KioskAvailabilityAnswer>('/kiosks/availability?date=2026-11-30&notFullyAvailable=true');
    expect(Object.fromEntries(monday.kiosks.map((k) => [k.name, k.unavailableMinutes]))).toEqual({ 自助机B: 60, 自助机C: 30 });
    expect((await t.api('GET', '/kiosks/availability?date=2026-12-01&from=0', undefined, t.adminToken)).status).toBe(400);
  });
});

describe('services', () => {
  it('stores service_completed events and answers count, average duration and rating and the distribution', async () => {
    await until('2026-12-02T09:30:00');
    const services = [
      { seq: 1, service: '社保查询', duration_s: 60, rating: 5 },
      { seq: 2, service: '社保查询', duration_s: 120, rating: 4 },
      { seq: 3, service: '居住证明打印', duration_s: 90 },
      { seq: 4, service: '居住证明打印', duration_s: 30, rating: 1 },
    ];
    for (const { seq, ...data } of services) {
      await publish('C', 'events', { seq, event: 'service_completed', data });
      clock.advance(60_000);
    }
    // A redelivery of the same message is stored once.
    await publish('C', 'events', { seq: 4, event: 'service_completed', data: { service: '居住证明打印', duration_s: 30, rating: 1 } });

    const byKiosk = await get<KioskServiceStatsAnswer>('/kiosks/services/stats?date=2026-12-02&by=kiosk', 'control');
    const stats = { count: 4, averageDurationS: 75, averageRating: 3.33, rated: 3, ratings: { 1: 1, 2: 0, 3: 0, 4: 1, 5: 1 } };
    expect(byKiosk.groups).toEqual([{ key: kiosks.C!.device.id, ...stats }]);
    expect(byKiosk.total).toEqual(stats);
    const byService = await get<KioskServiceStatsAnswer>('/kiosks/services/stats?date=2026-12-02&by=service');
    expect(byService.groups.map((g) => [g.key, g.count, g.averageDurationS, g.averageRating])).toEqual([
      ['居住证明打印', 2, 60, 1],
      ['社保查询', 2, 90, 4.5],
    ]);
    const byDay = await get<KioskServiceStatsAnswer>(`/kiosks/services/stats?from=${local('2026-11-30T00:00:00')}&to=${local('2026-12-03T00:00:00')}&by=day`);
    expect(byDay.groups.map((g) => [g.key, g.count])).toEqual([['2026-12-02', 4]]);
    const byCommunity = await get<KioskServiceStatsAnswer>('/kiosks/services/stats?date=2026-12-02&by=community');
    expect(byCommunity.groups).toEqual([{ key: place.communityId, ...stats }]);
    const records = await get<KioskServiceRecord[]>(`/kiosks/services?date=2026-12-02&deviceId=${kiosks.C!.device.id}`);
    expect(records[0]).toEqual({ deviceId: kiosks.C!.device.id, ts: new Date(local('2026-12-02T09:33:00')).toISOString(), service: '居住证明打印', durationS: 30, rating: 1 });
    expect(records).toHaveLength(4);
  });
});

describe('history import', () => {
  it('adds availability from before the platform watched a kiosk, never after its first recorded change', async () => {
    const id = kiosks.B!.device.id;
    const sunday = (time: string) => new Date(local(`2026-11-29T${time}:00`)).toISOString();
    const changes = [
      { at: sunday('08:00'), reason: 'offline', unavailable: false },
      { at: sunday('10:00'), reason: 'fault', unavailable: true, note: '打印机卡纸' },
      { at: sunday('12:00'), reason: 'fault', unavailable: false },
    ];
    expect((await t.api('POST', `/kiosks/${id}/availability/history`, { changes }, as('control'))).status).toBe(403);
    const late = await t.api<{ details: { path: string; message: string }[] }>('POST', `/kiosks/${id}/availability/history`, { changes: [...changes, { at: new Date(local('2026-12-01T09:00:00')).toISOString(), reason: 'offline', unavailable: true }] }, t.adminToken);
    expect([late.status, late.body.details[0]!.path]).toEqual([400, 'changes.3.at']);
    expect(late.body.details[0]!.message).toContain('before the first change the platform recorded');
    const imported = await t.api<{ recorded: number }>('POST', `/kiosks/${id}/availability/history`, { changes }, t.adminToken);
    expect([imported.status, imported.body]).toEqual([201, { recorded: 3 }]);
    const [b] = (await get<KioskAvailabilityAnswer>(`/kiosks/availability?date=2026-11-29&deviceId=${id}`)).kiosks;
    expect(b).toMatchObject({ serviceMinutes: 480, unavailableMinutes: 120, outages: [{ from: sunday('10:00'), to: sunday('12:00'), minutes: 120, reasons: ['fault'] }] });
  });
});

describe('coverage and scope', () => {
  it('answers the share of urban communities with a kiosk, and with one in service', async () => {
    const admin = t.adminToken;
    const east = (await t.api<{ id: string }>('POST', '/communities', { name: '东园社区', kind: 'urban' }, admin)).body.id;
    const village = (await t.api<{ id: string }>('POST', '/communities', { name: '桃源村', kind: 'rural' }, admin)).body.id;
    await t.provision({ kind: 'kiosk', communityId: village });

    const coverage = await get<KioskCoverage>('/kiosks/coverage', 'control');
    expect(coverage.communities).toEqual([{ communityId: place.communityId, name: '幸福里社区', kind: 'urban', kiosks: 3, inService: 3, covered: true, coveredInService: true }]);
    const all = await get<KioskCoverage>('/kiosks/coverage');
    expect(all.urban).toEqual({ communities: 2, covered: 1, coveredInService: 1, coverage: 0.5, coverageInService: 0.5, target: 1 });
    expect(all.communities.find((c) => c.communityId === east)).toMatchObject({ kiosks: 0, covered: false });
    // The village's kiosk never connected: it covers the village, but is not in service.
    expect(all.communities.find((c) => c.communityId === village)).toMatchObject({ kind: 'rural', kiosks: 1, inService: 0, covered: true, coveredInService: false });
    // The plan indicators call the same function.
    expect(await kioskCoverage(t.service.db, { at: clock.now() })).toEqual(all);

    // Every kiosk of the urban community disconnected: covered, but none in service.
    for (const name of ['A', 'B', 'C']) await disconnectAt(name, clock.now() + 1000);
    expect((await get<KioskCoverage>('/kiosks/coverage')).urban).toMatchObject({ covered: 1, coveredInService: 0, coverageInService: 0 });
    for (const name of ['A', 'B', 'C']) await connect(name);
    expect((await t.api('GET', '/kiosks/coverage', undefined, as('vendor'))).status).toBe(403);
  });

  it("shows kiosks and work orders by the device's scope, and a maintainer the kiosks it maintains", async () => {
    const all = (await get<Kiosk[]>('/kiosks')).length;
    expect((await get<Kiosk[]>('/kiosks', 'control')).map((k) => k.name).sort()).toEqual(['自助机A', '自助机B', '自助机C']);
    expect((await get<Kiosk[]>('/kiosks', 'wangfang')).length).toBe(3);
    expect((await get<Kiosk[]>('/kiosks', 'majianguo')).map((k) => k.name).sort()).toEqual(['自助机B', '自助机C']);
    expect(await get<Kiosk[]>('/kiosks', 'vendor')).toEqual([]);
    expect(all).toBe(4);
    expect((await t.api('GET', `/kiosks/${kiosks.A!.device.id}`, undefined, as('majianguo'))).status).toBe(404);
    // The maintainer's phone is shown whole to its community's control room, masked to others.
    expect((await kiosk('B', 'control')).maintainer?.phone).toBe('13900001111');
    expect((await kiosk('B', 'majianguo')).maintainer?.phone).toBe('139****1111');
    const orders = await get<KioskWorkOrder[]>('/work-orders', 'majianguo');
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.every((o) => o.maintainer?.workerId === maintainerId)).toBe(true);
    expect(await get<KioskWorkOrder[]>('/work-orders', 'vendor')).toEqual([]);
    const aOrder = (await workOrders('A'))[0]!;
    expect((await t.api('GET', `/work-orders/${aOrder.id}`, undefined, as('majianguo'))).status).toBe(404);
    // Kiosk A has no maintainer: its work order is on record, and says nobody was told.
    expect((await get<KioskWorkOrderWithHistory>(`/work-orders/${aOrder.id}`)).history.map((h) => h.action)).toEqual(['opened', 'not_notified', 'closed']);
  });
});

describe('the kiosk-paper scenario', () => {
  it('runs a kiosk out of paper: unavailable with a work order, then refilled', async () => {
    await until('2026-12-02T10:00:00');
    const device = await t.provision({ kind: 'kiosk', communityId: place.communityId, gridId: place.gridId, name: '自助机D' });
    const simulated = new SimulatedDevice({ id: device.id, secret: device.secret, kind: 'kiosk', communityId: place.communityId, buildingId: null }, { mqttUrl: `mqtt://127.0.0.1:${t.service.mqttPort}` });
    await simulated.connect();
    await eventually(async () => t.service.gateway.presence.isOnline(device.id) || undefined);
    const started = clock.now();
    await runScenario(SCENARIOS['kiosk-paper']!, [simulated], async (ms) => {
      await t.service.settle();
      clock.advance(ms);
    });
    await until(clock.now() + 10_000);
    const [order] = await get<KioskWorkOrder[]>(`/work-orders?deviceId=${device.id}`);
    expect(order).toMatchObject({ reason: 'paper', status: 'closed', closeReason: 'condition_cleared', openedAt: new Date(started + 8_000).toISOString() });
    const answer = await get<KioskAvailabilityAnswer>(`/kiosks/availability?deviceId=${device.id}&from=${started}&to=${started + 60_000}`);
    // 4 % at 12 s, refilled at 30 s.
    expect(answer.kiosks[0]!.outages).toEqual([{ from: new Date(started + 12_000).toISOString(), to: new Date(started + 30_000).toISOString(), minutes: 0.3, reasons: ['no_paper'] }]);
    expect((await get<KioskServiceStatsAnswer>(`/kiosks/services/stats?deviceId=${device.id}&from=${started}&to=${started + 60_000}`)).total).toMatchObject({ count: 4, rated: 3 });
    await simulated.disconnect();
  });
});
