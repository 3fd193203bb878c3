import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CITIZEN_PAGES, OFFICER_PAGES } from '../../shared/api/portal-paths';
import { MARITAL_STATUS_CODE, SAMPLE_PDF } from '../e2e/citizen-client';
import { saveScreenshot } from '../support/browser';
import { browserTestBed, expectAccessible, openPage, signInCitizen, signInOfficerAt, testCitizen } from './steps';

const bed = browserTestBed();

const citizen = testCitizen();
const pdf = (name: string) => ({ name, mimeType: 'application/pdf', buffer: SAMPLE_PDF });
const escaped = (code: string) => code.replace(/\./g, '\\.');

/** Files the marital-status dossier from its first step, signed in, with two uploaded files; gives the dossier's code. */
async function fileSignedIn(page: Page): Promise<string> {
  await page.goto(`${bed.ward.baseUrl}${CITIZEN_PAGES.file(MARITAL_STATUS_CODE)}`);
  await page.getByRole('heading', { level: 1, name: 'Thông tin người nộp hồ sơ' }).waitFor();
  await signInCitizen(page, citizen);
  await page.getByText(`Bạn đã đăng nhập là ${citizen.fullName}.`, { exact: false }).waitFor();
  await page.getByLabel('Thư điện tử').fill('hoa.nguyen@example.vn');
  await page.getByLabel('Địa chỉ').fill('12 phố Hàng Bạc, phường Hoàn Kiếm');
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await page.getByRole('heading', { level: 1, name: 'Thông tin trong tờ khai' }).waitFor();
  await page.getByLabel('Mục đích sử dụng Giấy xác nhận').fill('Đăng ký kết hôn');
  await page.getByLabel('Chưa kết hôn').check();
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await page.getByRole('heading', { level: 1, name: 'Tải lên giấy tờ' }).waitFor();
  await page.getByLabel('Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu').setInputFiles(pdf('to-khai.pdf'));
  await page.getByLabel(/^Giấy tờ chứng minh việc hôn nhân trước đã chấm dứt/).setInputFiles(pdf('quyet-dinh-ly-hon.pdf'));
  await page.getByRole('progressbar', { name: 'Đã tải lên: to-khai.pdf' }).waitFor();
  await page.getByRole('progressbar', { name: 'Đã tải lên: quyet-dinh-ly-hon.pdf' }).waitFor();
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await page.getByRole('heading', { level: 1, name: 'Kiểm tra trước khi nộp' }).waitFor();
  await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  await page.getByRole('heading', { level: 1, name: 'Đã nộp hồ sơ' }).waitFor();
  return (await page.locator('.panel-confirmation strong').textContent()) ?? '';
}

describe("a citizen's journey", () => {
  it('signs in, files with two files, finds the dossier in "my dossiers" from the server, and downloads the e-result officers signed in at the console produced; the next filing is prefilled', async () => {
    // The citizen signs in at the local VNeID and files the dossier.
    const filing = await openPage(bed.browser);
    const code = await fileSignedIn(filing.page);
    expect(code).toMatch(/^[\w.]+-\d{6}-\d{4}$/);
    expect(filing.errors).toEqual([]);
    await filing.context.close();

    // Another browser: nothing saved on this device, the list comes from the server once signed in.
    const citizenSide = await openPage(bed.browser);
    const { page } = citizenSide;
    await page.goto(`${bed.ward.baseUrl}${CITIZEN_PAGES.myDossiers}`);
    await page.getByRole('heading', { level: 1, name: 'Hồ sơ của tôi' }).waitFor();
    await page.getByText('Chưa có hồ sơ nào trên thiết bị này.').waitFor();
    expect(await page.getByRole('link', { name: code }).count()).toBe(0);
    await signInCitizen(page, citizen);
    const account = page.getByRole('region', { name: 'Hồ sơ trong tài khoản của bạn' });
    await account.getByRole('link', { name: code }).waitFor();
    await account.getByText('Mới đăng ký', { exact: true }).waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'citizen-my-dossiers-signed-in', 'desktop');

    // Opened from the list, the whole dossier shows without its secret (the ID token stands in).
    await account.getByRole('link', { name: code }).click();
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor();
    await page.getByRole('heading', { name: 'Tệp đã nộp' }).waitFor();
    expect(await page.getByText('quyet-dinh-ly-hon.pdf').count()).toBe(1);
    expect(await page.getByLabel('Mã bí mật').count()).toBe(0);

    // Officers, each signed in through the console's sign-in page in their own browser context.
    const dossierUrl = `${bed.ward.baseUrl}${OFFICER_PAGES.dossier(code)}`;
    const reception = await openPage(bed.browser);
    await signInOfficerAt(reception.page, dossierUrl, 'reception');
    await reception.page.getByRole('heading', { level: 1, name: new RegExp(escaped(code)) }).waitFor();
    await reception.page.getByRole('link', { name: 'Tiếp nhận hồ sơ' }).click();
    await reception.page.getByRole('button', { name: 'Xác nhận: Tiếp nhận hồ sơ' }).click();
    await reception.page.getByRole('status').filter({ hasText: 'Đã thực hiện: Tiếp nhận hồ sơ' }).waitFor();
    await reception.page.getByRole('link', { name: 'Chuyển xử lý' }).click();
    await reception.page.getByRole('button', { name: 'Xác nhận: Chuyển xử lý' }).click();
    await reception.page.getByRole('status').filter({ hasText: 'Đang xử lý' }).waitFor();
    expect(reception.errors).toEqual([]);
    await reception.context.close();

    const specialist = await openPage(bed.browser);
    await signInOfficerAt(specialist.page, dossierUrl, 'specialist');
    await specialist.page.getByRole('link', { name: 'Soạn dự thảo kết quả' }).click();
    const content = specialist.page.getByLabel('Nội dung kết quả');
    await expect.poll(() => content.inputValue()).toContain(citizen.fullName);
    expect(await content.inputValue()).toContain(citizen.idNumber);
    expect(await content.inputValue()).not.toMatch(/\{\{/);
    await specialist.page.getByRole('button', { name: 'Xác nhận: Soạn dự thảo kết quả' }).click();
    await specialist.page.getByRole('status').filter({ hasText: 'Đã lưu dự thảo kết quả' }).waitFor();
    expect(specialist.errors).toEqual([]);
    await specialist.context.close();

    const leader = await openPage(bed.browser);
    await signInOfficerAt(leader.page, dossierUrl, 'leader');
    await leader.page.getByRole('link', { name: 'Phê duyệt kết quả' }).click();
    await expect.poll(() => leader.page.getByLabel('Nội dung kết quả').inputValue()).toContain(citizen.fullName);
    await leader.page.getByRole('button', { name: 'Xác nhận: Phê duyệt kết quả' }).click();
    await leader.page.getByRole('status').filter({ hasText: 'Đã xử lý xong' }).waitFor();
    expect(leader.errors).toEqual([]);
    await leader.context.close();

    // The citizen downloads the e-result, a PDF, from the dossier page, signed in and without the secret.
    await page.reload();
    await page.getByRole('heading', { name: 'Kết quả giải quyết' }).waitFor();
    expect(citizenSide.errors).toEqual([]);
    const [link, opened] = await Promise.all([
      page.waitForResponse((response) => new URL(response.url()).pathname === `/dossiers/${code}/result`),
      page.waitForRequest((request) => request.url().includes('X-Amz-Signature')),
      page.getByRole('button', { name: 'Tải kết quả điện tử (PDF)' }).click(),
    ]);
    expect(link.status()).toBe(200);
    expect(link.request().headers()['authorization']).toMatch(/^Bearer /);
    expect(link.request().headers()['x-dossier-secret']).toBeUndefined();
    const result = await citizenSide.context.request.get(opened.url());
    expect(result.status()).toBe(200);
    expect((await result.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // A second filing of the same procedure: declared once, the answers come back prefilled and editable.
    // (The page left for the PDF; its errors were checked before.)
    await page.waitForURL(/X-Amz-Signature/, { waitUntil: 'commit' });
    citizenSide.errors.length = 0;
    await page.goto(`${bed.ward.baseUrl}${CITIZEN_PAGES.file(MARITAL_STATUS_CODE)}`);
    await page.getByRole('heading', { level: 1, name: 'Thông tin người nộp hồ sơ' }).waitFor();
    await page.getByRole('note').getByText('Đã điền sẵn.').waitFor();
    await expect.poll(() => page.getByLabel('Thư điện tử').inputValue()).toBe('hoa.nguyen@example.vn');
    expect(await page.getByLabel('Địa chỉ').inputValue()).toBe('12 phố Hàng Bạc, phường Hoàn Kiếm');
    expect(await page.locator('#applicant-email-hint').textContent()).toBe('Điền sẵn từ hồ sơ trước của bạn, có thể sửa.');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.getByRole('heading', { level: 1, name: 'Thông tin trong tờ khai' }).waitFor();
    const purpose = page.getByLabel('Mục đích sử dụng Giấy xác nhận');
    expect(await purpose.inputValue()).toBe('Đăng ký kết hôn');
    expect(await page.getByLabel('Chưa kết hôn').isChecked()).toBe(true);
    expect(await page.locator('#form-purpose-hint').textContent()).toBe(`Điền sẵn từ hồ sơ ${code}, có thể sửa.`);
    await expectAccessible(page);
    await saveScreenshot(page, 'citizen-file-prefilled', 'desktop');
    await purpose.fill('Bổ sung hồ sơ vay vốn');
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tải lên giấy tờ' }).waitFor();
    await page.goBack();
    await expect.poll(() => page.getByLabel('Mục đích sử dụng Giấy xác nhận').inputValue()).toBe('Bổ sung hồ sơ vay vốn');
    expect(citizenSide.errors).toEqual([]);
    await citizenSide.context.close();
  }, 240_000);
});
