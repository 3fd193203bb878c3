import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentKey } from '../../shared/adapters/s3/layout';
import { OFFICER_ACTIONS, type OfficerAction } from '../../shared/domain/status';
import { ROUTES } from '../../shared/runtime/routes';
import { hasPoppler, PdfReader, POPPLER_MISSING } from '../fixtures/forms/pdf-reading';
import { officerToken, startLocalWard, type LocalWard } from '../support/local-ward';
import { call, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile, type ApiResponse } from './citizen-client';

/**
 * A request to complete or supplement names what the citizen may change (form fields by their
 * catalog name, documents by their catalog id); a supplement that changes anything else is
 * refused and changes nothing; the history names what a supplement changed, never the values.
 * And no officer route changes the identity printed on the ward's documents. Over HTTP against
 * the local ward (the real handlers, DynamoDB Local, the local S3 server, local tokens).
 */
let ward: LocalWard;
let dynamodb: DynamoDBClient;
let s3: S3Client;
const reader = new PdfReader();
const tokens: Record<'reception' | 'specialist' | 'leader', string> = { reception: '', specialist: '', leader: '' };
type Role = keyof typeof tokens;

beforeAll(async () => {
  ward = await startLocalWard();
  dynamodb = new DynamoDBClient(ward.aws.dynamodbClientConfig);
  s3 = new S3Client(ward.aws.s3ClientConfig);
  tokens.reception = await officerToken({ roles: ['reception'], name: 'Lê Thị Tiếp Nhận' });
  tokens.specialist = await officerToken({ roles: ['specialist'], name: 'Phạm Văn Chuyên' });
  tokens.leader = await officerToken({ roles: ['leader'], name: 'Trần Văn Nam' });
});

afterAll(async () => {
  reader.dispose();
  dynamodb.destroy();
  s3.destroy();
  await ward.stop();
});

interface Citizen {
  readonly code: string;
  readonly secret: string;
}

interface Scope {
  fields: string[];
  documents: string[];
}

interface OfficerView {
  status: string;
  formData: Record<string, unknown>;
  attachments: { uploadId: string; documentId: string }[];
  applicant: { fullName: string; idNumber: string };
  pending: { kind: string; items: string[]; fields: string[]; documents: string[] } | null;
  history: { action: string; note: string | null; requested: Scope | null; changed: Scope | null }[];
}

interface Problem {
  status: number;
  code: string;
  errors?: { path: string; message: string }[];
}

const TO_KHAI = 'to-khai-xac-nhan-tthn';
const OLD_CERTIFICATE = 'giay-xac-nhan-tthn-cu';

const newUpload = (name = 'to-khai.pdf') => uploadFile(ward.baseUrl, { name, type: 'application/pdf', bytes: SAMPLE_PDF });

async function submitOnline(): Promise<Citizen> {
  const response = await call<{ code: string; secret: string }>(ward.baseUrl, 'POST', '/dossiers', {
    body: maritalStatusSubmission(await newUpload(), { fullyOnline: false }),
    headers: { 'Idempotency-Key': newIdempotencyKey() },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

function act(code: string, role: Role, body: Record<string, unknown>): Promise<ApiResponse<Problem & { status: string | number }>> {
  return call(ward.baseUrl, 'POST', `/officer/dossiers/${code}/transitions`, {
    body,
    headers: { Authorization: `Bearer ${tokens[role]}`, 'Accept-Language': 'en' },
  });
}

async function inProgress(): Promise<Citizen> {
  const citizen = await submitOnline();
  for (const action of ['receive', 'transfer']) expect((await act(citizen.code, 'reception', { action })).status).toBe(200);
  return citizen;
}

/** In progress, with a supplement requested of `purpose` and the declaration form. */
async function supplementRequested(): Promise<Citizen> {
  const citizen = await inProgress();
  const requested = await act(citizen.code, 'specialist', {
    action: 'request-supplement',
    items: ['Ghi rõ mục đích sử dụng Giấy xác nhận', 'Tờ khai có chữ ký của người yêu cầu'],
    fields: ['purpose'],
    documents: [TO_KHAI],
  });
  expect(requested.status, JSON.stringify(requested.body)).toBe(200);
  return citizen;
}

const supplement = (citizen: Citizen, body: unknown) =>
  call<Problem & { status: string | number }>(ward.baseUrl, 'POST', `/dossiers/${citizen.code}/supplement`, {
    body,
    headers: { 'X-Dossier-Secret': citizen.secret, 'Accept-Language': 'en' },
  });

async function officerView(code: string): Promise<OfficerView> {
  const response = await call<OfficerView>(ward.baseUrl, 'GET', `/officer/dossiers/${code}`, { headers: { Authorization: `Bearer ${tokens.reception}` } });
  expect(response.status).toBe(200);
  return response.body;
}

/** The stored dossier item, byte for byte, and every key of the table: what a refusal must leave as it was. */
async function snapshot(code: string): Promise<{ item: string; keys: string[] }> {
  const item = await dynamodb.send(new GetItemCommand({ TableName: ward.tableName, Key: { PK: { S: `DOSSIER#${code}` }, SK: { S: 'DOSSIER' } }, ConsistentRead: true }));
  return { item: JSON.stringify(item.Item), keys: await ward.tableKeys() };
}

async function isClaimed(uploadId: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: ward.uploadsBucket, Key: attachmentKey(uploadId) }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound') return false;
    throw error;
  }
}

function expectProblem(response: ApiResponse<Problem & { status: string | number }>, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code });
}

describe('a request to complete or supplement names what may change', () => {
  it('names form fields and documents of the procedure: the citizen sees them, the history keeps them, form 02 prints the items', async () => {
    const citizen = await supplementRequested();

    const seen = await call<{ pending: OfficerView['pending'] }>(ward.baseUrl, 'GET', `/dossiers/${citizen.code}`, { headers: { 'X-Dossier-Secret': citizen.secret } });
    const view = await officerView(citizen.code);
    const documents = await call<{ items: { id: string; kind: string }[] }>(ward.baseUrl, 'GET', `/officer/dossiers/${citizen.code}/documents`, {
      headers: { Authorization: `Bearer ${tokens.reception}` },
    });

    expect(seen.body.pending).toMatchObject({
      kind: 'SUPPLEMENT',
      items: ['Ghi rõ mục đích sử dụng Giấy xác nhận', 'Tờ khai có chữ ký của người yêu cầu'],
      fields: ['purpose'],
      documents: [TO_KHAI],
    });
    expect(view.history.at(-1)).toMatchObject({ action: 'request-supplement', requested: { fields: ['purpose'], documents: [TO_KHAI] }, changed: null });
    const form02 = documents.body.items.find((document) => document.kind === 'FORM_02');
    expect(form02).toBeDefined();
    if (!hasPoppler) {
      console.warn(POPPLER_MISSING);
      return;
    }
    const link = await call<{ url: string }>(ward.baseUrl, 'GET', `/officer/dossiers/${citizen.code}/documents/${form02?.id ?? ''}`, {
      headers: { Authorization: `Bearer ${tokens.reception}` },
    });
    const text = reader.text(new Uint8Array(await (await fetch(link.body.url)).arrayBuffer())).replace(/\s+/g, ' ');
    expect(text).toContain('Ghi rõ mục đích sử dụng Giấy xác nhận');
    expect(text).toContain('Tờ khai có chữ ký của người yêu cầu');
  });

  it('refuses a request naming a field or a document its procedure does not have, or the applicant, and changes nothing', async () => {
    const citizen = await inProgress();
    const before = await snapshot(citizen.code);

    const unknownTargets = await act(citizen.code, 'specialist', {
      action: 'request-supplement',
      items: ['Sửa họ tên'],
      fields: ['purpose', 'fullName'],
      documents: ['giay-khai-sinh'],
    });
    const applicant = await act(citizen.code, 'specialist', { action: 'request-supplement', items: ['Sửa họ tên'], applicant: ['fullName'] });

    expectProblem(unknownTargets, 400, 'VALIDATION_FAILED');
    expect(unknownTargets.body.errors?.map((issue) => issue.path)).toEqual(['body.fields.1', 'body.documents.0']);
    expectProblem(applicant, 400, 'VALIDATION_FAILED');
    expect(await snapshot(citizen.code)).toEqual(before);
  });
});

describe('a supplement changes only what was requested', () => {
  it('changes the requested field and adds the requested document; the history names them and holds no value', async () => {
    const citizen = await supplementRequested();
    const file = await newUpload('to-khai-da-ky.pdf');

    const answered = await supplement(citizen, {
      // maritalStatus sent back as it is: no change.
      formData: { purpose: 'Bổ sung hồ sơ vay vốn ngân hàng', maritalStatus: 'Chưa kết hôn' },
      attachments: [{ uploadId: file, documentId: TO_KHAI }],
      note: 'Đã sửa mục đích và nộp tờ khai có chữ ký',
    });
    const view = await officerView(citizen.code);

    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body).toMatchObject({ status: 'IN_PROGRESS' });
    expect(view.formData).toEqual({ purpose: 'Bổ sung hồ sơ vay vốn ngân hàng', maritalStatus: 'Chưa kết hôn' });
    expect(view.attachments.map((attachment) => attachment.uploadId)).toContain(file);
    expect(view.pending).toBeNull();
    const event = view.history.at(-1);
    expect(event).toMatchObject({ action: 'supplement', changed: { fields: ['purpose'], documents: [TO_KHAI] }, requested: null });
    expect(JSON.stringify(view.history)).not.toContain('vay vốn');
  });

  it('refuses a supplement that also changes a field that was not requested, and changes nothing', async () => {
    const citizen = await supplementRequested();
    const file = await newUpload();
    const before = await snapshot(citizen.code);

    const refused = await supplement(citizen, {
      formData: { purpose: 'Bổ sung hồ sơ vay vốn ngân hàng', maritalStatus: 'Đã ly hôn' },
      attachments: [{ uploadId: file, documentId: TO_KHAI }],
    });

    expectProblem(refused, 400, 'CHANGE_NOT_REQUESTED');
    expect(refused.body.errors).toEqual([{ path: 'body.formData.maritalStatus', message: 'This form field was not requested.' }]);
    expect(await snapshot(citizen.code)).toEqual(before);
    expect(await isClaimed(file)).toBe(false);
  });

  it('refuses a file for a document that was not requested, claims nothing, and the same upload then serves the requested one', async () => {
    const citizen = await supplementRequested();
    const file = await newUpload('giay-xac-nhan-cu.pdf');
    const before = await snapshot(citizen.code);

    const refused = await supplement(citizen, { attachments: [{ uploadId: file, documentId: OLD_CERTIFICATE }] });
    const after = await snapshot(citizen.code);
    const claimedAfterRefusal = await isClaimed(file);
    const accepted = await supplement(citizen, { attachments: [{ uploadId: file, documentId: TO_KHAI }] });

    expectProblem(refused, 400, 'CHANGE_NOT_REQUESTED');
    expect(refused.body.errors).toEqual([{ path: 'body.attachments.0.documentId', message: 'This document was not requested.' }]);
    expect(after).toEqual(before);
    expect(claimedAfterRefusal).toBe(false);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect((await officerView(citizen.code)).history.at(-1)).toMatchObject({ action: 'supplement', changed: { fields: [], documents: [TO_KHAI] } });
  });

  it("refuses a supplement that sends the applicant's identity, as the applicant or as form data, and changes nothing", async () => {
    const citizen = await supplementRequested();
    const before = await snapshot(citizen.code);

    const asApplicant = await supplement(citizen, { applicant: { fullName: 'Trần Văn Giả', idNumber: '001190099999' }, note: 'Đổi tên' });
    const asFormData = await supplement(citizen, { formData: { purpose: 'Đăng ký kết hôn lần hai', fullName: 'Trần Văn Giả' } });

    expectProblem(asApplicant, 400, 'VALIDATION_FAILED');
    expectProblem(asFormData, 400, 'VALIDATION_FAILED');
    expect(await snapshot(citizen.code)).toEqual(before);
    expect((await officerView(citizen.code)).applicant).toMatchObject({ fullName: 'Nguyễn Thị Hoa', idNumber: '001190012345' });
  });

  it('after a request that names nothing, the citizen may answer with a note and change nothing', async () => {
    const citizen = await submitOnline();
    expect((await act(citizen.code, 'reception', { action: 'request-completion', items: ['Mang bản chính tờ khai đến bộ phận một cửa'] })).status).toBe(200);
    const before = await snapshot(citizen.code);

    const withFile = await supplement(citizen, { attachments: [{ uploadId: await newUpload(), documentId: TO_KHAI }] });
    const unchanged = await snapshot(citizen.code);
    const withNote = await supplement(citizen, { note: 'Tôi sẽ mang bản chính đến vào thứ Hai' });

    expectProblem(withFile, 400, 'CHANGE_NOT_REQUESTED');
    expect(unchanged).toEqual(before);
    expect(withNote.status, JSON.stringify(withNote.body)).toBe(200);
    expect(withNote.body).toMatchObject({ status: 'SUBMITTED' });
    expect((await officerView(citizen.code)).history.at(-1)).toMatchObject({ action: 'supplement', changed: { fields: [], documents: [] } });
  });
});

describe('officers cannot edit the identity printed on documents', () => {
  /** A valid body of every officer action: with the identity added, each must be refused. */
  const ACTION_BODIES: Readonly<Record<OfficerAction, Record<string, unknown>>> = {
    receive: {},
    'refuse-intake': { reason: 'Tờ khai không có chữ ký.' },
    'request-completion': { items: ['Tờ khai có chữ ký'], documents: [TO_KHAI] },
    transfer: {},
    'request-supplement': { items: ['Tờ khai có chữ ký'], documents: [TO_KHAI] },
    'request-payment': { amountVnd: 3000 },
    'record-payment': { receiptNumber: 'BL-2026-000123' },
    approve: { result: { title: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN', content: 'Xác nhận.' } },
    refuse: { reason: 'Đang có đăng ký kết hôn chưa chấm dứt.' },
    return: { method: 'COUNTER' },
    stop: { reason: 'Công dân rút hồ sơ.' },
  };
  /** Every officer route that writes, but the counter's creation (tested below), with a valid body. */
  const ROUTE_BODIES: Readonly<Record<string, readonly Record<string, unknown>[]>> = {
    TransitionDossier: OFFICER_ACTIONS.map((action) => ({ action, ...ACTION_BODIES[action] })),
    IssueApology: [{ reason: 'Cần xác minh thêm thông tin cư trú.', newAppointmentAt: '2030-01-07T17:00:00+07:00' }],
    CancelResult: [{ reason: 'Kết quả ghi sai thông tin.' }],
    SaveResultDraft: [{ title: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN', content: 'Bà Nguyễn Thị Hoa hiện chưa đăng ký kết hôn với ai.' }],
  };
  const IDENTITY: readonly Record<string, unknown>[] = [
    { applicant: { fullName: 'Trần Văn Giả', idNumber: '001190099999', phone: '0912000999' } },
    { fullName: 'Trần Văn Giả' },
    { idNumber: '001190099999' },
    { ward: 'hoan-kiem', wardName: 'Phường Khác' },
  ];
  // The data-subject export takes an ID number to look up, by design, and changes no dossier (tests/e2e/personal-data.test.ts).
  const officerWrites = ROUTES.filter(
    (route) => route.auth === 'officer' && route.method === 'POST' && route.id !== 'CreateCounterDossier' && route.id !== 'CreateDataSubjectExport',
  );

  it('every officer write route refuses the applicant, the ID number and the ward, with every role, and nothing changes', async () => {
    const citizen = await inProgress();
    const before = await snapshot(citizen.code);
    const answers: { route: string; action: unknown; status: number; code: string; errors: string }[] = [];

    for (const route of officerWrites) {
      const bodies = ROUTE_BODIES[route.id];
      expect(bodies, `a valid body for ${route.id}: add it to ROUTE_BODIES`).toBeDefined();
      for (const body of bodies ?? []) {
        for (const identity of IDENTITY) {
          for (const role of route.roles ?? []) {
            const response = await call<Problem>(ward.baseUrl, route.method, route.path.replace('{code}', citizen.code), {
              body: { ...body, ...identity },
              headers: { Authorization: `Bearer ${tokens[role]}`, 'Accept-Language': 'en' },
            });
            expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
            answers.push({ route: route.id, action: body.action, status: response.status, code: response.body.code, errors: JSON.stringify(response.body.errors) });
          }
        }
      }
    }

    expect(new Set(answers.map((answer) => answer.route))).toEqual(new Set(officerWrites.map((route) => route.id)));
    expect(answers.filter((answer) => answer.route === 'TransitionDossier')).toHaveLength(OFFICER_ACTIONS.length * IDENTITY.length * 3);
    expect(answers.filter((answer) => answer.status !== 400 || answer.code !== 'VALIDATION_FAILED')).toEqual([]);
    // Refused for the identity key itself (zod names the unrecognised key), not for something else.
    expect(answers.filter((answer) => !/applicant|fullName|idNumber|ward/.test(answer.errors))).toEqual([]);
    expect(await snapshot(citizen.code)).toEqual(before);
  });

  it('the counter sets the identity once: a retry with another applicant is refused (422), and the dossier keeps the first', async () => {
    const key = newIdempotencyKey();
    const body = { ...maritalStatusSubmission(await newUpload()), fullyOnline: undefined, attachments: [], documentsReceived: [TO_KHAI] };
    const created = await call<{ code: string }>(ward.baseUrl, 'POST', '/officer/dossiers', {
      body,
      headers: { Authorization: `Bearer ${tokens.reception}`, 'Idempotency-Key': key },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const before = await snapshot(created.body.code);

    const renamed = await call<Problem>(ward.baseUrl, 'POST', '/officer/dossiers', {
      body: { ...body, applicant: { ...body.applicant, fullName: 'Trần Văn Giả', idNumber: '001190099999' } },
      headers: { Authorization: `Bearer ${tokens.reception}`, 'Idempotency-Key': key },
    });

    expect(renamed.status, JSON.stringify(renamed.body)).toBe(422);
    expect(renamed.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await snapshot(created.body.code)).toEqual(before);
    expect((await officerView(created.body.code)).applicant).toMatchObject({ fullName: 'Nguyễn Thị Hoa', idNumber: '001190012345' });
  });
});
