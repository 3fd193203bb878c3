import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CITIZEN_PAGES } from '../../shared/api/portal-paths';
import { call, MARITAL_STATUS_CODE, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile } from '../e2e/citizen-client';
import { saveScreenshot, type ViewportName } from '../support/browser';
import { officerToken } from '../support/local-ward';
import { browserTestBed, expectAccessible, openPage, signInCitizen, testCitizen } from './steps';

const bed = browserTestBed();

const PROCEDURE_NAME = 'Cấp Giấy xác nhận tình trạng hôn nhân';
const citizen = testCitizen();
const pdf = (name: string) => ({ name, mimeType: 'application/pdf', buffer: SAMPLE_PDF });

async function officer(code: string, roles: string[], body: Record<string, unknown>) {
  const token = await officerToken({ roles, name: 'Trần Văn Cán Bộ' });
  const response = await call(bed.ward.baseUrl, 'POST', `/officer/dossiers/${encodeURIComponent(code)}/transitions`, { body, headers: { Authorization: `Bearer ${token}` } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

/** A page whose `errors` are its uncaught errors: the tests provoke refusals, which the browser logs as console errors. */
const openPortalPage = (viewport: ViewportName = 'desktop') => openPage(bed.browser, viewport, { consoleErrors: false });

/** The text a QR code image on the page encodes. */
async function qrText(page: Page, name: string | RegExp): Promise<string | undefined> {
  const image = page.getByRole('img', { name });
  await expect.poll(() => image.getAttribute('src'), { timeout: 10_000 }).toMatch(/^data:image\/png;base64,/);
  const source = (await image.getAttribute('src')) ?? '';
  const png = PNG.sync.read(Buffer.from(source.split(',')[1] ?? '', 'base64'));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

describe('the citizen portal', () => {
  it('browses and searches the catalog, shows a procedure with its documents, fee, time limit and the appointment a dossier filed now would get', async () => {
    const { context, page, errors } = await openPortalPage();
    await page.goto(`${bed.ward.baseUrl}/`);
    await expect.poll(() => page.getByRole('link', { name: PROCEDURE_NAME }).count(), { timeout: 10_000 }).toBe(1);
    await expectAccessible(page);
    await saveScreenshot(page, 'citizen-catalog', 'desktop');

    await page.getByLabel('Tìm thủ tục').fill('hon nhan');
    await expect.poll(() => page.getByRole('link', { name: 'Đăng ký khai sinh' }).count(), { timeout: 10_000 }).toBe(0);
    expect(await page.getByRole('link', { name: PROCEDURE_NAME }).count()).toBe(1);
    await page.getByLabel('Tìm thủ tục').fill('');
    await page.getByLabel('Lĩnh vực').selectOption('Chứng thực');
    await expect.poll(() => page.getByRole('link', { name: PROCEDURE_NAME }).count(), { timeout: 10_000 }).toBe(0);
    await page.getByLabel('Lĩnh vực').selectOption('');
    await page.getByRole('link', { name: PROCEDURE_NAME }).click();

    await page.getByRole('heading', { level: 1, name: PROCEDURE_NAME }).waitFor();
    const preview = await call<{ appointmentAt: string }>(bed.ward.baseUrl, 'GET', `/procedures/${MARITAL_STATUS_CODE}/appointment`);
    const [year, month, day] = preview.body.appointmentAt.slice(0, 10).split('-');
    await page.getByText(`Nếu nộp hồ sơ bây giờ, ngày hẹn trả kết quả là ${day}/${month}/${year}.`).waitFor();
    const main = page.getByRole('main');
    expect(await main.textContent()).toContain('3 ngày làm việc');
    expect(await main.textContent()).toContain('3.000 đồng');
    expect(await main.textContent()).toContain('Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu');
    await expectAccessible(page);
    await saveScreenshot(page, 'citizen-procedure', 'desktop');

    // A deep link survives a reload, and the language switch turns the page into English.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: PROCEDURE_NAME }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('Documents you need').waitFor();
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('en');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByText('Giấy tờ cần có').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('files a dossier with two uploaded files, shows the browser and the server refusals in the summary, and gives the receipt with code, QR and appointment', async () => {
    const { context, page, errors } = await openPortalPage();
    await page.goto(`${bed.ward.baseUrl}${CITIZEN_PAGES.procedure(MARITAL_STATUS_CODE)}`);
    await page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();

    // The applicant, with mistakes the browser catches by the server's rules and messages.
    await page.getByRole('heading', { level: 1, name: 'Thông tin người nộp hồ sơ' }).waitFor();
    await page.getByLabel('Họ, chữ đệm và tên').fill('Nguyễn Thị Hoa');
    await page.getByLabel('Số định danh cá nhân').fill('12345');
    await page.getByLabel('Số điện thoại di động').fill('12345');
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    const summary = page.getByRole('alert');
    await summary.getByRole('heading', { name: 'Có lỗi cần sửa' }).waitFor();
    await summary.getByRole('link', { name: 'Số định danh cá nhân phải gồm đúng 12 chữ số.' }).waitFor();
    await summary.getByRole('link', { name: 'Số điện thoại di động phải có dạng 0xxxxxxxxx hoặc +84xxxxxxxxx.' }).click();
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('applicant-phone');
    await expectAccessible(page);
    await saveScreenshot(page, 'citizen-file-errors', 'desktop');
    await page.getByLabel('Số điện thoại di động').fill('0912 345 678');
    await page.getByLabel('Số định danh cá nhân').fill('001190012345');

    // Signed in at the (local) identity provider, the applicant comes from the ID token; the draft survives the round trip.
    await signInCitizen(page, citizen);
    await page.getByText(`Bạn đã đăng nhập là ${citizen.fullName}.`, { exact: false }).waitFor();
    expect(new URL(page.url()).pathname).toBe(CITIZEN_PAGES.file(MARITAL_STATUS_CODE));
    expect(await page.getByLabel('Số điện thoại di động').inputValue()).toBe('0912 345 678');
    expect(await page.getByLabel('Họ, chữ đệm và tên').count()).toBe(0);
    await expectAccessible(page);
    await saveScreenshot(page, 'citizen-file-signed-in', 'desktop');
    await page.getByRole('button', { name: 'Tiếp tục' }).click();

    // The procedure's own form, generated from its formFields.
    await page.getByRole('heading', { level: 1, name: 'Thông tin trong tờ khai' }).waitFor();
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.getByRole('alert').getByRole('link', { name: 'Nhập mục đích sử dụng Giấy xác nhận.' }).waitFor();
    await page.getByRole('alert').getByRole('link', { name: 'Chọn tình trạng hôn nhân hiện tại.' }).waitFor();
    await expectAccessible(page);
    await page.getByLabel('Mục đích sử dụng Giấy xác nhận').fill('Đăng ký kết hôn');
    await page.getByLabel('Chưa kết hôn').check();
    await page.getByRole('button', { name: 'Tiếp tục' }).click();

    // The documents: a required one missing is refused; a file that only claims to be a PDF passes the browser, not the server.
    await page.getByRole('heading', { level: 1, name: 'Tải lên giấy tờ' }).waitFor();
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page
      .getByRole('alert')
      .getByRole('link', { name: /^Tải lên Tờ khai cấp Giấy xác nhận/ })
      .waitFor();
    await page
      .getByLabel('Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu')
      .setInputFiles({ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not a pdf at all') });
    await page.getByLabel(/^Giấy tờ chứng minh việc hôn nhân trước đã chấm dứt/).setInputFiles(pdf('quyet-dinh-ly-hon.pdf'));
    const progress = (name: string) => page.getByRole('progressbar', { name: `Đã tải lên: ${name}` });
    await progress('to-khai.pdf').waitFor();
    await progress('quyet-dinh-ly-hon.pdf').waitFor();
    await expect.poll(() => page.getByRole('alert').count(), { timeout: 10_000 }).toBe(0);
    expect(await progress('quyet-dinh-ly-hon.pdf').getAttribute('value')).toBe('1');
    await expectAccessible(page);
    await saveScreenshot(page, 'citizen-file-uploads', 'desktop');
    await page.getByRole('button', { name: 'Tiếp tục' }).click();

    await page.getByRole('heading', { level: 1, name: 'Kiểm tra trước khi nộp' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain('0912 345 678');
    await expectAccessible(page);
    await saveScreenshot(page, 'citizen-file-review', 'desktop');
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
    const serverRefusal = page.getByRole('alert').getByRole('link', { name: /Nội dung tệp không đúng loại tệp đã khai báo/ });
    await serverRefusal.click();
    await page.getByRole('heading', { level: 1, name: 'Tải lên giấy tờ' }).waitFor();
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('file-to-khai-xac-nhan-tthn');
    await page.getByLabel('Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu').setInputFiles(pdf('to-khai-that.pdf'));
    await progress('to-khai-that.pdf').waitFor();
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();

    // The receipt.
    await page.getByRole('heading', { level: 1, name: 'Đã nộp hồ sơ' }).waitFor();
    const code = (await page.locator('.panel-confirmation strong').textContent()) ?? '';
    expect(code).toMatch(/^[\w.]+-\d{6}-\d{4}$/);
    expect(new URL(page.url()).pathname).toBe(CITIZEN_PAGES.dossier(code));
    await page.getByText(/^Ngày hẹn trả kết quả dự kiến: \d{2}\/\d{2}\/\d{4}$/).waitFor();
    expect(await qrText(page, `Mã QR mở trang tra cứu hồ sơ ${code}`)).toBe(`${bed.ward.baseUrl}${CITIZEN_PAGES.dossier(code)}`);
    await expectAccessible(page);
    await saveScreenshot(page, 'citizen-receipt', 'desktop');

    const dossier = await call<{ attachments: { fileName: string }[]; applicant: { phone: string } }>(bed.ward.baseUrl, 'GET', `/dossiers/${code}`, {
      headers: { 'X-Dossier-Secret': (await page.locator('code.secret').textContent()) ?? '' },
    });
    expect(dossier.body.attachments.map((attachment) => attachment.fileName).sort()).toEqual(['quyet-dinh-ly-hon.pdf', 'to-khai-that.pdf']);
    expect(dossier.body.applicant.phone).toBe('+84912345678');

    // The SMS link: the tracking page, after a reload, with the status.
    await page.goto(`${bed.ward.baseUrl}${CITIZEN_PAGES.dossier(code)}`);
    await page.getByText('Mới đăng ký', { exact: true }).first().waitFor();
    await page.reload();
    await page.getByText('Mới đăng ký', { exact: true }).first().waitFor();
    await expectAccessible(page);

    // Received, in progress, asked to supplement: the citizen sends a file and a correction.
    await officer(code, ['reception'], { action: 'receive' });
    await officer(code, ['reception'], { action: 'transfer' });
    await officer(code, ['specialist'], {
      action: 'request-supplement',
      items: ['Giấy xác nhận tình trạng hôn nhân đã cấp trước đây', 'Ghi rõ mục đích sử dụng'],
      fields: ['purpose'],
      documents: ['giay-xac-nhan-tthn-cu'],
    });
    await page.reload();
    await page.getByText('Yêu cầu bổ sung giấy tờ', { exact: true }).first().waitFor();
    await page.getByText('Ghi rõ mục đích sử dụng').waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'citizen-dossier-supplement-requested', 'desktop');
    await page.getByRole('link', { name: 'Bổ sung hồ sơ' }).click();
    await page.getByRole('heading', { level: 1, name: `Bổ sung hồ sơ ${code}` }).waitFor();
    await page.getByLabel('Giấy xác nhận tình trạng hôn nhân đã cấp trước đây').setInputFiles(pdf('giay-cu.pdf'));
    await progress('giay-cu.pdf').waitFor();
    await page.getByLabel('Mục đích sử dụng Giấy xác nhận').fill('Đăng ký kết hôn tại phường Hoàn Kiếm');
    await expectAccessible(page);
    await saveScreenshot(page, 'citizen-supplement', 'desktop');
    await page.getByRole('button', { name: 'Gửi bổ sung' }).click();
    await page.getByText('Đã gửi bổ sung. Hồ sơ được xử lý tiếp.').waitFor();
    await page.getByText('Đang xử lý', { exact: true }).first().waitFor();

    // Approved: the e-result downloads as a PDF; then the citizen rates the service.
    await officer(code, ['leader'], { action: 'approve', result: { title: 'Giấy xác nhận tình trạng hôn nhân', content: 'Chưa đăng ký kết hôn với ai.' } });
    await page.reload();
    await page.getByText('Đã xử lý xong', { exact: true }).first().waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'citizen-dossier-resolved', 'desktop');
    const [request] = await Promise.all([
      page.waitForEvent('requestfinished', (candidate) => candidate.url().includes('X-Amz-Signature')),
      page.getByRole('button', { name: 'Tải kết quả điện tử (PDF)' }).click(),
    ]);
    const download = await fetch(request.url());
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');

    // The page behind the e-result's QR code looks like the portal: its header, its colours, its stylesheet under the page's CSP.
    const refused: string[] = [];
    page.on('console', (message) => message.text().includes('Content Security Policy') && refused.push(message.text()));
    page.on('response', (response) => response.url().startsWith(bed.ward.baseUrl) && response.status() >= 400 && refused.push(`${response.status()} ${response.url()}`));
    await page.goto(`${bed.ward.baseUrl}/verify/${code}`);
    await page.getByRole('heading', { level: 1, name: 'Kiểm tra văn bản điện tử' }).waitFor();
    await page.getByText('✔ Văn bản hợp lệ').first().waitFor();
    expect(await page.evaluate<string>("getComputedStyle(document.querySelector('header')).backgroundColor")).toBe('rgb(165, 14, 21)');
    await page.getByRole('link', { name: 'Dịch vụ công một cửa' }).waitFor();
    expect(refused).toEqual([]);
    await expectAccessible(page);
    await saveScreenshot(page, 'citizen-verify', 'desktop');

    await page.goto(`${bed.ward.baseUrl}${CITIZEN_PAGES.dossier(code)}`);
    await page.getByRole('link', { name: 'Đánh giá mức độ hài lòng' }).click();
    await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await page.getByRole('alert').getByRole('link', { name: 'Chọn mức độ hài lòng.' }).waitFor();
    await expectAccessible(page);
    await page.getByLabel('Rất hài lòng').check();
    await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await page.getByText('Cảm ơn bạn đã đánh giá.').waitFor();
    await page.getByText('Bạn đã đánh giá: Rất hài lòng.').waitFor();

    // My dossiers, on this device.
    await page.getByRole('link', { name: 'Hồ sơ của tôi' }).click();
    await page.getByRole('link', { name: code }).waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'citizen-my-dossiers', 'desktop');
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('opens a dossier on another device with its secret, and withdraws it', async () => {
    const uploadId = await uploadFile(bed.ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
    const submitted = await call<{ code: string; secret: string }>(bed.ward.baseUrl, 'POST', '/dossiers', {
      body: maritalStatusSubmission(uploadId),
      headers: { 'Idempotency-Key': newIdempotencyKey() },
    });
    expect(submitted.status).toBe(201);
    const { code, secret } = submitted.body;
    const { context, page, errors } = await openPortalPage('phone');
    await page.goto(`${bed.ward.baseUrl}${CITIZEN_PAGES.dossier(code)}`);
    await page.getByText('Mới đăng ký', { exact: true }).first().waitFor();
    expect(await page.getByRole('main').textContent()).toContain('Nguyễn T. H.');
    await page.getByLabel('Mã bí mật').fill('not-the-secret');
    await page.getByRole('button', { name: 'Mở hồ sơ' }).click();
    await page.getByRole('alert').getByRole('link', { name: 'Mã bí mật không đúng với hồ sơ này.' }).waitFor();
    await page.getByLabel('Mã bí mật').fill(secret);
    await page.getByRole('button', { name: 'Mở hồ sơ' }).click();
    await page.getByRole('link', { name: 'Rút hồ sơ' }).click();
    await page.getByRole('heading', { level: 1, name: `Rút hồ sơ ${code}` }).waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'citizen-withdraw', 'phone');
    await page.getByLabel('Lý do rút hồ sơ (không bắt buộc)').fill('Nộp nhầm thủ tục');
    await page.getByRole('button', { name: 'Rút hồ sơ' }).click();
    await page.getByText('Đã gửi yêu cầu rút hồ sơ.').waitFor();
    await page.getByText('Dừng xử lý', { exact: true }).first().waitFor();
    await page.reload();
    await page.getByText('Dừng xử lý', { exact: true }).first().waitFor();
    expect(await page.getByRole('link', { name: 'Rút hồ sơ' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps every page accessible on a phone', async () => {
    const uploadId = await uploadFile(bed.ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
    const submitted = await call<{ code: string; secret: string }>(bed.ward.baseUrl, 'POST', '/dossiers', {
      body: maritalStatusSubmission(uploadId),
      headers: { 'Idempotency-Key': newIdempotencyKey() },
    });
    const { code, secret } = submitted.body;
    await officer(code, ['reception'], { action: 'receive' });
    await officer(code, ['reception'], { action: 'transfer' });
    await officer(code, ['leader'], { action: 'approve', result: { title: 'Giấy xác nhận tình trạng hôn nhân', content: 'Chưa đăng ký kết hôn với ai.' } });
    const { context, page, errors } = await openPortalPage('phone');
    await page.goto(`${bed.ward.baseUrl}/`);
    await page.evaluate(`localStorage.setItem('mcs.dossiers', ${JSON.stringify(JSON.stringify([{ code, secret }]))})`);
    const tour: [string, string, string][] = [
      ['/', 'Thủ tục hành chính', 'citizen-catalog'],
      [CITIZEN_PAGES.procedure(MARITAL_STATUS_CODE), PROCEDURE_NAME, 'citizen-procedure'],
      [CITIZEN_PAGES.file(MARITAL_STATUS_CODE), 'Thông tin người nộp hồ sơ', 'citizen-file-applicant'],
      [`${CITIZEN_PAGES.file(MARITAL_STATUS_CODE)}?buoc=thong-tin`, 'Thông tin trong tờ khai', 'citizen-file-form'],
      [`${CITIZEN_PAGES.file(MARITAL_STATUS_CODE)}?buoc=giay-to`, 'Tải lên giấy tờ', 'citizen-file-uploads'],
      [`${CITIZEN_PAGES.file(MARITAL_STATUS_CODE)}?buoc=kiem-tra`, 'Kiểm tra trước khi nộp', 'citizen-file-review'],
      [`${CITIZEN_PAGES.dossier(code)}?moi=1`, 'Đã nộp hồ sơ', 'citizen-receipt'],
      [CITIZEN_PAGES.dossier(code), `Hồ sơ ${code}`, 'citizen-dossier'],
      [CITIZEN_PAGES.myDossiers, 'Hồ sơ của tôi', 'citizen-my-dossiers'],
      [`/verify/${code}`, 'Kiểm tra văn bản điện tử', 'citizen-verify'],
      ['/thu-tuc/9.999999', 'Không tìm thấy trang', 'citizen-not-found'],
    ];
    for (const [path, heading, screenshot] of tour) {
      await page.goto(`${bed.ward.baseUrl}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.waitForLoadState('networkidle');
      await expectAccessible(page);
      await saveScreenshot(page, screenshot, 'phone');
    }
    // Not signed in, in a ward without the unsigned pilot: the server's refusal is in the summary, with the way to sign in.
    await page.goto(`${bed.ward.baseUrl}${CITIZEN_PAGES.file(MARITAL_STATUS_CODE)}?buoc=kiem-tra`);
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
    await page
      .getByRole('alert')
      .getByRole('link', { name: /^Cần đăng nhập: Cần đăng nhập bằng tài khoản định danh điện tử/ })
      .waitFor();
    await page.getByRole('button', { name: 'Đăng nhập bằng VNeID' }).waitFor();
    await expectAccessible(page);

    await page.goto(`${bed.ward.baseUrl}${CITIZEN_PAGES.file(MARITAL_STATUS_CODE)}`);
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.getByRole('alert').getByRole('link', { name: 'Nhập họ, chữ đệm và tên.' }).waitFor();
    await expectAccessible(page);
    await saveScreenshot(page, 'citizen-file-errors', 'phone');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
