/**
 * A bench child process (`node --import tsx bench/<file>.ts`) spoken to over IPC: load generators run
 * outside the process under test, so their CPU and memory are not counted as the broker's.
 * A child answers each command with `{ type, … }`, or `{ type: 'error', message }`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ChildMessage {
  type: string;
  [key: string]: unknown;
}

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);

/** Epoch milliseconds with sub-millisecond resolution, comparable across processes on one machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

export class BenchChild {
  private readonly inbox: ChildMessage[] = [];
  private waiter: (() => void) | undefined;
  private exited: string | undefined;

  private constructor(private readonly proc: ChildProcess) {
    proc.on('message', (message) => {
      this.inbox.push(message as ChildMessage);
      this.waiter?.();
    });
    proc.on('exit', (code, signal) => {
      this.exited = `exited with ${signal ?? code}`;
      this.waiter?.();
    });
  }

  /** Starts `bench/<file>` under tsx with an IPC channel; stdout and stderr are the bench's. */
  static start(file: string): BenchChild {
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(benchDir, file)], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new BenchChild(proc);
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  send(command: Record<string, unknown>): void {
    this.proc.send(command);
  }

  /** The next message, which must be of `type`; rejects on an error message, exit or timeout. */
  async receive<T extends ChildMessage>(type: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (!this.inbox.length) {
      if (this.exited) throw new Error(`bench child ${this.proc.pid} ${this.exited} while waiting for ${type}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`bench child ${this.proc.pid}: no ${type} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    const message = this.inbox.shift()!;
    if (message.type === 'error') throw new Error(`bench child ${this.proc.pid}: ${String(message.message)}`);
    if (message.type !== type) throw new Error(`bench child ${this.proc.pid}: expected ${type}, got ${message.type}`);
    return message as T;
  }

  async request<T extends ChildMessage>(command: Record<string, unknown>, answer: string, timeoutMs: number): Promise<T> {
    this.send(command);
    return this.receive<T>(answer, timeoutMs);
  }

  /** Asks the child to exit (closing the IPC channel), then SIGTERM, then SIGKILL. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    const wait = (ms: number) => Promise.race([gone.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
    if (this.proc.connected) this.proc.disconnect();
    if (await wait(3000)) return;
    this.proc.kill('SIGTERM');
    if (await wait(3000)) return;
    this.proc.kill('SIGKILL');
    await gone;
  }
}

/** For children: handles each command in turn, answering its result or the error. */
export function serveCommands(handle: (command: Record<string, unknown>) => Promise<ChildMessage>): void {
  let chain = Promise.resolve();
  process.on('message', (command) => {
    chain = chain.then(async () => {
      try {
        process.send!(await handle(command as Record<string, unknown>));
      } catch (error) {
        process.send!({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  // The parent closing the channel (or exiting) ends the child.
  process.on('disconnect', () => process.exit(0));
}
