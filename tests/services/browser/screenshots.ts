/** PNG screenshots of dashboard pages into docs/screenshots/<name>.png, for the docs and for reviewers. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO } from '../../helpers/child-service.ts';

export const SCREENSHOT_DIR = path.join(REPO, 'docs/screenshots');

/**
 * Saves what the viewport shows (not the full scroll height, so files stay small: desktop 1440×900,
 * phone 390×844 at device scale 2), with animations stopped and the caret hidden. Returns the path.
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`screenshot name "${name}": use lower-case letters, digits and dashes`);
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
  // Web fonts and images settle before the picture is taken.
  await page.evaluate('document.fonts.ready.then(() => undefined)');
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide', scale: 'device' });
  return file;
}
