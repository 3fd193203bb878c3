import { describe, expect, it } from 'vitest';
import { billableIdleResources } from '../../shared/domain/idle-resources';

const countOf = (template: object, kind: string) => billableIdleResources(template).find((line) => line.kind === kind)?.count;

describe('billableIdleResources', () => {
  const template = {
    Resources: {
      DataKey: { Type: 'AWS::KMS::Key', Properties: {} },
      HmacKey: { Type: 'AWS::KMS::Key', Properties: {} },
      Errors: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'f' }] },
      },
      Dlqs: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          Metrics: [
            { Id: 'a', MetricStat: { Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible' } } },
            { Id: 'b', MetricStat: { Metric: { Namespace: 'MotCuaSo', MetricName: 'SmsFailed' } } },
            { Id: 'sum', Expression: 'a + b' },
          ],
        },
      },
      Page: { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: {} },
      Board: { Type: 'AWS::CloudWatch::Dashboard', Properties: {} },
      Secret: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
      Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Rules: [{}, {}, {}] } },
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    },
  };

  it('counts each priced kind from the template', () => {
    expect(countOf(template, 'kms-key')).toBe(2);
    expect(countOf(template, 'alarm-metric')).toBe(3);
    expect(countOf(template, 'composite-alarm')).toBe(1);
    expect(countOf(template, 'dashboard')).toBe(1);
    expect(countOf(template, 'secret')).toBe(1);
    expect(countOf(template, 'web-acl')).toBe(1);
    expect(countOf(template, 'web-acl-rule')).toBe(3);
    expect(countOf(template, 'custom-metric')).toBe(1);
  });

  it('adds declared custom metrics once each', () => {
    const lines = billableIdleResources(template, ['MotCuaSo/SmsSent', 'MotCuaSo/SmsSent']);
    expect(lines.find((line) => line.kind === 'custom-metric')?.count).toBe(2);
  });

  it('prices nothing in an empty template', () => {
    expect(billableIdleResources({}).every((line) => line.count === 0)).toBe(true);
  });
});
