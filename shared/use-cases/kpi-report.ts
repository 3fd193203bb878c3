import { ValidationError } from '../domain/errors';
import type { WardConfig } from '../domain/ward-config';
import { KPI_COUNTERS, type KpiCounter } from '../domain/dossier';
import { addDays, vietnamDate, weekday } from '../domain/time';
import type { Clock, DayTotals, KpiStore, KpiTotals } from './ports';

/** The steps of a report's series (`GET /officer/kpis?interval=`); weeks run Monday to Sunday. */
export const KPI_INTERVALS = ['day', 'week', 'month'] as const;
export type KpiInterval = (typeof KPI_INTERVALS)[number];

/** The longest range one report covers: a leap year. */
export const MAX_REPORT_DAYS = 366;

export type Targets = WardConfig['targets'];

/** Targets of a report over several wards: a target the wards do not share is null (see commonTargets). */
export type ReportTargets = { readonly [K in keyof Targets]: Targets[K] | null };

/**
 * One indicator against its target. `value` is a share in [0, 1], like the targets.
 *
 * `value` and `met` are null when the denominator is 0 (nothing received, resolved or rated in
 * the range): a share of nothing is undefined, and reporting it as 0% would show a failed target,
 * as 100% a met one, for work that did not happen.
 */
export interface Indicator {
  readonly value: number | null;
  /** The ward's target (Hanoi's, in the ward configuration); null where the city sets none. */
  readonly target: number | null;
  /** `value ≥ target`; null without a value or a target. */
  readonly met: boolean | null;
}

export interface ShareIndicator extends Indicator {
  readonly numerator: number;
  readonly denominator: number;
}

/** The national formula: 100% − overdue% − complaint%, with both parts shown. */
export interface NationalSatisfactionIndicator extends Indicator {
  /** resolvedLate / resolved. */
  readonly overdueShare: number | null;
  /** ratedDissatisfied / ratings. */
  readonly complaintShare: number | null;
}

/**
 * One of Decision 766/QĐ-TTg's figures, with what an auditor needs to recompute it: its
 * `formula` in the names of `terms`, each term's value over the range, and the numerator and
 * denominator the formula gives (`value = numerator / denominator`, null when it is 0).
 */
export interface NationalIndicator extends Indicator {
  readonly formula: string;
  readonly numerator: number;
  readonly denominator: number;
  readonly terms: Readonly<Record<string, number>>;
}

/**
 * Decision 766/QĐ-TTg's figures ("Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ
 * người dân, doanh nghiệp"), as the national dashboard computes them from the synchronised
 * dossiers, here from the ward's daily counters (see {@link nationalIndicatorsOf}).
 */
export interface NationalIndicators {
  /**
   * Dossiers marked overdue and still open (not resolved nor stopped) at the end of the range:
   * handled in the period and late, so in the on-time figure's denominator. For a range that
   * ends today or later, at `asOf`.
   */
  readonly openOverdueAtEnd: number;
  readonly onTimeShare: NationalIndicator;
  readonly lateShare: NationalIndicator;
  readonly complaintShare: NationalIndicator;
  readonly satisfaction: NationalIndicator;
  readonly syncedShare: NationalIndicator;
  readonly eResultShare: NationalIndicator;
  readonly paidOnlineShare: NationalIndicator;
}

export interface KpiReport {
  /** `YYYY-MM-DD`, Vietnam time, both included. */
  readonly from: string;
  readonly to: string;
  readonly days: number;
  /** When the report was made: the instant `openOverdue` is counted at. */
  readonly asOf: Date;
  readonly indicators: {
    /** Received online / received. */
    readonly onlineShare: ShareIndicator;
    /** Received fully online ("toàn trình") / received. */
    readonly fullyOnlineShare: ShareIndicator;
    /** Resolved early or on time / resolved. */
    readonly onTimeShare: ShareIndicator;
    /** Resolved with an archived e-copy / resolved. */
    readonly eCopyShare: ShareIndicator;
    /** Rated very satisfied or satisfied / ratings. */
    readonly satisfiedShare: ShareIndicator;
    readonly nationalSatisfaction: NationalSatisfactionIndicator;
  };
  readonly counts: {
    readonly submitted: number;
    readonly received: number;
    readonly notReceived: number;
    readonly resolved: number;
    readonly early: number;
    readonly onTime: number;
    readonly late: number;
    readonly returned: number;
    readonly stopped: number;
    readonly ratings: number;
    /**
     * Open dossiers whose appointment has passed while their clock runs, at `asOf`: a snapshot
     * of now, not a count over the range (an open dossier has no day to be counted on).
     */
    readonly openOverdue: number;
  };
  /** Decision 766's figures for the range, beside the city's above. */
  readonly national: NationalIndicators;
  /** Every daily counter summed over the range, for the detail behind the figures above. */
  readonly counters: KpiTotals;
  /** The step of {@link series}. */
  readonly interval: KpiInterval;
  /** The same indicators for each step of the range, in order, for charts; every step is there, an empty one with null values. */
  readonly series: readonly KpiPoint[];
}

/** One step of a report's series. */
export interface KpiPoint {
  /** `YYYY-MM-DD` (a day), `YYYY-Www` (an ISO week) or `YYYY-MM` (a month). */
  readonly period: string;
  /** The step's days within the report's range, both included. */
  readonly from: string;
  readonly to: string;
  readonly indicators: KpiReport['indicators'];
  readonly counts: Omit<KpiReport['counts'], 'openOverdue'>;
  /** Decision 766's figures for the step, its open overdue dossiers counted at the step's end. */
  readonly national: NationalIndicators;
}

/**
 * The number of days of `from`..`to` (both included).
 * @throws ValidationError when `to` is before `from`, or the range is longer than `maxDays` ({@link MAX_REPORT_DAYS} by default)
 */
export function reportDays(from: string, to: string, maxDays: number = MAX_REPORT_DAYS): number {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (!Number.isInteger(days)) {
    throw new ValidationError([{ path: 'query.from', message: { vi: 'Ngày phải có dạng YYYY-MM-DD.', en: 'Dates must be YYYY-MM-DD.' } }]);
  }
  if (days < 1) {
    throw new ValidationError([{ path: 'query.to', message: { vi: 'Ngày kết thúc không được trước ngày bắt đầu.', en: '"to" must not be before "from".' } }]);
  }
  if (days > maxDays) {
    throw new ValidationError([
      {
        path: 'query.to',
        message: { vi: `Mỗi báo cáo tối đa ${maxDays} ngày.`, en: `A report covers at most ${maxDays} days.` },
      },
    ]);
  }
  return days;
}

/**
 * The ward's KPI report (`GET /officer/kpis?from=&to=&interval=`, leader): the daily counters of
 * the range (one Query of ~one small item per day, whatever the number of dossiers), summed for the
 * range and for each step of its series, and the open overdue dossiers now and at the range's end
 * (the running number of open overdue dossiers, KPI_SHARDS small items, and the days after the
 * range), then {@link computeKpiReport}. It reads no dossier: its cost is the same for 100 or
 * 10,000 open dossiers. The reads run together.
 *
 * @throws ValidationError (400) when `to` is before `from` or the range exceeds 366 days; nothing is read then
 */
export async function getKpiReport(
  deps: { readonly kpis: KpiStore; readonly clock: Clock; readonly targets: Targets },
  range: { readonly from: string; readonly to: string; readonly interval?: KpiInterval },
): Promise<KpiReport> {
  reportDays(range.from, range.to);
  const asOf = deps.clock.now();
  const today = vietnamDate(asOf);
  const [days, openOverdue, openOverdueAtEnd] = await Promise.all([
    deps.kpis.dailyTotals(range.from, range.to),
    // A dossier is marked overdue (and counted) when its appointment passes: the deadline workflow's OVERDUE step.
    deps.kpis.openOverdueAtEndOf(today, today),
    range.to >= today ? undefined : deps.kpis.openOverdueAtEndOf(range.to, today),
  ]);
  return computeKpiReport({
    from: range.from,
    to: range.to,
    interval: range.interval,
    days,
    openOverdue,
    openOverdueAtEnd: openOverdueAtEnd ?? openOverdue,
    asOf,
    targets: deps.targets,
  });
}

/** The default step of a range's series: days up to a month, weeks up to a quarter, months beyond. */
export function defaultInterval(days: number): KpiInterval {
  return days <= 31 ? 'day' : days <= 92 ? 'week' : 'month';
}

/**
 * Every indicator of the domain's "Satisfaction and statistics", from the daily counters, for the
 * range and for each step of its series. Pure.
 *
 * - onlineShare = receivedOnline / received (target: targets.onlineShare, Hanoi ≥ 60% for wards)
 * - fullyOnlineShare = receivedFullyOnline / received (≥ targets.fullyOnlineShare, Hanoi 20%)
 * - onTimeShare = (resolvedEarly + resolvedOnTime) / resolved (≥ targets.onTimeShare, 100%);
 *   on time and early count against the first appointment, and a dossier once marked overdue
 *   counts as late (see kpi-counters.ts)
 * - eCopyShare = resolvedWithECopy / resolved (≥ targets.eCopyShare, 100%)
 * - satisfiedShare = (ratedVerySatisfied + ratedSatisfied) / ratings (≥ targets.satisfiedShare, 85%)
 * - nationalSatisfaction = 100% − overdue% − complaint%, where overdue% = resolvedLate / resolved
 *   and complaint% = ratedDissatisfied / ratings: the ward's own complaint channel is the
 *   rating, so a "dissatisfied" rating stands for a complaint. No target (`met` null). It needs
 *   both parts, so it is null when either denominator is 0; it is not clamped, so a very bad
 *   period may go below 0.
 *
 * Shares are computed with one division of integers, so a share equal to a decimal target
 * (3/5 and 0.6) compares equal, and "met" is exactly `value ≥ target`.
 *
 * Days of `days` outside the range are ignored.
 */
export function computeKpiReport(input: {
  readonly from: string;
  readonly to: string;
  readonly interval?: KpiInterval;
  readonly days: readonly DayTotals[];
  readonly openOverdue: number;
  /** Dossiers marked overdue and still open at the end of `to` (KpiStore.openOverdueAtEndOf). */
  readonly openOverdueAtEnd: number;
  readonly asOf: Date;
  readonly targets: Targets;
}): KpiReport {
  const { targets } = input;
  const length = reportDays(input.from, input.to);
  const interval = input.interval ?? defaultInterval(length);
  const t = sumOver(input.days, input.from, input.to);
  return {
    from: input.from,
    to: input.to,
    days: length,
    asOf: input.asOf,
    indicators: indicatorsOf(t, targets),
    counts: { ...countsOf(t), openOverdue: input.openOverdue },
    national: nationalIndicatorsOf(t, input.openOverdueAtEnd, targets),
    counters: { ...t },
    interval,
    series: stepsOf(input.from, input.to, interval).map((step) => {
      const totals = sumOver(input.days, step.from, step.to);
      const openAtStepEnd = openOverdueAtEndOfStep(input.days, step.to, input.to, input.openOverdueAtEnd);
      return { ...step, indicators: indicatorsOf(totals, targets), counts: countsOf(totals), national: nationalIndicatorsOf(totals, openAtStepEnd, targets) };
    }),
  };
}

/**
 * The open overdue dossiers at the end of `stepEnd`, from those at the end of the range (`to`):
 * the overdue marked after the step and still in the range undone, the overdue closed after it added back.
 */
export function openOverdueAtEndOfStep(days: readonly DayTotals[], stepEnd: string, to: string, openAtEndOfRange: number): number {
  let open = openAtEndOfRange;
  for (const { day, totals } of days) if (day > stepEnd && day <= to) open += totals.overdueClosed - totals.overdueMarked;
  return open;
}

/**
 * Decision 766/QĐ-TTg's figures from counters summed over a period (a ward's, or the city's
 * summed over its wards: numerators and denominators are summed, never the shares). Pure.
 *
 * "Handled in the period" (`handled`) = resolved + openOverdueAtEnd: the dossiers resolved in the
 * period and those marked overdue still open at its end (766 counts an open dossier past its
 * appointment as handled late).
 *
 * - onTimeShare = (resolvedEarly + resolvedOnTime − resolvedOnTimeWithSupplements) / handled:
 *   resolved by the first appointment, not marked overdue, and after at most one supplement
 *   request (766: more than one supplement request counts as late). Target: the city's on-time
 *   target.
 * - lateShare = (handled − onTime numerator) / handled = 1 − onTimeShare.
 * - complaintShare = ratedDissatisfied / handled. A **complaint** in this product is a
 *   "dissatisfied" rating: the rating (once per dossier, after it is resolved) is the citizen's
 *   channel for a complaint about a dossier, so at most one per dossier, counted on the day it
 *   is given. (766 counts dossiers with a complaint or a "dislike" over the dossiers handled.)
 * - satisfaction = 100% − lateShare − complaintShare
 *   = (onTime numerator − ratedDissatisfied) / handled, as one fraction; not clamped (a dossier
 *   both late and rated dissatisfied is subtracted twice, as the formula does). No target.
 * - syncedShare = synced / received: dossiers received in the period whose record the national
 *   portal acknowledged (counted on their receipt day, see countNationalSync). No target.
 * - eResultShare = resolvedWithECopy / resolved: resolutions whose e-result (or refusal notice)
 *   was archived in the resolution's transaction; every procedure of the ward returns a result in
 *   writing. Target: the city's e-copy target.
 * - paidOnlineShare = paidOnline / paymentsRecorded: fees and taxes of the period paid through an
 *   online payment service. No target.
 */
export function nationalIndicatorsOf(t: KpiTotals, openOverdueAtEnd: number, targets: ReportTargets): NationalIndicators {
  const handled = t.resolved + openOverdueAtEnd;
  const onTime = t.resolvedEarly + t.resolvedOnTime - t.resolvedOnTimeWithSupplements;
  const handledTerms = { resolved: t.resolved, openOverdueAtEnd };
  const onTimeTerms = { resolvedEarly: t.resolvedEarly, resolvedOnTime: t.resolvedOnTime, resolvedOnTimeWithSupplements: t.resolvedOnTimeWithSupplements };
  return {
    openOverdueAtEnd,
    onTimeShare: national(
      '(resolvedEarly + resolvedOnTime - resolvedOnTimeWithSupplements) / (resolved + openOverdueAtEnd)',
      { ...onTimeTerms, ...handledTerms },
      onTime,
      handled,
      targets.onTimeShare,
    ),
    lateShare: national(
      '(resolved + openOverdueAtEnd - (resolvedEarly + resolvedOnTime - resolvedOnTimeWithSupplements)) / (resolved + openOverdueAtEnd)',
      { ...onTimeTerms, ...handledTerms },
      handled - onTime,
      handled,
      null,
    ),
    complaintShare: national('ratedDissatisfied / (resolved + openOverdueAtEnd)', { ratedDissatisfied: t.ratedDissatisfied, ...handledTerms }, t.ratedDissatisfied, handled, null),
    satisfaction: national(
      '1 - lateShare - complaintShare = (resolvedEarly + resolvedOnTime - resolvedOnTimeWithSupplements - ratedDissatisfied) / (resolved + openOverdueAtEnd)',
      { ...onTimeTerms, ratedDissatisfied: t.ratedDissatisfied, ...handledTerms },
      onTime - t.ratedDissatisfied,
      handled,
      null,
    ),
    syncedShare: national('synced / received', { synced: t.synced, received: t.received }, t.synced, t.received, null),
    eResultShare: national('resolvedWithECopy / resolved', { resolvedWithECopy: t.resolvedWithECopy, resolved: t.resolved }, t.resolvedWithECopy, t.resolved, targets.eCopyShare),
    paidOnlineShare: national('paidOnline / paymentsRecorded', { paidOnline: t.paidOnline, paymentsRecorded: t.paymentsRecorded }, t.paidOnline, t.paymentsRecorded, null),
  };
}

function national(formula: string, terms: Record<string, number>, numerator: number, denominator: number, target: number | null): NationalIndicator {
  const value = ratio(numerator, denominator);
  return { value, target, met: value === null || target === null ? null : value >= target, formula, numerator, denominator, terms };
}

export function indicatorsOf(t: KpiTotals, targets: ReportTargets): KpiReport['indicators'] {
  const overdueShare = ratio(t.resolvedLate, t.resolved);
  const complaintShare = ratio(t.ratedDissatisfied, t.ratings);
  // (1 − late/resolved − dissatisfied/ratings) as one fraction: 1 − 1/2 − 2/5 is 0.1, not 0.09999999999999998.
  const national =
    overdueShare === null || complaintShare === null ? null : (t.resolved * t.ratings - t.resolvedLate * t.ratings - t.ratedDissatisfied * t.resolved) / (t.resolved * t.ratings);
  return {
    onlineShare: share(t.receivedOnline, t.received, targets.onlineShare),
    fullyOnlineShare: share(t.receivedFullyOnline, t.received, targets.fullyOnlineShare),
    onTimeShare: share(t.resolvedEarly + t.resolvedOnTime, t.resolved, targets.onTimeShare),
    eCopyShare: share(t.resolvedWithECopy, t.resolved, targets.eCopyShare),
    satisfiedShare: share(t.ratedVerySatisfied + t.ratedSatisfied, t.ratings, targets.satisfiedShare),
    nationalSatisfaction: { value: national, target: null, met: null, overdueShare, complaintShare },
  };
}

export const countsOf = (t: KpiTotals): KpiPoint['counts'] => ({
  submitted: t.submitted,
  received: t.received,
  notReceived: t.notReceived,
  resolved: t.resolved,
  early: t.resolvedEarly,
  onTime: t.resolvedOnTime,
  late: t.resolvedLate,
  returned: t.returned,
  stopped: t.stopped,
  ratings: t.ratings,
});

/** The counters of the days `from`..`to` (both included) summed; 0 for a counter no day added to. */
export function sumOver(days: readonly DayTotals[], from: string, to: string): KpiTotals {
  const totals = Object.fromEntries(KPI_COUNTERS.map((counter) => [counter, 0])) as Record<KpiCounter, number>;
  for (const { day, totals: counts } of days) {
    if (day < from || day > to) continue;
    for (const counter of KPI_COUNTERS) totals[counter] += counts[counter];
  }
  return totals;
}

/** The steps of `from`..`to`: each day, each week (Monday–Sunday) or each month touched, cut to the range. */
export function stepsOf(from: string, to: string, interval: KpiInterval): { period: string; from: string; to: string }[] {
  const steps: { period: string; from: string; to: string }[] = [];
  for (let start = from; start <= to; ) {
    const end = minDay(to, lastDayOfStep(start, interval));
    steps.push({ period: periodOf(start, interval), from: start, to: end });
    start = addDays(end, 1);
  }
  return steps;
}

function lastDayOfStep(day: string, interval: KpiInterval): string {
  if (interval === 'day') return day;
  if (interval === 'week') return addDays(day, (7 - weekday(day)) % 7);
  const [year = 0, month = 0] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

function periodOf(day: string, interval: KpiInterval): string {
  if (interval === 'day') return day;
  if (interval === 'month') return day.slice(0, 7);
  // ISO 8601 week: the week (Monday–Sunday) belongs to the year of its Thursday.
  const thursday = addDays(day, 4 - (weekday(day) || 7));
  const yearStart = `${thursday.slice(0, 4)}-01-01`;
  const week = Math.floor((Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${yearStart}T00:00:00Z`)) / 86_400_000 / 7) + 1;
  return `${thursday.slice(0, 4)}-W${String(week).padStart(2, '0')}`;
}

const minDay = (a: string, b: string): string => (a < b ? a : b);

const ratio = (numerator: number, denominator: number): number | null => (denominator === 0 ? null : numerator / denominator);

function share(numerator: number, denominator: number, target: number | null): ShareIndicator {
  const value = ratio(numerator, denominator);
  return { value, target, met: value === null || target === null ? null : value >= target, numerator, denominator };
}
