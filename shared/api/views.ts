import * as z from 'zod';
import type { Dossier, DossierWithHistory } from '../domain/dossier';
import { maskName } from '../domain/formats';
import { ONLINE_LEVELS, type Procedure } from '../domain/procedure';
import { DOSSIER_STATUSES, NATIONAL_STATUS } from '../domain/status';
import { toVietnamIso } from '../domain/time';

/**
 * Response schemas (they document the API in /openapi.json) and the functions that build
 * each response from domain objects. Every instant is ISO 8601 with the +07:00 offset.
 */
const vnInstant = z.string().meta({ description: 'ISO 8601 instant in Vietnam time', example: '2026-01-05T17:00:00+07:00' });
const optionalInstant = (instant: Date | undefined) => (instant ? toVietnamIso(instant) : null);

export const ProcedureSummaryView = z
  .object({
    code: z.string(),
    version: z.number().int(),
    name: z.string(),
    field: z.string(),
    timeLimitDays: z.number().int().meta({ description: 'Working days; 0 = the same working day' }),
    feeVnd: z.number().int(),
    onlineLevel: z.enum(ONLINE_LEVELS),
    resultType: z.string(),
  })
  ;

export const ProcedureView = ProcedureSummaryView.extend({
  feeNote: z.string().nullable(),
  clockMode: z.string(),
  maxSupplementRequests: z.number().int(),
  worksOnHolidays: z.boolean(),
  documents: z.array(
    z.object({ id: z.string(), name: z.string(), form: z.string(), quantity: z.number().int(), required: z.boolean(), condition: z.string().nullable() }),
  ),
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

export const AppointmentPreviewView = z
  .object({
    procedureCode: z.string(),
    receivedAt: vnInstant,
    clockStartsAt: vnInstant.meta({ description: 'When the time limit starts counting (after the cut-off or on a day off: the next working day)' }),
    appointmentAt: vnInstant,
    timeLimitDays: z.number().int(),
  })
  ;

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
export const PublicStatusView = z
  .object({
    code: z.string(),
    ...statusFields,
    procedureCode: z.string(),
    procedureName: z.string(),
    submittedAt: vnInstant,
    receivedAt: vnInstant.nullable(),
    appointmentAt: vnInstant.nullable(),
    overdue: z.boolean(),
    applicantName: z.string().meta({ description: 'Masked, e.g. "Nguyễn T. H."' }),
  })
  ;

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

export const HistoryEventView = z.object({
  sequence: z.number().int(),
  at: vnInstant,
  role: z.string(),
  action: z.string(),
  from: z.enum(DOSSIER_STATUSES).nullable(),
  to: z.enum(DOSSIER_STATUSES),
  note: z.string().nullable(),
});

/** The citizen's full view (with the secret). Officer identities stay out of it: only their role. */
export const CitizenDossierView = z
  .object({
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
    history: z.array(HistoryEventView),
  })
  ;

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
  history: history.map((event) => ({
    sequence: event.sequence,
    at: toVietnamIso(event.at),
    role: event.actor.role,
    action: event.action,
    from: event.from ?? null,
    to: event.to,
    note: event.note ?? null,
  })),
});

export const SubmissionResultView = z
  .object({
    code: z.string().meta({ example: '000.A0.01.H26-260105-0001' }),
    secret: z.string().meta({ description: "The dossier's secret: shown once (and to a retry with the same Idempotency-Key); keep it to open the dossier" }),
    ...statusFields,
    submittedAt: vnInstant,
    appointmentAt: vnInstant.nullable(),
    trackingUrl: z.string(),
  })
  ;

export const UploadView = z
  .object({
    uploadId: z.uuid(),
    method: z.literal('POST'),
    url: z.string(),
    fields: z.record(z.string(), z.string()).meta({ description: 'Form fields to send, before the file field named "file"' }),
    expiresAt: vnInstant,
    maxBytes: z.number().int(),
  })
  ;

export const WithdrawResultView = z
  .object({ code: z.string(), ...statusFields })
  ;

export const withdrawResultView = (dossier: Dossier): z.infer<typeof WithdrawResultView> => ({ code: dossier.code, ...statusOf(dossier) });

export const submissionResultView = (dossier: Dossier, secret: string, publicBaseUrl: string | undefined): z.infer<typeof SubmissionResultView> => ({
  code: dossier.code,
  secret,
  ...statusOf(dossier),
  submittedAt: toVietnamIso(dossier.submittedAt),
  appointmentAt: optionalInstant(dossier.appointmentAt),
  trackingUrl: `${publicBaseUrl ?? ''}/dossiers/${dossier.code}/status`,
});
