import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalNotification } from '../../shared/adapters/local/notification-outbox';
import { officerToken, startLocalWard, type LocalWard } from '../support/local-ward';
import { call, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile } from './citizen-client';

/**
 * What reaches a citizen's phone, the officers' mailbox and the public tracking page, over HTTP
 * against the local ward with its stream consumers: the SMS and alerts are read from the local
 * outbox. No text a citizen (or an officer) typed is in a message, and the public page shows no
 * name whole, however it was typed.
 */
let ward: LocalWard;
const tokens = { reception: '', specialist: '' };
type Role = keyof typeof tokens;

beforeAll(async () => {
  ward = await startLocalWard({ streams: true });
  tokens.reception = await officerToken({ roles: ['reception'], name: 'Lê Thị Tiếp Nhận' });
  tokens.specialist = await officerToken({ roles: ['specialist'], name: 'Phạm Văn Chuyên' });
});

afterAll(async () => {
  await ward.stop();
});

/** A link and a message to call a premium number, as an attacker would have the ward's sender id carry them. */
const HOSTILE = 'Goi ngay 0900 123 456 de nhan tien hoan: https://evil.example/otp \u202Etxt.exe\u202C';
/** Pieces of it that no template, code, date, catalog or ward name holds. */
const MARKERS = ['evil.example', '0900', 'Goi ngay', 'nhan tien', 'otp', 'https://evil', 'exe'];

let phoneCounter = 0;
/** Each dossier its own phone, so that the per-phone SMS cap never interferes. */
const nextPhone = () => `09130000${String(++phoneCounter).padStart(2, '0')}`;

async function submit(overrides: { fullName?: string; formData?: Record<string, unknown>; fileName?: string } = {}): Promise<{ code: string; secret: string }> {
  const uploadId = await uploadFile(ward.baseUrl, { name: overrides.fileName ?? 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
  const base = maritalStatusSubmission(uploadId, { fullyOnline: false });
  const response = await call<{ code: string; secret: string }>(ward.baseUrl, 'POST', '/dossiers', {
    body: {
      ...base,
      applicant: { ...base.applicant, phone: nextPhone(), ...(overrides.fullName ? { fullName: overrides.fullName } : {}) },
      ...(overrides.formData ? { formData: overrides.formData } : {}),
    },
    headers: { 'Idempotency-Key': newIdempotencyKey() },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function act(code: string, role: Role, body: Record<string, unknown>): Promise<void> {
  const response = await call(ward.baseUrl, 'POST', `/officer/dossiers/${code}/transitions`, { body, headers: { Authorization: `Bearer ${tokens[role]}` } });
  expect(response.status, `${String(body.action)}: ${JSON.stringify(response.body)}`).toBe(200);
}

type Sms = Extract<LocalNotification, { kind: 'SMS' }>;

/** The outbox's SMS about one dossier, after every change so far reached the notifier. */
async function smsAbout(code: string): Promise<Sms[]> {
  await ward.drainStreams();
  return (await ward.notifications()).filter((message): message is Sms => message.kind === 'SMS' && message.dossierCode === code);
}

const smsText = (messages: readonly Sms[], eventType: string): string | undefined => messages.find((message) => message.eventType === eventType)?.text;

function expectNoneOfTheText(messages: readonly LocalNotification[]): void {
  for (const message of messages) {
    const text = JSON.stringify(message);
    for (const marker of MARKERS) expect(text, `${message.kind}: ${marker}`).not.toContain(marker);
    expect(text, message.kind).not.toMatch(/\u202E|\\u202e/i);
  }
}

/** The dossiers of this file whose texts were hostile: their alerts are checked in the officers' digest. */
const hostileDossiers: string[] = [];

describe('SMS and alerts carry only what the ward wrote', () => {
  it('a withdrawal whose reason holds a link and a message: the SMS says the dossier stopped, and nothing of the reason', async () => {
    const citizen = await submit({ formData: { purpose: HOSTILE.slice(0, 80), maritalStatus: 'Chưa kết hôn' }, fileName: 'evil.example 0900.pdf' });

    const withdrawn = await call(ward.baseUrl, 'POST', `/dossiers/${citizen.code}/withdraw`, { body: { reason: HOSTILE }, headers: { 'X-Dossier-Secret': citizen.secret } });
    const messages = await smsAbout(citizen.code);
    hostileDossiers.push(citizen.code);

    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(messages.map((message) => message.eventType).sort()).toEqual(['DOSSIER_STOPPED', 'DOSSIER_SUBMITTED']);
    expectNoneOfTheText(messages);
    expect(smsText(messages, 'DOSSIER_STOPPED')).toContain(`Ho so ${citizen.code} da dung xu ly.`);
  });

  it('a supplement and a withdrawal request whose texts hold a link and a message, a request and a stop that quote them: no message carries any of it', async () => {
    const citizen = await submit();
    await act(citizen.code, 'reception', { action: 'receive' });
    await act(citizen.code, 'reception', { action: 'transfer' });
    await act(citizen.code, 'specialist', {
      action: 'request-supplement',
      items: [`Giải thích nội dung "${HOSTILE}"`, 'Tờ khai có chữ ký'],
      fields: ['purpose'],
      documents: ['to-khai-xac-nhan-tthn'],
    });
    const uploadId = await uploadFile(ward.baseUrl, { name: 'evil.example 0900.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });

    const supplemented = await call(ward.baseUrl, 'POST', `/dossiers/${citizen.code}/supplement`, {
      body: { note: HOSTILE, formData: { purpose: HOSTILE.slice(0, 80) }, attachments: [{ uploadId, documentId: 'to-khai-xac-nhan-tthn' }] },
      headers: { 'X-Dossier-Secret': citizen.secret },
    });
    const withdrawal = await call(ward.baseUrl, 'POST', `/dossiers/${citizen.code}/withdraw`, { body: { reason: HOSTILE }, headers: { 'X-Dossier-Secret': citizen.secret } });
    await act(citizen.code, 'reception', { action: 'stop', reason: `Công dân đề nghị: ${HOSTILE}` });
    const messages = await smsAbout(citizen.code);
    hostileDossiers.push(citizen.code);

    expect(supplemented.status, JSON.stringify(supplemented.body)).toBe(200);
    expect(withdrawal.status, JSON.stringify(withdrawal.body)).toBe(200);
    expect(messages.map((message) => message.eventType).sort()).toEqual(['DOSSIER_RECEIVED', 'DOSSIER_STOPPED', 'DOSSIER_SUBMITTED', 'SUPPLEMENT_REQUESTED']);
    expectNoneOfTheText(messages);
    expect(smsText(messages, 'SUPPLEMENT_REQUESTED')).toContain('can bo sung 2 noi dung');
  });
});

describe("the officers' alerts, in one digest", () => {
  it('mails every pending alert once, in one digest without any of the texts, then waits for the interval, losing none meanwhile', async () => {
    await ward.drainStreams();

    const first = await ward.sendAlertDigest();
    const afterFirst = await ward.notifications();
    const digests = afterFirst.filter((message) => message.kind === 'DIGEST');
    await submit();
    await ward.drainStreams();
    const second = await ward.sendAlertDigest();

    expect(first).toMatchObject({ outcome: 'SENT' });
    expect(afterFirst.filter((message) => message.kind === 'ALERT')).toEqual([]);
    expect(digests).toHaveLength(1);
    const alerted = digests[0]?.kind === 'DIGEST' ? digests[0].alerts : [];
    for (const code of hostileDossiers) expect(alerted.filter((alert) => alert.dossierCode === code).map((alert) => alert.eventType)).toEqual(['DOSSIER_SUBMITTED']);
    expect(new Set(alerted.map((alert) => alert.eventId)).size).toBe(alerted.length);
    expect(digests[0]?.kind === 'DIGEST' && digests[0].body).toContain(hostileDossiers[0] ?? 'none');
    expectNoneOfTheText(digests);
    // Within the ward's interval: nothing more is mailed, and the new dossier's alert waits in the table.
    expect(second).toEqual({ outcome: 'NOT_YET' });
    expect((await ward.notifications()).filter((message) => message.kind === 'DIGEST')).toHaveLength(1);
    expect((await ward.tableKeys()).filter((key) => key.startsWith('ALERTDIGEST|PENDING#'))).toHaveLength(1);
  });
});

describe('public tracking masks every name form', () => {
  it.each([
    ['Nguyễn Thị Hoa', 'Nguyễn T. H.'],
    ['Hoa', 'H.'],
    ['  Nguyễn    Thị   Hoa  ', 'Nguyễn T. H.'],
    ['Nguyễn Thị Hoa'.normalize('NFD'), 'Nguyễn T. H.'],
    ['nguyễn thị hoa', 'Nguyễn T. H.'],
    ['NGUYỄN THỊ HOA', 'Nguyễn T. H.'],
    ['Nguyễn-Thị-Hoa', 'Nguyễn T. H.'],
    ['Nguyễn.Thị.Hoa', 'Nguyễn T. H.'],
    ['Ánh', 'Á.'],
  ])('%j is shown as %j', async (fullName, masked) => {
    const { code } = await submit({ fullName });

    const status = await call<{ applicantName: string }>(ward.baseUrl, 'GET', `/dossiers/${code}/status`);

    expect(status.status).toBe(200);
    expect(status.body.applicantName).toBe(masked);
    for (const given of ['Thị', 'Hoa', 'thị', 'hoa', 'THỊ', 'HOA']) expect(status.body.applicantName).not.toContain(given);
  });
});
