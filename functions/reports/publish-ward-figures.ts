import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { kpiStore } from '../../shared/runtime/dynamodb';
import { ward } from '../../shared/runtime/env';
import { metrics } from '../../shared/runtime/observability';
import { systemClock } from '../../shared/use-cases/ports';
import { WARD_FIGURE_METRICS, wardFigures, type WardFigures } from '../../shared/use-cases/ward-figures';

const deps = { kpis: kpiStore(), clock: systemClock, targets: ward.targets };

/** Runs on the schedule of shared/runtime/schedules.ts (every five minutes): today's figures as metrics, for the dashboards. */
export const handler = async (): Promise<WardFigures> => {
  const figures = await wardFigures(deps);
  metrics.addMetric(WARD_FIGURE_METRICS.received, MetricUnit.Count, figures.received);
  metrics.addMetric(WARD_FIGURE_METRICS.resolved, MetricUnit.Count, figures.resolved);
  metrics.addMetric(WARD_FIGURE_METRICS.resolvedOnTime, MetricUnit.Count, figures.resolvedOnTime);
  if (figures.onTimeSharePercent !== null) metrics.addMetric(WARD_FIGURE_METRICS.onTimeShare, MetricUnit.Percent, figures.onTimeSharePercent);
  metrics.addMetric(WARD_FIGURE_METRICS.overdueOpen, MetricUnit.Count, figures.overdueOpen);
  metrics.publishStoredMetrics();
  return figures;
};
