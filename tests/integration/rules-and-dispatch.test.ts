/**
 * Rules as data and what dispatch does with them, on an injected clock: flapping, timers across a
 * restart, rule edits with per-field errors, absence, debounce, test mode, maintenance windows, area
 * flooding, flood control and the emergency broadcast.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Device, ErrorBody, Incident, Notification, StoredRule } from '../../contract/index.ts';
import { FLAP_TRANSITIONS } from '../../platform/rules/engine.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { startReceiver, type Receiver } from '../helpers/receivers.ts';
import { eventually, startTestService, type TestService } from '../helpers/service.ts';

const clock = new ManualClock(Date.parse('2026-11-30T02:00:00Z'));
let t: TestService;
let hooks: Receiver;
let place: { communityId: string; gridId: string; buildingId: string; workerId: string };

beforeAll(async () => {
  hooks = await startReceiver();
  t = await startTestService({ clock });
  const token = t.adminToken;
  const community = (await t.api<{ id: string }>('POST', '/communities', { name: '规则社区', kind: 'urban' }, token)).body;
  const grid = (await t.api<{ id: string }>('POST', '/grids', { communityId: community.id, name: '一网格' }, token)).body;
  const building = (await t.api<{ id: string }>('POST', '/buildings', { communityId: community.id, gridId: grid.id, name: '7号楼' }, token)).body;
  const worker = (
    await t.api<{ id: string }>('POST', '/workers', { communityId: community.id, name: '王芳', position: 'grid_worker', gridIds: [grid.id], channels: [{ type: 'webhook', url: `${hooks.url}/worker`, secret: 'secret-secret' }] }, token)
  ).body;
  place = { communityId: community.id, gridId: grid.id, buildingId: building.id, workerId: worker.id };
});
afterAll(async () => {
  await t?.stop();
  await hooks?.close();
});

async function advance(ms: number) {
  clock.advance(ms);
  await t.service.sweep();
  await t.service.settle();
}

async function device(kind: Device['kind'], extra: Record<string, unknown> = {}) {
  const d = await t.provision({ kind, communityId: place.communityId, location: { buildingId: place.buildingId }, ...extra });
  return { ...d, client: await t.connectDevice(d) };
}

const alertsOf = async (deviceId: string) => (await t.api<Alert[]>('GET', `/alerts?deviceId=${deviceId}`, undefined, t.adminToken)).body;
const incident = async (id: string) => (await t.api<Incident & { notifications: Notification[] }>('GET', `/incidents/${id}`, undefined, t.adminToken)).body;

describe('flapping', () => {
  it('flags a sensor flapping at 50 Hz for a simulated minute faulty, with one open alert per rule, one incident and one page', async () => {
    const d = await device('smoke_detector');
    const start = clock.now() - 60_000;
    for (let i = 0; i < 3000; i++) {
      d.client.publish(`anju/v1/devices/${d.id}/events`, JSON.stringify({ ts: start + i * 20, seq: i + 1, event: i % 2 ? 'alarm_cleared' : 'alarm' }), { qos: 0 });
    }
    await eventually(async () => ((await t.api<Device>('GET', `/devices/${d.id}`, undefined, t.adminToken)).body.faultySince ? true : undefined), 30_000);
    await eventually(async () => {
      const [alarm] = (await alertsOf(d.id)).filter((a) => a.rule === 'smoke_detector.alarm');
      return alarm && alarm.count >= 1400 ? alarm : undefined;
    }, 60_000);
    await t.service.settle();
    const alerts = await alertsOf(d.id);
    expect(alerts.filter((a) => a.status !== 'resolved').map((a) => a.rule).sort()).toEqual(['smoke_detector.alarm', 'smoke_detector.flapping']);
    const flapping = alerts.find((a) => a.rule === 'smoke_detector.flapping')!;
    expect(flapping.level).toBe('blue');
    expect(new Set(alerts.map((a) => a.incidentId)).size).toBe(1);
    const pages = (await incident(flapping.incidentId!)).notifications.filter((n) => n.recipient.workerId === place.workerId);
    expect(pages.map((n) => `${n.event}:${n.level}`)).toEqual(['alert.raised:red']);
    expect(FLAP_TRANSITIONS).toBeLessThan(3000);
  }, 120_000);
});

describe('rules as data', () => {
  it('answers an invalid rule edit with one error per field, and a valid one takes effect as a new version', async () => {
    const bad = await t.api<ErrorBody & { details: { path: string; message: string }[] }>(
      'PUT',
      '/rules/gas_detector.gas_lel',
      { condition: { type: 'threshold', metric: 'gas_lel', direction: 'above', steps: [{ level: 'red', value: 20 }, { level: 'orange', value: 10 }] } },
      t.adminToken,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((x) => x.path).sort()).toEqual(['condition.steps.1.level', 'condition.steps.1.value']);
    const unknown = await t.api<ErrorBody & { details: { path: string }[] }>('PUT', '/rules/gas_detector.gas_lel', { condition: { type: 'threshold', metric: 'co2', direction: 'above', steps: [{ level: 'red', value: 5 }] } }, t.adminToken);
    expect(unknown.body.details[0]?.path).toBe('condition.metric');

    const good = await t.api<StoredRule>('PUT', '/rules/gas_detector.gas_lel', { condition: { type: 'threshold', metric: 'gas_lel', direction: 'above', steps: [{ level: 'orange', value: 5 }, { level: 'red', value: 25 }], hysteresis: 1 } }, t.adminToken);
    expect(good.status).toBe(200);
    expect(good.body.version).toBe(2);
    const gas = await device('gas_detector');
    await gas.client.publishAsync(`anju/v1/devices/${gas.id}/telemetry`, JSON.stringify({ values: { gas_lel: 6 } }), { qos: 1 });
    await t.service.settle();
    expect((await alertsOf(gas.id)).map((a) => a.level)).toEqual(['orange']);
    const history = await t.api<{ versions: { version: number }[] }>('GET', '/rules/gas_detector.gas_lel', undefined, t.adminToken);
    expect(history.body.versions.map((v) => v.version)).toEqual([2, 1]);
  });

  it('raises a debounced rule only at the Nth occurrence within its window', async () => {
    const created = await t.api<StoredRule>(
      'POST',
      '/rules',
      { kind: 'door_contact', id: 'door_contact.rattling', name: { 'zh-CN': '门频繁开合', en: 'Door rattling' }, category: 'security', condition: { type: 'event', event: 'open', level: 'yellow' }, debounce: { count: 3, windowS: 60 } },
      t.adminToken,
    );
    expect(created.status).toBe(201);
    const door = await device('door_contact');
    for (let i = 0; i < 2; i++) await door.client.publishAsync(`anju/v1/devices/${door.id}/events`, JSON.stringify({ event: 'open' }), { qos: 1 });
    await t.service.settle();
    expect((await alertsOf(door.id)).filter((a) => a.rule === 'door_contact.rattling')).toEqual([]);
    await door.client.publishAsync(`anju/v1/devices/${door.id}/events`, JSON.stringify({ event: 'open' }), { qos: 1 });
    await t.service.settle();
    expect((await alertsOf(door.id)).map((a) => a.rule)).toEqual(['door_contact.rattling']);
  });

  it("raises 'no door opening' for an opted-in household after its own period, and an opening clears it", async () => {
    const door = await device('door_contact');
    const patched = await t.api<Device>('PATCH', `/devices/${door.id}`, { ruleParams: { 'door_contact.no_open': { periodS: 3600 } } }, t.adminToken);
    expect(patched.body.ruleParams).toEqual({ 'door_contact.no_open': { periodS: 3600 } });
    await advance(3599_000);
    expect((await alertsOf(door.id)).filter((a) => a.rule === 'door_contact.no_open')).toEqual([]);
    await advance(1_000);
    const [raised] = (await alertsOf(door.id)).filter((a) => a.rule === 'door_contact.no_open');
    expect(raised).toMatchObject({ level: 'yellow', category: 'medical' });
    await door.client.publishAsync(`anju/v1/devices/${door.id}/events`, JSON.stringify({ event: 'open' }), { qos: 1 });
    await t.service.settle();
    expect((await alertsOf(door.id)).find((a) => a.rule === 'door_contact.no_open')?.clearedAt).not.toBeNull();
  });
});

describe('timers across a restart', () => {
  it('escalates once after a restart in the middle of the acknowledgement window', async () => {
    const leader = (await t.api<{ id: string }>('POST', '/workers', { communityId: place.communityId, name: '赵敏', position: 'grid_leader', gridIds: [place.gridId], channels: [{ type: 'webhook', url: `${hooks.url}/leader`, secret: 'secret-secret' }] }, t.adminToken)).body;
    const button = await device('emergency_button');
    await button.client.publishAsync(`anju/v1/devices/${button.id}/events`, JSON.stringify({ event: 'sos' }), { qos: 1 });
    await t.service.settle();
    const [alert] = await alertsOf(button.id);
    await advance(30_000);
    // Down and up again, 30 s into the 60 s the worker has to acknowledge.
    const databaseUrl = t.databaseUrl;
    await t.stop();
    t = await startTestService({ clock, databaseUrl });
    await advance(31_000);
    await advance(1_000);
    await t.stop();
    t = await startTestService({ clock, databaseUrl });
    await advance(10_000);
    const escalations = (await incident(alert!.incidentId!)).notifications.filter((n) => n.event === 'alert.escalated');
    expect(escalations.map((n) => n.recipient.workerId)).toEqual([leader.id]);
    const escalatedHooks = () => hooks.requests.filter((r) => r.path === '/leader' && (r.json as { event: string; alert: { id: string } }).event === 'alert.escalated' && (r.json as { alert: { id: string } }).alert.id === alert!.id);
    await eventually(async () => (escalatedHooks().length === 1 ? true : undefined));
  });
});

describe('quiet alerts', () => {
  it('records test-mode and maintenance alerts without paging anyone', async () => {
    const testing = await device('smoke_detector');
    await t.api('PATCH', `/devices/${testing.id}`, { testMode: true }, t.adminToken);
    await testing.client.publishAsync(`anju/v1/devices/${testing.id}/events`, JSON.stringify({ event: 'alarm' }), { qos: 1 });
    const serviced = await device('gas_detector');
    const window = await t.api('POST', '/maintenance-windows', { communityId: place.communityId, deviceId: serviced.id, startsAt: new Date(clock.now() - 60_000).toISOString(), endsAt: new Date(clock.now() + 3600_000).toISOString(), reason: '更换传感器' }, t.adminToken);
    expect(window.status).toBe(201);
    await serviced.client.publishAsync(`anju/v1/devices/${serviced.id}/events`, JSON.stringify({ event: 'alarm' }), { qos: 1 });
    await t.service.settle();
    const [testAlert] = await alertsOf(testing.id);
    const [maintenanceAlert] = await alertsOf(serviced.id);
    expect(testAlert).toMatchObject({ test: true, suppressed: 'test_mode', level: 'red' });
    expect(maintenanceAlert).toMatchObject({ suppressed: 'maintenance' });
    for (const a of [testAlert!, maintenanceAlert!]) expect((await incident(a.incidentId!)).notifications).toEqual([]);
  });

  it('sends at most one notification per recipient and incident per interval for blue and yellow', async () => {
    const kiosk = await device('kiosk');
    for (let i = 0; i < 3; i++) {
      await kiosk.client.publishAsync(`anju/v1/devices/${kiosk.id}/events`, JSON.stringify({ event: 'fault', data: { code: `E${i}` } }), { qos: 1 });
      await kiosk.client.publishAsync(`anju/v1/devices/${kiosk.id}/telemetry`, JSON.stringify({ values: { paper_pct: i % 2 ? 50 : 2 } }), { qos: 1 });
    }
    await t.service.settle();
    await advance(15 * 60_000);
    const incidents = new Set((await alertsOf(kiosk.id)).map((a) => a.incidentId!));
    expect(incidents.size).toBe(1);
    const notes = (await incident([...incidents][0]!)).notifications.filter((n) => n.recipient.workerId === place.workerId && n.channelType === 'webhook');
    const sent = notes.filter((n) => n.status !== 'suppressed').map((n) => n.createdAt);
    for (let i = 1; i < sent.length; i++) expect(Date.parse(sent[i]!) - Date.parse(sent[i - 1]!)).toBeGreaterThanOrEqual(5 * 60_000);
  });
});

describe('correlation and broadcast', () => {
  it('makes several flood sensors of one community one area incident', async () => {
    const sensors = [await device('flood_sensor'), await device('flood_sensor'), await device('flood_sensor')];
    for (const s of sensors) await s.client.publishAsync(`anju/v1/devices/${s.id}/telemetry`, JSON.stringify({ values: { water_level_cm: 15 } }), { qos: 1 });
    await t.service.settle();
    const ids = new Set<string>();
    for (const s of sensors) for (const a of await alertsOf(s.id)) ids.add(a.incidentId!);
    expect(ids.size).toBe(1);
    expect(await incident([...ids][0]!)).toMatchObject({ scope: 'area', confirmed: 'area_flood', level: 'orange', category: 'flood' });
  });

  it("broadcasts a red fire to the community's speakers, which acknowledge playback", async () => {
    const speaker = await device('broadcast_speaker');
    await speaker.client.subscribeAsync(`anju/v1/broadcast/${place.communityId}`, { qos: 1 });
    const heard = new Promise<{ id: string; text: { 'zh-CN': string } }>((resolve) => speaker.client.once('message', (_t, p) => resolve(JSON.parse(p.toString()))));
    const smoke = await device('smoke_detector');
    await smoke.client.publishAsync(`anju/v1/devices/${smoke.id}/events`, JSON.stringify({ event: 'alarm' }), { qos: 1 });
    const broadcast = await heard;
    expect(broadcast.text['zh-CN']).toMatch(/红色.*预警/);
    await speaker.client.publishAsync(`anju/v1/devices/${speaker.id}/events`, JSON.stringify({ event: 'played', data: { broadcastId: broadcast.id } }), { qos: 1 });
    await t.service.settle();
    const [alert] = await alertsOf(smoke.id);
    const detail = (await t.api<{ broadcasts: { id: string; receipts: { deviceId: string }[] }[] }>('GET', `/incidents/${alert!.incidentId}`, undefined, t.adminToken)).body;
    expect(detail.broadcasts).toEqual([expect.objectContaining({ id: broadcast.id, receipts: [expect.objectContaining({ deviceId: speaker.id })] })]);
  });
});
