import { isSyncedChange, nationalSyncRecord, syncIdempotencyKey, type SyncUnit } from '../domain/national-sync';
import type { DossierStore, NationalSync, NationalSyncLedger, SyncBacklogEntry, WardSyncStatus } from './ports';

/**
 * The sync with the national public-service portal (or the city's TTHC system): each change of a
 * dossier is sent once, as its national record, in the order of the dossier's changes.
 *
 * Order: the stream delivers a dossier's outbox events in no guaranteed order (each event is its
 * own item, so its own partition of the stream), so the order comes from the dossier itself. Its
 * history numbers the changes 1, 2, 3 …; the ledger keeps the last one delivered; an attempt sends,
 * one after the other and each only after the one before was accepted, every change after it up to
 * the dossier's latest. A change is thus never sent before an earlier one: an event that arrives
 * early sends the earlier changes first, and the earlier events, arriving later, find them
 * delivered. Two attempts at once (the stream and the retry job) may both send a change; its
 * idempotency key (dossier code and change number) makes the second a repeat the receiver drops.
 *
 * Failures: an attempt that fails stops at the change that failed, records the dossier in the
 * backlog and returns (the stream moves on); the retry job attempts it again after growing waits,
 * and after the last one the entry is dead-lettered (kept, listed in the sync status, counted in
 * `SyncFailed`), no longer retried on a schedule: the dossier's next change tries again.
 */

/** Waits after each failed attempt: from half a minute to six hours, some fourteen hours in all. */
export const NATIONAL_SYNC_RETRY_DELAYS_SECONDS = [30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14_400, 21_600] as const;

export interface NationalSyncDeps {
  readonly dossiers: Pick<DossierStore, 'getDossierWithHistory'>;
  readonly ledger: NationalSyncLedger;
  readonly sync: NationalSync;
  readonly unit: SyncUnit;
  readonly now: () => Date;
  /**
   * Counts the dossier once as synchronised for Decision 766's share (countNationalSync), after
   * records of it were accepted once it is received; a second call counts nothing.
   */
  readonly countSynced: (dossierCode: string) => Promise<unknown>;
}

export type SyncOutcome =
  | { readonly status: 'SYNCED'; readonly sent: number }
  /** A delivery failed; the dossier waits in the backlog. */
  | { readonly status: 'RETRYING_LATER' | 'DEAD_LETTERED'; readonly sent: number; readonly unsent: number; readonly nextAttemptAt: Date; readonly cause: unknown };

/** The error a delivery failure is recorded with: its message only (an HTTP status, a timeout), never a record. */
const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 500);

/**
 * Sends every change of the dossier not yet delivered, in order.
 *
 * @throws Error when the dossier does not exist (an event about no dossier: a defect), or when the
 *   table is out of reach (the caller's retries then apply: the stream's, or the next job run)
 */
export interface SyncOptions {
  /** `RETRY`: the retry job's scheduled attempt (it counts in the schedule); `CHANGE`: a change's event. */
  readonly trigger?: 'CHANGE' | 'RETRY';
  /**
   * When the caller's invocation ends: each delivery waits at most until shortly before it, and
   * one that has no time left is not tried but left in the backlog, so that an endpoint that hangs
   * never makes a whole batch time out.
   */
  readonly deadline?: Date;
}

/** Time kept in hand before the deadline, for the ledger's writes. */
const DEADLINE_MARGIN_MS = 2_000;
/** A delivery is not started with less time than this. */
const MIN_DELIVERY_MS = 1_000;

export async function syncDossier(deps: NationalSyncDeps, dossierCode: string, options: SyncOptions = {}): Promise<SyncOutcome> {
  const trigger = options.trigger ?? 'CHANGE';
  const [view, state] = await Promise.all([deps.dossiers.getDossierWithHistory(dossierCode), deps.ledger.state(dossierCode)]);
  if (view === undefined) throw new Error(`no dossier ${dossierCode} to synchronise`);
  const pending = view.history.filter((entry) => entry.sequence > state.lastSyncedSequence && isSyncedChange(entry)).sort((a, b) => a.sequence - b.sequence);
  let sent = 0;
  for (const entry of pending) {
    const record = nationalSyncRecord(view, entry.sequence, deps.unit);
    try {
      const remainingMs = options.deadline === undefined ? undefined : options.deadline.getTime() - deps.now().getTime() - DEADLINE_MARGIN_MS;
      if (remainingMs !== undefined && remainingMs < MIN_DELIVERY_MS) throw new Error('no time left in this invocation: the retry job sends it');
      await deps.sync.send(record, syncIdempotencyKey(dossierCode, entry.sequence), remainingMs === undefined ? undefined : { timeoutMs: remainingMs });
    } catch (cause) {
      const now = deps.now();
      const earlier = state.backlog;
      // The schedule counts the retry job's attempts: a new change of a dossier already waiting
      // tries at once too (the receiver may be back), without using up the dossier's retries.
      const keepsSchedule = trigger === 'CHANGE' && earlier !== undefined;
      const attempts = keepsSchedule ? earlier.attempts : (earlier?.attempts ?? 0) + 1;
      const deadLettered = attempts > NATIONAL_SYNC_RETRY_DELAYS_SECONDS.length;
      const delaySeconds = NATIONAL_SYNC_RETRY_DELAYS_SECONDS[Math.min(attempts, NATIONAL_SYNC_RETRY_DELAYS_SECONDS.length) - 1] ?? 0;
      const backlog: SyncBacklogEntry = {
        dossierCode,
        unsent: pending.length - sent,
        attempts,
        since: earlier?.since ?? now,
        nextAttemptAt: keepsSchedule ? earlier.nextAttemptAt : new Date(now.getTime() + delaySeconds * 1000),
        lastError: errorMessage(cause),
        deadLettered: keepsSchedule ? earlier.deadLettered : deadLettered,
      };
      await deps.ledger.recordFailure(backlog, now);
      return { status: backlog.deadLettered ? 'DEAD_LETTERED' : 'RETRYING_LATER', sent, unsent: backlog.unsent, nextAttemptAt: backlog.nextAttemptAt, cause };
    }
    await deps.ledger.recordSynced(dossierCode, entry.sequence, deps.now());
    sent += 1;
  }
  if (state.backlog !== undefined) await deps.ledger.clearBacklog(dossierCode);
  if (sent > 0 && view.dossier.receivedAt !== undefined) await deps.countSynced(dossierCode);
  return { status: 'SYNCED', sent };
}

export interface RetryRunOutcome {
  readonly attempted: number;
  readonly synced: number;
  readonly stillFailing: number;
  readonly deadLettered: number;
  /** Changes still waiting after the run, dead-lettered ones included. */
  readonly backlogChanges: number;
  readonly backlogDossiers: number;
}

/** Dossiers one run of the retry job attempts at most (a run lasts minutes at most; the next takes the rest). */
export const RETRY_RUN_LIMIT = 100;

/**
 * One run of the retry job: every backlog entry whose next attempt is due at `at` is attempted
 * again, oldest first. A dossier whose table read fails stays in the backlog for the next run.
 */
export async function retryDueSyncs(deps: NationalSyncDeps, at: Date, deadline?: Date): Promise<RetryRunOutcome> {
  const due = await deps.ledger.dueBacklog(at, RETRY_RUN_LIMIT);
  let synced = 0;
  let stillFailing = 0;
  let deadLettered = 0;
  for (const entry of due) {
    const outcome = await syncDossier(deps, entry.dossierCode, { trigger: 'RETRY', ...(deadline ? { deadline } : {}) }).catch((cause: unknown) => ({
      status: 'FAILED' as const,
      cause,
    }));
    if (outcome.status === 'SYNCED') synced += 1;
    else if (outcome.status === 'DEAD_LETTERED') deadLettered += 1;
    else stillFailing += 1;
  }
  const backlog = await deps.ledger.backlog(RETRY_RUN_LIMIT * 10);
  return {
    attempted: due.length,
    synced,
    stillFailing,
    deadLettered,
    backlogChanges: backlog.reduce((sum, entry) => sum + entry.unsent, 0),
    backlogDossiers: backlog.length,
  };
}

export interface SyncStatusView {
  readonly status: WardSyncStatus;
  readonly backlog: readonly SyncBacklogEntry[];
}

/** Entries the operator's status lists at most. */
export const STATUS_BACKLOG_LIMIT = 100;

/** The ward's sync status for the operator: the counters and the dossiers waiting. */
export async function readSyncStatus(ledger: NationalSyncLedger): Promise<SyncStatusView> {
  const [status, backlog] = await Promise.all([ledger.wardStatus(), ledger.backlog(STATUS_BACKLOG_LIMIT)]);
  return { status, backlog };
}
