/**
 * A V8 CPU profile of this process (the service runs in it) over a window, through the inspector, and a
 * summary of where its main thread spent the time: by function and by area (a package, a folder of the
 * project, Node itself, the garbage collector, idle).
 */
import fs from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  file: string;
  sampledMs: number;
  /** Share of the samples, %, by area. */
  byArea: { area: string; percent: number }[];
  /** Share of the samples, %, by function (self time). */
  topFunctions: { fn: string; percent: number }[];
}

function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return 'node (internals)';
  const project = /\/(bench|contract|gateway|platform|simulators)\/(.+)$/.exec(url);
  if (project) return `${project[1]}/${project[2]!.split('/')[0]}`;
  return url;
}

export async function startProfile(intervalUs = 500): Promise<(file: string) => Promise<ProfileSummary>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  return async (file: string) => {
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    session.disconnect();
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, JSON.stringify(profile));
    return summariseProfile(profile, file);
  };
}

export function summariseProfile(profile: Profile, file: string): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfHits = new Map<number, number>();
  for (const id of profile.samples ?? []) selfHits.set(id, (selfHits.get(id) ?? 0) + 1);
  const total = profile.samples?.length ?? 0;
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, hits] of selfHits) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const a = area(url, functionName);
    areas.set(a, (areas.get(a) ?? 0) + hits);
    const where = url ? `${url.replace(/^.*\/(node_modules|work\/main)\//, '')}:${lineNumber + 1}` : '';
    const fn = `${functionName || '(anonymous)'} ${where}`.trim();
    functions.set(fn, (functions.get(fn) ?? 0) + hits);
  }
  const pct = (n: number) => Number(((100 * n) / Math.max(1, total)).toFixed(1));
  const top = (m: Map<string, number>, n: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return {
    file,
    sampledMs: Math.round((profile.endTime - profile.startTime) / 1000),
    byArea: top(areas, 16).map(([a, n]) => ({ area: a, percent: pct(n) })),
    topFunctions: top(functions, 20).map(([fn, n]) => ({ fn, percent: pct(n) })),
  };
}
