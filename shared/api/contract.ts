import * as z from 'zod';
import { IdNumberSchema, IdempotencyKeySchema, OnlineSubmissionSchema, SubmissionSchema, UPLOAD_LIMITS, messageKey, text } from '../domain/dossier';
import { ONLINE_LEVELS, PROCEDURE_FIELDS } from '../domain/procedure';
import { ApologySchema, OfficerActionSchema, RatingSchema, ResultContentSchema, SupplementSchema } from '../domain/actions';
import { WORKLIST_DUE } from '../use-cases/list-dossiers';
import { KPI_INTERVALS } from '../use-cases/kpi-report';
import { DOSSIER_STATUSES } from '../domain/status';
import { calendarDate, calendarInstant } from '../domain/calendar-dates';
import { DOCUMENT_ID_PATTERN } from '../domain/archive';
import type { ProblemCode } from '../domain/errors';
import {
  AccessLogView,
  SubjectExportListView,
  SubjectExportView,
  AppointmentPreviewView,
  CitizenDossierView,
  CounterReceiptView,
  DocumentListView,
  VerificationView,
  DownloadLinkView,
  FileVerificationView,
  SigningKeyView,
  KpiReportView,
  SyncStatusView,
  MyDossiersView,
  PrefillView,
  RegisterView,
  OfficerDossierView,
  ResultDraftView,
  TransitionResultView,
  WorklistItemView,
  ProcedureSummaryView,
  ProcedureView,
  PublicStatusView,
  SubmissionResultView,
  UploadView,
  WithdrawResultView,
} from './views';

/**
 * Request and response schemas of every route, by route id (see shared/runtime/routes.ts).
 * Handlers validate with these; /openapi.json is generated from the same objects.
 */
/** `"3"`, `W/"3"` or `3`: the dossier version the officer saw. */
const IF_MATCH = /^(?:W\/)?"?(\d{1,9})"?$/;
const IfMatchSchema = z
  .string()
  .transform((value, ctx) => {
    const match = IF_MATCH.exec(value.trim());
    if (!match) {
      ctx.addIssue({ code: 'custom', message: messageKey('IF_MATCH_INVALID') });
      return z.NEVER;
    }
    return Number(match[1]);
  })
  .meta({ description: "The dossier's ETag as last read", example: '"3"', pattern: `^\\s*${IF_MATCH.source.slice(1, -1)}\\s*$` });

/** A counter dossier: what reception types in, plus the documents it holds on paper. */
const CounterSubmissionSchema = SubmissionSchema.omit({ fullyOnline: true }).extend({
  documentsReceived: z
    .array(z.string().regex(/^[a-z0-9-]{2,40}$/))
    .max(30)
    .default([]),
});

const ProcedureCodeParams = z.object({ procedureCode: z.string().min(1).max(40) });
const DossierCodeParams = z.object({ code: z.string().min(1).max(64) });
const DocumentParams = DossierCodeParams.extend({ id: z.string().regex(DOCUMENT_ID_PATTERN) });
const SecretHeaders = z.object({
  'x-dossier-secret': z.string().max(64).optional().meta({ description: "The dossier's secret, given once at submission" }),
});

/** Response headers a route sets on its successful responses (documented, and checked against the handlers by tests). */
export type ResponseHeader = 'ETag' | 'Location';

/**
 * What /openapi.json says of a route beyond its schemas. `errors`: the problem codes its use case
 * may answer that its shape does not imply (shared/api/openapi.ts derives the rest: validation
 * from its schemas, 404 from path parameters, 401/403 from its auth, 503 from its AWS access…).
 */
export interface RouteContract {
  readonly summary: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly headers?: z.ZodType;
  readonly body?: z.ZodType;
  /** A body taken as it is (a file), not JSON. */
  readonly binaryBody?: { readonly contentTypes: readonly string[]; readonly maxBytes: number };
  readonly errors?: readonly ProblemCode[];
  readonly responseHeaders?: readonly ResponseHeader[];
  readonly responses: Readonly<Record<number, z.ZodType>>;
}

/** `POST /verify`: the PDF itself. 4 MiB: API Gateway hands a PDF over as base64 (a third larger), and a Lambda request is capped at 6 MB. */
const VERIFY_DOCUMENT_BODY = { contentTypes: ['application/pdf'], maxBytes: 4 * 1024 * 1024 } as const;

export const contract = {
  ListProcedures: {
    summary: 'The published procedure catalog',
    query: z.object({ field: z.enum(PROCEDURE_FIELDS).optional(), onlineLevel: z.enum(ONLINE_LEVELS).optional() }),
    responses: { 200: z.object({ items: z.array(ProcedureSummaryView), count: z.number().int() }) },
  },
  GetProcedure: {
    summary: 'One procedure: documents, time limit, fee, online level',
    params: ProcedureCodeParams,
    responses: { 200: ProcedureView },
  },
  PreviewAppointment: {
    summary: 'The appointment date a dossier received at `at` (default: now) would get',
    params: ProcedureCodeParams,
    query: z.object({
      at: calendarInstant().optional().meta({ example: '2026-01-05T09:30:00+07:00' }),
    }),
    errors: ['DATE_OUT_OF_RANGE'],
    responses: { 200: AppointmentPreviewView },
  },
  CreateUpload: {
    summary: 'A short-lived presigned upload for one attachment (PDF, JPEG or PNG, at most 10 MB)',
    body: z
      .object({
        fileName: text(1, 200),
        contentType: z.enum(UPLOAD_LIMITS.contentTypes, { error: messageKey('CONTENT_TYPE_NOT_ALLOWED') }),
        size: z
          .number()
          .int()
          .min(1)
          .max(UPLOAD_LIMITS.maxBytes, { error: messageKey('FILE_TOO_LARGE') }),
      })
      .strict(),
    errors: ['RATE_LIMITED'],
    responses: { 201: UploadView },
  },
  SubmitDossier: {
    summary: "Submit a dossier online, signed in (the citizen's ID token as Authorization: Bearer; requires an Idempotency-Key header)",
    headers: z.object({ 'idempotency-key': IdempotencyKeySchema.meta({ description: 'A unique key per submission (e.g. a UUID); retries reuse it' }) }),
    body: OnlineSubmissionSchema,
    errors: ['UNKNOWN_PROCEDURE', 'MISSING_DOCUMENTS', 'RATE_LIMITED', 'SIGN_IN_REQUIRED', 'SIGN_IN_INVALID', 'APPLICANT_NOT_SIGNED_IN_PERSON', 'AGENCY_CODE_UNCONFIRMED'],
    responseHeaders: ['Location'],
    responses: { 201: SubmissionResultView, 200: SubmissionResultView },
  },
  GetDossierStatus: {
    summary: 'Public tracking by code: status, dates, masked name',
    params: DossierCodeParams,
    responses: { 200: PublicStatusView },
  },
  GetDossier: {
    summary: "The citizen's full view of a dossier (X-Dossier-Secret header)",
    params: DossierCodeParams,
    headers: SecretHeaders,
    responseHeaders: ['ETag'],
    responses: { 200: CitizenDossierView },
  },
  WithdrawDossier: {
    summary: 'Withdraw a dossier (X-Dossier-Secret header)',
    params: DossierCodeParams,
    headers: SecretHeaders,
    body: z
      .object({ reason: text(1, 500).optional() })
      .strict()
      .optional(),
    errors: ['INVALID_TRANSITION', 'VERSION_CONFLICT'],
    responses: { 200: WithdrawResultView },
  },
  SupplementDossier: {
    summary: 'Send what was requested (X-Dossier-Secret header): files, corrections, a note',
    params: DossierCodeParams,
    headers: SecretHeaders,
    body: SupplementSchema,
    errors: ['INVALID_TRANSITION', 'CHANGE_NOT_REQUESTED', 'VERSION_CONFLICT'],
    responses: { 200: WithdrawResultView },
  },
  GetResultLink: {
    summary: 'A short-lived link to the e-result PDF (X-Dossier-Secret header)',
    params: DossierCodeParams,
    headers: SecretHeaders,
    errors: ['NOT_RESOLVED'],
    responses: { 200: DownloadLinkView },
  },
  RateDossier: {
    summary: 'Rate the service once, after the dossier is resolved (X-Dossier-Secret header)',
    params: DossierCodeParams,
    headers: SecretHeaders,
    body: RatingSchema,
    errors: ['NOT_RESOLVED', 'ALREADY_RATED', 'VERSION_CONFLICT'],
    responses: { 201: WithdrawResultView },
  },
  ListDossierDocuments: {
    summary: "The dossier's issued documents: e-result, forms 01–06 (X-Dossier-Secret header)",
    params: DossierCodeParams,
    headers: SecretHeaders,
    responses: { 200: DocumentListView },
  },
  GetDossierDocumentLink: {
    summary: "A short-lived link to one of the dossier's documents (X-Dossier-Secret header)",
    params: DocumentParams,
    headers: SecretHeaders,
    responses: { 200: DownloadLinkView },
  },
  GetVerification: {
    summary: 'Public verification of every document of a dossier, or of a register by its id (HTML for a browser, JSON when asked with Accept: application/json)',
    params: DossierCodeParams,
    query: z.object({ format: z.enum(['html', 'json']).optional(), lang: z.enum(['vi', 'en']).optional() }),
    responses: { 200: VerificationView },
  },
  VerifyDocument: {
    summary: 'Whether this exact PDF (the request body, Content-Type: application/pdf, at most 4 MiB) was issued by the ward, by whom, and whether it is cancelled',
    binaryBody: VERIFY_DOCUMENT_BODY,
    responses: { 200: FileVerificationView },
  },
  GetSigningKey: {
    summary: "The ward's public signing key (PEM) and certificate chain, for offline verification",
    responses: { 200: SigningKeyView },
  },
  GetOpenApi: {
    summary: 'This document',
    responses: { 200: z.record(z.string(), z.unknown()) },
  },
  CreateCounterDossier: {
    summary: 'A dossier taken at the counter, received at once (reception)',
    headers: z.object({ 'idempotency-key': IdempotencyKeySchema.meta({ description: 'A unique key per dossier (e.g. a UUID); retries reuse it' }) }),
    body: CounterSubmissionSchema,
    errors: ['UNKNOWN_PROCEDURE', 'MISSING_DOCUMENTS', 'VERSION_CONFLICT', 'AGENCY_CODE_UNCONFIRMED'],
    responseHeaders: ['Location'],
    responses: { 201: CounterReceiptView, 200: CounterReceiptView },
  },
  ListMyDossiers: {
    summary: "The signed-in citizen's own dossiers, newest first, one page per call (the citizen's ID token as Authorization: Bearer)",
    query: z.object({
      limit: z.coerce.number().int().min(1).max(50).default(20),
      cursor: z.string().max(2000).optional().meta({ description: 'nextCursor of the previous page' }),
    }),
    responses: { 200: MyDossiersView },
  },
  GetPrefill: {
    summary: "Declared once: the applicant block and the form values the signed-in citizen gave in earlier dossiers, for a procedure's form",
    query: z.object({ procedureCode: z.string().regex(/^[0-9A-Za-z.]{1,40}$/) }),
    responses: { 200: PrefillView },
  },
  ListDossiers: {
    summary:
      'The worklist: by status, due today or this week, due before a time, or overdue, in appointment order; or a search (q) by dossier code, personal ID number or applicant name. One page per call, each one DynamoDB request',
    query: z.object({
      status: z.enum(DOSSIER_STATUSES).optional(),
      due: z.enum(WORKLIST_DUE).optional().meta({
        description:
          'today: the appointment is today (Vietnam time); week: from today to Sunday of this week. Overdue dossiers (appointment before today) are not in either: overdue=true lists them',
      }),
      dueBefore: calendarInstant().optional(),
      overdue: z.enum(['true', 'false']).optional(),
      q: text(2, 100).optional().meta({
        description:
          'A search, alone (no other filter): a dossier code (exact), a 12-digit personal ID number (that applicant\'s dossiers, newest first), or the start of the applicant\'s full name as written, family name first, without regard to case or diacritics ("nguyen thi h"; in name order)',
        example: 'nguyen thi h',
      }),
      limit: z.coerce.number().int().min(1).max(100).default(25),
      cursor: z.string().max(2000).optional().meta({ description: 'nextCursor of the previous page' }),
    }),
    responses: { 200: z.object({ items: z.array(WorklistItemView), nextCursor: z.string().nullable() }) },
  },
  GetOfficerDossier: {
    summary:
      "Everything about a dossier: its history, attachments, documents, the actions the caller's roles may take now, and the result draft (saved, or the procedure's template filled in); ETag for If-Match",
    params: DossierCodeParams,
    responseHeaders: ['ETag'],
    responses: { 200: OfficerDossierView },
  },
  TransitionDossier: {
    summary: 'One action on a dossier; If-Match with its ETag guards against a concurrent change',
    params: DossierCodeParams,
    headers: z.object({ 'if-match': IfMatchSchema.optional() }),
    body: OfficerActionSchema,
    errors: ['INVALID_TRANSITION', 'SUPPLEMENT_LIMIT_REACHED', 'NO_RESULT_DRAFT', 'DOSSIER_HANDED_OVER'],
    responseHeaders: ['ETag'],
    responses: { 200: TransitionResultView },
  },
  SaveResultDraft: {
    summary:
      "The specialist saves the result's wording on a dossier being processed (IN_PROGRESS): no status change, recorded in the history; the leader's approve issues it when its body has no result",
    params: DossierCodeParams,
    headers: z.object({ 'if-match': IfMatchSchema.optional() }),
    body: ResultContentSchema,
    errors: ['INVALID_TRANSITION'],
    responseHeaders: ['ETag'],
    responses: { 200: TransitionResultView.extend({ resultDraft: ResultDraftView }) },
  },
  IssueApology: {
    summary: 'The apology letter (form 04) with a new appointment, before or after the due date; once per dossier (leader)',
    params: DossierCodeParams,
    headers: z.object({ 'if-match': IfMatchSchema.optional() }),
    body: ApologySchema,
    errors: ['INVALID_TRANSITION', 'APOLOGY_ALREADY_ISSUED', 'DATE_OUT_OF_RANGE'],
    responseHeaders: ['ETag'],
    responses: {
      200: TransitionResultView.extend({
        overdue: z.boolean().meta({ description: 'Stays true: the dossier counts as late in every statistic' }),
        firstAppointmentAt: z.string().nullable().meta({ description: 'The appointment set at receipt, in Vietnam time: on-time statistics count against it' }),
        clockGeneration: z.number().int(),
        apology: z
          .object({ reason: z.string(), previousAppointmentAt: z.string(), newAppointmentAt: z.string(), issuedAt: z.string(), issuedBy: z.string() })
          .meta({ description: 'Instants in Vietnam time (ISO 8601, +07:00)' }),
      }),
    },
  },
  CancelResult: {
    summary: 'Cancel the issued e-result (leader, reason required): it stays archived, marked cancelled, with a signed cancellation record',
    params: DossierCodeParams,
    headers: z.object({ 'if-match': IfMatchSchema.optional() }),
    body: z.object({ reason: text(3, 2000) }).strict(),
    errors: ['NO_RESULT', 'RESULT_ALREADY_CANCELLED'],
    responseHeaders: ['ETag'],
    responses: { 200: TransitionResultView },
  },
  ListOfficerDocuments: {
    summary: "The dossier's documents, the processing control sheet (form 06, issued when the result is returned) included",
    params: DossierCodeParams,
    responses: { 200: DocumentListView },
  },
  GetOfficerDocumentLink: {
    summary: "A short-lived link to one of the dossier's documents",
    params: DocumentParams,
    responses: { 200: DownloadLinkView },
  },
  GetAttachmentLink: {
    summary: "A short-lived link to a citizen's attachment",
    params: z.object({ id: z.uuid() }),
    responses: { 200: DownloadLinkView },
  },
  GetRegister: {
    summary:
      'Form 07, the register of the dossiers received in a period (at most 31 days, ending today at the latest): format=pdf (the default) issues it signed and archived and answers a short-lived link to it; format=csv answers the same rows as CSV (UTF-8, text/csv)',
    query: z.object({
      from: calendarDate(),
      to: calendarDate(),
      format: z.enum(['pdf', 'csv']).default('pdf'),
    }),
    errors: ['DATE_OUT_OF_RANGE', 'VERSION_CONFLICT'],
    responses: { 200: RegisterView },
  },
  CreateDataSubjectExport: {
    summary:
      "Everything the ward's table holds about one personal ID number (the data subject's request, Law 91/2025/QH15): the dossiers, their histories, attachments, documents, ratings and access logs, as JSON to download; the export is recorded (who, when, why, the ID number's HMAC) with a read in each dossier's access log (leader)",
    body: z
      .object({
        idNumber: IdNumberSchema,
        reason: text(10, 500).meta({
          description: "Why: the data subject's request (its date and how it was received), an inspection…",
          example: 'Yêu cầu của chủ thể dữ liệu ngày 02/03/2026 tại quầy',
        }),
      })
      .strict(),
    responses: { 201: SubjectExportView },
  },
  ListDataSubjectExports: {
    summary: 'The records of the data-subject exports, newest first: who made each, when, why, for which ID-number HMAC and which dossiers (leader)',
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(25),
      cursor: z.string().max(2000).optional().meta({ description: 'nextCursor of the previous page' }),
    }),
    responses: { 200: SubjectExportListView },
  },
  GetAccessLog: {
    summary: "A dossier's access log, newest first: every officer read of it (who, when, through which route), exports included (leader)",
    query: z.object({
      code: z.string().min(1).max(64).meta({ description: 'The dossier code' }),
      limit: z.coerce.number().int().min(1).max(100).default(50),
      cursor: z.string().max(2000).optional().meta({ description: 'nextCursor of the previous page' }),
    }),
    responses: { 200: AccessLogView },
  },
  GetKpis: {
    summary: "The ward's KPIs for a date range, against Hanoi's targets, with a series per day, week or month for charts (leader)",
    query: z.object({
      from: calendarDate(),
      to: calendarDate(),
      interval: z.enum(KPI_INTERVALS).optional().meta({
        description: "The series' step: day, week (Monday to Sunday) or month; by default day up to 31 days, week up to 92, month beyond",
      }),
    }),
    errors: ['DATE_OUT_OF_RANGE'],
    responses: { 200: KpiReportView },
  },
  GetSyncStatus: {
    summary:
      "Where the ward's sync with the national public-service portal stands (leader): records delivered, failed attempts, the last delivery and error, and the dossiers whose changes wait for a retry",
    responses: { 200: SyncStatusView },
  },
} as const satisfies Readonly<Record<string, RouteContract>>;

export type RouteId = keyof typeof contract;
