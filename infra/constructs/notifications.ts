import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { WardConfig } from '../../shared/domain/ward-config';
import { NOTIFIER_METRICS, SMS_DAILY_BUDGET_METRIC } from '../../shared/use-cases/notify';
import type { ResourceUser } from './ward-function';

/** Where Powertools puts the functions' metrics: the namespace and `service` dimension WardFunction sets. */
export const METRICS_NAMESPACE = 'MotCuaSo';
export const serviceName = (ward: Pick<WardConfig, 'slug'>): string => `mot-cua-so-${ward.slug}`;

/** Shares of the ward's daily SMS budget that raise an alarm, each its own. */
export const SMS_DAILY_BUDGET_ALARM_SHARES = [0.5, 0.8, 1] as const;

export interface WardNotificationsProps {
  readonly ward: WardConfig;
  /** Encrypts the alert topic (the ward's data key: alerts name dossiers). */
  readonly encryptionKey: kms.IKey;
}

/**
 * The ward's notifications: its officers' alert topic (e-mail subscriptions from the ward
 * configuration, encrypted, TLS only), what a function needs to send SMS to citizens and alerts
 * to officers, and the alarm on SMS refused over a cap. The stack's alarms notify the same topic.
 */
export class WardNotifications extends Construct {
  readonly alertsTopic: sns.Topic;
  /** Alarms of the ward's notifications (dead letters, SMS over a cap) are sent to its officers' topic. */
  readonly alarmAction: cloudwatch.IAlarmAction;
  readonly smsOverCapAlarm: cloudwatch.Alarm;
  /** One alarm per share of the daily SMS budget (SMS_DAILY_BUDGET_ALARM_SHARES), in that order. */
  readonly smsDailyBudgetAlarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: WardNotificationsProps) {
    super(scope, id);
    const { ward } = props;

    this.alertsTopic = new sns.Topic(this, 'Alerts', {
      displayName: `Mot Cua So ${ward.slug}`,
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    for (const email of ward.alertEmails) this.alertsTopic.addSubscription(new subscriptions.EmailSubscription(email));

    // CloudWatch publishes alarm notifications to the topic, which needs the topic's key
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html).
    props.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.alarmAction = new cloudwatchActions.SnsAction(this.alertsTopic);

    this.smsOverCapAlarm = new cloudwatch.Alarm(this, 'SmsOverCap', {
      alarmDescription:
        `${ward.slug}: SMS refused because a phone number reached ${ward.sms.perPhonePerDay} a day, or the ward ${ward.sms.perWardPerDay} today or ${ward.sms.perWardPerMonth} this month ` +
        '(abuse, or a cap to raise). The refusals are SMSOVERCAP#<day> items of the table.',
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: NOTIFIER_METRICS.SMS.OVER_CAP,
        dimensionsMap: { service: serviceName(ward) },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.smsOverCapAlarm.addAlarmAction(this.alarmAction);

    // The notifier emits the day's count (a Vietnam day, which CloudWatch's UTC-aligned periods
    // could not sum) each time it counts an SMS; its maximum crosses each share once a day. Without
    // SMS there is no datapoint: the alarm keeps its state, and the next day's first count resets it.
    const dayCount = new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: SMS_DAILY_BUDGET_METRIC,
      dimensionsMap: { service: serviceName(ward) },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(5),
    });
    this.smsDailyBudgetAlarms = SMS_DAILY_BUDGET_ALARM_SHARES.map((share) => {
      const percent = Math.round(share * 100);
      const alarm = new cloudwatch.Alarm(this, `SmsDailyBudget${percent}`, {
        alarmDescription:
          `${ward.slug}: the ward sent ${percent} % of its daily SMS budget (${ward.sms.perWardPerDay}, Vietnam day) today` +
          (share >= 1 ? '; further SMS today are refused (SMSOVERCAP#<day> items, cap WARD_PER_DAY).' : '. A flood of submissions, or a budget to raise.'),
        metric: dayCount,
        threshold: Math.ceil(ward.sms.perWardPerDay * share),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
      });
      alarm.addAlarmAction(this.alarmAction);
      return alarm;
    });
  }

  /**
   * Lets `user` send SMS (SNS Publish to phone numbers) and publish to the alert topic, and tells
   * it the topic's ARN.
   */
  grantTo(user: ResourceUser): void {
    this.alertsTopic.grants.publish(user);
    // SMS to a phone number has no resource ARN: SNS authorizes it on Resource "*" only.
    user.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
    user.addEnvironment('ALERTS_TOPIC_ARN', this.alertsTopic.topicArn);

    Validations.of(user).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Publishing an SMS straight to a phone number is authorized by SNS on Resource "*" only (a phone number has no ARN); ' +
          'the notifier caps what it sends per phone and per ward in the table. Active tracing also adds the X-Ray actions, which have no resource-level permissions.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason: "Publishing to the alert topic, encrypted with the ward's key, needs kms:GenerateDataKey*, which KMS names with a wildcard; the statement names that one key.",
      },
    );
  }

  /** Lets `user` publish to the alert topic only (the officers' digest: no SMS), and tells it the topic's ARN. */
  grantAlertsTo(user: ResourceUser): void {
    this.alertsTopic.grants.publish(user);
    user.addEnvironment('ALERTS_TOPIC_ARN', this.alertsTopic.topicArn);
    Validations.of(user).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason: "Publishing to the alert topic, encrypted with the ward's key, needs kms:GenerateDataKey*, which KMS names with a wildcard; the statement names that one key.",
    });
  }
}
