import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ChildService {
  child: ChildProcess;
  httpUrl: string;
  mqttPort: number;
  exited: Promise<number | null>;
}

/** Starts `tests/fixtures/run-service.ts` in its own Node process (no tsx wrapper, so `kill -9` hits the service itself). */
export async function startChildService(env: Record<string, string>): Promise<ChildService> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'tests/fixtures/run-service.ts')], {
    cwd: REPO,
    env: { ...process.env, ANJU_HOST: '127.0.0.1', ANJU_HTTP_PORT: '0', ANJU_MQTT_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = await new Promise<{ httpUrl: string; mqttPort: number }>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{"httpUrl"'));
      if (line) resolve(JSON.parse(line) as { httpUrl: string; mqttPort: number });
    });
    void exited.then((code) => reject(new Error(`service exited (${code}) before ready: ${stderr.slice(-2000)}`)));
  });
  return { child, ...ready, exited };
}
