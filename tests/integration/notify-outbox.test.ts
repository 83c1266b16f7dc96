/**
 * The notification outbox against a real PostgreSQL and real HTTP receivers on loopback: signed webhooks,
 * WeCom and DingTalk robots, an SMS gateway, retries on a manual clock, timeouts, flood control, and
 * several instances sharing one database.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Notification, WebhookDelivery, type Alert, type Channel, type Incident, type WarningLevel } from '../../contract/index.ts';
import { createDatabase, inTransaction, type Database } from '../../platform/db/database.ts';
import { migrate } from '../../platform/db/migrate.ts';
import { createLogger } from '../../platform/logger.ts';
import { NotificationOutbox, type NewNotification, type OutboxDeps, type OutboxOptions } from '../../platform/notify/outbox.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { ManualClock } from '../helpers/manual-clock.ts';

const logger = createLogger('silent');
const SECRET = 'webhook-secret-0123';
const INCIDENT_ID = 'inc-fire-b3';
const T0 = Date.parse('2026-11-29T08:00:00Z');

let databaseUrl: string;
let db: Database;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  db = createDatabase(databaseUrl, logger);
  await migrate(db, logger);
  await db.query(
    `INSERT INTO incidents (id, community_id, building_id, grid_id, category, scope, level, status, title, opened_at, last_alert_at)
     VALUES ($1, 'xingfuli', 'b-3', 'grid-1', 'fire', 'building', 'red', 'open', $2, $3, $3)`,
    [INCIDENT_ID, JSON.stringify({ 'zh-CN': '3号楼火情', en: 'Fire in building 3' }), new Date(T0)],
  );
});
afterAll(async () => {
  await db?.end();
});
beforeEach(async () => {
  await db.query('TRUNCATE notifications, notification_attempts');
});
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

// ---- fixtures ----

function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'alert-smoke-302',
    deviceId: 'smoke-302',
    deviceKind: 'smoke_detector',
    communityId: 'xingfuli',
    gridId: 'grid-1',
    buildingId: 'b-3',
    location: { buildingId: 'b-3', floor: 3, unit: '2', room: '302' },
    rule: 'smoke_detector.alarm',
    title: { 'zh-CN': '烟感火警', en: 'Smoke alarm' },
    level: 'red',
    status: 'open',
    count: 1,
    value: null,
    raisedAt: new Date(T0).toISOString(),
    lastAt: new Date(T0).toISOString(),
    clearedAt: null,
    acknowledgedAt: null,
    onSiteAt: null,
    resolvedAt: null,
    disposition: null,
    assignees: [{ workerId: 'w-wangfang', name: '王芳', position: 'grid_worker' }],
    incidentId: INCIDENT_ID,
    category: 'fire',
    test: false,
    suppressed: null,
    ...overrides,
  };
}

const incident: Incident = {
  id: INCIDENT_ID,
  communityId: 'xingfuli',
  buildingId: 'b-3',
  gridId: 'grid-1',
  category: 'fire',
  scope: 'building',
  level: 'red',
  status: 'open',
  title: { 'zh-CN': '3号楼火情', en: 'Fire in building 3' },
  confirmed: null,
  test: false,
  suppressed: null,
  openedAt: new Date(T0).toISOString(),
  lastAlertAt: new Date(T0).toISOString(),
  acknowledgedAt: null,
  onSiteAt: null,
  resolvedAt: null,
  escalationStage: 0,
  deadline: { kind: 'acknowledge', at: new Date(T0 + 60_000).toISOString() },
  assignees: [{ workerId: 'w-wangfang', name: '王芳', position: 'grid_worker' }],
  alertIds: ['alert-smoke-302'],
};

function notification(channel: Channel, options: { level?: WarningLevel; alertId?: string; incident?: boolean; workerId?: string } & Partial<Pick<NewNotification, 'event' | 'stage' | 'recipient'>> = {}): NewNotification {
  const level = options.level ?? 'red';
  const recipient = options.recipient ?? { workerId: options.workerId ?? 'w-wangfang', name: '王芳', position: 'grid_worker' as const };
  const event = options.event ?? 'alert.raised';
  const stage = options.stage ?? 0;
  const withIncident = options.incident ?? true;
  return {
    incidentId: withIncident ? INCIDENT_ID : null,
    alertId: options.alertId ?? 'alert-smoke-302',
    event,
    stage,
    level,
    recipient,
    channel,
    payload: { event, alert: alert({ level, id: options.alertId ?? 'alert-smoke-302' }), ...(withIncident ? { incident } : {}), recipient, stage },
  };
}

function outboxWith(clock: ManualClock, options: OutboxOptions = {}, deps: Partial<OutboxDeps> = {}): NotificationOutbox {
  const outbox = new NotificationOutbox({ db, clock, logger, ...deps }, options);
  closers.push(() => outbox.stop());
  return outbox;
}

function enqueue(outbox: NotificationOutbox, clock: ManualClock, items: NewNotification[]) {
  return inTransaction(db, (client) => outbox.enqueue(client, items, clock.now()));
}

async function one(outbox: NotificationOutbox, id: string): Promise<Notification> {
  const found = (await outbox.list({ incidentId: INCIDENT_ID })).concat(await outbox.list({ alertId: 'alert-smoke-302' })).find((n) => n.id === id);
  if (!found) throw new Error(`notification ${id} not listed`);
  return Notification.parse(found);
}

// ---- real HTTP receivers on loopback ----

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  raw: string;
  at: number;
}
type Answer = { status: number; body?: unknown } | 'hang';

async function receiver(answer: (request: Received, count: number) => Answer) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: Received = { url: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8'), at: performance.now() };
      received.push(request);
      const reply = answer(request, received.length);
      if (reply === 'hang') return;
      const body = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  closers.push(close);
  return { base, url: `${base}/hook`, received, close };
}

function signatureValid(request: Received, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(request.raw).digest('hex')}`);
  const given = Buffer.from(String(request.headers['x-anju-signature'] ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function until<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// ---- the behaviours ----

describe('signed webhook delivery', () => {
  it('POSTs the contract body once, signed with the channel secret, with the notification id as X-Anju-Delivery', async () => {
    const clock = new ManualClock(T0);
    const hook = await receiver((request) => (signatureValid(request, SECRET) ? { status: 202, body: { accepted: true } } : { status: 401, body: 'bad signature' }));
    const outbox = outboxWith(clock);
    const [queued] = await enqueue(outbox, clock, [notification({ type: 'webhook', url: hook.url, secret: SECRET })]);
    expect(queued).toMatchObject({ status: 'pending', attempts: 0, channelType: 'webhook', recipient: { workerId: 'w-wangfang', name: '王芳', position: 'grid_worker' } });

    expect(await outbox.deliverDue()).toBe(1);

    expect(hook.received).toHaveLength(1);
    const request = hook.received[0]!;
    expect(signatureValid(request, SECRET)).toBe(true);
    expect(signatureValid(request, 'another-secret-xyz')).toBe(false);
    expect(request.headers['x-anju-delivery']).toBe(queued!.id);
    expect(request.headers['content-type']).toBe('application/json');
    const body = JSON.parse(request.raw) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['event', 'alert', 'incident', 'recipient', 'stage']);
    expect(WebhookDelivery.parse(body)).toEqual(notification({ type: 'webhook', url: hook.url, secret: SECRET }).payload);

    const delivered = await one(outbox, queued!.id);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 1, deliveredAt: new Date(T0).toISOString(), nextAttemptAt: null, lastError: null, receipt: { accepted: true } });
    expect(delivered.attemptLog).toEqual([{ at: new Date(T0).toISOString(), ok: true, statusCode: 202, error: null, durationMs: expect.any(Number) }]);
    expect(await outbox.deliverDue()).toBe(0);
  });
});

describe('retries', () => {
  it('retries an SMS gateway that fails three times with backoff on the clock, while webhook and WeCom go out on the first pass', async () => {
    const clock = new ManualClock(T0);
    const gateway = await receiver((_, count) => (count <= 3 ? { status: 500, body: 'gateway overloaded' } : { status: 200, body: { messageId: 'sms-20261129-0001', fee: 1 } }));
    const hook = await receiver(() => ({ status: 200 }));
    const wecom = await receiver(() => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } }));
    const outbox = outboxWith(clock, { sms: { url: `${gateway.base}/sms/send`, token: 'gw-token' } });
    const [sms, webhook, robot] = await enqueue(outbox, clock, [
      notification({ type: 'sms', phone: '+8613800138000' }),
      notification({ type: 'webhook', url: hook.url, secret: SECRET }),
      notification({ type: 'wecom', url: `${wecom.base}/cgi-bin/webhook/send?key=k1` }),
    ]);

    expect(await outbox.deliverDue()).toBe(3);
    expect(await one(outbox, webhook!.id)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await one(outbox, robot!.id)).toMatchObject({ status: 'delivered', attempts: 1, receipt: { errcode: 0, errmsg: 'ok' } });
    expect(await one(outbox, sms!.id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'HTTP 500: gateway overloaded',
      nextAttemptAt: new Date(T0 + 5_000).toISOString(),
    });

    clock.advance(4_999);
    expect(await outbox.deliverDue()).toBe(0);
    clock.advance(1);
    expect(await outbox.deliverDue()).toBe(1);
    expect((await one(outbox, sms!.id)).nextAttemptAt).toBe(new Date(T0 + 5_000 + 15_000).toISOString());
    clock.advance(15_000);
    expect(await outbox.deliverDue()).toBe(1);
    clock.advance(44_999);
    expect(await outbox.deliverDue()).toBe(0);
    clock.advance(1);
    expect(await outbox.deliverDue()).toBe(1);

    const delivered = await one(outbox, sms!.id);
    expect(delivered).toMatchObject({
      status: 'delivered',
      attempts: 4,
      deliveredAt: new Date(T0 + 65_000).toISOString(),
      lastError: null,
      receipt: { messageId: 'sms-20261129-0001', fee: 1 },
    });
    expect(delivered.attemptLog!.map((a) => [a.at, a.ok, a.statusCode])).toEqual([
      [new Date(T0).toISOString(), false, 500],
      [new Date(T0 + 5_000).toISOString(), false, 500],
      [new Date(T0 + 20_000).toISOString(), false, 500],
      [new Date(T0 + 65_000).toISOString(), true, 200],
    ]);
    expect(hook.received).toHaveLength(1);
    expect(wecom.received).toHaveLength(1);

    expect(gateway.received).toHaveLength(4);
    for (const request of gateway.received) {
      expect(request.url).toBe('/sms/send');
      expect(request.headers.authorization).toBe('Bearer gw-token');
    }
    const body = JSON.parse(gateway.received[3]!.raw) as { phone: string; template: string; text: string; params: Record<string, string> };
    expect(body.phone).toBe('+8613800138000');
    expect(body.template).toContain('{levelName}预警');
    expect(body.text).toBe('【安居】红色预警：烟感火警，社区 xingfuli · 楼栋 b-3 · 2单元 · 3层 · 302室，2026-11-29 16:00:00。请立即处置。');
    expect(body.params).toEqual({ levelName: '红色', title: '烟感火警', place: '社区 xingfuli · 楼栋 b-3 · 2单元 · 3层 · 302室', time: '2026-11-29 16:00:00' });
  });

  it('gives up after maxAttempts: failed with the last error, never tried again, counted per channel', async () => {
    const clock = new ManualClock(T0);
    const hook = await receiver(() => ({ status: 503, body: 'maintenance' }));
    const registry = new Registry();
    const counter = new Counter({ name: 'anju_notifications_total', help: 't', labelNames: ['channel', 'outcome'] as const, registers: [registry] });
    const outbox = outboxWith(clock, { maxAttempts: 3 }, { metrics: { notifications: counter } });
    const [queued] = await enqueue(outbox, clock, [notification({ type: 'webhook', url: hook.url, secret: SECRET })]);

    expect(await outbox.deliverDue()).toBe(1);
    clock.advance(5_000);
    expect(await outbox.deliverDue()).toBe(1);
    clock.advance(15_000);
    expect(await outbox.deliverDue()).toBe(1);
    clock.advance(3_600_000);
    expect(await outbox.deliverDue()).toBe(0);

    const failed = await one(outbox, queued!.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, lastError: 'HTTP 503: maintenance', nextAttemptAt: null, deliveredAt: null });
    expect(failed.attemptLog).toHaveLength(3);
    expect(hook.received.map((r) => r.headers['x-anju-delivery'])).toEqual([queued!.id, queued!.id, queued!.id]);
    const counts = Object.fromEntries((await counter.get()).values.map((v) => [`${v.labels.channel}/${v.labels.outcome}`, v.value]));
    expect(counts).toEqual({ 'webhook/retrying': 2, 'webhook/failed': 1 });
  });

  it('fails an SMS at once, with a clear error, when no gateway is configured', async () => {
    const clock = new ManualClock(T0);
    const outbox = outboxWith(clock);
    const [queued] = await enqueue(outbox, clock, [notification({ type: 'sms', phone: '13800138000' })]);
    expect(await outbox.deliverDue()).toBe(1);
    clock.advance(600_000);
    expect(await outbox.deliverDue()).toBe(0);
    expect(await one(outbox, queued!.id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'no SMS gateway is configured (OutboxOptions.sms)' });
  });

  it('keeps a notification with an invalid channel as failed instead of failing the dispatcher\'s transaction', async () => {
    const clock = new ManualClock(T0);
    const outbox = outboxWith(clock);
    const [bad, good] = await enqueue(outbox, clock, [
      notification({ type: 'webhook', url: 'http://127.0.0.1:9/hook', secret: 'short' }),
      notification({ type: 'wecom', url: 'http://127.0.0.1:9/robot' }),
    ]);
    expect(bad).toMatchObject({ status: 'failed', lastError: expect.stringContaining('invalid channel: secret') });
    expect(good!.status).toBe('pending');
  });
});

describe('chat robots', () => {
  it('sends WeCom a bilingual markdown message and retries when the robot answers a non-zero errcode', async () => {
    const clock = new ManualClock(T0);
    const robot = await receiver((_, count) => ({ status: 200, body: count === 1 ? { errcode: 93000, errmsg: 'invalid webhook url' } : { errcode: 0, errmsg: 'ok' } }));
    const outbox = outboxWith(clock);
    const [queued] = await enqueue(outbox, clock, [
      notification(
        { type: 'wecom', url: `${robot.base}/cgi-bin/webhook/send?key=abc` },
        { event: 'alert.escalated', stage: 1, recipient: { workerId: 'w-zhaomin', name: '赵敏', position: 'grid_leader' } },
      ),
    ]);

    expect(await outbox.deliverDue()).toBe(1);
    const first = await one(outbox, queued!.id);
    expect(first).toMatchObject({ status: 'pending', attempts: 1, lastError: 'errcode 93000: invalid webhook url', receipt: null });
    expect(first.attemptLog![0]).toMatchObject({ ok: false, statusCode: 200 });

    const request = robot.received[0]!;
    expect(request.url).toBe('/cgi-bin/webhook/send?key=abc');
    const body = JSON.parse(request.raw) as { msgtype: string; markdown: { content: string } };
    expect(Object.keys(body)).toEqual(['msgtype', 'markdown']);
    expect(body.msgtype).toBe('markdown');
    const lines = body.markdown.content.split('\n');
    expect(lines[0]).toBe('### <font color="warning">红色 I 级预警</font>：烟感火警');
    expect(lines[1]).toBe('Red (I) warning: Smoke alarm');
    for (const expected of ['社区 xingfuli · 楼栋 b-3 · 2单元 · 3层 · 302室', 'room 302', '烟感探测器 Smoke detector · smoke-302', '2026-11-29 16:00:00', '升级至网格长 Escalated to grid leader', '请立即确认并赶赴现场处置', 'alert-smoke-302']) {
      expect(body.markdown.content).toContain(expected);
    }

    clock.advance(5_000);
    expect(await outbox.deliverDue()).toBe(1);
    expect(await one(outbox, queued!.id)).toMatchObject({ status: 'delivered', attempts: 2, lastError: null, receipt: { errcode: 0, errmsg: 'ok' } });
  });

  it('signs DingTalk requests with timestamp and sign that the robot can verify with its secret', async () => {
    const clock = new ManualClock(T0 + 123);
    const secret = 'SEC0123456789abcdef';
    const robot = await receiver((request) => {
      const url = new URL(request.url, 'http://robot');
      const timestamp = url.searchParams.get('timestamp') ?? '';
      const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
      return { status: 200, body: url.searchParams.get('sign') === expected ? { errcode: 0, errmsg: 'ok' } : { errcode: 310000, errmsg: 'sign not match' } };
    });
    const outbox = outboxWith(clock);
    const [signed, unsigned] = await enqueue(outbox, clock, [
      notification({ type: 'dingtalk', url: `${robot.base}/robot/send?access_token=tok1`, secret }, { level: 'orange' }),
      notification({ type: 'dingtalk', url: `${robot.base}/robot/send?access_token=tok2` }, { level: 'orange', alertId: 'alert-other' }),
    ]);

    expect(await outbox.deliverDue()).toBe(2);
    expect(await one(outbox, signed!.id)).toMatchObject({ status: 'delivered', receipt: { errcode: 0, errmsg: 'ok' } });
    const signedRequest = robot.received.find((r) => r.url.includes('tok1'))!;
    const url = new URL(signedRequest.url, 'http://robot');
    expect(url.searchParams.get('access_token')).toBe('tok1');
    expect(url.searchParams.get('timestamp')).toBe(String(T0 + 123));
    expect(robot.received.find((r) => r.url.includes('tok2'))!.url).toBe('/robot/send?access_token=tok2');
    // The unsigned one reaches a robot that expects a signature: its errcode makes it a failure to retry.
    expect(await one(outbox, unsigned!.id)).toMatchObject({ status: 'pending', lastError: 'errcode 310000: sign not match' });

    const body = JSON.parse(signedRequest.raw) as { msgtype: string; markdown: { title: string; text: string } };
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.title).toBe('橙色 II 级预警：烟感火警');
    expect(body.markdown.text.startsWith('#### 橙色 II 级预警：烟感火警\n\nOrange (II) warning: Smoke alarm\n\n')).toBe(true);
    expect(body.markdown.text).toContain('- **地点 Place**：社区 xingfuli · 楼栋 b-3 · 2单元 · 3层 · 302室');
    expect(body.markdown.text).toContain('新预警 New alert');
    expect(body.markdown.text).toContain('安居 Anju · 预警编号 Alert ID：alert-smoke-302');
  });
});

describe('a dead channel', () => {
  it('times out a receiver that never answers, records and retries it, and delivers the others meanwhile', async () => {
    const clock = new ManualClock(T0);
    const timeoutMs = 400;
    let hangs = true;
    const dead = await receiver(() => (hangs ? 'hang' : { status: 200 }));
    const alive = await receiver(() => ({ status: 200 }));
    const outbox = outboxWith(clock, { requestTimeoutMs: timeoutMs, concurrency: 4 });
    const stuck = await enqueue(outbox, clock, [1, 2, 3, 4, 5].map((i) => notification({ type: 'webhook', url: `${dead.base}/hook/${i}`, secret: SECRET }, { alertId: `alert-dead-${i}` })));
    clock.advance(1); // due after the dead ones, so they are claimed first
    const fine = await enqueue(outbox, clock, [1, 2].map((i) => notification({ type: 'webhook', url: `${alive.base}/hook/${i}`, secret: SECRET }, { alertId: `alert-fine-${i}` })));

    const started = performance.now();
    expect(await outbox.deliverDue()).toBe(7);
    const elapsed = performance.now() - started;

    // Five dead requests, enough to fill every slot, but at most two at a time go to one destination:
    // the live receiver got its requests before the first timeout…
    expect(alive.received).toHaveLength(2);
    for (const request of alive.received) expect(request.at - started).toBeLessThan(timeoutMs);
    // …while the dead ones took three rounds of timeouts.
    expect(elapsed).toBeGreaterThanOrEqual(3 * timeoutMs - 50);
    for (const n of fine) expect(await one(outbox, n.id)).toMatchObject({ status: 'delivered', attempts: 1 });
    for (const n of stuck) {
      const pending = await one(outbox, n.id);
      expect(pending).toMatchObject({ status: 'pending', attempts: 1, lastError: `no answer within ${timeoutMs} ms`, nextAttemptAt: new Date(T0 + 1 + 5_000).toISOString() });
      expect(pending.attemptLog![0]).toMatchObject({ ok: false, statusCode: null });
      expect(pending.attemptLog![0]!.durationMs).toBeGreaterThanOrEqual(timeoutMs - 50);
    }

    hangs = false;
    clock.advance(5_000);
    expect(await outbox.deliverDue()).toBe(5);
    for (const n of stuck) expect(await one(outbox, n.id)).toMatchObject({ status: 'delivered', attempts: 2 });
    // The same X-Anju-Delivery on the retry, so the receiver can drop the repeat.
    const ids = dead.received.map((r) => String(r.headers['x-anju-delivery']));
    expect(ids.sort()).toEqual(stuck.flatMap((n) => [n.id, n.id]).sort());
  });
});

describe('flood control', () => {
  const robot: Channel = { type: 'wecom', url: 'http://127.0.0.1:9/cgi-bin/webhook/send?key=flood' };

  it('suppresses a second yellow notification to the same worker, incident and channel within the interval, not after it', async () => {
    const clock = new ManualClock(T0);
    const outbox = outboxWith(clock, { floodIntervalMs: 300_000 });
    const yellow = () => notification(robot, { level: 'yellow' });

    const [first, sameBatch] = await enqueue(outbox, clock, [yellow(), yellow()]);
    expect(first!.status).toBe('pending');
    expect(sameBatch).toMatchObject({ status: 'suppressed', nextAttemptAt: null });

    clock.advance(60_000);
    const [second] = await enqueue(outbox, clock, [yellow()]);
    expect(second!.status).toBe('suppressed');
    const [otherWorker, otherChannel] = await enqueue(outbox, clock, [
      notification(robot, { level: 'yellow', workerId: 'w-liqiang' }),
      notification({ type: 'wecom', url: 'http://127.0.0.1:9/cgi-bin/webhook/send?key=other' }, { level: 'yellow' }),
    ]);
    expect([otherWorker!.status, otherChannel!.status]).toEqual(['pending', 'pending']);

    clock.advance(240_001);
    const [later] = await enqueue(outbox, clock, [notification(robot, { level: 'blue' })]);
    expect(later!.status).toBe('pending');
  });

  it('never suppresses orange or red', async () => {
    const clock = new ManualClock(T0);
    const outbox = outboxWith(clock);
    const [yellow, a, b] = await enqueue(outbox, clock, [notification(robot, { level: 'yellow' }), notification(robot, { level: 'red' }), notification(robot, { level: 'red' })]);
    clock.advance(1_000);
    const [c, d] = await enqueue(outbox, clock, [notification(robot, { level: 'red' }), notification(robot, { level: 'orange' })]);
    expect([yellow!.status, a!.status, b!.status, c!.status, d!.status]).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
  });

  it('serialises two dispatcher transactions deciding for the same key: the later one sees the first once it commits', async () => {
    const clock = new ManualClock(T0);
    const outbox = outboxWith(clock);
    const a = await db.connect();
    const b = await db.connect();
    try {
      await a.query('BEGIN');
      await b.query('BEGIN');
      const [fromA] = await outbox.enqueue(a, [notification(robot, { level: 'yellow' })], clock.now());
      let bDone = false;
      const fromB = outbox.enqueue(b, [notification(robot, { level: 'yellow' })], clock.now()).finally(() => (bDone = true));
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(bDone).toBe(false);
      await a.query('COMMIT');
      const [decided] = await fromB;
      await b.query('COMMIT');
      expect(fromA!.status).toBe('pending');
      expect(decided!.status).toBe('suppressed');
    } finally {
      await a.query('ROLLBACK').catch(() => undefined);
      await b.query('ROLLBACK').catch(() => undefined);
      a.release();
      b.release();
    }
  });
});

describe('several instances', () => {
  it('delivers each notification once when two outboxes on one database deliver at the same time', async () => {
    const clock = new ManualClock(T0);
    const hook = await receiver(() => ({ status: 200 }));
    const otherPool = createDatabase(databaseUrl, logger);
    closers.push(() => otherPool.end());
    const first = outboxWith(clock);
    const second = new NotificationOutbox({ db: otherPool, clock, logger });
    const queued = await enqueue(first, clock, Array.from({ length: 40 }, (_, i) => notification({ type: 'webhook', url: `${hook.base}/hook/${i % 4}`, secret: SECRET }, { alertId: `alert-many-${i}` })));

    const [byFirst, bySecond] = await Promise.all([first.deliverDue(), second.deliverDue()]);

    expect(byFirst + bySecond).toBe(40);
    const ids = hook.received.map((r) => String(r.headers['x-anju-delivery']));
    expect(ids).toHaveLength(40);
    expect(new Set(ids)).toEqual(new Set(queued.map((n) => n.id)));
    const { rows } = await db.query<{ attempts: string; delivered: string }>(
      "SELECT (SELECT count(*) FROM notification_attempts) AS attempts, (SELECT count(*) FROM notifications WHERE status = 'delivered' AND attempts = 1) AS delivered",
    );
    expect(rows[0]).toEqual({ attempts: '40', delivered: '40' });
  });
});

describe('the delivery loop', () => {
  it('delivers soon after kick() and stops cleanly', async () => {
    const clock = new ManualClock(T0);
    const hook = await receiver(() => ({ status: 200 }));
    const outbox = outboxWith(clock);
    outbox.start();
    const [queued] = await enqueue(outbox, clock, [notification({ type: 'webhook', url: hook.url, secret: SECRET })]);
    outbox.kick();
    await until(() => (hook.received.length ? true : undefined), 2000);
    await until(async () => ((await one(outbox, queued!.id)).status === 'delivered' ? true : undefined), 2000);
    await outbox.stop();

    const [later] = await enqueue(outbox, clock, [notification({ type: 'webhook', url: hook.url, secret: SECRET })]);
    outbox.kick();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await one(outbox, later!.id)).status).toBe('pending');
    expect(hook.received).toHaveLength(1);
  });
});
