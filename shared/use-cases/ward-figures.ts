import { vietnamDate } from '../domain/time';
import { getKpiReport, type Targets } from './kpi-report';
import type { Clock, KpiStore } from './ports';

/**
 * The metrics the `WardFigures` job emits (namespace and `service` dimension: Powertools', from
 * the function's environment), read by the ward's and the city's dashboards. Each is the Vietnam
 * day's figure so far, a gauge like `SmsDailyBudgetUsed`: its maximum over a day is the day's figure.
 */
export const WARD_FIGURE_METRICS = {
  received: 'DossiersReceivedToday',
  resolved: 'DossiersResolvedToday',
  resolvedOnTime: 'DossiersResolvedOnTimeToday',
  /** Emitted only when something was resolved today: a share of nothing is no figure. */
  onTimeShare: 'OnTimeSharePercentToday',
  overdueOpen: 'DossiersOverdueOpen',
} as const;

export interface WardFigures {
  /** `YYYY-MM-DD`, Vietnam time. */
  readonly day: string;
  readonly received: number;
  readonly resolved: number;
  /** Resolved early or on time. */
  readonly resolvedOnTime: number;
  /** `resolvedOnTime / resolved` in percent, null when nothing was resolved. */
  readonly onTimeSharePercent: number | null;
  /** Open dossiers marked overdue (their appointment passed), now. */
  readonly overdueOpen: number;
}

/**
 * Today's figures of the ward, from the KPI report of the Vietnam day (the same counters and
 * formulas as `GET /officer/kpis`): two small reads, the day's counter items and the running
 * number of open overdue dossiers, never a dossier.
 */
export async function wardFigures(deps: { readonly kpis: KpiStore; readonly clock: Clock; readonly targets: Targets }): Promise<WardFigures> {
  const day = vietnamDate(deps.clock.now());
  const report = await getKpiReport(deps, { from: day, to: day });
  const onTime = report.indicators.onTimeShare;
  return {
    day,
    received: report.counts.received,
    resolved: report.counts.resolved,
    resolvedOnTime: onTime.numerator,
    onTimeSharePercent: onTime.value === null ? null : onTime.value * 100,
    overdueOpen: report.counts.openOverdue,
  };
}
