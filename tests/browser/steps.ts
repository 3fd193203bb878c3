/**
 * Steps the browser tests share: a page that collects its errors, and the sign-ins through the
 * real pages of the local identity providers (VNeID for citizens, the ward's user pool for officers).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { TEST_CITIZENS, TEST_OFFICERS, type TestCitizen, type TestOfficer } from '../../local/test-accounts';
import type { OfficerRole } from '../../shared/domain/status';
import { launchBrowser, newContext, seriousAxeViolations, type ViewportName } from '../support/browser';
import { startLocalWard, type LocalWard, type StartLocalWardOptions } from '../support/local-ward';

/** What a file's browser tests run against: a local ward serving the built front end, and Chromium. */
export interface BrowserTestBed {
  readonly ward: LocalWard;
  readonly browser: Browser;
}

/** The test bed of the file's tests: started before them (beforeAll), stopped after them. */
export function browserTestBed(options: StartLocalWardOptions = { site: true }): BrowserTestBed {
  let ward: LocalWard | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [ward, browser] = await Promise.all([startLocalWard(options), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await ward?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the browser test bed is used before its beforeAll ran');
    return value;
  };
  return {
    get ward() {
      return started(ward);
    },
    get browser() {
      return started(browser);
    },
  };
}

/**
 * A new page of this context, with the errors it shows collected: uncaught page errors and, unless
 * `consoleErrors` is false (a test that provokes refusals, which Chromium logs as failed loads),
 * console errors.
 */
export async function pageIn(context: BrowserContext, options: { readonly consoleErrors?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  if (options.consoleErrors ?? true)
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

/** A page in its own context, with the errors it shows collected (`pageIn`). */
export async function openPage(
  browser: Browser,
  viewport: ViewportName = 'desktop',
  options: { readonly consoleErrors?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await newContext(browser, viewport);
  return { context, ...(await pageIn(context, options)) };
}

/** The page passes axe's WCAG 2.1 AA rules with no serious or critical violation. */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAxeViolations(page), page.url()).toEqual([]);
}

/** From a portal page showing "Đăng nhập bằng VNeID": through the local VNeID's page as this citizen, and back. */
export async function signInCitizen(page: Page, citizen: TestCitizen): Promise<void> {
  const back = new URL(page.url()).pathname;
  await page.getByRole('button', { name: 'Đăng nhập bằng VNeID' }).first().click();
  await page.getByRole('button', { name: `Đăng nhập là ${citizen.fullName}` }).click();
  await page.waitForURL((url) => url.pathname === back);
}

/** The first of the local identity provider's citizens. */
export const testCitizen = (): TestCitizen => {
  const citizen = TEST_CITIZENS[0];
  if (citizen === undefined) throw new Error('no local citizen account');
  return citizen;
};

export const testOfficer = (role: OfficerRole): TestOfficer => {
  const officer = TEST_OFFICERS.find((candidate) => candidate.roles.includes(role));
  if (officer === undefined) throw new Error(`no local ${role} account`);
  return officer;
};

/** Opens a console page signed out: the console shows its sign-in page there. */
export async function openSignedOutAt(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
}

/** From the console's sign-in page: through the ward's sign-in page (the local user pool) as the role's officer, and back. */
export async function signInOfficer(page: Page, role: OfficerRole): Promise<TestOfficer> {
  const officer = testOfficer(role);
  const back = page.url();
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByLabel('Tên đăng nhập').fill(officer.username);
  await page.getByLabel('Mật khẩu').fill(officer.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(back);
  return officer;
}

/** Opens a console page signed out, signs in as the role's officer (`signInOfficer`), and lands back on it. */
export async function signInOfficerAt(page: Page, url: string, role: OfficerRole): Promise<TestOfficer> {
  await openSignedOutAt(page, url);
  return signInOfficer(page, role);
}
