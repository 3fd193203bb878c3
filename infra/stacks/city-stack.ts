import { CfnOutput, Duration, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { letLogsUse } from '../constructs/log-key';
import {
  CITY_BUS_NAME,
  CITY_STACK_NAME,
  OPERATORS_TOPIC_NAME,
  WARD_DIRECTORY_PATH,
  WARD_TAG,
  wardDirectoryEntry,
  wardEventSource,
  wardStackName,
  type CityConfig,
} from '../../shared/domain/city';
import type { WardConfig } from '../../shared/domain/ward-config';
import { CityReport } from '../constructs/city-report';
import { everyWardSearch, FIGURES, FIVE_MINUTES, ONE_DAY, type Figure } from '../constructs/dashboard-figures';

export interface CityStackProps extends StackProps {
  readonly city: CityConfig;
  /** Every ward of the city (`WARDS`), whichever the app synthesizes. */
  readonly wards: readonly WardConfig[];
}

/** The city dashboard's name. */
export const CITY_DASHBOARD_NAME = 'mot-cua-so-city';

/** CloudWatch's limit on the time series one SEARCH returns: the city dashboard draws every ward with one search per figure. */
export const SEARCH_SERIES_LIMIT = 500;

/** The `events:source` a ward's principal may put events with: its own, by the `ward` tag of its IAM role. */
export const PRINCIPAL_WARD_SOURCE = wardEventSource(`\${aws:PrincipalTag/${WARD_TAG}}`);

/**
 * The city stack's account and region: the wards', which must be one (the bus and the topic are
 * named, not shared across accounts or regions). A ward that leaves its account to the CLI's
 * credentials shares them with the city.
 */
export function cityEnvOf(wards: readonly WardConfig[], defaultAccount: string | undefined): { readonly account?: string; readonly region: string } {
  const regions = new Set(wards.map((ward) => ward.env.region));
  const accounts = new Set(wards.map((ward) => ward.env.account ?? defaultAccount));
  const [region] = regions;
  const [account] = accounts;
  if (region === undefined || regions.size > 1 || accounts.size > 1) {
    throw new Error(`the city's wards must share one account and region, not ${[...accounts].join(', ')} / ${[...regions].join(', ')}`);
  }
  if (wards.some((ward) => wardStackName(ward.slug) === CITY_STACK_NAME)) throw new Error(`a ward's stack would be named ${CITY_STACK_NAME}, the city's`);
  return { ...(account === undefined ? {} : { account }), region };
}

/**
 * What the city's wards share, in the wards' account and region (deploy it before them):
 *
 * - the ward directory: one SSM parameter per ward (`/mot-cua-so/city/wards/<slug>`, JSON of
 *   `WardDirectoryEntrySchema`), derived from `WARDS` at synthesis;
 * - the city bus `mot-cua-so-city`, on which each ward may put events with its own source only
 *   (`mot-cua-so.ward.<slug>`), and its archive for replays;
 * - the operators' topic `mot-cua-so-operators` (KMS-encrypted, TLS only, the operators' e-mails),
 *   to which every ward alarm is also sent;
 * - the city dashboard `mot-cua-so-city`: city totals and every ward's line of each figure.
 */
export class CityStack extends Stack {
  readonly bus: events.EventBus;
  readonly operatorsTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly directory: readonly ssm.StringParameter[];
  /** The city-wide report of Decision 766's figures, from every ward's daily counters. */
  readonly report: CityReport;

  constructor(scope: Construct, id: string, props: CityStackProps) {
    super(scope, id, { ...props, description: props.description ?? 'Một Cửa Số: what the city shares between its wards (directory, bus, operators, dashboard)' });
    const { wards, city } = props;
    if (wards.length === 0) throw new Error('the city has no ward');
    if (wards.length > SEARCH_SERIES_LIMIT) throw new Error(`${wards.length} wards: one dashboard search shows at most ${SEARCH_SERIES_LIMIT}`);
    Tags.of(this).add('project', 'mot-cua-so');

    this.directory = wards.map(
      (ward) =>
        new ssm.StringParameter(this, `Directory-${ward.slug}`, {
          parameterName: `${WARD_DIRECTORY_PATH}/${ward.slug}`,
          stringValue: JSON.stringify(wardDirectoryEntry(ward)),
          description: `The city's directory: ${ward.slug}`,
        }),
    );

    this.bus = this.cityBus(wards, city);
    this.operatorsTopic = this.operators(city);
    this.dashboard = cityDashboard(this, wards.length);
    this.report = new CityReport(this, 'Report', { wards, logKey: this.logKey() });

    new CfnOutput(this, 'CityBusArn', { value: this.bus.eventBusArn, description: 'The city bus between the ward stacks' });
    new CfnOutput(this, 'OperatorsTopicArn', { value: this.operatorsTopic.topicArn, description: "The operators' alarm topic (every ward alarm)" });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboardName, description: 'The city dashboard' });
    new CfnOutput(this, 'WardDirectoryPath', { value: WARD_DIRECTORY_PATH, description: 'aws ssm get-parameters-by-path --path <this>' });
  }

  /**
   * The bus's policy is two statements whatever the number of wards (an EventBridge resource
   * policy is limited in size; a statement per ward would pass it at about forty wards): a ward's
   * principal is known by the `ward` tag every resource of its stack carries, its IAM roles included.
   *
   * - Allow: a principal of the account tagged with a ward of the city may put events with that
   *   ward's source only (what a cross-account ward would need; in one account, its role's own
   *   `events:PutEvents` grant suffices, which the Deny then limits).
   * - Deny: a principal tagged with a ward may put no event with another source, whatever its own
   *   policies allow: an explicit Deny of a resource policy applies in the account too.
   */
  private cityBus(wards: readonly WardConfig[], city: CityConfig): events.EventBus {
    const bus = new events.EventBus(this, 'Bus', { eventBusName: CITY_BUS_NAME, description: 'Một Cửa Số: events between the ward stacks' });
    bus.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EachWardItsOwnSource',
        effect: iam.Effect.ALLOW,
        principals: [new iam.AccountPrincipal(this.account)],
        actions: ['events:PutEvents'],
        resources: [bus.eventBusArn],
        conditions: {
          StringEquals: { [`aws:PrincipalTag/${WARD_TAG}`]: wards.map((ward) => ward.slug), 'events:source': PRINCIPAL_WARD_SOURCE },
        },
      }),
    );
    bus.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'NoWardAnotherSource',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [bus.eventBusArn],
        conditions: {
          Null: { [`aws:PrincipalTag/${WARD_TAG}`]: 'false' },
          StringNotEquals: { 'events:source': PRINCIPAL_WARD_SOURCE },
        },
      }),
    );
    // Every ward event, for a replay to a consumer that was down or wrong (its rule's own
    // dead-letter queue holds what could not be delivered).
    bus.archive('Archive', {
      archiveName: `${CITY_BUS_NAME}-wards`,
      description: 'Every ward event of the city bus, for replays',
      eventPattern: { source: events.Match.prefix(wardEventSource('')) },
      retention: Duration.days(city.busArchiveRetentionDays),
    });
    return bus;
  }

  /** The key of the city's log groups. */
  private logKey(): kms.Key {
    const key = new kms.Key(this, 'LogKey', {
      enableKeyRotation: true,
      alias: 'alias/mot-cua-so/city/logs',
      description: 'Một Cửa Số city: logs',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    letLogsUse(key);
    return key;
  }

  private operators(city: CityConfig): sns.Topic {
    const key = new kms.Key(this, 'OperatorsKey', {
      enableKeyRotation: true,
      alias: 'alias/mot-cua-so/city/operators',
      description: "Một Cửa Số: the operators' alarm topic",
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch publishes the wards' alarm notifications to the topic, which needs its key
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html).
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    const topic = new sns.Topic(this, 'Operators', {
      topicName: OPERATORS_TOPIC_NAME,
      displayName: 'Mot Cua So operators',
      masterKey: key,
      enforceSSL: true,
    });
    // The alarms of every ward stack of the account (by the topic's ARN, built from its name).
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'WardAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    for (const email of city.operatorEmails) topic.addSubscription(new subscriptions.EmailSubscription(email));
    return topic;
  }
}

/**
 * The city dashboard: city totals (metric math over one SEARCH per figure) and one line per ward
 * (the SEARCH itself). Its size depends on the figures, not on the number of wards: some fifteen
 * widgets and thirty expressions for 8 wards or 126 (CloudWatch allows 500 widgets, 500 metrics
 * per widget, 2,500 per dashboard, 500 time series per search).
 */
function cityDashboard(scope: Construct, wardCount: number): cloudwatch.Dashboard {
  const search = (figure: Figure, period?: Duration) => everyWardSearch(figure, period);
  const total = (figure: Figure, label: string, period: Duration = figure.period) =>
    new cloudwatch.MathExpression({ expression: `SUM(${search(figure, period)})`, usingMetrics: {}, period, label });
  const onTimeShare = (period: Duration) =>
    new cloudwatch.MathExpression({
      expression: `100 * SUM(${search(FIGURES.resolvedOnTime, period)}) / SUM(${search(FIGURES.resolved, period)})`,
      usingMetrics: {},
      period,
      label: 'City on-time share (%)',
    });
  const everyWard = (figure: Figure, title: string) =>
    new cloudwatch.GraphWidget({
      title: `${title}, per ward`,
      left: [new cloudwatch.SearchExpression({ expression: search(figure), label: '', period: figure.period })],
      width: 12,
      height: 6,
      legendPosition: cloudwatch.LegendPosition.HIDDEN,
    });
  const graph = (title: string, left: cloudwatch.IMetric[], options: Partial<cloudwatch.GraphWidgetProps> = {}) =>
    new cloudwatch.GraphWidget({ title, left, width: 12, height: 6, ...options });

  return new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: CITY_DASHBOARD_NAME,
    defaultInterval: Duration.days(7),
    widgets: [
      [
        new cloudwatch.TextWidget({
          markdown:
            `# Một Cửa Số: the city (${wardCount} wards)\n` +
            'Totals of every ward, then one line per ward (hover a line for its ward; `mot-cua-so-<slug>` is its own dashboard). ' +
            'Day figures are the Vietnam day so far; what each alarm means and what to do: `docs/operations.md`.',
          width: 24,
          height: 2,
        }),
      ],
      [
        new cloudwatch.SingleValueWidget({
          title: 'The city today',
          metrics: [
            total(FIGURES.received, 'Received', FIVE_MINUTES),
            total(FIGURES.resolved, 'Resolved', FIVE_MINUTES),
            onTimeShare(FIVE_MINUTES),
            total(FIGURES.overdueOpen, 'Overdue open'),
            total(FIGURES.smsBudgetUsed, 'SMS of the day'),
            total(FIGURES.syncBacklog, 'Sync backlog'),
            total(FIGURES.api5xx, 'API 5xx (5 min)'),
          ],
          width: 24,
          height: 4,
        }),
      ],
      [
        graph('City: received and resolved per day', [total(FIGURES.received, 'Received'), total(FIGURES.resolved, 'Resolved')]),
        graph('City: on-time share per day (%)', [onTimeShare(ONE_DAY)], { leftYAxis: { min: 0, max: 100 } }),
      ],
      [
        graph('City: open dossiers past their appointment', [total(FIGURES.overdueOpen, 'Overdue open')]),
        graph('City: SMS sent and refused over a cap, per hour', [total(FIGURES.smsSent, 'Sent'), total(FIGURES.smsBlocked, 'Refused over a cap')]),
      ],
      [
        graph('City: sync with the national portal', [total(FIGURES.syncBacklog, 'Backlog'), total(FIGURES.syncFailed, 'Failed')]),
        graph('City: API 5xx', [total(FIGURES.api5xx, '5xx')]),
      ],
      [everyWard(FIGURES.received, 'Received per day'), everyWard(FIGURES.onTimeShare, 'On-time share per day (%)')],
      [everyWard(FIGURES.overdueOpen, 'Open dossiers past their appointment'), everyWard(FIGURES.smsBudgetUsed, "SMS of the day (the daily budget's count)")],
      [everyWard(FIGURES.smsSent, 'SMS sent per hour'), everyWard(FIGURES.smsBlocked, 'SMS refused over a cap per hour')],
      [everyWard(FIGURES.syncBacklog, 'Sync backlog'), everyWard(FIGURES.syncFailed, 'Sync failed')],
      [everyWard(FIGURES.api5xx, 'API 5xx'), everyWard(FIGURES.latencyP99, 'API latency p99 (ms)')],
    ],
  });
}
