import { ValidationError } from '../domain/errors';
import type { WardConfig } from '../domain/ward-config';
import type { Clock, KpiStore, KpiTotals } from './ports';

/** The longest range one report covers: a leap year. */
export const MAX_REPORT_DAYS = 366;

export type Targets = WardConfig['targets'];

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
  /** Every daily counter summed over the range, for the detail behind the figures above. */
  readonly counters: KpiTotals;
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
 * The ward's KPI report (`GET /officer/kpis?from=&to=`, leader): the daily counters of the range
 * summed (one Query of ~one small item per day, whatever the number of dossiers) and the open
 * overdue dossiers counted now (one COUNT Query of the open-dossier index), then
 * {@link computeKpiReport}. The two reads run together.
 *
 * @throws ValidationError (400) when `to` is before `from` or the range exceeds 366 days; nothing is read then
 */
export async function getKpiReport(
  deps: { readonly kpis: KpiStore; readonly clock: Clock; readonly targets: Targets },
  range: { readonly from: string; readonly to: string },
): Promise<KpiReport> {
  reportDays(range.from, range.to);
  const asOf = deps.clock.now();
  const [totals, openOverdue] = await Promise.all([deps.kpis.sumDays(range.from, range.to), deps.kpis.countOpenPastDue(asOf)]);
  return computeKpiReport({ ...range, totals, openOverdue, asOf, targets: deps.targets });
}

/**
 * Every indicator of the domain's "Satisfaction and statistics", from the summed counters. Pure.
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
 */
export function computeKpiReport(input: {
  readonly from: string;
  readonly to: string;
  readonly totals: KpiTotals;
  readonly openOverdue: number;
  readonly asOf: Date;
  readonly targets: Targets;
}): KpiReport {
  const { totals: t, targets } = input;
  const overdueShare = ratio(t.resolvedLate, t.resolved);
  const complaintShare = ratio(t.ratedDissatisfied, t.ratings);
  // (1 − late/resolved − dissatisfied/ratings) as one fraction: 1 − 1/2 − 2/5 is 0.1, not 0.09999999999999998.
  const national =
    overdueShare === null || complaintShare === null ? null : (t.resolved * t.ratings - t.resolvedLate * t.ratings - t.ratedDissatisfied * t.resolved) / (t.resolved * t.ratings);
  return {
    from: input.from,
    to: input.to,
    days: reportDays(input.from, input.to),
    asOf: input.asOf,
    indicators: {
      onlineShare: share(t.receivedOnline, t.received, targets.onlineShare),
      fullyOnlineShare: share(t.receivedFullyOnline, t.received, targets.fullyOnlineShare),
      onTimeShare: share(t.resolvedEarly + t.resolvedOnTime, t.resolved, targets.onTimeShare),
      eCopyShare: share(t.resolvedWithECopy, t.resolved, targets.eCopyShare),
      satisfiedShare: share(t.ratedVerySatisfied + t.ratedSatisfied, t.ratings, targets.satisfiedShare),
      nationalSatisfaction: { value: national, target: null, met: null, overdueShare, complaintShare },
    },
    counts: {
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
      openOverdue: input.openOverdue,
    },
    counters: { ...t },
  };
}

const ratio = (numerator: number, denominator: number): number | null => (denominator === 0 ? null : numerator / denominator);

function share(numerator: number, denominator: number, target: number): ShareIndicator {
  const value = ratio(numerator, denominator);
  return { value, target, met: value === null ? null : value >= target, numerator, denominator };
}
