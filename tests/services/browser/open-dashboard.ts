/** Opening the dashboard in a fresh browser context (desktop or phone), and signing in through its login page. */
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { DashboardService } from './dashboard-service.ts';

/** Desktop: the control room. Phone: a grid worker's handset (iPhone 12-class). */
export const VIEWPORTS = {
  desktop: { viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
} satisfies Record<string, BrowserContextOptions>;
export type ViewportName = keyof typeof VIEWPORTS;

export type DashboardLocale = 'en' | 'zh-CN';

export interface OpenOptions {
  viewport?: ViewportName;
  /** The dashboard's language (default English, so tests read in English; the product default is zh-CN). */
  locale?: DashboardLocale;
  /** The page to open, default `/` (which leads to the login page when signed out). */
  path?: string;
}

export interface OpenedDashboard {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console errors of the page, for a test to assert there are none. */
  errors: string[];
}

/** The dashboard remembers its language under this localStorage key (dashboard/src/i18n/index.ts). */
const LOCALE_KEY = 'anju.locale';

export async function openDashboard(t: DashboardService, options: OpenOptions = {}): Promise<OpenedDashboard> {
  const locale = options.locale ?? 'en';
  const context = await t.browser.newContext({
    ...VIEWPORTS[options.viewport ?? 'desktop'],
    locale: locale === 'en' ? 'en-GB' : 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    reducedMotion: 'reduce',
  });
  t.contexts.add(context);
  context.on('close', () => t.contexts.delete(context));
  // Only when unset: a test that switches the language in the page keeps its choice across reloads.
  const [key, value] = [JSON.stringify(LOCALE_KEY), JSON.stringify(locale)];
  await context.addInitScript({ content: `if (!localStorage.getItem(${key})) localStorage.setItem(${key}, ${value});` });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
  });
  await page.goto(t.url(options.path ?? '/'));
  return { context, page, errors };
}

/** Signs in through the login page (which must be showing) and waits until the app has left it for the user's home page. */
export async function login(page: Page, username: string, password: string): Promise<void> {
  const form = page.getByTestId('login-form');
  await form.waitFor();
  await form.getByLabel(/^(Username|用户名)$/).fill(username);
  await form.getByLabel(/^(Password|密码)$/).fill(password);
  await form.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

/** Goes to a page of the signed-in frame through the main navigation, as a person would (`name`: the link's text). */
export async function navigate(page: Page, name: string | RegExp): Promise<void> {
  const nav = page.getByRole('navigation', { name: /^(Main navigation|主导航)$/ });
  await nav.getByRole('link', { name, exact: typeof name === 'string' }).click();
}
