import { describe, expect, it } from 'vitest';
import type { DossierWithHistory, HistoryEvent, IssuedDocument } from '../../shared/domain/dossier';
import { DOMAIN_EVENT_TYPES, DOSSIER_CHANGE_EVENTS } from '../../shared/domain/events';
import { NationalSyncRecordSchema, nationalSyncRecord, nationalTime, type NationalSyncRecord } from '../../shared/domain/national-sync';
import { STREAM_CONSUMERS } from '../../shared/runtime/consumers';
import { NATIONAL_SYNC_RETRY_DELAYS_SECONDS, retryDueSyncs, syncDossier, type NationalSyncDeps } from '../../shared/use-cases/national-sync';
import type { DossierSyncState, NationalSyncLedger, SyncBacklogEntry, WardSyncStatus } from '../../shared/use-cases/ports';
import { receivedDossier } from '../fixtures/dossier';

const UNIT = { agencyCode: '000.A0.01.H26', name: 'Phường Hoàn Kiếm', publicBaseUrl: 'https://mot-cua.example.vn/' };
const at = (iso: string) => new Date(iso);
const reception = { role: 'reception' as const, id: 'officer-1', name: 'Lê Thị Tiếp Nhận' };
const specialist = { role: 'specialist' as const, id: 'officer-2', name: 'Phạm Văn Chuyên' };
const leader = { role: 'leader' as const, id: 'officer-3', name: 'Trần Văn Nam' };

/** Online birth registration: submitted, received, transferred, supplement requested and answered, a draft, approved, returned. */
function journey(): DossierWithHistory {
  const firstAppointment = at('2026-01-05T10:00:00.000Z');
  const secondAppointment = at('2026-01-07T10:00:00.000Z');
  const history: HistoryEvent[] = [
    { sequence: 1, at: at('2026-01-05T02:30:00.000Z'), actor: { role: 'citizen' }, action: 'submit', to: 'SUBMITTED' },
    { sequence: 2, at: at('2026-01-05T03:00:00.000Z'), actor: reception, action: 'receive', from: 'SUBMITTED', to: 'RECEIVED', appointmentAt: firstAppointment },
    { sequence: 3, at: at('2026-01-05T03:10:00.000Z'), actor: reception, action: 'transfer', from: 'RECEIVED', to: 'IN_PROGRESS', appointmentAt: firstAppointment },
    {
      sequence: 4,
      at: at('2026-01-05T04:00:00.000Z'),
      actor: specialist,
      action: 'request-supplement',
      from: 'IN_PROGRESS',
      to: 'SUPPLEMENT_REQUESTED',
      note: 'Bổ sung trong 5 ngày',
      items: ['Tờ khai có chữ ký của người yêu cầu', 'Bản sao giấy khai sinh'],
      appointmentAt: firstAppointment,
    },
    {
      sequence: 5,
      at: at('2026-01-06T01:00:00.000Z'),
      actor: { role: 'citizen' },
      action: 'supplement',
      from: 'SUPPLEMENT_REQUESTED',
      to: 'IN_PROGRESS',
      appointmentAt: secondAppointment,
    },
    { sequence: 6, at: at('2026-01-06T02:00:00.000Z'), actor: specialist, action: 'save-result-draft', from: 'IN_PROGRESS', to: 'IN_PROGRESS', appointmentAt: secondAppointment },
    { sequence: 7, at: at('2026-01-06T03:00:00.000Z'), actor: leader, action: 'approve', from: 'IN_PROGRESS', to: 'RESOLVED', appointmentAt: secondAppointment },
    { sequence: 8, at: at('2026-01-06T08:00:00.000Z'), actor: reception, action: 'return', from: 'RESOLVED', to: 'RETURNED', appointmentAt: secondAppointment },
  ];
  const result: IssuedDocument = {
    id: 'result-v7',
    kind: 'RESULT',
    title: 'GIẤY KHAI SINH',
    documentNumber: '12/2026/KS',
    objectKey: 'documents/x/result-v7.pdf',
    sha256: 'b'.repeat(64),
    sizeBytes: 1000,
    issuedAt: at('2026-01-06T02:59:00.000Z'),
    signer: { name: 'Trần Văn Nam', position: 'Chủ tịch' },
  };
  const receipt: IssuedDocument = { ...result, id: 'form-01-v2', kind: 'FORM_01', title: 'GIẤY TIẾP NHẬN', issuedAt: at('2026-01-05T03:00:00.000Z') };
  return {
    dossier: receivedDossier({
      status: 'RETURNED',
      appointmentAt: secondAppointment,
      firstAppointmentAt: firstAppointment,
      supplementRequests: 1,
      resolvedAt: at('2026-01-06T03:00:00.000Z'),
      returnedAt: at('2026-01-06T08:00:00.000Z'),
      returnMethod: 'COUNTER',
      version: 8,
    }),
    history,
    documents: [receipt, result],
  };
}

describe('the national dossier-sync record', () => {
  it('writes instants as yyyyMMddHHmmss in Vietnam time', () => {
    expect(nationalTime(at('2026-01-05T17:30:05.000Z'))).toBe('20260106003005');
  });

  it('reports each change as the dossier stood then: its status, dates, supplement requests and results', () => {
    const view = journey();
    const record = (sequence: number) => nationalSyncRecord(view, sequence, UNIT);

    const submitted = record(1);
    expect(submitted.ThuTuThayDoi).toBe(1);
    expect(submitted.hoSo).toMatchObject({
      MaHoSo: view.dossier.code,
      MaTTHC: view.dossier.procedure.code,
      MaDonVi: '000.A0.01.H26',
      KenhThucHien: '2',
      TrangThaiHoSo: '1',
      NgayNopHoSo: '20260105093000',
      SoGiayToChuHoSo: '001190012345',
      DanhSachGiayToKetQua: [],
      DanhSachHoSoBoSung: [],
    });
    expect(submitted.hoSo.NgayTiepNhan).toBeUndefined();
    expect(submitted.hoSo.NgayHenTra).toBeUndefined();
    expect(submitted.tienTrinhDongBo).toEqual([
      { MaHoSo: view.dossier.code, BuocXuLy: 1, NguoiXuLy: 'Công dân', ChucDanh: 'Công dân', ThoiDiemXuLy: '20260105093000', NoiDungXuLy: 'Nộp hồ sơ trực tuyến', TrangThai: '1' },
    ]);

    expect(record(2).hoSo).toMatchObject({ TrangThaiHoSo: '2', NgayTiepNhan: '20260105100000', NgayHenTra: '20260105170000' });

    const waiting = record(4);
    expect(waiting.hoSo).toMatchObject({ TrangThaiHoSo: '5', NgayYeuCauBoSung: '20260105110000' });
    expect(waiting.hoSo.DanhSachHoSoBoSung).toEqual([
      {
        HoSoBoSungId: 1,
        NguoiYeuCauBoSung: 'Phạm Văn Chuyên',
        NoiDungBoSung: 'Tờ khai có chữ ký của người yêu cầu; Bản sao giấy khai sinh',
        NgayBoSung: '20260105110000',
        TrangThaiBoSung: false,
      },
    ]);
    expect(waiting.tienTrinhDongBo.at(-1)).toMatchObject({
      NguoiXuLy: 'Phạm Văn Chuyên',
      ChucDanh: 'Chuyên viên',
      NoiDungXuLy: 'Yêu cầu bổ sung giấy tờ: Bổ sung trong 5 ngày',
      TrangThai: '5',
    });

    // The supplement restarted the clock: the new appointment from then on, the request answered.
    const resumed = record(5);
    expect(resumed.hoSo).toMatchObject({ TrangThaiHoSo: '4', NgayHenTra: '20260107170000' });
    expect(resumed.hoSo.DanhSachHoSoBoSung[0]).toMatchObject({ TrangThaiBoSung: true, NgayTiepNhanBoSung: '20260106080000' });
    expect(resumed.hoSo.DanhSachGiayToKetQua).toEqual([]);
    expect(resumed.hoSo.NgayKetThucXuLy).toBeUndefined();

    const resolved = record(7);
    expect(resolved.hoSo).toMatchObject({ TrangThaiHoSo: '9', NgayKetThucXuLy: '20260106100000' });
    expect(resolved.hoSo.DanhSachGiayToKetQua).toEqual([
      { TenGiayTo: 'GIẤY KHAI SINH', MaGiayToKetQua: '12/2026/KS', GiayToId: 'result-v7', DuongDanTepTinKetQua: `https://mot-cua.example.vn/verify/${view.dossier.code}` },
    ]);
    // The internal result draft is no step of the national process.
    expect(resolved.tienTrinhDongBo.map((step) => step.BuocXuLy)).toEqual([1, 2, 3, 4, 5, 7]);
    expect(resolved.hoSo.NgayTra).toBeUndefined();

    expect(record(8).hoSo).toMatchObject({ TrangThaiHoSo: '10', NgayTra: '20260106150000', HinhThuc: '1' });
  });

  it('maps the channel to 1 counter, 2 online, 3 postal and lists the fee', () => {
    const view = journey();
    const counter = { ...view, dossier: { ...view.dossier, channel: 'COUNTER' as const, procedure: { ...view.dossier.procedure, feeVnd: 8000 } } };
    const postal = { ...view, dossier: { ...view.dossier, channel: 'POSTAL' as const } };
    expect(nationalSyncRecord(counter, 2, UNIT).hoSo).toMatchObject({
      KenhThucHien: '1',
      DanhSachLePhi: [{ TenPhiLePhi: 'Lệ phí', MaPhiLePhi: view.dossier.procedure.code, HinhThucThu: '1', Gia: '8000', LoaiPhiLePhi: '1' }],
    });
    expect(nationalSyncRecord(postal, 2, UNIT).hoSo.KenhThucHien).toBe('3');
  });

  it('refuses to report a change the history does not have', () => {
    expect(() => nationalSyncRecord(journey(), 9, UNIT)).toThrow(/no change 9/);
  });

  it('is the schema the receiver validates with: a record with a status code outside 1–10 does not fit', () => {
    const record = nationalSyncRecord(journey(), 2, UNIT);
    expect(NationalSyncRecordSchema.safeParse(record).success).toBe(true);
    expect(NationalSyncRecordSchema.safeParse({ ...record, hoSo: { ...record.hoSo, TrangThaiHoSo: '11' } }).success).toBe(false);
    expect(NationalSyncRecordSchema.safeParse({ ...record, hoSo: { ...record.hoSo, NgayTiepNhan: '2026-01-05' } }).success).toBe(false);
  });
});

describe('the sync consumer', () => {
  it('is subscribed to every event written with a change of a dossier, not to the due-tomorrow alert nor to a hand-over to another ward', () => {
    const consumer = STREAM_CONSUMERS.find((candidate) => candidate.id === 'NationalSync');
    expect(consumer?.events).toEqual(DOSSIER_CHANGE_EVENTS);
    // The competent ward reports a handed-over dossier, as its own; the receiving ward does not.
    expect(DOSSIER_CHANGE_EVENTS).toEqual(DOMAIN_EVENT_TYPES.filter((type) => type !== 'DOSSIER_DUE_TOMORROW' && type !== 'DOSSIER_FILED_FOR_WARD'));
  });
});

/** The ledger in memory, as the table keeps it. */
function memoryLedger(): NationalSyncLedger & { last: Map<string, number>; entries: Map<string, SyncBacklogEntry> } {
  const last = new Map<string, number>();
  const entries = new Map<string, SyncBacklogEntry>();
  let status: WardSyncStatus = { recordsSent: 0, failures: 0 };
  return {
    last,
    entries,
    state: (code): Promise<DossierSyncState> => Promise.resolve({ lastSyncedSequence: last.get(code) ?? 0, ...(entries.has(code) ? { backlog: entries.get(code) } : {}) }),
    recordSynced: (code, sequence, when) => {
      if ((last.get(code) ?? 0) >= sequence) return Promise.resolve(false);
      last.set(code, sequence);
      status = { ...status, recordsSent: status.recordsSent + 1, lastSynced: { at: when, dossierCode: code, sequence } };
      return Promise.resolve(true);
    },
    recordFailure: (entry) => {
      entries.set(entry.dossierCode, entry);
      status = { ...status, failures: status.failures + 1 };
      return Promise.resolve();
    },
    clearBacklog: (code) => Promise.resolve(void entries.delete(code)),
    dueBacklog: (now) => Promise.resolve([...entries.values()].filter((entry) => !entry.deadLettered && entry.nextAttemptAt <= now)),
    backlog: () => Promise.resolve([...entries.values()]),
    wardStatus: () => Promise.resolve(status),
  };
}

function fakeDeps(view: DossierWithHistory) {
  const delivered: { key: string; record: NationalSyncRecord }[] = [];
  const state = { down: false, now: at('2026-01-07T00:00:00.000Z') };
  let current = { ...view, history: view.history.slice(0, 2) };
  const ledger = memoryLedger();
  const counted: string[] = [];
  const deps: NationalSyncDeps = {
    dossiers: { getDossierWithHistory: () => Promise.resolve(current) },
    ledger,
    sync: {
      send: (record, key) => {
        if (state.down) return Promise.reject(new Error('sync endpoint answered 503'));
        delivered.push({ key, record });
        return Promise.resolve();
      },
    },
    unit: UNIT,
    now: () => state.now,
    countSynced: (code) => {
      counted.push(code);
      return Promise.resolve();
    },
  };
  return { deps, counted, delivered, ledger, state, advanceTo: (sequence: number) => (current = { ...view, history: view.history.slice(0, sequence) }) };
}

describe('syncDossier', () => {
  it('sends each change once, in order, however many events ask and in whatever order they come', async () => {
    const { deps, delivered, counted, advanceTo } = fakeDeps(journey());
    advanceTo(4);
    // The event of change 4 comes first: changes 1 to 4 go out, in order.
    expect(await syncDossier(deps, journey().dossier.code)).toEqual({ status: 'SYNCED', sent: 4 });
    // The earlier changes' events, late, and a redelivery: nothing more.
    expect(await syncDossier(deps, journey().dossier.code)).toEqual({ status: 'SYNCED', sent: 0 });
    advanceTo(8);
    await syncDossier(deps, journey().dossier.code);
    expect(delivered.map(({ key }) => key)).toEqual([1, 2, 3, 4, 5, 7, 8].map((sequence) => `${journey().dossier.code}:${sequence}`));
    expect(delivered.map(({ record }) => record.hoSo.TrangThaiHoSo)).toEqual(['1', '2', '4', '5', '4', '9', '10']);
    // Decision 766's synchronised share is asked to count the (received) dossier after each run that sent something.
    expect(counted).toEqual([journey().dossier.code, journey().dossier.code]);
  });

  it('keeps a dossier whose delivery fails in the backlog, and the retry job sends the rest in order once the receiver is back', async () => {
    const { deps, delivered, ledger, state, advanceTo } = fakeDeps(journey());
    const code = journey().dossier.code;
    await syncDossier(deps, code);
    state.down = true;
    advanceTo(4);
    const failed = await syncDossier(deps, code);
    expect(failed).toMatchObject({ status: 'RETRYING_LATER', sent: 0, unsent: 2 });
    // A further change during the outage tries at once, without using up a retry.
    advanceTo(5);
    await syncDossier(deps, code);
    expect(ledger.entries.get(code)).toMatchObject({ attempts: 1, unsent: 3, lastError: 'sync endpoint answered 503' });

    // Not due before its wait; due after it, but still down: the next wait is longer.
    expect((await retryDueSyncs(deps, new Date(state.now.getTime() + 1000))).attempted).toBe(0);
    state.now = new Date(state.now.getTime() + NATIONAL_SYNC_RETRY_DELAYS_SECONDS[0] * 1000);
    expect(await retryDueSyncs(deps, state.now)).toMatchObject({ attempted: 1, stillFailing: 1, backlogChanges: 3, backlogDossiers: 1 });
    expect(ledger.entries.get(code)?.attempts).toBe(2);
    expect(ledger.entries.get(code)?.nextAttemptAt).toEqual(new Date(state.now.getTime() + NATIONAL_SYNC_RETRY_DELAYS_SECONDS[1] * 1000));

    state.down = false;
    state.now = new Date(state.now.getTime() + NATIONAL_SYNC_RETRY_DELAYS_SECONDS[1] * 1000);
    expect(await retryDueSyncs(deps, state.now)).toMatchObject({ attempted: 1, synced: 1, backlogChanges: 0, backlogDossiers: 0 });
    expect(delivered.map(({ record }) => record.ThuTuThayDoi)).toEqual([1, 2, 3, 4, 5]);
    expect(await ledger.wardStatus()).toMatchObject({ recordsSent: 5, failures: 3, lastSynced: { dossierCode: code, sequence: 5 } });
  });

  it('leaves a change with no time left in the invocation to the retry job, without trying it', async () => {
    const { deps, delivered, ledger, state, advanceTo } = fakeDeps(journey());
    const code = journey().dossier.code;
    advanceTo(3);
    const outcome = await syncDossier(deps, code, { deadline: new Date(state.now.getTime() + 2_500) });
    expect(outcome).toMatchObject({ status: 'RETRYING_LATER', sent: 0, unsent: 3 });
    expect(delivered).toEqual([]);
    expect(ledger.entries.get(code)?.lastError).toMatch(/no time left/);
    expect(await syncDossier(deps, code, { deadline: new Date(state.now.getTime() + 60_000) })).toEqual({ status: 'SYNCED', sent: 3 });
  });

  it('dead-letters a dossier after its last retry, and sends it at its next change', async () => {
    const { deps, delivered, ledger, state, advanceTo } = fakeDeps(journey());
    const code = journey().dossier.code;
    state.down = true;
    await syncDossier(deps, code);
    for (const delay of NATIONAL_SYNC_RETRY_DELAYS_SECONDS) {
      state.now = new Date(state.now.getTime() + delay * 1000);
      await retryDueSyncs(deps, state.now);
    }
    expect(ledger.entries.get(code)).toMatchObject({ deadLettered: true, attempts: NATIONAL_SYNC_RETRY_DELAYS_SECONDS.length + 1 });
    state.now = new Date(state.now.getTime() + 365 * 86_400_000);
    expect((await retryDueSyncs(deps, state.now)).attempted).toBe(0);

    state.down = false;
    advanceTo(3);
    expect(await syncDossier(deps, code)).toEqual({ status: 'SYNCED', sent: 3 });
    expect(ledger.entries.size).toBe(0);
    expect(delivered.map(({ record }) => record.ThuTuThayDoi)).toEqual([1, 2, 3]);
  });
});
