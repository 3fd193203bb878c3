import { FINAL_STATUSES, type DossierStatus } from '../domain/status';
import type { Clock, WorklistPage, WorklistStore } from './ports';

export interface WorklistFilters {
  readonly status?: DossierStatus;
  /** Only dossiers whose appointment is strictly before this instant. */
  readonly dueBefore?: Date;
  /** Only open dossiers whose appointment has passed while their clock runs (see listDossiers). */
  readonly overdue?: boolean;
  /** 1–100. */
  readonly limit: number;
  readonly cursor?: string;
}

/** Statuses of dossiers never received: they have no appointment, so nothing of them is "due". */
const NEVER_RECEIVED: ReadonlySet<DossierStatus> = new Set(['SUBMITTED', 'NOT_RECEIVED']);

/**
 * Statuses in which a dossier's clock never runs: not received yet, stopped for the citizen's
 * supplement, resolved, or closed. No dossier in them is overdue by the worklist's meaning.
 */
const CLOCK_NEVER_RUNS: ReadonlySet<DossierStatus> = new Set(['SUBMITTED', 'SUPPLEMENT_REQUESTED', 'RESOLVED', ...FINAL_STATUSES]);

const NOTHING: WorklistPage = { items: [], nextCursor: null };

/**
 * The officers' worklist (`GET /officer/dossiers`), one page per call, each page ONE Query of an
 * index, sorted by appointment (earliest first):
 *
 * | filters                    | read                                                            |
 * |----------------------------|-----------------------------------------------------------------|
 * | none                       | every open dossier whose clock runs (`openByDue`)               |
 * | `dueBefore`                | the same, appointment < dueBefore                               |
 * | `overdue`                  | the same, appointment < now                                     |
 * | `status`                   | that status (`byStatus`), never-received ones by submission time |
 * | `status` + `dueBefore`     | that status, appointment < dueBefore (key condition)            |
 * | `status` + `overdue`       | that status, appointment < now, clock running                   |
 *
 * `dueBefore` and `overdue` together take the earlier bound; `overdue=false` is no filter (the
 * same as leaving it out), not "only dossiers that are not overdue". Without a status, the default list
 * is what officers act on: dossiers received and not resolved, whose clock runs (RECEIVED,
 * IN_PROGRESS, PAYMENT_REQUESTED, WITHDRAWAL_REQUESTED). Online dossiers waiting for the intake
 * check have no appointment yet: `status=SUBMITTED` lists them, oldest submission first.
 *
 * "Overdue" here means **the appointment has passed and the dossier is still open with its clock
 * running**, judged at the time of the request. The `overdue` flag of each item is the deadline
 * workflow's mark (set at the appointment, kept even after an apology letter's new date), so a
 * dossier given a new, future appointment leaves this list while its flag stays true, and one
 * whose appointment passed a moment ago is listed before the workflow has flagged it.
 *
 * Pages are full (`limit` items) whenever more items follow, with one exception: with a status
 * and a bound, the byStatus index also holds that status's never-received dossiers, sorted by
 * submission time, which a filter drops; in the statuses that mix them with received ones
 * (SUPPLEMENT_REQUESTED, WITHDRAWAL_REQUESTED, STOPPED) a page may then be short, even empty,
 * with a `nextCursor`. Statuses where the answer is empty by definition (a bound on SUBMITTED or
 * NOT_RECEIVED; overdue in a status whose clock never runs) are answered without any read.
 *
 * @throws ValidationError (400, `query.cursor`) for a cursor this list did not produce
 */
export async function listDossiers(deps: { readonly worklist: WorklistStore; readonly clock: Clock }, filters: WorklistFilters): Promise<WorklistPage> {
  const before = filters.overdue ? earlier(filters.dueBefore, deps.clock.now()) : filters.dueBefore;
  const page = { limit: filters.limit, cursor: filters.cursor, dueBefore: before };
  const { status } = filters;
  if (status === undefined) return deps.worklist.listOpenByDue(page);
  if (filters.overdue && CLOCK_NEVER_RUNS.has(status)) return NOTHING;
  if (before !== undefined && NEVER_RECEIVED.has(status)) return NOTHING;
  return deps.worklist.listByStatus(status, { ...page, runningClockOnly: filters.overdue === true });
}

const earlier = (instant: Date | undefined, other: Date): Date => (instant !== undefined && instant < other ? instant : other);
