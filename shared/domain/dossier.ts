import * as z from 'zod';
import type { DocumentKind, SignatureInfo } from './archive';
import type { ClockMode, OnlineLevel, Procedure } from './procedure';
import type { ActorRole, DossierAction, DossierStatus } from './status';
import { ID_NUMBER_PATTERN, MOBILE_NUMBER_PATTERN, PRINTABLE_ADDRESS, PRINTABLE_NAME, checkIdNumber, isWellFormedText, normalizeText, toE164Mobile } from './formats';
import type { ChangeScope } from './requested-changes';
import { HandOverRequestSchema, type HandOver } from './handover';

export const CHANNELS = ['ONLINE', 'COUNTER', 'POSTAL'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Validation messages that are ours rather than zod's carry a key; the error mapper translates
 * them into the caller's language (see shared/runtime/messages.ts).
 */
export const messageKey = (key: string): string => `@${key}`;

/**
 * Trimmed, NFC-normalised text of bounded length; a lone surrogate (no character at all) is refused.
 * The lengths count the normalised text; the document says so, since its input side has none.
 */
export const text = (min: number, max: number) =>
  z
    .string()
    .refine(isWellFormedText, { message: messageKey('TEXT_MALFORMED') })
    .transform(normalizeText)
    .pipe(z.string().min(min).max(max))
    .meta({ minLength: min, maxLength: max });

export const IdNumberSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = checkIdNumber(value);
    if (problem) ctx.addIssue({ code: 'custom', message: messageKey(`ID_NUMBER_${problem}`) });
  })
  .meta({
    description: 'Personal ID number (12 digits, CCCD): a province code, then the century and sex digit and the birth year (not in the future, at most 130 years ago)',
    example: '001190012345',
    pattern: ID_NUMBER_PATTERN,
  });

export const PhoneSchema = z
  .string()
  .transform((value, ctx) => {
    const e164 = toE164Mobile(value);
    if (!e164) {
      ctx.addIssue({ code: 'custom', message: messageKey('PHONE_INVALID') });
      return z.NEVER;
    }
    return e164;
  })
  .meta({ description: 'Vietnamese mobile number, 0xxxxxxxxx or +84xxxxxxxxx; stored as E.164', example: '0912345678', pattern: MOBILE_NUMBER_PATTERN });

export const ApplicantSchema = z
  .object({
    fullName: text(2, 100)
      .refine((value) => PRINTABLE_NAME.test(value), { message: messageKey('NAME_NOT_PRINTABLE') })
      .meta({ example: 'Nguyễn Thị Hoa', pattern: PRINTABLE_NAME.source }),
    idNumber: IdNumberSchema,
    phone: PhoneSchema,
    email: z.email().max(254).optional(),
    address: text(5, 300)
      .refine((value) => PRINTABLE_ADDRESS.test(value), { message: messageKey('ADDRESS_NOT_PRINTABLE') })
      .meta({ pattern: PRINTABLE_ADDRESS.source })
      .optional(),
  })
  .strict();
export type Applicant = z.output<typeof ApplicantSchema>;

/** What the ward accepts as an attachment; the presigned upload's policy makes S3 enforce it. */
export const UPLOAD_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  contentTypes: ['application/pdf', 'image/jpeg', 'image/png'],
} as const;

/** A client's key for one submission (e.g. a UUID); retries reuse it. */
export const IdempotencyKeySchema = z.string({ error: messageKey('IDEMPOTENCY_KEY_REQUIRED') }).regex(/^[A-Za-z0-9_.:-]{8,128}$/, messageKey('IDEMPOTENCY_KEY_REQUIRED'));

export const AttachmentRefSchema = z
  .object({
    uploadId: z.uuid().meta({ description: 'The id returned by POST /uploads' }),
    /** Which of the procedure's required documents this file is. */
    documentId: z.string().regex(/^[a-z0-9-]{2,40}$/),
  })
  .strict();

/** `POST /dossiers`: what a citizen may set. Anything else (status, code, dates …) is refused. */
export const SubmissionSchema = z
  .object({
    procedureCode: z.string().min(1).max(40),
    applicant: ApplicantSchema,
    formData: z.record(z.string(), z.unknown()).default({}),
    attachments: z.array(AttachmentRefSchema).max(30).default([]),
    fullyOnline: z.boolean().default(false),
    /** Filed here for another ward's procedure: handed to that ward over the city bus (shared/domain/handover.ts). */
    handOver: HandOverRequestSchema.optional(),
  })
  .strict();
export type Submission = z.output<typeof SubmissionSchema>;

/**
 * `POST /dossiers` online: a signed-in citizen's ID number, full name and phone come from their
 * ID token, so the body's applicant block carries only what the token lacks (e-mail, address, a
 * phone the provider does not give); a value it repeats must agree with the token. In an unsigned
 * pilot (the ward's switch) the body carries them all.
 */
export const OnlineSubmissionSchema = SubmissionSchema.extend({
  applicant: ApplicantSchema.partial({ fullName: true, idNumber: true, phone: true }),
}).strict();
export type OnlineSubmission = z.output<typeof OnlineSubmissionSchema>;

export interface Attachment {
  readonly uploadId: string;
  readonly documentId: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
}

/** The procedure version a dossier keeps, whatever the catalog says later. */
export interface ProcedureSnapshot {
  readonly code: string;
  readonly version: number;
  readonly name: string;
  readonly timeLimitDays: number;
  readonly feeVnd: number;
  readonly clockMode: ClockMode;
  readonly worksOnHolidays: boolean;
  readonly maxSupplementRequests: number;
  readonly onlineLevel: OnlineLevel;
  readonly resultType: string;
  /**
   * Years the dossier's personal data is kept after it ends (the procedure's
   * `personalDataRetention`); absent on dossiers submitted before the catalog set it.
   */
  readonly personalDataRetentionYears?: number;
}

export const snapshotOf = (procedure: Procedure): ProcedureSnapshot => ({
  code: procedure.code,
  version: procedure.version,
  name: procedure.name,
  timeLimitDays: procedure.timeLimitDays,
  feeVnd: procedure.feeVnd,
  clockMode: procedure.clockMode,
  worksOnHolidays: procedure.worksOnHolidays,
  maxSupplementRequests: procedure.maxSupplementRequests,
  onlineLevel: procedure.onlineLevel,
  resultType: procedure.resultType,
  personalDataRetentionYears: procedure.personalDataRetention.years,
});

export interface Actor {
  readonly role: ActorRole;
  /** Officer's user id; absent for citizens and the system. */
  readonly id?: string;
  readonly name?: string;
}

/** One entry of a dossier's history, appended in the same write as the change it records. */
export interface HistoryEvent {
  readonly sequence: number;
  readonly at: Date;
  readonly actor: Actor;
  readonly action: DossierAction | 'submit' | 'create-at-counter' | 'rate' | 'mark-overdue' | 'apologize' | 'cancel-result' | 'erase-personal-data' | 'take-over';
  readonly from?: DossierStatus;
  readonly to: DossierStatus;
  readonly note?: string;
  /** A request to complete or supplement: the form fields and documents it lets the citizen change. */
  readonly requested?: ChangeScope;
  /** A supplement: the form fields it changed and the documents it added files for (names and ids, never values). */
  readonly changed?: ChangeScope;
  /** The appointment in force after the change (what the national sync reports for it); absent before receipt, and on entries written before it was kept. */
  readonly appointmentAt?: Date;
  /** A request to the citizen (completion, supplement, payment): its items as the officer listed them (form 02), kept with the step. */
  readonly items?: readonly string[];
}

export interface Dossier {
  readonly code: string;
  readonly procedure: ProcedureSnapshot;
  readonly applicant: Applicant;
  readonly channel: Channel;
  readonly fullyOnline: boolean;
  readonly formData: Readonly<Record<string, unknown>>;
  readonly attachments: readonly Attachment[];
  /** Documents reception received on paper (counter and postal dossiers), by the procedure's document ids. */
  readonly documentsReceived?: readonly string[];
  readonly status: DossierStatus;
  /** Where a supplement request returns to when the citizen completes the dossier. */
  readonly statusBeforeSupplement?: DossierStatus;
  readonly submittedAt: Date;
  readonly receivedAt?: Date;
  readonly clockStartsAt?: Date;
  readonly appointmentAt?: Date;
  /** The appointment set at receipt: on-time statistics count against it, whatever moves it later. */
  readonly firstAppointmentAt?: Date;
  /** When the clock stopped for a supplement (SUBTRACT mode gives back the time waited since). */
  readonly clockStoppedAt?: Date;
  /**
   * Which run of the deadline clock is current: 1 at receipt, one more at every restart (a
   * supplement resumed, an apology's new appointment). A deadline wake-up of another generation
   * changes nothing.
   */
  readonly clockGeneration?: number;
  /** The apology letter (form 04), issued once by the leader, before or after the appointment passed. */
  readonly apology?: Apology;
  readonly overdue: boolean;
  readonly supplementRequests: number;
  /** What the dossier waits for from the citizen (completion, supplement or payment), while it waits. */
  readonly pending?: PendingRequest;
  readonly payment?: Payment;
  readonly result?: IssuedResult;
  /** The specialist's draft of the result, while the dossier is processed; the leader's approval issues it. */
  readonly resultDraft?: ResultDraft;
  /** Reason of a refusal at intake (form 03) or of a stop. */
  readonly closingReason?: string;
  readonly transferredAt?: Date;
  readonly resolvedAt?: Date;
  readonly returnedAt?: Date;
  readonly returnMethod?: ReturnMethod;
  readonly rating?: Rating;
  /** SHA-256 of the citizen's secret, hex; online dossiers only. */
  readonly secretHash?: string;
  /** When its retention ended and its personal data was erased (shared/domain/personal-data.ts). */
  readonly personalDataErasedAt?: Date;
  /** Received by one ward for another ward's procedure (reception without boundaries): both wards' copies carry it. */
  readonly handOver?: HandOver;
  /**
   * Starts at 1 and increases by one with every change: the optimistic lock, the ETag, and the
   * sequence number of the history event that recorded the change.
   */
  readonly version: number;
  readonly updatedAt: Date;
}

export const RETURN_METHODS = ['COUNTER', 'POSTAL', 'ONLINE'] as const;
export type ReturnMethod = (typeof RETURN_METHODS)[number];

/** A request to the citizen: to complete the dossier before receipt (form 02), to supplement it, or to pay. */
export interface PendingRequest {
  readonly kind: 'COMPLETION' | 'SUPPLEMENT' | 'PAYMENT';
  readonly items: readonly string[];
  /**
   * What the citizen may change in answer (completion and supplement). Absent on payment requests,
   * and on requests recorded before requests named their targets: then nothing may change.
   */
  readonly requested?: ChangeScope;
  readonly note?: string;
  readonly amountVnd?: number;
  readonly requestedAt: Date;
}

/**
 * How a fee or tax was paid: ONLINE through an online payment service (the national portal's
 * payment platform or the city's), COUNTER in cash or by card at the ward.
 */
export const PAYMENT_METHODS = ['ONLINE', 'COUNTER'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface Payment {
  readonly amountVnd?: number;
  /** Absent on payments recorded before the method was asked: at the counter. */
  readonly method?: PaymentMethod;
  readonly receiptNumber: string;
  readonly paidAt: Date;
}

/** The e-copy of a result (approval) or of a refusal notice, archived before the dossier is RESOLVED. */
export interface IssuedResult {
  readonly outcome: 'APPROVED' | 'REFUSED';
  readonly title: string;
  readonly documentNumber: string;
  /** Reasons of a refusal. */
  readonly reason?: string;
  readonly archiveKey: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly issuedAt: Date;
  readonly signer: { readonly name: string; readonly position: string };
  /** The archived document of this e-copy (see {@link IssuedDocument}); absent on e-copies issued before documents were signed. */
  readonly documentId?: string;
  /** Set when the leader cancelled the e-copy: it stays archived, marked cancelled. */
  readonly cancellation?: Cancellation;
}

/** The wording of a result as the specialist saved it (`POST /officer/dossiers/{code}/result-draft`). */
export interface ResultDraft {
  readonly title: string;
  readonly content: string;
  readonly documentNumber?: string;
  readonly savedAt: Date;
  readonly savedBy: { readonly id: string; readonly name: string };
}

export interface Cancellation {
  readonly at: Date;
  readonly reason: string;
  readonly by: { readonly name: string; readonly officerId: string };
  /** The signed cancellation record in the archive. */
  readonly recordKey: string;
}

/**
 * A document the ward issued for a dossier — its e-result or refusal, or one of the official
 * forms — as archived: a signed PDF under `objectKey`, its metadata beside it, a manifest entry.
 */
export interface IssuedDocument {
  /** e.g. `form-01-v3`, `result-v9` (shared/domain/archive.ts `documentIdOf`). */
  readonly id: string;
  readonly kind: DocumentKind;
  readonly title: string;
  readonly documentNumber: string;
  readonly objectKey: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly issuedAt: Date;
  readonly signer: { readonly name: string; readonly position: string; readonly officerId?: string };
  /** Absent on an e-copy issued before documents were signed (verified by its SHA-256 alone). */
  readonly signature?: SignatureInfo;
  readonly cancellation?: Cancellation;
}

export interface Apology {
  readonly reason: string;
  readonly previousAppointmentAt: Date;
  readonly newAppointmentAt: Date;
  readonly issuedAt: Date;
  readonly issuedBy: string;
}

export const RATING_LEVELS = ['VERY_SATISFIED', 'SATISFIED', 'DISSATISFIED'] as const;
export type RatingLevel = (typeof RATING_LEVELS)[number];

export interface Rating {
  readonly overall: RatingLevel;
  readonly comment?: string;
  readonly ratedAt: Date;
}

export interface DossierWithHistory {
  readonly dossier: Dossier;
  readonly history: readonly HistoryEvent[];
  /** Every document issued for the dossier, oldest first. */
  readonly documents: readonly IssuedDocument[];
}

/**
 * Daily KPI counters a change adds to, on the day (Vietnam time) it happens; the KPI report of
 * any date range sums them (one small item per day, however many dossiers there are).
 */
export const KPI_COUNTERS = [
  'submitted',
  'submittedOnline',
  'submittedFullyOnline',
  'received',
  'receivedOnline',
  'receivedFullyOnline',
  'receivedCounter',
  'receivedPostal',
  'notReceived',
  'resolved',
  'resolvedApproved',
  'resolvedRefused',
  'resolvedEarly',
  'resolvedOnTime',
  'resolvedLate',
  'resolvedWithECopy',
  /** Resolved early or on time by the appointment, after more than one supplement request: late by Decision 766. */
  'resolvedOnTimeWithSupplements',
  /** Marked overdue (on the day of the marking). */
  'overdueMarked',
  /** Left the open dossiers while overdue: resolved or stopped (on that day). */
  'overdueClosed',
  /** A fee or tax recorded as paid (on the day of the payment). */
  'paymentsRecorded',
  /** Of those, paid through an online payment service. */
  'paidOnline',
  /**
   * Received dossiers whose record the national portal acknowledged, counted once per dossier
   * on the day it was received (Decision 766 counts the synchronised dossiers by receipt date).
   */
  'synced',
  'returned',
  'stopped',
  'ratings',
  'ratedVerySatisfied',
  'ratedSatisfied',
  'ratedDissatisfied',
] as const;
export type KpiCounter = (typeof KPI_COUNTERS)[number];
export type KpiIncrements = Partial<Record<KpiCounter, number>>;

/**
 * Builds the zod schema of a procedure's form data from its field list: required fields,
 * types, lengths, enum options; unknown fields are refused.
 */
export function formDataSchema(procedure: Procedure) {
  const shape: Record<string, z.ZodType> = {};
  for (const field of procedure.formFields) {
    let schema: z.ZodType;
    switch (field.type) {
      case 'text':
        schema = text(1, field.maxLength ?? 200);
        break;
      case 'date':
        schema = z.iso.date();
        break;
      case 'integer':
        schema = z.number().int();
        break;
      case 'idNumber':
        schema = IdNumberSchema;
        break;
      case 'enum':
        schema = z.enum((field.options ?? []) as [string, ...string[]]);
        break;
    }
    shape[field.name] = field.required ? schema : schema.optional();
  }
  return z.object(shape).strict();
}
