import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KpiReportView, OfficerDossierView } from '../../shared/api/views';
import { addDays, vietnamDate, weekday } from '../../shared/domain/time';
import { officerToken, startLocalWard, suiteWard, type LocalWard } from '../support/local-ward';
import { call, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile } from './citizen-client';

/**
 * What the officer console reads and sends, over HTTP against the local ward: the worklist search,
 * the dossier view (attachments, documents, allowed actions, the result draft), the specialist's
 * draft approved by the leader, and the KPI series.
 */
let ward: LocalWard;
const tokens = { reception: '', specialist: '', leader: '' };
type Role = keyof typeof tokens;

beforeAll(async () => {
  ward = await startLocalWard();
  tokens.reception = await officerToken({ roles: ['reception'], name: 'Lê Thị Tiếp Nhận' });
  tokens.specialist = await officerToken({ roles: ['specialist'], name: 'Phạm Văn Chuyên' });
  tokens.leader = await officerToken({ roles: ['leader'], name: 'Trần Văn Nam' });
});

afterAll(async () => {
  await ward.stop();
});

const auth = (role: Role, extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${tokens[role]}`, ...extra });

/** A counter dossier of the marital status certificate, with one scanned paper uploaded at intake. */
async function counterDossier(applicant: { fullName: string; idNumber: string }) {
  const scan = await uploadFile(ward.baseUrl, { name: 'to-khai-scan.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
  const base = maritalStatusSubmission(scan);
  const response = await call<{ code: string; receipt: { documentId: string | null } }>(ward.baseUrl, 'POST', '/officer/dossiers', {
    body: { ...base, fullyOnline: undefined, applicant: { ...base.applicant, ...applicant }, documentsReceived: ['to-khai-xac-nhan-tthn'] },
    headers: auth('reception', { 'Idempotency-Key': newIdempotencyKey() }),
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return { code: response.body.code, scan, receiptDocumentId: response.body.receipt.documentId };
}

const view = async (code: string, role: Role) => {
  const response = await call(ward.baseUrl, 'GET', `/officer/dossiers/${code}`, { headers: auth(role) });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return { view: OfficerDossierView.parse(response.body), etag: response.headers.get('etag') };
};

const transition = (code: string, role: Role, body: Record<string, unknown>, version?: number) =>
  call<Record<string, unknown>>(ward.baseUrl, 'POST', `/officer/dossiers/${code}/transitions`, {
    body,
    headers: auth(role, version === undefined ? {} : { 'If-Match': `"${version}"` }),
  });

const saveDraft = (code: string, role: Role, body: Record<string, unknown>, version?: number) =>
  call<Record<string, unknown>>(ward.baseUrl, 'POST', `/officer/dossiers/${code}/result-draft`, {
    body,
    headers: auth(role, version === undefined ? {} : { 'If-Match': `"${version}"` }),
  });

const search = (query: string, role: Role = 'reception') =>
  call<{ items: { code: string; applicantName: string }[]; nextCursor: string | null }>(ward.baseUrl, 'GET', `/officer/dossiers?${query}`, { headers: auth(role) });

describe('the worklist search', () => {
  const made: Record<string, string> = {};

  beforeAll(async () => {
    made.lan = (await counterDossier({ fullName: 'Trần Thị Lan', idNumber: '001190033333' })).code;
    made.lan2 = (await counterDossier({ fullName: 'Trần Thị Lan', idNumber: '001190033333' })).code;
    made.long = (await counterDossier({ fullName: 'Trần Văn Long', idNumber: '001085044444' })).code;
  });

  it('finds a dossier by its code', async () => {
    const found = await search(`q=${encodeURIComponent(made.long ?? '')}`);

    expect(found.status).toBe(200);
    expect(found.body.items.map((item) => item.code)).toEqual([made.long]);
    expect(found.body.nextCursor).toBeNull();
  });

  it("finds an applicant's dossiers by ID number, newest first, paged", async () => {
    const first = await search('q=001190033333&limit=1');
    const second = await search(`q=001190033333&limit=1&cursor=${first.body.nextCursor ?? ''}`);

    expect([...first.body.items, ...second.body.items].map((item) => item.code)).toEqual([made.lan2, made.lan]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('finds dossiers by the start of the name, without diacritics or case', async () => {
    const tranThi = await search(`q=${encodeURIComponent('tran thi')}`);
    const tran = await search(`q=${encodeURIComponent('TRẦN')}`);

    expect(tranThi.body.items.map((item) => item.code)).toEqual([made.lan, made.lan2]);
    expect(tran.body.items.map((item) => item.applicantName)).toEqual(['Trần Thị Lan', 'Trần Thị Lan', 'Trần Văn Long']);
  });

  it('refuses a search with another filter, or of one character, with problem+json 400 on q', async () => {
    for (const query of ['q=tran&status=RECEIVED', 'q=tran&due=today', 'q=t']) {
      const response = await search(query);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect((response.body as unknown as { errors: { path: string }[] }).errors).toEqual([expect.objectContaining({ path: 'query.q' })]);
    }
  });

  it('lists the open dossiers due today and this week (to Sunday), by their appointment day in Vietnam time', async () => {
    const today = vietnamDate(new Date());
    const sunday = addDays(today, (7 - weekday(today)) % 7);
    const open = await call<{ items: { code: string; appointmentAt: string }[] }>(ward.baseUrl, 'GET', '/officer/dossiers?limit=100', { headers: auth('specialist') });
    const dueOn = (from: string, to: string) =>
      open.body.items.filter((item) => item.appointmentAt.slice(0, 10) >= from && item.appointmentAt.slice(0, 10) <= to).map((item) => item.code);

    const week = await search('due=week&limit=100', 'specialist');
    const dueToday = await search('due=today&limit=100', 'specialist');
    const wrong = await search('due=month');

    expect(open.body.items.map((item) => item.code)).toEqual(expect.arrayContaining([made.lan, made.lan2, made.long]));
    expect(week.status).toBe(200);
    expect(week.body.items.map((item) => item.code)).toEqual(dueOn(today, sunday));
    expect(dueToday.body.items.map((item) => item.code)).toEqual(dueOn(today, today));
    expect(wrong.status).toBe(400);
  });
});

describe('the dossier view', () => {
  it('shows the scanned papers with their attachment ids, the receipt the intake named among the documents, and the ETag', async () => {
    const { code, scan, receiptDocumentId } = await counterDossier({ fullName: 'Vũ Minh Châu', idNumber: '001190055555' });

    const { view: dossier, etag } = await view(code, 'reception');
    const attachmentLink = await call<{ url: string }>(ward.baseUrl, 'GET', `/officer/attachments/${dossier.attachments[0]?.uploadId ?? ''}`, { headers: auth('reception') });
    const receipt = dossier.documents.find((document) => document.kind === 'FORM_01');
    const receiptLink = await call<{ url: string }>(ward.baseUrl, 'GET', `/officer/dossiers/${code}/documents/${receipt?.id ?? ''}`, { headers: auth('reception') });

    expect(etag).toBe(`"${dossier.version}"`);
    expect(dossier.attachments).toEqual([expect.objectContaining({ uploadId: scan, documentId: 'to-khai-xac-nhan-tthn', fileName: 'to-khai-scan.pdf' })]);
    expect(attachmentLink.status).toBe(200);
    expect(receipt).toBeDefined();
    // The intake's answer names the receipt to print, the same document.
    expect(receiptDocumentId).toBe(receipt?.id);
    expect(receiptLink.status).toBe(200);
    expect(
      Buffer.from(await (await fetch(receiptLink.body.url)).arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect(dossier.history.map((event) => event.action)).toEqual(['create-at-counter']);
  });

  it('offers each role exactly the actions the API then accepts, from the transition table', async () => {
    const { code } = await counterDossier({ fullName: 'Hoàng Văn Bình', idNumber: '001085066666' });
    const received = {
      reception: (await view(code, 'reception')).view.allowedActions,
      specialist: (await view(code, 'specialist')).view.allowedActions,
      leader: (await view(code, 'leader')).view.allowedActions,
    };
    expect((await transition(code, 'reception', { action: 'transfer' })).status).toBe(200);
    const inProgress = {
      reception: (await view(code, 'reception')).view.allowedActions,
      specialist: (await view(code, 'specialist')).view.allowedActions,
      leader: (await view(code, 'leader')).view.allowedActions,
    };

    expect(received).toEqual({ reception: ['transfer'], specialist: [], leader: ['issue-apology'] });
    expect(inProgress).toEqual({
      reception: [],
      specialist: ['request-supplement', 'request-payment', 'save-result-draft'],
      leader: ['approve', 'refuse', 'issue-apology'],
    });
    // An action the view did not offer is refused.
    expect((await transition(code, 'specialist', { action: 'transfer' })).status).toBe(403);
    expect((await transition(code, 'reception', { action: 'transfer' })).status).toBe(409);
  });
});

describe('the result: drafted by the specialist, approved by the leader', () => {
  it('prefills the draft from the procedure template, saves it with If-Match, and approve issues it', async () => {
    const { code } = await counterDossier({ fullName: 'Đỗ Thị Mai', idNumber: '001190077777' });
    expect((await transition(code, 'reception', { action: 'transfer' })).status).toBe(200);

    const { view: before, etag } = await view(code, 'specialist');
    expect(before.resultDraft).toMatchObject({ source: 'TEMPLATE', title: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN', savedAt: null, savedBy: null });
    expect(before.resultDraft?.content).toContain('Ông/bà: Đỗ Thị Mai');
    expect(before.resultDraft?.content).toContain('Tình trạng hôn nhân: Chưa kết hôn');

    const draft = { title: before.resultDraft?.title, content: `${before.resultDraft?.content ?? ''}\nĐã kiểm tra trên Cơ sở dữ liệu hộ tịch điện tử.` };
    const stale = await saveDraft(code, 'specialist', draft, before.version - 1);
    const byLeader = await saveDraft(code, 'leader', draft, before.version);
    const saved = await saveDraft(code, 'specialist', draft, before.version);

    expect(etag).toBe(`"${before.version}"`);
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT' });
    expect(byLeader.status).toBe(403);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.headers.get('etag')).toBe(`"${before.version + 1}"`);
    expect(saved.body).toMatchObject({ status: 'IN_PROGRESS', version: before.version + 1, resultDraft: { source: 'SAVED', savedBy: { name: 'Phạm Văn Chuyên' } } });

    const { view: drafted } = await view(code, 'leader');
    expect(drafted.status).toBe('IN_PROGRESS');
    expect(drafted.resultDraft).toMatchObject({ source: 'SAVED', title: draft.title, content: draft.content, savedBy: { name: 'Phạm Văn Chuyên' } });
    expect(drafted.resultDraft?.savedAt).toMatch(/\+07:00$/);
    expect(drafted.history.at(-1)).toMatchObject({ action: 'save-result-draft', role: 'specialist', from: 'IN_PROGRESS', to: 'IN_PROGRESS', officerName: 'Phạm Văn Chuyên' });

    const staleApproval = await transition(code, 'leader', { action: 'approve' }, before.version);
    const approved = await transition(code, 'leader', { action: 'approve' }, drafted.version);

    expect(staleApproval.status).toBe(409);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: 'RESOLVED' });
    const { view: resolved } = await view(code, 'leader');
    expect(resolved.result).toMatchObject({ outcome: 'APPROVED', title: draft.title });
    expect(resolved.documents.find((document) => document.kind === 'RESULT')).toMatchObject({ title: draft.title });
    expect(resolved.resultDraft).toBeNull();
    expect(resolved.allowedActions).toEqual(['cancel-result']);
    expect((await saveDraft(code, 'specialist', draft, resolved.version)).status).toBe(409);
  });

  it('refuses an approval that brings no result when nothing was drafted', async () => {
    const { code } = await counterDossier({ fullName: 'Bùi Văn Tùng', idNumber: '001085088888' });
    expect((await transition(code, 'reception', { action: 'transfer' })).status).toBe(200);

    const approval = await transition(code, 'leader', { action: 'approve' });

    expect(approval.status).toBe(409);
    expect(approval.body).toMatchObject({ code: 'NO_RESULT_DRAFT' });
    expect((await view(code, 'leader')).view.status).toBe('IN_PROGRESS');
  });

  it('refuses a draft without a title or content, with problem+json 400', async () => {
    const { code } = await counterDossier({ fullName: 'Lý Thị Nga', idNumber: '001190099999' });
    expect((await transition(code, 'reception', { action: 'transfer' })).status).toBe(200);

    const response = await saveDraft(code, 'specialist', { title: 'GIẤY XÁC NHẬN', extra: 1 });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('the KPI dashboard', () => {
  it("gives each indicator with the ward's target and a series per day over the range", async () => {
    const today = vietnamDate(new Date());
    const from = addDays(today, -6);

    const response = await call(ward.baseUrl, 'GET', `/officer/kpis?from=${from}&to=${today}&interval=day`, { headers: auth('leader') });
    const weekly = await call(ward.baseUrl, 'GET', `/officer/kpis?from=${from}&to=${today}&interval=week`, { headers: auth('leader') });
    const wrong = await call(ward.baseUrl, 'GET', `/officer/kpis?from=${from}&to=${today}&interval=year`, { headers: auth('leader') });

    expect(response.status).toBe(200);
    const report = KpiReportView.parse(response.body);
    expect(report.interval).toBe('day');
    expect(report.series.map((point) => point.period)).toEqual(Array.from({ length: 7 }, (_, i) => addDays(from, i)));
    expect(report.series.at(-1)?.counts.received).toBe(report.counts.received);
    expect(report.counts.received).toBeGreaterThanOrEqual(3);
    expect(report.indicators.onlineShare.target).toBe(suiteWard().targets.onlineShare);
    expect(report.series.at(-1)?.indicators.onlineShare).toMatchObject({ target: suiteWard().targets.onlineShare, value: 0, met: false });
    expect(KpiReportView.parse(weekly.body).series.reduce((sum, point) => sum + point.counts.received, 0)).toBe(report.counts.received);
    expect(wrong.status).toBe(400);
  });
});
