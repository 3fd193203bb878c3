import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officerToken, startLocalWard, type LocalWard } from '../support/local-ward';
import { call, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile, type ApiResponse } from './citizen-client';

/**
 * Officers and citizens walking dossiers through every path of the transition table, over HTTP
 * against the local ward (the real handlers, DynamoDB Local, the local S3 server, local tokens).
 */
let ward: LocalWard;
let dynamodb: DynamoDBClient;
let uploadId: string;
const tokens: Record<'reception' | 'specialist' | 'leader', string> = { reception: '', specialist: '', leader: '' };
type Role = keyof typeof tokens;

beforeAll(async () => {
  ward = await startLocalWard();
  dynamodb = new DynamoDBClient(ward.aws.dynamodbClientConfig);
  uploadId = await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
  tokens.reception = await officerToken({ roles: ['reception'], name: 'Lê Thị Tiếp Nhận' });
  tokens.specialist = await officerToken({ roles: ['specialist'], name: 'Phạm Văn Chuyên' });
  tokens.leader = await officerToken({ roles: ['leader'], name: 'Trần Văn Nam' });
});

afterAll(async () => {
  dynamodb.destroy();
  await ward.stop();
});

interface Citizen {
  readonly code: string;
  readonly secret: string;
}

type StatusBody = { status: string; statusCode: number; version: number; appointmentAt: string | null; code?: string };

async function submitOnline(overrides: Record<string, unknown> = {}): Promise<Citizen> {
  const response = await call<{ code: string; secret: string }>(ward.baseUrl, 'POST', '/dossiers', {
    // A fresh upload each time: an upload belongs to one dossier.
    body: maritalStatusSubmission(await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF }), { fullyOnline: false, ...overrides }),
    headers: { 'Idempotency-Key': newIdempotencyKey() },
  });
  expect(response.status).toBe(201);
  return { code: response.body.code, secret: response.body.secret };
}

const ACTION_BODIES: Readonly<Record<string, Record<string, unknown>>> = {
  receive: {},
  'refuse-intake': { reason: 'Tờ khai không có chữ ký của người yêu cầu.' },
  'request-completion': { items: ['Tờ khai có chữ ký của người yêu cầu'], documents: ['to-khai-xac-nhan-tthn'] },
  transfer: {},
  'request-supplement': { items: ['Tờ khai có chữ ký của người yêu cầu'], documents: ['to-khai-xac-nhan-tthn'], note: 'Bổ sung trong 5 ngày' },
  'request-payment': { amountVnd: 3000 },
  'record-payment': { receiptNumber: 'BL-2026-000123' },
  approve: {
    result: {
      title: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN',
      content: 'Ủy ban nhân dân phường xác nhận: bà Nguyễn Thị Hoa hiện chưa đăng ký kết hôn với ai.\n\nGiấy này có giá trị 6 tháng.',
    },
  },
  refuse: { reason: 'Người yêu cầu đang có đăng ký kết hôn chưa chấm dứt.' },
  return: { method: 'COUNTER' },
  stop: { reason: 'Công dân rút hồ sơ.' },
};

async function act(code: string, action: string, role: Role, ifMatch?: number): Promise<ApiResponse<StatusBody>> {
  return call<StatusBody>(ward.baseUrl, 'POST', `/officer/dossiers/${code}/transitions`, {
    body: { action, ...ACTION_BODIES[action] },
    headers: { Authorization: `Bearer ${tokens[role]}`, ...(ifMatch === undefined ? {} : { 'If-Match': `"${ifMatch}"` }) },
  });
}

async function expectStep(code: string, action: string, role: Role, status: string, statusCode: number): Promise<StatusBody> {
  const response = await act(code, action, role);
  expect(response.status, `${action} by ${role}: ${JSON.stringify(response.body)}`).toBe(200);
  expect(response.body).toMatchObject({ status, statusCode });
  return response.body;
}

async function officerView(code: string) {
  const response = await call<{
    status: string;
    statusCode: number;
    appointmentAt: string | null;
    firstAppointmentAt: string | null;
    history: { action: string; from: string | null; to: string; role: string; officerName: string | null }[];
    result: { sha256: string; outcome: string } | null;
    pending: { kind: string; items: string[] } | null;
  }>(ward.baseUrl, 'GET', `/officer/dossiers/${code}`, { headers: { Authorization: `Bearer ${tokens.reception}` } });
  expect(response.status).toBe(200);
  return response.body;
}

const citizenCall = (citizen: Citizen, method: string, path: string, body?: unknown) =>
  call(ward.baseUrl, method, `/dossiers/${citizen.code}${path}`, { ...(body === undefined ? {} : { body }), headers: { 'X-Dossier-Secret': citizen.secret } });

/** The raw stored dossier item, to prove a refused action changed nothing, byte for byte. */
async function storedItem(code: string): Promise<string> {
  const item = await dynamodb.send(new GetItemCommand({ TableName: ward.tableName, Key: { PK: { S: `DOSSIER#${code}` }, SK: { S: 'DOSSIER' } }, ConsistentRead: true }));
  return JSON.stringify(item.Item);
}

describe('the paths of the transition table', () => {
  it('online: submit → receive → transfer → supplement requested → supplemented → approve → PDF → return → rate', async () => {
    const citizen = await submitOnline();

    const received = await expectStep(citizen.code, 'receive', 'reception', 'RECEIVED', 2);
    expect(received.appointmentAt).toMatch(/T17:00:00\+07:00$/);
    await expectStep(citizen.code, 'transfer', 'reception', 'IN_PROGRESS', 4);
    await expectStep(citizen.code, 'request-supplement', 'specialist', 'SUPPLEMENT_REQUESTED', 5);
    const waiting = await citizenCall(citizen, 'GET', '');
    expect(waiting.body).toMatchObject({ statusCode: 5, pending: { kind: 'SUPPLEMENT', items: ['Tờ khai có chữ ký của người yêu cầu'], documents: ['to-khai-xac-nhan-tthn'] } });
    const supplementUpload = await uploadFile(ward.baseUrl, { name: 'xac-nhan-cu-tru.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
    const supplemented = await citizenCall(citizen, 'POST', '/supplement', {
      attachments: [{ uploadId: supplementUpload, documentId: 'to-khai-xac-nhan-tthn' }],
      note: 'Đã bổ sung',
    });
    expect(supplemented.status).toBe(200);
    expect(supplemented.body).toMatchObject({ status: 'IN_PROGRESS', statusCode: 4 });
    await expectStep(citizen.code, 'approve', 'leader', 'RESOLVED', 9);

    const link = await citizenCall(citizen, 'GET', '/result');
    expect(link.status).toBe(200);
    const pdf = Buffer.from(await (await fetch(String(link.body.url))).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(link.body.sha256);

    await expectStep(citizen.code, 'return', 'reception', 'RETURNED', 10);
    const rated = await citizenCall(citizen, 'POST', '/rating', { overall: 'VERY_SATISFIED', comment: 'Nhanh và chu đáo' });
    const ratedAgain = await citizenCall(citizen, 'POST', '/rating', { overall: 'DISSATISFIED' });
    expect(rated.status).toBe(201);
    expect(ratedAgain.status).toBe(409);
    expect(ratedAgain.body.code).toBe('ALREADY_RATED');

    const view = await officerView(citizen.code);
    expect(view.result?.sha256).toBe(link.body.sha256);
    expect(view.history.map((h) => [h.action, h.to])).toEqual([
      ['submit', 'SUBMITTED'],
      ['receive', 'RECEIVED'],
      ['transfer', 'IN_PROGRESS'],
      ['request-supplement', 'SUPPLEMENT_REQUESTED'],
      ['supplement', 'IN_PROGRESS'],
      ['approve', 'RESOLVED'],
      ['return', 'RETURNED'],
      ['rate', 'RETURNED'],
    ]);
    expect(view.history.find((h) => h.action === 'approve')).toMatchObject({ role: 'leader', officerName: 'Trần Văn Nam' });
  });

  it('counter: reception creates the dossier received at once, with its appointment and receipt (form 01)', async () => {
    const response = await call<{
      code: string;
      status: string;
      statusCode: number;
      receipt: { form: string; appointmentAt: string; documentsReceived: { id: string; name: string }[]; receivedBy: string };
    }>(ward.baseUrl, 'POST', '/officer/dossiers', {
      body: { ...maritalStatusSubmission(uploadId), fullyOnline: undefined, attachments: [], documentsReceived: ['to-khai-xac-nhan-tthn'] },
      headers: { Authorization: `Bearer ${tokens.reception}`, 'Idempotency-Key': newIdempotencyKey() },
    });

    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toMatchObject({ status: 'RECEIVED', statusCode: 2, receipt: { form: '01', receivedBy: 'Lê Thị Tiếp Nhận' } });
    expect(response.body.receipt.documentsReceived[0]?.name).toMatch(/Tờ khai/);
    expect(response.body.receipt.appointmentAt).toMatch(/T17:00:00\+07:00$/);
    await expectStep(response.body.code, 'transfer', 'reception', 'IN_PROGRESS', 4);
    await expectStep(response.body.code, 'approve', 'leader', 'RESOLVED', 9);
    await expectStep(response.body.code, 'return', 'reception', 'RETURNED', 10);
    expect((await officerView(response.body.code)).history.map((h) => h.action)).toEqual(['create-at-counter', 'transfer', 'approve', 'return']);
  });

  it('refusal at intake: the dossier is not received (national code 3), with the reason', async () => {
    const citizen = await submitOnline();

    await expectStep(citizen.code, 'refuse-intake', 'reception', 'NOT_RECEIVED', 3);

    const view = await officerView(citizen.code);
    expect(view.appointmentAt).toBeNull();
    expect(view.history.at(-1)).toMatchObject({ action: 'refuse-intake', from: 'SUBMITTED', to: 'NOT_RECEIVED' });
    expect((await act(citizen.code, 'receive', 'reception')).status).toBe(409);
  });

  it('completion requested before receipt: the citizen completes, then reception receives', async () => {
    const citizen = await submitOnline();

    await expectStep(citizen.code, 'request-completion', 'reception', 'SUPPLEMENT_REQUESTED', 5);
    const completed = await citizenCall(citizen, 'POST', '/supplement', { note: 'Đã ký tờ khai' });
    expect(completed.body).toMatchObject({ status: 'SUBMITTED', statusCode: 1 });
    expect((await officerView(citizen.code)).appointmentAt).toBeNull();
    await expectStep(citizen.code, 'receive', 'reception', 'RECEIVED', 2);
  });

  it('refuses a supplement that attaches the same upload twice, and changes nothing', async () => {
    const citizen = await submitOnline();
    await expectStep(citizen.code, 'request-completion', 'reception', 'SUPPLEMENT_REQUESTED', 5);
    const before = await storedItem(citizen.code);
    const twice = await uploadFile(ward.baseUrl, { name: 'to-khai-ky.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });

    const response = await citizenCall(citizen, 'POST', '/supplement', {
      attachments: [
        { uploadId: twice, documentId: 'to-khai-xac-nhan-tthn' },
        { uploadId: twice, documentId: 'to-khai-xac-nhan-tthn' },
      ],
    });

    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.errors)).toContain('body.attachments.1.uploadId');
    expect(await storedItem(citizen.code)).toBe(before);
  });

  it('refusal after processing: RESOLVED with a refusal notice archived as an e-copy', async () => {
    const citizen = await submitOnline();
    await expectStep(citizen.code, 'receive', 'reception', 'RECEIVED', 2);
    await expectStep(citizen.code, 'transfer', 'reception', 'IN_PROGRESS', 4);

    await expectStep(citizen.code, 'refuse', 'leader', 'RESOLVED', 9);

    const view = await officerView(citizen.code);
    expect(view.result).toMatchObject({ outcome: 'REFUSED' });
    const link = await citizenCall(citizen, 'GET', '/result');
    expect(link.status).toBe(200);
  });

  it('payment: requested, recorded with its e-receipt number, then approved', async () => {
    const citizen = await submitOnline();
    await expectStep(citizen.code, 'receive', 'reception', 'RECEIVED', 2);
    await expectStep(citizen.code, 'transfer', 'reception', 'IN_PROGRESS', 4);

    await expectStep(citizen.code, 'request-payment', 'specialist', 'PAYMENT_REQUESTED', 6);
    await expectStep(citizen.code, 'record-payment', 'reception', 'IN_PROGRESS', 4);
    await expectStep(citizen.code, 'approve', 'leader', 'RESOLVED', 9);

    expect((await officerView(citizen.code)).history.map((h) => h.to)).toEqual(['SUBMITTED', 'RECEIVED', 'IN_PROGRESS', 'PAYMENT_REQUESTED', 'IN_PROGRESS', 'RESOLVED']);
  });

  it('withdrawal: the citizen asks (code 7) and reception stops the dossier (code 8)', async () => {
    const citizen = await submitOnline();
    await expectStep(citizen.code, 'receive', 'reception', 'RECEIVED', 2);

    const asked = await citizenCall(citizen, 'POST', '/withdraw', { reason: 'Không còn nhu cầu' });
    expect(asked.body).toMatchObject({ status: 'WITHDRAWAL_REQUESTED', statusCode: 7 });
    await expectStep(citizen.code, 'stop', 'reception', 'STOPPED', 8);
  });

  it('fully online: the result delivered online returns the dossier by itself', async () => {
    const citizen = await submitOnline({ fullyOnline: true });
    await expectStep(citizen.code, 'receive', 'reception', 'RECEIVED', 2);
    await expectStep(citizen.code, 'transfer', 'reception', 'IN_PROGRESS', 4);
    await expectStep(citizen.code, 'approve', 'leader', 'RESOLVED', 9);

    const link = await citizenCall(citizen, 'GET', '/result');

    expect(link.status).toBe(200);
    const view = await officerView(citizen.code);
    expect(view).toMatchObject({ status: 'RETURNED', statusCode: 10 });
    expect(view.history.at(-1)).toMatchObject({ action: 'auto-return', role: 'system' });
  });

  it('refuses a second supplement request when the procedure allows one', async () => {
    const citizen = await submitOnline();
    await expectStep(citizen.code, 'receive', 'reception', 'RECEIVED', 2);
    await expectStep(citizen.code, 'transfer', 'reception', 'IN_PROGRESS', 4);
    await expectStep(citizen.code, 'request-supplement', 'specialist', 'SUPPLEMENT_REQUESTED', 5);
    await citizenCall(citizen, 'POST', '/supplement', { note: 'Đã bổ sung' });
    const before = await storedItem(citizen.code);

    const again = await act(citizen.code, 'request-supplement', 'specialist');

    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'SUPPLEMENT_LIMIT_REACHED' });
    expect(await storedItem(citizen.code)).toBe(before);
  });
});

/**
 * Every officer action × every status × every role. The table below is written from domain.md,
 * independently of the code's transition table.
 */
const ALLOWED: readonly (readonly [action: string, from: string, role: Role, to: string])[] = [
  ['receive', 'SUBMITTED', 'reception', 'RECEIVED'],
  ['refuse-intake', 'SUBMITTED', 'reception', 'NOT_RECEIVED'],
  ['request-completion', 'SUBMITTED', 'reception', 'SUPPLEMENT_REQUESTED'],
  ['transfer', 'RECEIVED', 'reception', 'IN_PROGRESS'],
  ['request-supplement', 'IN_PROGRESS', 'specialist', 'SUPPLEMENT_REQUESTED'],
  ['request-payment', 'IN_PROGRESS', 'specialist', 'PAYMENT_REQUESTED'],
  ['record-payment', 'PAYMENT_REQUESTED', 'reception', 'IN_PROGRESS'],
  ['record-payment', 'PAYMENT_REQUESTED', 'specialist', 'IN_PROGRESS'],
  ['approve', 'IN_PROGRESS', 'leader', 'RESOLVED'],
  ['refuse', 'IN_PROGRESS', 'leader', 'RESOLVED'],
  ['return', 'RESOLVED', 'reception', 'RETURNED'],
  ['stop', 'WITHDRAWAL_REQUESTED', 'reception', 'STOPPED'],
];
const ACTIONS = Object.keys(ACTION_BODIES);
const ROLES: readonly Role[] = ['reception', 'specialist', 'leader'];
const STATUSES = ['SUBMITTED', 'RECEIVED', 'NOT_RECEIVED', 'IN_PROGRESS', 'SUPPLEMENT_REQUESTED', 'PAYMENT_REQUESTED', 'WITHDRAWAL_REQUESTED', 'STOPPED', 'RESOLVED', 'RETURNED'];

/** The actions (with the role taking them) that bring a new dossier to each status. */
const PATHS: Readonly<Record<string, readonly (readonly [string, Role | 'citizen'])[]>> = {
  SUBMITTED: [],
  RECEIVED: [['receive', 'reception']],
  NOT_RECEIVED: [['refuse-intake', 'reception']],
  IN_PROGRESS: [
    ['receive', 'reception'],
    ['transfer', 'reception'],
  ],
  SUPPLEMENT_REQUESTED: [
    ['receive', 'reception'],
    ['transfer', 'reception'],
    ['request-supplement', 'specialist'],
  ],
  PAYMENT_REQUESTED: [
    ['receive', 'reception'],
    ['transfer', 'reception'],
    ['request-payment', 'specialist'],
  ],
  WITHDRAWAL_REQUESTED: [
    ['receive', 'reception'],
    ['withdraw', 'citizen'],
  ],
  STOPPED: [['withdraw', 'citizen']],
  RESOLVED: [
    ['receive', 'reception'],
    ['transfer', 'reception'],
    ['approve', 'leader'],
  ],
  RETURNED: [
    ['receive', 'reception'],
    ['transfer', 'reception'],
    ['approve', 'leader'],
    ['return', 'reception'],
  ],
};

async function dossierIn(status: string): Promise<Citizen> {
  const citizen = await submitOnline();
  for (const [action, role] of PATHS[status] ?? []) {
    const response = role === 'citizen' ? await citizenCall(citizen, 'POST', `/${action}`, {}) : await act(citizen.code, action, role);
    expect(response.status, `${action} towards ${status}`).toBe(200);
  }
  expect((await officerView(citizen.code)).status).toBe(status);
  return citizen;
}

describe('every status × action × role', () => {
  it.each(ALLOWED)('lets %s from %s by %s through, to %s', async (action, from, role, to) => {
    const citizen = await dossierIn(from);

    const response = await act(citizen.code, action, role);

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.status).toBe(to);
  });

  it.each(STATUSES)('refuses every other action on a %s dossier with 403 or 409 and changes nothing', async (status) => {
    const citizen = await dossierIn(status);
    const before = await storedItem(citizen.code);
    const historyBefore = (await officerView(citizen.code)).history.length;
    const refusals: string[] = [];

    for (const action of ACTIONS) {
      for (const role of ROLES) {
        if (ALLOWED.some(([a, from, r]) => a === action && from === status && r === role)) continue;
        const response = await act(citizen.code, action, role);
        const mayEverAct = ALLOWED.some(([a, , r]) => a === action && r === role);
        const expected = mayEverAct ? 409 : 403;
        if (response.status !== expected || response.body.code === undefined) refusals.push(`${action} by ${role}: ${response.status}`);
      }
    }

    expect(refusals).toEqual([]);
    expect(await storedItem(citizen.code)).toBe(before);
    expect((await officerView(citizen.code)).history).toHaveLength(historyBefore);
  });
});

describe('concurrent officers', () => {
  it('lets exactly one of 20 officers acting at once through; the others get 409 and the history one event', async () => {
    const citizen = await dossierIn('RECEIVED');
    const historyBefore = (await officerView(citizen.code)).history.length;

    const responses = await Promise.all(Array.from({ length: 20 }, () => act(citizen.code, 'transfer', 'reception', 2)));

    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(19);
    expect((await officerView(citizen.code)).history).toHaveLength(historyBefore + 1);
  });

  it('refuses an action sent with a stale If-Match (409) and leaves the dossier as it was', async () => {
    const citizen = await dossierIn('RECEIVED');
    const before = await storedItem(citizen.code);

    const stale = await act(citizen.code, 'transfer', 'reception', 1);

    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
    expect(await storedItem(citizen.code)).toBe(before);
  });

  it('gives the ETag with the officer view and accepts it back', async () => {
    const citizen = await dossierIn('RECEIVED');
    const view = await call(ward.baseUrl, 'GET', `/officer/dossiers/${citizen.code}`, { headers: { Authorization: `Bearer ${tokens.reception}` } });

    const response = await call(ward.baseUrl, 'POST', `/officer/dossiers/${citizen.code}/transitions`, {
      body: { action: 'transfer' },
      headers: { Authorization: `Bearer ${tokens.reception}`, 'If-Match': view.headers.get('etag') ?? '' },
    });

    expect(view.headers.get('etag')).toBe('"2"');
    expect(response.status).toBe(200);
  });
});
