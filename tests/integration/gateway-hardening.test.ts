/**
 * Each hardening case refused as described, counted in /metrics by reason, audited with device, address
 * and time, while other devices keep being served.
 */
import net from 'node:net';
import { MqttClient, type IClientOptions } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryAnswer } from '../../contract/index.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { eventually, seedCommunity, startTestService, type TestService } from '../helpers/service.ts';

const LIMITS = { maxConnections: 1000, connectBurst: 1000, connectsPerSecond: 1000, loginFailures: 3, loginFailureWindowMs: 60_000, maxPacketBytes: 4096, maxTopicLength: 128, maxTopicLevels: 8, drainTimeoutMs: 300 };

let t: TestService;
let place: Awaited<ReturnType<typeof seedCommunity>>;
const clients: MqttClient[] = [];

beforeAll(async () => {
  t = await startTestService({ limits: LIMITS });
  place = await seedCommunity(t);
});
afterAll(async () => {
  for (const c of clients) c.end(true);
  await t?.stop();
});

/** Connects from a chosen loopback address (127.0.0.0/8 all reach the broker). */
function connectFrom(service: TestService, localAddress: string, options: IClientOptions): Promise<MqttClient> {
  const client = new MqttClient(() => net.createConnection({ host: '127.0.0.1', port: service.service.mqttPort, localAddress }), { protocolVersion: 4, reconnectPeriod: 0, ...options });
  clients.push(client);
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', reject);
    client.once('close', () => reject(Object.assign(new Error('closed before CONNACK'), { code: -1 })));
  });
}

const refusalCode = (p: Promise<unknown>) => p.then(() => 0, (err: { code?: number }) => err.code);

async function metric(service: TestService, name: string): Promise<number> {
  const text = await (await fetch(`${service.service.httpUrl}/metrics`)).text();
  return Number(text.split('\n').find((l) => l.startsWith(name))?.split(' ').pop() ?? 0);
}

async function audit(service: TestService, reason: string) {
  await service.service.settle();
  return (await service.api<{ deviceId: string | null; address: string | null; reason: string; at: string }[]>('GET', `/gateway/refusals?reason=${reason}`, undefined, service.adminToken)).body;
}

/** A healthy device that must keep being served while others misbehave. */
async function stillServed() {
  const device = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId });
  const client = await t.connectDevice(device);
  await client.publishAsync(`anju/v1/devices/${device.id}/telemetry`, JSON.stringify({ values: { gas_lel: 1 } }), { qos: 1 });
  await t.service.settle();
  const { body } = await t.api<TelemetryAnswer>('GET', `/devices/${device.id}/telemetry?metric=gas_lel`, undefined, t.adminToken);
  expect(body.points).toHaveLength(1);
}

describe('gateway hardening', () => {
  it('throttles failed logins per device name without locking out other devices', async () => {
    const victim = await t.provision({ kind: 'smoke_detector', communityId: place.communityId });
    const neighbour = await t.provision({ kind: 'smoke_detector', communityId: place.communityId });
    for (let i = 0; i < LIMITS.loginFailures; i++) expect(await refusalCode(t.connectDevice({ id: victim.id, secret: `guess-${i}` }))).toBe(4);
    expect(await refusalCode(t.connectDevice(victim))).toBe(5);
    expect(await refusalCode(t.connectDevice(neighbour))).toBe(0);
    expect(await metric(t, 'anju_mqtt_refusals_total{reason="login_throttled"}')).toBe(1);
    const audited = await audit(t, 'login_throttled');
    expect(audited[0]).toMatchObject({ deviceId: victim.id, address: '127.0.0.1', reason: 'login_throttled' });
  });

  it('closes a connection whose packet is larger than the limit, before buffering it', async () => {
    const device = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId });
    const client = await t.connectDevice(device);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(`anju/v1/devices/${device.id}/telemetry`, JSON.stringify({ values: { gas_lel: 1 }, pad: 'x'.repeat(8000) }), { qos: 1 });
    await closed;
    await eventually(async () => ((await metric(t, 'anju_mqtt_refusals_total{reason="packet_too_large"}')) === 1 ? true : undefined));
    expect((await audit(t, 'packet_too_large'))[0]).toMatchObject({ deviceId: device.id, reason: 'packet_too_large' });
    await stillServed();
  });

  it('refuses over-long and over-deep topics', async () => {
    const device = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId });
    const long = await t.connectDevice(device);
    const closedLong = new Promise<void>((resolve) => long.once('close', () => resolve()));
    long.publish(`anju/v1/devices/${device.id}/telemetry/${'x'.repeat(200)}`, '{}', { qos: 1 });
    await closedLong;
    const deep = await t.connectDevice(device);
    const closedDeep = new Promise<void>((resolve) => deep.once('close', () => resolve()));
    deep.publish(`anju/v1/devices/${device.id}/a/b/c/d/e/f/g/h/i`, '{}', { qos: 1 });
    await closedDeep;
    expect(await metric(t, 'anju_mqtt_refusals_total{reason="topic_too_long"}')).toBe(1);
    await stillServed();
  });

  it('serves a device whose client id is __proto__ like any other', async () => {
    const device = await t.provision({ kind: 'door_contact', communityId: place.communityId, gridId: place.gridId });
    const client = await t.connectDevice(device, { clientId: '__proto__' });
    await client.publishAsync(`anju/v1/devices/${device.id}/events`, JSON.stringify({ event: 'open' }), { qos: 1 });
    await t.service.settle();
    const events = await t.api<unknown[]>('GET', `/devices/${device.id}/events`, undefined, t.adminToken);
    expect(events.body).toHaveLength(1);
    const other = await t.connectDevice(device, { clientId: 'constructor' });
    expect(other.connected).toBe(true);
  });

  it("authorises a last will like a publish: no will on another device's topic", async () => {
    const device = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId });
    const code = await refusalCode(t.connectDevice(device, { will: { topic: 'anju/v1/devices/someone-else/events', payload: Buffer.from('{"event":"alarm"}'), qos: 1, retain: false } }));
    expect(code).toBe(5);
    expect((await audit(t, 'will_not_allowed'))[0]).toMatchObject({ deviceId: device.id });
    const ownWill = await t.connectDevice(device, { will: { topic: `anju/v1/devices/${device.id}/status`, payload: Buffer.from('offline'), qos: 1, retain: true } });
    expect(ownWill.connected).toBe(true);
  });

  it('never lets a device write to $SYS', async () => {
    const device = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId });
    const client = await t.connectDevice(device);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish('$SYS/broker/uptime', 'forever', { qos: 1 });
    await closed;
    expect(await metric(t, 'anju_mqtt_refusals_total{reason="sys_topic"}')).toBe(1);
  });

  it('cuts off a consumer that stops reading, without stalling the others', async () => {
    const device = await t.provision({ kind: 'kiosk', communityId: place.communityId, gridId: place.gridId });
    const slow = await t.connectDevice(device);
    await slow.subscribeAsync(`anju/v1/devices/${device.id}/errors`);
    const closed = new Promise<void>((resolve) => slow.once('close', () => resolve()));
    // Stop reading: the broker's writes back up in the socket while it keeps answering errors.
    (slow.stream as net.Socket).pause();
    const bad = JSON.stringify({ values: Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`unknown_field_${i}`, i])) });
    for (let i = 0; i < 4000; i++) slow.publish(`anju/v1/devices/${device.id}/telemetry`, bad, { qos: 0 });
    await closed;
    await eventually(async () => ((await metric(t, 'anju_mqtt_refusals_total{reason="slow_consumer"}')) === 1 ? true : undefined), 10_000);
    expect((await audit(t, 'slow_consumer')).map((r) => r.deviceId)).toEqual([device.id]);
    await stillServed();
  });
});

describe('connection limits', () => {
  let strict: TestService;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    strict = await startTestService({ clock, limits: { ...LIMITS, connectBurst: 3, connectsPerSecond: 1, maxConnections: 4 } });
  });
  afterAll(() => strict?.stop());

  it('limits connection attempts per source address, not for other addresses', async () => {
    const place2 = await seedCommunity(strict);
    const device = await strict.provision({ kind: 'gas_detector', communityId: place2.communityId });
    const codes = [];
    for (let i = 0; i < 4; i++) {
      const code = await refusalCode(connectFrom(strict, '127.0.0.3', { username: device.id, password: device.secret, clientId: `c${i}` }));
      codes.push(code);
      clients.at(-1)?.end(true);
    }
    expect(codes).toEqual([0, 0, 0, 3]);
    expect(await refusalCode(connectFrom(strict, '127.0.0.4', { username: device.id, password: device.secret }))).toBe(0);
    clock.advance(1000);
    expect(await refusalCode(connectFrom(strict, '127.0.0.3', { username: device.id, password: device.secret }))).toBe(0);
    expect((await audit(strict, 'rate_limited'))[0]).toMatchObject({ address: '127.0.0.3', deviceId: device.id });
  });

  it('refuses connections beyond the global cap with CONNACK 3', async () => {
    const place2 = await seedCommunity(strict, '上限社区');
    const device = await strict.provision({ kind: 'gas_detector', communityId: place2.communityId });
    for (const c of clients.splice(0)) await c.endAsync(true).catch(() => undefined);
    await eventually(async () => (strict.service.gateway.broker.connectedClients === 0 ? true : undefined));
    const held = [];
    for (let i = 0; i < 4; i++) held.push(await connectFrom(strict, `127.0.1.${i + 1}`, { username: device.id, password: device.secret, clientId: `held-${i}` }));
    expect(await refusalCode(connectFrom(strict, '127.0.1.9', { username: device.id, password: device.secret, clientId: 'one-too-many' }))).toBe(3);
    expect(await metric(strict, 'anju_mqtt_refusals_total{reason="connection_cap"}')).toBe(1);
  });
});
