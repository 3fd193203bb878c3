/**
 * The resources of a synthesized CloudFormation template that cost money every month whether or
 * not anyone uses them: the fixed part of a stack's bill. Pure: reads the template's JSON only.
 *
 * - KMS keys: one each (customer managed keys are billed per key per month).
 * - CloudWatch alarms: billed per metric they evaluate, so a metric-math alarm counts each metric
 *   in its expression; a composite alarm counts once.
 * - Dashboards, Secrets Manager secrets, WAF web ACLs: one each; WAF rules are billed per rule.
 * - Custom metrics: each distinct (namespace, name, dimensions) outside the `AWS/` namespaces that
 *   an alarm reads, together with any metrics the caller declares that are published by code.
 */

export const IDLE_RESOURCE_KINDS = ['kms-key', 'alarm-metric', 'composite-alarm', 'dashboard', 'secret', 'web-acl', 'web-acl-rule', 'custom-metric'] as const;

export type IdleResourceKind = (typeof IDLE_RESOURCE_KINDS)[number];

export interface IdleResourceCount {
  kind: IdleResourceKind;
  count: number;
}

interface TemplateResource {
  Type?: string;
  Properties?: Record<string, unknown>;
}

interface AlarmMetric {
  Namespace?: unknown;
  MetricName?: unknown;
  Dimensions?: unknown;
}

const metricKey = (metric: AlarmMetric): string | undefined => {
  if (typeof metric.Namespace !== 'string' || metric.Namespace.startsWith('AWS/')) return undefined;
  return JSON.stringify([metric.Namespace, metric.MetricName, metric.Dimensions ?? []]);
};

const alarmMetrics = (properties: Record<string, unknown>): AlarmMetric[] => {
  const queries = properties.Metrics;
  if (!Array.isArray(queries)) return [properties];
  return queries.map((query) => (query as { MetricStat?: { Metric?: AlarmMetric } }).MetricStat?.Metric).filter((metric): metric is AlarmMetric => metric !== undefined);
};

export function billableIdleResources(template: object, declaredCustomMetrics: readonly string[] = []): IdleResourceCount[] {
  const resources = Object.values((template as { Resources?: Record<string, TemplateResource> }).Resources ?? {});
  const counts = new Map<IdleResourceKind, number>(IDLE_RESOURCE_KINDS.map((kind) => [kind, 0]));
  const add = (kind: IdleResourceKind, count = 1) => counts.set(kind, (counts.get(kind) ?? 0) + count);
  const customMetrics = new Set<string>(declaredCustomMetrics);

  for (const resource of resources) {
    const properties = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::KMS::Key':
        add('kms-key');
        break;
      case 'AWS::CloudWatch::Alarm': {
        const metrics = alarmMetrics(properties);
        add('alarm-metric', Math.max(metrics.length, 1));
        for (const metric of metrics) {
          const key = metricKey(metric);
          if (key !== undefined) customMetrics.add(key);
        }
        break;
      }
      case 'AWS::CloudWatch::CompositeAlarm':
        add('composite-alarm');
        break;
      case 'AWS::CloudWatch::Dashboard':
        add('dashboard');
        break;
      case 'AWS::SecretsManager::Secret':
        add('secret');
        break;
      case 'AWS::WAFv2::WebACL':
        add('web-acl');
        add('web-acl-rule', Array.isArray(properties.Rules) ? properties.Rules.length : 0);
        break;
      default:
        break;
    }
  }
  add('custom-metric', customMetrics.size);
  return IDLE_RESOURCE_KINDS.map((kind) => ({ kind, count: counts.get(kind) ?? 0 }));
}
