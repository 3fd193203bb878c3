import * as z from 'zod';
import type { Dossier, HistoryEvent } from './dossier';
import { isFinal } from './status';

/**
 * The ward's duties under Law 91/2025/QH15 on personal data protection (and Decree
 * 356/2025/NĐ-CP): the pure rules. Which officer read which dossier, which data-subject export was
 * made and why, and when a closed dossier's personal data expires. No AWS here; the table's side is
 * shared/adapters/dynamodb/personal-data-store.ts.
 */

/** What the erasure writes in place of a name, an ID number or a phone (the stored schema wants strings). */
export const ERASED = '';

/** The officer routes whose every successful answer records an access entry (route ids of shared/runtime/routes.ts). */
export const LOGGED_READ_ROUTES = ['GetOfficerDossier', 'ListOfficerDocuments', 'GetOfficerDocumentLink', 'GetAttachmentLink', 'CreateDataSubjectExport'] as const;
export type LoggedReadRoute = (typeof LOGGED_READ_ROUTES)[number];

/** One officer's read of one dossier: who, when, through which route (and which document or attachment). */
export const AccessEntrySchema = z.object({
  dossierCode: z.string(),
  at: z.date(),
  officer: z.object({ id: z.string(), name: z.string() }),
  route: z.enum(LOGGED_READ_ROUTES),
  /** The document id or attachment id read, when the route reads one. */
  item: z.string().optional(),
  /** The data-subject export the read was part of. */
  exportId: z.string().optional(),
});
export type AccessEntry = z.infer<typeof AccessEntrySchema>;

/** A data-subject export: who made it, when, why, for which ID number (its HMAC only) and what it held. */
export const SubjectExportRecordSchema = z.object({
  id: z.string(),
  at: z.date(),
  officer: z.object({ id: z.string(), name: z.string() }),
  reason: z.string(),
  /** The ward's HMAC of the ID number (the `byApplicant` key), never the number. */
  applicantKey: z.string(),
  dossierCodes: z.array(z.string()),
});
export type SubjectExportRecord = z.infer<typeof SubjectExportRecordSchema>;

/** A dossier's place in the erasure schedule: when its personal data is due to go. */
export interface ErasureEntry {
  readonly dossierCode: string;
  readonly dueAt: Date;
}

/** `date` plus whole years, in UTC (29 February goes to 1 March in a common year). */
export function addYears(date: Date, years: number): Date {
  const next = new Date(date.getTime());
  next.setUTCFullYear(next.getUTCFullYear() + years);
  return next;
}

/** When the dossier ended, for its retention: returned, or the last change of a stopped or refused one. Undefined while open. */
export function endOf(dossier: Dossier): Date | undefined {
  if (!isFinal(dossier.status)) return undefined;
  return dossier.returnedAt ?? dossier.updatedAt;
}

/** What the scheduled erasure does with a dossier whose entry came due at `now`. */
export type ErasureDecision =
  | { readonly kind: 'ERASE' }
  /** Not yet: open still (checked again a retention later), or ended less than its retention ago. */
  | { readonly kind: 'POSTPONE'; readonly dueAt: Date }
  /** Already erased, or no retention known: the entry goes. */
  | { readonly kind: 'DROP' };

/**
 * The first due date is set at submission (submission + retention, the earliest the dossier could
 * be due); at that date the job decides again from the dossier itself, so a dossier is never
 * erased before `retention` years have passed since it ended.
 */
export function erasureDecision(dossier: Dossier, now: Date): ErasureDecision {
  const years = dossier.procedure.personalDataRetentionYears;
  if (dossier.personalDataErasedAt !== undefined || years === undefined) return { kind: 'DROP' };
  const end = endOf(dossier);
  if (end === undefined) return { kind: 'POSTPONE', dueAt: addYears(now, years) };
  const dueAt = addYears(end, years);
  return dueAt.getTime() <= now.getTime() ? { kind: 'ERASE' } : { kind: 'POSTPONE', dueAt };
}

/** The erasure's first due date, written with the new dossier. Undefined for a procedure version without retention. */
export function firstErasureDue(dossier: Dossier): Date | undefined {
  const years = dossier.procedure.personalDataRetentionYears;
  return years === undefined ? undefined : addYears(dossier.submittedAt, years);
}

/**
 * The dossier without its personal data: the applicant's name, ID number, phone, e-mail and
 * address, the form data, the attachments' file names, and every free text that may name a person
 * (the rating's comment, the request's note, the draft, the reasons). What stays is what the
 * statistics and the archive's references need: code, procedure, channel, statuses and dates,
 * document ids, the result's number, title and archive key (the signed PDF stays in the archive,
 * under its own retention), the rating's level. The KPI counters are separate items and unchanged.
 */
export function erasePersonalData(dossier: Dossier, at: Date): { readonly dossier: Dossier; readonly history: HistoryEvent } {
  const { resultDraft: _draft, closingReason: _reason, ...rest } = dossier;
  const { comment: _comment, ...rating } = dossier.rating ?? { overall: 'SATISFIED', ratedAt: at };
  const erased: Dossier = {
    ...rest,
    applicant: { fullName: ERASED, idNumber: ERASED, phone: ERASED },
    formData: {},
    attachments: dossier.attachments.map((attachment) => ({ ...attachment, fileName: ERASED })),
    ...(dossier.pending ? { pending: { ...dossier.pending, items: [], note: undefined } } : {}),
    ...(dossier.apology ? { apology: { ...dossier.apology, reason: ERASED } } : {}),
    ...(dossier.result
      ? { result: { ...dossier.result, reason: undefined, ...(dossier.result.cancellation ? { cancellation: { ...dossier.result.cancellation, reason: ERASED } } : {}) } }
      : {}),
    ...(dossier.rating ? { rating } : {}),
    personalDataErasedAt: at,
    version: dossier.version + 1,
    updatedAt: at,
  };
  // A change like any other (a new version, its history event), so that a change decided on the
  // dossier as read before the erasure fails its version condition instead of writing the data back.
  const history: HistoryEvent = {
    sequence: erased.version,
    at,
    actor: { role: 'system' },
    action: 'erase-personal-data',
    from: dossier.status,
    to: dossier.status,
  };
  return { dossier: erased, history };
}

/** History events whose free text goes with the erasure (the actions and statuses stay). */
export const historyWithNotes = (history: readonly HistoryEvent[]): HistoryEvent[] => history.filter((event) => event.note !== undefined);
