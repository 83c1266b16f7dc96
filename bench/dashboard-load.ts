/**
 * One page load of the dashboard in Chromium, measured: every JavaScript and CSS response (bytes on the
 * wire, decoded bytes, and what gzip would make of them), paint timing, and the moment a chosen element
 * is first in the DOM and then painted, all relative to the navigation start of the page.
 */
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Response } from 'playwright-core';

export interface Asset {
  url: string;
  kind: 'js' | 'css';
  /** Body bytes as sent (compressed when the server compressed). */
  transferred: number;
  /** Decoded body bytes. */
  raw: number;
  /** The decoded body gzipped here (zlib level 6, as a server's gzip would typically send it). */
  gzip: number;
  contentEncoding: string | null;
}

/** A request of the load other than scripts and styles (the page, API calls), in ms from navigation start. */
export interface Fetched {
  url: string;
  status: number;
  startMs: number;
  endMs: number;
}

export interface LoadSample {
  assets: Asset[];
  requests: Fetched[];
  /** Milliseconds from navigation start. */
  responseStart: number;
  domContentLoaded: number;
  load: number;
  firstContentfulPaint: number | null;
  largestContentfulPaint: number | null;
  /** The target element: first in the DOM, and the end of the frame that painted it. */
  targetInDom: number;
  targetPainted: number;
  /** When a person can see the target: painted, and not before the first contentful paint. */
  targetVisible: number;
}

/** Installed before any page script: watches for the target and for paint entries. */
const probeScript = (selector: string) => `(() => {
  const found = {};
  window.__anjuBench = found;
  const painted = () => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { found.targetPainted = performance.now(); };
    channel.port2.postMessage(null);
  });
  new MutationObserver(() => {
    if (found.targetInDom === undefined && document.querySelector(${JSON.stringify(selector)})) {
      found.targetInDom = performance.now();
      painted();
    }
  }).observe(document, { childList: true, subtree: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) found.lcp = entry.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
})();`;

async function asset(response: Response): Promise<Asset | undefined> {
  const type = (await response.headerValue('content-type')) ?? '';
  const kind = type.includes('javascript') ? 'js' : type.includes('text/css') ? 'css' : undefined;
  if (!kind || response.status() !== 200) return undefined;
  const [body, sizes, contentEncoding] = await Promise.all([response.body(), response.request().sizes(), response.headerValue('content-encoding')]);
  return { url: new URL(response.url()).pathname, kind, transferred: sizes.responseBodySize, raw: body.length, gzip: gzipSync(body).length, contentEncoding };
}

/** Makes every page of `context` watch for `selector` (call once per context, before measureLoad). */
export async function watchFor(context: BrowserContext, selector: string): Promise<void> {
  await context.addInitScript({ content: probeScript(selector) });
}

/** Opens `url` in a new page of `context`, waits for the watched element to be painted and the network to go quiet, and measures. */
export async function measureLoad(context: BrowserContext, url: string, timeoutMs = 30_000): Promise<LoadSample> {
  const page = await context.newPage();
  const pending: Promise<Asset | undefined>[] = [];
  const problems: string[] = [];
  const finished: Response[] = [];
  page.on('response', (response) => {
    finished.push(response);
    pending.push(asset(response).catch(() => undefined));
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  try {
    await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    try {
      await page.waitForFunction('window.__anjuBench.targetPainted !== undefined', undefined, { timeout: timeoutMs });
    } catch (error) {
      const html = await page.content().catch(() => '');
      throw new Error(`${url}: the watched element was never painted (${String(error)}); page errors: ${problems.join(' | ') || 'none'}; page: ${html.slice(0, 1500)}`);
    }
    // Anything the page fetches by itself right after its first render still counts as the first load.
    await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => undefined);
    const timing = (await page.evaluate(`(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const found = window.__anjuBench;
      return { responseStart: nav.responseStart, domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
        firstContentfulPaint: fcp ? fcp.startTime : null, largestContentfulPaint: found.lcp ?? null,
        targetInDom: found.targetInDom, targetPainted: found.targetPainted };
    })()`)) as Omit<LoadSample, 'assets' | 'requests' | 'targetVisible'>;
    const targetVisible = Math.max(timing.targetPainted, timing.firstContentfulPaint ?? 0);
    const assets = (await Promise.all(pending)).filter((a): a is Asset => a !== undefined);
    const origin = (await page.evaluate('performance.timeOrigin')) as number;
    const requests = await Promise.all(
      finished
        .filter((r) => !assets.some((a) => a.url === new URL(r.url()).pathname))
        .map(async (r) => {
          await r.finished().catch(() => undefined);
          const t = r.request().timing();
          const start = t.startTime - origin;
          return { url: new URL(r.url()).pathname + new URL(r.url()).search, status: r.status(), startMs: Math.round(start), endMs: Math.round(start + Math.max(t.responseEnd, 0)) };
        }),
    );
    return { ...timing, targetVisible, assets, requests };
  } finally {
    await page.close();
  }
}
