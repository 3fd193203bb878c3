import * as z from 'zod';
import { dueReminderAt } from '../domain/calendar';
import type { Dossier } from '../domain/dossier';
import { CLOCK_START_EVENTS, CLOCK_STOP_EVENTS, domainEvent, isEventOf, type DomainEvent } from '../domain/events';
import { VersionConflictError } from '../domain/errors';
import { isFinal } from '../domain/status';
import type { OfficeHours } from '../domain/ward-config';
import type { Clock, DossierStore } from './ports';
import { overdueCounters } from './kpi-counters';
import { recordChange } from './record-change';

/**
 * The deadline clock of a dossier ("thời hạn giải quyết", domain.md "Deadlines"): one execution
 * of the deadline state machine per clock generation (infra/constructs/deadline-workflow.ts),
 * started and stopped by the deadline starter from the outbox events, and woken twice:
 * `DUE_TOMORROW` one working day before the appointment, `OVERDUE` at the appointment.
 *
 * Every decision is taken from the dossier as it is at wake-up, never from the execution: a
 * wake-up of another generation, or of a dossier whose clock no longer runs, changes nothing, so
 * a late, repeated or concurrent wake-up (or a stop that came too late) is harmless.
 */

export const DEADLINE_STEPS = ['DUE_TOMORROW', 'OVERDUE'] as const;
export type DeadlineStep = (typeof DEADLINE_STEPS)[number];

/** What the state machine passes to the check-deadline task. */
export const DeadlineWakeUpSchema = z.object({
  step: z.enum(DEADLINE_STEPS),
  dossierCode: z.string().min(1).max(64),
  generation: z.number().int().min(1),
});
export type DeadlineWakeUp = z.output<typeof DeadlineWakeUpSchema>;

/** The input of one execution (instants as UTC ISO strings, to the second, as Step Functions' Wait reads them). */
export interface DeadlineExecutionInput {
  readonly dossierCode: string;
  readonly generation: number;
  readonly dueReminderAt: string;
  readonly appointmentAt: string;
}

/** Starts and stops the executions of the deadline state machine (adapters: Step Functions; local mode's runner). */
export interface DeadlineScheduler {
  /** Starts the execution of this dossier clock generation; starting one that exists already is no error. */
  start(input: DeadlineExecutionInput): Promise<'STARTED' | 'ALREADY_STARTED'>;
  /** Stops it, if it is running; an execution that does not exist or has ended is no error. */
  stop(dossierCode: string, generation: number): Promise<'STOPPED' | 'NOT_RUNNING'>;
}

/** Writes outbox events that must exist at most once. */
export interface DeadlineEventStore {
  /**
   * Writes `event` (whose id is deterministic) unless an event with its id exists, on condition
   * that the dossier is still at `expectedVersion`, in one transaction.
   * @throws VersionConflictError when the dossier changed since it was read
   */
  recordEventOnce(event: DomainEvent, dossier: { code: string; expectedVersion: number }): Promise<'WRITTEN' | 'ALREADY_WRITTEN'>;
}

/**
 * Whether the dossier's deadline clock runs: received (it has an appointment), not resolved nor
 * closed, not stopped for the citizen's supplement (still stopped if the citizen then asked to
 * withdraw): the same rule as the open-by-due index (items.ts).
 */
export function clockRuns(dossier: Dossier): boolean {
  return (
    dossier.appointmentAt !== undefined &&
    !isFinal(dossier.status) &&
    dossier.status !== 'RESOLVED' &&
    dossier.status !== 'SUPPLEMENT_REQUESTED' &&
    dossier.clockStoppedAt === undefined
  );
}

export type SkipReason =
  /** No such dossier (it cannot be deleted: a wake-up for a code that never existed). */
  | 'NOT_FOUND'
  /** The execution is of an older (or, out of order, newer) clock generation. */
  | 'OTHER_GENERATION'
  /** Resolved, closed, or waiting on the citizen. */
  | 'CLOCK_STOPPED'
  /**
   * The reminder instant came before the clock started (a same-day procedure, or a supplement
   * resumed with less than a working day left): there was no "day before" to warn on.
   */
  | 'NO_DAY_BEFORE'
  /** Overdue already: the flag is set once per dossier, whatever generation comes later. */
  | 'ALREADY_OVERDUE';

export type DeadlineDecision = { readonly action: 'ALERT_DUE_TOMORROW' } | { readonly action: 'MARK_OVERDUE' } | { readonly action: 'SKIP'; readonly reason: SkipReason };

/** What a wake-up does to the dossier as it is now. Pure. */
export function decideDeadline(dossier: Dossier, wakeUp: DeadlineWakeUp, officeHours: OfficeHours): DeadlineDecision {
  if (dossier.clockGeneration !== wakeUp.generation) return skip('OTHER_GENERATION');
  if (!clockRuns(dossier) || dossier.appointmentAt === undefined) return skip('CLOCK_STOPPED');
  switch (wakeUp.step) {
    case 'DUE_TOMORROW': {
      const reminder = dueReminderAt(dossier.appointmentAt, officeHours, dossier.procedure.worksOnHolidays);
      if (dossier.clockStartsAt !== undefined && reminder.getTime() < dossier.clockStartsAt.getTime()) return skip('NO_DAY_BEFORE');
      return { action: 'ALERT_DUE_TOMORROW' };
    }
    case 'OVERDUE':
      return dossier.overdue ? skip('ALREADY_OVERDUE') : { action: 'MARK_OVERDUE' };
  }
}

const skip = (reason: SkipReason): DeadlineDecision => ({ action: 'SKIP', reason });

export type DeadlineOutcome = { readonly outcome: 'ALERTED' | 'ALREADY_ALERTED' | 'MARKED_OVERDUE' } | { readonly outcome: 'SKIPPED'; readonly reason: SkipReason };

export interface CheckDeadlineDeps {
  readonly dossiers: DossierStore;
  readonly events: DeadlineEventStore;
  readonly clock: Clock;
  readonly officeHours: OfficeHours;
}

/** Reads, decides and writes again when another change came between the read and the write. */
const MAX_ATTEMPTS = 4;

/** The outbox event id of a generation's due-tomorrow alert: one per generation, whoever writes it. */
export const dueTomorrowEventId = (code: string, generation: number): string => `due-${code}-g${generation}`;

/**
 * The check-deadline task (one wake-up of an execution):
 * - `DUE_TOMORROW`: writes the `DOSSIER_DUE_TOMORROW` outbox event (the notifier alerts the
 *   officers), once per generation: its id is deterministic and its write conditional;
 * - `OVERDUE`: marks the dossier overdue, with its history event (`mark-overdue`, status
 *   unchanged) and the `DOSSIER_OVERDUE` outbox event (the notifier sends the citizen's apology
 *   SMS and alerts the officers) in one transaction. The write is conditional on the version the
 *   decision was taken on (not overdue, this generation, clock running), so of two wake-ups at
 *   once one marks it and the other, re-reading, finds it marked.
 * Both write only if the dossier did not change since it was read; when it did, the task reads
 * and decides again.
 *
 * @throws VersionConflictError when the dossier kept changing ({@link MAX_ATTEMPTS} reads); the
 *   state machine retries the task
 */
export async function checkDeadline(deps: CheckDeadlineDeps, wakeUp: DeadlineWakeUp): Promise<DeadlineOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    const dossier = await deps.dossiers.getDossier(wakeUp.dossierCode);
    if (!dossier) return { outcome: 'SKIPPED', reason: 'NOT_FOUND' };
    const decision = decideDeadline(dossier, wakeUp, deps.officeHours);
    if (decision.action === 'SKIP') return { outcome: 'SKIPPED', reason: decision.reason };
    try {
      return decision.action === 'ALERT_DUE_TOMORROW' ? await alertDueTomorrow(deps, dossier) : await markOverdue(deps, dossier);
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** The appointment and generation of a clock that {@link decideDeadline} found running. */
function runningClock(dossier: Dossier): { appointmentAt: Date; clockGeneration: number } {
  if (dossier.appointmentAt === undefined || dossier.clockGeneration === undefined) throw new Error(`dossier ${dossier.code} has no running clock`);
  return { appointmentAt: dossier.appointmentAt, clockGeneration: dossier.clockGeneration };
}

async function alertDueTomorrow(deps: CheckDeadlineDeps, dossier: Dossier): Promise<DeadlineOutcome> {
  const { appointmentAt, clockGeneration } = runningClock(dossier);
  const written = await deps.events.recordEventOnce(
    domainEvent({
      id: dueTomorrowEventId(dossier.code, clockGeneration),
      type: 'DOSSIER_DUE_TOMORROW',
      dossierCode: dossier.code,
      at: deps.clock.now(),
      data: {
        phone: dossier.applicant.phone,
        procedureName: dossier.procedure.name,
        status: dossier.status,
        appointmentAt: appointmentAt.toISOString(),
        clockGeneration,
      },
    }),
    { code: dossier.code, expectedVersion: dossier.version },
  );
  return { outcome: written === 'WRITTEN' ? 'ALERTED' : 'ALREADY_ALERTED' };
}

async function markOverdue(deps: CheckDeadlineDeps, dossier: Dossier): Promise<DeadlineOutcome> {
  const { appointmentAt, clockGeneration } = runningClock(dossier);
  await recordChange(deps.dossiers, {
    before: dossier,
    after: { ...dossier, overdue: true },
    actor: { role: 'system' },
    action: 'mark-overdue',
    // One more open overdue dossier, until it is resolved or stopped (kpi-counters.ts).
    kpi: overdueCounters(),
    event: {
      type: 'DOSSIER_OVERDUE',
      data: {
        status: dossier.status,
        appointmentAt: appointmentAt.toISOString(),
        firstAppointmentAt: (dossier.firstAppointmentAt ?? appointmentAt).toISOString(),
        clockGeneration,
      },
    },
    at: deps.clock.now(),
  });
  return { outcome: 'MARKED_OVERDUE' };
}

export type StarterOutcome =
  | { readonly action: 'STARTED'; readonly generation: number; readonly start: 'STARTED' | 'ALREADY_STARTED'; readonly stoppedPrevious?: 'STOPPED' | 'NOT_RUNNING' }
  | { readonly action: 'STOPPED'; readonly generation: number; readonly stop: 'STOPPED' | 'NOT_RUNNING' }
  | { readonly action: 'NOTHING'; readonly reason: 'NO_CLOCK' | 'NO_GENERATION' | 'NOT_A_CLOCK_EVENT' };

export interface StartDeadlinesDeps {
  readonly scheduler: DeadlineScheduler;
  readonly officeHours: OfficeHours;
}

/**
 * The deadline starter (a stream consumer): on an event that starts a clock generation it starts
 * that generation's execution, then stops the previous generation's (if any: a restart after a
 * supplement, or an apology's new appointment); on an event that stops the clock it stops the
 * generation the event names. Both are idempotent, and the order the stream delivers events in
 * does not matter: a stale execution that keeps running only wakes up to find another
 * generation, or a stopped clock, and does nothing.
 *
 * The events it handles are the domain's {@link CLOCK_START_EVENTS} and {@link CLOCK_STOP_EVENTS},
 * which its consumer subscribes to (shared/runtime/consumers.ts); their schemas guarantee the
 * clock data read here. A supplement before receipt names no clock and starts nothing; a stopping
 * event of a dossier whose clock never ran (generation null) stops nothing (the check at wake-up
 * makes that safe).
 */
export async function startDeadlines(deps: StartDeadlinesDeps, event: DomainEvent): Promise<StarterOutcome> {
  if (isEventOf(CLOCK_START_EVENTS, event)) {
    const clock = event.data;
    if (clock.appointmentAt === undefined) return { action: 'NOTHING', reason: 'NO_CLOCK' };
    const start = await deps.scheduler.start(executionInput(event.dossierCode, clock.clockGeneration, new Date(clock.appointmentAt), deps.officeHours, clock.worksOnHolidays));
    if (clock.clockGeneration === 1) return { action: 'STARTED', generation: 1, start };
    const stoppedPrevious = await deps.scheduler.stop(event.dossierCode, clock.clockGeneration - 1);
    return { action: 'STARTED', generation: clock.clockGeneration, start, stoppedPrevious };
  }
  if (isEventOf(CLOCK_STOP_EVENTS, event)) {
    const generation = event.data.clockGeneration;
    if (generation === null) return { action: 'NOTHING', reason: 'NO_GENERATION' };
    const stop = await deps.scheduler.stop(event.dossierCode, generation);
    return { action: 'STOPPED', generation, stop };
  }
  return { action: 'NOTHING', reason: 'NOT_A_CLOCK_EVENT' };
}

/** The execution input of a clock generation: its reminder instant from the working-day calendar. */
export function executionInput(dossierCode: string, generation: number, appointmentAt: Date, officeHours: OfficeHours, worksOnHolidays: boolean): DeadlineExecutionInput {
  return {
    dossierCode,
    generation,
    dueReminderAt: stepFunctionsInstant(dueReminderAt(appointmentAt, officeHours, worksOnHolidays)),
    appointmentAt: stepFunctionsInstant(appointmentAt),
  };
}

/**
 * `2026-01-05T10:00:00Z`: whole seconds, rounded up so a wake-up is never before the instant
 * (appointments are on the minute anyway).
 */
export function stepFunctionsInstant(instant: Date): string {
  return new Date(Math.ceil(instant.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
