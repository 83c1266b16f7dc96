/**
 * The embedded PostgreSQL as `npm start` runs it: data in ANJU_DATA_DIR, started and stopped with the
 * service, and a `kill -9` of the service does not leave the next start stuck on the orphaned server.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Community, LoginAnswer } from '../../contract/index.ts';
import { parseConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import { startService } from '../../platform/service.ts';
import { startChildService } from '../helpers/child-service.ts';

let dataDir: string;
const ADMIN = 'embedded-admin-pw';

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'anju-embedded-'));
  await fs.chmod(dataDir, 0o755);
});
afterAll(() => fs.rm(dataDir, { recursive: true, force: true }));

const postmasterPid = async () => Number((await fs.readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]) || undefined;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function signIn(httpUrl: string): Promise<string> {
  const response = await fetch(`${httpUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN }) });
  return ((await response.json()) as LoginAnswer).token;
}

describe('embedded PostgreSQL', () => {
  it('recovers from a kill -9 of the service: the orphaned server is ended and the data is intact', async () => {
    const first = await startChildService({ ANJU_DATA_DIR: dataDir, ANJU_ADMIN_PASSWORD: ADMIN });
    const token = await signIn(first.httpUrl);
    const created = await fetch(`${first.httpUrl}/api/v1/communities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: '崩溃测试社区', kind: 'rural' }),
    });
    expect(created.status).toBe(201);

    const orphan = await postmasterPid();
    expect(orphan).toBeDefined();
    first.child.kill('SIGKILL');
    await first.exited;
    expect(alive(orphan!)).toBe(true);

    const service = await startService(parseConfig({ ANJU_DATA_DIR: dataDir, ANJU_HOST: '127.0.0.1', ANJU_HTTP_PORT: '0', ANJU_MQTT_PORT: '0' }), { logger: createLogger('silent') });
    try {
      expect(alive(orphan!)).toBe(false);
      const again = await signIn(service.httpUrl);
      const list = (await (await fetch(`${service.httpUrl}/api/v1/communities`, { headers: { authorization: `Bearer ${again}` } })).json()) as Community[];
      expect(list.map((c) => c.name)).toEqual(['崩溃测试社区']);
    } finally {
      await service.stop();
    }
    expect(await postmasterPid()).toBeUndefined();
  });

  it('refuses a second service on a data directory that a running one owns', async () => {
    const running = await startChildService({ ANJU_DATA_DIR: dataDir });
    try {
      await expect(
        startService(parseConfig({ ANJU_DATA_DIR: dataDir, ANJU_HOST: '127.0.0.1', ANJU_HTTP_PORT: '0', ANJU_MQTT_PORT: '0' }), { logger: createLogger('silent') }),
      ).rejects.toThrow(/another Anju \(pid \d+\) is using ANJU_DATA_DIR/);
      expect((await fetch(`${running.httpUrl}/readyz`)).status).toBe(200);
    } finally {
      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(0);
    }
  });
});
