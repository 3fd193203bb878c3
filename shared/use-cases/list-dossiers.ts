import { ValidationError } from '../domain/errors';
import { isDossierCode, nameSearchKey } from '../domain/formats';
import { FINAL_STATUSES, type DossierStatus } from '../domain/status';
import { addDays, vietnamDate, vietnamInstant, weekday } from '../domain/time';
import type { Clock, IdHasher, WorklistPage, WorklistStore } from './ports';

/** `due=today`: the appointment is today; `due=week`: from today to the end of this week (Sunday), Vietnam time. */
export const WORKLIST_DUE = ['today', 'week'] as const;
export type WorklistDue = (typeof WORKLIST_DUE)[number];

export interface WorklistFilters {
  readonly status?: DossierStatus;
  readonly due?: WorklistDue;
  /** A search, on its own: a dossier code, a personal ID number, or the start of the applicant's name. */
  readonly q?: string;
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
 * | `due=today` / `due=week`   | appointment from the start of today (Vietnam time) to the end   |
 * |                            | of today / of this week (Sunday); with or without a status      |
 * | `q` (alone)                | a search: see {@link search}; one GetItem or one Query          |
 *
 * `due` is a range that starts today: dossiers due earlier are overdue, not due (`overdue=true`
 * lists them). `due`, `dueBefore` and `overdue` together take the intersection (the earliest end);
 * an empty one is answered without any read. `dueBefore` and `overdue` together take the earlier bound; `overdue=false` is no filter (the
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
export async function listDossiers(
  deps: { readonly worklist: WorklistStore; readonly clock: Clock; readonly idHasher: IdHasher },
  filters: WorklistFilters,
): Promise<WorklistPage> {
  if (filters.q !== undefined) return search(deps, filters.q, filters);
  const now = deps.clock.now();
  const today = vietnamDate(now);
  const dueFrom = filters.due ? vietnamInstant(today, 0) : undefined;
  const dueEnd = filters.due === 'today' ? vietnamInstant(addDays(today, 1), 0) : filters.due === 'week' ? vietnamInstant(addDays(today, 8 - (weekday(today) || 7)), 0) : undefined;
  const before = [dueEnd, filters.dueBefore, filters.overdue ? now : undefined].reduce(earlier, undefined);
  if (dueFrom !== undefined && before !== undefined && before <= dueFrom) return NOTHING;
  const page = { limit: filters.limit, cursor: filters.cursor, dueFrom, dueBefore: before };
  const bounded = before !== undefined || dueFrom !== undefined;
  const { status } = filters;
  if (status === undefined) return deps.worklist.listOpenByDue(page);
  if (filters.overdue && CLOCK_NEVER_RUNS.has(status)) return NOTHING;
  if (bounded && NEVER_RECEIVED.has(status)) return NOTHING;
  return deps.worklist.listByStatus(status, { ...page, runningClockOnly: filters.overdue === true });
}

/** The shortest name prefix a search takes (a letter and one more character). */
const MIN_NAME_PREFIX = 2;

/**
 * `q`: a dossier code (exact, in any letter case) is one GetItem; 12 digits are a personal ID
 * number, hashed with the ward's HMAC key into the applicant index's key (the number itself is
 * never a key), one Query; anything else is the start of the applicant's name, compared without
 * case or diacritics (nameSearchKey), one Query of the name index.
 */
async function search(deps: { readonly worklist: WorklistStore; readonly idHasher: IdHasher }, q: string, filters: WorklistFilters): Promise<WorklistPage> {
  if (filters.status !== undefined || filters.due !== undefined || filters.dueBefore !== undefined || filters.overdue) {
    throw new ValidationError([{ path: 'query.q', message: { vi: 'Tìm kiếm (q) không dùng cùng các bộ lọc khác.', en: 'A search (q) takes no other filter.' } }]);
  }
  const page = { limit: filters.limit, cursor: filters.cursor };
  const code = q.trim().toUpperCase();
  if (isDossierCode(code)) return deps.worklist.findByCode(code);
  if (/^\d{12}$/.test(q.trim())) return deps.worklist.listByApplicant(await deps.idHasher.hash(q.trim()), page);
  const prefix = nameSearchKey(q);
  if (prefix.length < MIN_NAME_PREFIX) {
    throw new ValidationError([
      {
        path: 'query.q',
        message: {
          vi: 'Nhập mã hồ sơ, số định danh cá nhân (12 chữ số) hoặc ít nhất 2 chữ cái đầu của họ tên.',
          en: 'Give a dossier code, a 12-digit ID number, or at least the first 2 letters of the name.',
        },
      },
    ]);
  }
  return deps.worklist.listByName(prefix, page);
}

const earlier = (instant: Date | undefined, other: Date | undefined): Date | undefined =>
  instant === undefined ? other : other === undefined || instant < other ? instant : other;
