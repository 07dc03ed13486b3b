/**
 * axe-core on a page, the one way the e2e suites check accessibility: no serious or critical
 * violation.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const axeScript = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** How long a page may go without a title while Next.js streams in a navigation's or refresh's head. */
const TITLE_WAIT_MS = 5_000;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * The serious and critical violations of the page once it has settled. Next.js streams a page's
 * <title> in its own Suspense boundary, so for a moment after a client navigation or a
 * router.refresh() the document can have none; the check waits (up to 5 s) for a title first. A
 * page that never gets one is still reported: axe runs either way.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Strings, not functions: the e2e files are type-checked without the DOM library.
  await page.waitForFunction('document.title.trim() !== ""', undefined, { timeout: TITLE_WAIT_MS }).catch(() => {});
  await page.addScriptTag({ path: axeScript });
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`,
  )) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Fails with the page's serious and critical violations, under `label`, if it has any. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  expect(await seriousViolations(page), `${label}: axe violations`).toEqual([]);
}
