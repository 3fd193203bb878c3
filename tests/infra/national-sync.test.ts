import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_SYNC_ENDPOINT } from '../../infra/constructs/national-sync-secret';
import { WardStack } from '../../infra/stacks/ward-stack';
import { DOSSIER_CHANGE_EVENTS } from '../../shared/domain/events';
import { WardConfigSchema } from '../../shared/domain/ward-config';
import { testWard } from '../fixtures/ward';

const WARD = WardConfigSchema.parse({ ...testWard, slug: 'dong-bo', env: { account: '111122223333', region: 'ap-southeast-1' } });
const CDK_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

// Synthesized once for the file, without bundling.
const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
const stack = new WardStack(app, 'MotCuaSo-dong-bo', { ward: WARD, env: WARD.env });
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;

const idsOf = (type: string, prefix = '') => Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
const secretId = () => {
  const ids = idsOf('AWS::SecretsManager::Secret');
  expect(ids).toHaveLength(1);
  return ids[0] ?? '';
};
const variablesOf = (prefix: string) => {
  const [id] = idsOf('AWS::Lambda::Function', prefix);
  return (resources[id ?? '']?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
};

describe('the national sync in the ward stack', () => {
  it("creates one secret per ward, encrypted with the ward's key and kept, with the placeholder endpoint and a generated token", () => {
    const id = secretId();
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: {
        Name: 'mot-cua-so/dong-bo/national-sync',
        KmsKeyId: { 'Fn::GetAtt': [idsOf('AWS::KMS::Key', 'DataKey')[0], 'Arn'] },
        GenerateSecretString: { SecretStringTemplate: JSON.stringify({ endpoint: PLACEHOLDER_SYNC_ENDPOINT }), GenerateStringKey: 'token', ExcludePunctuation: true },
      },
    });
    expect(id).toMatch(/^NationalSync/);
  });

  it('lets the sync consumer and its retry job, and no other function, read the secret, and names it and the public links to them', () => {
    const readers = Object.entries(resources)
      .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties).includes('secretsmanager:GetSecretValue'))
      .map(([id]) => id.replace(/[0-9A-F]{8}$/, ''));
    expect(readers.sort()).toEqual(['ScheduledJobsNationalSyncRetryRoleDefaultPolicy', 'StreamConsumersNationalSyncRoleDefaultPolicy'].sort());
    for (const prefix of ['StreamConsumersNationalSyncFunction', 'ScheduledJobsNationalSyncRetryFunction']) {
      expect(variablesOf(prefix)).toMatchObject({ NATIONAL_SYNC_SECRET_ARN: { Ref: secretId() }, PUBLIC_BASE_URL: WARD.publicBaseUrl });
    }
    expect(variablesOf('StreamConsumersNotifierFunction').NATIONAL_SYNC_SECRET_ARN).toBeUndefined();
  });

  it('feeds the sync consumer every event written with a change of a dossier, with its dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^StreamConsumersNationalSyncFunction') },
      FilterCriteria: { Filters: [{ Pattern: Match.serializedJson(Match.objectLike({ dynamodb: { NewImage: Match.objectLike({ type: { S: [...DOSSIER_CHANGE_EVENTS] } }) } })) }] },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StreamConsumersNationalSyncDeadLetters'), 'Arn'] } } },
    });
  });

  it('leaves no cdk-nag finding unacknowledged on the secret, the consumer and the retry job', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const mine = /\/(NationalSync\/|StreamConsumers\/NationalSync|ScheduledJobs\/NationalSyncRetry)/;
    const findings = report.violations.flatMap((v) => v.violatingResources.filter((r) => mine.test(r.constructPath ?? '')).map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
  });
});
