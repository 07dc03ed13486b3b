/**
 * Launches Debian's Chromium through playwright-core (no downloaded browser builds), and saves
 * screenshots where a person can look at them.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const screenshotDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../screenshots');

/** The viewports the pages are checked at: the smallest phone we design for, and a laptop. */
export const viewports = {
  phone: { width: 360, height: 740 },
  desktop: { width: 1280, height: 800 },
} as const;

/**
 * Features Playwright (1.65, chromiumSwitches.ts) disables with its own `--disable-features`. Chromium
 * keeps only the last `--disable-features` switch it is given, so ours has to repeat these;
 * e2e/chromium.e2e.test.ts compares them with what a plain Playwright launch passes to its renderers.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
] as const;

/**
 * Browser UI we never show: each new window (every Playwright context) otherwise preloads the
 * address bar's WebUI popup (the "top-chrome" omnibox/AI-mode pages, a few hundred modules) into a
 * renderer of its own, 550–800 ms of CPU during the page load that follows. On a 2-core machine that
 * competes with the page being tested or measured; no viewer's phone runs it.
 */
export const BROWSER_UI_FEATURES_OFF = [
  'PreloadTopChromeWebUI',
  'WebUIOmniboxPopup',
  'WebUIOmniboxFullPopup',
  'WebUIOmniboxAimPopup',
] as const;

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...BROWSER_UI_FEATURES_OFF].join(',')}`,
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}. Install it with \`apt-get update && apt-get install -y chromium\`, ` +
        'or point CHROMIUM_PATH at another Chromium binary.',
    );
  }
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/** Full-page PNG into e2e/screenshots/<name>.png (gitignored); returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  // Sections below the fold skip rendering until scrolled near (content-visibility: auto), so a
  // full-page capture would show them as blank space; draw everything for the picture.
  await page.screenshot({ path: file, fullPage: true, style: '* { content-visibility: visible !important; }' });
  return file;
}
