/**
 * Browser tests drive Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it) with
 * playwright-core, headless, against a local ward serving the built front end. A fresh profile per
 * launch (Playwright's own temporary one); nothing reaches the network but 127.0.0.1.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** A phone (360 × 740, touch) as most citizens use, and an office desktop. */
export const VIEWPORTS = {
  phone: { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

/** A fresh context (no cookies, no storage), Vietnamese, in Vietnam's time zone. */
export function newContext(browser: Browser, viewport: ViewportName = 'desktop'): Promise<BrowserContext> {
  return browser.newContext({ ...VIEWPORTS[viewport], locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', acceptDownloads: true });
}

const require = createRequire(import.meta.url);
let axeSource: Promise<string> | undefined;

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: readonly string[];
}

/**
 * axe-core's WCAG 2.1 A and AA rules on the page as it is now. axe is evaluated through the
 * DevTools protocol, which the page's Content-Security-Policy does not govern, so the page keeps
 * its real headers. Returns the serious and critical violations.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> };
      }
    ).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.map(String).join(' ')),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/**
 * The committed pictures (docs/screenshots/) are rewritten only by `npm run screenshots`; an
 * ordinary test run takes them all the same, into a temporary folder, so the tree stays clean.
 */
export const SCREENSHOT_DIRECTORY =
  process.env.UPDATE_SCREENSHOTS === '1' ? join(fileURLToPath(new URL('../..', import.meta.url)), 'docs', 'screenshots') : join(tmpdir(), 'mot-cua-so-screenshots');

/** A full-page PNG under {@link SCREENSHOT_DIRECTORY}, named `<name>-<viewport>.png`. */
export async function saveScreenshot(page: Page, name: string, viewport: ViewportName): Promise<string> {
  const path = join(SCREENSHOT_DIRECTORY, `${name}-${viewport}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}
