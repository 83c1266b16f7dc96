/** The HTTP API through fastify's inject: auth, roles and scopes, validation, OpenAPI, ops endpoints. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Building, Community, CommunitySummary, Device, ErrorBody, Grid, LoginAnswer } from '../../contract/index.ts';
import { LOGIN_MAX_FAILURES, LOGIN_WINDOW_MS } from '../../platform/api/auth-routes.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { ADMIN_PASSWORD, seedCommunity, startTestService, type TestService } from '../helpers/service.ts';

type FieldErrors = { error: string; details?: { path: string }[] };

let t: TestService;
let clock: ManualClock;
let east: Awaited<ReturnType<typeof seedCommunity>>;
let west: Awaited<ReturnType<typeof seedCommunity>>;

async function inject<T = unknown>(method: 'GET' | 'POST' | 'PATCH', url: string, options: { token?: string; body?: unknown } = {}) {
  const response = await t.service.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    ...(options.body === undefined ? {} : { payload: options.body as object }),
  });
  return { status: response.statusCode, body: response.json() as T };
}

beforeAll(async () => {
  clock = new ManualClock(Date.now());
  t = await startTestService({ clock });
  east = await seedCommunity(t, '东园社区');
  west = await seedCommunity(t, '西岭村');
});
afterAll(() => t?.stop());

describe('sign-in', () => {
  it('answers a token and the user for good credentials, 401 for bad ones', async () => {
    const good = await inject<LoginAnswer>('POST', '/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(good.status).toBe(200);
    expect(good.body.user).toMatchObject({ username: 'admin', role: 'admin' });
    const bad = await inject<ErrorBody>('POST', '/auth/login', { body: { username: 'admin', password: 'wrong-password' } });
    expect(bad).toEqual({ status: 401, body: { error: 'invalid_credentials', message: 'The username or password is wrong.' } });
    const nobody = await inject<ErrorBody>('POST', '/auth/login', { body: { username: 'nobody', password: 'whatever-1' } });
    expect(nobody.status).toBe(401);
  });

  it('slows an account down after repeated failures, without locking out other accounts', async () => {
    await inject('POST', '/users', { token: t.adminToken, body: { username: 'duty', password: 'duty-password', role: 'operator', communityIds: [east.communityId] } });
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
      expect((await inject('POST', '/auth/login', { body: { username: 'duty', password: `guess-${i}` } })).status).toBe(401);
    }
    const blocked = await inject<ErrorBody & { details: { retryAfterS: number } }>('POST', '/auth/login', { body: { username: 'duty', password: 'duty-password' } });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe('too_many_attempts');
    expect(blocked.body.details.retryAfterS).toBeGreaterThan(0);
    expect((await inject('POST', '/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })).status).toBe(200);
    clock.advance(LOGIN_WINDOW_MS);
    expect((await inject('POST', '/auth/login', { body: { username: 'duty', password: 'duty-password' } })).status).toBe(200);
  });

  it('refuses calls without a valid token with 401', async () => {
    expect((await inject<ErrorBody>('GET', '/alerts')).body.error).toBe('unauthorized');
    expect((await inject('GET', '/alerts', { token: 'not.a.token' })).status).toBe(401);
  });
});

describe('roles and scopes', () => {
  let operatorToken: string;
  let workerToken: string;
  let eastAlarm: Alert;

  beforeAll(async () => {
    await inject('POST', '/users', { token: t.adminToken, body: { username: 'east-room', password: 'control-room', role: 'operator', communityIds: [east.communityId] } });
    await inject('POST', '/users', { token: t.adminToken, body: { username: 'wang', password: 'grid-worker', role: 'worker', workerId: east.workerId } });
    operatorToken = (await t.login('east-room', 'control-room')).token;
    workerToken = (await t.login('wang', 'grid-worker')).token;
    for (const place of [east, west]) {
      const device = await t.provision({ kind: 'smoke_detector', communityId: place.communityId, gridId: place.gridId });
      const client = await t.connectDevice(device);
      await client.publishAsync(`anju/v1/devices/${device.id}/events`, JSON.stringify({ event: 'alarm' }), { qos: 1 });
    }
    await t.service.settle();
    eastAlarm = (await inject<Alert[]>('GET', `/alerts?communityId=${east.communityId}`, { token: t.adminToken })).body[0]!;
  });

  it('answers 403 when the role may not make the call', async () => {
    const attempt = await inject<ErrorBody>('POST', '/communities', { token: workerToken, body: { name: '新社区', kind: 'urban' } });
    expect(attempt.status).toBe(403);
    expect(attempt.body.error).toBe('forbidden');
    expect((await inject('GET', '/users', { token: operatorToken })).status).toBe(403);
  });

  it("shows an operator only its communities' devices and alerts", async () => {
    const devices = await inject<Device[]>('GET', '/devices', { token: operatorToken });
    expect(new Set(devices.body.map((d) => d.communityId))).toEqual(new Set([east.communityId]));
    const alerts = await inject<Alert[]>('GET', '/alerts', { token: operatorToken });
    expect(alerts.body.length).toBeGreaterThan(0);
    expect(alerts.body.every((a) => a.communityId === east.communityId)).toBe(true);
    const westAlerts = await inject<Alert[]>('GET', `/alerts?communityId=${west.communityId}`, { token: t.adminToken });
    expect((await inject('GET', `/alerts/${westAlerts.body[0]!.id}`, { token: operatorToken })).status).toBe(404);
  });

  it("lets a grid worker see and act on its grid's alerts only", async () => {
    const alerts = await inject<Alert[]>('GET', '/alerts', { token: workerToken });
    expect(alerts.body.map((a) => a.id)).toContain(eastAlarm.id);
    expect(alerts.body.every((a) => a.gridId === east.gridId)).toBe(true);
    const ack = await inject<Alert>('POST', `/alerts/${eastAlarm.id}/acknowledge`, { token: workerToken, body: {} });
    expect(ack.body.status).toBe('acknowledged');
    const westAlert = (await inject<Alert[]>('GET', `/alerts?communityId=${west.communityId}`, { token: t.adminToken })).body[0]!;
    expect((await inject('POST', `/alerts/${westAlert.id}/acknowledge`, { token: workerToken, body: {} })).status).toBe(404);
  });

  it('lists the alerts addressed to me, and says when an account has no worker', async () => {
    const mine = await inject<Alert[]>('GET', '/alerts?assignedTo=me&status=active', { token: workerToken });
    expect(mine.body.map((a) => a.id)).toEqual([eastAlarm.id]);
    expect(mine.body[0]!.assignees.map((a) => a.workerId)).toContain(east.workerId);
    const noWorker = await inject<FieldErrors>('GET', '/alerts?assignedTo=me', { token: operatorToken });
    expect([noWorker.status, noWorker.body.details?.[0]?.path]).toEqual([400, 'assignedTo']);
  });

  it("summarises a community for its control room: devices by state, kiosks in service, open alerts, overdue incidents", async () => {
    const kiosk = await t.provision({ kind: 'kiosk', communityId: east.communityId, gridId: east.gridId });
    await t.connectDevice(kiosk);
    await t.service.settle();
    const summary = await inject<CommunitySummary>('GET', `/communities/${east.communityId}/summary`, { token: operatorToken });
    expect(summary.body.devices).toMatchObject({ total: 2, faulty: 0, testMode: 0 });
    expect(summary.body.devices.online + summary.body.devices.silent + summary.body.devices.offline).toBe(2);
    expect(summary.body.kiosks).toEqual({ total: 1, inService: 1 });
    expect(summary.body.openAlerts.red).toBe(1);
    // The smoke alarm was acknowledged: on site within 15 minutes, then overdue.
    expect(summary.body.overdueIncidents).toBe(0);
    clock.advance(16 * 60_000);
    const later = await inject<CommunitySummary>('GET', `/communities/${east.communityId}/summary`, { token: operatorToken });
    expect(later.body.overdueIncidents).toBe(1);
    expect((await inject('GET', `/communities/${west.communityId}/summary`, { token: operatorToken })).status).toBe(404);
  });
});

describe('registry changes', () => {
  it('moves a building on the schematic, sets floors and units, and rejects a grid of another community', async () => {
    const moved = await inject<Building>('PATCH', `/buildings/${east.buildingId}`, { token: t.adminToken, body: { position: { x: 400, y: 250 }, floors: 6, units: 3 } });
    expect(moved.body).toMatchObject({ id: east.buildingId, position: { x: 400, y: 250 }, floors: 6, units: 3, gridId: east.gridId });
    const wrongGrid = await inject<FieldErrors>('PATCH', `/buildings/${east.buildingId}`, { token: t.adminToken, body: { gridId: west.gridId } });
    expect([wrongGrid.status, wrongGrid.body.details?.[0]?.path]).toEqual([400, 'gridId']);
    const listed = await inject<Building[]>('GET', `/buildings?communityId=${east.communityId}`, { token: t.adminToken });
    expect(listed.body.find((b) => b.id === east.buildingId)).toMatchObject({ units: 3, floors: 6 });
    expect((await inject('PATCH', `/buildings/bld-none`, { token: t.adminToken, body: { floors: 2 } })).status).toBe(404);
  });

  it('renames grids and communities (admin only)', async () => {
    expect((await inject<Grid>('PATCH', `/grids/${east.gridId}`, { token: t.adminToken, body: { name: '东园一网格（北）' } })).body.name).toBe('东园一网格（北）');
    expect((await inject<Community>('PATCH', `/communities/${east.communityId}`, { token: t.adminToken, body: { name: '东园社区（新）' } })).body.name).toBe('东园社区（新）');
  });
});

describe('validation and provisioning', () => {
  it('lists each offending field with its reason', async () => {
    const answer = await inject<ErrorBody & { details: { path: string; message: string }[] }>('POST', '/devices', {
      token: t.adminToken,
      body: { kind: 'toaster', communityId: '', location: { floor: 1 } },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('validation_failed');
    expect(answer.body.details.map((d) => d.path).sort()).toEqual(['communityId', 'kind', 'location.buildingId']);
  });

  it('says which referenced record does not exist', async () => {
    const answer = await inject<ErrorBody & { details: { path: string; message: string }[] }>('POST', '/devices', {
      token: t.adminToken,
      body: { kind: 'smoke_detector', communityId: east.communityId, location: { buildingId: 'no-such-building' } },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.details).toEqual([{ path: 'location.buildingId', message: 'no such building' }]);
    const foreign = await inject<ErrorBody & { details: { path: string }[] }>('POST', '/devices', {
      token: t.adminToken,
      body: { kind: 'smoke_detector', communityId: east.communityId, location: { buildingId: west.buildingId } },
    });
    expect(foreign.body.details[0]?.path).toBe('location.buildingId');
  });

  it("places a device in its building's grid, shows its secret once and stores only a scrypt hash", async () => {
    const created = await inject<Device & { secret: string }>('POST', '/devices', {
      token: t.adminToken,
      body: { id: 'door-101', kind: 'door_contact', communityId: east.communityId, location: { buildingId: east.buildingId, floor: 1, room: '101' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'door-101', gridId: east.gridId, online: false, lastSeen: null });
    expect(created.body.secret.length).toBeGreaterThanOrEqual(24);
    const read = await inject<Record<string, unknown>>('GET', '/devices/door-101', { token: t.adminToken });
    expect(read.body).not.toHaveProperty('secret');
    const db = new pg.Client(t.databaseUrl);
    await db.connect();
    const { rows } = await db.query<{ secret_hash: string }>("SELECT secret_hash FROM devices WHERE id = 'door-101'");
    await db.end();
    expect(rows[0]!.secret_hash).toMatch(/^scrypt\$/);
    expect(rows[0]!.secret_hash).not.toContain(created.body.secret);
    const duplicate = await inject<ErrorBody>('POST', '/devices', { token: t.adminToken, body: { id: 'door-101', kind: 'door_contact', communityId: east.communityId } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toBe('already_exists');
  });
});

describe('service endpoints', () => {
  it('describes the essential calls in the OpenAPI document at /docs', async () => {
    const response = await t.service.app.inject({ method: 'GET', url: '/docs/json' });
    const doc = response.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    for (const [path, method] of [
      ['/api/v1/auth/login', 'post'],
      ['/api/v1/communities', 'post'],
      ['/api/v1/grids', 'post'],
      ['/api/v1/devices', 'post'],
      ['/api/v1/devices/{id}', 'get'],
      ['/api/v1/devices/{id}/telemetry', 'get'],
      ['/api/v1/devices/{id}/events', 'get'],
      ['/api/v1/alerts', 'get'],
      ['/api/v1/alerts/{id}/acknowledge', 'post'],
      ['/api/v1/alerts/{id}/on-site', 'post'],
      ['/api/v1/alerts/{id}/resolve', 'post'],
      ['/api/v1/dead-letters', 'get'],
      ['/api/v1/stream', 'get'],
    ]) {
      expect(doc.paths[path!], path).toHaveProperty(method!);
    }
  });

  it('compresses answers for clients that accept it, but never the Server-Sent Events stream', async () => {
    const docs = await t.service.app.inject({ method: 'GET', url: '/docs/json', headers: { 'accept-encoding': 'gzip' } });
    expect(docs.headers['content-encoding']).toBe('gzip');
    const controller = new AbortController();
    const address = t.service.httpUrl;
    const stream = await fetch(`${address}/api/v1/stream?access_token=${t.adminToken}`, { headers: { accept: 'text/event-stream', 'accept-encoding': 'gzip, br' }, signal: controller.signal });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('content-encoding')).toBeNull();
    const reader = stream.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('"type":"hello"');
    controller.abort();
  });

  it('reports health, readiness and the ingest metrics', async () => {
    expect((await t.service.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.service.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready', checks: { database: 'ok', broker: 'ok' } });
    const metrics = (await t.service.app.inject({ method: 'GET', url: '/metrics' })).body;
    for (const name of ['anju_mqtt_messages_accepted_total', 'anju_mqtt_messages_rejected_total', 'anju_alerts_raised_total', 'anju_ingest_latency_seconds_bucket']) {
      expect(metrics, name).toContain(name);
    }
    expect(metrics).toMatch(/anju_alerts_raised_total\{level="red"\} [1-9]/);
  });

  it('answers unknown API paths with a catalogue 404', async () => {
    const response = await t.service.app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: 'not_found' });
  });
});
