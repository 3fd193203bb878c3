/**
 * Steps the browser tests share: a page that collects its errors, and the sign-ins through the
 * real pages of the local identity providers (VNeID for citizens, the ward's user pool for officers).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { TEST_OFFICERS, type TestCitizen, type TestOfficer } from '../../local/test-accounts';
import type { OfficerRole } from '../../shared/domain/status';
import { newContext, seriousAxeViolations, type ViewportName } from '../support/browser';

/** A page in its own context, with the page errors and console errors it shows collected. */
export async function openPage(browser: Browser, viewport: ViewportName = 'desktop'): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await newContext(browser, viewport);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
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

export const testOfficer = (role: OfficerRole): TestOfficer => {
  const officer = TEST_OFFICERS.find((candidate) => candidate.roles.includes(role));
  if (officer === undefined) throw new Error(`no local ${role} account`);
  return officer;
};

/** Opens a console page signed out, signs in at the ward's sign-in page (the local user pool) as the role's officer, and lands back on it. */
export async function signInOfficerAt(page: Page, url: string, role: OfficerRole): Promise<TestOfficer> {
  const officer = testOfficer(role);
  await page.goto(url);
  await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByLabel('Tên đăng nhập').fill(officer.username);
  await page.getByLabel('Mật khẩu').fill(officer.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(url);
  return officer;
}
