/**
 * Residents' requests (接诉即办) end to end, on an injected clock, with real local receivers: intake by
 * every path, routing to the grid worker, the deadline's reminder and escalation (and none when answered
 * in time), the resident's status and one rating after close, statistics, and the phone masked by role.
 */
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent, PublicRequestStatus, RequestCreated, RequestDetail, RequestPolicy, RequestReceipt, RequestStats, ServiceRequest } from '../../contract/index.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { startReceiver, type Receiver } from '../helpers/receivers.ts';
import { eventually, startTestService, type TestService } from '../helpers/service.ts';

// Monday 30 November 2026, 10:00 in Beijing.
const clock = new ManualClock(Date.parse('2026-11-30T02:00:00Z'));
const HOUR = 3600_000;
const SECRET = 'request-webhook-secret';
const PASSWORD = 'request-test-pw';
const PHONE = '13912345678';
const MASKED = '139****5678';

let t: TestService;
let hooks: Receiver;
let wecom: Receiver;
let sms: Receiver;
const place = { communityId: '', grid1: '', grid2: '', building1: '', otherCommunityId: '' };
const workers: Record<string, string> = {};
const tokens: Record<string, string> = {};

beforeAll(async () => {
  hooks = await startReceiver();
  wecom = await startReceiver(() => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } }));
  sms = await startReceiver(() => ({ status: 200, body: { messageId: 'sms-1' } }));
  t = await startTestService({ clock, env: { ANJU_SMS_GATEWAY_URL: sms.url } });
  const admin = t.adminToken;
  const post = async <T = { id: string }>(url: string, body: unknown) => {
    const answer = await t.api<T>('POST', url, body, admin);
    if (answer.status !== 201) throw new Error(`${url} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  place.communityId = (await post('/communities', { name: '安居苑社区', kind: 'urban' })).id;
  place.grid1 = (await post('/grids', { communityId: place.communityId, name: '一网格' })).id;
  place.grid2 = (await post('/grids', { communityId: place.communityId, name: '二网格' })).id;
  place.building1 = (await post('/buildings', { communityId: place.communityId, gridId: place.grid1, name: '7号楼', units: 3 })).id;
  place.otherCommunityId = (await post('/communities', { name: '邻村', kind: 'rural' })).id;
  const hook = (who: string) => ({ type: 'webhook', url: `${hooks.url}/${who}`, secret: SECRET });
  const people = [
    { key: 'wangfang', name: '王芳', position: 'grid_worker', gridIds: [place.grid1], channels: [hook('wangfang'), { type: 'wecom', url: `${wecom.url}/robot` }, { type: 'sms', phone: '13800000001' }] },
    { key: 'liqiang', name: '李强', position: 'grid_worker', gridIds: [place.grid2], channels: [hook('liqiang')] },
    { key: 'leader', name: '赵敏', position: 'grid_leader', gridIds: [place.grid1, place.grid2], channels: [hook('leader')] },
    { key: 'duty', name: '陈刚', position: 'duty_officer', gridIds: [], channels: [hook('duty')] },
  ];
  for (const p of people) {
    workers[p.key] = (await post('/workers', { communityId: place.communityId, name: p.name, position: p.position, gridIds: p.gridIds, channels: p.channels })).id;
    await post('/users', { username: p.key, password: PASSWORD, role: 'worker', displayName: p.name, workerId: workers[p.key] });
  }
  await post('/users', { username: 'control', password: PASSWORD, role: 'operator', displayName: '指挥中心', communityIds: [place.communityId] });
  await post('/users', { username: 'elsewhere', password: PASSWORD, role: 'operator', displayName: '邻村值守', communityIds: [place.otherCommunityId] });
  for (const username of ['wangfang', 'liqiang', 'leader', 'duty', 'control', 'elsewhere']) tokens[username] = (await t.login(username, PASSWORD)).token;
});
afterAll(async () => {
  await t?.stop();
  for (const r of [hooks, wecom, sms]) await r?.close();
});

/** Moves time and runs what is due at the new time (timers, deliveries). */
async function advance(ms: number) {
  clock.advance(ms);
  await t.service.sweep();
  await t.service.settle();
}

type Hook = { event: string; stage: number; request: ServiceRequest; recipient: { workerId: string | null } };
/** Webhooks to one worker about one request, each delivery once (a retry after the clock jumped past its lease repeats its X-Anju-Delivery). */
const hooksTo = (who: string, requestId: string) => {
  const seen = new Set<unknown>();
  return hooks.requests
    .filter((r) => r.path === `/${who}` && (r.json as Hook).request?.id === requestId && !seen.has(r.headers['x-anju-delivery']) && seen.add(r.headers['x-anju-delivery']))
    .map((r) => r.json as Hook);
};
const waitForHook = (who: string, requestId: string, event: string) => eventually(async () => hooksTo(who, requestId).find((h) => h.event === event));

async function phoneCall(category: string, where: Record<string, string> = { buildingId: place.building1 }, token = tokens.control!) {
  const answer = await t.api<RequestCreated>(
    'POST',
    '/requests',
    { category, description: '楼道灯坏了，晚上看不见路', place: { communityId: place.communityId, ...where, unit: '2', room: '301' }, contact: { name: '张阿姨', phone: PHONE }, channel: 'phone' },
    token,
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

const detail = async (id: string, token = t.adminToken) => t.api<RequestDetail>('GET', `/requests/${id}`, undefined, token);
const overdueIds = async (token = tokens.control!) => (await t.api<ServiceRequest[]>('GET', `/requests?overdue=true&communityId=${place.communityId}`, undefined, token)).body.map((r) => r.id);

describe('intake and routing', () => {
  it("takes a phone call in the control room and routes it to the on-duty worker of the building's grid on every channel", async () => {
    const created = await phoneCall('repair');
    expect(created.reference).toMatch(/^AJ-20261130-\d{4}$/);
    expect(created.checkCode).toMatch(/^[A-Z0-9]{8}$/);
    expect(created).toMatchObject({
      channel: 'phone',
      status: 'open',
      place: { communityId: place.communityId, gridId: place.grid1, buildingId: place.building1, unit: '2', room: '301' },
      assignee: { workerId: workers.wangfang, name: '王芳', position: 'grid_worker' },
      contact: { name: '张阿姨', phone: PHONE, masked: false },
      overdue: false,
    });
    // Repairs: first response within 24 hours.
    expect(Date.parse(created.deadline) - Date.parse(created.receivedAt)).toBe(24 * HOUR);

    // The worker's own webhook is signed and carries the phone (the worker covers the grid) ...
    const hook = await eventually(async () => hooks.requests.find((r) => r.path === '/wangfang' && (r.json as Hook).request?.id === created.id));
    expect(hook.headers['x-anju-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(hook.raw).digest('hex')}`);
    expect(hook.headers['x-anju-event']).toBe('request.assigned');
    expect(hook.json).toMatchObject({ event: 'request.assigned', stage: 0, recipient: { workerId: workers.wangfang }, request: { reference: created.reference, contact: { phone: PHONE, masked: false } } });
    // ... and so does the SMS to the worker's own phone ...
    const text = await eventually(async () => sms.requests.map((r) => r.json as { phone: string; text: string }).find((m) => m.text.includes(created.reference)));
    expect(text.phone).toBe('13800000001');
    expect(text.text).toContain(PHONE);
    expect(text.text).toContain('请于2026-12-01 10:00:00前响应');
    // ... while the group robot shows it masked.
    const robot = await eventually(async () => wecom.requests.find((r) => r.raw.includes(created.reference)));
    expect(robot.json).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining('新诉求') } });
    expect(robot.raw).toContain(MASKED);
    expect(robot.raw).not.toContain(PHONE);

    const full = (await detail(created.id)).body;
    expect(full.history.map((h) => h.action)).toEqual(['received', 'assigned', 'notified']);
    expect(full.history[0]).toMatchObject({ toStatus: 'open', actor: { name: '指挥中心' }, detail: { channel: 'phone' } });
    expect(full.notifications.map((n) => n.channelType).sort()).toEqual(['sms', 'webhook', 'wecom']);
  });

  it('derives the grid from the building, refuses a grid that contradicts it, and sends a request without a grid to the duty officer', async () => {
    const wrong = await t.api<{ error: string; details: { path: string }[] }>(
      'POST',
      '/requests',
      { category: 'repair', description: 'x', place: { communityId: place.communityId, buildingId: place.building1, gridId: place.grid2 }, contact: { name: '张', phone: PHONE } },
      tokens.control,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.details[0]?.path).toBe('place.gridId');
    const outside = await t.api('POST', '/requests', { category: 'repair', description: 'x', place: { communityId: place.otherCommunityId }, contact: { name: '张', phone: PHONE } }, tokens.control);
    expect(outside.status).toBe(403);
    const noGrid = await phoneCall('environment', { address: '北门外垃圾堆' });
    expect(noGrid).toMatchObject({ place: { gridId: null, address: '北门外垃圾堆' }, assignee: { workerId: workers.duty, position: 'duty_officer' } });
  });

  it("takes a resident's own request without sign-in and shows its status by reference and check code", async () => {
    const receipt = await t.api<RequestReceipt>('POST', '/public/requests', {
      category: 'elderly',
      description: '独居老人家里水管漏水，需要帮忙',
      place: { communityId: place.communityId, gridId: place.grid2 },
      contact: { name: '李大爷', phone: '13700001111' },
    });
    expect(receipt.status).toBe(201);
    expect(receipt.body).toMatchObject({ reference: expect.stringMatching(/^AJ-/), checkCode: expect.any(String), status: 'open' });
    // The form offers the communities and their buildings, nothing more.
    const places = (await t.api<{ id: string; buildings: { id: string }[] }[]>('GET', '/public/places')).body;
    expect(places.find((p) => p.id === place.communityId)?.buildings.map((b) => b.id)).toEqual([place.building1]);
    const { reference, checkCode } = receipt.body;

    expect((await t.api('GET', `/public/requests/${reference}?code=WRONGCODE`)).status).toBe(404);
    const seen = await t.api<PublicRequestStatus>('GET', `/public/requests/${reference}?code=${checkCode.toLowerCase()}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ reference, status: 'open', category: 'elderly', categoryName: { 'zh-CN': '养老助老' }, contactPhone: '137****1111', canRate: false, rating: null });
    // Nobody's name, nobody's unmasked phone: not the resident's, not the worker's.
    expect(JSON.stringify(seen.body)).not.toMatch(/李强|李大爷|13700001111/);
    expect(seen.body.history.map((h) => h.action)).toEqual(['received', 'assigned']);

    // Routed to the grid's worker, with channel "web".
    const [request] = (await t.api<ServiceRequest[]>('GET', `/requests?reference=${reference}`, undefined, tokens.liqiang)).body;
    expect(request).toMatchObject({ channel: 'web', assignee: { workerId: workers.liqiang }, contact: { phone: '13700001111', masked: false } });
  });

  it("turns a kiosk's request_submitted event into a request placed at the kiosk, and sends the kiosk its receipt", async () => {
    const kiosk = await t.provision({ kind: 'kiosk', communityId: place.communityId, location: { buildingId: place.building1, floor: 1 } });
    const client = await t.connectDevice(kiosk);
    const commands = `anju/v1/devices/${kiosk.id}/commands`;
    await client.subscribeAsync(commands, { qos: 0 });
    const receiptMessage = new Promise<string>((resolve) => client.on('message', (topic, payload) => topic === commands && resolve(payload.toString())));
    const event = { seq: 41, event: 'request_submitted', data: { category: 'safety', description: '消防通道被电动车堵住', contact_name: '陈先生', contact_phone: '13655556666', ticket: 'K-0041' } };
    await client.publishAsync(`anju/v1/devices/${kiosk.id}/events`, JSON.stringify(event), { qos: 1 });
    await t.service.settle();
    const [request] = (await t.api<ServiceRequest[]>('GET', `/requests?communityId=${place.communityId}&category=safety`, undefined, tokens.control)).body.filter((r) => r.deviceId === kiosk.id);
    expect(request).toMatchObject({ channel: 'kiosk', place: { buildingId: place.building1, gridId: place.grid1 }, assignee: { workerId: workers.wangfang }, contact: { name: '陈先生' } });
    // Safety hazards: first response within 2 hours.
    expect(Date.parse(request!.deadline) - Date.parse(request!.receivedAt)).toBe(2 * HOUR);

    const receipt = JSON.parse(await receiptMessage) as { command: string; args: { reference: string; check_code: string; ticket: string } };
    expect(receipt).toMatchObject({ command: 'request_receipt', args: { reference: request!.reference, ticket: 'K-0041' } });
    expect((await t.api('GET', `/public/requests/${request!.reference}?code=${receipt.args.check_code}`)).status).toBe(200);
    await client.endAsync(true);
  });
});

describe('the deadline', () => {
  it('reminds the worker before the deadline, escalates to the grid leader after it and then to the duty officer, and calms down on the first response', async () => {
    const created = await phoneCall('safety');
    // Safety: due in 2 h; the reminder half-way (the window is no longer than the 2 h lead).
    await advance(HOUR + 1000);
    const reminder = await waitForHook('wangfang', created.id, 'request.reminder');
    expect(reminder.request.overdue).toBe(false);
    expect(hooksTo('leader', created.id)).toEqual([]);

    // 2 h: no first response; the grid leader is paged and the request shows as overdue.
    await advance(HOUR);
    const escalated = await waitForHook('leader', created.id, 'request.escalated');
    expect(escalated).toMatchObject({ stage: 1, recipient: { workerId: workers.leader }, request: { escalationStage: 1, overdue: true } });
    expect(await overdueIds()).toContain(created.id);
    expect(hooksTo('duty', created.id)).toEqual([]);
    // The grid leader now finds it among his own requests (the worker view's list), the duty officer not yet.
    const mine = async (who: string) => (await t.api<ServiceRequest[]>('GET', '/requests?assignedTo=me&status=active', undefined, tokens[who])).body.map((r) => r.id);
    expect(await mine('leader')).toContain(created.id);
    expect(await mine('wangfang')).toContain(created.id);
    expect(await mine('duty')).not.toContain(created.id);
    expect(await mine('liqiang')).not.toContain(created.id);

    // 2 h after the deadline, the community's duty officer too.
    await advance(2 * HOUR);
    const duty = await waitForHook('duty', created.id, 'request.escalated');
    // The duty officer covers no grid: his webhook carries the phone masked.
    expect(duty).toMatchObject({ stage: 2, request: { contact: { phone: MASKED, masked: true }, escalatedTo: [{ workerId: workers.leader }, { workerId: workers.duty }] } });
    expect(await mine('duty')).toContain(created.id);

    // The worker calls back: those the escalation reached hear so, and it is no longer overdue.
    const responded = await t.api<ServiceRequest>('POST', `/requests/${created.id}/respond`, { note: '已联系陈先生，今天下午清理通道' }, tokens.wangfang);
    expect(responded.status).toBe(200);
    expect(responded.body).toMatchObject({ status: 'responded', overdue: false, firstResponseS: 4 * 3600 + 1 });
    await waitForHook('leader', created.id, 'request.updated');
    await waitForHook('duty', created.id, 'request.updated');
    expect(await overdueIds()).not.toContain(created.id);
    const history = (await detail(created.id)).body.history;
    expect(history.filter((h) => h.action === 'escalated').map((h) => (h.detail as { stage: number }).stage)).toEqual([1, 2]);
    expect(history.find((h) => h.action === 'responded')).toMatchObject({ fromStatus: 'open', toStatus: 'responded', actor: { name: '王芳' }, detail: { onTime: false } });
  });

  it('does not escalate a request answered in time', async () => {
    const created = await phoneCall('repair');
    await advance(3 * HOUR);
    expect((await t.api('POST', `/requests/${created.id}/respond`, { note: '明早师傅上门' }, tokens.wangfang)).status).toBe(200);
    await advance(22 * HOUR);
    await advance(3 * HOUR);
    await t.service.sweep();
    expect(hooksTo('leader', created.id)).toEqual([]);
    expect(hooksTo('wangfang', created.id).map((h) => h.event)).toEqual(['request.assigned']);
    const full = (await detail(created.id)).body;
    expect(full.history.map((h) => h.action)).not.toContain('escalated');
    expect(full).toMatchObject({ overdue: false, escalationStage: 0, firstResponseS: 3 * 3600 });
    const { rows } = await t.service.db.query('SELECT key FROM timers WHERE payload->>\'requestId\' = $1', [created.id]);
    expect(rows).toEqual([]);
  });

  it('takes the deadline per category from the request policy, which only an admin may change', async () => {
    const current = (await t.api<RequestPolicy>('GET', '/requests/policy', undefined, tokens.control)).body;
    expect(current.respondWithinS).toMatchObject({ repair: 86_400, safety: 7200 });
    const changed = { ...current, respondWithinS: { ...current.respondWithinS, neighbour: 4 * 3600 } };
    expect((await t.api('PUT', '/requests/policy', changed, tokens.control)).status).toBe(403);
    expect((await t.api('PUT', '/requests/policy', { ...changed, escalation: [] }, t.adminToken)).status).toBe(400);
    expect((await t.api('PUT', '/requests/policy', changed, t.adminToken)).status).toBe(200);
    const created = await phoneCall('neighbour');
    expect(Date.parse(created.deadline) - Date.parse(created.receivedAt)).toBe(4 * HOUR);
    expect((await t.api('PUT', '/requests/policy', current, t.adminToken)).status).toBe(200);
  });
});

describe('close and rating', () => {
  it('moves through progress to close, then takes one rating from the resident with the check code', async () => {
    const receipt = (await t.api<RequestReceipt>('POST', '/public/requests', {
      category: 'repair',
      description: '单元门禁坏了',
      place: { communityId: place.communityId, buildingId: place.building1, unit: '1' },
      contact: { name: '王女士', phone: '13511112222' },
    })).body;
    const [request] = (await t.api<ServiceRequest[]>('GET', `/requests?reference=${receipt.reference}`, undefined, tokens.wangfang)).body;
    const rate = (body: object) => t.api<{ error: string }>('POST', `/public/requests/${receipt.reference}/rating`, body);

    expect((await rate({ code: receipt.checkCode, rating: 'good' })).body).toMatchObject({ error: 'request_not_closed' });
    // Another grid's worker may not act on it (nor even see it); its own worker may.
    expect((await t.api('POST', `/requests/${request!.id}/respond`, { note: 'x' }, tokens.liqiang)).status).toBe(404);
    expect((await t.api('POST', `/requests/${request!.id}/progress`, { note: '已报物业，配件明天到' }, tokens.wangfang)).status).toBe(200);
    expect((await t.api('POST', `/requests/${request!.id}/close`, { resolution: '门禁已修好' }, tokens.wangfang)).status).toBe(200);
    expect((await t.api<{ error: string }>('POST', `/requests/${request!.id}/close`, { resolution: '再关一次' }, tokens.wangfang)).body).toMatchObject({ error: 'invalid_transition' });

    const closed = (await t.api<PublicRequestStatus>('GET', `/public/requests/${receipt.reference}?code=${receipt.checkCode}`)).body;
    expect(closed).toMatchObject({ status: 'closed', resolution: '门禁已修好', canRate: true });
    expect(closed.history.map((h) => [h.action, h.note])).toEqual([
      ['received', null],
      ['assigned', null],
      ['progress', '已报物业，配件明天到'],
      ['closed', '门禁已修好'],
    ]);

    expect((await rate({ code: 'WRONG123', rating: 'good' })).status).toBe(404);
    const rated = await t.api<PublicRequestStatus>('POST', `/public/requests/${receipt.reference}/rating`, { code: receipt.checkCode, rating: 'good', comment: '修得很快，谢谢' });
    expect(rated.status).toBe(200);
    expect(rated.body).toMatchObject({ rating: { value: 'good', comment: '修得很快，谢谢' }, canRate: false });
    const again = await rate({ code: receipt.checkCode, rating: 'bad' });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('already_rated');
    expect((await detail(request!.id)).body).toMatchObject({ rating: { value: 'good' }, status: 'closed' });
  });
});

describe('statistics', () => {
  it('counts response times against the deadline and satisfaction per grid and per category', async () => {
    const stage = (await t.api<{ id: string }>('POST', '/communities', { name: '统计社区', kind: 'urban' }, t.adminToken)).body.id;
    const g1 = (await t.api<{ id: string }>('POST', '/grids', { communityId: stage, name: '东网格' }, t.adminToken)).body.id;
    const g2 = (await t.api<{ id: string }>('POST', '/grids', { communityId: stage, name: '西网格' }, t.adminToken)).body.id;
    const from = clock.now();
    const take = async (category: string, gridId: string) =>
      (await t.api<RequestCreated>('POST', '/requests', { category, description: '统计用', place: { communityId: stage, gridId }, contact: { name: '居民', phone: PHONE } }, t.adminToken)).body;
    const onTime = await take('repair', g1);
    const late = await take('safety', g1);
    const waiting = await take('environment', g2);
    const finish = async (r: RequestCreated, rating: string) => {
      await t.api('POST', `/requests/${r.id}/respond`, { note: '收到' }, t.adminToken);
      await t.api('POST', `/requests/${r.id}/close`, { resolution: '已办结' }, t.adminToken);
      expect((await t.api('POST', `/public/requests/${r.reference}/rating`, { code: r.checkCode, rating })).status).toBe(200);
    };
    await advance(HOUR);
    await finish(onTime, 'good'); // 1 h, repairs are due in 24 h
    await advance(2 * HOUR);
    await finish(late, 'bad'); // 3 h, safety hazards are due in 2 h
    await advance(22 * HOUR); // 25 h: the environment request is past its 24 h

    const stats = async (groupBy: string) =>
      (await t.api<RequestStats>('GET', `/requests/stats?communityId=${stage}&groupBy=${groupBy}&from=${from}&to=${clock.now()}`, undefined, t.adminToken)).body;
    const byGrid = await stats('grid');
    expect(byGrid.groups.map((g) => g.key).sort()).toEqual([g1, g2].sort());
    const east = byGrid.groups.find((g) => g.key === g1)!;
    expect(east).toEqual({
      key: g1,
      name: '东网格',
      count: 2,
      responded: 2,
      respondedOnTime: 1,
      late: 1,
      onTimePct: 50,
      medianResponseS: 7200,
      p90ResponseS: 10_080,
      overdue: 0,
      closed: 2,
      satisfaction: { good: 1, fair: 0, bad: 1, rated: 2, goodPct: 50 },
    });
    expect(byGrid.groups.find((g) => g.key === g2)).toMatchObject({ count: 1, responded: 0, late: 1, overdue: 1, onTimePct: 0, medianResponseS: null, satisfaction: { rated: 0, goodPct: null } });
    expect(byGrid.total).toMatchObject({ key: null, count: 3, respondedOnTime: 1, late: 2, onTimePct: 33.3, overdue: 1, closed: 2, satisfaction: { good: 1, bad: 1, goodPct: 50 } });

    const byCategory = await stats('category');
    expect(Object.fromEntries(byCategory.groups.map((g) => [g.key, [g.name, g.count, g.satisfaction.goodPct]]))).toEqual({
      environment: ['环境卫生', 1, null],
      repair: ['维修', 1, 100],
      safety: ['安全隐患', 1, 0],
    });
    // An operator of another community learns nothing of this one.
    expect((await t.api('GET', `/requests/stats?communityId=${stage}`, undefined, tokens.elsewhere)).status).toBe(404);
    expect((await t.api<RequestStats>('GET', '/requests/stats?groupBy=community', undefined, tokens.elsewhere)).body.total.count).toBe(0);
  });
});

describe('personal data', () => {
  /** Opens the live stream as a dashboard would and collects its events. */
  async function liveStream(token: string) {
    const events: LiveEvent[] = [];
    const socket = new WebSocket(`${t.service.httpUrl.replace('http', 'ws')}/api/v1/stream?access_token=${token}`);
    socket.on('message', (data) => events.push(JSON.parse(String(data)) as LiveEvent));
    await eventually(async () => (events.some((e) => e.type === 'hello') ? true : undefined));
    return { events, close: () => socket.close() };
  }
  const requestEvents = (events: LiveEvent[], id: string) => events.flatMap((e) => (e.type === 'request.updated' && e.request.id === id ? [e.request] : []));

  it("shows a resident's phone only to those responsible for the place, masked to others in scope, and nothing outside it", async () => {
    const lives = Object.fromEntries(await Promise.all(['control', 'elsewhere', 'wangfang', 'liqiang'].map(async (who) => [who, await liveStream(tokens[who]!)] as const)));
    const created = await phoneCall('neighbour');
    const view = async (who: string) => t.api<RequestDetail>('GET', `/requests/${created.id}`, undefined, who === 'admin' ? t.adminToken : tokens[who]);
    const listed = async (who: string) => (await t.api<ServiceRequest[]>('GET', `/requests?communityId=${place.communityId}`, undefined, tokens[who])).body.filter((r) => r.id === created.id);

    // The admin, the community's operator and the grid's worker see the phone.
    for (const who of ['admin', 'control', 'wangfang']) expect((await view(who)).body.contact, who).toEqual({ name: '张阿姨', phone: PHONE, masked: false });
    // A worker of another grid and an operator of another community: no access at all.
    for (const who of ['liqiang', 'elsewhere']) {
      expect((await view(who)).status, who).toBe(404);
      expect(await listed(who), who).toEqual([]);
    }
    // The duty officer covers no grid: once the request is escalated to him he sees it, the phone masked.
    expect((await view('duty')).status).toBe(404);
    await advance(24 * HOUR + 1000);
    await advance(2 * HOUR);
    const duty = await view('duty');
    expect(duty.status).toBe(200);
    expect(duty.body.contact).toEqual({ name: '张阿姨', phone: MASKED, masked: true });
    expect(JSON.stringify((await t.api('GET', `/requests?overdue=true`, undefined, tokens.duty)).body)).not.toContain(PHONE);

    // The live stream follows the same rule.
    await eventually(async () => (requestEvents(lives.control!.events, created.id).length ? true : undefined));
    await eventually(async () => (requestEvents(lives.wangfang!.events, created.id).length ? true : undefined));
    for (const r of requestEvents(lives.control!.events, created.id)) expect(r.contact.phone).toBe(PHONE);
    for (const r of requestEvents(lives.wangfang!.events, created.id)) expect(r.contact.phone).toBe(PHONE);
    expect(requestEvents(lives.liqiang!.events, created.id)).toEqual([]);
    expect(requestEvents(lives.elsewhere!.events, created.id)).toEqual([]);
    for (const live of Object.values(lives)) live.close();

    // A vendor may not read requests at all.
    await t.api('POST', '/users', { username: 'vendor1', password: PASSWORD, role: 'vendor', displayName: 'Vendor' }, t.adminToken);
    expect((await t.api('GET', '/requests', undefined, (await t.login('vendor1', PASSWORD)).token)).status).toBe(403);
  });

  it('keeps phone numbers out of the logs', async () => {
    const { createLogger } = await import('../../platform/logger.ts');
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream);
    logger.info({ request: { contact: { name: '张阿姨', phone: PHONE } }, phone: PHONE }, 'a request');
    expect(lines.join('')).not.toContain(PHONE);
  });
});

describe('the API description', () => {
  it('documents every request call in the OpenAPI document, the public ones without sign-in', async () => {
    const doc = (await t.service.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    for (const [path, method] of [
      ['/api/v1/requests', 'get'],
      ['/api/v1/requests', 'post'],
      ['/api/v1/requests/stats', 'get'],
      ['/api/v1/requests/policy', 'put'],
      ['/api/v1/requests/{id}', 'get'],
      ['/api/v1/requests/{id}/respond', 'post'],
      ['/api/v1/requests/{id}/progress', 'post'],
      ['/api/v1/requests/{id}/close', 'post'],
      ['/api/v1/requests/{id}/assign', 'post'],
      ['/api/v1/public/places', 'get'],
      ['/api/v1/public/requests', 'post'],
      ['/api/v1/public/requests/{reference}', 'get'],
      ['/api/v1/public/requests/{reference}/rating', 'post'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    expect(doc.paths['/api/v1/public/requests']!.post!.security).toEqual([]);
  });
});

describe('abuse', () => {
  it('rate-limits the public intake per address', async () => {
    let limited: { status: number; body: { error: string } } | undefined;
    for (let i = 0; i < 12 && !limited; i++) {
      const answer = await t.api<{ error: string }>('POST', '/public/requests', { category: 'other', description: `第${i}次`, place: { communityId: place.communityId }, contact: { name: '某人', phone: PHONE } });
      if (answer.status === 429) limited = answer;
      else expect(answer.status).toBe(201);
    }
    expect(limited?.body.error).toBe('rate_limited');
  });
});
