import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, vietnamDate, weekday } from '../../shared/domain/time';
import { extractCms } from '../../shared/documents/pades';
import { officerToken, startLocalWard, type LocalWard } from '../support/local-ward';
import { call, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile } from './citizen-client';

/**
 * What the ward issues, checked as a citizen, a bank and an auditor would, over HTTP against the
 * local ward: every document is a PDF signed inside (poppler's pdfsig and OpenSSL agree, against
 * the chain the ward serves), its QR code opens a verify page that shows it valid with the
 * archived SHA-256, POST /verify tells the genuine file from an altered one, a cancelled result
 * still verifies as authentic and reads as cancelled, and concurrent approvals archive one file.
 */
const run = promisify(execFile);
let ward: LocalWard;
let s3: S3Client;
let work: string;
let uploadId: string;
const tokens = { reception: '', specialist: '', leader: '' };
/** The secrets of the dossiers dossierInProgress made, by code. */
const secrets = new Map<string, string>();

beforeAll(async () => {
  ward = await startLocalWard();
  s3 = new S3Client(ward.aws.s3ClientConfig);
  work = await mkdtemp(join(tmpdir(), 'mot-cua-so-documents-'));
  uploadId = await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
  tokens.reception = await officerToken({ roles: ['reception'], name: 'Lê Thị Tiếp Nhận' });
  tokens.specialist = await officerToken({ roles: ['specialist'], name: 'Phạm Văn Chuyên' });
  tokens.leader = await officerToken({ roles: ['leader'], name: 'Trần Văn Nam' });
});

afterAll(async () => {
  s3.destroy();
  await rm(work, { recursive: true, force: true });
  await ward.stop();
});

const APPROVAL = {
  action: 'approve',
  result: {
    title: 'Giấy xác nhận tình trạng hôn nhân',
    content: 'Ủy ban nhân dân phường xác nhận: bà Nguyễn Thị Hoa hiện chưa đăng ký kết hôn với ai.\n\nGiấy này có giá trị 6 tháng.',
  },
};

async function act(code: string, role: keyof typeof tokens, body: Record<string, unknown>) {
  return call<{ status: string; version: number }>(ward.baseUrl, 'POST', `/officer/dossiers/${code}/transitions`, {
    body,
    headers: { Authorization: `Bearer ${tokens[role]}` },
  });
}

/** A dossier submitted online, received and transferred: ready for the leader. */
async function dossierInProgress(overrides: Record<string, unknown> = {}): Promise<{ code: string; secret: string }> {
  const submitted = await call<{ code: string; secret: string }>(ward.baseUrl, 'POST', '/dossiers', {
    body: maritalStatusSubmission(uploadId, overrides),
    headers: { 'Idempotency-Key': newIdempotencyKey() },
  });
  expect(submitted.status).toBe(201);
  // A fresh upload each time: an upload belongs to one dossier.
  uploadId = await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
  expect((await act(submitted.body.code, 'reception', { action: 'receive' })).status).toBe(200);
  expect((await act(submitted.body.code, 'reception', { action: 'transfer' })).status).toBe(200);
  secrets.set(submitted.body.code, submitted.body.secret);
  return submitted.body;
}

async function download(code: string, secret: string, id: string): Promise<Buffer> {
  const link = await call<{ url: string; sha256: string }>(ward.baseUrl, 'GET', `/dossiers/${code}/documents/${id}`, { headers: { 'X-Dossier-Secret': secret } });
  expect(link.status, JSON.stringify(link.body)).toBe(200);
  const response = await fetch(link.body.url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

async function documents(code: string, secret: string) {
  const list = await call<{ items: { id: string; kind: string; sha256: string; signed: boolean; cancelled: unknown }[] }>(ward.baseUrl, 'GET', `/dossiers/${code}/documents`, {
    headers: { 'X-Dossier-Secret': secret },
  });
  expect(list.status).toBe(200);
  return list.body.items;
}

async function verifyFile(bytes: Uint8Array) {
  const response = await fetch(`${ward.baseUrl}/verify`, { method: 'POST', headers: { 'Content-Type': 'application/pdf' }, body: bytes });
  expect(response.status).toBe(200);
  return (await response.json()) as { issued: boolean; dossierCode: string | null; document: { state: string; id: string; sha256: string } | null };
}

/** pdfsig's verdict and OpenSSL's, against the chain the ward serves. */
async function externalChecks(pdf: Buffer, name: string): Promise<{ pdfsig: string; opensslOk: boolean }> {
  const file = join(work, `${name}.pdf`);
  await writeFile(file, pdf);
  const pdfsig = await run('pdfsig', [file]).then(
    (result) => result.stdout,
    (error: { stdout?: string }) => error.stdout ?? '',
  );
  const key = await call<{ certificateChainPem: string }>(ward.baseUrl, 'GET', '/verify/public-key');
  const chainFile = join(work, 'chain.pem');
  await writeFile(chainFile, key.body.certificateChainPem);
  let opensslOk: boolean;
  try {
    const { cms, signedContent } = extractCms(pdf);
    await writeFile(join(work, `${name}.p7s`), cms);
    await writeFile(join(work, `${name}.content`), signedContent);
    await run('openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      join(work, `${name}.p7s`),
      '-content',
      join(work, `${name}.content`),
      '-CAfile',
      chainFile,
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ]);
    opensslOk = true;
  } catch {
    opensslOk = false;
  }
  return { pdfsig, opensslOk };
}

/** Every document of a dossier, each checked by pdfsig and by its QR code's verify page. */
async function checkEveryDocument(code: string, expectedKinds: readonly string[]): Promise<void> {
  const listed = await call<{ items: { id: string; kind: string; sha256: string; signed: boolean }[] }>(ward.baseUrl, 'GET', `/officer/dossiers/${code}/documents`, {
    headers: { Authorization: `Bearer ${tokens.reception}` },
  });
  expect(listed.status).toBe(200);
  expect(listed.body.items.map((item) => item.kind).sort()).toEqual([...expectedKinds].sort());
  const verification = await call<{ documents: { id: string; state: string; sha256: string }[] }>(ward.baseUrl, 'GET', `/verify/${code}`);
  for (const item of listed.body.items) {
    expect(item.signed).toBe(true);
    const link = await call<{ url: string }>(ward.baseUrl, 'GET', `/officer/dossiers/${code}/documents/${item.id}`, { headers: { Authorization: `Bearer ${tokens.reception}` } });
    const pdf = Buffer.from(await (await fetch(link.body.url)).arrayBuffer());
    const file = join(work, `${item.id}.pdf`);
    await writeFile(file, pdf);
    const { pdfsig } = await externalChecks(pdf, item.id);
    expect(pdfsig, item.id).toContain('Signature is Valid');
    await run('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', file, join(work, `${item.id}-page`)]);
    const { stdout } = await run('zbarimg', ['-q', '--raw', join(work, `${item.id}-page-1.png`)]);
    expect(stdout.trim(), item.id).toBe(`${ward.baseUrl}/verify/${code}`);
    expect(
      verification.body.documents.find((document) => document.id === item.id),
      item.id,
    ).toMatchObject({ state: 'VALID', sha256: item.sha256 });
  }
}

describe('an approved e-result', () => {
  let code: string;
  let secret: string;
  let pdf: Buffer;
  let resultId: string;

  beforeAll(async () => {
    ({ code, secret } = await dossierInProgress());
    const approved = await act(code, 'leader', APPROVAL);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const result = (await documents(code, secret)).find((document) => document.kind === 'RESULT');
    expect(result).toBeDefined();
    resultId = result?.id ?? '';
    pdf = await download(code, secret, resultId);
  });

  it('is signed inside the PDF: pdfsig and openssl cms -verify accept it, and one changed byte makes both refuse', async () => {
    const genuine = await externalChecks(pdf, 'genuine');
    expect(genuine.pdfsig).toContain('Signature is Valid');
    expect(genuine.pdfsig).toContain('Total document signed');
    expect(genuine.opensslOk).toBe(true);

    const altered = Buffer.from(pdf);
    const at = altered.indexOf('Giấy xác nhận') > 0 ? altered.indexOf('/Title') : altered.indexOf('/Producer');
    altered[at + 2] = altered[at + 2] === 0x41 ? 0x42 : 0x41;
    const tampered = await externalChecks(altered, 'altered');
    expect(tampered.pdfsig).not.toContain('Signature is Valid');
    expect(tampered.opensslOk).toBe(false);
  });

  it('carries a QR code that opens a verify page showing it valid with its archived SHA-256', async () => {
    const file = join(work, 'qr.pdf');
    await writeFile(file, pdf);
    await run('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', file, join(work, 'page')]);
    const { stdout } = await run('zbarimg', ['-q', '--raw', join(work, 'page-1.png')]);
    const url = stdout.trim();
    expect(url).toBe(`${ward.baseUrl}/verify/${code}`);

    const page = await fetch(url, { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    const record = (await documents(code, secret)).find((document) => document.id === resultId);
    expect(html).toContain(record?.sha256 ?? 'missing');
    expect(html).toContain('Văn bản hợp lệ');

    const json = await call<{ documents: { id: string; state: string; sha256: string; signature: { valid: boolean; chainValid: boolean } }[] }>(
      ward.baseUrl,
      'GET',
      `/verify/${code}`,
    );
    const verified = json.body.documents.find((document) => document.id === resultId);
    expect(verified).toMatchObject({ state: 'VALID', sha256: record?.sha256, signature: { valid: true, chainValid: true } });
  });

  it('is told apart from an altered copy by POST /verify', async () => {
    expect(await verifyFile(pdf)).toMatchObject({ issued: true, dossierCode: code, document: { id: resultId, state: 'VALID' } });
    const altered = Buffer.from(pdf);
    const at = Math.floor(altered.length / 3);
    altered[at] = (altered[at] ?? 0) ^ 0x01;
    expect(await verifyFile(altered)).toMatchObject({ issued: false, document: null });
  });

  it('once cancelled, still verifies as authentic and reads as cancelled; a second cancellation is refused', async () => {
    const cancelled = await call(ward.baseUrl, 'POST', `/officer/dossiers/${code}/result/cancel`, {
      body: { reason: 'Cấp nhầm người yêu cầu.' },
      headers: { Authorization: `Bearer ${tokens.leader}` },
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    // The new version, as the document says (ETag on CancelResult).
    expect(cancelled.headers.get('etag')).toBe(`"${String(cancelled.body.version)}"`);
    expect(await verifyFile(pdf)).toMatchObject({ issued: true, document: { id: resultId, state: 'CANCELLED' } });
    const json = await call<{ documents: { id: string; state: string; cancellation: { reason: string } | null }[] }>(ward.baseUrl, 'GET', `/verify/${code}`);
    expect(json.body.documents.find((document) => document.id === resultId)).toMatchObject({ state: 'CANCELLED', cancellation: { reason: 'Cấp nhầm người yêu cầu.' } });
    const again = await call(ward.baseUrl, 'POST', `/officer/dossiers/${code}/result/cancel`, {
      body: { reason: 'Lần nữa.' },
      headers: { Authorization: `Bearer ${tokens.leader}` },
    });
    expect(again.status).toBe(409);
    const reception = await call(ward.baseUrl, 'POST', `/officer/dossiers/${code}/result/cancel`, {
      body: { reason: 'Không được.' },
      headers: { Authorization: `Bearer ${tokens.reception}` },
    });
    expect(reception.status).toBe(403);
  });
});

describe('concurrent approvals', () => {
  it('twenty at once leave one archived e-result and one history event', async () => {
    const { code } = await dossierInProgress();
    const answers = await Promise.all(Array.from({ length: 20 }, () => act(code, 'leader', APPROVAL)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status !== 200 && status !== 409)).toEqual([]);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: ward.archiveBucket, Prefix: `documents/${code}/` }));
    const pdfs = (listed.Contents ?? []).map((object) => object.Key ?? '').filter((key) => key.endsWith('.pdf') && key.includes('result-'));
    expect(pdfs).toHaveLength(1);
    const officer = await call<{ history: { action: string }[] }>(ward.baseUrl, 'GET', `/officer/dossiers/${code}`, { headers: { Authorization: `Bearer ${tokens.leader}` } });
    expect(officer.body.history.filter((event) => event.action === 'approve')).toHaveLength(1);
  });
});

describe('the public key route', () => {
  it('serves the PEM key and a chain whose first certificate names it', async () => {
    const key = await call<{ publicKeyPem: string; certificateChainPem: string; authority: string }>(ward.baseUrl, 'GET', '/verify/public-key');
    expect(key.status).toBe(200);
    expect(key.body.authority).toBe('LOCAL_TEST_CA');
    const keyFile = join(work, 'key.pem');
    const chainFile = join(work, 'served-chain.pem');
    await writeFile(keyFile, key.body.publicKeyPem);
    await writeFile(chainFile, key.body.certificateChainPem);
    const fromCertificate = await run('openssl', ['x509', '-in', chainFile, '-pubkey', '-noout']);
    expect(fromCertificate.stdout.trim()).toBe((await readFile(keyFile, 'utf8')).trim());
  });
});

describe('the official forms', () => {
  it('01 at the counter, 06 when the result is returned: signed, archived, each QR to a page that shows it valid', async () => {
    const created = await call<{ code: string }>(ward.baseUrl, 'POST', '/officer/dossiers', {
      body: { ...maritalStatusSubmission(uploadId), fullyOnline: undefined, attachments: [], documentsReceived: ['to-khai-xac-nhan-tthn'] },
      headers: { Authorization: `Bearer ${tokens.reception}`, 'Idempotency-Key': newIdempotencyKey() },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { code } = created.body;
    expect((await act(code, 'reception', { action: 'transfer' })).status).toBe(200);
    expect((await act(code, 'leader', APPROVAL)).status).toBe(200);
    expect((await act(code, 'reception', { action: 'return', method: 'COUNTER' })).status).toBe(200);
    await checkEveryDocument(code, ['FORM_01', 'RESULT', 'FORM_06']);
  });

  it("01 and 02 of an online dossier, and 05 when it is stopped on the citizen's withdrawal", async () => {
    const { code } = await dossierInProgress();
    expect((await act(code, 'specialist', { action: 'request-supplement', items: ['Bản sao giấy xác nhận cư trú'] })).status).toBe(200);
    expect((await call(ward.baseUrl, 'POST', `/dossiers/${code}/withdraw`, { body: {}, headers: { 'X-Dossier-Secret': secrets.get(code) ?? '' } })).status).toBe(200);
    expect((await act(code, 'reception', { action: 'stop', reason: 'Công dân rút hồ sơ.' })).status).toBe(200);
    await checkEveryDocument(code, ['FORM_01', 'FORM_02', 'FORM_05']);
  });

  it('03 when reception refuses an online dossier at intake', async () => {
    const submitted = await call<{ code: string }>(ward.baseUrl, 'POST', '/dossiers', {
      body: maritalStatusSubmission(uploadId),
      headers: { 'Idempotency-Key': newIdempotencyKey() },
    });
    uploadId = await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
    expect((await act(submitted.body.code, 'reception', { action: 'refuse-intake', reason: 'Tờ khai không có chữ ký của người yêu cầu.' })).status).toBe(200);
    await checkEveryDocument(submitted.body.code, ['FORM_03']);
  });
});

describe('form 04, the apology letter', () => {
  it('may be issued before the due date, with a new appointment: signed, archived, its QR to a page that shows it valid', async () => {
    const { code } = await dossierInProgress();
    const leader = { Authorization: `Bearer ${tokens.leader}` };
    const before = await call<{ appointmentAt: string; version: number }>(ward.baseUrl, 'GET', `/officer/dossiers/${code}`, { headers: leader });
    // A week after the appointment in force, moved on to a working day (a holiday is refused with 400: the next day is tried).
    let answer: { status: number; headers?: Headers; body: { overdue?: boolean; version?: number; apology?: { newAppointmentAt: string } } } = { status: 0, body: {} };
    for (let day = 7; day < 17 && answer.status !== 200; day += 1) {
      const candidate = new Date(Date.parse(before.body.appointmentAt) + day * 86_400_000);
      if ([0, 6].includes(weekday(vietnamDate(candidate)))) continue;
      answer = await call(ward.baseUrl, 'POST', `/officer/dossiers/${code}/apology`, {
        body: { reason: 'Cần xác minh thêm thông tin cư trú tại địa phương khác.', newAppointmentAt: candidate.toISOString() },
        headers: leader,
      });
      expect([200, 400], JSON.stringify(answer.body)).toContain(answer.status);
    }
    expect(answer.status).toBe(200);
    expect(answer.headers?.get('etag')).toBe(`"${String(answer.body.version)}"`);
    expect(answer.body.overdue).toBe(false);
    expect(Date.parse(answer.body.apology?.newAppointmentAt ?? '')).toBeGreaterThan(Date.parse(before.body.appointmentAt));
    await checkEveryDocument(code, ['FORM_01', 'FORM_04']);
  });
});

describe('form 07, the register of a period', () => {
  const today = vietnamDate(new Date());
  const period = { from: addDays(today, -1), to: today };
  const reception = () => ({ Authorization: `Bearer ${tokens.reception}` });
  let received: string;
  let register: { url: string; sha256: string; documentId: string; documentNumber: string; rows: number; verifyUrl: string; period: { from: string; to: string } };
  let pdf: Buffer;

  beforeAll(async () => {
    ({ code: received } = await dossierInProgress());
    const answer = await call<typeof register>(ward.baseUrl, 'GET', `/officer/register?from=${period.from}&to=${period.to}`, { headers: reception() });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    register = answer.body;
    pdf = Buffer.from(await (await fetch(register.url)).arrayBuffer());
  });

  it('is issued as a signed PDF that pdfsig and openssl accept, archived under registers/', async () => {
    expect(register).toMatchObject({ period, verifyUrl: `${ward.baseUrl}/verify/${register.documentId}` });
    expect(register.documentId).toMatch(new RegExp(`^register-${period.from.replace(/-/g, '')}-${period.to.replace(/-/g, '')}-\\d{17}$`));
    const { pdfsig, opensslOk } = await externalChecks(pdf, 'register');
    expect(pdfsig).toContain('Signature is Valid');
    expect(pdfsig).toContain('Total document signed');
    expect(opensslOk).toBe(true);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: ward.archiveBucket, Prefix: `registers/${register.documentId}.` }));
    expect((listed.Contents ?? []).map((object) => object.Key).sort()).toEqual([`registers/${register.documentId}.json`, `registers/${register.documentId}.pdf`]);
    const text = (await run('pdftotext', ['-layout', join(work, 'register.pdf'), '-'])).stdout;
    expect(text).toContain('SỔ THEO DÕI HỒ SƠ');
    expect(text).toContain(received);
  });

  it('carries a QR code that opens its verify page, valid with its SHA-256; POST /verify knows the file', async () => {
    const file = join(work, 'register-qr.pdf');
    await writeFile(file, pdf);
    // The QR code closes the register, beside the signature: on its last page.
    const pages = Number(/Pages:\s+(\d+)/.exec((await run('pdfinfo', [file])).stdout)?.[1]);
    await run('pdftoppm', ['-png', '-r', '150', '-f', String(pages), '-l', String(pages), '-singlefile', file, join(work, 'register-page')]);
    const { stdout } = await run('zbarimg', ['-q', '--raw', join(work, 'register-page.png')]);
    expect(stdout.trim()).toBe(register.verifyUrl);

    const page = await fetch(register.verifyUrl, { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(register.sha256);
    expect(html).toContain('Văn bản hợp lệ');
    expect(html).toContain('Sổ theo dõi hồ sơ tiếp nhận từ ngày');
    const json = await call<{
      dossierCode: string | null;
      register: { documentId: string; period: unknown } | null;
      documents: { id: string; state: string; sha256: string; signature: { chainValid: boolean } }[];
    }>(ward.baseUrl, 'GET', `/verify/${register.documentId}`);
    expect(json.body).toMatchObject({ dossierCode: null, register: { documentId: register.documentId, period } });
    expect(json.body.documents).toHaveLength(1);
    expect(json.body.documents[0]).toMatchObject({ id: register.documentId, state: 'VALID', sha256: register.sha256, signature: { chainValid: true } });
    expect(await verifyFile(pdf)).toMatchObject({ issued: true, dossierCode: null, document: { id: register.documentId, state: 'VALID' } });
    expect((await call(ward.baseUrl, 'GET', `/verify/${register.documentId.replace(/\d{3}$/, '999')}`)).status).toBe(404);
  });

  it('comes as CSV with the same rows, in order of receipt', async () => {
    const response = await fetch(`${ward.baseUrl}/officer/register?from=${period.from}&to=${period.to}&format=csv`, { headers: reception() });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('STT,Mã hồ sơ,Thủ tục hành chính,Người nộp hồ sơ,Ngày nhận hồ sơ,Ngày hẹn trả kết quả,Ngày giải quyết xong,Ngày trả kết quả,Tình trạng,Ghi chú');
    expect(lines).toHaveLength(register.rows + 1);
    expect(lines.some((line) => line.includes(received))).toBe(true);
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(Array.from({ length: register.rows }, (_, index) => String(index + 1)));
  });

  it('refuses a reversed, too long or future period with problem+json 400, and anyone but reception and leaders', async () => {
    const future = addDays(today, 3);
    for (const query of [
      `from=${period.to}&to=${period.from}`,
      `from=2026-01-01&to=2026-03-01`,
      `from=${period.to}&to=${future}`,
      'from=2026-13-01&to=2026-13-02',
      'from=2026-01-01',
    ]) {
      const answer = await fetch(`${ward.baseUrl}/officer/register?${query}`, { headers: reception() });
      expect(answer.status, query).toBe(400);
      expect(answer.headers.get('content-type'), query).toContain('application/problem+json');
    }
    expect((await fetch(`${ward.baseUrl}/officer/register?from=${period.from}&to=${period.to}`, { headers: { Authorization: `Bearer ${tokens.specialist}` } })).status).toBe(403);
    expect((await fetch(`${ward.baseUrl}/officer/register?from=${period.from}&to=${period.to}`)).status).toBe(401);
  });
});

describe("the auditor's check of what the ward really archived", () => {
  it('passes over the archive the flows above wrote (documents, metadata, cancellation, manifest, chains)', async () => {
    const { auditArchive } = await import('../../shared/audit/verify-archive');
    const { s3ArchiveReader } = await import('../../shared/audit/s3-archive-reader');
    const report = await auditArchive(s3ArchiveReader(s3, ward.archiveBucket), { ward: ward.ward.slug });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts.documents).toBeGreaterThanOrEqual(10);
    expect(report.counts.cancellations).toBe(1);
    expect(report.counts.registers).toBe(1);
    // One entry per archived document or register and one for the cancellation: nothing archived outside the chain.
    expect(report.counts.manifestEntries).toBe(report.counts.documents + report.counts.registers + report.counts.cancellations);
  });
});

describe('a form issued after the result', () => {
  it('leaves the result pointing at its own e-copy (the control sheet of the return is not the result)', async () => {
    // Not fully online: taking the result link does not return it by itself.
    const { code, secret } = await dossierInProgress({ fullyOnline: false });
    expect((await act(code, 'leader', APPROVAL)).status).toBe(200);
    const before = await call<{ sha256: string }>(ward.baseUrl, 'GET', `/dossiers/${code}/result`, { headers: { 'X-Dossier-Secret': secret } });
    expect((await act(code, 'reception', { action: 'return', method: 'COUNTER' })).status).toBe(200);
    const after = await call<{ sha256: string; url: string }>(ward.baseUrl, 'GET', `/dossiers/${code}/result`, { headers: { 'X-Dossier-Secret': secret } });
    expect(after.body.sha256).toBe(before.body.sha256);
    const result = (await documents(code, secret)).find((document) => document.kind === 'RESULT');
    expect(after.body.sha256).toBe(result?.sha256);
  });
});
