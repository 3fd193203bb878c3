import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedSyncRecord } from '../../local/sync-receiver';
import { NATIONAL_SYNC_RETRY_DELAYS_SECONDS } from '../../shared/use-cases/national-sync';
import { officerToken, startLocalWard, type LocalWard } from '../support/local-ward';
import { call, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile } from './citizen-client';

/**
 * The national sync over the real pieces: the handlers over HTTP change dossiers, the table's
 * stream delivers the outbox to the NationalSync consumer (as its event source mapping would),
 * which sends each change to the local receiver (local/sync-receiver.ts) over HTTP with the local
 * secret's token; the receiver validates each record with the national schema and records it.
 */
let ward: LocalWard;
const tokens: Record<'reception' | 'specialist' | 'leader', string> = { reception: '', specialist: '', leader: '' };
type Role = keyof typeof tokens;

beforeAll(async () => {
  ward = await startLocalWard({ streams: { consumers: ['NationalSync'] } });
  tokens.reception = await officerToken({ roles: ['reception'], name: 'Lê Thị Tiếp Nhận' });
  tokens.specialist = await officerToken({ roles: ['specialist'], name: 'Phạm Văn Chuyên' });
  tokens.leader = await officerToken({ roles: ['leader'], name: 'Trần Văn Nam' });
});

afterAll(async () => {
  await ward?.stop();
});

interface Citizen {
  readonly code: string;
  readonly secret: string;
}

async function submitOnline(): Promise<Citizen> {
  const upload = await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
  const response = await call<{ code: string; secret: string }>(ward.baseUrl, 'POST', '/dossiers', {
    body: maritalStatusSubmission(upload, { fullyOnline: false }),
    headers: { 'Idempotency-Key': newIdempotencyKey() },
  });
  expect(response.status).toBe(201);
  return response.body;
}

const ACTION_BODIES: Readonly<Record<string, Record<string, unknown>>> = {
  receive: {},
  transfer: {},
  'request-supplement': { items: ['Tờ khai có chữ ký của người yêu cầu'], documents: ['to-khai-xac-nhan-tthn'], note: 'Bổ sung trong 5 ngày' },
  approve: { result: { title: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN', content: 'Ủy ban nhân dân phường xác nhận: bà Nguyễn Thị Hoa hiện chưa đăng ký kết hôn với ai.' } },
};

async function act(code: string, action: string, role: Role): Promise<void> {
  const response = await call(ward.baseUrl, 'POST', `/officer/dossiers/${code}/transitions`, {
    body: { action, ...ACTION_BODIES[action] },
    headers: { Authorization: `Bearer ${tokens[role]}` },
  });
  expect(response.status, `${action}: ${JSON.stringify(response.body)}`).toBe(200);
}

async function supplement(citizen: Citizen): Promise<void> {
  const upload = await uploadFile(ward.baseUrl, { name: 'bo-sung.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
  const response = await call(ward.baseUrl, 'POST', `/dossiers/${citizen.code}/supplement`, {
    body: { attachments: [{ uploadId: upload, documentId: 'to-khai-xac-nhan-tthn' }], note: 'Đã bổ sung' },
    headers: { 'X-Dossier-Secret': citizen.secret },
  });
  expect(response.status).toBe(200);
}

const syncStatus = () =>
  call<{ recordsSent: number; backlog: { dossiers: number; changes: number } }>(ward.baseUrl, 'GET', '/officer/sync-status', {
    headers: { Authorization: `Bearer ${tokens.leader}` },
  });

async function receivedFor(code: string): Promise<ReceivedSyncRecord[]> {
  return (await ward.syncReceiver.records()).filter((line) => line.record.hoSo.MaHoSo === code);
}

describe('the sync with the national portal, against the local receiver', () => {
  it('a journey leaves one record per change, in order, with the national status codes', async () => {
    const citizen = await submitOnline();
    await act(citizen.code, 'receive', 'reception');
    await act(citizen.code, 'transfer', 'reception');
    await act(citizen.code, 'request-supplement', 'specialist');
    await supplement(citizen);
    await act(citizen.code, 'approve', 'leader');
    await ward.drainStreams();

    const lines = await receivedFor(citizen.code);
    expect(lines.map((line) => line.idempotencyKey)).toEqual([1, 2, 3, 4, 5, 6].map((sequence) => `${citizen.code}:${sequence}`));
    expect(lines.every((line) => !line.duplicate)).toBe(true);
    expect(lines.map((line) => line.record.hoSo.TrangThaiHoSo)).toEqual(['1', '2', '4', '5', '4', '9']);
    // Each record carries the steps up to its change, the latest last.
    expect(lines.map((line) => line.record.tienTrinhDongBo.map((step) => step.TrangThai).join(','))).toEqual(['1', '1,2', '1,2,4', '1,2,4,5', '1,2,4,5,4', '1,2,4,5,4,9']);

    const [submitted, received, , waiting, , resolved] = lines.map((line) => line.record.hoSo);
    expect(submitted).toMatchObject({ KenhThucHien: '2', MaDonVi: ward.ward.agencyCode, MaTTHC: '1.004873' });
    expect(submitted?.NgayTiepNhan).toBeUndefined();
    expect(received?.NgayTiepNhan).toMatch(/^\d{14}$/);
    expect(received?.NgayHenTra).toMatch(/^\d{8}170000$/);
    expect(waiting?.DanhSachHoSoBoSung).toEqual([
      expect.objectContaining({ NguoiYeuCauBoSung: 'Phạm Văn Chuyên', NoiDungBoSung: 'Tờ khai có chữ ký của người yêu cầu', TrangThaiBoSung: false }),
    ]);
    // The request keeps its content once answered.
    expect(resolved?.DanhSachHoSoBoSung).toEqual([expect.objectContaining({ NoiDungBoSung: 'Tờ khai có chữ ký của người yêu cầu', TrangThaiBoSung: true })]);
    expect(resolved?.NgayKetThucXuLy).toMatch(/^\d{14}$/);
    expect(resolved?.DanhSachGiayToKetQua).toEqual([
      expect.objectContaining({ TenGiayTo: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN', DuongDanTepTinKetQua: `${ward.baseUrl}/verify/${citizen.code}` }),
    ]);
    expect(lines.at(-1)?.record.tienTrinhDongBo.at(-1)).toMatchObject({ NguoiXuLy: 'Trần Văn Nam', ChucDanh: 'Lãnh đạo', TrangThai: '9' });
  });

  it('after an outage of the receiver, the changes made meanwhile are retried and arrive once each, in order', async () => {
    await ward.syncReceiver.setOutage(true);
    const citizen = await submitOnline();
    await act(citizen.code, 'receive', 'reception');
    await act(citizen.code, 'transfer', 'reception');
    await ward.drainStreams();
    expect(await receivedFor(citizen.code)).toEqual([]);
    expect(ward.syncReceiver.answered[503]).toBeGreaterThanOrEqual(3);

    // Still down at the first retry: the dossier waits longer.
    const firstRetryAt = new Date(Date.now() + NATIONAL_SYNC_RETRY_DELAYS_SECONDS[0] * 1000 + 1000);
    expect(await ward.retryNationalSync(firstRetryAt)).toMatchObject({ attempted: 1, synced: 0, stillFailing: 1, backlogChanges: 3, backlogDossiers: 1 });
    expect(await receivedFor(citizen.code)).toEqual([]);

    // What the operator reads meanwhile: the dossier waiting, with its error (leader only).
    const waiting = await syncStatus();
    expect(waiting.status).toBe(200);
    expect(waiting.body).toMatchObject({
      backlog: { dossiers: 1, changes: 3, deadLettered: 0, entries: [{ dossierCode: citizen.code, unsent: 3, attempts: 2, deadLettered: false }] },
      lastError: { dossierCode: citizen.code },
    });
    expect(JSON.stringify(waiting.body)).toContain('503');
    const asReception = await call(ward.baseUrl, 'GET', '/officer/sync-status', { headers: { Authorization: `Bearer ${tokens.reception}` } });
    expect(asReception.status).toBe(403);

    await ward.syncReceiver.setOutage(false);
    // Not due yet (the second wait has not passed): nothing is sent before its time.
    expect(await ward.retryNationalSync(new Date(firstRetryAt.getTime() + 1000))).toMatchObject({ attempted: 0, backlogDossiers: 1 });
    const secondRetryAt = new Date(Date.now() + (NATIONAL_SYNC_RETRY_DELAYS_SECONDS[0] + NATIONAL_SYNC_RETRY_DELAYS_SECONDS[1]) * 1000 + 5000);
    expect(await ward.retryNationalSync(secondRetryAt)).toMatchObject({ attempted: 1, synced: 1, backlogChanges: 0, backlogDossiers: 0 });

    const lines = await receivedFor(citizen.code);
    expect(lines.map((line) => line.record.ThuTuThayDoi)).toEqual([1, 2, 3]);
    expect(lines.map((line) => line.record.hoSo.TrangThaiHoSo)).toEqual(['1', '2', '4']);
    expect(lines.every((line) => !line.duplicate)).toBe(true);
    const caughtUp = await syncStatus();
    expect(caughtUp.body).toMatchObject({ backlog: { dossiers: 0, changes: 0, entries: [] }, lastSynced: { dossierCode: citizen.code, sequence: 3 } });
    expect(caughtUp.body.recordsSent).toBe((await ward.syncReceiver.records()).length);

    // The next change goes straight out, after the others.
    await act(citizen.code, 'request-supplement', 'specialist');
    await ward.drainStreams();
    expect((await receivedFor(citizen.code)).map((line) => line.record.ThuTuThayDoi)).toEqual([1, 2, 3, 4]);
    expect(await ward.deadLetters()).toEqual([]);
  });

  it('the receiver refuses a record that is not the national schema (400) and a wrong token (401)', async () => {
    const [line] = await ward.syncReceiver.records();
    expect(line).toBeDefined();
    const post = (body: unknown, token: string, key: string) =>
      fetch(ward.syncReceiver.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': key },
        body: JSON.stringify(body),
      });
    const record = line?.record;
    const key = `${record?.hoSo.MaHoSo}:${record?.ThuTuThayDoi}`;
    const invalid = await post({ ...record, hoSo: { ...record?.hoSo, TrangThaiHoSo: '11' } }, ward.syncReceiver.token, key);
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('TrangThaiHoSo');
    expect((await post(record, 'not-the-token', key)).status).toBe(401);
    // A repeat of a record it has is accepted as such, not applied twice.
    const repeat = await post(record, ward.syncReceiver.token, key);
    expect(repeat.status).toBe(200);
    expect((await ward.syncReceiver.records()).filter((received) => received.idempotencyKey === key && !received.duplicate)).toHaveLength(1);
  });
});
