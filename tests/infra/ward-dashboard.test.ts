import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { describe, expect, it } from 'vitest';
import { FIGURES } from '../../infra/constructs/dashboard-figures';
import { operatorsTopicArn } from '../../infra/constructs/ward-alarms';
import { WardStack } from '../../infra/stacks/ward-stack';
import { OPERATORS_TOPIC_NAME, WARD_TAG, wardSiteUrlParameterName } from '../../shared/domain/city';
import { WardConfigSchema } from '../../shared/domain/ward-config';
import { SCHEDULED_JOBS } from '../../shared/runtime/schedules';
import { testWard } from '../fixtures/ward';

const WARD = WardConfigSchema.parse({ ...testWard, slug: 'bang-dieu-khien', env: { account: '111122223333', region: 'ap-southeast-1' } });
const CDK_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

// Synthesized once for the file, without bundling.
const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
const stack = new WardStack(app, 'MotCuaSo-bang-dieu-khien', { ward: WARD, env: WARD.env });
const template = Template.fromStack(stack);
type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
const resources = template.toJSON().Resources as Resources;
const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);

/** The dashboard's body with its tokens resolved to a marker, or kept as the logical id they name. */
function dashboardBody(): { widgets: { type: string; properties: { title?: string; metrics?: unknown[][]; alarms?: string[] } }[] } {
  const [[, dashboard] = []] = ofType('AWS::CloudWatch::Dashboard');
  const body = dashboard?.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
  const text = body['Fn::Join'][1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const getAtt = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      return getAtt ? `GETATT:${getAtt[0]}` : 'TOKEN';
    })
    .join('');
  return JSON.parse(text) as ReturnType<typeof dashboardBody>;
}

describe("the ward's dashboard and the operators' alarms", () => {
  it('has a dashboard named for the ward, with each figure of the ward', () => {
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: `mot-cua-so-${WARD.slug}` });
    const metrics = dashboardBody().widgets.flatMap((widget) => widget.properties.metrics ?? []);
    for (const figure of Object.values(FIGURES)) {
      const [namespace, dimension, value] =
        figure.source === 'powertools' ? ['MotCuaSo', 'service', `mot-cua-so-${WARD.slug}`] : ['AWS/ApiGateway', 'ApiName', `mot-cua-so-${WARD.slug}`];
      const found = metrics.filter((m) => m[0] === namespace && m[1] === figure.metricName && m[2] === dimension && m[3] === value);
      // The on-time share is drawn from its two counts (metric math), not from its own metric.
      if (figure === FIGURES.onTimeShare) expect(found, figure.metricName).toEqual([]);
      else expect(found.length, figure.metricName).toBeGreaterThan(0);
    }
    // The API's name on the dashboard is the API's own.
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: `mot-cua-so-${WARD.slug}` });
  });

  it('computes the on-time share from the day’s counts, against the ward’s target', () => {
    const widgets = dashboardBody().widgets;
    const share = widgets.find((widget) => widget.properties.title === 'On-time share per day (%)');
    expect(JSON.stringify(share)).toContain('100 * onTime / resolved');
    expect(share?.properties).toMatchObject({ annotations: { horizontal: [{ value: WARD.targets.onTimeShare * 100 }] } });
  });

  it('shows the state of every alarm of the stack', () => {
    const status = dashboardBody().widgets.find((widget) => widget.type === 'alarm');
    const alarmIds = ofType('AWS::CloudWatch::Alarm').map(([id]) => `GETATT:${id}`);
    expect(alarmIds.length).toBeGreaterThan(10);
    expect([...(status?.properties.alarms ?? [])].sort()).toEqual(alarmIds.sort());
  });

  it("sends every alarm of the stack to the city operators' topic too, by the ARN its name makes", () => {
    const operators = stack.resolve(operatorsTopicArn(stack)) as unknown;
    expect(JSON.stringify(operators)).toContain(`:sns:ap-southeast-1:111122223333:${OPERATORS_TOPIC_NAME}`);
    for (const [id, alarm] of ofType('AWS::CloudWatch::Alarm')) {
      const actions = alarm.Properties.AlarmActions as unknown[];
      expect(actions, id).toContainEqual(operators);
      // …besides the ward's own alert topic.
      expect(actions, id).toHaveLength(2);
    }
  });

  it('publishes the day’s figures every five minutes, reading the table only', () => {
    const job = SCHEDULED_JOBS.find((j) => j.id === 'WardFigures');
    expect(job).toMatchObject({ handler: 'reports/publish-ward-figures', cron: { minute: '*/5', hour: '*' }, access: { table: 'read' } });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(*/5 * * * ? *)' });
  });

  it('has a runbook line in docs/operations.md for every alarm of the stack', () => {
    const runbook = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split(' | ')[0] ?? '');
    // Each alarm's construct path in the stack (`Alarms/Api5xx`), the same for every ward.
    const paths = stack.node
      .findAll()
      .filter((construct) => construct instanceof cloudwatch.Alarm)
      .map((alarm) => alarm.node.path.split('/').slice(1).join('/'));
    expect(paths).toHaveLength(ofType('AWS::CloudWatch::Alarm').length);
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) {
      const named = runbook.some((cell) => cell.includes(`\`${path}\``) || cell.includes(`\`${path.replace(/\d+$/, '<n>')}\``));
      expect(named, path).toBe(true);
    }
  });

  it("writes the site's URL where the city's directory says it is, and tags its roles with the ward", () => {
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: wardSiteUrlParameterName(WARD.slug), Value: WARD.publicBaseUrl });
    const roles = ofType('AWS::IAM::Role');
    expect(roles.length).toBeGreaterThan(10);
    for (const [id, role] of roles) expect(role.Properties.Tags, id).toContainEqual({ Key: WARD_TAG, Value: WARD.slug });
  });
});
