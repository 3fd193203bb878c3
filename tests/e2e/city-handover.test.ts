import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestCity, type TestCity, type TestCityWard } from '../support/local-city';
import { call, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile } from './citizen-client';

/**
 * Reception without boundaries, over HTTP against two local wards in processes of their own,
 * joined by the local city bus: a dossier filed at ward A (hoan-kiem) for ward B's (cua-nam)
 * competence is handed over, resolved by B's officers, keeps its code and history in both wards,
 * and its e-result is returned at A; a delivery the bus loses is retried and applied once.
 */
let city: TestCity;
let wardA: TestCityWard;
let wardB: TestCityWard;

const HOA = { idNumber: '001190012345', fullName: 'Nguyễn Thị Hoa', phone: '0912345678' };

beforeAll(async () => {
  city = await startTestCity(['hoan-kiem', 'cua-nam']);
  [wardA, wardB] = city.wards as [TestCityWard, TestCityWard];
}, 180_000);

afterAll(async () => {
  await city?.stop();
});

interface Filed {
  readonly code: string;
  readonly secret: string;
}

async function fileAtAForB(): Promise<Filed> {
  const uploadId = await uploadFile(wardA.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
  const response = await call<{ code: string; secret: string }>(wardA.baseUrl, 'POST', '/dossiers', {
    body: { ...maritalStatusSubmission(uploadId), handOver: { competentWard: wardB.slug, resultReturn: 'RECEIVING_WARD' } },
    headers: { 'Idempotency-Key': newIdempotencyKey(), Authorization: `Bearer ${await city.citizenToken(HOA)}` },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

type DossierBody = {
  code: string;
  status: string;
  version?: number;
  handOver: { receivingWard: string; competentWard: string; acknowledgedAt: string | null; summary: string } | null;
  history: { sequence: number; action: string; from: string | null; to: string }[];
  result: { sha256: string } | null;
};

const citizenView = (ward: TestCityWard, filed: Filed) => call<DossierBody>(ward.baseUrl, 'GET', `/dossiers/${filed.code}`, { headers: { 'X-Dossier-Secret': filed.secret } });

async function officerView(ward: TestCityWard, code: string) {
  return call<DossierBody>(ward.baseUrl, 'GET', `/officer/dossiers/${code}`, { headers: { Authorization: `Bearer ${await ward.officerToken(['reception'])}` } });
}

async function act(ward: TestCityWard, code: string, role: string, body: Record<string, unknown>) {
  return call<{ status: string }>(ward.baseUrl, 'POST', `/officer/dossiers/${code}/transitions`, {
    body,
    headers: { Authorization: `Bearer ${await ward.officerToken([role], 'Trần Văn Nam')}` },
  });
}

/** A's copy once it is at least at B's version `version` (B's changes come back over the bus). */
const copyAtA = (filed: Filed, predicate: (body: DossierBody) => boolean) =>
  eventually(`A's copy of ${filed.code}`, async () => {
    const view = await citizenView(wardA, filed);
    return view.status === 200 && predicate(view.body) ? view.body : undefined;
  });

const takenOverByB = (code: string) =>
  eventually(`B's dossier ${code}`, async () => {
    const view = await officerView(wardB, code);
    return view.status === 200 ? view.body : undefined;
  });

describe('a dossier filed at ward A for ward B', () => {
  it("is resolved by B's officers, keeps one code and one history in both wards, and its e-result is returned at A", async () => {
    const filed = await fileAtAForB();
    expect(filed.code).toMatch(/^000\./);

    const atB = await takenOverByB(filed.code);
    expect(atB).toMatchObject({ code: filed.code, status: 'SUBMITTED', handOver: { receivingWard: 'hoan-kiem', competentWard: 'cua-nam' } });
    expect(atB.history.map((entry) => entry.action)).toEqual(['submit', 'take-over']);
    // A records B's acknowledgement, and shows it.
    const acknowledged = await copyAtA(filed, (body) => body.handOver?.acknowledgedAt !== null);
    expect(acknowledged.handOver?.summary).toContain('đã chuyển đến cua-nam, xác nhận lúc');

    // A's officers do not act on it: B's do.
    const refused = await act(wardA, filed.code, 'reception', { action: 'receive' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'DOSSIER_HANDED_OVER' });

    expect((await act(wardB, filed.code, 'reception', { action: 'receive' })).status).toBe(200);
    expect((await act(wardB, filed.code, 'reception', { action: 'transfer' })).status).toBe(200);
    const approved = await act(wardB, filed.code, 'leader', {
      action: 'approve',
      result: { title: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN', content: 'Ủy ban nhân dân phường xác nhận: bà Nguyễn Thị Hoa hiện chưa đăng ký kết hôn với ai.' },
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);

    // B's changes came back: A's copy is resolved, with B's very history.
    const resolvedAtA = await copyAtA(filed, (body) => body.status === 'RESOLVED' && body.result !== null);
    const resolvedAtB = await citizenView(wardB, filed);
    expect(resolvedAtB.body.status).toBe('RESOLVED');
    expect(resolvedAtA.code).toBe(filed.code);
    expect(resolvedAtA.history).toEqual(resolvedAtB.body.history);
    expect(resolvedAtA.history.map((entry) => entry.action)).toEqual(['submit', 'take-over', 'receive', 'transfer', 'approve']);

    // The citizen takes the e-result at A: the very PDF B signed.
    const link = await call<{ url: string; sha256: string }>(wardA.baseUrl, 'GET', `/dossiers/${filed.code}/result`, { headers: { 'X-Dossier-Secret': filed.secret } });
    expect(link.status, JSON.stringify(link.body)).toBe(200);
    const pdf = Buffer.from(await (await fetch(link.body.url)).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(resolvedAtB.body.result?.sha256);

    // One ward sends the citizen's SMS: B, the competent ward; A sent none for this dossier.
    const smsOf = async (ward: TestCityWard) => (await ward.notifications()).flatMap((sent) => (sent.kind === 'SMS' && sent.dossierCode === filed.code ? [sent.eventType] : []));
    const smsAtB = await eventually("B's SMS", async () => {
      const sent = await smsOf(wardB);
      return sent.length >= 3 ? sent : undefined;
    });
    expect(await smsOf(wardA)).toEqual([]);
    expect(new Set(smsAtB)).toEqual(new Set(['DOSSIER_SUBMITTED', 'DOSSIER_RECEIVED', 'RESULT_APPROVED']));
  }, 120_000);

  it('is retried when the bus loses its hand-over, and applied once when an acknowledgement is lost too', async () => {
    const before = city.records().length;
    // The first hand-over never reaches B; then B's acknowledgements of the retry are lost, so A puts it a third time.
    city.bus.dropNext('DOSSIER_HANDED_OVER', 1);
    const filed = await fileAtAForB();
    await eventually('the lost hand-over', () =>
      city
        .records()
        .slice(before)
        .some((record) => record.outcome === 'DROPPED')
        ? true
        : undefined,
    );
    expect((await officerView(wardB, filed.code)).status).toBe(404);

    city.bus.dropNext('HANDOVER_ACKNOWLEDGED', 1);
    city.bus.dropNext('DOSSIER_UPDATED', 1);
    // The hand-over queue's wait passes: A checks, finds no acknowledgement and puts it again.
    city.advanceQueueClock(11 * 60_000);
    await takenOverByB(filed.code);
    await eventually('the lost acknowledgement', () =>
      city
        .records()
        .slice(before)
        .filter((record) => record.dossierCode === filed.code && record.outcome === 'DROPPED').length === 3
        ? true
        : undefined,
    );
    // And again: this time B receives it a second time, and acknowledges it again.
    city.advanceQueueClock(11 * 60_000);
    await copyAtA(filed, (body) => body.handOver?.acknowledgedAt !== null);

    const handOvers = city.records().filter((record) => record.dossierCode === filed.code && record.detailType === 'DOSSIER_HANDED_OVER');
    expect(handOvers.map((record) => record.outcome)).toEqual(['DROPPED', 'DELIVERED', 'DELIVERED']);
    // Applied once: one dossier at B, one history entry per event.
    expect(await wardB.dossierItems(filed.code)).toEqual(['DOSSIER', 'HISTORY#000001', 'HISTORY#000002']);
    const atB = await officerView(wardB, filed.code);
    expect(atB.body.history.map((entry) => entry.action)).toEqual(['submit', 'take-over']);
    // Once acknowledged, A's hand-over message goes at its next delivery; nothing was dead-lettered.
    city.advanceQueueClock(11 * 60_000);
    await eventually("A's hand-over queue emptied", async () => ((await wardA.depth('handOvers')) === 0 ? true : undefined));
    expect(await wardA.depth('handOverDeadLetters')).toBe(0);
    expect(await wardB.depth('inboundDeadLetters')).toBe(0);
  }, 120_000);

  it("received at A's counter: B takes it over received, with A's appointment and its clock's start, and sends the SMS", async () => {
    const created = await call<{ code: string; appointmentAt: string | null; receipt: { appointmentAt: string } }>(wardA.baseUrl, 'POST', '/officer/dossiers', {
      body: {
        ...maritalStatusSubmission(''),
        fullyOnline: undefined,
        attachments: [],
        documentsReceived: ['to-khai-xac-nhan-tthn'],
        handOver: { competentWard: wardB.slug, resultReturn: 'POST' },
      },
      headers: { Authorization: `Bearer ${await wardA.officerToken(['reception'], 'Lê Thị Tiếp Nhận')}`, 'Idempotency-Key': newIdempotencyKey() },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const atB = await takenOverByB(created.body.code);
    expect(atB).toMatchObject({ status: 'RECEIVED', handOver: { receivingWard: 'hoan-kiem', competentWard: 'cua-nam', resultReturn: 'POST' } });
    expect((atB as unknown as { appointmentAt: string }).appointmentAt).toBe(created.body.receipt.appointmentAt);
    expect(atB.history.map((entry) => entry.action)).toEqual(['create-at-counter', 'take-over']);
    const smsAtB = await eventually("B's receipt SMS", async () => {
      const sent = (await wardB.notifications()).filter((message) => message.kind === 'SMS' && message.dossierCode === created.body.code);
      return sent.length > 0 ? sent : undefined;
    });
    expect(smsAtB.map((sms) => (sms.kind === 'SMS' ? sms.eventType : ''))).toEqual(['DOSSIER_RECEIVED']);
    // A's own reception counts nothing for it; B's does (one dossier, one count in the city).
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const kpiOf = async (ward: TestCityWard) => {
      const report = await call<{ counts: { submitted: number; received: number } }>(ward.baseUrl, 'GET', `/officer/kpis?from=${today}&to=${today}`, {
        headers: { Authorization: `Bearer ${await ward.officerToken(['leader'])}` },
      });
      expect(report.status, JSON.stringify(report.body)).toBe(200);
      return report.body.counts;
    };
    const [countsA, countsB] = await Promise.all([kpiOf(wardA), kpiOf(wardB)]);
    expect(countsA).toMatchObject({ submitted: 0, received: 0 });
    // The three dossiers of this file (two online, one at the counter), the two received ones of them.
    expect(countsB).toMatchObject({ submitted: 3, received: 2 });
  }, 120_000);
});
