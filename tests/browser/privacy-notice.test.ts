import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITIZEN_PAGES } from '../../shared/api/portal-paths';
import { CATALOG } from '../../shared/catalog/procedures';
import { launchBrowser, newContext, seriousAxeViolations } from '../support/browser';
import { startLocalWard, type LocalWard } from '../support/local-ward';

/**
 * The privacy notice in the citizen portal, driven in Chromium as a person would: reached from the
 * footer and from the sign-in, deep-linkable (a reload keeps it), accessible, in Vietnamese first
 * and in English, with each procedure's retention as the catalog sets it.
 */
let ward: LocalWard;
let browser: Browser;

beforeAll(async () => {
  [ward, browser] = await Promise.all([startLocalWard({ site: true }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await ward?.stop();
});

const MARITAL_STATUS = CATALOG.find((procedure) => procedure.code === '1.004873');

describe('the privacy notice', () => {
  it('is linked from the footer, says where the data is kept and how long, survives a reload, and passes axe', async () => {
    const context = await newContext(browser, 'phone');
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${ward.baseUrl}/`);

    await page.getByRole('contentinfo').getByRole('link', { name: 'Dữ liệu cá nhân của bạn được xử lý thế nào' }).click();

    await page.getByRole('heading', { level: 1, name: 'Dữ liệu cá nhân của bạn' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(CITIZEN_PAGES.privacy);
    const row = page.getByRole('row', { name: new RegExp(MARITAL_STATUS?.name ?? '-') });
    await row.waitFor();
    expect(await row.textContent()).toContain(`${MARITAL_STATUS?.personalDataRetention.years ?? 0} năm`);
    const main = (await page.getByRole('main').textContent()) ?? '';
    expect(main).toContain('ap-southeast-1');
    expect(main).toContain('Điều 4 Luật Bảo vệ dữ liệu cá nhân');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Dữ liệu cá nhân của bạn' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your personal data' }).waitFor();
    await page
      .getByRole('row', { name: new RegExp(MARITAL_STATUS?.name ?? '-') })
      .getByText(`${MARITAL_STATUS?.personalDataRetention.years ?? 0} years`)
      .waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('is linked where the citizen signs in', async () => {
    const context = await newContext(browser, 'desktop');
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${ward.baseUrl}${CITIZEN_PAGES.myDossiers}`);

    await page.getByRole('main').getByRole('link', { name: 'Dữ liệu cá nhân của bạn được xử lý thế nào' }).click();

    await page.getByRole('heading', { level: 1, name: 'Dữ liệu cá nhân của bạn' }).waitFor();
    await context.close();
  });
});
