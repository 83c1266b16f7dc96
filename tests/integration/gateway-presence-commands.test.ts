/** Presence that does not lie, commands down with replies and timeouts, and MQTT over TLS. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command, Device, ErrorBody, LiveEvent, TelemetryAnswer } from '../../contract/index.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { eventually, nextMessage, seedCommunity, startTestService, type TestService } from '../helpers/service.ts';

let t: TestService;
let place: Awaited<ReturnType<typeof seedCommunity>>;

beforeAll(async () => {
  t = await startTestService();
  place = await seedCommunity(t);
});
afterAll(() => t?.stop());

const device = async (service: TestService, id: string) => (await service.api<Device>('GET', `/devices/${id}`, undefined, service.adminToken)).body;

describe('presence', () => {
  it('does not report offline when a device takes over its own session', async () => {
    const d = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId });
    const statuses: boolean[] = [];
    const socket = new WebSocket(`${t.service.httpUrl.replace('http', 'ws')}/api/v1/stream?access_token=${t.adminToken}`);
    socket.on('message', (data) => {
      const event = JSON.parse(String(data)) as LiveEvent;
      if (event.type === 'device.status' && event.device.id === d.id) statuses.push(event.device.online);
    });
    await new Promise((resolve) => socket.once('open', resolve));
    const first = await t.connectDevice(d, { clientId: 'same-session' });
    const kicked = new Promise<void>((resolve) => first.once('close', () => resolve()));
    await t.connectDevice(d, { clientId: 'same-session' });
    await kicked;
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await device(t, d.id)).online).toBe(true);
    expect(statuses).not.toContain(false);
    socket.close();
  });

  it('marks a device that stops answering offline within 1.5 × its keep-alive', async () => {
    const d = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId });
    const socket = net.createConnection({ host: '127.0.0.1', port: t.service.mqttPort });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: 'silent-box', keepalive: 1, username: d.id, password: Buffer.from(d.secret) }));
    await eventually(async () => ((await device(t, d.id)).online ? true : undefined));
    const since = Date.now();
    // The device now sends nothing at all: no PINGREQ.
    await eventually(async () => ((await device(t, d.id)).online ? undefined : true), 5000);
    const elapsed = Date.now() - since;
    expect(elapsed).toBeLessThan(1500 + 500 + 800); // 1.5 × keep-alive, the takeover grace, and polling slack
    socket.destroy();
  });

  describe('with an injected clock', () => {
    let m: TestService;
    const clock = new ManualClock(Date.now());
    beforeAll(async () => {
      m = await startTestService({ clock });
    });
    afterAll(() => m?.stop());

    it('tells silent (connected, not reporting) from offline (not connected)', async () => {
      const p = await seedCommunity(m, '静默社区');
      const d = await m.provision({ kind: 'gas_detector', communityId: p.communityId, gridId: p.gridId });
      const client = await m.connectDevice(d);
      await eventually(async () => ((await device(m, d.id)).status === 'online' ? true : undefined));
      clock.advance(2 * 60_000 + 1);
      expect((await device(m, d.id)).status).toBe('silent');
      await client.publishAsync(`anju/v1/devices/${d.id}/telemetry`, JSON.stringify({ values: { gas_lel: 1 } }), { qos: 1 });
      await m.service.settle();
      expect((await device(m, d.id)).status).toBe('online');
      await client.endAsync();
      await eventually(async () => {
        clock.advance(600);
        return (await device(m, d.id)).status === 'offline' ? true : undefined;
      });
    });

    it('times out a command nobody answers', async () => {
      const p = await seedCommunity(m, '超时社区');
      const d = await m.provision({ kind: 'kiosk', communityId: p.communityId, gridId: p.gridId });
      const sent = await m.api<Command>('POST', `/devices/${d.id}/commands`, { command: 'print_test', timeoutS: 5 }, m.adminToken);
      expect(sent.body.status).toBe('sent');
      clock.advance(4_000);
      await m.service.sweep();
      expect((await m.api<Command>('GET', `/devices/${d.id}/commands/${sent.body.id}`, undefined, m.adminToken)).body.status).toBe('sent');
      clock.advance(1_000);
      await m.service.sweep();
      expect((await m.api<Command>('GET', `/devices/${d.id}/commands/${sent.body.id}`, undefined, m.adminToken)).body.status).toBe('timed_out');
    });
  });
});

describe('commands down', () => {
  it('publishes to the canonical commands topic and records the reply', async () => {
    const d = await t.provision({ kind: 'smoke_detector', communityId: place.communityId, gridId: place.gridId });
    const client = await t.connectDevice(d);
    const received = nextMessage(client, `anju/v1/devices/${d.id}/commands`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const sent = await t.api<Command>('POST', `/devices/${d.id}/commands`, { command: 'silence', args: { minutes: 5 } }, t.adminToken);
    expect(sent.status).toBe(202);
    expect(JSON.parse(await received)).toEqual({ id: sent.body.id, command: 'silence', args: { minutes: 5 } });
    await client.publishAsync(`anju/v1/devices/${d.id}/replies`, JSON.stringify({ id: sent.body.id, status: 'error', message: 'sounder busy' }), { qos: 1 });
    const done = await eventually(async () => {
      const { body } = await t.api<Command>('GET', `/devices/${d.id}/commands/${sent.body.id}`, undefined, t.adminToken);
      return body.status === 'sent' ? undefined : body;
    });
    expect(done).toMatchObject({ status: 'failed', message: 'sounder busy' });
  });

  it("checks the command and its arguments against the device's kind", async () => {
    const d = await t.provision({ kind: 'smoke_detector', communityId: place.communityId, gridId: place.gridId });
    const unknown = await t.api<ErrorBody & { details: { path: string }[] }>('POST', `/devices/${d.id}/commands`, { command: 'explode' }, t.adminToken);
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0]?.path).toBe('command');
    const badArgs = await t.api<ErrorBody & { details: { path: string }[] }>('POST', `/devices/${d.id}/commands`, { command: 'silence', args: { minutes: 300 } }, t.adminToken);
    expect(badArgs.body.details[0]?.path).toBe('args.minutes');
  });
});

describe('MQTT over TLS', () => {
  let secure: TestService;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'pipe' });
    secure = await startTestService({ env: { ANJU_MQTTS_PORT: '0', ANJU_TLS_CERT: path.join(dir, 'cert.pem'), ANJU_TLS_KEY: path.join(dir, 'key.pem') } });
  });
  afterAll(async () => {
    await secure?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves devices on ANJU_MQTTS_PORT with the configured certificate', async () => {
    const p = await seedCommunity(secure, '加密社区');
    const d = await secure.provision({ kind: 'gas_detector', communityId: p.communityId, gridId: p.gridId });
    const client = await mqtt.connectAsync(`mqtts://127.0.0.1:${secure.service.mqttsPort}`, {
      username: d.id,
      password: d.secret,
      ca: fs.readFileSync(path.join(dir, 'cert.pem')),
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    await client.publishAsync(`anju/v1/devices/${d.id}/telemetry`, JSON.stringify({ values: { gas_lel: 4.5 } }), { qos: 1 });
    await secure.service.settle();
    const { body } = await secure.api<TelemetryAnswer>('GET', `/devices/${d.id}/telemetry?metric=gas_lel`, undefined, secure.adminToken);
    expect(body.points.map((x) => x.value)).toEqual([4.5]);
    const untrusted = await mqtt.connectAsync(`mqtts://127.0.0.1:${secure.service.mqttsPort}`, { username: d.id, password: d.secret, reconnectPeriod: 0, connectTimeout: 3000 }).then(
      () => 'connected',
      (err: Error) => err.message,
    );
    expect(untrusted).toMatch(/self.signed|certificate/i);
    await client.endAsync();
  });
});
