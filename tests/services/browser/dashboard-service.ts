/**
 * The real service for browser tests: a fresh database on the suite's PostgreSQL 15, the dashboard built
 * (once, when missing or older than its sources) and served at `/`, loopback only, and one Chromium.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { ensureDashboardBuilt } from '../../../platform/dashboard-build.ts';
import { ADMIN_PASSWORD, startTestService, type TestService, type TestServiceOptions } from '../../helpers/service.ts';
import { createTestDatabaseOn } from '../pg15.ts';
import { launchChromium } from './chromium.ts';

export { ADMIN_PASSWORD };

export interface DashboardService extends TestService {
  browser: Browser;
  /** The address of a dashboard page, e.g. `url('/devices')`. */
  url(path?: string): string;
  /** Contexts opened by openDashboard, closed by stop(). */
  contexts: Set<BrowserContext>;
}

let built: Promise<string> | undefined;

/** The built dashboard's folder; builds at most once per test process. */
export function dashboardDist(): Promise<string> {
  built ??= ensureDashboardBuilt(false, (m) => console.log(`e2e: ${m}`));
  return built;
}

export async function startDashboardService(options: TestServiceOptions = {}): Promise<DashboardService> {
  const dashboardDir = await dashboardDist();
  const databaseUrl = options.databaseUrl ?? (await createTestDatabaseOn());
  const t = await startTestService({ ...options, databaseUrl, dashboardDir });
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await t.stop();
    throw error;
  }
  const contexts = new Set<BrowserContext>();
  const stopService = t.stop;
  return Object.assign(t, {
    browser,
    contexts,
    url: (path = '/') => new URL(path, t.service.httpUrl).href,
    async stop() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await stopService();
    },
  });
}
