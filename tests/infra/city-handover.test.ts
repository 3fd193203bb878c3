import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { WardStack } from '../../infra/stacks/ward-stack';
import { CITY_BUS_NAME } from '../../shared/domain/city';
import { WardConfigSchema } from '../../shared/domain/ward-config';
import { CITY_INBOUND_DELIVERY, cityQueueNames, HAND_OVER_DELIVERY } from '../../shared/runtime/city-delivery';
import { testWard } from '../fixtures/ward';

/** Reception without boundaries in the synthesized ward stack (infra/constructs/city-handover.ts). */
const WARD = WardConfigSchema.parse({ ...testWard, slug: 'cua-nam', env: { account: '111122223333', region: 'ap-southeast-1' } });
const CDK_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;
const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
const stack = new WardStack(app, 'MotCuaSo-cua-nam', { ward: WARD, env: WARD.env });
const template = Template.fromStack(stack);
const names = cityQueueNames(WARD.slug);

const idOf = (type: string, props: Record<string, unknown>): string => {
  const ids = Object.keys(template.findResources(type, { Properties: props }));
  expect(ids, `${type} ${JSON.stringify(props)}`).toHaveLength(1);
  return ids[0] ?? '';
};
const functionIdOf = (prefix: string): string => {
  const ids = Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) => id.startsWith(prefix));
  expect(ids, prefix).toHaveLength(1);
  return ids[0] ?? '';
};
const policiesOf = (functionId: string): { Action: string | string[]; Resource: unknown }[] => {
  const role = ((template.toJSON() as { Resources: Record<string, unknown> }).Resources[functionId] as { Properties: { Role: { 'Fn::GetAtt': [string] } } }).Properties.Role[
    'Fn::GetAtt'
  ][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties as { Roles: { Ref: string }[] }).Roles.some((ref) => ref.Ref === role))
    .flatMap((policy) => (policy.Properties as { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } }).PolicyDocument.Statement);
};

describe('the ward stack on the city bus', () => {
  it("has a rule on the city bus for this ward's events, into the inbound queue with a dead-letter queue", () => {
    const inbound = idOf('AWS::SQS::Queue', { QueueName: names.inbound });
    const inboundDeadLetters = idOf('AWS::SQS::Queue', { QueueName: names.inboundDeadLetters });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: names.inbound,
      VisibilityTimeout: CITY_INBOUND_DELIVERY.visibilityTimeoutSeconds,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [inboundDeadLetters, 'Arn'] }, maxReceiveCount: CITY_INBOUND_DELIVERY.maxReceiveCount },
      KmsMasterKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: CITY_BUS_NAME,
      EventPattern: { detail: { toWard: [WARD.slug] } },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [inbound, 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [inboundDeadLetters, 'Arn'] } } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [inbound, 'Arn'] },
      FunctionName: { Ref: functionIdOf('CityHandOverCityReceiver') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('retries a hand-over until acknowledged, then dead-letters it, and alarms', () => {
    const handOverDeadLetters = idOf('AWS::SQS::Queue', { QueueName: names.handOverDeadLetters });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: names.handOvers,
      VisibilityTimeout: HAND_OVER_DELIVERY.visibilityTimeoutSeconds,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [handOverDeadLetters, 'Arn'] }, maxReceiveCount: HAND_OVER_DELIVERY.maxReceiveCount },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [handOverDeadLetters, 'QueueName'] } }],
      Threshold: 0,
    });
  });

  it('lets the functions that speak on the bus put events on it, and only them', () => {
    const putsEvents = (functionId: string) =>
      policiesOf(functionId).some(
        (statement) =>
          [statement.Action].flat().includes('events:PutEvents') &&
          JSON.stringify(statement.Resource).endsWith(`:events:ap-southeast-1:111122223333:event-bus/${CITY_BUS_NAME}"]]}`),
      );
    for (const prefix of ['CityHandOverCityReceiver', 'CityHandOverCityHandOverWorker', 'StreamConsumersCityReturn']) expect(putsEvents(functionIdOf(prefix)), prefix).toBe(true);
    for (const prefix of ['StreamConsumersNotifier', 'StreamConsumersCityHandOver', 'SubmitDossier']) expect(putsEvents(functionIdOf(prefix)), prefix).toBe(false);
    // The receiving ward's hand-over consumer queues each hand-over.
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Stream consumer CityHandOver'),
      Environment: { Variables: Match.objectLike({ HANDOVER_QUEUE_URL: { Ref: idOf('AWS::SQS::Queue', { QueueName: names.handOvers }) } }) },
    });
  });

  it('passes cdk-nag with nothing unacknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const mine = /\/(CityHandOver\/|StreamConsumers\/City)/;
    const findings = report.violations.flatMap((v) => v.violatingResources.filter((r) => mine.test(r.constructPath ?? '')).map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
  });
});
