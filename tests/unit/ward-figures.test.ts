import { describe, expect, it } from 'vitest';
import { KPI_COUNTERS, type KpiCounter } from '../../shared/domain/dossier';
import type { DayTotals, KpiStore } from '../../shared/use-cases/ports';
import { wardFigures } from '../../shared/use-cases/ward-figures';
import { testWard } from '../fixtures/ward';

const totals = (counters: Partial<Record<KpiCounter, number>>) => ({ ...(Object.fromEntries(KPI_COUNTERS.map((c) => [c, 0])) as Record<KpiCounter, number>), ...counters });

/** A store holding some days' counters and a running number of open overdue dossiers; it records what it was asked. */
function store(days: readonly DayTotals[], openOverdue: number) {
  const asked: { ranges: [string, string][]; openOverdueAt: [string, string][] } = { ranges: [], openOverdueAt: [] };
  const kpis: KpiStore = {
    sumDays: () => Promise.reject(new Error('not used')),
    dailyTotals: (from, to) => {
      asked.ranges.push([from, to]);
      return Promise.resolve(days.filter((d) => d.day >= from && d.day <= to));
    },
    // The running open-overdue total: the number now when asked for today, nothing marked since then.
    openOverdueAtEndOf: (day, today) => {
      asked.openOverdueAt.push([day, today]);
      return Promise.resolve(day >= today ? openOverdue : 0);
    },
  };
  return { kpis, asked };
}

describe("the ward's figures for the dashboards", () => {
  it("counts the Vietnam day's received, resolved and on time, and the open overdue dossiers now", async () => {
    // 18:30 UTC on 14 May is 01:30 on 15 May in Vietnam: the day is the 15th, not the 14th.
    const now = new Date('2026-05-14T18:30:00Z');
    const { kpis, asked } = store(
      [
        { day: '2026-05-14', totals: totals({ received: 40, resolved: 30, resolvedOnTime: 30 }) },
        { day: '2026-05-15', totals: totals({ received: 9, resolved: 8, resolvedEarly: 2, resolvedOnTime: 4, resolvedLate: 2 }) },
      ],
      3,
    );

    const figures = await wardFigures({ kpis, clock: { now: () => now }, targets: testWard.targets });

    expect(figures).toEqual({ day: '2026-05-15', received: 9, resolved: 8, resolvedOnTime: 6, onTimeSharePercent: 75, overdueOpen: 3 });
    expect(asked.ranges).toEqual([['2026-05-15', '2026-05-15']]);
    // Now, in Vietnam: the running number, no day after it to undo.
    expect(asked.openOverdueAt).toEqual([['2026-05-15', '2026-05-15']]);
  });

  it('gives no on-time share on a day nothing was resolved', async () => {
    const { kpis } = store([{ day: '2026-05-15', totals: totals({ received: 4 }) }], 0);
    const figures = await wardFigures({ kpis, clock: { now: () => new Date('2026-05-15T03:00:00Z') }, targets: testWard.targets });
    expect(figures).toMatchObject({ received: 4, resolved: 0, resolvedOnTime: 0, onTimeSharePercent: null });
  });
});
