import * as z from 'zod';
import type { Channel, DossierWithHistory, HistoryEvent, ReturnMethod } from './dossier';
import { DRAFT_ACTION, NATIONAL_STATUS, type ActorRole } from './status';
import { VIETNAM_OFFSET_MINUTES } from './time';

/**
 * The dossier-sync record ("đồng bộ hồ sơ") the ward sends to the national public-service portal
 * (Cổng Dịch vụ công quốc gia, DVCQG) or to the city's TTHC information system, once per change of
 * a dossier. Its fields are the ones Vietnamese one-stop systems send the portal today: a `hoSo`
 * block (the dossier as it stands after the change) and `tienTrinhDongBo` (the processing steps,
 * "quá trình xử lý", up to that change), with the national field names, codes as strings and
 * instants as `yyyyMMddHHmmss` in Vietnam time. `ThuTuThayDoi` orders a dossier's records.
 *
 * One schema: the consumer builds every record through it, and the local receiver validates what
 * it receives with it (a record that does not fit is refused with 400).
 */

/** `yyyyMMddHHmmss`, Vietnam time (UTC+07:00), as the portal's sync fields carry instants. */
export const NationalTimeSchema = z.string().regex(/^\d{14}$/, 'yyyyMMddHHmmss in Vietnam time');

/** The national status codes 1–10 (shared/domain/status.ts), as strings. */
const STATUS_CODES = Object.values(NATIONAL_STATUS).map(({ code }) => String(code)) as [string, ...string[]];
const StatusCodeSchema = z.enum(STATUS_CODES);

/** Channel of submission ("kênh thực hiện"): 1 at the counter, 2 online, 3 by post. */
export const NATIONAL_CHANNEL: Readonly<Record<Channel, '1' | '2' | '3'>> = { COUNTER: '1', ONLINE: '2', POSTAL: '3' };
/** How the result was handed over ("hình thức trả"), with the channel's codes: 1 at the counter, 2 online, 3 by post. */
export const NATIONAL_RETURN_METHOD: Readonly<Record<ReturnMethod, '1' | '2' | '3'>> = { COUNTER: '1', ONLINE: '2', POSTAL: '3' };

const nonEmpty = z.string().min(1);

/** A fee or charge ("phí, lệ phí"). */
const LePhiSchema = z
  .object({
    /** Name of the fee. */
    TenPhiLePhi: nonEmpty,
    /** The fee's code: the procedure's code for its catalog fee, the e-receipt number for a payment recorded. */
    MaPhiLePhi: nonEmpty,
    /** How it is collected: 1 at the desk (the ward has no online payment). */
    HinhThucThu: z.literal('1'),
    /** Amount in VND (integer, as a string). */
    Gia: z.string().regex(/^\d+$/),
    /** 1 lệ phí (the procedure's fee), 2 another financial obligation (a payment requested). */
    LoaiPhiLePhi: z.enum(['1', '2']),
  })
  .strict();

/** A result document ("giấy tờ kết quả") with its link. */
const GiayToKetQuaSchema = z
  .object({
    /** Title of the document. */
    TenGiayTo: nonEmpty,
    /** Its number in the ward's register. */
    MaGiayToKetQua: nonEmpty,
    /** The document's id in the ward's archive. */
    GiayToId: nonEmpty,
    /** The public page that verifies it against the archive (the QR code's target). */
    DuongDanTepTinKetQua: z.url(),
  })
  .strict();

/** A request to supplement or complete the dossier ("hồ sơ bổ sung"). */
const HoSoBoSungSchema = z
  .object({
    /** Its number among the dossier's requests, from 1. */
    HoSoBoSungId: z.number().int().min(1),
    /** The officer who asked. */
    NguoiYeuCauBoSung: nonEmpty,
    /** What was asked (the items of form 02, or the officer's note). */
    NoiDungBoSung: nonEmpty,
    /** When it was asked. */
    NgayBoSung: NationalTimeSchema,
    /** Whether the citizen has answered it. */
    TrangThaiBoSung: z.boolean(),
    /** When the citizen answered. */
    NgayTiepNhanBoSung: NationalTimeSchema.optional(),
  })
  .strict();

/** The dossier ("hồ sơ") after the change. */
const HoSoSchema = z
  .object({
    /** Dossier code ("mã hồ sơ"), `<agency code>-<YYMMDD>-<NNNN>`. */
    MaHoSo: nonEmpty,
    /** National procedure code ("mã thủ tục hành chính"), e.g. 1.001193. */
    MaTTHC: nonEmpty,
    TenTTHC: nonEmpty,
    /** The receiving unit's agency code ("mã định danh đơn vị") and name. */
    MaDonVi: nonEmpty,
    DonViXuLy: nonEmpty,
    /** 1 counter, 2 online, 3 postal. */
    KenhThucHien: z.enum(['1', '2', '3']),
    /** The applicant ("chủ hồ sơ"): 1 = a citizen ("công dân"). */
    LoaiDoiTuong: z.literal('1'),
    ChuHoSo: nonEmpty,
    /** Personal ID number (CCCD, 12 digits). */
    SoGiayToChuHoSo: z.string().regex(/^\d{12}$/),
    SoDienThoai: z.string().regex(/^\+84\d{9}$/),
    Email: z.email().optional(),
    DiaChiChuHoSo: nonEmpty.optional(),
    /** Summary of the dossier ("trích yếu"). */
    TrichYeuHoSo: nonEmpty,
    /** Status code 1–10 after the change. */
    TrangThaiHoSo: StatusCodeSchema,
    /** Submitted ("ngày nộp"). */
    NgayNopHoSo: NationalTimeSchema,
    /** Received ("ngày tiếp nhận"): the receipt, or the counter's creation. */
    NgayTiepNhan: NationalTimeSchema.optional(),
    /** Appointment ("ngày hẹn trả") in force after the change. */
    NgayHenTra: NationalTimeSchema.optional(),
    /** The latest request to supplement or complete. */
    NgayYeuCauBoSung: NationalTimeSchema.optional(),
    /** Refused at intake ("ngày từ chối"). */
    NgayTuChoi: NationalTimeSchema.optional(),
    /** Finished processing ("ngày kết thúc xử lý"): resolved, or stopped. */
    NgayKetThucXuLy: NationalTimeSchema.optional(),
    /** Result handed over ("ngày trả"), and how: 1 counter, 2 online, 3 postal. */
    NgayTra: NationalTimeSchema.optional(),
    HinhThuc: z.enum(['1', '2', '3']).optional(),
    /** Paid online: 0 (the ward records payments made at the desk). */
    DuocThanhToanTrucTuyen: z.literal('0'),
    DanhSachLePhi: z.array(LePhiSchema),
    DanhSachGiayToKetQua: z.array(GiayToKetQuaSchema),
    DanhSachHoSoBoSung: z.array(HoSoBoSungSchema),
  })
  .strict();

/** One processing step ("quá trình xử lý"): who did what, when, and the status it left. */
const QuaTrinhXuLySchema = z
  .object({
    MaHoSo: nonEmpty,
    /** The step's number (the dossier's change number). */
    BuocXuLy: z.number().int().min(1),
    /** Handler's name, or the role when the step is the citizen's or the system's. */
    NguoiXuLy: nonEmpty,
    /** Handler's position. */
    ChucDanh: nonEmpty,
    ThoiDiemXuLy: NationalTimeSchema,
    /** Content of the step: what was done, with the officer's note or reason. */
    NoiDungXuLy: nonEmpty,
    /** Status code after the step. */
    TrangThai: StatusCodeSchema,
  })
  .strict();

export const NationalSyncRecordSchema = z
  .object({
    /**
     * The dossier's change number this record reports (the version the change gave the dossier):
     * increasing per dossier, so the receiver keeps a dossier's records in order and a record it
     * already has (the same MaHoSo and ThuTuThayDoi) is a repeat.
     */
    ThuTuThayDoi: z.number().int().min(1),
    hoSo: HoSoSchema,
    tienTrinhDongBo: z.array(QuaTrinhXuLySchema).min(1),
  })
  .strict();
export type NationalSyncRecord = z.output<typeof NationalSyncRecordSchema>;

/** The idempotency key of a change's record: the same for every attempt, whoever sends it. */
export const syncIdempotencyKey = (dossierCode: string, sequence: number): string => `${dossierCode}:${sequence}`;

/**
 * Whether a history entry is a change the national portal hears of: every change of the dossier
 * (a new dossier, each status change, and the changes within a status that carry an outbox event:
 * a rating, an overdue mark, an apology's new date, a cancelled result), but not the specialist's
 * result draft, which is internal and publishes nothing.
 */
export const isSyncedChange = (entry: Pick<HistoryEvent, 'action'>): boolean => entry.action !== DRAFT_ACTION;

/** `yyyyMMddHHmmss` of an instant, in Vietnam time. */
export function nationalTime(instant: Date): string {
  return new Date(instant.getTime() + VIETNAM_OFFSET_MINUTES * 60_000).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

const ROLE_TITLES: Readonly<Record<ActorRole, string>> = {
  citizen: 'Công dân',
  reception: 'Cán bộ một cửa',
  specialist: 'Chuyên viên',
  leader: 'Lãnh đạo',
  system: 'Hệ thống',
};

/** What each step was, in the words of the process ("nội dung xử lý"). */
export const STEP_CONTENT: Readonly<Record<HistoryEvent['action'], string>> = {
  submit: 'Nộp hồ sơ trực tuyến',
  'create-at-counter': 'Tiếp nhận hồ sơ tại bộ phận một cửa',
  receive: 'Tiếp nhận hồ sơ',
  'refuse-intake': 'Từ chối tiếp nhận hồ sơ',
  'request-completion': 'Yêu cầu bổ sung, hoàn thiện hồ sơ',
  transfer: 'Chuyển hồ sơ đến chuyên viên xử lý',
  'request-supplement': 'Yêu cầu bổ sung giấy tờ',
  'request-payment': 'Yêu cầu thực hiện nghĩa vụ tài chính',
  'record-payment': 'Ghi nhận thực hiện nghĩa vụ tài chính',
  [DRAFT_ACTION]: 'Dự thảo kết quả',
  approve: 'Phê duyệt kết quả giải quyết',
  refuse: 'Từ chối giải quyết hồ sơ',
  return: 'Trả kết quả',
  'auto-return': 'Trả kết quả điện tử',
  stop: 'Dừng xử lý hồ sơ',
  supplement: 'Công dân bổ sung hồ sơ',
  withdraw: 'Công dân yêu cầu rút hồ sơ',
  rate: 'Công dân đánh giá mức độ hài lòng',
  'mark-overdue': 'Hồ sơ quá hạn giải quyết',
  apologize: 'Văn bản xin lỗi và hẹn lại ngày trả kết quả',
  'cancel-result': 'Hủy kết quả điện tử',
  'erase-personal-data': 'Xóa dữ liệu cá nhân khi hết thời hạn lưu trữ',
  'take-over': 'Tiếp nhận hồ sơ do đơn vị khác chuyển đến',
};

const SUPPLEMENT_REQUESTS: ReadonlySet<HistoryEvent['action']> = new Set(['request-completion', 'request-supplement']);

export interface SyncUnit {
  /** The ward's agency code and name. */
  readonly agencyCode: string;
  readonly name: string;
  /** Base of the public links (the verify page of each result). */
  readonly publicBaseUrl: string;
}

/**
 * The record of change `sequence` of a dossier: the dossier as it stood after that change (status,
 * dates, fees, results, supplement requests reached by then) and its steps up to it. Built from
 * the dossier with its history, so that a change is reported exactly as it was even when the
 * dossier has moved on since (a record sent late, or ahead of its own event).
 *
 * @throws Error when the history has no entry `sequence`
 * @throws ZodError when the record does not fit the schema (a defect)
 */
export function nationalSyncRecord(view: DossierWithHistory, sequence: number, unit: SyncUnit): NationalSyncRecord {
  const { dossier, documents } = view;
  const steps = view.history.filter((entry) => entry.sequence <= sequence).sort((a, b) => a.sequence - b.sequence);
  const change = steps.at(-1);
  if (change?.sequence !== sequence) throw new Error(`dossier ${dossier.code} has no change ${sequence} in its history`);
  const asOf = change.at.getTime();
  const by = (instant: Date | undefined): Date | undefined => (instant !== undefined && instant.getTime() <= asOf ? instant : undefined);
  const reached = (action: HistoryEvent['action'] | ((entry: HistoryEvent) => boolean)) => steps.filter(typeof action === 'function' ? action : (entry) => entry.action === action);
  const time = (instant: Date | undefined) => (instant === undefined ? undefined : nationalTime(instant));

  const isLatest = sequence === dossier.version;
  const appointment = change.appointmentAt ?? (isLatest ? dossier.appointmentAt : undefined);
  const received = reached((entry) => entry.to === 'RECEIVED' && (entry.action === 'receive' || entry.action === 'create-at-counter'))[0];
  const refused = reached('refuse-intake')[0];
  const finished = reached((entry) => entry.to === 'RESOLVED' || entry.action === 'stop' || (entry.action === 'withdraw' && entry.to === 'STOPPED'))[0];
  const returned = reached((entry) => entry.to === 'RETURNED')[0];
  const requests = reached((entry) => SUPPLEMENT_REQUESTS.has(entry.action));
  const answers = reached('supplement');

  const fees: z.input<typeof LePhiSchema>[] = [];
  if (dossier.procedure.feeVnd > 0) {
    fees.push({ TenPhiLePhi: 'Lệ phí', MaPhiLePhi: dossier.procedure.code, HinhThucThu: '1', Gia: String(dossier.procedure.feeVnd), LoaiPhiLePhi: '1' });
  }
  const payment = dossier.payment;
  if (payment !== undefined && by(payment.paidAt) !== undefined && payment.amountVnd !== undefined) {
    fees.push({ TenPhiLePhi: 'Nghĩa vụ tài chính', MaPhiLePhi: payment.receiptNumber, HinhThucThu: '1', Gia: String(payment.amountVnd), LoaiPhiLePhi: '2' });
  }

  const results = documents
    .filter((document) => (document.kind === 'RESULT' || document.kind === 'REFUSAL') && by(document.issuedAt) !== undefined && by(document.cancellation?.at) === undefined)
    .map((document) => ({
      TenGiayTo: document.title,
      MaGiayToKetQua: document.documentNumber,
      GiayToId: document.id,
      DuongDanTepTinKetQua: `${unit.publicBaseUrl.replace(/\/+$/, '')}/verify/${encodeURIComponent(dossier.code)}`,
    }));

  const supplementRequests = requests.map((request, index) => {
    const answer = answers.find((entry) => entry.sequence > request.sequence);
    // The step keeps the request's items; a step written before it kept them has the dossier's pending request, while it waits.
    const items = request.items?.join('; ') ?? (dossier.pending?.requestedAt.getTime() === request.at.getTime() ? dossier.pending.items.join('; ') : undefined);
    return {
      HoSoBoSungId: index + 1,
      NguoiYeuCauBoSung: request.actor.name ?? ROLE_TITLES[request.actor.role],
      NoiDungBoSung: items || request.note || STEP_CONTENT[request.action],
      NgayBoSung: nationalTime(request.at),
      TrangThaiBoSung: answer !== undefined,
      ...(answer ? { NgayTiepNhanBoSung: nationalTime(answer.at) } : {}),
    };
  });

  const { applicant } = dossier;
  return NationalSyncRecordSchema.parse({
    ThuTuThayDoi: sequence,
    hoSo: {
      MaHoSo: dossier.code,
      MaTTHC: dossier.procedure.code,
      TenTTHC: dossier.procedure.name,
      MaDonVi: unit.agencyCode,
      DonViXuLy: unit.name,
      KenhThucHien: NATIONAL_CHANNEL[dossier.channel],
      LoaiDoiTuong: '1',
      ChuHoSo: applicant.fullName,
      SoGiayToChuHoSo: applicant.idNumber,
      SoDienThoai: applicant.phone,
      ...(applicant.email ? { Email: applicant.email } : {}),
      ...(applicant.address ? { DiaChiChuHoSo: applicant.address } : {}),
      TrichYeuHoSo: `${dossier.procedure.name}: ${applicant.fullName}`,
      TrangThaiHoSo: String(NATIONAL_STATUS[change.to].code),
      NgayNopHoSo: nationalTime(dossier.submittedAt),
      NgayTiepNhan: time(received?.at),
      NgayHenTra: time(appointment),
      NgayYeuCauBoSung: time(requests.at(-1)?.at),
      NgayTuChoi: time(refused?.at),
      NgayKetThucXuLy: time(finished?.at),
      NgayTra: time(returned?.at),
      HinhThuc: returned !== undefined && dossier.returnMethod !== undefined ? NATIONAL_RETURN_METHOD[dossier.returnMethod] : undefined,
      DuocThanhToanTrucTuyen: '0',
      DanhSachLePhi: fees,
      DanhSachGiayToKetQua: results,
      DanhSachHoSoBoSung: supplementRequests,
    },
    tienTrinhDongBo: steps.filter(isSyncedChange).map((entry) => ({
      MaHoSo: dossier.code,
      BuocXuLy: entry.sequence,
      NguoiXuLy: entry.actor.name ?? ROLE_TITLES[entry.actor.role],
      ChucDanh: ROLE_TITLES[entry.actor.role],
      ThoiDiemXuLy: nationalTime(entry.at),
      NoiDungXuLy: entry.note ? `${STEP_CONTENT[entry.action]}: ${entry.note}` : STEP_CONTENT[entry.action],
      TrangThai: String(NATIONAL_STATUS[entry.to].code),
    })),
  });
}
