import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { CITY } from '../../infra/config/city';
import { CityStack } from '../../infra/stacks/city-stack';
import { WardStack } from '../../infra/stacks/ward-stack';
import { WardConfigSchema } from '../../shared/domain/ward-config';
import { testWard } from '../fixtures/ward';

const ENV = { account: '111122223333', region: 'ap-southeast-1' };
const CDK_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;
const wards = ['phuong-mot', 'xa-hai'].map((slug) => WardConfigSchema.parse({ ...testWard, slug, env: ENV }));

// Synthesized once for the file, without bundling: the city stack and one of its wards.
const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
const city = new CityStack(app, 'MotCuaSo-city', { city: CITY, wards, env: ENV });
const ward = new WardStack(app, 'MotCuaSo-phuong-mot', { ward: wards[0] ?? testWard, env: ENV });
const cityTemplate = Template.fromStack(city).toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
const statements = Object.values(cityTemplate.Resources)
  .filter((resource) => resource.Type === 'AWS::IAM::Policy')
  .flatMap((resource) => (resource.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const actionsOf = (statement: Statement) => [statement.Action].flat();
/** `arn:${Partition}:dynamodb:ap-southeast-1:111122223333:table/x` as CloudFormation joins it, back to a string. */
const arnOf = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : ((value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '${Partition}')).join('') ?? '');

describe("the city's report function", () => {
  it("may only Query the KPI partition of each ward's table, named as the ward stack names it", () => {
    const dynamodb = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')));
    const tableName = (Template.fromStack(ward).toJSON() as { Resources: Record<string, { Type: string; Properties: { TableName?: string } }> }).Resources;
    const wardTable = Object.values(tableName).find((resource) => resource.Type === 'AWS::DynamoDB::GlobalTable')?.Properties.TableName;

    expect(dynamodb).toHaveLength(1);
    expect(actionsOf(dynamodb[0] as Statement)).toEqual(['dynamodb:Query']);
    expect([dynamodb[0]?.Resource].flat().map(arnOf)).toEqual([
      'arn:${Partition}:dynamodb:ap-southeast-1:111122223333:table/mot-cua-so-phuong-mot',
      'arn:${Partition}:dynamodb:ap-southeast-1:111122223333:table/mot-cua-so-xa-hai',
    ]);
    expect(wardTable).toBe('mot-cua-so-phuong-mot');
    expect(dynamodb[0]?.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['KPI'] } });
  });

  it("may decrypt only through DynamoDB, with the wards' data keys", () => {
    const kms = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('kms:')));

    expect(kms.map(actionsOf)).toEqual([['kms:Decrypt']]);
    expect(kms[0]?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 'dynamodb.ap-southeast-1.amazonaws.com' },
      'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/mot-cua-so/phuong-mot/data', 'alias/mot-cua-so/xa-hai/data'] },
    });
    // The alias the ward stack gives its data key is one of them.
    const aliases = Object.values(Template.fromStack(ward).toJSON().Resources as Record<string, { Type: string; Properties: { AliasName?: string } }>)
      .filter((resource) => resource.Type === 'AWS::KMS::Alias')
      .map((resource) => resource.Properties.AliasName);
    expect(aliases).toContain('alias/mot-cua-so/phuong-mot/data');
  });

  it('has no unacknowledged cdk-nag finding', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.filter((r) => (r.constructPath ?? '').startsWith('MotCuaSo-city/')).map((r) => `${v.ruleName} at ${r.constructPath}`),
    );
    expect(findings).toEqual([]);
  });
});
