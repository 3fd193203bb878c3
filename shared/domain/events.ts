import * as z from 'zod';
import { RATING_LEVELS, RETURN_METHODS } from './dossier';
import { CLOCK_MODES } from './procedure';
import { DOSSIER_STATUSES } from './status';

/**
 * The outbox's events: one per change of a dossier, written in the same transaction as the change,
 * delivered by the table's stream to its consumers (shared/runtime/consumers.ts). Each type has
 * its own schema here: producers build their event with {@link domainEvent} (which parses it),
 * the stream parses every outbox item with {@link DomainEventSchema}, and TypeScript knows each
 * type's data. An event of a known type with a missing or malformed field fails loudly, wherever
 * it is.
 *
 * Instants inside `data` are UTC ISO strings, as the outbox item stores them (`at` is a Date, and
 * an ISO string in the item: see shared/adapters/dynamodb/items.ts). Unknown fields are dropped
 * when parsing, not refused, so an item written with a field a later version no longer reads
 * still parses.
 */

const instant = z.iso.datetime({ offset: true });
const clockGeneration = z.number().int().min(1);
const text = z.string().min(1);

/**
 * What every event about a dossier carries for the notifier: whom to send the SMS to (the
 * applicant's phone, E.164, as the dossier stores it) and the procedure's name.
 */
const dossierFacts = {
  phone: z.string().regex(/^\+84\d{9}$/),
  procedureName: text,
};

/** The start of a generation of the deadline clock: the appointment, the generation, the calendar to count on. */
const clockStart = {
  appointmentAt: instant,
  clockGeneration,
  worksOnHolidays: z.boolean(),
};

/** An event that stops the clock names the generation it stops; null on a dossier whose clock never ran. */
const clockStop = { clockGeneration: clockGeneration.nullable() };

/** The requests to the citizen, as the officer listed them. */
const items = z.array(text).min(1);

/** A field that must be absent (the variant of an event that carries no clock). */
const absent = z.undefined().optional();

const event = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({
    id: text,
    type: z.literal(type),
    dossierCode: text,
    at: z.date(),
    data,
  });

export const DomainEventSchema = z.discriminatedUnion('type', [
  /**
   * Taken here (online or at the counter) for another ward's procedure: the hand-over consumer
   * hands it to that ward over the city bus. No SMS and no clock here: the competent ward sends
   * them when it takes the dossier over (shared/domain/handover.ts).
   */
  event('DOSSIER_FILED_FOR_WARD', z.object({ ...dossierFacts, procedureCode: text, competentWard: text })),
  /** Online submission (SUBMITTED, waiting for reception). */
  event('DOSSIER_SUBMITTED', z.object({ ...dossierFacts, procedureCode: text, fullyOnline: z.boolean() })),
  /** Received by reception, or created at the counter (then with the submission's procedure code and channel): the clock's first generation starts. */
  event('DOSSIER_RECEIVED', z.object({ ...dossierFacts, ...clockStart, procedureCode: text.optional(), fullyOnline: z.boolean().optional() })),
  event('DOSSIER_NOT_RECEIVED', z.object({ ...dossierFacts, reason: text })),
  event('COMPLETION_REQUESTED', z.object({ ...dossierFacts, items })),
  event('DOSSIER_TRANSFERRED', z.object(dossierFacts)),
  event('SUPPLEMENT_REQUESTED', z.object({ ...dossierFacts, items, ...clockStop })),
  /**
   * The citizen supplemented: during processing the clock resumes (a new generation, by the
   * procedure's clock mode); a completion before receipt starts no clock, and names none.
   */
  event(
    'DOSSIER_SUPPLEMENTED',
    z.union([
      z.object({ ...dossierFacts, ...clockStart, clockMode: z.enum(CLOCK_MODES) }),
      z.object({ ...dossierFacts, appointmentAt: absent, clockGeneration: absent, worksOnHolidays: absent, clockMode: absent }),
    ]),
  ),
  event('PAYMENT_REQUESTED', z.object({ ...dossierFacts, amountVnd: z.number().int().positive() })),
  event('PAYMENT_RECORDED', z.object({ ...dossierFacts, receiptNumber: text })),
  event('RESULT_APPROVED', z.object({ ...dossierFacts, fullyOnline: z.boolean(), ...clockStop })),
  event('RESULT_REFUSED', z.object({ ...dossierFacts, fullyOnline: z.boolean(), ...clockStop })),
  event('RESULT_RETURNED', z.object({ ...dossierFacts, method: z.enum(RETURN_METHODS) })),
  /** The citizen asked to withdraw a dossier reception must stop; `reason` is the citizen's, if any. */
  event('DOSSIER_WITHDRAWAL_REQUESTED', z.object({ ...dossierFacts, reason: z.string().nullable(), ...clockStop })),
  /** Stopped by reception, or withdrawn by the citizen before receipt. */
  event('DOSSIER_STOPPED', z.object({ ...dossierFacts, reason: z.string().nullable(), ...clockStop })),
  event('DOSSIER_RATED', z.object({ ...dossierFacts, overall: z.enum(RATING_LEVELS) })),
  /** The deadline workflow: one working day before the appointment, still unresolved. */
  event('DOSSIER_DUE_TOMORROW', z.object({ ...dossierFacts, status: z.enum(DOSSIER_STATUSES), appointmentAt: instant, clockGeneration })),
  /** The deadline workflow: the appointment passed unresolved; the dossier is marked overdue. */
  event('DOSSIER_OVERDUE', z.object({ ...dossierFacts, status: z.enum(DOSSIER_STATUSES), appointmentAt: instant, firstAppointmentAt: instant, clockGeneration })),
  /** The leader's apology letter set a new appointment: a new generation of the clock. */
  event('APPOINTMENT_RESCHEDULED', z.object({ ...dossierFacts, ...clockStart, previousAppointmentAt: instant, reason: text })),
  /** The leader cancelled the dossier's e-result (it stays archived, marked cancelled). */
  event('RESULT_CANCELLED', z.object({ ...dossierFacts, documentId: text })),
]);

/** An outbox event: one of the types above, with its own data. */
export type DomainEvent = z.output<typeof DomainEventSchema>;
export type DomainEventType = DomainEvent['type'];
/** The event of one type (or of some types). */
export type EventOf<T extends DomainEventType> = Extract<DomainEvent, { readonly type: T }>;
export type EventData<T extends DomainEventType> = EventOf<T>['data'];

/** Every event type, in the order of the schema. */
export const DOMAIN_EVENT_TYPES: readonly DomainEventType[] = DomainEventSchema.options.map((option) => option.shape.type.value);

/**
 * An event as a producer builds it, checked against its type's schema (what TypeScript cannot
 * check: formats, lengths, integers), so that no malformed event is ever written.
 *
 * @throws ZodError when it does not fit (a defect of the producer)
 */
export const domainEvent = (event: DomainEvent): DomainEvent => DomainEventSchema.parse(event);

/** Whether the event is of one of `types`, narrowing it to their schemas. */
export function isEventOf<const T extends DomainEventType>(types: readonly T[], event: DomainEvent): event is EventOf<T> {
  return (types as readonly DomainEventType[]).includes(event.type);
}

/** Events that start a generation of the dossier's deadline clock: their data names its appointment and generation (or, supplemented before receipt, no clock). */
export const CLOCK_START_EVENTS = ['DOSSIER_RECEIVED', 'DOSSIER_SUPPLEMENTED', 'APPOINTMENT_RESCHEDULED'] as const satisfies readonly DomainEventType[];
/** Events on which the clock stops (supplement requested) or ends (resolved, stopped): their data names the generation. */
export const CLOCK_STOP_EVENTS = ['SUPPLEMENT_REQUESTED', 'RESULT_APPROVED', 'RESULT_REFUSED', 'DOSSIER_STOPPED'] as const satisfies readonly DomainEventType[];

/**
 * The one event that records no change of the dossier: the deadline workflow's alert that the
 * appointment is tomorrow (nothing of the dossier moves; every other event is written in the
 * transaction of a change, with its history entry).
 */
export const ALERT_ONLY_EVENTS = ['DOSSIER_DUE_TOMORROW'] as const satisfies readonly DomainEventType[];
/**
 * The event of a dossier filed here for another ward's procedure: the competent ward takes it over
 * with its history and reports it to the national portal as its own, once; the receiving ward
 * does not.
 */
export const HANDED_AWAY_EVENTS = ['DOSSIER_FILED_FOR_WARD'] as const satisfies readonly DomainEventType[];
/**
 * Every event written with a change of a dossier this ward handles (a new dossier, a status
 * change, a change within a status): what the national sync hears.
 */
export const DOSSIER_CHANGE_EVENTS: readonly DomainEventType[] = DOMAIN_EVENT_TYPES.filter(
  (type) => !([...ALERT_ONLY_EVENTS, ...HANDED_AWAY_EVENTS] as readonly DomainEventType[]).includes(type),
);

/**
 * The events wards put on the city bus (EventBridge `detail-type` = `type`, `detail` = the whole
 * event, `source` = the sender's wardEventSource): every one names the ward it is for (`toWard`,
 * what each ward's rule matches) and the ward it is from. A dossier travels as its stored form
 * (dates as ISO strings), parsed by the data layer's dossier schema on arrival.
 */
const cityEvent = <T extends string, D extends z.ZodRawShape>(type: T, shape: D) =>
  z.object({ type: z.literal(type), id: text, toWard: text, fromWard: text, dossierCode: text, ...shape });
const storedRecord = z.record(z.string(), z.unknown());

export const CityEventSchema = z.discriminatedUnion('type', [
  /** Receiving ward → competent ward: the dossier and its history so far; created there once, acknowledged each time. */
  cityEvent('DOSSIER_HANDED_OVER', { dossier: storedRecord, history: z.array(storedRecord).min(1) }),
  /** Competent ward → receiving ward: the dossier is in its table (since `acknowledgedAt`). */
  cityEvent('HANDOVER_ACKNOWLEDGED', { acknowledgedAt: instant }),
  /**
   * Competent ward → receiving ward: the dossier as it is after a change, with its whole history,
   * and the e-result's PDF once issued (base64, with its SHA-256), so the receiving ward returns it.
   */
  cityEvent('DOSSIER_UPDATED', {
    dossier: storedRecord,
    history: z.array(storedRecord).min(1),
    resultPdf: z.object({ base64: text, sha256: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
  }),
]);
export type CityEvent = z.output<typeof CityEventSchema>;
export type CityEventType = CityEvent['type'];
export const CITY_EVENT_TYPES: readonly CityEventType[] = CityEventSchema.options.map((option) => option.shape.type.value);
