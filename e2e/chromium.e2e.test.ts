/**
 * The Chromium every browser test and the page-load benchmark launch (e2e/support/browser.ts): what
 * it runs besides the page under test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { BROWSER_UI_FEATURES_OFF, chromiumPath, launchBrowser } from './support/browser';

/** Command lines of this process's descendants (Chromium's browser, zygotes, renderers…), from /proc. */
function descendantCommandLines(): string[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p)) if (p === process.pid) return true;
    return false;
  };
  return [...parentOf.keys()].filter(isDescendant).flatMap((pid) => {
    try {
      return [readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')];
    } catch {
      return [];
    }
  });
}

/** The features a page's renderer was started with disabled: the browser's effective list. */
function rendererDisabledFeatures(): Set<string> {
  const renderer = descendantCommandLines().find(
    (line) => line.includes('--type=renderer') && !line.includes('--top-chrome-webui'),
  );
  if (!renderer) throw new Error('no page renderer among this process’s descendants');
  const features = /--disable-features=(\S*)/.exec(renderer)?.[1] ?? '';
  return new Set(features.split(',').filter(Boolean));
}

async function loadAPage(browser: Browser): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 }, isMobile: true });
  const page = await context.newPage();
  await page.goto('data:text/html,<title>t</title><p>A page</p>');
  // The address bar's WebUI preload starts a moment after the window opens.
  await page.waitForTimeout(1_500);
}

describe('the Chromium the browser tests and benchmarks launch', () => {
  let browser: Browser | undefined;
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
  });

  it('starts no address-bar WebUI renderer next to the page', async () => {
    browser = await launchBrowser();
    await loadAPage(browser);
    const webUi = descendantCommandLines().filter((line) => line.includes('--top-chrome-webui'));
    expect(webUi).toEqual([]);
  });

  it('keeps every feature Playwright disables while turning the browser UI off', async () => {
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    await loadAPage(browser);
    const playwrights = rendererDisabledFeatures();
    await browser.close();
    expect(playwrights.size).toBeGreaterThan(5);

    browser = await launchBrowser();
    await loadAPage(browser);
    const ours = rendererDisabledFeatures();
    expect([...playwrights].filter((feature) => !ours.has(feature))).toEqual([]);
    expect(BROWSER_UI_FEATURES_OFF.filter((feature) => !ours.has(feature))).toEqual([]);
  });
});
