/**
 * Builds the dashboard with Vite when the build is missing or older than its sources (the dashboard
 * and the shared contract). `npm start` and `npm run demo` call it; `--force` rebuilds regardless.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMain } from './is-main.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DASHBOARD_DIR = path.join(ROOT, 'dashboard');
export const DASHBOARD_DIST = path.join(DASHBOARD_DIR, 'dist');
const STAMP = path.join(DASHBOARD_DIST, '.anju-build');

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestSource(full) : (await fs.stat(full)).mtimeMs);
  }
  return newest;
}

export async function dashboardIsStale(): Promise<boolean> {
  const built = await fs.stat(STAMP).then((s) => s.mtimeMs, () => 0);
  if (!built) return true;
  const sources = Math.max(await newestSource(DASHBOARD_DIR), await newestSource(path.join(ROOT, 'contract')));
  return sources > built;
}

export async function buildDashboard(outDir = DASHBOARD_DIST): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(DASHBOARD_DIR, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  await fs.writeFile(path.join(outDir, '.anju-build'), new Date().toISOString());
}

/**
 * Returns the directory to serve, building first when needed. The build runs in a child process so that
 * the bundler's memory is returned to the system instead of staying in the long-running service.
 */
export async function ensureDashboardBuilt(force = false, log: (message: string) => void = () => undefined): Promise<string> {
  if (force || (await dashboardIsStale())) {
    log('building the dashboard…');
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--force'], { stdio: ['ignore', 'inherit', 'inherit'] });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`the dashboard build failed (exit ${code})`);
  }
  return DASHBOARD_DIST;
}

if (isMain(import.meta.url)) {
  if (process.argv.includes('--force') || (await dashboardIsStale())) await buildDashboard();
}
