/** Accessibility checks with axe-core, injected into the page under test; serious and critical violations fail. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, ImpactValue, Result, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const FAILING: ImpactValue[] = ['serious', 'critical'];

/** WCAG 2.x A and AA, plus axe's best practices (landmarks, headings, regions). */
export const AXE_OPTIONS: RunOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  resultTypes: ['violations'],
};

/** Runs axe on the whole page as it is now; returns every violation, whatever its impact. */
export async function runAxe(page: Page, options: RunOptions = AXE_OPTIONS): Promise<Result[]> {
  // Evaluated through the DevTools protocol, so a Content-Security-Policy cannot block it.
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async (runOptions) => {
    const g = globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<unknown> }; document: unknown };
    return g.axe.run(g.document, runOptions);
  }, options);
  return (results as AxeResults).violations;
}

/** One readable paragraph per violation: impact, rule, what it means, where (up to 5 elements), and the rule's help page. */
export function describeViolations(violations: readonly Result[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.slice(0, 5).map((n) => `    at ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n\s*/g, '\n      ')}`);
      const more = v.nodes.length > 5 ? [`    … and ${v.nodes.length - 5} more`] : [];
      return [`- [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'}) ${v.helpUrl}`, ...nodes, ...more].join('\n');
    })
    .join('\n');
}

/**
 * Fails with the list when axe finds serious or critical violations on the page named `name`; minor and
 * moderate ones are printed, not failed. Returns all violations for tests that want to look closer.
 */
export async function expectAccessible(page: Page, name: string, options?: RunOptions): Promise<Result[]> {
  const violations = await runAxe(page, options);
  const failing = violations.filter((v) => FAILING.includes(v.impact ?? null));
  const other = violations.filter((v) => !FAILING.includes(v.impact ?? null));
  if (other.length) console.warn(`axe: ${name}: ${other.length} minor/moderate violation(s):\n${describeViolations(other)}`);
  if (failing.length) throw new Error(`axe: ${name}: ${failing.length} serious/critical accessibility violation(s):\n${describeViolations(failing)}`);
  return violations;
}
