/** device → MQTT → validated → stored → rule → alert → addressed to the grid's worker → live stream. */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertWithHistory, CommunityTelemetryAnswer, LiveEvent, TelemetryAnswer } from '../../contract/index.ts';
import { eventually, seedCommunity, startTestService, type TestService } from '../helpers/service.ts';

let t: TestService;
let place: Awaited<ReturnType<typeof seedCommunity>>;

beforeAll(async () => {
  t = await startTestService();
  place = await seedCommunity(t);
});
afterAll(() => t?.stop());

/** Opens the live stream as a dashboard would and collects its events. */
async function liveStream(token: string) {
  const events: { at: number; event: LiveEvent }[] = [];
  const socket = new WebSocket(`${t.service.httpUrl.replace('http', 'ws')}/api/v1/stream?access_token=${token}`);
  socket.on('message', (data) => events.push({ at: performance.now(), event: JSON.parse(String(data)) as LiveEvent }));
  await eventually(async () => (events.some((e) => e.event.type === 'hello') ? true : undefined));
  return {
    events,
    next: (predicate: (e: LiveEvent) => boolean) => eventually(async () => events.find((e) => predicate(e.event)), 5000),
    close: () => socket.close(),
  };
}

const activeAlerts = async (deviceId: string) => (await t.api<Alert[]>('GET', `/alerts?deviceId=${deviceId}&status=active`, undefined, t.adminToken)).body;

describe('the alert path', () => {
  it("turns a smoke alarm into a red alert addressed to the grid's worker, live within a second", async () => {
    const device = await t.provision({ kind: 'smoke_detector', communityId: place.communityId, location: { buildingId: place.buildingId, floor: 3, unit: '2', room: '302' } });
    const client = await t.connectDevice(device);
    const live = await liveStream(t.adminToken);
    const sentAt = performance.now();
    client.publish(`anju/v1/devices/${device.id}/events`, JSON.stringify({ event: 'alarm', seq: 1 }), { qos: 1 });
    const raised = await live.next((e) => e.type === 'alert.raised' && e.alert.deviceId === device.id);
    const elapsedMs = raised.at - sentAt;
    live.close();
    console.info(`publish → alert on the live stream: ${elapsedMs.toFixed(1)} ms`);
    expect(elapsedMs).toBeLessThan(1000);
    if (raised.event.type !== 'alert.raised') throw new Error('unreachable');
    expect(raised.event.alert).toMatchObject({
      level: 'red',
      status: 'open',
      rule: 'smoke_detector.alarm',
      gridId: place.gridId,
      buildingId: place.buildingId,
      location: { floor: 3, room: '302' },
      assignees: [{ workerId: place.workerId, name: '王芳', position: 'grid_worker' }],
    });
  });

  it('keeps one open alert per rule and device: a repeat increments its count', async () => {
    const device = await t.provision({ kind: 'emergency_button', communityId: place.communityId, gridId: place.gridId });
    const client = await t.connectDevice(device);
    await client.publishAsync(`anju/v1/devices/${device.id}/events`, JSON.stringify({ event: 'sos' }), { qos: 1 });
    await client.publishAsync(`anju/v1/devices/${device.id}/events`, JSON.stringify({ event: 'sos' }), { qos: 1 });
    await t.service.settle();
    const alerts = await activeAlerts(device.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: 'emergency_button.sos', level: 'red', count: 2 });
    const detail = await t.api<AlertWithHistory>('GET', `/alerts/${alerts[0]!.id}`, undefined, t.adminToken);
    expect(detail.body.history.map((h) => h.action)).toEqual(['raised', 'repeated']);
  });

  it('climbs one gas alert from orange to red instead of raising a second one', async () => {
    const device = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId });
    const client = await t.connectDevice(device);
    for (const gas_lel of [3, 12, 30]) await client.publishAsync(`anju/v1/devices/${device.id}/telemetry`, JSON.stringify({ values: { gas_lel } }), { qos: 1 });
    await t.service.settle();
    const alerts = await activeAlerts(device.id);
    expect(alerts.map((a) => [a.rule, a.level, a.value])).toEqual([['gas_detector.gas_lel', 'red', 30]]);
    const detail = await t.api<AlertWithHistory>('GET', `/alerts/${alerts[0]!.id}`, undefined, t.adminToken);
    expect(detail.body.history.map((h) => [h.action, h.note])).toEqual([['raised', 'value 12'], ['level_raised', 'orange → red']]);
  });

  it('walks the lifecycle with who and when, and answers 409 to a forbidden step', async () => {
    const device = await t.provision({ kind: 'emergency_button', communityId: place.communityId, gridId: place.gridId });
    const client = await t.connectDevice(device);
    await client.publishAsync(`anju/v1/devices/${device.id}/events`, JSON.stringify({ event: 'fall' }), { qos: 1 });
    await t.service.settle();
    const [alert] = await activeAlerts(device.id);
    const id = alert!.id;
    const token = t.adminToken;
    expect((await t.api('POST', `/alerts/${id}/on-site`, {}, token)).status).toBe(409);
    const ack = await t.api<Alert>('POST', `/alerts/${id}/acknowledge`, {}, token);
    expect(ack.status).toBe(200);
    expect(ack.body.status).toBe('acknowledged');
    expect(ack.body.acknowledgedAt).not.toBeNull();
    const again = await t.api<{ error: string; details: { status: string } }>('POST', `/alerts/${id}/acknowledge`, {}, token);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'invalid_transition', details: { status: 'acknowledged' } });
    expect((await t.api<Alert>('POST', `/alerts/${id}/on-site`, { note: '已到现场' }, token)).body.status).toBe('on_site');
    const missing = await t.api<{ error: string; details: { path: string }[] }>('POST', `/alerts/${id}/resolve`, {}, token);
    expect(missing.status).toBe(400);
    expect(missing.body.details[0]?.path).toBe('disposition');
    const resolved = await t.api<Alert>('POST', `/alerts/${id}/resolve`, { disposition: 'real', note: '老人已送医' }, token);
    expect(resolved.body).toMatchObject({ status: 'resolved', disposition: 'real' });
    expect((await t.api('POST', `/alerts/${id}/resolve`, { disposition: 'real' }, token)).status).toBe(409);
    const detail = await t.api<AlertWithHistory>('GET', `/alerts/${id}`, undefined, token);
    expect(detail.body.history.map((h) => [h.action, h.fromStatus, h.toStatus, h.actor?.name ?? null])).toEqual([
      ['raised', null, 'open', null],
      ['acknowledge', 'open', 'acknowledged', '系统管理员 Administrator'],
      ['on_site', 'acknowledged', 'on_site', '系统管理员 Administrator'],
      ['resolve', 'on_site', 'resolved', '系统管理员 Administrator'],
    ]);
    expect(detail.body.history[3]?.note).toBe('real: 老人已送医');
    expect(detail.body.history[1]?.source).toContain('127.0.0.1');
  });

  it('reads telemetry back as raw points, as per-minute aggregates and as community aggregates', async () => {
    const device = await t.provision({ kind: 'electrical_monitor', communityId: place.communityId, gridId: place.gridId });
    const client = await t.connectDevice(device);
    const base = Date.now() - 10 * 60_000;
    const minute = base - (base % 60_000);
    const samples = [
      [minute + 1_000, 10],
      [minute + 2_000, 20],
      [minute + 61_000, 5],
    ] as const;
    for (const [ts, value] of samples) {
      await client.publishAsync(`anju/v1/devices/${device.id}/telemetry`, JSON.stringify({ ts, values: { residual_current_ma: value } }), { qos: 1 });
    }
    await t.service.settle();
    const raw = await t.api<TelemetryAnswer>('GET', `/devices/${device.id}/telemetry?metric=residual_current_ma&from=${minute}&to=${minute + 120_000}`, undefined, t.adminToken);
    expect(raw.body.points).toEqual(samples.map(([ts, value]) => ({ ts: new Date(ts).toISOString(), value })));
    const bucketed = await t.api<TelemetryAnswer>(
      'GET',
      `/devices/${device.id}/telemetry?metric=residual_current_ma&bucket=1m&from=${new Date(minute).toISOString()}&to=${new Date(minute + 120_000).toISOString()}`,
      undefined,
      t.adminToken,
    );
    expect(bucketed.body.points).toEqual([
      { ts: new Date(minute).toISOString(), value: 15, min: 10, max: 20, avg: 15, last: 20, count: 2 },
      { ts: new Date(minute + 60_000).toISOString(), value: 5, min: 5, max: 5, avg: 5, last: 5, count: 1 },
    ]);
    // The community's aggregate over the same minutes: one device reported.
    const community = await t.api<CommunityTelemetryAnswer>(
      'GET',
      `/communities/${place.communityId}/telemetry?metric=residual_current_ma&kind=electrical_monitor&bucket=1m&from=${minute}&to=${minute + 120_000}`,
      undefined,
      t.adminToken,
    );
    expect(community.body.points.map((p) => [p.ts, p.avg, p.max, p.count, p.devices])).toEqual([
      [new Date(minute).toISOString(), 15, 20, 2, 1],
      [new Date(minute + 60_000).toISOString(), 5, 5, 1, 1],
    ]);
    const noSuchMetric = await t.api<{ details: { path: string }[] }>('GET', `/communities/${place.communityId}/telemetry?metric=volume&kind=smoke_detector`, undefined, t.adminToken);
    expect([noSuchMetric.status, noSuchMetric.body.details[0]?.path]).toEqual([400, 'metric']);
    expect((await t.api('GET', `/communities/com-missing/telemetry?metric=residual_current_ma`, undefined, t.adminToken)).status).toBe(404);
    const wrongMetric = await t.api<{ error: string; details: { path: string }[] }>('GET', `/devices/${device.id}/telemetry?metric=gas_lel`, undefined, t.adminToken);
    expect(wrongMetric.status).toBe(400);
    expect(wrongMetric.body.details[0]?.path).toBe('metric');
    const backwards = await t.api('GET', `/devices/${device.id}/telemetry?metric=residual_current_ma&from=${minute + 1}&to=${minute}`, undefined, t.adminToken);
    expect(backwards.status).toBe(400);
  });

  it('keeps alerts, devices and credentials across a restart', async () => {
    const device = await t.provision({ kind: 'smoke_detector', communityId: place.communityId, gridId: place.gridId });
    const client = await t.connectDevice(device);
    await client.publishAsync(`anju/v1/devices/${device.id}/events`, JSON.stringify({ event: 'alarm' }), { qos: 1 });
    await t.service.settle();
    const before = await activeAlerts(device.id);
    await t.stop();
    t = await startTestService({ databaseUrl: t.databaseUrl });
    const after = await activeAlerts(device.id);
    expect(after).toEqual(before);
    // The same secret still works, and a repeat of the alarm joins the surviving alert.
    const again = await t.connectDevice(device);
    await again.publishAsync(`anju/v1/devices/${device.id}/events`, JSON.stringify({ event: 'alarm' }), { qos: 1 });
    await t.service.settle();
    expect((await activeAlerts(device.id)).map((a) => [a.id, a.count])).toEqual([[before[0]!.id, 2]]);
  });
});
