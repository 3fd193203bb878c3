import * as z from 'zod';
import { DOCUMENT_KINDS } from '../domain/archive';
import type { Dossier, DossierWithHistory, HistoryEvent, IssuedDocument } from '../domain/dossier';
import type { DocumentVerification, FileVerification, Verification } from '../use-cases/verify-documents';
import { maskName } from '../domain/formats';
import { handOverSummary, RESULT_RETURN_PLACES } from '../domain/handover';
import { ONLINE_LEVELS, type Procedure } from '../domain/procedure';
import { trackingUrl } from '../domain/notifications';
import { NOTHING_REQUESTED, type ChangeScope } from '../domain/requested-changes';
import { WardConfigSchema, type WardConfig } from '../domain/ward-config';
import { CONSOLE_ACTIONS, DOSSIER_STATUSES, NATIONAL_STATUS } from '../domain/status';
import { toVietnamIso } from '../domain/time';
import { KPI_INTERVALS, type KpiReport, type NationalIndicators, type Targets } from '../use-cases/kpi-report';
import type { CityFigures, CityReport } from '../use-cases/city-report';
import type { SyncStatusView as SyncStatusView_ } from '../use-cases/national-sync';
import type { OfficerDossier, ResultDraftProposal } from '../use-cases/officer-dossier';
import { LOGGED_READ_ROUTES, type AccessEntry, type SubjectExportRecord } from '../domain/personal-data';
import { exportedDocuments, type SubjectExport } from '../use-cases/personal-data';

/**
 * Response schemas (they document the API in /openapi.json) and the functions that build
 * each response from domain objects. Every instant is ISO 8601 with the +07:00 offset.
 */
const vnInstant = z.string().meta({ description: 'ISO 8601 instant in Vietnam time', example: '2026-01-05T17:00:00+07:00' });
const optionalInstant = (instant: Date | undefined) => (instant ? toVietnamIso(instant) : null);

export const ProcedureSummaryView = z.object({
  code: z.string(),
  version: z.number().int(),
  name: z.string(),
  field: z.string(),
  timeLimitDays: z.number().int().meta({ description: 'Working days; 0 = the same working day' }),
  feeVnd: z.number().int(),
  onlineLevel: z.enum(ONLINE_LEVELS),
  resultType: z.string(),
  personalDataRetentionYears: z
    .number()
    .int()
    .meta({ description: "Years the dossier's personal data is kept after it ends, then erased (the signed documents stay in the archive)" }),
});

export const ProcedureView = ProcedureSummaryView.extend({
  feeNote: z.string().nullable(),
  clockMode: z.string(),
  maxSupplementRequests: z.number().int(),
  worksOnHolidays: z.boolean(),
  documents: z.array(z.object({ id: z.string(), name: z.string(), form: z.string(), quantity: z.number().int(), required: z.boolean(), condition: z.string().nullable() })),
  formFields: z.array(
    z.object({ name: z.string(), label: z.string(), type: z.string(), required: z.boolean(), options: z.array(z.string()).nullable(), maxLength: z.number().int().nullable() }),
  ),
  legalBasis: z.array(z.string()),
  effectiveFrom: z.string(),
});

export const procedureSummary = (p: Procedure): z.infer<typeof ProcedureSummaryView> => ({
  code: p.code,
  version: p.version,
  name: p.name,
  field: p.field,
  timeLimitDays: p.timeLimitDays,
  feeVnd: p.feeVnd,
  onlineLevel: p.onlineLevel,
  resultType: p.resultType,
  personalDataRetentionYears: p.personalDataRetention.years,
});

export const procedureView = (p: Procedure): z.infer<typeof ProcedureView> => ({
  ...procedureSummary(p),
  feeNote: p.feeNote ?? null,
  clockMode: p.clockMode,
  maxSupplementRequests: p.maxSupplementRequests,
  worksOnHolidays: p.worksOnHolidays,
  documents: p.documents.map((d) => ({ id: d.id, name: d.name, form: d.form, quantity: d.quantity, required: d.required, condition: d.condition ?? null })),
  formFields: p.formFields.map((f) => ({
    name: f.name,
    label: f.label,
    type: f.type,
    required: f.required,
    options: f.options ?? null,
    maxLength: f.maxLength ?? null,
  })),
  legalBasis: p.legalBasis,
  effectiveFrom: p.effectiveFrom,
});

export const AppointmentPreviewView = z.object({
  procedureCode: z.string(),
  receivedAt: vnInstant,
  clockStartsAt: vnInstant.meta({ description: 'When the time limit starts counting (after the cut-off or on a day off: the next working day)' }),
  appointmentAt: vnInstant,
  timeLimitDays: z.number().int(),
});

const statusFields = {
  status: z.enum(DOSSIER_STATUSES),
  statusCode: z.number().int().min(1).max(10).meta({ description: "The national portal's status code" }),
  statusLabel: z.string(),
};

const statusOf = (dossier: Dossier) => ({
  status: dossier.status,
  statusCode: NATIONAL_STATUS[dossier.status].code,
  statusLabel: NATIONAL_STATUS[dossier.status].label,
});

/** Public tracking: nothing personal but the masked name. */
export const PublicStatusView = z.object({
  code: z.string(),
  ...statusFields,
  procedureCode: z.string(),
  procedureName: z.string(),
  submittedAt: vnInstant,
  receivedAt: vnInstant.nullable(),
  appointmentAt: vnInstant.nullable(),
  overdue: z.boolean(),
  applicantName: z.string().meta({ description: 'Masked, e.g. "Nguyễn T. H."' }),
});

export const publicStatusView = (dossier: Dossier): z.infer<typeof PublicStatusView> => ({
  code: dossier.code,
  ...statusOf(dossier),
  procedureCode: dossier.procedure.code,
  procedureName: dossier.procedure.name,
  submittedAt: toVietnamIso(dossier.submittedAt),
  receivedAt: optionalInstant(dossier.receivedAt),
  appointmentAt: optionalInstant(dossier.appointmentAt),
  overdue: dossier.overdue,
  applicantName: maskName(dossier.applicant.fullName),
});

const ChangeScopeView = z.object({
  fields: z.array(z.string()).meta({ description: "Form fields, by their name in the procedure's formFields" }),
  documents: z.array(z.string()).meta({ description: "Documents, by their id in the procedure's documents" }),
});

export const HistoryEventView = z.object({
  sequence: z.number().int(),
  at: vnInstant,
  role: z.string(),
  action: z.string(),
  from: z.enum(DOSSIER_STATUSES).nullable(),
  to: z.enum(DOSSIER_STATUSES),
  note: z.string().nullable(),
  requested: ChangeScopeView.nullable().meta({ description: 'A request to complete or supplement: what it lets the citizen change' }),
  changed: ChangeScopeView.nullable().meta({ description: 'A supplement: the form fields it changed and the documents it added files for (names only, no values)' }),
});

/** The citizen's full view (with the secret). Officer identities stay out of it: only their role. */
export const CitizenDossierView = z.object({
  code: z.string(),
  ...statusFields,
  procedure: z.object({ code: z.string(), version: z.number().int(), name: z.string(), timeLimitDays: z.number().int(), feeVnd: z.number().int() }),
  applicant: z.object({ fullName: z.string(), idNumber: z.string(), phone: z.string(), email: z.string().nullable(), address: z.string().nullable() }),
  channel: z.string(),
  fullyOnline: z.boolean(),
  formData: z.record(z.string(), z.unknown()),
  attachments: z.array(z.object({ uploadId: z.string(), documentId: z.string(), fileName: z.string(), contentType: z.string(), size: z.number().int() })),
  submittedAt: vnInstant,
  receivedAt: vnInstant.nullable(),
  appointmentAt: vnInstant.nullable(),
  overdue: z.boolean(),
  pending: z
    .object({
      kind: z.string(),
      items: z.array(z.string()),
      ...ChangeScopeView.shape,
      note: z.string().nullable(),
      amountVnd: z.number().int().nullable(),
      requestedAt: vnInstant,
    })
    .nullable()
    .meta({ description: 'What the dossier waits for from the citizen' }),
  result: z
    .object({
      outcome: z.enum(['APPROVED', 'REFUSED']),
      title: z.string(),
      documentNumber: z.string(),
      reason: z.string().nullable(),
      issuedAt: vnInstant,
      sha256: z.string(),
      cancelled: z.boolean(),
    })
    .nullable(),
  rating: z.object({ overall: z.string(), comment: z.string().nullable(), ratedAt: vnInstant }).nullable(),
  apology: z
    .object({ reason: z.string(), previousAppointmentAt: vnInstant, newAppointmentAt: vnInstant, issuedAt: vnInstant })
    .nullable()
    .meta({ description: 'The apology letter (form 04) and the new appointment it set' }),
  handOver: z
    .object({
      receivingWard: z.string(),
      competentWard: z.string(),
      resultReturn: z.enum(RESULT_RETURN_PLACES),
      requestedAt: vnInstant,
      acknowledgedAt: vnInstant.nullable(),
      summary: z.string().meta({ description: 'e.g. "Tiếp nhận tại hoan-kiem, đã chuyển đến cua-nam, xác nhận lúc …"' }),
    })
    .nullable()
    .meta({ description: "Received by one ward for another ward's procedure: the competent ward resolves it, both show it" }),
  history: z.array(HistoryEventView),
});

export const citizenDossierView = ({ dossier, history }: DossierWithHistory): z.infer<typeof CitizenDossierView> => ({
  code: dossier.code,
  ...statusOf(dossier),
  procedure: {
    code: dossier.procedure.code,
    version: dossier.procedure.version,
    name: dossier.procedure.name,
    timeLimitDays: dossier.procedure.timeLimitDays,
    feeVnd: dossier.procedure.feeVnd,
  },
  applicant: {
    fullName: dossier.applicant.fullName,
    idNumber: dossier.applicant.idNumber,
    phone: dossier.applicant.phone,
    email: dossier.applicant.email ?? null,
    address: dossier.applicant.address ?? null,
  },
  channel: dossier.channel,
  fullyOnline: dossier.fullyOnline,
  formData: { ...dossier.formData },
  attachments: dossier.attachments.map((a) => ({ ...a })),
  submittedAt: toVietnamIso(dossier.submittedAt),
  receivedAt: optionalInstant(dossier.receivedAt),
  appointmentAt: optionalInstant(dossier.appointmentAt),
  overdue: dossier.overdue,
  pending: dossier.pending
    ? {
        kind: dossier.pending.kind,
        items: [...dossier.pending.items],
        ...scopeView(dossier.pending.requested ?? NOTHING_REQUESTED),
        note: dossier.pending.note ?? null,
        amountVnd: dossier.pending.amountVnd ?? null,
        requestedAt: toVietnamIso(dossier.pending.requestedAt),
      }
    : null,
  result: dossier.result
    ? {
        outcome: dossier.result.outcome,
        title: dossier.result.title,
        documentNumber: dossier.result.documentNumber,
        reason: dossier.result.reason ?? null,
        issuedAt: toVietnamIso(dossier.result.issuedAt),
        sha256: dossier.result.sha256,
        cancelled: dossier.result.cancellation !== undefined,
      }
    : null,
  rating: dossier.rating ? { overall: dossier.rating.overall, comment: dossier.rating.comment ?? null, ratedAt: toVietnamIso(dossier.rating.ratedAt) } : null,
  apology: dossier.apology
    ? {
        reason: dossier.apology.reason,
        previousAppointmentAt: toVietnamIso(dossier.apology.previousAppointmentAt),
        newAppointmentAt: toVietnamIso(dossier.apology.newAppointmentAt),
        issuedAt: toVietnamIso(dossier.apology.issuedAt),
      }
    : null,
  handOver: dossier.handOver
    ? {
        receivingWard: dossier.handOver.receivingWard,
        competentWard: dossier.handOver.competentWard,
        resultReturn: dossier.handOver.resultReturn,
        requestedAt: toVietnamIso(dossier.handOver.requestedAt),
        acknowledgedAt: optionalInstant(dossier.handOver.acknowledgedAt),
        summary: handOverSummary(dossier.handOver, (slug) => slug).vi,
      }
    : null,
  history: history.map(historyEventView),
});

const historyEventView = (event: HistoryEvent): z.infer<typeof HistoryEventView> => ({
  sequence: event.sequence,
  at: toVietnamIso(event.at),
  role: event.actor.role,
  action: event.action,
  from: event.from ?? null,
  to: event.to,
  note: event.note ?? null,
  requested: event.requested ? scopeView(event.requested) : null,
  changed: event.changed ? scopeView(event.changed) : null,
});

const scopeView = (scope: ChangeScope): z.infer<typeof ChangeScopeView> => ({ fields: [...scope.fields], documents: [...scope.documents] });

export const DocumentView = z.object({
  id: z.string().meta({ example: 'result-v9' }),
  kind: z.enum(DOCUMENT_KINDS),
  title: z.string(),
  documentNumber: z.string(),
  issuedAt: vnInstant,
  signer: z.object({ name: z.string(), position: z.string() }),
  sha256: z.string(),
  sizeBytes: z.number().int(),
  signed: z.boolean().meta({ description: 'False only for e-copies issued before the ward signed its documents' }),
  cancelled: z.object({ at: vnInstant, reason: z.string() }).nullable(),
});

export const documentView = (document: IssuedDocument): z.infer<typeof DocumentView> => ({
  id: document.id,
  kind: document.kind,
  title: document.title,
  documentNumber: document.documentNumber,
  issuedAt: toVietnamIso(document.issuedAt),
  signer: { name: document.signer.name, position: document.signer.position },
  sha256: document.sha256,
  sizeBytes: document.sizeBytes,
  signed: document.signature !== undefined,
  cancelled: document.cancellation ? { at: toVietnamIso(document.cancellation.at), reason: document.cancellation.reason } : null,
});

/**
 * The result as the console edits it: the specialist's saved draft (`SAVED`, with who saved it
 * and when), or the procedure's result template filled from the dossier (`TEMPLATE`).
 */
export const ResultDraftView = z.object({
  source: z.enum(['SAVED', 'TEMPLATE']),
  title: z.string(),
  content: z.string(),
  documentNumber: z.string().nullable(),
  savedAt: vnInstant.nullable(),
  savedBy: z.object({ officerId: z.string(), name: z.string() }).nullable(),
});

export const resultDraftView = (draft: ResultDraftProposal): z.infer<typeof ResultDraftView> =>
  draft.source === 'SAVED'
    ? {
        source: 'SAVED',
        title: draft.title,
        content: draft.content,
        documentNumber: draft.documentNumber ?? null,
        savedAt: toVietnamIso(draft.savedAt),
        savedBy: { officerId: draft.savedBy.id, name: draft.savedBy.name },
      }
    : { source: 'TEMPLATE', title: draft.title, content: draft.content, documentNumber: null, savedAt: null, savedBy: null };

/** What officers see of a dossier: everything, with who did what. */
export const OfficerDossierView = CitizenDossierView.extend({
  version: z.number().int().meta({ description: 'Also the ETag; send it back in If-Match' }),
  fullyOnline: z.boolean(),
  firstAppointmentAt: vnInstant.nullable(),
  supplementRequests: z.number().int(),
  documentsReceived: z.array(z.string()),
  closingReason: z.string().nullable(),
  payment: z.object({ receiptNumber: z.string(), amountVnd: z.number().int().nullable(), paidAt: vnInstant }).nullable(),
  returnMethod: z.string().nullable(),
  history: z.array(HistoryEventView.extend({ officerId: z.string().nullable(), officerName: z.string().nullable() })),
  attachments: z
    .array(z.object({ uploadId: z.string(), documentId: z.string(), fileName: z.string(), contentType: z.string(), size: z.number().int() }))
    .meta({ description: 'The files of the dossier (uploaded online, or scanned at the counter); uploadId is the id of GET /officer/attachments/{id}' }),
  documents: z
    .array(DocumentView)
    .meta({ description: 'Every document the ward issued for it (forms 01–06, the e-result), oldest first; id for GET /officer/dossiers/{code}/documents/{id}' }),
  allowedActions: z.array(z.enum(CONSOLE_ACTIONS)).meta({
    description:
      "What the caller's roles may do now: transitions (POST …/transitions with that action), save-result-draft (POST …/result-draft), issue-apology (POST …/apology), cancel-result (POST …/result/cancel)",
  }),
  resultDraft: ResultDraftView.nullable().meta({
    description: "The result to approve: the saved draft, else (while IN_PROGRESS) the procedure's template filled from the dossier; null otherwise",
  }),
});

export const officerDossierView = ({ found, documents, allowedActions, resultDraft }: OfficerDossier): z.infer<typeof OfficerDossierView> => {
  const { dossier, history } = found;
  return {
    ...citizenDossierView(found),
    version: dossier.version,
    firstAppointmentAt: optionalInstant(dossier.firstAppointmentAt),
    supplementRequests: dossier.supplementRequests,
    documentsReceived: [...(dossier.documentsReceived ?? [])],
    closingReason: dossier.closingReason ?? null,
    payment: dossier.payment ? { receiptNumber: dossier.payment.receiptNumber, amountVnd: dossier.payment.amountVnd ?? null, paidAt: toVietnamIso(dossier.payment.paidAt) } : null,
    returnMethod: dossier.returnMethod ?? null,
    history: history.map((event) => ({ ...historyEventView(event), officerId: event.actor.id ?? null, officerName: event.actor.name ?? null })),
    documents: documents.map(documentView),
    allowedActions: [...allowedActions],
    resultDraft: resultDraft ? resultDraftView(resultDraft) : null,
  };
};

/** One line of an officer's worklist. */
export const WorklistItemView = z.object({
  code: z.string(),
  ...statusFields,
  procedureCode: z.string(),
  procedureName: z.string(),
  applicantName: z.string(),
  channel: z.string(),
  submittedAt: vnInstant,
  appointmentAt: vnInstant.nullable(),
  overdue: z.boolean(),
  version: z.number().int(),
});

export const worklistItemView = (dossier: Dossier): z.infer<typeof WorklistItemView> => ({
  code: dossier.code,
  ...statusOf(dossier),
  procedureCode: dossier.procedure.code,
  procedureName: dossier.procedure.name,
  applicantName: dossier.applicant.fullName,
  channel: dossier.channel,
  submittedAt: toVietnamIso(dossier.submittedAt),
  appointmentAt: optionalInstant(dossier.appointmentAt),
  overdue: dossier.overdue,
  version: dossier.version,
});

/** One line of the signed-in citizen's own dossiers (`GET /me/dossiers`). */
export const MyDossierItemView = z.object({
  code: z.string(),
  ...statusFields,
  procedureCode: z.string(),
  procedureName: z.string(),
  channel: z.string(),
  submittedAt: vnInstant,
  appointmentAt: vnInstant.nullable(),
  overdue: z.boolean(),
});

export const myDossierItemView = (dossier: Dossier): z.infer<typeof MyDossierItemView> => ({
  code: dossier.code,
  ...statusOf(dossier),
  procedureCode: dossier.procedure.code,
  procedureName: dossier.procedure.name,
  channel: dossier.channel,
  submittedAt: toVietnamIso(dossier.submittedAt),
  appointmentAt: optionalInstant(dossier.appointmentAt),
  overdue: dossier.overdue,
});

export const MyDossiersView = z.object({ items: z.array(MyDossierItemView), nextCursor: z.string().nullable() });

/** `GET /me/prefill`: the applicant block and the form values the citizen gave before ("khai một lần"). */
export const PrefillView = z.object({
  procedureCode: z.string(),
  applicant: z.object({
    idNumber: z.string(),
    fullName: z.string(),
    phone: z.string().optional(),
    email: z.string().optional(),
    address: z.string().optional(),
  }),
  formData: z.record(z.string(), z.unknown()),
  sources: z.record(z.string(), z.string()).meta({ description: 'The dossier code each form value comes from, by field name' }),
});

/** The receipt of a counter dossier (form 01, "giấy tiếp nhận hồ sơ và hẹn trả kết quả"). */
export const CounterReceiptView = z.object({
  code: z.string(),
  secret: z.string().meta({ description: "The dossier's secret, printed on the receipt for the citizen's online services" }),
  ...statusFields,
  receipt: z.object({
    form: z.literal('01'),
    ward: z.string(),
    procedureName: z.string(),
    applicantName: z.string(),
    documentsReceived: z.array(z.object({ id: z.string(), name: z.string(), form: z.string(), quantity: z.number().int() })),
    receivedAt: vnInstant,
    appointmentAt: vnInstant,
    receivedBy: z.string(),
    trackingUrl: z.string(),
    documentId: z.string().nullable().meta({
      description: 'The signed receipt (form 01) to print: GET /officer/dossiers/{code}/documents/{documentId} gives a link to its PDF',
      example: 'form-01-v1',
    }),
  }),
});

export const SubmissionResultView = z.object({
  code: z.string().meta({ example: '000.A0.01.H26-260105-0001' }),
  secret: z.string().meta({ description: "The dossier's secret: shown once (and to a retry with the same Idempotency-Key); keep it to open the dossier" }),
  ...statusFields,
  submittedAt: vnInstant,
  appointmentAt: vnInstant.nullable(),
  trackingUrl: z.string(),
});

export const UploadView = z.object({
  uploadId: z.uuid(),
  method: z.literal('POST'),
  url: z.string(),
  fields: z.record(z.string(), z.string()).meta({ description: 'Form fields to send, before the file field named "file"' }),
  expiresAt: vnInstant,
  maxBytes: z.number().int(),
});

export const WithdrawResultView = z.object({ code: z.string(), ...statusFields });

export const withdrawResultView = (dossier: Dossier): z.infer<typeof WithdrawResultView> => ({ code: dossier.code, ...statusOf(dossier) });

export const submissionResultView = (dossier: Dossier, secret: string, publicBaseUrl: string | undefined): z.infer<typeof SubmissionResultView> => ({
  code: dossier.code,
  secret,
  ...statusOf(dossier),
  submittedAt: toVietnamIso(dossier.submittedAt),
  appointmentAt: optionalInstant(dossier.appointmentAt),
  trackingUrl: trackingUrl(publicBaseUrl ?? '', dossier.code),
});

export const TransitionResultView = z.object({ code: z.string(), ...statusFields, version: z.number().int(), appointmentAt: vnInstant.nullable() });

export const transitionResultView = (dossier: Dossier): z.infer<typeof TransitionResultView> => ({
  code: dossier.code,
  ...statusOf(dossier),
  version: dossier.version,
  appointmentAt: optionalInstant(dossier.appointmentAt),
});

export const DownloadLinkView = z.object({ url: z.string(), expiresAt: vnInstant, sha256: z.string().optional() });

/** A register just issued (form 07): where to download it, and how anyone checks it. */
export const RegisterView = DownloadLinkView.extend({
  documentId: z.string(),
  documentNumber: z.string(),
  period: z.object({ from: z.iso.date(), to: z.iso.date() }),
  rows: z.number().int().meta({ description: 'Dossiers listed' }),
  verifyUrl: z.string().meta({ description: 'The verify page its QR code opens' }),
});

export const counterReceiptView = (
  { dossier, secret, procedure }: { dossier: Dossier; secret: string; procedure?: Procedure },
  ward: WardConfig,
  publicBaseUrl: string,
  receivedBy: string,
  receiptDocumentId?: string,
): z.infer<typeof CounterReceiptView> => ({
  code: dossier.code,
  secret,
  ...statusOf(dossier),
  receipt: {
    form: '01',
    ward: ward.name,
    procedureName: dossier.procedure.name,
    applicantName: dossier.applicant.fullName,
    documentsReceived: (dossier.documentsReceived ?? []).map((id) => {
      const document = procedure?.documents.find((d) => d.id === id);
      return { id, name: document?.name ?? id, form: document?.form ?? 'ORIGINAL_OR_COPY', quantity: document?.quantity ?? 1 };
    }),
    receivedAt: toVietnamIso(dossier.receivedAt ?? dossier.submittedAt),
    appointmentAt: toVietnamIso(dossier.appointmentAt ?? dossier.submittedAt),
    receivedBy,
    trackingUrl: trackingUrl(publicBaseUrl, dossier.code),
    documentId: receiptDocumentId ?? null,
  },
});

const shareValue = z.number().nullable().meta({ description: 'A share in [0, 1]; null when its denominator is 0 (nothing to measure in the range)' });

const IndicatorView = z.object({
  value: shareValue,
  target: z.number().nullable().meta({ description: "The ward's target, a share in [0, 1]; null where the city sets none" }),
  met: z.boolean().nullable().meta({ description: 'value ≥ target; null without a value or a target' }),
});

const ShareIndicatorView = IndicatorView.extend({ numerator: z.number().int(), denominator: z.number().int() });

const KpiIndicatorsView = z.object({
  onlineShare: ShareIndicatorView.meta({ description: 'Received online / received' }),
  fullyOnlineShare: ShareIndicatorView.meta({ description: 'Received fully online ("toàn trình") / received' }),
  onTimeShare: ShareIndicatorView.meta({ description: 'Resolved early or on time (against the first appointment) / resolved' }),
  eCopyShare: ShareIndicatorView.meta({ description: 'Resolved with an archived e-copy / resolved' }),
  satisfiedShare: ShareIndicatorView.meta({ description: 'Rated very satisfied or satisfied / ratings' }),
  nationalSatisfaction: IndicatorView.extend({ overdueShare: shareValue, complaintShare: shareValue }).meta({
    description: '100% − overdue% − complaint%: overdue% = resolved late / resolved, complaint% = rated dissatisfied / ratings; no target',
  }),
});

const NationalIndicatorView = IndicatorView.extend({
  formula: z.string().meta({ description: 'How value is computed, in the names of terms', example: 'paidOnline / paymentsRecorded' }),
  numerator: z.number().int(),
  denominator: z.number().int(),
  terms: z.record(z.string(), z.number().int()).meta({ description: 'Each name in the formula and its value over the range, for an auditor to recompute it' }),
});

const NationalIndicatorsView = z
  .object({
    openOverdueAtEnd: z.number().int().meta({ description: 'Dossiers marked overdue and still open at the end of the range (at asOf for a range ending today or later)' }),
    onTimeShare: NationalIndicatorView.meta({
      description:
        'Resolved by the first appointment, never overdue, after at most one supplement request / (resolved + open overdue at the end); target: the city’s on-time target',
    }),
    lateShare: NationalIndicatorView.meta({ description: '1 − onTimeShare' }),
    complaintShare: NationalIndicatorView.meta({ description: 'Complaints (dissatisfied ratings) / (resolved + open overdue at the end)' }),
    satisfaction: NationalIndicatorView.meta({ description: '100% − lateShare − complaintShare; no target' }),
    syncedShare: NationalIndicatorView.meta({ description: 'Received dossiers acknowledged by the national portal (by receipt day) / received; no target' }),
    eResultShare: NationalIndicatorView.meta({ description: 'Resolutions with an archived e-result or refusal notice / resolved; target: the city’s e-copy target' }),
    paidOnlineShare: NationalIndicatorView.meta({ description: 'Payments made online / payments recorded; no target' }),
  })
  .meta({ description: "Decision 766/QĐ-TTg's figures, each with its formula and terms (docs/national-indicators.md)" });

const KpiCountsView = z.object({
  submitted: z.number().int(),
  received: z.number().int(),
  notReceived: z.number().int(),
  resolved: z.number().int(),
  early: z.number().int(),
  onTime: z.number().int(),
  late: z.number().int(),
  returned: z.number().int(),
  stopped: z.number().int(),
  ratings: z.number().int(),
});

/** The ward's KPIs for a date range (`GET /officer/kpis`), against the targets of its configuration. */
export const KpiReportView = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  days: z.number().int(),
  asOf: vnInstant.meta({ description: 'When the report was made; openOverdue is counted at this instant' }),
  indicators: KpiIndicatorsView,
  counts: KpiCountsView.extend({
    openOverdue: z.number().int().meta({ description: 'Open dossiers marked overdue (their appointment passed) at asOf (a snapshot, not a count over the range)' }),
  }),
  national: NationalIndicatorsView,
  counters: z.record(z.string(), z.number().int()).meta({ description: 'Every daily counter summed over the range' }),
  interval: z.enum(KPI_INTERVALS),
  series: z
    .array(
      z.object({
        period: z.string().meta({ description: 'YYYY-MM-DD (day), YYYY-Www (ISO week, Monday to Sunday) or YYYY-MM (month)', example: '2026-W02' }),
        from: z.iso.date().meta({ description: "The step's first day within the range" }),
        to: z.iso.date().meta({ description: "The step's last day within the range" }),
        indicators: KpiIndicatorsView,
        counts: KpiCountsView,
        national: NationalIndicatorsView,
      }),
    )
    .meta({ description: 'The indicators step by step over the range (every step, an empty one with null values), with the same targets: for charts' }),
});

export const kpiReportView = (report: KpiReport): z.infer<typeof KpiReportView> => ({
  ...report,
  asOf: toVietnamIso(report.asOf),
  indicators: { ...report.indicators },
  counts: { ...report.counts },
  national: nationalView(report.national),
  counters: { ...report.counters },
  series: report.series.map((point) => ({ ...point, indicators: { ...point.indicators }, counts: { ...point.counts }, national: nationalView(point.national) })),
});

const nationalView = (national: NationalIndicators): z.infer<typeof NationalIndicatorsView> => ({ ...national });

const TargetsView = z.object(
  Object.fromEntries(WardConfigSchema.shape.targets.keyof().options.map((name) => [name, z.number().nullable()])) as Record<keyof Targets, z.ZodNullable<z.ZodNumber>>,
);

const CityFiguresView = z.object({
  indicators: KpiIndicatorsView,
  counts: KpiCountsView,
  national: NationalIndicatorsView,
  counters: z.record(z.string(), z.number().int()).meta({ description: 'Every daily counter summed over the range' }),
});

/** The city's report (the city report function, `npm run city-report`): every ward's counters summed, and each ward's figures. */
export const CityReportView = CityFiguresView.extend({
  from: z.iso.date(),
  to: z.iso.date(),
  days: z.number().int(),
  asOf: vnInstant,
  targets: TargetsView.meta({ description: 'The targets every ward shares; null for one the wards set differently' }),
  wards: z.array(CityFiguresView.extend({ slug: z.string(), name: z.string(), targets: TargetsView })),
});

const figuresView = (figures: CityFigures): z.infer<typeof CityFiguresView> => ({
  indicators: { ...figures.indicators },
  counts: { ...figures.counts },
  national: nationalView(figures.national),
  counters: { ...figures.counters },
});

export const cityReportView = (report: CityReport): z.infer<typeof CityReportView> => ({
  ...figuresView(report),
  from: report.from,
  to: report.to,
  days: report.days,
  asOf: toVietnamIso(report.asOf),
  targets: { ...report.targets },
  wards: report.wards.map((ward) => ({ ...figuresView(ward), slug: ward.slug, name: ward.name, targets: { ...ward.targets } })),
});

// ---------------------------------------------------------------------------------------------
// Documents and their verification

const SignatureInfoView = z.object({
  algorithm: z.string(),
  keyId: z.string(),
  certificateSha256: z.string(),
  certificateSubject: z.string(),
  authority: z.enum(['CONFIGURED_CA', 'SELF_ISSUED', 'LOCAL_TEST_CA']).meta({
    description: "CONFIGURED_CA: a certificate from the ward's CA; SELF_ISSUED: the ward certifies its own key (no CA yet); LOCAL_TEST_CA: local mode",
  }),
});

export const DocumentListView = z.object({ code: z.string(), items: z.array(DocumentView) });

const DocumentVerificationView = z.object({
  id: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  title: z.string(),
  documentNumber: z.string(),
  issuedAt: vnInstant,
  signer: z.object({ name: z.string(), position: z.string() }),
  sha256: z.string().meta({ description: 'The SHA-256 the ward recorded when it archived the file' }),
  archivedIntact: z.boolean(),
  signature: z.object({
    present: z.boolean(),
    valid: z.boolean(),
    chainValid: z.boolean(),
    signedAt: vnInstant.nullable(),
    info: SignatureInfoView.nullable(),
  }),
  state: z.enum(['VALID', 'CANCELLED', 'INVALID']),
  cancellation: z.object({ at: vnInstant, reason: z.string() }).nullable(),
});

const documentVerificationView = (verification: DocumentVerification): z.infer<typeof DocumentVerificationView> => ({
  id: verification.id,
  kind: verification.kind,
  title: verification.title,
  documentNumber: verification.documentNumber,
  issuedAt: toVietnamIso(verification.issuedAt),
  signer: { ...verification.signer },
  sha256: verification.sha256,
  archivedIntact: verification.archivedIntact,
  signature: {
    present: verification.signature.present,
    valid: verification.signature.valid,
    chainValid: verification.signature.chainValid,
    signedAt: optionalInstant(verification.signature.signedAt),
    info: verification.signature.info ? { ...verification.signature.info } : null,
  },
  state: verification.state,
  cancellation: verification.cancellation ? { at: toVietnamIso(verification.cancellation.at), reason: verification.cancellation.reason } : null,
});

export const VerificationView = z.object({
  ward: z.object({ name: z.string(), province: z.string(), agencyCode: z.string() }),
  dossierCode: z.string().nullable().meta({ description: 'The dossier whose documents these are; null for a register' }),
  procedure: z.object({ code: z.string(), name: z.string() }).nullable(),
  register: z
    .object({ documentId: z.string(), period: z.object({ from: z.iso.date(), to: z.iso.date() }) })
    .nullable()
    .meta({ description: 'A register of a period (form 07), which belongs to no dossier' }),
  documents: z.array(DocumentVerificationView),
});

export const verificationView = (verification: Verification): z.infer<typeof VerificationView> => ({
  ward: { ...verification.ward },
  dossierCode: verification.dossier?.code ?? null,
  procedure: verification.dossier ? { ...verification.dossier.procedure } : null,
  register: verification.register ? { documentId: verification.register.documentId, period: { ...verification.register.period } } : null,
  documents: verification.documents.map(documentVerificationView),
});

export const FileVerificationView = z.object({
  issued: z.boolean().meta({ description: 'These exact bytes are a document the ward issued' }),
  dossierCode: z.string().nullable(),
  document: DocumentVerificationView.nullable(),
  signature: z
    .object({ present: z.boolean(), valid: z.boolean(), signedAt: vnInstant.nullable(), signerSubject: z.string().nullable() })
    .nullable()
    .meta({ description: 'For a file the ward did not issue: what its own signature says' }),
});

export const fileVerificationView = (verification: FileVerification): z.infer<typeof FileVerificationView> =>
  verification.issued
    ? { issued: true, dossierCode: verification.dossierCode ?? null, document: documentVerificationView(verification.document), signature: null }
    : {
        issued: false,
        dossierCode: null,
        document: null,
        signature: {
          present: verification.signature.present,
          valid: verification.signature.valid,
          signedAt: optionalInstant(verification.signature.signedAt),
          signerSubject: verification.signature.signerSubject ?? null,
        },
      };

export const SigningKeyView = z.object({
  keyId: z.string(),
  algorithm: z.literal('ECDSA_SHA_256'),
  publicKeyPem: z.string(),
  certificateChainPem: z.string().meta({ description: "The ward's certificate first, then its issuers" }),
  certificateSha256: z.string(),
  authority: z.enum(['CONFIGURED_CA', 'SELF_ISSUED', 'LOCAL_TEST_CA']),
});

/** A dossier of the national sync's backlog: changes not delivered since a failed attempt. */
const SyncBacklogEntryView = z.object({
  dossierCode: z.string(),
  unsent: z.number().int().meta({ description: 'Changes of the dossier waiting, at the last attempt' }),
  attempts: z.number().int().meta({ description: 'Failed attempts of the retry schedule' }),
  since: vnInstant,
  nextAttemptAt: vnInstant.nullable().meta({ description: 'The next scheduled attempt; null once dead-lettered (the next change of the dossier tries again)' }),
  lastError: z.string(),
  deadLettered: z.boolean(),
});

/** `GET /officer/sync-status`: where the ward's sync with the national portal stands. */
export const SyncStatusView = z.object({
  recordsSent: z.number().int().meta({ description: 'Change records the endpoint accepted, since the ward started' }),
  failures: z.number().int().meta({ description: 'Failed delivery attempts, since the ward started' }),
  lastSynced: z.object({ at: vnInstant, dossierCode: z.string(), sequence: z.number().int() }).nullable(),
  lastError: z.object({ at: vnInstant, dossierCode: z.string(), message: z.string() }).nullable(),
  backlog: z.object({
    dossiers: z.number().int(),
    changes: z.number().int().meta({ description: 'Changes waiting, dead-lettered ones included (the SyncBacklog metric)' }),
    deadLettered: z.number().int(),
    entries: z.array(SyncBacklogEntryView).meta({ description: 'The waiting dossiers, oldest first (at most 100)' }),
  }),
});

export const syncStatusView = ({ status, backlog }: SyncStatusView_): z.infer<typeof SyncStatusView> => ({
  recordsSent: status.recordsSent,
  failures: status.failures,
  lastSynced: status.lastSynced ? { at: toVietnamIso(status.lastSynced.at), dossierCode: status.lastSynced.dossierCode, sequence: status.lastSynced.sequence } : null,
  lastError: status.lastError ? { at: toVietnamIso(status.lastError.at), dossierCode: status.lastError.dossierCode, message: status.lastError.message } : null,
  backlog: {
    dossiers: backlog.length,
    changes: backlog.reduce((sum, entry) => sum + entry.unsent, 0),
    deadLettered: backlog.filter((entry) => entry.deadLettered).length,
    entries: backlog.map((entry) => ({
      dossierCode: entry.dossierCode,
      unsent: entry.unsent,
      attempts: entry.attempts,
      since: toVietnamIso(entry.since),
      nextAttemptAt: entry.deadLettered ? null : toVietnamIso(entry.nextAttemptAt),
      lastError: entry.lastError,
      deadLettered: entry.deadLettered,
    })),
  },
});

/** One officer's read of a dossier, from its access log. */
export const AccessEntryView = z.object({
  dossierCode: z.string(),
  at: vnInstant,
  officerId: z.string().meta({ description: "The officer's user pool sub" }),
  officerName: z.string(),
  route: z.enum(LOGGED_READ_ROUTES).meta({ description: 'The route of the read (its id in the route table)' }),
  item: z.string().nullable().meta({ description: 'The document or attachment id read, when the route reads one' }),
  exportId: z.string().nullable().meta({ description: 'The data-subject export the read was part of' }),
});

export const accessEntryView = (entry: AccessEntry): z.infer<typeof AccessEntryView> => ({
  dossierCode: entry.dossierCode,
  at: toVietnamIso(entry.at),
  officerId: entry.officer.id,
  officerName: entry.officer.name,
  route: entry.route,
  item: entry.item ?? null,
  exportId: entry.exportId ?? null,
});

export const AccessLogView = z.object({ code: z.string(), items: z.array(AccessEntryView), nextCursor: z.string().nullable() });

/** The record of a data-subject export: who, when, why, which ID number (its HMAC) and which dossiers. */
export const SubjectExportRecordView = z.object({
  id: z.string(),
  at: vnInstant,
  officerId: z.string(),
  officerName: z.string(),
  reason: z.string(),
  applicantKey: z.string().meta({ description: "The ward's HMAC of the ID number (the byApplicant index key); the number itself is not kept" }),
  dossierCodes: z.array(z.string()),
});

export const subjectExportRecordView = (record: SubjectExportRecord): z.infer<typeof SubjectExportRecordView> => ({
  id: record.id,
  at: toVietnamIso(record.at),
  officerId: record.officer.id,
  officerName: record.officer.name,
  reason: record.reason,
  applicantKey: record.applicantKey,
  dossierCodes: [...record.dossierCodes],
});

export const SubjectExportListView = z.object({ items: z.array(SubjectExportRecordView), nextCursor: z.string().nullable() });

/** What the ward's table does not hold per person, and so what an export cannot list (said in every export). */
export const NOT_IN_EXPORT = [
  'The signed documents themselves: each is listed with its number and SHA-256 and stays in the archive under its own retention (GET /officer/dossiers/{code}/documents/{id} gives a link).',
  'The attachments\u2019 files: each is listed with its id (GET /officer/attachments/{id} gives a link).',
  'SMS and e-mail delivery records: kept at most 92 days, keyed by event and by a hash of the phone, and holding no message text.',
] as const;

export const SubjectExportView = z.object({
  exportId: z.string(),
  exportedAt: vnInstant,
  exportedBy: z.object({ id: z.string(), name: z.string() }),
  reason: z.string(),
  ward: z.object({ slug: z.string(), name: z.string() }),
  subject: z.object({ idNumber: z.string(), applicantKey: z.string() }),
  dossiers: z.array(
    CitizenDossierView.extend({
      closingReason: z.string().nullable(),
      personalDataErasedAt: vnInstant.nullable(),
      documents: z.array(DocumentView),
      accessLog: z.array(AccessEntryView).meta({ description: "Every officer read of the dossier recorded so far, newest first (this export's own reads included)" }),
    }),
  ),
  notIncluded: z.array(z.string()),
});

export const subjectExportView = (exported: SubjectExport, ward: { slug: string; name: string }): z.infer<typeof SubjectExportView> => ({
  exportId: exported.record.id,
  exportedAt: toVietnamIso(exported.record.at),
  exportedBy: { ...exported.record.officer },
  reason: exported.record.reason,
  ward: { slug: ward.slug, name: ward.name },
  subject: { idNumber: exported.idNumber, applicantKey: exported.record.applicantKey },
  dossiers: exported.dossiers.map((dossier) => ({
    ...citizenDossierView(dossier.found),
    closingReason: dossier.found.dossier.closingReason ?? null,
    personalDataErasedAt: optionalInstant(dossier.found.dossier.personalDataErasedAt),
    documents: exportedDocuments(dossier).map(documentView),
    // This export's own read first: it was recorded with the export, after the log was read.
    accessLog: [
      {
        dossierCode: dossier.found.dossier.code,
        at: exported.record.at,
        officer: exported.record.officer,
        route: 'CreateDataSubjectExport' as const,
        exportId: exported.record.id,
      },
      ...dossier.accessLog,
    ].map(accessEntryView),
  })),
  notIncluded: [...NOT_IN_EXPORT],
});
