/**
 * The service under test in its own process: `tests/fixtures/run-service.ts` (the real composition root,
 * configured from ANJU_* variables, no dashboard) under `node --import tsx`, so the process measured is
 * the service itself. Also reads its Prometheus metrics and, for the embedded database, the server's URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { processTree } from './proc-stats.ts';

const repoRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export interface ServiceProcess {
  readonly pid: number;
  readonly httpUrl: string;
  readonly mqttPort: number;
  /** The last few KiB the service wrote (its warnings and errors, as JSON lines). */
  output(): string;
  /** SIGTERM (the service drains and stops its database), SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Starts the service with `env` (on top of this process's environment) and waits for its ready line. */
export async function startServiceProcess(env: Record<string, string>, nodeArgs: string[] = []): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(repoRoot, 'tests/fixtures/run-service.ts')], {
    cwd: repoRoot,
    env: { ...process.env, ANJU_HOST: '127.0.0.1', ANJU_HTTP_PORT: '0', ANJU_MQTT_PORT: '0', ANJU_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
  child.stderr!.on('data', keep);
  const ready = await new Promise<{ httpUrl: string; mqttPort: number }>((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{"httpUrl"'));
      if (!line) return;
      child.stdout!.off('data', onData);
      // Later output (warnings) is kept for error messages only.
      child.stdout!.on('data', keep);
      resolve(JSON.parse(line) as { httpUrl: string; mqttPort: number });
    };
    child.stdout!.on('data', onData);
    void exited.then(() => reject(new Error(`the service exited before it was ready: ${(buffer + output).slice(-2000)}`)));
  });
  const stop = async (timeoutMs = 60_000) => {
    process.off('exit', kill);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs))]);
    if (!stopped) {
      console.warn(`bench: the service did not stop within ${timeoutMs} ms; killing it. ${output.slice(-1000)}`);
      child.kill('SIGKILL');
      await exited;
    }
  };
  return { pid: child.pid!, ...ready, output: () => output, stop };
}

/** The embedded PostgreSQL the service started in `dataDir`: its URL (credentials file + postmaster.pid) and pid. */
export async function embeddedDatabase(dataDir: string): Promise<{ url: string; pid: number }> {
  const credentials = JSON.parse(await fs.readFile(path.join(dataDir, 'postgres-credentials.json'), 'utf8')) as { user: string; password: string; database: string };
  const lines = (await fs.readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return { url: `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${credentials.database}`, pid };
}

/**
 * CPU time (user + system, ms) of a process and its descendants, including descendants that have
 * exited since (the kernel adds a reaped child's time to its parent's cutime/cstime): right for a
 * PostgreSQL postmaster whose backends come and go.
 */
export async function treeCpuMs(rootPid: number): Promise<number> {
  const stat = async (pid: number) => {
    const text = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // After the command name: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
    return text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
  };
  const pids = await processTree(rootPid);
  const stats = await Promise.all(pids.map(stat));
  let ticks = 0;
  for (const [i, f] of stats.entries()) {
    ticks += (f[11] ?? 0) + (f[12] ?? 0);
    // Reaped descendants: counted once, at the root (a backend's own children are rare and short-lived).
    if (i === 0) ticks += (f[13] ?? 0) + (f[14] ?? 0);
  }
  return ticks * 10; // USER_HZ = 100
}

/** Busy CPU time of the whole machine (all cores, every process), ms, from /proc/stat. */
export async function machineBusyMs(): Promise<number> {
  const line = (await fs.readFile('/proc/stat', 'utf8')).split('\n')[0]!;
  // cpu user nice system idle iowait irq softirq steal …
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 10;
}

/** One scrape of `/metrics`: each metric's value, summed over its label sets (note: a scrape resets the event-loop histogram). */
export async function scrapeMetrics(httpUrl: string): Promise<Map<string, number>> {
  const response = await fetch(`${httpUrl}/metrics`);
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  const values = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const value = Number(match[2]);
    if (Number.isFinite(value)) values.set(match[1]!, (values.get(match[1]!) ?? 0) + value);
  }
  return values;
}
