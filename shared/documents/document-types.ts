/**
 * The documents the ward issues, each a signed, archived PDF: results and refusal notices, and
 * the official forms of the one-stop desk (Circular 03/2025/TT-VPCP, Appendix I). Every field is
 * what the document prints; ./forms-from-dossier.ts builds the forms from a dossier.
 */
import type { Channel, ReturnMethod } from '../domain/dossier';
import type { SigningAuthority } from '../use-cases/ports';
import type { RegisterRow } from './register';
import { singleLine, upper } from './text';

/**
 * The visible signature: what the signer's place says about the digital signature that another
 * module adds to the rendered bytes (PAdES). It must describe that signature truthfully.
 */
export interface SignatureAppearance {
  readonly signerName: string;
  /** May hold several lines, e.g. `KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH`; printed upper-case. */
  readonly signerPosition: string;
  readonly signedAt: Date;
  /** Who signs, e.g. `Ủy ban nhân dân Phường Hoàn Kiếm`. */
  readonly organization: string;
  readonly authority: SigningAuthority;
  /** The certificate issuer's name, printed for `CONFIGURED_CA`. */
  readonly certificateIssuer: string;
}

/** What every document has. */
interface DocumentBase {
  /** e.g. `{ name: 'Phường Hoàn Kiếm', province: 'Thành phố Hà Nội' }`; the province goes only into the PDF's keywords. */
  readonly ward: { readonly name: string; readonly province: string };
  /**
   * The place in the date line ("<place>, ngày … tháng … năm …"). By default, as Decree 30 asks
   * for a body of a commune-level unit, the ward's own name without its type word ("Hoàn Kiếm").
   */
  readonly placeName?: string;
  /** Printed as "Số: …", e.g. `12/2026/XN-UBND`. */
  readonly documentNumber: string;
  /** Shown in Vietnam time (UTC+7) in the date line; also the PDF's creation and modification dates. */
  readonly issuedAt: Date;
  readonly signature: SignatureAppearance;
  /** The public verification page the QR code points to. */
  readonly verifyUrl: string;
}

export interface ApplicantDetails {
  readonly fullName: string;
  readonly idNumber?: string;
  readonly address?: string;
  /** As printed, e.g. `0912345678`. */
  readonly phone?: string;
  readonly email?: string;
}

/** What every document about one dossier has. */
interface DossierDocumentBase extends DocumentBase {
  /** e.g. `000.00.70.H26-261122-0001`. */
  readonly dossierCode: string;
  readonly procedureName: string;
  readonly applicant: ApplicantDetails;
}

/** An approved result ("kết quả giải quyết"), e.g. a marital-status certificate. */
export interface ResultDocument extends DossierDocumentBase {
  readonly kind: 'RESULT';
  /** The document's name, printed upper-case as the title (`Giấy xác nhận tình trạng hôn nhân`). */
  readonly title: string;
  /** Body text; a blank line separates paragraphs, a single line break starts a new line. */
  readonly content: string;
}

/**
 * A refusal after processing ("văn bản từ chối", with reasons). Its title is always
 * `DOCUMENT_TITLES.REFUSAL`; `subject` is only the line under it, "Về việc …" (e.g. `Về việc cấp
 * Giấy xác nhận tình trạng hôn nhân`), never the title again.
 */
export interface RefusalDocument extends DossierDocumentBase {
  readonly kind: 'REFUSAL';
  readonly subject: string;
  /** The reasons and what the applicant may do; paragraphs as in {@link ResultDocument.content}. */
  readonly content: string;
}

/** A document received with a dossier, as the receipt lists it. */
export interface ReceivedDocument {
  readonly name: string;
  readonly quantity: number;
  /** Paper original, paper copy, either, or an uploaded file. */
  readonly form: 'ORIGINAL' | 'COPY' | 'ORIGINAL_OR_COPY' | 'FILE';
}

/** Form 01, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả": the receipt and appointment. */
export interface ReceiptForm extends DossierDocumentBase {
  readonly kind: 'FORM_01';
  /** How the dossier was submitted. */
  readonly channel: Channel;
  readonly documents: readonly ReceivedDocument[];
  /** The procedure's time limit in working days (0: the same working day). */
  readonly timeLimitDays: number;
  readonly receivedAt: Date;
  readonly appointmentAt: Date;
  /** Where and how the result is returned; `address` is the postal address, or the counter's. */
  readonly resultDelivery: { readonly method: ReturnMethod; readonly address?: string };
}

/** Form 02, "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ": everything missing, asked for at once. */
export interface SupplementRequestForm extends DossierDocumentBase {
  readonly kind: 'FORM_02';
  /** `COMPLETION`: at intake, before receipt; `SUPPLEMENT`: during processing. */
  readonly stage: 'COMPLETION' | 'SUPPLEMENT';
  readonly items: readonly string[];
  readonly reason: string;
  /** Whom to ask, e.g. `Bộ phận Một cửa phường Hoàn Kiếm, số điện thoại 024 3825 1234`; the desk by default. */
  readonly contact?: string;
}

/** Form 03, "Phiếu từ chối tiếp nhận giải quyết hồ sơ": refusal at intake, with reasons. */
export interface IntakeRefusalForm extends DossierDocumentBase {
  readonly kind: 'FORM_03';
  readonly submittedAt: Date;
  readonly reasons: readonly string[];
  /** e.g. `khoản 2 Điều 18 Nghị định số 118/2025/NĐ-CP`; printed as "Căn cứ …". */
  readonly legalBasis?: string;
}

/**
 * Form 04, "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết": apology with a new
 * appointment. It may be issued before the due date (the ward already knows it will be late).
 */
export interface ApologyForm extends DossierDocumentBase {
  readonly kind: 'FORM_04';
  readonly receivedAt: Date;
  readonly previousAppointmentAt: Date;
  readonly newAppointmentAt: Date;
  readonly reason: string;
}

/** Form 05, "Thông báo dừng giải quyết hồ sơ": processing stopped. */
export interface StopNoticeForm extends DossierDocumentBase {
  readonly kind: 'FORM_05';
  /** `WITHDRAWN`: the applicant withdrew the dossier; `BY_LAW`: the law requires the stop. */
  readonly ground: 'WITHDRAWN' | 'BY_LAW';
  readonly reason: string;
  readonly submittedAt: Date;
  readonly receivedAt?: Date;
  readonly withdrawalRequestedAt?: Date;
  readonly stoppedAt: Date;
  readonly legalBasis?: string;
}

/** One hand-over of the control sheet. */
export interface Handover {
  /** Who handed the dossier over, e.g. `Bộ phận Một cửa (Lê Thị Mai)`. */
  readonly from: string;
  /** Who received it, e.g. `Chuyên viên xử lý`. */
  readonly to: string;
  readonly at: Date;
  /** What came of the step, e.g. `Đang xử lý` or `Đã xử lý xong, đúng hạn`. */
  readonly result: string;
  readonly note?: string;
}

/** Form 06, "Phiếu kiểm soát quá trình giải quyết hồ sơ": the dossier's hand-overs. */
export interface ControlSheetForm extends DossierDocumentBase {
  readonly kind: 'FORM_06';
  readonly receivedAt?: Date;
  readonly appointmentAt?: Date;
  readonly handovers: readonly Handover[];
}

/** Form 07, "Sổ theo dõi hồ sơ": the register of a period, one row per dossier (A4 landscape). */
export interface DossierRegisterForm extends DocumentBase {
  readonly kind: 'FORM_07';
  /** Local days (Vietnam), `YYYY-MM-DD`, both included. */
  readonly period: { readonly from: string; readonly to: string };
  readonly rows: readonly RegisterRow[];
}

export type OfficialDocument =
  | ResultDocument
  | RefusalDocument
  | ReceiptForm
  | SupplementRequestForm
  | IntakeRefusalForm
  | ApologyForm
  | StopNoticeForm
  | ControlSheetForm
  | DossierRegisterForm;

export type OfficialDocumentKind = OfficialDocument['kind'];
export type DossierDocument = Exclude<OfficialDocument, DossierRegisterForm>;

/**
 * The printed title of each kind whose title is fixed (a RESULT is titled by its own name: see
 * {@link titleOf}). Forms 01–03, 06 and 07 keep the titles of Circular 01/2018/TT-VPCP, which
 * Circular 03/2025/TT-VPCP's Appendix I continues; 04 and 05 are the 2025 forms' names (04 was
 * "Phiếu xin lỗi và hẹn lại ngày trả kết quả" in 2018; 05 is new).
 */
export const DOCUMENT_TITLES: Readonly<Record<Exclude<OfficialDocumentKind, 'RESULT'>, string>> = {
  REFUSAL: 'THÔNG BÁO TỪ CHỐI GIẢI QUYẾT HỒ SƠ',
  FORM_01: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
  FORM_02: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
  FORM_03: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
  FORM_04: 'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT',
  FORM_05: 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
  FORM_06: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
  FORM_07: 'SỔ THEO DÕI HỒ SƠ',
};

/** The title a document prints, and its PDF title: one source for the verify page and the metadata. */
export function titleOf(document: OfficialDocument): string {
  return document.kind === 'RESULT' ? titleOfKind('RESULT', document.title) : DOCUMENT_TITLES[document.kind];
}

/** {@link titleOf} before the document is built: a RESULT's from its own name, any other kind's fixed. */
export function titleOfKind(kind: OfficialDocumentKind, resultName: string): string {
  return kind === 'RESULT' ? upper(singleLine(resultName)) : DOCUMENT_TITLES[kind];
}
