/** Polling assertions on what the page shows (playwright-core has no `expect`; vitest's expect.poll does the waiting). */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

const TIMEOUT_MS = 10_000;

/** Waits until the element's visible text (trimmed) equals or matches `expected`. */
export async function expectText(locator: Locator, expected: string | RegExp, timeout = TIMEOUT_MS): Promise<void> {
  const read = () => locator.innerText({ timeout }).then((text) => text.trim());
  if (typeof expected === 'string') await expect.poll(read, { timeout }).toBe(expected);
  else await expect.poll(read, { timeout }).toMatch(expected);
}

/** Marks the current document; `expectSameDocument` later proves the page was not reloaded in between. */
export async function markDocument(page: Page): Promise<string> {
  const mark = `e2e-${Math.random().toString(36).slice(2)}`;
  await page.evaluate((m) => ((globalThis as unknown as { __e2eMark?: string }).__e2eMark = m), mark);
  return mark;
}

export async function expectSameDocument(page: Page, mark: string): Promise<void> {
  expect(await page.evaluate(() => (globalThis as unknown as { __e2eMark?: string }).__e2eMark)).toBe(mark);
}

/**
 * Fails when the page scrolls sideways (content wider than the viewport, the usual phone-layout bug),
 * naming the elements that stick out.
 */
export async function expectNoHorizontalScroll(page: Page, name: string): Promise<void> {
  const offenders = await page.evaluate(`(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.body.querySelectorAll('*')]
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .slice(0, 10)
      .map((e) => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') + ' (right edge ' + Math.round(e.getBoundingClientRect().right) + ' px of ' + width + ')');
  })()`);
  const list = offenders as string[];
  if (list.length) throw new Error(`${name} scrolls sideways; elements past the right edge:\n${list.map((o) => `  - ${o}`).join('\n')}`);
}
