/** Starts the real service on free loopback ports against a fresh database, with helpers to drive it. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { DeviceCreate, LoginAnswer, ProvisionedDevice } from '../../contract/index.ts';
import type { Clock } from '../../platform/clock.ts';
import { parseConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import { startService, type Service, type ServiceOptions } from '../../platform/service.ts';
import { createTestDatabase } from './database.ts';

export const ADMIN_PASSWORD = 'test-admin-password';

export interface TestService {
  service: Service;
  databaseUrl: string;
  adminToken: string;
  api<T = unknown>(method: string, url: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  login(username: string, password: string): Promise<LoginAnswer>;
  provision(input: DeviceCreate): Promise<ProvisionedDevice>;
  connectDevice(device: { id: string; secret: string }, options?: IClientOptions): Promise<MqttClient>;
  stop(): Promise<void>;
}

export interface TestServiceOptions extends ServiceOptions {
  databaseUrl?: string;
  clock?: Clock;
  env?: Record<string, string>;
}

export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const ownDataDir = !options.env?.ANJU_DATA_DIR;
  const dataDir = options.env?.ANJU_DATA_DIR ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'anju-test-data-')));
  const config = parseConfig({
    ANJU_HOST: '127.0.0.1',
    ANJU_HTTP_PORT: '0',
    ANJU_MQTT_PORT: '0',
    ANJU_DATA_DIR: dataDir,
    ANJU_DATABASE_URL: databaseUrl,
    ANJU_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...options.env,
  });
  const service = await startService(config, { logger: createLogger(process.env.ANJU_TEST_LOG ?? 'silent'), ...options });
  const clients: MqttClient[] = [];

  const api: TestService['api'] = async (method, url, body, token) => {
    const response = await fetch(`${service.httpUrl}/api/v1${url}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as never };
  };
  const login = async (username: string, password: string) => {
    const { status, body } = await api<LoginAnswer>('POST', '/auth/login', { username, password });
    if (status !== 200) throw new Error(`login ${username} answered ${status}`);
    return body;
  };
  const adminToken = (await login('admin', ADMIN_PASSWORD)).token;

  return {
    service,
    databaseUrl,
    adminToken,
    api,
    login,
    async provision(input) {
      const { status, body } = await api<ProvisionedDevice>('POST', '/devices', input, adminToken);
      if (status !== 201) throw new Error(`provisioning answered ${status}: ${JSON.stringify(body)}`);
      return body;
    },
    async connectDevice(device, clientOptions = {}) {
      const client = mqtt.connect(`mqtt://127.0.0.1:${service.mqttPort}`, {
        username: device.id,
        password: device.secret,
        protocolVersion: 4,
        reconnectPeriod: 0,
        connectTimeout: 5000,
        ...clientOptions,
      });
      clients.push(client);
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', reject);
      });
      return client;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
      await service.stop();
      if (ownDataDir) await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A community with one grid, one building and one grid worker; the usual stage for a test. */
export async function seedCommunity(t: TestService, name = '幸福里社区') {
  const token = t.adminToken;
  const community = (await t.api<{ id: string }>('POST', '/communities', { name, kind: 'urban' }, token)).body;
  const grid = (await t.api<{ id: string }>('POST', '/grids', { communityId: community.id, name: `${name}一网格` }, token)).body;
  const building = (await t.api<{ id: string }>('POST', '/buildings', { communityId: community.id, gridId: grid.id, name: `${name}1号楼`, position: { x: 10, y: 20 } }, token))
    .body;
  const worker = (await t.api<{ id: string }>('POST', '/workers', { communityId: community.id, name: '王芳', position: 'grid_worker', gridIds: [grid.id] }, token))
    .body;
  return { communityId: community.id, gridId: grid.id, buildingId: building.id, workerId: worker.id };
}

/** Resolves with the first message on `topic` that `client` receives (it subscribes first). */
export async function nextMessage(client: MqttClient, topic: string, timeoutMs = 5000): Promise<string> {
  await client.subscribeAsync(topic, { qos: 0 });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message on ${topic} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (t: string, payload: Buffer) => {
      if (t !== topic) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(payload.toString());
    };
    client.on('message', onMessage);
  });
}

/** Polls `check` until it returns a value (not undefined) or the time is up. For waiting on real I/O only. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
