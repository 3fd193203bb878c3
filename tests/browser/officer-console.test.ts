import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { OFFICER_PAGES } from '../../shared/api/portal-paths';
import { newContext, saveScreenshot, type ViewportName } from '../support/browser';
import { citizenToken, officerToken } from '../support/local-ward';
import { MARITAL_STATUS_CODE, SAMPLE_PDF, call, maritalStatusSubmission, newIdempotencyKey, uploadFile } from '../e2e/citizen-client';
import { browserTestBed, expectAccessible, openPage, openSignedOutAt, pageIn, signInOfficer } from './steps';

const bed = browserTestBed();
const tokens: Record<'reception' | 'specialist' | 'leader', string> = { reception: '', specialist: '', leader: '' };

const OFFICER_CLIENT_ID = 'local-officer-web';
const OFFICER_NAMES = { reception: 'Lê Thị Tiếp Nhận', specialist: 'Trần Văn Chuyên', leader: 'Phạm Quang Lãnh' } as const;

beforeAll(async () => {
  for (const role of ['reception', 'specialist', 'leader'] as const) tokens[role] = await officerToken({ roles: [role], name: OFFICER_NAMES[role] });
});

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown> & { exp: number };

/**
 * A browser context signed in as an officer of this role: the session the console keeps after
 * its sign-in (web/src/common/auth.ts), put in place before any page loads. The sign-in itself
 * is tested on its own, through the local provider's page.
 */
async function officerContext(role: keyof typeof tokens, viewport: ViewportName = 'desktop'): Promise<BrowserContext> {
  const context = await newContext(bed.browser, viewport);
  const token = tokens[role];
  const claims = claimsOf(token);
  const session = JSON.stringify({ idToken: token, expiresAt: claims.exp, claims });
  await context.addInitScript({ content: `sessionStorage.setItem(${JSON.stringify(`mcs.signin.session.${OFFICER_CLIENT_ID}`)}, ${JSON.stringify(session)});` });
  return context;
}

/** The page passes axe's rules (steps.ts), and its screenshot is kept under this name. */
async function expectAccessibleAs(page: Page, name: string, viewport: ViewportName = 'desktop'): Promise<void> {
  await expectAccessible(page);
  await saveScreenshot(page, `officer-${name}`, viewport);
}

/** An online dossier, submitted through the API by a signed-in citizen, as the citizen portal does. */
async function submitOnline(citizen: { fullName: string; idNumber: string } = { fullName: 'Nguyễn Thị Hoa', idNumber: '001190012345' }): Promise<string> {
  const uploadId = await uploadFile(bed.ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
  const { applicant, ...submission } = maritalStatusSubmission(uploadId);
  const token = await citizenToken({ ...citizen, phone: '+84912345678' });
  const submitted = await call<{ code: string }>(bed.ward.baseUrl, 'POST', '/dossiers', {
    // Who applies comes from the token; the body adds the contact details only.
    body: { ...submission, applicant: { email: applicant.email, address: applicant.address } },
    headers: { 'Idempotency-Key': newIdempotencyKey(), Authorization: `Bearer ${token}` },
  });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
  return submitted.body.code;
}

const officerGet = <T>(role: keyof typeof tokens, path: string) => call<T>(bed.ward.baseUrl, 'GET', path, { headers: { Authorization: `Bearer ${tokens[role]}` } });
const officerPost = <T>(role: keyof typeof tokens, path: string, body: unknown, headers: Record<string, string> = {}) =>
  call<T>(bed.ward.baseUrl, 'POST', path, { body, headers: { Authorization: `Bearer ${tokens[role]}`, ...headers } });

interface DossierBody {
  status: string;
  version: number;
  documents: { kind: string; title: string }[];
  attachments: { documentId: string; fileName: string }[];
  documentsReceived: string[];
  resultDraft: { source: string; title: string; content: string } | null;
}

describe('the officer console', () => {
  let onlineCode = '';

  it('takes an online dossier from intake to its approved e-result: reception receives and transfers, the specialist drafts from the template, the leader approves', async () => {
    onlineCode = await submitOnline();

    const reception = await officerContext('reception');
    const { page, errors } = await pageIn(reception);
    await page.goto(`${bed.ward.baseUrl}${OFFICER_PAGES.worklists}?status=SUBMITTED`);
    await page.getByRole('link', { name: onlineCode }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(onlineCode.replace(/\./g, '\\.')) }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Mở to-khai.pdf' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('table', { name: 'Quá trình xử lý' }).getByRole('row').count()).toBeGreaterThan(1);
    await expectAccessibleAs(page, 'dossier');

    await page.getByRole('link', { name: 'Tiếp nhận hồ sơ' }).click();
    await page.getByLabel('Ghi chú (không bắt buộc)').fill('Hồ sơ đủ giấy tờ.');
    await expectAccessibleAs(page, 'action-receive');
    await page.getByRole('button', { name: 'Xác nhận: Tiếp nhận hồ sơ' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã thực hiện: Tiếp nhận hồ sơ' }).waitFor();
    await page.getByRole('link', { name: 'Chuyển xử lý' }).click();
    await page.getByRole('button', { name: 'Xác nhận: Chuyển xử lý' }).click();
    await page.getByRole('status').filter({ hasText: 'Đang xử lý' }).waitFor();
    expect((await officerGet<DossierBody>('reception', `/officer/dossiers/${onlineCode}`)).body.status).toBe('IN_PROGRESS');
    expect(errors).toEqual([]);
    await reception.close();

    const specialist = await officerContext('specialist');
    const drafting = await pageIn(specialist);
    await drafting.page.goto(`${bed.ward.baseUrl}${OFFICER_PAGES.dossier(onlineCode)}`);
    await drafting.page.getByRole('link', { name: 'Soạn dự thảo kết quả' }).click();
    const content = drafting.page.getByLabel('Nội dung kết quả');
    // The procedure's template, filled from the dossier: the applicant and the form's answers.
    await expect.poll(() => content.inputValue()).toContain('Nguyễn Thị Hoa');
    expect(await content.inputValue()).toContain('001190012345');
    expect(await content.inputValue()).not.toMatch(/\{\{/);
    await content.fill(`${await content.inputValue()}\nĐã đối chiếu với cơ sở dữ liệu hộ tịch.`);
    await expectAccessibleAs(drafting.page, 'result-draft');
    await drafting.page.getByRole('button', { name: 'Xác nhận: Soạn dự thảo kết quả' }).click();
    await drafting.page.getByRole('status').filter({ hasText: 'Đã lưu dự thảo kết quả' }).waitFor();
    expect(drafting.errors).toEqual([]);
    await specialist.close();

    const leader = await officerContext('leader');
    const approving = await pageIn(leader);
    await approving.page.goto(`${bed.ward.baseUrl}${OFFICER_PAGES.dossier(onlineCode)}`);
    await approving.page.getByRole('link', { name: 'Phê duyệt kết quả' }).click();
    // The specialist's saved draft, as it was saved.
    await expect.poll(() => approving.page.getByLabel('Nội dung kết quả').inputValue()).toContain('Đã đối chiếu với cơ sở dữ liệu hộ tịch.');
    await expect.poll(() => approving.page.getByText(`Dự thảo do ${OFFICER_NAMES.specialist} lưu lúc`).count()).toBe(1);
    await expectAccessibleAs(approving.page, 'approve');
    await approving.page.getByRole('button', { name: 'Xác nhận: Phê duyệt kết quả' }).click();
    await approving.page.getByRole('status').filter({ hasText: 'Đã xử lý xong' }).waitFor();
    await approving.page.getByRole('table', { name: 'Văn bản đã cấp' }).waitFor();
    expect(approving.errors).toEqual([]);
    await leader.close();

    const approved = (await officerGet<DossierBody>('leader', `/officer/dossiers/${onlineCode}`)).body;
    expect(approved.status).toBe('RESOLVED');
    expect(approved.documents.map((document) => document.kind)).toContain('RESULT');
  }, 120_000);

  it('finds a dossier in the worklists by status and due date, and by code, name and ID number', async () => {
    const code = await submitOnline({ fullName: 'Đỗ Minh Khuê', idNumber: '001199054321' });
    const context = await officerContext('reception');
    const { page, errors } = await pageIn(context);
    const rowOf = (dossierCode: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name: dossierCode }) });

    await page.goto(`${bed.ward.baseUrl}${OFFICER_PAGES.worklists}`);
    await page.getByRole('heading', { level: 1, name: 'Danh sách hồ sơ' }).waitFor();
    await page.getByLabel('Trạng thái', { exact: true }).selectOption('SUBMITTED');
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await rowOf(code).waitFor();
    expect(page.url()).toContain('status=SUBMITTED');
    await expectAccessibleAs(page, 'worklist');

    // The dossier received earlier is in progress, not overdue: in the default list, not in the overdue one.
    await page.goto(`${bed.ward.baseUrl}${OFFICER_PAGES.worklists}?status=IN_PROGRESS`);
    await page.getByText(/hồ sơ trên trang này|Không có hồ sơ nào/).waitFor();
    expect(await rowOf(code).count()).toBe(0);
    await page.getByLabel('Hạn trả kết quả', { exact: true }).selectOption('overdue');
    await page.getByLabel('Trạng thái', { exact: true }).selectOption('');
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await page.getByText('Không có hồ sơ nào.').waitFor();

    for (const query of [code, 'do minh kh', '001199054321']) {
      await page.getByLabel('Tìm hồ sơ', { exact: true }).fill(query);
      await page.getByRole('button', { name: 'Tìm', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: `Kết quả tìm “${query}”` }).waitFor();
      await rowOf(code).waitFor();
      expect(await rowOf(code).getByRole('cell').nth(1).textContent(), query).toBe('Đỗ Minh Khuê');
    }
    await expectAccessibleAs(page, 'search');
    // A deep link to a search survives a reload.
    await page.reload();
    await rowOf(code).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('receives a counter dossier with a scanned paper uploaded, and opens its receipt (form 01) as a PDF', async () => {
    const context = await officerContext('reception');
    const { page, errors } = await pageIn(context);
    await page.goto(`${bed.ward.baseUrl}${OFFICER_PAGES.counterIntake}`);
    await page.getByLabel('Thủ tục').selectOption(MARITAL_STATUS_CODE);
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.getByLabel('Họ và tên').waitFor();
    // Nothing typed: the error summary links to each missing field.
    await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
    await page.getByRole('link', { name: 'Nhập họ và tên' }).click();
    expect(await page.evaluate('document.activeElement.id')).toBe('intake-applicant-fullName');

    await page.getByLabel('Họ và tên').fill('Vũ Thị Lan');
    await page.getByLabel('Số định danh cá nhân').fill('001188076543');
    await page.getByLabel('Số điện thoại').fill('0987654321');
    await page.getByLabel('Mục đích sử dụng Giấy xác nhận').fill('Bổ sung hồ sơ vay vốn');
    await page.getByLabel('Tình trạng hôn nhân hiện tại').selectOption('Chưa kết hôn');
    // The server's own check of the ID number, in Vietnamese, at its field.
    await page.getByLabel('Số định danh cá nhân').fill('12345');
    await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
    const serverMessage = page.locator('#intake-applicant-idNumber-error');
    await serverMessage.waitFor();
    await page
      .getByRole('alert')
      .getByRole('link', { name: (await serverMessage.textContent()) ?? '' })
      .click();
    expect(await page.evaluate('document.activeElement.id')).toBe('intake-applicant-idNumber');
    await page.getByLabel('Số định danh cá nhân').fill('001188076543');
    expect(await serverMessage.count()).toBe(0);

    const paper = page.locator('input[type=file]').first();
    await paper.setInputFiles({ name: 'ban-quet-to-khai.pdf', mimeType: 'application/pdf', buffer: SAMPLE_PDF });
    await page.getByText('Đã tải lên ban-quet-to-khai.pdf.').waitFor();
    await expectAccessibleAs(page, 'intake');
    await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();

    await page.getByRole('heading', { level: 1, name: 'Đã tiếp nhận hồ sơ' }).waitFor();
    const code = (await page.locator('.panel-confirmation strong').textContent()) ?? '';
    expect(code).toMatch(/^\d{3}\.[A-Z0-9]{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}$/);
    await page.getByText(/^Hẹn trả kết quả ngày \d{2}\/\d{2}\/\d{4}$/).waitFor();
    await expectAccessibleAs(page, 'receipt');
    const [receiptTab] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Mở giấy tiếp nhận (mẫu 01, PDF)' }).click()]);
    await receiptTab.waitForURL(/^http/);
    const pdf = await fetch(receiptTab.url());
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');

    const dossier = (await officerGet<DossierBody>('reception', `/officer/dossiers/${code}`)).body;
    expect(dossier.status).toBe('RECEIVED');
    expect(dossier.attachments.map((attachment) => attachment.fileName)).toEqual(['ban-quet-to-khai.pdf']);
    expect(dossier.documentsReceived).toEqual([dossier.attachments[0]?.documentId]);
    expect(dossier.documents.map((document) => document.kind)).toContain('FORM_01');
    // The browser logs the refused request (the bad ID number) itself; nothing else went wrong.
    expect(errors.filter((error) => !error.includes('status of 400'))).toEqual([]);
    await context.close();
  }, 60_000);

  it('tells the officer to reload when someone changed the dossier since it was opened (stale If-Match), keeping what was typed', async () => {
    const code = await submitOnline({ fullName: 'Hoàng Văn Xung', idNumber: '001177011223' });
    const opened = (await officerGet<DossierBody>('reception', `/officer/dossiers/${code}`)).body;
    await officerPost('reception', `/officer/dossiers/${code}/transitions`, { action: 'receive' }, { 'If-Match': `"${opened.version}"` });
    const received = (await officerGet<DossierBody>('reception', `/officer/dossiers/${code}`)).body;
    await officerPost('reception', `/officer/dossiers/${code}/transitions`, { action: 'transfer' }, { 'If-Match': `"${received.version}"` });

    const context = await officerContext('specialist');
    const { page, errors } = await pageIn(context);
    await page.goto(`${bed.ward.baseUrl}${OFFICER_PAGES.dossier(code)}?thao-tac=save-result-draft`);
    const title = page.getByLabel('Tên văn bản kết quả');
    await expect.poll(() => title.inputValue()).not.toBe('');
    await title.fill('GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN (bản sửa)');

    // Another specialist saves a draft first.
    const current = (await officerGet<DossierBody>('specialist', `/officer/dossiers/${code}`)).body;
    const other = await officerPost(
      'specialist',
      `/officer/dossiers/${code}/result-draft`,
      { title: 'Bản khác', content: 'Nội dung khác' },
      { 'If-Match': `"${current.version}"` },
    );
    expect(other.status).toBe(200);

    await page.getByRole('button', { name: 'Xác nhận: Soạn dự thảo kết quả' }).click();
    await page.getByText('Hồ sơ vừa được người khác thay đổi').waitFor();
    expect(await title.inputValue()).toBe('GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN (bản sửa)');
    await expectAccessibleAs(page, 'conflict');
    await page.getByRole('button', { name: 'Tải lại hồ sơ' }).click();
    await page.getByText('Đã tải lại hồ sơ').waitFor();
    expect(await title.inputValue()).toBe('GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN (bản sửa)');
    await page.getByRole('button', { name: 'Xác nhận: Soạn dự thảo kết quả' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã lưu dự thảo kết quả' }).waitFor();
    const saved = (await officerGet<DossierBody>('specialist', `/officer/dossiers/${code}`)).body;
    expect(saved.resultDraft?.title).toBe('GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN (bản sửa)');
    // The browser logs the refused request itself; nothing else went wrong.
    expect(errors.filter((error) => !error.includes('status of 409'))).toEqual([]);
    await context.close();
  }, 60_000);

  it("shows the leader the KPIs against the city's targets, with charts that have a text alternative", async () => {
    const context = await officerContext('leader');
    const { page, errors } = await pageIn(context);
    await page.goto(`${bed.ward.baseUrl}${OFFICER_PAGES.kpis}`);
    const table = page.getByRole('table', { name: 'Chỉ số giải quyết thủ tục hành chính' });
    const online = table.getByRole('row').filter({ hasText: 'Tỷ lệ hồ sơ nộp trực tuyến' });
    await online.waitFor();
    // Online dossiers received in this file, against Hanoi's 60 % target.
    expect(await online.getByRole('cell').nth(0).textContent()).toMatch(/^\d+(,\d)?\s?%/);
    expect(await online.getByRole('cell').nth(1).textContent()).toMatch(/^60\s?%$/);
    expect(await page.getByRole('img', { name: /Kết quả so với mục tiêu/ }).count()).toBe(1);
    expect(await page.getByRole('img', { name: /Tỷ lệ hồ sơ nộp trực tuyến/ }).count()).toBe(1);
    // Decision 766's figures beside them, each with its formula and terms.
    const national = page.getByRole('table', { name: 'Bộ chỉ số theo Quyết định 766/QĐ-TTg' });
    const synced = national.getByRole('row').filter({ hasText: 'Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia' });
    expect(await synced.getByRole('cell').nth(2).textContent()).toMatch(/^synced \/ receivedsynced = \d+, received = \d+$/);
    await expectAccessibleAs(page, 'kpis');

    // Another range, typed as day, month and year: its address keeps it.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    const [year = '', month = ''] = today.split('-');
    const from = page.getByRole('group', { name: 'Từ ngày' });
    await from.getByLabel('Ngày').fill('1');
    await from.getByLabel('Tháng').fill(String(Number(month)));
    await from.getByLabel('Năm').fill(year);
    await page.getByRole('button', { name: 'Xem' }).click();
    await page.waitForURL(new RegExp(`from=${year}-${month}-01&to=${today}$`));
    await page.getByText(`Từ 01/${month}/${year} đến`).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('works on a phone: every main page without a serious accessibility violation', async () => {
    for (const [role, path, name] of [
      ['reception', OFFICER_PAGES.worklists, 'worklist'],
      ['reception', OFFICER_PAGES.dossier(onlineCode), 'dossier'],
      ['reception', OFFICER_PAGES.counterIntake, 'intake'],
      ['leader', OFFICER_PAGES.kpis, 'kpis'],
    ] as const) {
      const context = await officerContext(role, 'phone');
      const { page, errors } = await pageIn(context);
      await page.goto(`${bed.ward.baseUrl}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.getByRole('status').filter({ hasText: 'Đang tải' }).waitFor({ state: 'detached' });
      await expectAccessibleAs(page, name, 'phone');
      expect(errors, name).toEqual([]);
      await context.close();
    }
    const signedOut = await openPage(bed.browser, 'phone');
    await openSignedOutAt(signedOut.page, `${bed.ward.baseUrl}${OFFICER_PAGES.worklists}`);
    await expectAccessibleAs(signedOut.page, 'sign-in', 'phone');
    await signedOut.context.close();
  }, 90_000);

  it('switches to English and keeps dates as dd/MM/yyyy', async () => {
    const context = await officerContext('reception');
    const { page } = await pageIn(context);
    await page.goto(`${bed.ward.baseUrl}${OFFICER_PAGES.dossier(onlineCode)}`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`^Dossier ${onlineCode.replace(/\./g, '\\.')}`) }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('table', { name: 'History' }).getByRole('cell').first().textContent()).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    await context.close();
  }, 30_000);
  it("signs an officer in at the ward's sign-in page (the local user pool) and back to the page asked for", async () => {
    const { context, page, errors } = await openPage(bed.browser);
    await openSignedOutAt(page, `${bed.ward.baseUrl}${OFFICER_PAGES.kpis}`);
    await expectAccessibleAs(page, 'sign-in');
    const leader = await signInOfficer(page, 'leader');
    expect(new URL(page.url()).pathname).toBe(OFFICER_PAGES.kpis);
    await page.getByRole('heading', { level: 1, name: 'Chỉ số giải quyết thủ tục hành chính' }).waitFor();
    await page.getByText(`Cán bộ: ${leader.name} (lãnh đạo)`).waitFor();
    await page.getByRole('table', { name: 'Chỉ số giải quyết thủ tục hành chính' }).waitFor();

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
