import { describe, expect, it, vi } from 'vitest';
import { KPI_COUNTERS, type KpiCounter } from '../../shared/domain/dossier';
import { ValidationError } from '../../shared/domain/errors';
import { computeKpiReport, getKpiReport, reportDays } from '../../shared/use-cases/kpi-report';
import type { KpiStore, KpiTotals } from '../../shared/use-cases/ports';
import { testWard } from '../fixtures/ward';

/** Hanoi's ward targets: online ≥ 60%, fully online ≥ 20%, on time 100%, e-copy 100%, satisfied ≥ 85%. */
const targets = testWard.targets;
const asOf = new Date('2026-04-01T02:00:00Z');

function totals(counters: Partial<Record<KpiCounter, number>>): KpiTotals {
  return { ...(Object.fromEntries(KPI_COUNTERS.map((c) => [c, 0])) as Record<KpiCounter, number>), ...counters };
}

const report = (counters: Partial<Record<KpiCounter, number>>, openOverdue = 0) =>
  computeKpiReport({ from: '2026-03-01', to: '2026-03-31', days: [{ day: '2026-03-15', totals: totals(counters) }], openOverdue, openOverdueAtEnd: 0, asOf, targets });

describe('the KPI indicators', () => {
  it('computes every share, its target and verdict from hand-counted counters', () => {
    const result = report({
      submitted: 14,
      received: 10,
      receivedOnline: 7,
      receivedFullyOnline: 1,
      notReceived: 2,
      resolved: 8,
      resolvedEarly: 3,
      resolvedOnTime: 3,
      resolvedLate: 2,
      resolvedWithECopy: 8,
      returned: 5,
      stopped: 1,
      ratings: 6,
      ratedVerySatisfied: 2,
      ratedSatisfied: 3,
      ratedDissatisfied: 1,
    });

    expect(result.indicators.onlineShare).toEqual({ value: 0.7, target: 0.6, met: true, numerator: 7, denominator: 10 });
    expect(result.indicators.fullyOnlineShare).toEqual({ value: 0.1, target: 0.2, met: false, numerator: 1, denominator: 10 });
    expect(result.indicators.onTimeShare).toEqual({ value: 0.75, target: 1, met: false, numerator: 6, denominator: 8 });
    expect(result.indicators.eCopyShare).toEqual({ value: 1, target: 1, met: true, numerator: 8, denominator: 8 });
    expect(result.indicators.satisfiedShare).toEqual({ value: 5 / 6, target: 0.85, met: false, numerator: 5, denominator: 6 });
  });

  it('applies the national formula 100% − overdue% − complaint% as one exact fraction, with no target', () => {
    // overdue% = 1/5, complaint% = 1/4: 1 − 0.2 − 0.25 = 0.55.
    const result = report({ resolved: 5, resolvedOnTime: 4, resolvedLate: 1, ratings: 4, ratedSatisfied: 3, ratedDissatisfied: 1 });
    // 1 − 1/2 − 2/5 = 0.1, where subtracting the two shares in floating point gives 0.09999999999999998.
    const halves = report({ resolved: 2, resolvedOnTime: 1, resolvedLate: 1, ratings: 5, ratedSatisfied: 3, ratedDissatisfied: 2 });

    expect(result.indicators.nationalSatisfaction).toEqual({ value: 0.55, target: null, met: null, overdueShare: 0.2, complaintShare: 0.25 });
    expect(halves.indicators.nationalSatisfaction.value).toBe(0.1);
  });

  it('goes below zero rather than hiding a period where everything was late and every rating a complaint', () => {
    const result = report({ resolved: 2, resolvedLate: 2, ratings: 1, ratedDissatisfied: 1 });

    expect(result.indicators.nationalSatisfaction.value).toBe(-1);
  });

  it('gives no value and no verdict where there is nothing to divide by', () => {
    const result = report({ submitted: 3 });

    for (const name of ['onlineShare', 'fullyOnlineShare', 'onTimeShare', 'eCopyShare', 'satisfiedShare'] as const) {
      expect(result.indicators[name]).toMatchObject({ value: null, met: null, denominator: 0 });
      expect(result.indicators[name].target).toBe(targets[name]);
    }
    expect(result.indicators.nationalSatisfaction).toEqual({ value: null, target: null, met: null, overdueShare: null, complaintShare: null });
  });

  it('leaves the national formula out when one of its two parts has no denominator', () => {
    const unrated = report({ resolved: 4, resolvedOnTime: 4 });
    const unresolved = report({ ratings: 2, ratedSatisfied: 2 });

    expect(unrated.indicators.nationalSatisfaction).toMatchObject({ value: null, overdueShare: 0, complaintShare: null });
    expect(unresolved.indicators.nationalSatisfaction).toMatchObject({ value: null, overdueShare: null, complaintShare: 0 });
  });

  it('counts a share exactly at its target as met, and one dossier short as not met', () => {
    const atTargets = report({
      received: 20,
      receivedOnline: 12,
      receivedFullyOnline: 4,
      resolved: 7,
      resolvedOnTime: 7,
      resolvedWithECopy: 7,
      ratings: 20,
      ratedSatisfied: 17,
    });
    const justBelow = report({
      received: 20,
      receivedOnline: 11,
      receivedFullyOnline: 3,
      resolved: 7,
      resolvedOnTime: 6,
      resolvedLate: 1,
      resolvedWithECopy: 6,
      ratings: 20,
      ratedSatisfied: 16,
      ratedDissatisfied: 4,
    });

    expect(atTargets.indicators.onlineShare).toMatchObject({ value: 0.6, met: true });
    expect(atTargets.indicators.fullyOnlineShare).toMatchObject({ value: 0.2, met: true });
    expect(atTargets.indicators.onTimeShare).toMatchObject({ value: 1, met: true });
    expect(atTargets.indicators.eCopyShare).toMatchObject({ value: 1, met: true });
    expect(atTargets.indicators.satisfiedShare).toMatchObject({ value: 0.85, met: true });
    expect(justBelow.indicators.onlineShare).toMatchObject({ value: 0.55, met: false });
    expect(justBelow.indicators.fullyOnlineShare).toMatchObject({ value: 0.15, met: false });
    expect(justBelow.indicators.onTimeShare).toMatchObject({ value: 6 / 7, met: false });
    expect(justBelow.indicators.eCopyShare).toMatchObject({ value: 6 / 7, met: false });
    expect(justBelow.indicators.satisfiedShare).toMatchObject({ value: 0.8, met: false });
  });

  it('reports the counts, the open overdue snapshot and every summed counter', () => {
    const result = report(
      { submitted: 9, received: 8, notReceived: 1, resolved: 6, resolvedEarly: 1, resolvedOnTime: 4, resolvedLate: 1, returned: 5, stopped: 1, ratings: 3, receivedPostal: 2 },
      4,
    );

    expect(result.counts).toEqual({ submitted: 9, received: 8, notReceived: 1, resolved: 6, early: 1, onTime: 4, late: 1, returned: 5, stopped: 1, ratings: 3, openOverdue: 4 });
    expect(result.counters.receivedPostal).toBe(2);
    expect(result).toMatchObject({ from: '2026-03-01', to: '2026-03-31', days: 31, asOf });
  });
});

describe('the report range', () => {
  it('counts both ends: one day, a month, a leap year', () => {
    expect(reportDays('2026-03-05', '2026-03-05')).toBe(1);
    expect(reportDays('2026-02-01', '2026-02-28')).toBe(28);
    expect(reportDays('2028-01-01', '2028-12-31')).toBe(366);
  });

  it('refuses a range that ends before it starts, or is longer than 366 days', () => {
    expect(() => reportDays('2026-03-02', '2026-03-01')).toThrow(ValidationError);
    expect(() => reportDays('2026-01-01', '2027-01-02')).toThrow(ValidationError);
  });
});

describe('getKpiReport', () => {
  const store = () => {
    const sumDays = vi.fn<KpiStore['sumDays']>(() => Promise.resolve(totals({ received: 2, receivedOnline: 1 })));
    const dailyTotals = vi.fn<KpiStore['dailyTotals']>(() =>
      Promise.resolve([
        { day: '2026-03-02', totals: totals({ received: 1, receivedOnline: 1 }) },
        { day: '2026-03-20', totals: totals({ received: 1 }) },
      ]),
    );
    // Three open overdue dossiers now; one of them was marked after the end of March.
    const openOverdueAtEndOf = vi.fn<KpiStore['openOverdueAtEndOf']>((day, today) => Promise.resolve(day >= today ? 3 : 2));
    return { kpis: { sumDays, dailyTotals, openOverdueAtEndOf } satisfies KpiStore, dailyTotals, openOverdueAtEndOf };
  };

  it('sums the range and reads the running open-overdue number now and at the range’s end', async () => {
    const { kpis, dailyTotals, openOverdueAtEndOf } = store();

    const result = await getKpiReport({ kpis, clock: { now: () => asOf }, targets }, { from: '2026-03-01', to: '2026-03-31' });

    expect(dailyTotals).toHaveBeenCalledTimes(1);
    expect(dailyTotals).toHaveBeenCalledWith('2026-03-01', '2026-03-31');
    // Now (today in Vietnam: asOf is 1/4/2026 09:00 there), and the range's end; never a dossier.
    expect(openOverdueAtEndOf).toHaveBeenCalledWith('2026-04-01', '2026-04-01');
    expect(openOverdueAtEndOf).toHaveBeenCalledWith('2026-03-31', '2026-04-01');
    expect(result.indicators.onlineShare.value).toBe(0.5);
    expect(result.counts.openOverdue).toBe(3);
    expect(result.national.openOverdueAtEnd).toBe(2);
  });

  it('reads nothing for a refused range', async () => {
    const { kpis, dailyTotals, openOverdueAtEndOf } = store();

    await expect(getKpiReport({ kpis, clock: { now: () => asOf }, targets }, { from: '2026-04-01', to: '2026-03-01' })).rejects.toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect(dailyTotals).not.toHaveBeenCalled();
    expect(openOverdueAtEndOf).not.toHaveBeenCalled();
  });
});

describe('the KPI series', () => {
  const days = [
    { day: '2026-03-02', totals: totals({ received: 2, receivedOnline: 2, resolved: 1, resolvedOnTime: 1 }) },
    { day: '2026-03-08', totals: totals({ received: 2, receivedOnline: 0 }) },
    { day: '2026-03-09', totals: totals({ received: 1, receivedOnline: 1 }) },
    { day: '2026-04-30', totals: totals({ received: 4, receivedOnline: 3 }) },
  ];
  const seriesOf = (from: string, to: string, interval?: 'day' | 'week' | 'month') =>
    computeKpiReport({ from, to, interval, days, openOverdue: 0, openOverdueAtEnd: 0, asOf, targets });

  it('steps by ISO week, Monday to Sunday, cut to the range, each with its own shares and the same targets', () => {
    const result = seriesOf('2026-03-01', '2026-03-14', 'week');

    expect(result.interval).toBe('week');
    expect(result.series.map(({ period, from, to }) => ({ period, from, to }))).toEqual([
      { period: '2026-W09', from: '2026-03-01', to: '2026-03-01' },
      { period: '2026-W10', from: '2026-03-02', to: '2026-03-08' },
      { period: '2026-W11', from: '2026-03-09', to: '2026-03-14' },
    ]);
    expect(result.series.map((point) => point.indicators.onlineShare.value)).toEqual([null, 0.5, 1]);
    expect(result.series[1]?.indicators.onlineShare).toMatchObject({ numerator: 2, denominator: 4, target: targets.onlineShare, met: false });
    expect(result.series[2]?.counts.received).toBe(1);
  });

  it('adds up to the whole range, whatever the step', () => {
    for (const interval of ['day', 'week', 'month'] as const) {
      const result = seriesOf('2026-03-01', '2026-04-30', interval);
      const received = result.series.reduce((sum, point) => sum + point.counts.received, 0);
      expect(received, interval).toBe(result.counts.received);
    }
    expect(seriesOf('2026-03-01', '2026-04-30', 'month').series.map((point) => point.period)).toEqual(['2026-03', '2026-04']);
    expect(seriesOf('2026-03-01', '2026-04-30', 'day').series).toHaveLength(61);
  });

  it('steps by day up to 31 days, by week up to 92, by month beyond, unless asked', () => {
    expect(seriesOf('2026-03-01', '2026-03-31').interval).toBe('day');
    expect(seriesOf('2026-03-01', '2026-04-30').interval).toBe('week');
    expect(seriesOf('2026-01-01', '2026-06-30').interval).toBe('month');
  });

  it('names the ISO week of a year boundary by the year of its Thursday', () => {
    expect(seriesOf('2026-12-28', '2027-01-03', 'week').series.map((point) => point.period)).toEqual(['2026-W53']);
    expect(seriesOf('2027-01-04', '2027-01-04', 'week').series.map((point) => point.period)).toEqual(['2027-W01']);
  });
});
