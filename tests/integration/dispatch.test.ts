/**
 * Dispatch end to end, on an injected clock, with real local receivers: a red alert reaches the on-duty
 * grid worker on every channel, escalates on time, stops on acknowledge; a failing SMS gateway is retried
 * and audited while the other channels deliver; one building's smoke detectors make one incident.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Incident, Notification } from '../../contract/index.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { startReceiver, type Receiver } from '../helpers/receivers.ts';
import { eventually, startTestService, type TestService } from '../helpers/service.ts';

// Monday 30 November 2026, 10:00 in Beijing.
const clock = new ManualClock(Date.parse('2026-11-30T02:00:00Z'));
const SECRET = 'worker-webhook-secret';
const DING_SECRET = 'SECdingtalk-secret';
let t: TestService;
let webhook: Receiver;
let wecom: Receiver;
let dingtalk: Receiver;
let sms: Receiver;
let place: { communityId: string; gridId: string; buildingId: string };
const workers: Record<string, string> = {};

beforeAll(async () => {
  webhook = await startReceiver();
  wecom = await startReceiver(() => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } }));
  dingtalk = await startReceiver(() => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } }));
  sms = await startReceiver((_r, i) => (i < 3 ? { status: 500, body: { error: 'gateway down' } } : { status: 200, body: { messageId: `sms-${i}` } }));
  t = await startTestService({ clock, env: { ANJU_SMS_GATEWAY_URL: sms.url } });
  const token = t.adminToken;
  const community = (await t.api<{ id: string }>('POST', '/communities', { name: '调度社区', kind: 'urban' }, token)).body;
  const grid = (await t.api<{ id: string }>('POST', '/grids', { communityId: community.id, name: '一网格' }, token)).body;
  const building = (await t.api<{ id: string }>('POST', '/buildings', { communityId: community.id, gridId: grid.id, name: '5号楼' }, token)).body;
  place = { communityId: community.id, gridId: grid.id, buildingId: building.id };
  const hook = (who: string) => ({ type: 'webhook', url: `${webhook.url}/${who}`, secret: SECRET });
  const people = [
    { name: '王芳', position: 'grid_worker', gridIds: [grid.id], channels: [hook('worker'), { type: 'wecom', url: `${wecom.url}/robot` }, { type: 'dingtalk', url: `${dingtalk.url}/robot?access_token=x`, secret: DING_SECRET }, { type: 'sms', phone: '13800000001' }] },
    { name: '赵敏', position: 'grid_leader', gridIds: [grid.id], channels: [hook('leader')] },
    { name: '陈刚', position: 'duty_officer', gridIds: [], channels: [hook('duty')] },
    { name: '街道应急中心', position: 'emergency_centre', gridIds: [], channels: [hook('centre')] },
  ];
  for (const p of people) workers[p.position] = (await t.api<{ id: string }>('POST', '/workers', { communityId: community.id, ...p }, token)).body.id;
});
afterAll(async () => {
  await t?.stop();
  for (const r of [webhook, wecom, dingtalk, sms]) await r?.close();
});

/** Moves time and runs what is due at the new time (rules, escalation and reminder timers, deliveries). */
async function advance(ms: number) {
  clock.advance(ms);
  await t.service.sweep();
  await t.service.settle();
}

/** Waits until the outbox has recorded `n` attempts of the incident's first SMS (the receiver sees a request before the outbox records it). */
const smsAttempts = (incidentId: string, n: number) =>
  eventually(async () => {
    const { rows } = await t.service.db.query<{ attempts: number }>(`SELECT attempts FROM notifications WHERE incident_id = $1 AND channel_type = 'sms' ORDER BY created_at LIMIT 1`, [incidentId]);
    return rows[0]?.attempts === n ? true : undefined;
  });

const hooksTo = (who: string) => webhook.requests.filter((r) => r.path === `/${who}`);
const incidentOf = async (alertId: string) => {
  const alert = (await t.api<Alert>('GET', `/alerts/${alertId}`, undefined, t.adminToken)).body;
  return (await t.api<Incident & { notifications: Notification[]; history: { action: string; detail: unknown }[] }>('GET', `/incidents/${alert.incidentId}`, undefined, t.adminToken)).body;
};

async function alarm(kind: 'smoke_detector' | 'emergency_button', event: string) {
  const device = await t.provision({ kind, communityId: place.communityId, location: { buildingId: place.buildingId, floor: 2 } });
  const client = await t.connectDevice(device);
  await client.publishAsync(`anju/v1/devices/${device.id}/events`, JSON.stringify({ event }), { qos: 1 });
  await t.service.settle();
  const alert = (await t.api<Alert[]>('GET', `/alerts?deviceId=${device.id}`, undefined, t.adminToken)).body[0]!;
  return { device, client, alert };
}

describe('dispatch and escalation', () => {
  it('pages the on-duty grid worker on every channel, retries a failing SMS gateway, escalates on time and stops on acknowledge', async () => {
    const { alert } = await alarm('emergency_button', 'sos');
    expect(alert.assignees.map((a) => a.workerId)).toEqual([workers.grid_worker]);

    // Webhook: signed, once per delivery id, the contract's body.
    const hook = await eventually(async () => hooksTo('worker')[0]);
    expect(hook.headers['x-anju-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(hook.raw).digest('hex')}`);
    expect(hook.headers['x-anju-delivery']).toMatch(/^ntf-/);
    expect(hook.json).toMatchObject({ event: 'alert.raised', stage: 0, recipient: { workerId: workers.grid_worker }, alert: { id: alert.id, level: 'red' }, incident: { id: alert.incidentId } });
    // WeCom and DingTalk robots get their markdown formats; DingTalk signed with its secret.
    const robot = await eventually(async () => wecom.requests[0]);
    expect(robot.json).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining('红色') } });
    const ding = await eventually(async () => dingtalk.requests[0]);
    const url = new URL(`http://x${ding.path}`);
    const stamp = url.searchParams.get('timestamp')!;
    expect(url.searchParams.get('sign')).toBe(createHmac('sha256', DING_SECRET).update(`${stamp}\n${DING_SECRET}`).digest('base64'));
    expect(ding.json).toMatchObject({ msgtype: 'markdown', markdown: { title: expect.any(String), text: expect.stringContaining('I') } });
    // The SMS gateway fails: the other channels were not held up, and it is retried with backoff.
    await smsAttempts(alert.incidentId!, 1);
    await advance(5_000);
    await smsAttempts(alert.incidentId!, 2);
    await advance(15_000);
    await smsAttempts(alert.incidentId!, 3);

    // t = 30 s: a reminder, still unacknowledged.

    await advance(10_000);
    await eventually(async () => (hooksTo('worker').some((r) => (r.json as { event: string }).event === 'alert.reminder') ? true : undefined));
    // t = 65 s: nobody acknowledged within 60 s: the grid leader and the duty officer are paged.
    await advance(35_000);
    const leader = await eventually(async () => hooksTo('leader')[0]);
    expect(leader.json).toMatchObject({ event: 'alert.escalated', stage: 1, recipient: { workerId: workers.grid_leader } });
    await eventually(async () => hooksTo('duty')[0]);
    expect(hooksTo('centre')).toEqual([]);

    // The SMS of the first page went through on its fourth attempt, each attempt on record.
    const smsFirst = await eventually(async () => {
      const incident = await incidentOf(alert.id);
      const n = incident.notifications.find((x) => x.channelType === 'sms' && x.event === 'alert.raised');
      return n?.status === 'delivered' ? n : undefined;
    });
    expect(smsFirst.attemptLog?.map((a) => a.ok)).toEqual([false, false, false, true]);
    expect(smsFirst.attemptLog?.[0]?.statusCode).toBe(500);

    // Acknowledged at t = 70 s: no emergency centre at 180 s, no more reminders.
    await advance(5_000);
    const ack = await t.api<Alert>('POST', `/alerts/${alert.id}/acknowledge`, {}, t.adminToken);
    expect(ack.status).toBe(200);
    await t.service.settle();
    const remindersBefore = hooksTo('worker').filter((r) => (r.json as { event: string }).event === 'alert.reminder').length;
    await advance(60_000);
    await advance(60_000);
    await advance(60_000);
    expect(hooksTo('centre')).toEqual([]);
    expect(hooksTo('worker').filter((r) => (r.json as { event: string }).event === 'alert.reminder').length).toBe(remindersBefore);
    // Those the escalation reached hear that someone is on it.
    await eventually(async () => (hooksTo('leader').some((r) => (r.json as { event: string }).event === 'alert.updated') ? true : undefined));
    const incident = await incidentOf(alert.id);
    expect(incident).toMatchObject({ status: 'acknowledged', escalationStage: 1 });
    // Acknowledged: on site within 15 minutes of the acknowledgement.
    expect(incident.deadline).toEqual({ kind: 'on_site', at: new Date(Date.parse(incident.acknowledgedAt!) + 900_000).toISOString() });
    expect(incident.history.map((h) => h.action)).toEqual(expect.arrayContaining(['opened', 'notified', 'escalated', 'acknowledged']));
  });

  it('escalates to the street emergency centre when nobody acknowledges within 180 s', async () => {
    const { alert } = await alarm('emergency_button', 'fall');
    const opened = await incidentOf(alert.id);
    // Red: acknowledge within 60 s of opening, before the leader and the duty officer are paged.
    expect(opened.deadline).toEqual({ kind: 'acknowledge', at: new Date(Date.parse(opened.openedAt) + 60_000).toISOString() });
    const centreBefore = hooksTo('centre').length;
    await advance(61_000);
    await advance(60_000);
    expect(hooksTo('centre').length).toBe(centreBefore);
    await advance(60_000);
    const centre = await eventually(async () => hooksTo('centre').slice(centreBefore)[0]);
    expect(centre.json).toMatchObject({ event: 'alert.escalated', stage: 2, alert: { id: alert.id } });
    expect(await incidentOf(alert.id)).toMatchObject({ escalationStage: 2, deadline: null });
  });

  it('pages the backup when the grid worker is away', async () => {
    const backup = (await t.api<{ id: string }>('POST', '/workers', { communityId: place.communityId, name: '李强', position: 'grid_worker', gridIds: [place.gridId], channels: [{ type: 'webhook', url: `${webhook.url}/backup`, secret: SECRET }] }, t.adminToken)).body;
    // 李强 covers the grid only as 王芳's backup: take him off the roster otherwise (no shift at this hour).
    await t.api('PATCH', `/workers/${backup.id}`, { roster: [{ weekday: 1, starts: '00:00', ends: '23:59' }] }, t.adminToken);
    await t.api('PATCH', `/workers/${workers.grid_worker}`, { awayUntil: new Date(clock.now() + 3600_000).toISOString(), backupWorkerId: backup.id }, t.adminToken);
    const before = hooksTo('worker').length;
    const { alert } = await alarm('emergency_button', 'sos');
    await eventually(async () => hooksTo('backup')[0]);
    expect(alert.assignees.map((a) => a.workerId)).toContain(backup.id);
    expect(hooksTo('worker').slice(before).filter((r) => (r.json as { alert: { id: string } }).alert.id === alert.id)).toEqual([]);
    await t.api('PATCH', `/workers/${workers.grid_worker}`, { awayUntil: null }, t.adminToken);
    await t.api('PATCH', `/workers/${backup.id}`, { roster: [{ weekday: 3, starts: '08:00', ends: '09:00' }] }, t.adminToken);
  });
});

describe('correlation', () => {
  it('makes two smoke detectors of one building one red incident, a confirmed fire', async () => {
    const first = await alarm('smoke_detector', 'alarm');
    const second = await alarm('smoke_detector', 'alarm');
    expect(second.alert.incidentId).toBe(first.alert.incidentId);
    const incident = await incidentOf(first.alert.id);
    expect(incident).toMatchObject({ level: 'red', scope: 'building', confirmed: 'fire', title: { 'zh-CN': '确认火情' }, buildingId: place.buildingId });
    expect(incident.alertIds.sort()).toEqual([first.alert.id, second.alert.id].sort());
    // One incident, one page: the second detector did not page the worker again.
    const raisedToWorker = incident.notifications.filter((n) => n.recipient.workerId === workers.grid_worker && n.event === 'alert.raised' && n.channelType === 'webhook');
    expect(raisedToWorker).toHaveLength(1);
  });
});
