import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLogView, SubjectExportListView, SubjectExportView } from '../../shared/api/views';
import { officerToken, startLocalWard, suiteWard, useLocalAws, type LocalWard } from '../support/local-ward';
import { call, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile } from './citizen-client';

/**
 * The personal-data duties over HTTP against the local ward: every officer read of a dossier is in
 * its access log (who, when, which route, which document or attachment), which the leader reads;
 * the leader's data-subject export answers everything held about one ID number, as a file, and is
 * itself recorded (who, when, why, the ID number's HMAC only) and logged in each dossier's log.
 */
const aws = useLocalAws();
let ward: LocalWard;
const tokens = { reception: '', specialist: '', leader: '' };
type Role = keyof typeof tokens;
const auth = (role: Role, extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${tokens[role]}`, ...extra });
const SUBJECT = { fullName: 'Đỗ Thị Hạnh', idNumber: '001190055555' };

beforeAll(async () => {
  ward = await startLocalWard();
  tokens.reception = await officerToken({ roles: ['reception'], name: 'Lê Thị Tiếp Nhận' });
  tokens.specialist = await officerToken({ roles: ['specialist'], name: 'Phạm Văn Chuyên' });
  tokens.leader = await officerToken({ roles: ['leader'], name: 'Trần Văn Nam' });
}, 120_000);

afterAll(async () => {
  await ward?.stop();
});

async function counterDossier() {
  const scan = await uploadFile(ward.baseUrl, { name: 'to-khai-scan.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
  const base = maritalStatusSubmission(scan);
  const response = await call<{ code: string; receipt: { documentId: string | null } }>(ward.baseUrl, 'POST', '/officer/dossiers', {
    body: { ...base, fullyOnline: undefined, applicant: { ...base.applicant, ...SUBJECT }, documentsReceived: ['to-khai-xac-nhan-tthn'] },
    headers: auth('reception', { 'Idempotency-Key': newIdempotencyKey() }),
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return { code: response.body.code, scan, receipt: response.body.receipt.documentId ?? '' };
}

const accessLog = async (code: string, role: Role = 'leader') => call(ward.baseUrl, 'GET', `/officer/access-log?code=${encodeURIComponent(code)}`, { headers: auth(role) });

describe('the access log', () => {
  let dossier: Awaited<ReturnType<typeof counterDossier>>;

  beforeAll(async () => {
    dossier = await counterDossier();
  });

  it('records every officer read of a dossier, newest first, with the officer, the route and the item read', async () => {
    const reads = [
      await call(ward.baseUrl, 'GET', `/officer/dossiers/${dossier.code}`, { headers: auth('reception') }),
      await call(ward.baseUrl, 'GET', `/officer/dossiers/${dossier.code}/documents`, { headers: auth('specialist') }),
      await call(ward.baseUrl, 'GET', `/officer/dossiers/${dossier.code}/documents/${dossier.receipt}`, { headers: auth('specialist') }),
      await call(ward.baseUrl, 'GET', `/officer/attachments/${dossier.scan}`, { headers: auth('reception') }),
    ];
    expect(reads.map((read) => read.status)).toEqual([200, 200, 200, 200]);

    const log = await accessLog(dossier.code);

    expect(log.status).toBe(200);
    const entries = AccessLogView.parse(log.body).items;
    expect(entries.map(({ route, officerName, item }) => ({ route, officerName, item }))).toEqual([
      { route: 'GetAttachmentLink', officerName: 'Lê Thị Tiếp Nhận', item: dossier.scan },
      { route: 'GetOfficerDocumentLink', officerName: 'Phạm Văn Chuyên', item: dossier.receipt },
      { route: 'ListOfficerDocuments', officerName: 'Phạm Văn Chuyên', item: null },
      { route: 'GetOfficerDossier', officerName: 'Lê Thị Tiếp Nhận', item: null },
    ]);
    expect(new Set(entries.map((entry) => entry.dossierCode))).toEqual(new Set([dossier.code]));
    expect(entries.every((entry) => entry.officerId !== '' && /\+07:00$/.test(entry.at))).toBe(true);
  });

  it('records nothing for a read that found nothing', async () => {
    const unknown = `${dossier.code.slice(0, -1)}${dossier.code.endsWith('9') ? '8' : '9'}`;
    expect((await call(ward.baseUrl, 'GET', `/officer/dossiers/${unknown}`, { headers: auth('reception') })).status).toBe(404);
    expect((await call(ward.baseUrl, 'GET', `/officer/dossiers/${dossier.code}/documents/form-04-v1`, { headers: auth('reception') })).status).toBe(404);

    expect(AccessLogView.parse((await accessLog(unknown)).body).items).toEqual([]);
    expect(AccessLogView.parse((await accessLog(dossier.code)).body).items.filter((entry) => entry.item === 'form-04-v1')).toEqual([]);
  });

  it('is what the auditor’s command prints, read from the table', async () => {
    const over = await accessLog(dossier.code);
    const cli = await promisify(execFile)(
      'npx',
      ['tsx', 'local/audit-cli.ts', 'access-log', '--ward', suiteWard().slug, '--code', dossier.code, '--local', '--endpoint', aws.dynamodbEndpoint, '--table', ward.tableName],
      { encoding: 'utf8' },
    );

    const printed = JSON.parse(cli.stdout) as { code: string; items: unknown[] };
    expect(printed.code).toBe(dossier.code);
    expect(printed.items).toEqual(AccessLogView.parse(over.body).items);
  });

  it('is the leader’s to read: reception and specialists get 403', async () => {
    expect((await accessLog(dossier.code, 'reception')).status).toBe(403);
    expect((await accessLog(dossier.code, 'specialist')).status).toBe(403);
  });

  it('pages with a cursor, and refuses a cursor of another list', async () => {
    const first = await call(ward.baseUrl, 'GET', `/officer/access-log?code=${dossier.code}&limit=3`, { headers: auth('leader') });
    const page = AccessLogView.parse(first.body);
    expect(page.items).toHaveLength(3);
    expect(page.nextCursor).not.toBeNull();

    const rest = await call(ward.baseUrl, 'GET', `/officer/access-log?code=${dossier.code}&limit=3&cursor=${page.nextCursor ?? ''}`, { headers: auth('leader') });
    expect(AccessLogView.parse(rest.body).items.map((entry) => entry.route)).toContain('GetOfficerDossier');
    const elsewhere = await call(ward.baseUrl, 'GET', `/officer/access-log?code=OTHER&cursor=${page.nextCursor ?? ''}`, { headers: auth('leader') });
    expect(elsewhere.status).toBe(400);
  });
});

describe('the data-subject export', () => {
  let first: Awaited<ReturnType<typeof counterDossier>>;
  let second: Awaited<ReturnType<typeof counterDossier>>;

  beforeAll(async () => {
    first = await counterDossier();
    second = await counterDossier();
    expect((await call(ward.baseUrl, 'GET', `/officer/dossiers/${first.code}`, { headers: auth('specialist') })).status).toBe(200);
  });

  const exportOf = (idNumber: string, role: Role = 'leader') =>
    call(ward.baseUrl, 'POST', '/officer/data-subject-exports', { body: { idNumber, reason: 'Yêu cầu của chủ thể dữ liệu ngày 02/03/2026 tại quầy' }, headers: auth(role) });

  it('answers everything held about the ID number as a file to download, each dossier with its history, files, documents and readers', async () => {
    const response = await exportOf(SUBJECT.idNumber);

    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="du-lieu-ca-nhan-\d{4}-\d{2}-\d{2}-[0-9a-f-]{36}\.json"$/);
    const exported = SubjectExportView.parse(response.body);
    expect(exported.subject.idNumber).toBe(SUBJECT.idNumber);
    expect(exported.exportedBy.name).toBe('Trần Văn Nam');
    const codes = exported.dossiers.map((dossier) => dossier.code);
    // Every dossier of this ID number, the access log's ones included, newest first.
    expect(codes.slice(0, 2)).toEqual([second.code, first.code]);
    expect(codes).toHaveLength(3);
    const mine = exported.dossiers.find((dossier) => dossier.code === first.code);
    expect(mine?.applicant).toMatchObject({ fullName: SUBJECT.fullName, idNumber: SUBJECT.idNumber });
    expect(mine?.attachments.map((attachment) => attachment.uploadId)).toEqual([first.scan]);
    expect(mine?.documents.map((document) => document.id)).toContain(first.receipt);
    expect(mine?.history.map((event) => event.action)).toEqual(['create-at-counter']);
    expect(mine?.accessLog.map(({ route, officerName }) => ({ route, officerName }))).toEqual([
      { route: 'CreateDataSubjectExport', officerName: 'Trần Văn Nam' },
      { route: 'GetOfficerDossier', officerName: 'Phạm Văn Chuyên' },
    ]);
    expect(exported.notIncluded.length).toBeGreaterThan(0);
  });

  it('is recorded, with who, when, why and the ID number’s HMAC (never the number), and logged in each dossier’s access log', async () => {
    const made = SubjectExportView.parse((await exportOf(SUBJECT.idNumber)).body);

    const records = await call(ward.baseUrl, 'GET', '/officer/data-subject-exports', { headers: auth('leader') });
    expect(records.status).toBe(200);
    const [latest] = SubjectExportListView.parse(records.body).items;
    expect(latest).toMatchObject({
      id: made.exportId,
      officerName: 'Trần Văn Nam',
      reason: 'Yêu cầu của chủ thể dữ liệu ngày 02/03/2026 tại quầy',
      applicantKey: made.subject.applicantKey,
      dossierCodes: made.dossiers.map((dossier) => dossier.code),
    });
    expect(JSON.stringify(records.body)).not.toContain(SUBJECT.idNumber);
    const log = AccessLogView.parse((await accessLog(second.code)).body).items;
    expect(log[0]).toMatchObject({ route: 'CreateDataSubjectExport', exportId: made.exportId, officerName: 'Trần Văn Nam' });
  });

  it('is recorded even when nothing is held, and is the leader’s alone', async () => {
    const none = await exportOf('079203009999');
    expect(none.status).toBe(201);
    expect(SubjectExportView.parse(none.body).dossiers).toEqual([]);
    const [latest] = SubjectExportListView.parse((await call(ward.baseUrl, 'GET', '/officer/data-subject-exports?limit=1', { headers: auth('leader') })).body).items;
    expect(latest?.dossierCodes).toEqual([]);

    expect((await exportOf(SUBJECT.idNumber, 'reception')).status).toBe(403);
    const invalid = await call(ward.baseUrl, 'POST', '/officer/data-subject-exports', { body: { idNumber: '123', reason: 'x' }, headers: auth('leader') });
    expect(invalid.status).toBe(400);
  });
});
