/** The device MQTT contract over real TCP against the real broker and database. */
import mqtt from 'mqtt';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadLetter, Device, DeviceErrorPayload, TelemetryAnswer } from '../../contract/index.ts';
import { eventually, nextMessage, seedCommunity, startTestService, type TestService } from '../helpers/service.ts';

let t: TestService;
let place: Awaited<ReturnType<typeof seedCommunity>>;

beforeAll(async () => {
  t = await startTestService();
  place = await seedCommunity(t);
});
afterAll(() => t?.stop());

const metric = async (name: string) => {
  const text = await (await fetch(`${t.service.httpUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.split(' ').pop()) : 0;
};

/** Devices may not subscribe to status topics, so the test reads the broker's retained store. */
const retained = async (topic: string): Promise<string | undefined> => {
  const persistence = (t.service.gateway.broker as unknown as { persistence: { createRetainedStream(p: string): AsyncIterable<{ payload: Buffer }> } }).persistence;
  for await (const packet of persistence.createRetainedStream(topic)) return packet.payload.toString();
  return undefined;
};

describe('device MQTT contract', () => {
  it('refuses a wrong secret at CONNECT with return code 4', async () => {
    const device = await t.provision({ kind: 'smoke_detector', communityId: place.communityId, gridId: place.gridId });
    const error = await t.connectDevice({ id: device.id, secret: 'not-the-secret' }).then(
      () => undefined,
      (err: unknown) => err as { code?: number },
    );
    expect(error?.code).toBe(4);
    const unknown = await t.connectDevice({ id: 'no-such-device', secret: 'x' }).then(
      () => undefined,
      (err: unknown) => err as { code?: number },
    );
    expect(unknown?.code).toBe(4);
    expect(await metric('anju_mqtt_refusals_total{reason="bad_credentials"}')).toBeGreaterThanOrEqual(2);
  });

  it("never delivers or stores a publish on another device's topic, and closes that connection", async () => {
    const victim = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId });
    const intruder = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId });
    const client = await t.connectDevice(intruder);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(`anju/v1/devices/${victim.id}/telemetry`, JSON.stringify({ values: { gas_lel: 80 } }), { qos: 1 });
    await closed;
    await t.service.settle();
    const readings = await t.api<TelemetryAnswer>('GET', `/devices/${victim.id}/telemetry?metric=gas_lel`, undefined, t.adminToken);
    expect(readings.body.points).toEqual([]);
    expect(await metric('anju_mqtt_refusals_total{reason="topic_not_allowed"}')).toBeGreaterThanOrEqual(1);
  });

  it("grants 0x80 to subscriptions beyond the device's own commands and errors", async () => {
    const device = await t.provision({ kind: 'door_contact', communityId: place.communityId, gridId: place.gridId });
    const client = await t.connectDevice(device);
    const topics = ['#', '$SYS/#', 'anju/v1/devices/+/telemetry', `anju/v1/devices/${device.id}/status`, `anju/v1/devices/${device.id}/commands`, `anju/v1/devices/${device.id}/errors`];
    // mqtt.js rejects when any code is 0x80; the SUBACK it carries holds every granted code.
    const error = (await client.subscribeAsync(topics).catch((err: unknown) => err)) as { packet?: { granted: number[] } };
    expect(error.packet?.granted).toEqual([128, 128, 128, 128, 0, 0]);
    expect(client.connected).toBe(true);
  });

  it('answers a malformed payload on the errors topic, keeps it as a dead letter and counts it', async () => {
    const device = await t.provision({ kind: 'smoke_detector', communityId: place.communityId, gridId: place.gridId });
    const client = await t.connectDevice(device);
    const before = await metric('anju_mqtt_messages_rejected_total{reason="invalid_payload"}');
    const errorTopic = `anju/v1/devices/${device.id}/errors`;
    const answer = nextMessage(client, errorTopic);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await client.publishAsync(`anju/v1/devices/${device.id}/telemetry`, JSON.stringify({ values: { temperature: 'hot' } }), { qos: 1 });
    const body = JSON.parse(await answer) as DeviceErrorPayload;
    expect(body).toMatchObject({ topic: `anju/v1/devices/${device.id}/telemetry`, error: 'invalid_payload', details: [{ path: 'values.temperature', message: 'must be a number or a boolean' }] });
    expect(body.message).toMatch(/does not match the device contract/);
    // The connection survives a bad payload: the next good one is stored.
    await client.publishAsync(`anju/v1/devices/${device.id}/telemetry`, JSON.stringify({ values: { temperature: 21.5 } }), { qos: 1 });
    await t.service.settle();
    const letters = await t.api<DeadLetter[]>('GET', `/dead-letters?deviceId=${device.id}`, undefined, t.adminToken);
    expect(letters.body).toHaveLength(1);
    expect(letters.body[0]).toMatchObject({ error: 'invalid_payload', payload: '{"values":{"temperature":"hot"}}' });
    expect(await metric('anju_mqtt_messages_rejected_total{reason="invalid_payload"}')).toBe(before + 1);
    const stored = await t.api<TelemetryAnswer>('GET', `/devices/${device.id}/telemetry?metric=temperature`, undefined, t.adminToken);
    expect(stored.body.points.map((p) => p.value)).toEqual([21.5]);
  });

  it('stores a QoS 1 redelivery with the same seq once', async () => {
    const device = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId });
    const client = await t.connectDevice(device);
    const payload = JSON.stringify({ seq: 41, values: { gas_lel: 1.5 } });
    await client.publishAsync(`anju/v1/devices/${device.id}/telemetry`, payload, { qos: 1 });
    await client.publishAsync(`anju/v1/devices/${device.id}/telemetry`, payload, { qos: 1, dup: true });
    await t.service.settle();
    const stored = await t.api<TelemetryAnswer>('GET', `/devices/${device.id}/telemetry?metric=gas_lel`, undefined, t.adminToken);
    expect(stored.body.points).toHaveLength(1);
  });

  it('tracks presence: online with lastSeen and a retained status topic, offline after disconnect', async () => {
    const device = await t.provision({ kind: 'kiosk', communityId: place.communityId, gridId: place.gridId });
    const client = await t.connectDevice(device);
    const online = await eventually(async () => {
      const { body } = await t.api<Device>('GET', `/devices/${device.id}`, undefined, t.adminToken);
      return body.online ? body : undefined;
    });
    expect(online.lastSeen).not.toBeNull();
    expect(await retained(`anju/v1/devices/${device.id}/status`)).toBe('online');
    await client.endAsync();
    const offline = await eventually(async () => {
      const { body } = await t.api<Device>('GET', `/devices/${device.id}`, undefined, t.adminToken);
      return body.online ? undefined : body;
    });
    expect(offline.online).toBe(false);
    expect(await retained(`anju/v1/devices/${device.id}/status`)).toBe('offline');
  });

  it('speaks MQTT over WebSocket at /mqtt on the HTTP port', async () => {
    const device = await t.provision({ kind: 'flood_sensor', communityId: place.communityId, gridId: place.gridId });
    const client = mqtt.connect(`${t.service.httpUrl.replace('http', 'ws')}/mqtt`, {
      username: device.id,
      password: device.secret,
      protocolVersion: 4,
      reconnectPeriod: 0,
      createWebsocket: (url: string, protocols: string[]) => new WebSocket(url, protocols),
    } as mqtt.IClientOptions);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.publishAsync(`anju/v1/devices/${device.id}/telemetry`, JSON.stringify({ values: { water_level_cm: 2, leak: false } }), { qos: 1 });
    await t.service.settle();
    const stored = await t.api<TelemetryAnswer>('GET', `/devices/${device.id}/telemetry?metric=leak`, undefined, t.adminToken);
    expect(stored.body.points.map((p) => p.value)).toEqual([0]);
    await client.endAsync();
  });
});
