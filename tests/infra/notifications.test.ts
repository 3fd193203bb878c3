import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { STREAM_DELIVERY, consumerFilterPattern } from '../../shared/runtime/stream';
import { STREAM_CONSUMERS } from '../../shared/runtime/consumers';
import { WardConfigSchema } from '../../shared/domain/ward-config';
import { WardStack } from '../../infra/stacks/ward-stack';
import { operatorsTopicArn } from '../../infra/constructs/ward-alarms';
import { testWard } from '../fixtures/ward';

/** A ward with two officers to alert, so that the subscriptions are seen to follow the configuration. */
const WARD = WardConfigSchema.parse({
  ...testWard,
  slug: 'thong-bao',
  alertEmails: ['mot-cua@thongbao.example.vn', 'lanh-dao@thongbao.example.vn'],
  alertDigestMinutes: 15,
  env: { account: '111122223333', region: 'ap-southeast-1' },
});

const CDK_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

// Synthesized once for the file, without bundling.
const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
const stack = new WardStack(app, 'MotCuaSo-thong-bao', { ward: WARD, env: WARD.env });
/** Every alarm also goes to the city operators' topic, by the ARN its name makes. */
const operatorsTopic = stack.resolve(operatorsTopicArn(stack)) as unknown;
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;

const logicalIdOf = (type: string, prefix: string): string => {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids, `${type} ${prefix}*`).toHaveLength(1);
  return ids[0] ?? '';
};
const arnOf = (type: string, prefix: string) => ({ 'Fn::GetAtt': [logicalIdOf(type, prefix), 'Arn'] });
const propertiesOf = (type: string, prefix: string) => resources[logicalIdOf(type, prefix)]?.Properties ?? {};

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
const statementsOf = (consumerId: string): Statement[] =>
  (propertiesOf('AWS::IAM::Policy', `StreamConsumers${consumerId}RoleDefaultPolicy`) as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement;
const actionsOn = (statements: Statement[], resource: unknown): string[] =>
  statements
    .filter((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).some((r) => JSON.stringify(r) === JSON.stringify(resource)))
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
const variablesOf = (consumerId: string) =>
  (propertiesOf('AWS::Lambda::Function', `StreamConsumers${consumerId}Function`).Environment as { Variables: Record<string, unknown> }).Variables;

const dataKeyArn = () => arnOf('AWS::KMS::Key', 'DataKey');
const alertsTopic = () => ({ Ref: logicalIdOf('AWS::SNS::Topic', 'NotificationsAlerts') });

describe('stream consumers', () => {
  it('maps the table stream to each consumer of STREAM_CONSUMERS through the filter local mode evaluates, in bisected, bounded, partially failing batches', () => {
    for (const consumer of STREAM_CONSUMERS) {
      const mapping = propertiesOf('AWS::Lambda::EventSourceMapping', `StreamConsumers${consumer.id}Function`);
      expect(mapping, consumer.id).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [logicalIdOf('AWS::DynamoDB::GlobalTable', 'DataTable'), 'StreamArn'] },
        FunctionName: { Ref: logicalIdOf('AWS::Lambda::Function', `StreamConsumers${consumer.id}Function`) },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: STREAM_DELIVERY.batchSize,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: STREAM_DELIVERY.retryAttempts,
        MaximumRecordAgeInSeconds: STREAM_DELIVERY.maxRecordAgeHours * 3600,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: arnOf('AWS::SQS::Queue', `StreamConsumers${consumer.id}DeadLetters`) } },
      });
      const [filter] = (mapping.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
      expect(JSON.parse(filter?.Pattern ?? '{}'), consumer.id).toEqual({
        eventName: ['INSERT'],
        dynamodb: { NewImage: { PK: { S: [{ prefix: 'OUTBOX#' }] }, type: { S: [...consumer.events] } } },
      });
      expect(JSON.parse(filter?.Pattern ?? '{}'), consumer.id).toEqual(consumerFilterPattern(consumer));
    }
    // And three more: the notifier's retry worker on its queue (tests/infra/alarms.test.ts), the city receiver and the hand-over worker on theirs (tests/infra/city-handover.test.ts).
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', STREAM_CONSUMERS.length + 3);
  });

  it('sends what a consumer gives up on to its own KMS-encrypted, TLS-only dead-letter queue, and alarms on its first message', () => {
    for (const consumer of STREAM_CONSUMERS) {
      const queueId = logicalIdOf('AWS::SQS::Queue', `StreamConsumers${consumer.id}DeadLetters`);
      expect(resources[queueId]?.Properties, consumer.id).toMatchObject({ KmsMasterKeyId: dataKeyArn(), MessageRetentionPeriod: 14 * 24 * 3600 });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
      expect(propertiesOf('AWS::CloudWatch::Alarm', `StreamConsumers${consumer.id}DeadLettersAlarm`), consumer.id).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        AlarmActions: [alertsTopic(), operatorsTopic],
      });
      expect(actionsOn(statementsOf(consumer.id), { 'Fn::GetAtt': [queueId, 'Arn'] }), consumer.id).toContain('sqs:SendMessage');
    }
  });

  it("lets each consumer read the table's stream, and no route function", () => {
    const streamArn = { 'Fn::GetAtt': [logicalIdOf('AWS::DynamoDB::GlobalTable', 'DataTable'), 'StreamArn'] };
    for (const consumer of STREAM_CONSUMERS) {
      expect(actionsOn(statementsOf(consumer.id), streamArn), consumer.id).toEqual(
        expect.arrayContaining(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']),
      );
    }
    const streamReaders = Object.entries(resources)
      .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy')
      .filter(([, policy]) => JSON.stringify(policy.Properties).includes('dynamodb:GetRecords'))
      .map(([id]) => id);
    expect(streamReaders.sort()).toEqual(STREAM_CONSUMERS.map((consumer) => logicalIdOf('AWS::IAM::Policy', `StreamConsumers${consumer.id}RoleDefaultPolicy`)).sort());
  });
});

describe('notifications', () => {
  it("subscribes every officer e-mail of the ward configuration to the ward's alert topic, encrypted with the ward key and TLS only", () => {
    expect(propertiesOf('AWS::SNS::Topic', 'NotificationsAlerts')).toMatchObject({ KmsMasterKeyId: dataKeyArn() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [alertsTopic()],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription')).map((s) => s.Properties as Record<string, unknown>);
    expect(subscriptions).toEqual(WARD.alertEmails.map((email) => ({ Protocol: 'email', Endpoint: email, TopicArn: alertsTopic() })));
  });

  it('lets the notifier and its retry worker, and only them, send SMS, and them and the alert digest publish alerts, and tells it the topic and the public links', () => {
    const notifier = STREAM_CONSUMERS.filter((consumer) => consumer.access.notify);
    expect(notifier.map((consumer) => consumer.id)).toEqual(['Notifier']);
    expect(actionsOn(statementsOf('Notifier'), '*')).toContain('sns:Publish');
    expect(actionsOn(statementsOf('Notifier'), alertsTopic())).toContain('sns:Publish');
    expect(actionsOn(statementsOf('Notifier'), dataKeyArn())).toEqual(expect.arrayContaining(['kms:GenerateDataKey*', 'kms:Decrypt']));
    expect(variablesOf('Notifier')).toMatchObject({
      ALERTS_TOPIC_ARN: alertsTopic(),
      TABLE_NAME: { Ref: logicalIdOf('AWS::DynamoDB::GlobalTable', 'DataTable') },
      PUBLIC_BASE_URL: WARD.publicBaseUrl,
    });

    const publishers = Object.entries(resources)
      .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties).includes('sns:Publish'))
      .map(([id]) => id);
    expect(publishers.sort()).toEqual(
      [
        logicalIdOf('AWS::IAM::Policy', 'ScheduledJobsAlertDigest'),
        logicalIdOf('AWS::IAM::Policy', 'StreamConsumersNotifierRoleDefaultPolicy'),
        logicalIdOf('AWS::IAM::Policy', 'NotificationRetriesRoleDefaultPolicy'),
      ].sort(),
    );
    const digestStatements = (propertiesOf('AWS::IAM::Policy', 'ScheduledJobsAlertDigest') as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement;
    expect(actionsOn(digestStatements, alertsTopic())).toContain('sns:Publish');
    expect(actionsOn(digestStatements, '*')).not.toContain('sns:Publish');
    expect(variablesOf('DeadlineStarter').ALERTS_TOPIC_ARN).toBeUndefined();
  });

  it("alarms to the officers' topic when an SMS is refused over a cap, on the metric the notifier emits", () => {
    const variables = variablesOf('Notifier');
    expect(propertiesOf('AWS::CloudWatch::Alarm', 'NotificationsSmsOverCap')).toMatchObject({
      Namespace: variables.POWERTOOLS_METRICS_NAMESPACE,
      MetricName: 'SmsOverCap',
      Dimensions: [{ Name: 'service', Value: variables.POWERTOOLS_SERVICE_NAME }],
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
      AlarmActions: [alertsTopic(), operatorsTopic],
    });
  });

  it("alarms to the officers' topic at 50, 80 and 100 % of the ward's daily SMS budget, on the day's count the notifier emits", () => {
    const variables = variablesOf('Notifier');
    const budget = WARD.sms.perWardPerDay;
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties as { MetricName?: string; Threshold: number });
    const budgetAlarms = alarms.filter((alarm) => alarm.MetricName === 'SmsDailyBudgetUsed');
    expect(budgetAlarms.map((alarm) => alarm.Threshold).sort((a, b) => a - b)).toEqual([budget * 0.5, budget * 0.8, budget]);
    for (const percent of [50, 80, 100]) {
      expect(propertiesOf('AWS::CloudWatch::Alarm', `NotificationsSmsDailyBudget${percent}`), `${percent} %`).toMatchObject({
        Namespace: variables.POWERTOOLS_METRICS_NAMESPACE,
        Dimensions: [{ Name: 'service', Value: variables.POWERTOOLS_SERVICE_NAME }],
        Statistic: 'Maximum',
        Period: 300,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: Math.ceil((budget * percent) / 100),
        TreatMissingData: 'ignore',
        AlarmActions: [alertsTopic(), operatorsTopic],
      });
    }
  });

  it('lets CloudWatch use the ward key, to publish alarms to the encrypted topic', () => {
    const keyPolicy = propertiesOf('AWS::KMS::Key', 'DataKey').KeyPolicy as { Statement: { Principal?: { Service?: string }; Action: string[] }[] };
    const forCloudWatch = keyPolicy.Statement.filter((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(forCloudWatch.flatMap((s) => s.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
  });

  it('leaves no cdk-nag finding unacknowledged on the notifications, the notifier and the dead-letter queues', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const mine = /\/(Notifications\/|StreamConsumers\/Notifier\/|StreamConsumers\/\w+DeadLetters)/;
    const findings = report.violations.flatMap((v) => v.violatingResources.filter((r) => mine.test(r.constructPath ?? '')).map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
  });
});
