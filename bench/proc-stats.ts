/** Process memory and CPU time as Linux reports them (/proc), and a full garbage collection before reading our own. */
import fs from 'node:fs/promises';
import v8 from 'node:v8';
import vm from 'node:vm';

/** Resident set size of a process, in bytes (VmRSS of /proc/<pid>/status). */
export async function rssBytes(pid: number | 'self'): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) * 1024;
}

/** Proportional set size of a process (shared pages split between their users), in bytes. */
async function pssBytes(pid: number): Promise<number> {
  const rollup = await fs.readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
}

async function childrenOf(pid: number): Promise<number[]> {
  const tasks = await fs.readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const lists = await Promise.all(tasks.map((t) => fs.readFile(`/proc/${pid}/task/${t}/children`, 'utf8').catch(() => '')));
  return lists.flatMap((l) => l.split(' ').filter(Boolean).map(Number));
}

/** A process and all its descendants (e.g. a PostgreSQL postmaster and its backends). */
export async function processTree(pid: number): Promise<number[]> {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) pids.push(...(await childrenOf(pids[i]!)));
  return pids;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU time of processes (all their threads), in ms; processes that are gone count 0. */
export async function cpuMs(pids: (number | 'self')[]): Promise<number> {
  const times = await Promise.all(
    pids.map(async (pid) => {
      const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * (1000 / TICKS_PER_SECOND);
    }),
  );
  return times.reduce((a, b) => a + b, 0);
}

/** PSS of a process and all its descendants (e.g. a PostgreSQL postmaster and its backends), in bytes. */
export async function treePssBytes(pid: number): Promise<{ processes: number; pssBytes: number }> {
  const pids = await processTree(pid);
  const sizes = await Promise.all(pids.map(pssBytes));
  return { processes: pids.length, pssBytes: sizes.reduce((a, b) => a + b, 0) };
}

let collect: (() => void) | undefined;

/** Full GC (twice, after a pause for pending I/O callbacks), so RSS and heap readings exclude garbage. */
export async function settleHeap(): Promise<void> {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  collect();
  await new Promise((resolve) => setTimeout(resolve, 50));
  collect();
}

export interface OwnMemory {
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
}

export async function ownMemory(): Promise<OwnMemory> {
  await settleHeap();
  const m = process.memoryUsage();
  return { rssBytes: m.rss, heapUsedBytes: m.heapUsed, externalBytes: m.external };
}

/** The soft limit on open files of this process (children inherit it). */
export async function openFileLimit(): Promise<number> {
  const limits = await fs.readFile('/proc/self/limits', 'utf8');
  const soft = /^Max open files\s+(\S+)/m.exec(limits)?.[1];
  return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
}
