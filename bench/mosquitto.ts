/**
 * Debian's mosquitto as the reference broker: installed with apt-get when missing, started as our own
 * process with a generated config on a free loopback port (never the system service), stopped after.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BINARY = '/usr/sbin/mosquitto';

export interface Mosquitto {
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  readonly version: string;
  readonly config: string;
  stop(): Promise<void>;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

async function ensureInstalled(): Promise<void> {
  if (await exists(BINARY)) return;
  console.log('bench: installing mosquitto (apt-get install -y mosquitto)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['install', '-y', '--no-install-recommends', 'mosquitto'], { env, maxBuffer: 16 << 20 }).catch(async () => {
    await run('apt-get', ['update'], { env, maxBuffer: 16 << 20 });
    await run('apt-get', ['install', '-y', '--no-install-recommends', 'mosquitto'], { env, maxBuffer: 16 << 20 });
  });
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`mosquitto exited at start: ${output().trim()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`mosquitto did not listen on ${port} within ${timeoutMs} ms: ${output().trim()}`);
}

/** Starts mosquitto on 127.0.0.1 with anonymous access, no connection limit, no persistence, no queue limit, TCP_NODELAY. */
export async function startMosquitto(): Promise<Mosquitto> {
  await ensureInstalled();
  const { stdout } = await run(BINARY, ['-h']).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const version = /mosquitto version (\S+)/.exec(stdout)?.[1] ?? 'unknown';
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'anju-bench-mosquitto-'));
  const port = await freePort();
  const config = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'max_connections -1',
    // Never drop a subscriber's QoS 1 messages while it catches up (the default keeps 1000).
    'max_queued_messages 0',
    'persistence false',
    // Off by default in 2.0.11: small PUBACKs then wait on Nagle + delayed ACK (up to 40 ms). Anju's
    // Node sockets answer at once, so the reference gets the same.
    'set_tcp_nodelay true',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    '',
  ].join('\n');
  const configFile = path.join(dir, 'mosquitto.conf');
  await fs.writeFile(configFile, config);
  // `exec` keeps the pid: the process we measure is mosquitto itself, with a raised descriptor limit.
  const child = spawn('bash', ['-c', `ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec ${BINARY} -c "$0"`, configFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Never leave it running: also when the bench exits or is interrupted before stop().
  const kill = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    kill();
    process.kill(process.pid, signal);
  };
  process.once('exit', kill);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const stop = async () => {
    process.off('exit', kill);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000))]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    await fs.rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, () => output, 10_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid!, port, url: `mqtt://127.0.0.1:${port}`, version, config, stop };
}
