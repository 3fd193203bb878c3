import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { WardConfig } from '../../shared/domain/ward-config';
import { NOTIFIER_METRICS, SMS_DAILY_BUDGET_METRIC } from '../../shared/use-cases/notify';
import { WARD_FIGURE_METRICS } from '../../shared/use-cases/ward-figures';
import { METRICS_NAMESPACE, serviceName } from './notifications';

/**
 * The figures of the ward's and the city's dashboards, defined once: each is a metric the ward's
 * functions emit with Powertools (namespace `MotCuaSo`, dimension `service` = `mot-cua-so-<slug>`),
 * or one API Gateway publishes for the ward's REST API (`ApiName` = `mot-cua-so-<slug>`).
 */

/** The national-portal sync consumer's metrics: the events waiting to be sent, and those dead-lettered. */
export const SYNC_METRICS = { backlog: 'SyncBacklog', failed: 'SyncFailed' } as const;

export const FIVE_MINUTES = Duration.minutes(5);
export const ONE_HOUR = Duration.hours(1);
export const ONE_DAY = Duration.days(1);

export type FigureStatistic = 'Maximum' | 'Sum' | 'p50' | 'p99';

export interface Figure {
  readonly label: string;
  readonly metricName: string;
  readonly statistic: FigureStatistic;
  /** The period of its graphs. */
  readonly period: Duration;
  readonly source: 'powertools' | 'api';
}

const powertools = (label: string, metricName: string, statistic: FigureStatistic, period: Duration): Figure => ({ label, metricName, statistic, period, source: 'powertools' });
const api = (label: string, metricName: string, statistic: FigureStatistic): Figure => ({ label, metricName, statistic, period: FIVE_MINUTES, source: 'api' });

/**
 * The Vietnam day's figures are gauges (the day so far, every five minutes), so their maximum over
 * a day is the day's figure; CloudWatch's days are UTC days (07:00 to 07:00 in Vietnam), which
 * hold the whole office day.
 */
export const FIGURES = {
  received: powertools('Received', WARD_FIGURE_METRICS.received, 'Maximum', ONE_DAY),
  resolved: powertools('Resolved', WARD_FIGURE_METRICS.resolved, 'Maximum', ONE_DAY),
  resolvedOnTime: powertools('Resolved on time', WARD_FIGURE_METRICS.resolvedOnTime, 'Maximum', ONE_DAY),
  onTimeShare: powertools('On-time share (%)', WARD_FIGURE_METRICS.onTimeShare, 'Maximum', ONE_DAY),
  overdueOpen: powertools('Overdue open', WARD_FIGURE_METRICS.overdueOpen, 'Maximum', FIVE_MINUTES),
  smsSent: powertools('SMS sent', NOTIFIER_METRICS.SMS.SENT, 'Sum', ONE_HOUR),
  smsBlocked: powertools('SMS refused over a cap', NOTIFIER_METRICS.SMS.OVER_CAP, 'Sum', ONE_HOUR),
  smsBudgetUsed: powertools("SMS of the day (the daily budget's count)", SMS_DAILY_BUDGET_METRIC, 'Maximum', FIVE_MINUTES),
  syncBacklog: powertools('Sync backlog', SYNC_METRICS.backlog, 'Maximum', FIVE_MINUTES),
  syncFailed: powertools('Sync failed', SYNC_METRICS.failed, 'Sum', FIVE_MINUTES),
  api5xx: api('API 5xx', '5XXError', 'Sum'),
  latencyP50: api('API latency p50 (ms)', 'Latency', 'p50'),
  latencyP99: api('API latency p99 (ms)', 'Latency', 'p99'),
} as const satisfies Record<string, Figure>;

/** The ward's REST API name (ward-api.ts), API Gateway's dimension of its metrics. */
export const apiNameOf = (ward: Pick<WardConfig, 'slug'>): string => `mot-cua-so-${ward.slug}`;

/** One ward's metric of a figure. */
export function wardMetric(figure: Figure, ward: Pick<WardConfig, 'slug'>, options: { readonly label?: string; readonly period?: Duration } = {}): cloudwatch.Metric {
  const common = { metricName: figure.metricName, statistic: figure.statistic, period: options.period ?? figure.period, label: options.label ?? figure.label };
  return figure.source === 'powertools'
    ? new cloudwatch.Metric({ ...common, namespace: METRICS_NAMESPACE, dimensionsMap: { service: serviceName(ward) } })
    : new cloudwatch.Metric({ ...common, namespace: 'AWS/ApiGateway', dimensionsMap: { ApiName: apiNameOf(ward) } });
}

/**
 * The search of a figure over every ward: one time series per ward (up to CloudWatch's 500 a
 * search), whatever the number of wards, instead of one metric each. `{namespace,dimension}`
 * keeps to metrics with exactly that dimension, i.e. the wards' own.
 */
export function everyWardSearch(figure: Figure, period: Duration = figure.period): string {
  // The namespace is the wards' own; API Gateway's holds every API of the account, so the wards' are
  // picked by their name's prefix (a partial match).
  const query =
    figure.source === 'powertools'
      ? `{${METRICS_NAMESPACE},service} MetricName="${figure.metricName}"`
      : `{AWS/ApiGateway,ApiName} MetricName="${figure.metricName}" ApiName=mot-cua-so`;
  return `SEARCH('${query}', '${figure.statistic}', ${period.toSeconds()})`;
}
