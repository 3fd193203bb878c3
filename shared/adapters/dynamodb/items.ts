import * as z from 'zod';
import { CHANNELS, PAYMENT_METHODS, RATING_LEVELS, RETURN_METHODS, type Dossier, type HistoryEvent } from '../../domain/dossier';
import { DomainEventSchema, type DomainEvent } from '../../domain/events';
import { RESULT_RETURN_PLACES } from '../../domain/handover';
import { CLOCK_MODES, ONLINE_LEVELS } from '../../domain/procedure';
import { ACTOR_ROLES, DOSSIER_STATUSES, isFinal } from '../../domain/status';
import { nameSearchKey } from '../../domain/formats';
import { vietnamMonth } from '../../domain/time';
import { dossierIndexKeys, keys } from './keys';

/** Instants are stored as UTC ISO strings, so that sort keys order them. */
const instant = z.iso.datetime().transform((value) => new Date(value));
const iso = (date: Date): string => date.toISOString();
const isoOrUndefined = (date: Date | undefined): string | undefined => (date ? date.toISOString() : undefined);

/** Form fields and documents by name and id (a request's targets, a supplement's changes). */
const StoredChangeScopeSchema = z.object({ fields: z.array(z.string()), documents: z.array(z.string()) });

const StoredDossierSchema = z.object({
  code: z.string(),
  procedure: z.object({
    code: z.string(),
    version: z.number(),
    name: z.string(),
    timeLimitDays: z.number(),
    feeVnd: z.number(),
    clockMode: z.enum(CLOCK_MODES),
    worksOnHolidays: z.boolean(),
    maxSupplementRequests: z.number(),
    onlineLevel: z.enum(ONLINE_LEVELS),
    resultType: z.string(),
    personalDataRetentionYears: z.number().optional(),
  }),
  applicant: z.object({
    fullName: z.string(),
    idNumber: z.string(),
    phone: z.string(),
    email: z.string().optional(),
    address: z.string().optional(),
  }),
  channel: z.enum(CHANNELS),
  fullyOnline: z.boolean(),
  formData: z.record(z.string(), z.unknown()),
  attachments: z.array(z.object({ uploadId: z.string(), documentId: z.string(), fileName: z.string(), contentType: z.string(), size: z.number() })),
  documentsReceived: z.array(z.string()).optional(),
  status: z.enum(DOSSIER_STATUSES),
  statusBeforeSupplement: z.enum(DOSSIER_STATUSES).optional(),
  submittedAt: instant,
  receivedAt: instant.optional(),
  clockStartsAt: instant.optional(),
  appointmentAt: instant.optional(),
  firstAppointmentAt: instant.optional(),
  clockStoppedAt: instant.optional(),
  clockGeneration: z.number().optional(),
  apology: z.object({ reason: z.string(), previousAppointmentAt: instant, newAppointmentAt: instant, issuedAt: instant, issuedBy: z.string() }).optional(),
  overdue: z.boolean(),
  supplementRequests: z.number(),
  pending: z
    .object({
      kind: z.enum(['COMPLETION', 'SUPPLEMENT', 'PAYMENT']),
      items: z.array(z.string()),
      requested: StoredChangeScopeSchema.optional(),
      note: z.string().optional(),
      amountVnd: z.number().optional(),
      requestedAt: instant,
    })
    .optional(),
  payment: z.object({ amountVnd: z.number().optional(), method: z.enum(PAYMENT_METHODS).optional(), receiptNumber: z.string(), paidAt: instant }).optional(),
  result: z
    .object({
      outcome: z.enum(['APPROVED', 'REFUSED']),
      title: z.string(),
      documentNumber: z.string(),
      reason: z.string().optional(),
      archiveKey: z.string(),
      sha256: z.string(),
      sizeBytes: z.number(),
      issuedAt: instant,
      signer: z.object({ name: z.string(), position: z.string() }),
      documentId: z.string().optional(),
      cancellation: z.object({ at: instant, reason: z.string(), by: z.object({ name: z.string(), officerId: z.string() }), recordKey: z.string() }).optional(),
    })
    .optional(),
  resultDraft: z
    .object({
      title: z.string(),
      content: z.string(),
      documentNumber: z.string().optional(),
      savedAt: instant,
      savedBy: z.object({ id: z.string(), name: z.string() }),
    })
    .optional(),
  closingReason: z.string().optional(),
  transferredAt: instant.optional(),
  resolvedAt: instant.optional(),
  returnedAt: instant.optional(),
  returnMethod: z.enum(RETURN_METHODS).optional(),
  rating: z.object({ overall: z.enum(RATING_LEVELS), comment: z.string().optional(), ratedAt: instant }).optional(),
  secretHash: z.string().optional(),
  personalDataErasedAt: instant.optional(),
  handOver: z
    .object({
      receivingWard: z.string(),
      competentWard: z.string(),
      resultReturn: z.enum(RESULT_RETURN_PLACES),
      requestedAt: instant,
      acknowledgedAt: instant.optional(),
    })
    .optional(),
  version: z.number(),
  updatedAt: instant,
});

const StoredHistorySchema = z.object({
  sequence: z.number(),
  at: instant,
  actor: z.object({ role: z.enum(ACTOR_ROLES), id: z.string().optional(), name: z.string().optional() }),
  action: z.string(),
  from: z.enum(DOSSIER_STATUSES).optional(),
  to: z.enum(DOSSIER_STATUSES),
  note: z.string().optional(),
  requested: StoredChangeScopeSchema.optional(),
  changed: StoredChangeScopeSchema.optional(),
  appointmentAt: instant.optional(),
  items: z.array(z.string()).optional(),
});

/** The dossier item with its index attributes; `applicantKey` is kept so later writes keep the index. */
export function dossierItem(dossier: Dossier, applicantKey: string): Record<string, unknown> {
  const appointmentAt = isoOrUndefined(dossier.appointmentAt);
  const submittedAt = iso(dossier.submittedAt);
  const searchName = nameSearchKey(dossier.applicant.fullName);
  // The clock stops while the dossier waits for the citizen's supplement (clockStoppedAt stays set
  // if the citizen then asks to withdraw), and once it is resolved.
  const clockRunning =
    appointmentAt !== undefined && !isFinal(dossier.status) && dossier.status !== 'RESOLVED' && dossier.status !== 'SUPPLEMENT_REQUESTED' && dossier.clockStoppedAt === undefined;
  return {
    ...keys.dossier(dossier.code),
    ...dossierIndexKeys.byStatus(dossier.status, appointmentAt ?? submittedAt, dossier.code),
    ...(clockRunning ? dossierIndexKeys.openByDue(appointmentAt, dossier.code) : {}),
    ...dossierIndexKeys.byApplicant(applicantKey, submittedAt, dossier.code),
    // Written by every write of the dossier (an Update sets it too): a dossier written before the
    // name index existed enters it at its next change; one that never changes again needs a
    // one-off rewrite to be found by name (by code and by ID number it is found all the same).
    ...(searchName === '' ? {} : dossierIndexKeys.byName(searchName, submittedAt, dossier.code)),
    ...(dossier.receivedAt ? dossierIndexKeys.byReceived(vietnamMonth(dossier.receivedAt), iso(dossier.receivedAt), dossier.code) : {}),
    applicantKey,
    ...(storable(dossier) as Record<string, unknown>),
  };
}

/** A dossier or history event in the form the table stores it (dates as ISO strings, no keys): how it travels on the city bus. */
export const storedForm = (value: object): Record<string, unknown> => storable(value) as Record<string, unknown>;

/** Dates, wherever they are in the dossier, become UTC ISO strings (DynamoDB has no date type). */
function storable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(storable);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, storable(inner)]));
  }
  return value;
}

export function dossierFromItem(item: Record<string, unknown>): Dossier {
  return StoredDossierSchema.parse(item);
}

/** Attributes a change never touches: the keys and the applicant index, fixed at submission. */
const IMMUTABLE_ATTRIBUTES = new Set(['PK', 'SK', 'applicantKey', 'byApplicantPK', 'byApplicantSK']);

/**
 * The Update that rewrites a dossier to `dossier`, on condition that it is still at
 * `expectedVersion`: every attribute is set, absent optional ones (and index keys of a stopped
 * clock) are removed. An Update rather than a Put, so the applicant index needs no extra read.
 */
export function dossierUpdate(tableName: string, dossier: Dossier, expectedVersion: number) {
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = { ':expected': expectedVersion };
  const sets: string[] = [];
  const removes: string[] = [];
  const item = dossierItem(dossier, '');
  const attributes = [...Object.keys(item), ...OPTIONAL_ATTRIBUTES].filter((name, index, all) => all.indexOf(name) === index);
  attributes
    .filter((name) => !IMMUTABLE_ATTRIBUTES.has(name))
    .forEach((name, index) => {
      names[`#a${index}`] = name;
      if (item[name] === undefined) {
        removes.push(`#a${index}`);
      } else {
        values[`:a${index}`] = item[name];
        sets.push(`#a${index} = :a${index}`);
      }
    });
  return {
    TableName: tableName,
    Key: keys.dossier(dossier.code),
    UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: '#version = :expected',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** Attributes a dossier item may or may not have. */
const OPTIONAL_ATTRIBUTES = [
  'documentsReceived',
  'statusBeforeSupplement',
  'receivedAt',
  'clockStartsAt',
  'appointmentAt',
  'firstAppointmentAt',
  'clockStoppedAt',
  'clockGeneration',
  'apology',
  'pending',
  'payment',
  'result',
  'resultDraft',
  'closingReason',
  'transferredAt',
  'resolvedAt',
  'returnedAt',
  'returnMethod',
  'rating',
  'secretHash',
  'personalDataErasedAt',
  'handOver',
  'openByDuePK',
  'openByDueSK',
  'byReceivedPK',
  'byReceivedSK',
];

export function historyItem(code: string, event: HistoryEvent): Record<string, unknown> {
  return { ...keys.history(code, event.sequence), ...event, at: iso(event.at), ...(event.appointmentAt ? { appointmentAt: iso(event.appointmentAt) } : {}) };
}

export function historyFromItem(item: Record<string, unknown>): HistoryEvent {
  return StoredHistorySchema.parse(item) as HistoryEvent;
}

/** Outbox events live a week: long enough for every stream consumer and its retries. */
const OUTBOX_TTL_SECONDS = 7 * 24 * 3600;

/** The outbox item of an event: the event as it is (its `data` holds no Date), `at` as an ISO string, and its TTL. */
export function outboxItem(event: DomainEvent): Record<string, unknown> {
  return {
    ...keys.outbox(event.id),
    ...event,
    at: iso(event.at),
    expiresAt: Math.floor(event.at.getTime() / 1000) + OUTBOX_TTL_SECONDS,
  };
}

const OutboxInstantSchema = z.object({ at: z.iso.datetime() });

/**
 * The event of an outbox item, parsed by its type's schema (keys and TTL dropped).
 * @throws ZodError when the item is no event of a known type, or misses a field its type requires
 */
export function eventFromOutboxItem(item: Record<string, unknown>): DomainEvent {
  const { at } = OutboxInstantSchema.parse(item);
  return DomainEventSchema.parse({ ...item, at: new Date(at) });
}

/** A dossier's entry in the erasure schedule: due at `dueAt`. */
export function erasureItem(dueAt: Date, code: string): Record<string, unknown> {
  return { ...keys.erasure(dueAt, code), dossierCode: code, dueAt: iso(dueAt) };
}

const ErasureItemSchema = z.object({ dossierCode: z.string(), dueAt: instant });

export function erasureEntryFromItem(item: Record<string, unknown>): { dossierCode: string; dueAt: Date } {
  return ErasureItemSchema.parse(item);
}

/**
 * The Update that erases a dossier's personal data (`erased`, from erasePersonalData) on condition
 * that it is still at `expectedVersion`: the rewrite of every attribute, and the removal of the
 * applicant's index keys (the HMAC of the ID number, the name search), which no other change touches.
 */
export function erasureUpdate(tableName: string, erased: Dossier, expectedVersion: number) {
  const update = dossierUpdate(tableName, erased, expectedVersion);
  const applicantIndex = ['applicantKey', 'byApplicantPK', 'byApplicantSK', 'byNamePK', 'byNameSK'];
  const names = Object.fromEntries(applicantIndex.map((name, index) => [`#e${index}`, name]));
  const removes = applicantIndex.map((_, index) => `#e${index}`).join(', ');
  const expression = update.UpdateExpression.includes(' REMOVE ') ? `${update.UpdateExpression}, ${removes}` : `${update.UpdateExpression} REMOVE ${removes}`;
  return { ...update, UpdateExpression: expression, ExpressionAttributeNames: { ...update.ExpressionAttributeNames, ...names } };
}
