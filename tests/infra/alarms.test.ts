import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { WardStack } from '../../infra/stacks/ward-stack';
import { operatorsTopicArn } from '../../infra/constructs/ward-alarms';
import { WardConfigSchema } from '../../shared/domain/ward-config';
import { STREAM_CONSUMERS } from '../../shared/runtime/consumers';
import { notificationQueueNames, RETRY_DELIVERY } from '../../shared/runtime/notification-retries';
import { testWard } from '../fixtures/ward';

const WARD = WardConfigSchema.parse({ ...testWard, slug: 'canh-bao', env: { account: '111122223333', region: 'ap-southeast-1' } });
const CDK_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

// Synthesized once for the file, without bundling.
const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
const stack = new WardStack(app, 'MotCuaSo-canh-bao', { ward: WARD, env: WARD.env });
/** Every alarm also goes to the city operators' topic, by the ARN its name makes. */
const operatorsTopic = stack.resolve(operatorsTopicArn(stack)) as unknown;
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;

const idsOf = (type: string): string[] => Object.keys(resources).filter((id) => resources[id]?.Type === type);
const logicalIdOf = (type: string, prefix: string): string => {
  const ids = idsOf(type).filter((id) => id.startsWith(prefix));
  expect(ids, `${type} ${prefix}*`).toHaveLength(1);
  return ids[0] ?? '';
};
const alertsTopic = () => ({ Ref: logicalIdOf('AWS::SNS::Topic', 'NotificationsAlerts') });

interface AlarmProperties {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name: string; Value: unknown }[];
  Metrics?: { Id: string; Expression?: string; MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: unknown }[] } } }[];
  Threshold: number;
  ComparisonOperator: string;
  AlarmActions?: unknown[];
}
const alarms = idsOf('AWS::CloudWatch::Alarm').map((id) => resources[id]?.Properties as unknown as AlarmProperties);

/** Every metric an alarm watches, alone or within its metric math, with the alarm. */
const watched = alarms.flatMap((alarm) => {
  const single = alarm.MetricName === undefined ? [] : [{ namespace: alarm.Namespace, metricName: alarm.MetricName, dimensions: alarm.Dimensions ?? [] }];
  const inMath = (alarm.Metrics ?? []).flatMap((m) =>
    m.MetricStat ? [{ namespace: m.MetricStat.Metric.Namespace, metricName: m.MetricStat.Metric.MetricName, dimensions: m.MetricStat.Metric.Dimensions }] : [],
  );
  return [...single, ...inMath].map((metric) => ({ ...metric, alarm }));
});
const alarmsOn = (namespace: string, metricName: string, dimension: string, value: unknown) =>
  watched
    .filter((m) => m.namespace === namespace && m.metricName === metricName && m.dimensions.some((d) => d.Name === dimension && JSON.stringify(d.Value) === JSON.stringify(value)))
    .map((m) => m.alarm);
/** An alarm on the first occurrence, to the operators' topic. */
const onFirst = { Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [alertsTopic(), operatorsTopic] };

/** The dead-letter queues of the template: targets of a queue's redrive policy or of an event source mapping's on-failure destination. */
const deadLetterQueueIds = (): string[] => {
  const targets = [
    ...idsOf('AWS::SQS::Queue').map((id) => (resources[id]?.Properties.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)?.deadLetterTargetArn),
    ...idsOf('AWS::Lambda::EventSourceMapping').map(
      (id) => (resources[id]?.Properties.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)?.OnFailure?.Destination,
    ),
  ];
  return [...new Set(targets.flatMap((target) => (target as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0] ?? []))].sort();
};

describe('the alarms of the ward stack', () => {
  it('alarms on errors and on throttles of every Lambda function of the template, to the operators', () => {
    const functions = idsOf('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(30);
    for (const id of functions) {
      for (const metric of ['Errors', 'Throttles']) {
        const found = alarmsOn('AWS/Lambda', metric, 'FunctionName', { Ref: id });
        expect(found, `${metric} of ${id}`).not.toHaveLength(0);
        for (const alarm of found) expect(alarm, `${metric} of ${id}`).toMatchObject(onFirst);
      }
    }
  });

  it('alarms on the first message of every dead-letter queue', () => {
    const queues = deadLetterQueueIds();
    // Each stream consumer's, the notifier's retry queue's, and the city hand-over's two (inbound, hand-overs).
    expect(queues).toHaveLength(STREAM_CONSUMERS.length + 3);
    for (const id of queues) {
      const found = alarmsOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', { 'Fn::GetAtt': [id, 'QueueName'] });
      expect(found, id).toHaveLength(1);
      expect(found[0], id).toMatchObject(onFirst);
    }
  });

  it('alarms on any 5xx of the API and on failed or timed-out deadline executions', () => {
    const api5xx = watched.filter((m) => m.namespace === 'AWS/ApiGateway' && m.metricName === '5XXError');
    expect(api5xx).toHaveLength(1);
    expect(api5xx[0]?.alarm).toMatchObject(onFirst);
    const stateMachine = { Ref: logicalIdOf('AWS::StepFunctions::StateMachine', 'DeadlinesStateMachine') };
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      const found = alarmsOn('AWS/States', metric, 'StateMachineArn', stateMachine);
      expect(found, metric).toHaveLength(1);
      expect(found[0], metric).toMatchObject(onFirst);
    }
  });

  it('leaves no cdk-nag finding unacknowledged on the alarms and the notification retries', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const mine = /\/(Alarms|NotificationRetries)\//;
    const findings = report.violations.flatMap((v) => v.violatingResources.filter((r) => mine.test(r.constructPath ?? '')).map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
  });
});

describe("the notifier's retries", () => {
  const names = notificationQueueNames(WARD.slug);
  const queueId = () => logicalIdOf('AWS::SQS::Queue', 'NotificationRetriesQueue');
  const deadLettersId = () => logicalIdOf('AWS::SQS::Queue', 'NotificationRetriesDeadLetters');

  it('keeps failed deliveries two weeks in a KMS-encrypted, TLS-only queue named after the ward, dead-lettered after the last attempt', () => {
    const dataKey = { 'Fn::GetAtt': [logicalIdOf('AWS::KMS::Key', 'DataKey'), 'Arn'] };
    expect(resources[queueId()]?.Properties).toMatchObject({
      QueueName: names.retries,
      KmsMasterKeyId: dataKey,
      MessageRetentionPeriod: RETRY_DELIVERY.retentionDays * 24 * 3600,
      VisibilityTimeout: RETRY_DELIVERY.visibilityTimeoutSeconds,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLettersId(), 'Arn'] }, maxReceiveCount: RETRY_DELIVERY.maxReceiveCount },
    });
    expect(resources[deadLettersId()]?.Properties).toMatchObject({
      QueueName: names.deadLetters,
      KmsMasterKeyId: dataKey,
      MessageRetentionPeriod: RETRY_DELIVERY.retentionDays * 24 * 3600,
    });
    for (const id of [queueId(), deadLettersId()]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    }
  });

  it("feeds the retry worker from the queue in batches with partial failures, and tells the notifier and the worker the queue's URL", () => {
    const worker = logicalIdOf('AWS::Lambda::Function', 'NotificationRetriesFunction');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
      FunctionName: { Ref: worker },
      BatchSize: RETRY_DELIVERY.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(resources[worker]?.Properties).toMatchObject({ Timeout: RETRY_DELIVERY.functionTimeoutSeconds });
    for (const id of [worker, logicalIdOf('AWS::Lambda::Function', 'StreamConsumersNotifierFunction')]) {
      expect((resources[id]?.Properties.Environment as { Variables: Record<string, unknown> }).Variables.NOTIFICATION_RETRY_QUEUE_URL, id).toEqual({ Ref: queueId() });
    }
    const statements = (policyPrefix: string) =>
      (resources[logicalIdOf('AWS::IAM::Policy', policyPrefix)]?.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement;
    const actionsOnQueue = (policyPrefix: string) =>
      statements(policyPrefix)
        .filter((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).some((r) => JSON.stringify(r) === JSON.stringify({ 'Fn::GetAtt': [queueId(), 'Arn'] })))
        .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actionsOnQueue('StreamConsumersNotifierRoleDefaultPolicy')).toContain('sqs:SendMessage');
    expect(actionsOnQueue('NotificationRetriesRoleDefaultPolicy')).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage']));
  });
});
