/** ALink and ThingsBoard-style devices over real MQTT: they raise the same alerts as canonical ones. */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Command, DeadLetter, ProvisionedDevice, TelemetryAnswer } from '../../contract/index.ts';
import { signAlink } from '../../gateway/dialects/alink/signature.ts';
import { eventually, seedCommunity, startTestService, type TestService } from '../helpers/service.ts';

let t: TestService;
let place: Awaited<ReturnType<typeof seedCommunity>>;
const clients: MqttClient[] = [];

beforeAll(async () => {
  t = await startTestService();
  place = await seedCommunity(t);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await t?.stop();
});

async function connectAlink(device: ProvisionedDevice, options: { method?: 'hmacsha256' | 'hmacsha1'; secret?: string } = {}) {
  const method = options.method ?? 'hmacsha256';
  const clientIdBase = `fw-${device.deviceName}`;
  const password = signAlink(options.secret ?? device.secret, method, { clientId: clientIdBase, deviceName: device.deviceName!, productKey: device.productKey! });
  const client = mqtt.connect(`mqtt://127.0.0.1:${t.service.mqttPort}`, {
    clientId: `${clientIdBase}|securemode=3,signmethod=${method}|`,
    username: `${device.deviceName}&${device.productKey}`,
    password,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  clients.push(client);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

function nextOn(client: MqttClient, topic: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (t2: string, payload: Buffer) => {
      if (t2 !== topic) return;
      client.off('message', onMessage);
      resolve(JSON.parse(payload.toString()) as Record<string, unknown>);
    };
    client.on('message', onMessage);
  });
}

const alertsOf = async (deviceId: string) => (await t.api<Alert[]>('GET', `/alerts?deviceId=${deviceId}`, undefined, t.adminToken)).body;

describe('ALink devices', () => {
  it('provisions with productKey and deviceName and returns them with the secret', async () => {
    const device = await t.provision({ kind: 'smoke_detector', communityId: place.communityId, gridId: place.gridId, productKey: 'a1Smoke', deviceName: 'smoke-001', fieldMap: 'aliyun-smoke-detector' });
    expect(device).toMatchObject({ dialect: 'alink', productKey: 'a1Smoke', deviceName: 'smoke-001', fieldMap: 'aliyun-smoke-detector' });
    expect(device.secret.length).toBeGreaterThan(20);
    const clash = await t.api('POST', '/devices', { kind: 'smoke_detector', communityId: place.communityId, productKey: 'a1Smoke', deviceName: 'smoke-001' }, t.adminToken);
    expect(clash.status).toBe(409);
  });

  it('refuses a wrong signature at CONNECT and accepts hmacsha1 and hmacsha256', async () => {
    const device = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId, productKey: 'a1Gas', deviceName: 'gas-001' });
    const refused = await connectAlink(device, { secret: 'not-the-secret' }).then(
      () => undefined,
      (err: { code?: number }) => err,
    );
    expect(refused?.code).toBe(4);
    for (const method of ['hmacsha1', 'hmacsha256'] as const) expect((await connectAlink(device, { method })).connected).toBe(true);
  });

  it("maps Aliyun's standard smoke properties: SmokeSensorState 1 raises the same red alarm, answered code 200", async () => {
    const device = await t.provision({ kind: 'smoke_detector', communityId: place.communityId, gridId: place.gridId, productKey: 'a1Smoke', deviceName: 'smoke-002', fieldMap: 'aliyun-smoke-detector' });
    const client = await connectAlink(device);
    const topic = `/sys/a1Smoke/smoke-002/thing/event/property/post`;
    await client.subscribeAsync(`${topic}_reply`);
    const reply = nextOn(client, `${topic}_reply`);
    await client.publishAsync(topic, JSON.stringify({ id: '101', version: '1.0', params: { SmokeSensorState: { value: 1, time: Date.now() }, BatteryPercentage: 64 }, method: 'thing.event.property.post' }), { qos: 1 });
    expect(await reply).toEqual({ id: '101', code: 200, data: {} });
    await t.service.settle();
    const alerts = await alertsOf(device.id);
    expect(alerts.map((a) => [a.rule, a.level, a.assignees[0]?.workerId])).toEqual([['smoke_detector.alarm', 'red', place.workerId]]);
    const battery = await t.api<TelemetryAnswer>('GET', `/devices/${device.id}/telemetry?metric=battery`, undefined, t.adminToken);
    expect(battery.body.points.map((p) => p.value)).toEqual([64]);
  });

  it('answers an invalid request on the reply topic with an ALink error code and message', async () => {
    const device = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId, productKey: 'a1Gas', deviceName: 'gas-002' });
    const client = await connectAlink(device);
    const topic = `/sys/a1Gas/gas-002/thing/event/property/post`;
    await client.subscribeAsync(`${topic}_reply`);
    const reply = nextOn(client, `${topic}_reply`);
    await client.publishAsync(topic, JSON.stringify({ id: '7', version: '1.0', params: { gas_lel: 'lots' }, method: 'thing.event.property.post' }), { qos: 1 });
    const answer = await reply;
    expect(answer).toMatchObject({ id: '7', code: 460 });
    expect(String(answer.message)).toMatch(/^invalid_payload: /);
    await t.service.settle();
    const letters = await t.api<DeadLetter[]>('GET', `/dead-letters?deviceId=${device.id}`, undefined, t.adminToken);
    expect(letters.body[0]).toMatchObject({ error: 'invalid_payload', topic });
  });

  it('posts events and climbs gas alerts like a canonical device', async () => {
    const device = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId, productKey: 'a1Gas', deviceName: 'gas-003' });
    const client = await connectAlink(device);
    await client.publishAsync('/sys/a1Gas/gas-003/thing/event/property/post', JSON.stringify({ id: '1', params: { gas_lel: 30 } }), { qos: 1 });
    await client.publishAsync('/sys/a1Gas/gas-003/thing/event/fault/post', JSON.stringify({ id: '2', params: { value: { code: 'E7' } } }), { qos: 1 });
    await t.service.settle();
    expect((await alertsOf(device.id)).map((a) => `${a.rule}:${a.level}`).sort()).toEqual(['gas_detector.fault:yellow', 'gas_detector.gas_lel:red']);
  });

  it("keeps an ALink device to its own /sys/{pk}/{dn}/ prefix", async () => {
    const device = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId, productKey: 'a1Gas', deviceName: 'gas-004' });
    const client = await connectAlink(device);
    const granted = (await client.subscribeAsync(['/sys/a1Gas/gas-004/thing/service/+', '/sys/a1Gas/gas-001/#']).catch((e: { packet?: { granted: number[] } }) => e.packet?.granted)) as number[];
    expect(granted).toEqual([0, 128]);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish('/sys/a1Gas/gas-001/thing/event/property/post', JSON.stringify({ id: '1', params: { gas_lel: 99 } }), { qos: 1 });
    await closed;
  });

  it('sends commands as ALink service calls and records the reply', async () => {
    const device = await t.provision({ kind: 'smoke_detector', communityId: place.communityId, gridId: place.gridId, productKey: 'a1Smoke', deviceName: 'smoke-003' });
    const client = await connectAlink(device);
    await client.subscribeAsync('/sys/a1Smoke/smoke-003/thing/service/+');
    const call = nextOn(client, '/sys/a1Smoke/smoke-003/thing/service/self_test');
    const sent = await t.api<Command>('POST', `/devices/${device.id}/commands`, { command: 'self_test' }, t.adminToken);
    expect(sent.status).toBe(202);
    const request = await call;
    expect(request).toMatchObject({ id: sent.body.id, method: 'thing.service.self_test', params: {} });
    await client.publishAsync('/sys/a1Smoke/smoke-003/thing/service/self_test_reply', JSON.stringify({ id: request.id, code: 200, data: { result: 'pass' } }), { qos: 1 });
    const done = await eventually(async () => {
      const { body } = await t.api<Command>('GET', `/devices/${device.id}/commands/${sent.body.id}`, undefined, t.adminToken);
      return body.status === 'sent' ? undefined : body;
    });
    expect(done).toMatchObject({ status: 'succeeded', result: { result: 'pass' } });
  });
});

describe('ThingsBoard-style devices', () => {
  it('ingests v1/devices/me/telemetry as the device its credentials name, with the same alerts', async () => {
    const device = await t.provision({ kind: 'flood_sensor', communityId: place.communityId, gridId: place.gridId, dialect: 'thingsboard' });
    const client = await t.connectDevice(device);
    await client.publishAsync('v1/devices/me/telemetry', JSON.stringify({ water_level_cm: 2, leak: false }), { qos: 1 });
    await client.publishAsync('v1/devices/me/telemetry', JSON.stringify([{ ts: Date.now(), values: { water_level_cm: 55 } }]), { qos: 1 });
    await client.publishAsync('v1/devices/me/attributes', JSON.stringify({ firmware: '1.0.3' }), { qos: 1 });
    await t.service.settle();
    const points = await t.api<TelemetryAnswer>('GET', `/devices/${device.id}/telemetry?metric=water_level_cm`, undefined, t.adminToken);
    expect(points.body.points.map((p) => p.value)).toEqual([2, 55]);
    expect((await alertsOf(device.id)).map((a) => `${a.rule}:${a.level}`)).toEqual(['flood_sensor.water_level_cm:red']);
    const letters = await t.api<DeadLetter[]>('GET', `/dead-letters?deviceId=${device.id}`, undefined, t.adminToken);
    expect(letters.body.map((l) => l.error)).toEqual(['ignored']);
  });

  it('refuses ThingsBoard subscriptions, which could not be kept private', async () => {
    const device = await t.provision({ kind: 'flood_sensor', communityId: place.communityId, gridId: place.gridId, dialect: 'thingsboard' });
    const client = await t.connectDevice(device);
    const granted = (await client.subscribeAsync('v1/devices/me/telemetry').catch((e: { packet?: { granted: number[] } }) => e.packet?.granted)) as number[];
    expect(granted).toEqual([128]);
  });
});
