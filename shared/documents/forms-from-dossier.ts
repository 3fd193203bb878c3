/**
 * The official forms built from the domain: a dossier, its history, and what the issuing context
 * adds (ward, number, date, signature, verify URL). Pure functions; each says which fields of the
 * dossier it needs and throws {@link FormNotApplicableError} when the dossier lacks them (a receipt
 * for a dossier never received, an apology without one).
 */
import { CATALOG } from '../catalog/procedures';
import type { Applicant, Dossier, HistoryEvent, ReturnMethod } from '../domain/dossier';
import type { RequiredDocument } from '../domain/procedure';
import { NATIONAL_STATUS, type ActorRole, type DossierStatus } from '../domain/status';
import { formatVietnamDate, vietnamDate } from '../domain/time';
import type { ApplicantDetails, DossierRegisterForm, Handover, OfficialDocument, ReceivedDocument, SignatureAppearance } from './document-types';
import type { RegisterRow } from './register';

/** The forms that are about one dossier (07, the register, is about a period: {@link registerDocumentOf}). */
export const FORM_KINDS = ['FORM_01', 'FORM_02', 'FORM_03', 'FORM_04', 'FORM_05', 'FORM_06'] as const;
export type FormKind = (typeof FORM_KINDS)[number];

/** What the issuing adds to the dossier's data. */
export interface DocumentContext {
  readonly ward: { readonly name: string; readonly province: string };
  readonly documentNumber: string;
  readonly issuedAt: Date;
  readonly signature: SignatureAppearance;
  readonly verifyUrl: string;
  readonly placeName?: string;
  /**
   * Form 01: the documents of the dossier's procedure version, which name what was received. By
   * default those of the shipped catalog (shared/catalog/procedures.ts) for the dossier's code and
   * version; a document found in neither is listed under its file name or id.
   */
  readonly procedureDocuments?: readonly Pick<RequiredDocument, 'id' | 'name' | 'quantity' | 'form'>[];
}

/** The dossier lacks what the form prints (e.g. a receipt for a dossier never received). */
export class FormNotApplicableError extends Error {
  readonly code = 'FORM_NOT_APPLICABLE';
  constructor(
    readonly kind: FormKind,
    missing: string,
  ) {
    super(`${kind} cannot be issued: the dossier has no ${missing}`);
    this.name = 'FormNotApplicableError';
  }
}

type FormOf<K extends FormKind> = Extract<OfficialDocument, { kind: K }>;
type FormBuilder<K extends FormKind> = (dossier: Dossier, history: readonly HistoryEvent[], context: DocumentContext) => FormOf<K>;

/**
 * Form `kind` for `dossier`, as the dossier and its history stand:
 * - 01 receipt: needs `receivedAt` and `appointmentAt`; lists the paper documents received
 *   (`documentsReceived`) and the files attached; the result goes back where `returnMethod` says,
 *   else online for a fully-online dossier, by post for a postal one, at the counter otherwise;
 * - 02 supplement or completion request: needs `pending` (COMPLETION or SUPPLEMENT), its items and note;
 * - 03 refusal at intake: needs `closingReason` (one reason per line);
 * - 04 apology: needs `apology` and `receivedAt`;
 * - 05 stop: the domain stops a dossier only on the applicant's withdrawal (the `withdraw` event,
 *   if the history has it, dates the request; the STOPPED event, else the issue, the stop). A stop
 *   the law requires has no transition yet: build its `StopNoticeForm` with ground BY_LAW.
 * - 06 control sheet: one hand-over per event of the history, except ratings.
 *
 * @throws FormNotApplicableError
 */
export function formDocumentOf<K extends FormKind>(kind: K, dossier: Dossier, history: readonly HistoryEvent[], context: DocumentContext): FormOf<K> {
  const build: FormBuilder<K> = FORM_BUILDERS[kind];
  return build(dossier, history, context);
}

const FORM_BUILDERS: { readonly [K in FormKind]: FormBuilder<K> } = {
  FORM_01: receiptOf,
  FORM_02: supplementRequestOf,
  FORM_03: intakeRefusalOf,
  FORM_04: apologyOf,
  FORM_05: stopNoticeOf,
  FORM_06: controlSheetOf,
};

/** A register row: the dossier's dates, its status in words, and notes (overdue, new appointment, refusal, channel). */
export function registerRowOf(dossier: Dossier): RegisterRow {
  const notes = [
    dossier.overdue ? 'Quá hạn' : undefined,
    dossier.apology === undefined ? undefined : `Hẹn lại ngày ${formatVietnamDate(dossier.apology.newAppointmentAt)}`,
    dossier.result?.outcome === 'REFUSED' ? 'Từ chối giải quyết' : undefined,
    dossier.channel === 'ONLINE' ? 'Nộp trực tuyến' : dossier.channel === 'POSTAL' ? 'Nộp qua bưu chính' : undefined,
  ].filter((note) => note !== undefined);
  return {
    dossierCode: dossier.code,
    procedureName: dossier.procedure.name,
    applicantName: dossier.applicant.fullName,
    ...optional('receivedAt', dossier.receivedAt),
    ...optional('appointmentAt', dossier.appointmentAt),
    ...optional('resolvedAt', dossier.resolvedAt),
    ...optional('returnedAt', dossier.returnedAt),
    status: NATIONAL_STATUS[dossier.status].label,
    ...optional('note', notes.length === 0 ? undefined : notes.join('; ')),
  };
}

/** Form 07, the register of a period (local days `YYYY-MM-DD`, both included), rows in the order given. */
export function registerDocumentOf(rows: readonly RegisterRow[], period: { readonly from: string; readonly to: string }, context: DocumentContext): DossierRegisterForm {
  return { kind: 'FORM_07', ...contextFields(context), period, rows };
}

// ---------------------------------------------------------------------------------------------

function contextFields(context: DocumentContext) {
  return {
    ward: context.ward,
    documentNumber: context.documentNumber,
    issuedAt: context.issuedAt,
    signature: context.signature,
    verifyUrl: context.verifyUrl,
    ...optional('placeName', context.placeName),
  };
}

function dossierFields(dossier: Dossier, context: DocumentContext) {
  return { ...contextFields(context), dossierCode: dossier.code, procedureName: dossier.procedure.name, applicant: applicantOf(dossier.applicant) };
}

function applicantOf(applicant: Applicant): ApplicantDetails {
  return {
    fullName: applicant.fullName,
    idNumber: applicant.idNumber,
    ...optional('address', applicant.address),
    // Stored as E.164; people read their number as they dial it.
    phone: applicant.phone.replace(/^\+84/, '0'),
    ...optional('email', applicant.email),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function required<V>(kind: FormKind, missing: string, value: V | undefined): V {
  if (value === undefined) throw new FormNotApplicableError(kind, missing);
  return value;
}

function receiptOf(dossier: Dossier, _history: readonly HistoryEvent[], context: DocumentContext): FormOf<'FORM_01'> {
  const method: ReturnMethod = dossier.returnMethod ?? (dossier.fullyOnline ? 'ONLINE' : dossier.channel === 'POSTAL' ? 'POSTAL' : 'COUNTER');
  return {
    kind: 'FORM_01',
    ...dossierFields(dossier, context),
    channel: dossier.channel,
    documents: receivedDocumentsOf(dossier, context),
    timeLimitDays: dossier.procedure.timeLimitDays,
    receivedAt: required('FORM_01', 'receivedAt', dossier.receivedAt),
    appointmentAt: required('FORM_01', 'appointmentAt', dossier.appointmentAt),
    resultDelivery: { method, ...optional('address', method === 'POSTAL' ? dossier.applicant.address : undefined) },
  };
}

/** The paper documents reception holds, then the uploaded files, one line per document of the procedure. */
function receivedDocumentsOf(dossier: Dossier, context: DocumentContext): ReceivedDocument[] {
  const catalogDocuments =
    context.procedureDocuments ?? CATALOG.find((procedure) => procedure.code === dossier.procedure.code && procedure.version === dossier.procedure.version)?.documents ?? [];
  const byId = new Map(catalogDocuments.map((document) => [document.id, document]));
  const paper = (dossier.documentsReceived ?? []).map((id): ReceivedDocument => {
    const document = byId.get(id);
    return { name: document?.name ?? id, quantity: document?.quantity ?? 1, form: document?.form ?? 'ORIGINAL_OR_COPY' };
  });
  const files = new Map<string, ReceivedDocument>();
  for (const attachment of dossier.attachments) {
    const counted = files.get(attachment.documentId);
    const name = byId.get(attachment.documentId)?.name ?? attachment.fileName;
    files.set(attachment.documentId, { name: counted?.name ?? name, quantity: (counted?.quantity ?? 0) + 1, form: 'FILE' });
  }
  return [...paper, ...files.values()];
}

const DEFAULT_SUPPLEMENT_REASONS = {
  COMPLETION: 'Hồ sơ chưa đầy đủ, hợp lệ theo quy định của thủ tục hành chính.',
  SUPPLEMENT: 'Hồ sơ cần được bổ sung để có đủ căn cứ giải quyết theo quy định.',
} as const;

function supplementRequestOf(dossier: Dossier, _history: readonly HistoryEvent[], context: DocumentContext): FormOf<'FORM_02'> {
  const { pending } = dossier;
  if (pending === undefined || pending.kind === 'PAYMENT') throw new FormNotApplicableError('FORM_02', 'request to supplement or complete (pending)');
  return {
    kind: 'FORM_02',
    ...dossierFields(dossier, context),
    stage: pending.kind,
    items: pending.items,
    reason: pending.note ?? DEFAULT_SUPPLEMENT_REASONS[pending.kind],
  };
}

function intakeRefusalOf(dossier: Dossier, _history: readonly HistoryEvent[], context: DocumentContext): FormOf<'FORM_03'> {
  const reasons = required('FORM_03', 'closingReason', dossier.closingReason)
    .split(/\r?\n/)
    .map((reason) => reason.trim())
    .filter((reason) => reason !== '');
  return { kind: 'FORM_03', ...dossierFields(dossier, context), submittedAt: dossier.submittedAt, reasons };
}

function apologyOf(dossier: Dossier, _history: readonly HistoryEvent[], context: DocumentContext): FormOf<'FORM_04'> {
  const apology = required('FORM_04', 'apology', dossier.apology);
  return {
    kind: 'FORM_04',
    ...dossierFields(dossier, context),
    receivedAt: required('FORM_04', 'receivedAt', dossier.receivedAt),
    previousAppointmentAt: apology.previousAppointmentAt,
    newAppointmentAt: apology.newAppointmentAt,
    reason: apology.reason,
  };
}

function stopNoticeOf(dossier: Dossier, history: readonly HistoryEvent[], context: DocumentContext): FormOf<'FORM_05'> {
  const withdrawal = history.findLast((event) => event.action === 'withdraw');
  const stop = history.findLast((event) => event.to === 'STOPPED' && event.from !== 'STOPPED');
  return {
    kind: 'FORM_05',
    ...dossierFields(dossier, context),
    ground: 'WITHDRAWN',
    reason: dossier.closingReason ?? withdrawal?.note ?? 'Người nộp hồ sơ đề nghị rút hồ sơ.',
    submittedAt: dossier.submittedAt,
    ...optional('receivedAt', dossier.receivedAt),
    ...optional('withdrawalRequestedAt', withdrawal?.at),
    stoppedAt: stop?.at ?? context.issuedAt,
  };
}

/** Who acts, as the control sheet names them. */
const ROLE_WORDS: Readonly<Record<ActorRole, string>> = {
  citizen: 'Người nộp hồ sơ',
  reception: 'Bộ phận Một cửa',
  specialist: 'Chuyên viên xử lý',
  leader: 'Lãnh đạo',
  system: 'Hệ thống',
};

/** Who holds a dossier in each status: the one a change hands it to. */
const HOLDER_OF: Readonly<Record<DossierStatus, ActorRole>> = {
  SUBMITTED: 'reception',
  RECEIVED: 'reception',
  NOT_RECEIVED: 'citizen',
  IN_PROGRESS: 'specialist',
  SUPPLEMENT_REQUESTED: 'citizen',
  PAYMENT_REQUESTED: 'citizen',
  WITHDRAWAL_REQUESTED: 'reception',
  STOPPED: 'citizen',
  RESOLVED: 'reception',
  RETURNED: 'citizen',
};

function controlSheetOf(dossier: Dossier, history: readonly HistoryEvent[], context: DocumentContext): FormOf<'FORM_06'> {
  const handovers = [...history]
    .sort((left, right) => left.sequence - right.sequence)
    .filter((event) => event.action !== 'rate')
    .map((event): Handover => {
      const name = event.actor.name ?? (event.actor.role === 'citizen' ? dossier.applicant.fullName : undefined);
      return {
        from: name === undefined ? ROLE_WORDS[event.actor.role] : `${ROLE_WORDS[event.actor.role]} (${name})`,
        to: ROLE_WORDS[HOLDER_OF[event.to]],
        at: event.at,
        result: stepResultOf(event, dossier),
        ...optional('note', event.note),
      };
    });
  return {
    kind: 'FORM_06',
    ...dossierFields(dossier, context),
    ...optional('receivedAt', dossier.receivedAt),
    ...optional('appointmentAt', dossier.appointmentAt),
    handovers,
  };
}

/** What a step came to: the status it led to, and for the resolution whether it was early, on time or late. */
function stepResultOf(event: HistoryEvent, dossier: Dossier): string {
  switch (event.action) {
    case 'mark-overdue':
      return 'Quá hạn';
    case 'apologize':
      return dossier.apology === undefined ? 'Xin lỗi, gia hạn thời gian giải quyết' : `Xin lỗi, hẹn lại ngày ${formatVietnamDate(dossier.apology.newAppointmentAt)}`;
    case 'cancel-result':
      return 'Hủy kết quả bản điện tử';
    case 'erase-personal-data':
      return 'Xóa dữ liệu cá nhân khi hết thời hạn lưu giữ';
    default:
      break;
  }
  const label = NATIONAL_STATUS[event.to].label;
  const due = dossier.firstAppointmentAt ?? dossier.appointmentAt;
  if (event.to !== 'RESOLVED' || due === undefined) return label;
  // domain.md: on time = resolved at or before the first appointment; early = before its day.
  const timeliness = event.at > due ? 'quá hạn' : vietnamDate(event.at) < vietnamDate(due) ? 'trước hạn' : 'đúng hạn';
  return `${label}, ${timeliness}`;
}
