import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { WardConfig } from '../../shared/domain/ward-config';
import { FIGURES, FIVE_MINUTES, ONE_DAY, wardMetric } from './dashboard-figures';
import { SMS_DAILY_BUDGET_ALARM_SHARES } from './notifications';

export interface WardDashboardProps {
  readonly ward: WardConfig;
}

/** CloudWatch's limit on the alarms of one alarm status widget. */
export const ALARMS_PER_STATUS_WIDGET = 100;

/** The dashboard's name: `mot-cua-so-<slug>`. */
export const wardDashboardName = (ward: Pick<WardConfig, 'slug'>): string => `mot-cua-so-${ward.slug}`;

/**
 * The ward's CloudWatch dashboard (`mot-cua-so-<slug>`): today's figures, their days against the
 * ward's targets, SMS against the daily budget, the national-portal sync, the API's 5xx and
 * latency, and the state of every alarm of the stack (the alarms found when this construct is
 * created: create it last).
 */
export class WardDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: WardDashboardProps) {
    super(scope, id);
    const { ward } = props;
    const metric = (figure: (typeof FIGURES)[keyof typeof FIGURES], period = figure.period) => wardMetric(figure, ward, { period });
    const onTimeShare = (period: typeof ONE_DAY) =>
      new cloudwatch.MathExpression({
        // The day's share from its two counts, as the ward's report computes it (nothing resolved: no point).
        expression: '100 * onTime / resolved',
        usingMetrics: { onTime: metric(FIGURES.resolvedOnTime, period), resolved: metric(FIGURES.resolved, period) },
        period,
        label: FIGURES.onTimeShare.label,
      });

    const alarms = Stack.of(this)
      .node.findAll()
      .filter((construct): construct is cloudwatch.Alarm => construct instanceof cloudwatch.Alarm);
    if (alarms.length > ALARMS_PER_STATUS_WIDGET) throw new Error(`${ward.slug}: ${alarms.length} alarms, more than one status widget shows (${ALARMS_PER_STATUS_WIDGET})`);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: wardDashboardName(ward),
      defaultInterval: Duration.days(7),
      widgets: [
        [
          new cloudwatch.TextWidget({
            markdown: `# ${ward.name}\nFigures of the Vietnam day so far, every five minutes (job \`WardFigures\`); what each alarm means and what to do: \`docs/operations.md\`.`,
            width: 24,
            height: 2,
          }),
        ],
        [
          new cloudwatch.SingleValueWidget({
            title: 'Today',
            metrics: [
              metric(FIGURES.received, FIVE_MINUTES),
              metric(FIGURES.resolved, FIVE_MINUTES),
              onTimeShare(FIVE_MINUTES),
              metric(FIGURES.overdueOpen),
              metric(FIGURES.smsBudgetUsed),
              metric(FIGURES.syncBacklog),
            ],
            width: 24,
            height: 4,
          }),
        ],
        [
          graph('Received and resolved per day', [metric(FIGURES.received), metric(FIGURES.resolved)]),
          graph('On-time share per day (%)', [onTimeShare(ONE_DAY)], {
            leftYAxis: { min: 0, max: 100 },
            leftAnnotations: [{ value: ward.targets.onTimeShare * 100, label: 'Target' }],
          }),
        ],
        [
          graph('Open dossiers past their appointment', [metric(FIGURES.overdueOpen)]),
          graph('SMS sent and refused over a cap, per hour', [metric(FIGURES.smsSent), metric(FIGURES.smsBlocked)]),
        ],
        [
          graph(`SMS of the day against the daily budget (${ward.sms.perWardPerDay})`, [metric(FIGURES.smsBudgetUsed)], {
            leftAnnotations: SMS_DAILY_BUDGET_ALARM_SHARES.map((share) => ({ value: Math.ceil(ward.sms.perWardPerDay * share), label: `${Math.round(share * 100)} %` })),
          }),
          graph('Sync with the national portal', [metric(FIGURES.syncBacklog), metric(FIGURES.syncFailed)]),
        ],
        [graph('API 5xx', [metric(FIGURES.api5xx)]), graph('API latency (ms)', [metric(FIGURES.latencyP50), metric(FIGURES.latencyP99)])],
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 24, height: Math.max(3, Math.ceil(alarms.length / 4) + 1) })],
      ],
    });
  }
}

function graph(title: string, left: cloudwatch.IMetric[], options: Partial<cloudwatch.GraphWidgetProps> = {}): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, width: 12, height: 6, ...options });
}
