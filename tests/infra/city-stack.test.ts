import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { CITY } from '../../infra/config/city';
import { WARDS } from '../../infra/config/wards';
import { FIGURES } from '../../infra/constructs/dashboard-figures';
import { CITY_DASHBOARD_NAME, CityStack, cityEnvOf } from '../../infra/stacks/city-stack';
import { CITY_BUS_NAME, CITY_STACK_NAME, OPERATORS_TOPIC_NAME, WARD_DIRECTORY_PATH, WardDirectoryEntrySchema, wardDirectoryEntry, wardEventSource } from '../../shared/domain/city';
import { WardConfigSchema, type WardConfig } from '../../shared/domain/ward-config';
import { testWard } from '../fixtures/ward';

const CDK_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;
const ENV = { account: '111122223333', region: 'ap-southeast-1' };

/** Hanoi's 126 units, as many as the city deploys: test wards with slugs and codes of their own. */
const CITY_OF_126: WardConfig[] = Array.from({ length: 126 }, (_, index) =>
  WardConfigSchema.parse({
    ...testWard,
    slug: `xa-phuong-${String(index + 1).padStart(3, '0')}`,
    name: `Xã Phường ${index + 1}`,
    agencyCode: `000.${String(index).padStart(2, '0').slice(-2)}.${String(index + 10).slice(-2)}.H26`,
    publicBaseUrl: undefined,
    env: { region: ENV.region },
  }),
);

function synthesize(wards: readonly WardConfig[]) {
  const app = new App({ context: CDK_CONTEXT });
  const stack = new CityStack(app, CITY_STACK_NAME, { city: CITY, wards, env: ENV });
  return { app, stack, template: Template.fromStack(stack) };
}

const configured = synthesize(WARDS);
const full = synthesize(CITY_OF_126);

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
const resourcesOf = (template: Template, type: string) =>
  Object.values(template.toJSON().Resources as Resources)
    .filter((resource) => resource.Type === type)
    .map((resource) => resource.Properties);

interface Statement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal: unknown;
  Action: string;
  Resource: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}
const busStatements = (template: Template): Statement[] => resourcesOf(template, 'AWS::Events::EventBusPolicy').map((policy) => policy.Statement as Statement);

/**
 * IAM's evaluation of a statement's conditions for a PutEvents request, for the operators and
 * keys the bus policy uses (any other fails the test): a policy variable of a tag the principal
 * lacks makes its condition false.
 */
function conditionsHold(statement: Statement, request: { readonly wardTag?: string; readonly source: string }): boolean {
  const contextValue = (key: string): string | undefined => {
    if (key === 'aws:PrincipalTag/ward') return request.wardTag;
    if (key === 'events:source') return request.source;
    throw new Error(`unexpected condition key ${key}`);
  };
  const substitute = (value: string): string | undefined =>
    value.includes('${aws:PrincipalTag/ward}') ? (request.wardTag === undefined ? undefined : value.replaceAll('${aws:PrincipalTag/ward}', request.wardTag)) : value;
  return Object.entries(statement.Condition ?? {}).every(([operator, entries]) =>
    Object.entries(entries).every(([key, expected]) => {
      const actual = contextValue(key);
      const values = (Array.isArray(expected) ? expected : [expected]).map(substitute);
      if (values.includes(undefined)) return false;
      switch (operator) {
        case 'StringEquals':
          return actual !== undefined && values.includes(actual);
        case 'StringNotEquals':
          return actual === undefined || !values.includes(actual);
        case 'Null':
          return values.every((value) => (value === 'true' ? actual === undefined : actual !== undefined));
        default:
          throw new Error(`unexpected condition operator ${operator}`);
      }
    }),
  );
}

/** What the bus policy decides for a principal of the account: an explicit Deny wins, then an Allow. */
function decide(template: Template, request: { readonly wardTag?: string; readonly source: string }): 'allowed' | 'denied' | 'not allowed by the bus' {
  const applying = busStatements(template).filter((statement) => statement.Action === 'events:PutEvents' && conditionsHold(statement, request));
  if (applying.some((statement) => statement.Effect === 'Deny')) return 'denied';
  return applying.some((statement) => statement.Effect === 'Allow') ? 'allowed' : 'not allowed by the bus';
}

/** The dashboard's body, its tokens (the region, the account) given as placeholders. */
function dashboardBody(template: Template): { widgets: { type: string; properties: { metrics?: unknown[][] } }[] } & Record<string, unknown> {
  const [dashboard] = resourcesOf(template, 'AWS::CloudWatch::Dashboard');
  const body = dashboard?.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  const text = typeof body === 'string' ? body : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return JSON.parse(text) as ReturnType<typeof dashboardBody>;
}

describe('the city stack', () => {
  it('lists every ward in the directory, one SSM parameter each, as its configuration derives it', () => {
    for (const { template, wards } of [
      { template: configured.template, wards: WARDS },
      { template: full.template, wards: CITY_OF_126 },
    ]) {
      const parameters = resourcesOf(template, 'AWS::SSM::Parameter');
      expect(parameters.map((parameter) => parameter.Name).sort()).toEqual(wards.map((ward) => `${WARD_DIRECTORY_PATH}/${ward.slug}`).sort());
      for (const ward of wards) {
        const parameter = parameters.find((p) => p.Name === `${WARD_DIRECTORY_PATH}/${ward.slug}`);
        const entry = WardDirectoryEntrySchema.parse(JSON.parse(String(parameter?.Value)));
        expect(entry).toEqual(wardDirectoryEntry(ward));
        expect(entry).toMatchObject({ agencyCode: ward.agencyCode, name: ward.name, eventSource: wardEventSource(ward.slug), stackName: `MotCuaSo-${ward.slug}` });
      }
    }
  });

  it('names the bus mot-cua-so-city and archives every ward event', () => {
    configured.template.hasResourceProperties('AWS::Events::EventBus', { Name: CITY_BUS_NAME });
    configured.template.hasResourceProperties('AWS::Events::Archive', {
      ArchiveName: `${CITY_BUS_NAME}-wards`,
      EventPattern: { source: [{ prefix: 'mot-cua-so.ward.' }] },
      RetentionDays: CITY.busArchiveRetentionDays,
    });
  });

  it("lets each ward put events with its own source only, and no ward with another's", () => {
    for (const { template, wards } of [
      { template: configured.template, wards: WARDS },
      { template: full.template, wards: CITY_OF_126 },
    ]) {
      wards.forEach((ward, index) => {
        const other = wards[(index + 1) % wards.length] as WardConfig;
        expect(decide(template, { wardTag: ward.slug, source: wardEventSource(ward.slug) }), ward.slug).toBe('allowed');
        expect(decide(template, { wardTag: ward.slug, source: wardEventSource(other.slug) }), `${ward.slug} as ${other.slug}`).toBe('denied');
        expect(decide(template, { wardTag: ward.slug, source: 'aws.events' }), `${ward.slug} as aws.events`).toBe('denied');
      });
      // A principal of a ward the city does not have is denied any ward's source, and allowed none.
      expect(decide(template, { wardTag: 'khong-co', source: wardEventSource(wards[0]?.slug ?? '') })).toBe('denied');
      expect(decide(template, { wardTag: 'khong-co', source: wardEventSource('khong-co') })).toBe('not allowed by the bus');
      // An untagged principal (the city's own operators) gets nothing from the bus's policy.
      expect(decide(template, { source: wardEventSource(wards[0]?.slug ?? '') })).toBe('not allowed by the bus');
    }
  });

  it('keeps the bus policy to two statements within EventBridge’s 10,240 characters for all 126 units', () => {
    const statements = busStatements(full.template);
    expect(statements.map((s) => s.Sid).sort()).toEqual(['cdk-EachWardItsOwnSource', 'cdk-NoWardAnotherSource']);
    expect(JSON.stringify({ Version: '2012-10-17', Statement: statements }).length).toBeLessThan(10_240);
    // The Allow names the account, never another one or everyone.
    const allow = statements.find((s) => s.Effect === 'Allow');
    expect(JSON.stringify(allow?.Principal)).toContain('111122223333');
  });

  it("encrypts the operators' topic with a rotating key, refuses plain HTTP and lets the account's alarms publish", () => {
    const template = configured.template;
    const keys = template.findResources('AWS::KMS::Key', { Properties: { EnableKeyRotation: true } });
    // Every key of the stack rotates (the operators' and the city report's logs'), and the topic has its own.
    expect(Object.keys(keys)).toHaveLength(Object.keys(template.findResources('AWS::KMS::Key')).length);
    const operatorsKey = Object.keys(keys).find((id) => id.startsWith('OperatorsKey'));
    expect(operatorsKey).toBeDefined();
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: OPERATORS_TOPIC_NAME, KmsMasterKeyId: Match.objectLike({ 'Fn::GetAtt': [operatorsKey, 'Arn'] }) });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
    const subscriptions = resourcesOf(template, 'AWS::SNS::Subscription');
    expect(subscriptions.map((s) => [s.Protocol, s.Endpoint])).toEqual(CITY.operatorEmails.map((email) => ['email', email]));
  });

  it('has a city dashboard within CloudWatch’s limits, the same size for 8 wards or 126', () => {
    for (const { template } of [configured, full]) template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: CITY_DASHBOARD_NAME });
    const small = dashboardBody(configured.template);
    const large = dashboardBody(full.template);
    for (const body of [small, large]) {
      expect(body.widgets.length).toBeLessThanOrEqual(500);
      const metricsPerWidget = body.widgets.map((widget) => widget.properties.metrics?.length ?? 0);
      for (const count of metricsPerWidget) expect(count).toBeLessThanOrEqual(500);
      expect(metricsPerWidget.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2_500);
    }
    // Only the title's ward count differs: one search per figure, never a metric per ward.
    expect(JSON.stringify(large).length - JSON.stringify(small).length).toBeLessThan(10);
    expect(JSON.stringify(large)).not.toContain(CITY_OF_126[0]?.slug);
  });

  it("draws every figure on the city dashboard: each ward's line by one search, and city totals by metric math", () => {
    const text = JSON.stringify(dashboardBody(full.template));
    for (const figure of Object.values(FIGURES)) expect(text, figure.metricName).toContain(`MetricName=\\"${figure.metricName}\\"`);
    expect(text).toContain(`SUM(SEARCH('{MotCuaSo,service} MetricName=\\"${FIGURES.received.metricName}\\"', 'Maximum', 300))`);
    expect(text).toContain(`100 * SUM(SEARCH('{MotCuaSo,service} MetricName=\\"${FIGURES.resolvedOnTime.metricName}\\"`);
    expect(text).toContain(`SEARCH('{AWS/ApiGateway,ApiName} MetricName=\\"5XXError\\" ApiName=mot-cua-so', 'Sum', 300)`);
  });

  it('takes the wards’ one account and region, and refuses wards spread over two', () => {
    expect(cityEnvOf(WARDS, '111122223333')).toEqual({ account: '111122223333', region: WARDS[0]?.env.region });
    const elsewhere = WardConfigSchema.parse({ ...testWard, slug: 'noi-khac', env: { region: 'ap-northeast-1' } });
    expect(() => cityEnvOf([...WARDS, elsewhere], undefined)).toThrow(/one account and region/);
    const otherAccount = WardConfigSchema.parse({ ...testWard, slug: 'tai-khoan-khac', env: { account: '444455556666', region: WARDS[0]?.env.region } });
    expect(() => cityEnvOf([...WARDS, otherAccount], '111122223333')).toThrow(/one account and region/);
  });

  it('leaves no cdk-nag AwsSolutions finding unacknowledged', () => {
    for (const { app } of [configured, full]) {
      const report = new AwsSolutionsChecks().validateScope(app);
      const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}`));
      expect(findings).toEqual([]);
    }
  });
});
