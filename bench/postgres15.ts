/**
 * Debian's PostgreSQL 15 as an external database for a benchmark: installed with apt-get when missing,
 * initialised in a throwaway directory (as the `postgres` user when we are root) with its default
 * settings, started with pg_ctl on a free loopback port (no Unix socket outside that directory), and
 * stopped and removed after — also when the bench exits early.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './mosquitto.ts';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

export interface Postgres15 {
  /** `postgres://anju:…@127.0.0.1:port/postgres` */
  readonly url: string;
  readonly port: number;
  /** The postmaster (its backends are its children). */
  readonly pid: number;
  readonly version: string;
  stop(): Promise<void>;
}

const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );

async function ensureInstalled(): Promise<void> {
  if (await exists(path.join(BIN, 'pg_ctl'))) return;
  console.log('bench: installing PostgreSQL 15 (apt-get install -y postgresql-15)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql-15'], { env, maxBuffer: 16 << 20 }).catch(async () => {
    await run('apt-get', ['update'], { env, maxBuffer: 16 << 20 });
    await run('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql-15'], { env, maxBuffer: 16 << 20 });
  });
}

/** Runs a PostgreSQL tool as `postgres` when we are root (PostgreSQL refuses root), else as ourselves. */
function asServerUser(command: string): Promise<{ stdout: string }> {
  if (process.getuid?.() === 0) return run('su', ['postgres', '-s', '/bin/sh', '-c', command], { maxBuffer: 16 << 20 });
  return run('/bin/sh', ['-c', command], { maxBuffer: 16 << 20 });
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Starts a fresh PostgreSQL 15 on 127.0.0.1, or throws when it cannot be installed or started. */
export async function startPostgres15(): Promise<Postgres15> {
  await ensureInstalled();
  const { stdout } = await run(path.join(BIN, 'postgres'), ['--version']);
  const version = stdout.trim();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'anju-bench-pg15-'));
  await fs.chmod(dir, 0o755);
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const pwFile = path.join(dir, 'pw');
  const password = 'anju-bench';
  await fs.mkdir(dataDir, { mode: 0o700 });
  await fs.writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  await fs.writeFile(logFile, '');
  if (process.getuid?.() === 0) await run('chown', ['-R', 'postgres:postgres', dir]);
  const port = await freePort();
  const ctl = `${BIN}/pg_ctl -D ${quote(dataDir)}`;
  const started = { value: false };
  const kill = () => {
    if (started.value) {
      // Synchronous, for process exit: an immediate shutdown.
      try {
        const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
        if (pid > 0) process.kill(pid, 'SIGQUIT');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', kill);
  const stop = async () => {
    process.off('exit', kill);
    if (started.value) {
      await asServerUser(`${ctl} -m fast -w -t 30 stop`).catch(() => asServerUser(`${ctl} -m immediate -w stop`).catch(() => undefined));
      started.value = false;
    }
    for (let i = 0; i < 5; i++) {
      const removed = await fs.rm(dir, { recursive: true, force: true }).then(
        () => true,
        () => false,
      );
      if (removed) break;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  };
  try {
    await asServerUser(`${BIN}/initdb -D ${quote(dataDir)} -A scram-sha-256 -U anju --pwfile=${quote(pwFile)} --encoding=UTF8 --locale=C --no-instructions`);
    started.value = true;
    await asServerUser(`${ctl} -l ${quote(logFile)} -w -t 60 -o ${quote(`-p ${port} -c listen_addresses=127.0.0.1 -k ${dataDir}`)} start`);
    const pid = Number((await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    return { url: `postgres://anju:${password}@127.0.0.1:${port}/postgres`, port, pid, version, stop };
  } catch (error) {
    const log = await fs.readFile(logFile, 'utf8').catch(() => '');
    await stop();
    throw new Error(`PostgreSQL 15 did not start: ${error instanceof Error ? error.message : String(error)} ${log.trim().split('\n').slice(-3).join(' | ')}`);
  }
}
