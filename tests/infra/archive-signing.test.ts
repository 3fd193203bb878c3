import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { CERTIFICATE_CHAIN_PATH, ENVIRONMENT_LIMIT_BYTES } from '../../infra/constructs/ward-function';
import { WardStack } from '../../infra/stacks/ward-stack';
import { operatorsTopicArn } from '../../infra/constructs/ward-alarms';
import { ARCHIVE_PREFIXES, LEGACY_RESULTS_PREFIX, SELF_ISSUED_CERTIFICATE_KEY } from '../../shared/domain/archive';
import { WardConfigSchema } from '../../shared/domain/ward-config';
import { STREAM_CONSUMERS } from '../../shared/runtime/consumers';
import { BINARY_MEDIA_TYPES, ROUTES, type RouteAccess } from '../../shared/runtime/routes';
import { SCHEDULED_JOBS } from '../../shared/runtime/schedules';
import { testWard } from '../fixtures/ward';
import { certificateChainOfSize } from './certificate-chain';

/**
 * A ward with a retention of its own and a configured chain of three certificates of the sizes a
 * government CA issues (RSA issuers: 1.3–1.5 KB each in DER), which alone is more than the 4 KB
 * a function's whole environment may hold.
 */
const WARD = WardConfigSchema.parse({
  ...testWard,
  slug: 'luu-tru',
  retentionYears: 30,
  signingCertificateChainPem: certificateChainOfSize([1_350, 1_450, 1_500]),
  env: { account: '111122223333', region: 'ap-southeast-1' },
});

const CDK_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

// Synthesized once for the file, without bundling.
const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
const stack = new WardStack(app, 'MotCuaSo-luu-tru', { ward: WARD, env: WARD.env });
/** Every alarm also goes to the city operators' topic, by the ARN its name makes. */
const operatorsTopic = stack.resolve(operatorsTopicArn(stack)) as unknown;
const template = Template.fromStack(stack);

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}
interface PolicyDocument {
  Statement: Statement[];
}
const resources = template.toJSON().Resources as Record<string, Resource>;

const logicalIdOf = (type: string, prefix: string): string => {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids, `${type} ${prefix}*`).toHaveLength(1);
  return ids[0] ?? '';
};
const arnOf = (type: string, prefix: string) => ({ 'Fn::GetAtt': [logicalIdOf(type, prefix), 'Arn'] });
const actionsOf = (statements: readonly Statement[]): string[] => statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
const resourcesOf = (statement: Statement): unknown[] => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]);
const mentions = (value: unknown, logicalId: string): boolean => JSON.stringify(value).includes(`"${logicalId}"`);

/** One allowed action on one resource: policy minimization merges statements, so the tests compare these. */
interface Permission {
  action: string;
  resource: unknown;
  condition?: unknown;
}
const permissionsOf = (statements: readonly Statement[]): Permission[] =>
  statements
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => actionsOf([s]).flatMap((action) => resourcesOf(s).map((resource) => ({ action, resource, ...(s.Condition === undefined ? {} : { condition: s.Condition }) }))));
const resourcesFor = (permissions: readonly Permission[], action: string): unknown[] => permissions.filter((p) => p.action === action).map((p) => p.resource);
const byKey = (permissions: readonly Permission[]): string[] => permissions.map((p) => JSON.stringify([p.action, p.resource, p.condition ?? null])).sort();

/** Every statement of every policy attached to a role: inline, attached IAM policies, managed policies. */
function statementsOfRole(roleId: string): Statement[] {
  const role = resources[roleId]?.Properties as { Policies?: { PolicyDocument: PolicyDocument }[]; ManagedPolicyArns?: unknown[] };
  expect(role.ManagedPolicyArns ?? [], roleId).toEqual([]);
  const inline = (role.Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement);
  const attached = Object.values(resources)
    .filter((r) => (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') && mentions(r.Properties.Roles, roleId))
    .flatMap((r) => (r.Properties.PolicyDocument as PolicyDocument).Statement);
  return [...inline, ...attached];
}

/** Our functions with their declared access: one per route, stream consumer and scheduled job. */
const USERS: readonly { name: string; prefix: string; access: RouteAccess }[] = [
  ...ROUTES.map((route) => ({ name: route.id, prefix: route.id, access: route.access })),
  ...STREAM_CONSUMERS.map((consumer) => ({ name: consumer.id, prefix: `StreamConsumers${consumer.id}`, access: consumer.access })),
  ...SCHEDULED_JOBS.map((job) => ({ name: job.id, prefix: `ScheduledJobs${job.id}`, access: job.access })),
];
const functionOf = (prefix: string) => resources[logicalIdOf('AWS::Lambda::Function', `${prefix}Function`)]?.Properties ?? {};
const variablesOf = (prefix: string) => (functionOf(prefix).Environment as { Variables: Record<string, unknown> }).Variables;
const roleOf = (prefix: string): string => (functionOf(prefix).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

const allStatements = Object.values(resources)
  .filter((r) => r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy')
  .flatMap((r) => (r.Properties.PolicyDocument as PolicyDocument).Statement)
  .concat(
    Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Role')
      .flatMap((r) => ((r.Properties.Policies ?? []) as { PolicyDocument: PolicyDocument }[]).flatMap((p) => p.PolicyDocument.Statement)),
  );

const signingKey = () => logicalIdOf('AWS::KMS::Key', 'SigningKey');
const archiveKey = () => logicalIdOf('AWS::KMS::Key', 'ArchiveKey');
const dataKey = () => logicalIdOf('AWS::KMS::Key', 'DataKey');
const archiveBucket = () => logicalIdOf('AWS::S3::Bucket', 'ArchiveBucket');
const auditorRole = () => logicalIdOf('AWS::IAM::Role', 'AuditorRole');
const archiveObjects = (suffix: string) => ({ 'Fn::Join': ['', [arnOf('AWS::S3::Bucket', 'ArchiveBucket'), `/${suffix}`]] });
const LAYOUT_OBJECTS = [...Object.values(ARCHIVE_PREFIXES).map((prefix) => `${prefix}*`), SELF_ISSUED_CERTIFICATE_KEY];
/** What readers read besides: the e-copies archived before documents were signed. */
const LEGACY_OBJECTS = [`${LEGACY_RESULTS_PREFIX}*`];

describe('the signing key', () => {
  it('is a retained, unrotated ECC_NIST_P256 key for signing and verifying, under the ward alias', () => {
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', EnableKeyRotation: false }),
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/mot-cua-so/luu-tru/signing', TargetKeyId: arnOf('AWS::KMS::Key', 'SigningKey') });
  });

  it('lets sign exactly the functions whose access says `signing`, with that key only, and tells them the key', () => {
    const signers = USERS.filter((user) => user.access.signing === true);
    expect(signers.length).toBeGreaterThan(0);
    for (const user of USERS) {
      const permissions = permissionsOf(statementsOfRole(roleOf(user.prefix)));
      const onSigningKey = permissions.filter((p) => mentions(p.resource, signingKey()));
      if (user.access.signing) {
        expect(resourcesFor(permissions, 'kms:Sign'), user.name).toEqual([arnOf('AWS::KMS::Key', 'SigningKey')]);
        expect(onSigningKey.map((p) => p.action).sort(), user.name).toEqual(['kms:GetPublicKey', 'kms:Sign']);
        expect(variablesOf(user.prefix).SIGNING_KEY_ID, user.name).toEqual(arnOf('AWS::KMS::Key', 'SigningKey'));
      } else {
        expect(resourcesFor(permissions, 'kms:Sign'), user.name).toEqual([]);
        expect(onSigningKey, user.name).toEqual([]);
        expect(variablesOf(user.prefix).SIGNING_KEY_ID, user.name).toBeUndefined();
      }
    }
    const anySign = permissionsOf(allStatements).filter((p) => p.action === 'kms:Sign' || p.action === 'kms:*');
    expect(anySign).toHaveLength(signers.length);
  });

  it('gives the signers the configured chain as a file, since WARD_CONFIG cannot hold it within the 4 KB of a function environment', () => {
    expect(Buffer.byteLength(JSON.stringify(WARD))).toBeGreaterThan(ENVIRONMENT_LIMIT_BYTES);
    for (const user of USERS) {
      const variables = variablesOf(user.prefix);
      expect(JSON.parse(String(variables.WARD_CONFIG)), user.name).toEqual({ ...WARD, signingCertificateChainPem: undefined });
      expect(variables.SIGNING_CERTIFICATE_CHAIN_FILE, user.name).toBe(user.access.signing ? CERTIFICATE_CHAIN_PATH : undefined);
    }
  });

  it('keeps every function environment under 4 KB, counting each deploy-time value as 160 bytes', () => {
    const functions = Object.entries(template.findResources('AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThan(USERS.length);
    for (const [id, fn] of functions) {
      const variables = (fn.Properties as { Environment?: { Variables: Record<string, unknown> } }).Environment?.Variables ?? {};
      const bytes = Object.entries(variables).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + (typeof value === 'string' ? Buffer.byteLength(value) : 160), 0);
      expect(bytes, id).toBeLessThanOrEqual(ENVIRONMENT_LIMIT_BYTES);
    }
  });
});

describe('the archive bucket', () => {
  it("keeps every object write-once: Object Lock in compliance mode for the ward's retention, in days, and versioning", () => {
    expect(resources[archiveBucket()]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 * WARD.retentionYears } } },
        VersioningConfiguration: { Status: 'Enabled' },
      },
    });
  });

  it('encrypts with a rotating key of its own, not the data key of the table', () => {
    expect(resources[archiveBucket()]?.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf('AWS::KMS::Key', 'ArchiveKey') } },
      ],
    });
    expect(resources[archiveKey()]).toMatchObject({ DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    expect(archiveKey()).not.toBe(dataKey());
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/mot-cua-so/luu-tru/archive', TargetKeyId: arnOf('AWS::KMS::Key', 'ArchiveKey') });
  });

  it("refuses, in the key's own policy, to schedule the deletion of the archive key", () => {
    const policy = resources[archiveKey()]?.Properties.KeyPolicy as PolicyDocument;
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:ScheduleKeyDeletion', Resource: '*' }));
  });

  it('blocks public access and refuses requests without TLS', () => {
    expect(resources[archiveBucket()]?.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: archiveBucket() },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('writes its server access logs to the separate access-log bucket', () => {
    const logging = resources[archiveBucket()]?.Properties.LoggingConfiguration as { DestinationBucketName: { Ref: string }; LogFilePrefix: string };
    expect(logging).toEqual({ DestinationBucketName: { Ref: logicalIdOf('AWS::S3::Bucket', 'UploadsAccessLogs') }, LogFilePrefix: 'archive/' });
    expect(logging.DestinationBucketName.Ref).not.toBe(archiveBucket());
  });

  it('lets writers put objects under the layout only, and no one delete, unlock or re-lock an object', () => {
    for (const user of USERS) {
      const onArchive = permissionsOf(statementsOfRole(roleOf(user.prefix))).filter((p) => mentions(p.resource, archiveBucket()));
      const writes = onArchive.filter((p) => !/^s3:(Get|List)/.test(p.action));
      if (user.access.archive?.includes('write')) {
        expect(byKey(writes), user.name).toEqual(byKey(LAYOUT_OBJECTS.map((objects) => ({ action: 's3:PutObject', resource: archiveObjects(objects) }))));
        expect(variablesOf(user.prefix).ARCHIVE_BUCKET, user.name).toEqual({ Ref: archiveBucket() });
      } else {
        expect(writes, user.name).toEqual([]);
      }
    }
    const dangerous = actionsOf(allStatements.filter((s) => mentions(s.Resource, archiveBucket()) || s.Resource === '*')).filter((action) =>
      /^s3:(\*|Delete|PutObjectRetention|PutObjectLegalHold|BypassGovernanceRetention|PutBucket|PutObjectAcl|PutLifecycle|PutEncryption)/.test(action),
    );
    expect(dangerous).toEqual([]);
  });

  it('lets readers get objects under the layout and the legacy e-copies, and list the bucket (so a missing key is a 404), decrypting through S3 only', () => {
    const readers = USERS.filter((u) => u.access.archive?.includes('read'));
    expect(readers.length).toBeGreaterThan(0);
    for (const user of readers) {
      const permissions = permissionsOf(statementsOfRole(roleOf(user.prefix)));
      const reads = permissions.filter((p) => mentions(p.resource, archiveBucket()) && /^s3:(Get|List)/.test(p.action));
      expect(byKey(reads), user.name).toEqual(
        byKey([
          ...[...LAYOUT_OBJECTS, ...LEGACY_OBJECTS].map((objects) => ({ action: 's3:GetObject', resource: archiveObjects(objects) })),
          { action: 's3:ListBucket', resource: arnOf('AWS::S3::Bucket', 'ArchiveBucket') },
        ]),
      );
      const onArchiveKey = permissions.filter((p) => mentions(p.resource, archiveKey()));
      expect(
        onArchiveKey.map((p) => p.action),
        user.name,
      ).toContain('kms:Decrypt');
      for (const permission of onArchiveKey) {
        expect(permission.condition, user.name).toEqual({
          StringEquals: { 'kms:ViaService': `s3.${WARD.env.region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': arnOf('AWS::S3::Bucket', 'ArchiveBucket') },
        });
      }
    }
  });
});

describe('the auditor role', () => {
  const statements = () => statementsOfRole(auditorRole());

  it("may be assumed by the account's principals with MFA only", () => {
    expect(resources[auditorRole()]?.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${WARD.env.account}:root`]] } },
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
      ],
    });
  });

  it('may read every object, version and lock of the archive, decrypt it through S3, and verify with the signing key: nothing more', () => {
    const bucket = arnOf('AWS::S3::Bucket', 'ArchiveBucket');
    const viaS3 = {
      StringEquals: { 'kms:ViaService': `s3.${WARD.env.region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': bucket },
    };
    expect(byKey(permissionsOf(statements()))).toEqual(
      byKey([
        ...['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectRetention', 's3:GetObjectLegalHold'].map((action) => ({ action, resource: archiveObjects('*') })),
        ...['s3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketObjectLockConfiguration'].map((action) => ({ action, resource: bucket })),
        { action: 'kms:Decrypt', resource: arnOf('AWS::KMS::Key', 'ArchiveKey'), condition: viaS3 },
        ...['kms:Verify', 'kms:GetPublicKey'].map((action) => ({ action, resource: arnOf('AWS::KMS::Key', 'SigningKey') })),
        {
          action: 'dynamodb:Query',
          resource: arnOf('AWS::DynamoDB::GlobalTable', 'DataTable'),
          condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ACCESS#*', 'SUBJECTEXPORT'] } },
        },
        { action: 'kms:Decrypt', resource: arnOf('AWS::KMS::Key', 'DataKey'), condition: { StringEquals: { 'kms:ViaService': `dynamodb.${WARD.env.region}.amazonaws.com` } } },
      ]),
    );
  });

  it('has no write, delete or signing right, none on the uploads, and on the table only the Query of its personal-data records', () => {
    const actions = actionsOf(statements());
    expect(actions.filter((action) => /^s3:(Put|Delete|Bypass|Restore|\*)|^kms:(Sign|Encrypt|GenerateDataKey|ReEncrypt|\*)|\*$/.test(action))).toEqual([]);
    for (const statement of statements()) {
      expect(statement.Effect).toBe('Allow');
      for (const resource of resourcesOf(statement)) {
        const named = [archiveBucket(), archiveKey(), signingKey(), logicalIdOf('AWS::DynamoDB::GlobalTable', 'DataTable'), dataKey()].filter((id) => mentions(resource, id));
        expect(named, JSON.stringify(resource)).toHaveLength(1);
      }
    }
    expect(actions.filter((action) => action.startsWith('dynamodb:'))).toEqual(['dynamodb:Query']);
    const forbidden = [logicalIdOf('AWS::S3::Bucket', 'UploadsBucket'), logicalIdOf('AWS::KMS::Key', 'IdHashKey')];
    for (const id of forbidden) expect(mentions(statements(), id), id).toBe(false);
  });
});

describe('scheduled jobs', () => {
  it('starts each job of SCHEDULED_JOBS from its own EventBridge rule on its cron (UTC)', () => {
    expect(SCHEDULED_JOBS.length).toBeGreaterThan(0);
    for (const job of SCHEDULED_JOBS) {
      const rule = resources[logicalIdOf('AWS::Events::Rule', `ScheduledJobs${job.id}Schedule`)]?.Properties;
      expect(rule, job.id).toMatchObject({
        ScheduleExpression: `cron(${job.cron.minute} ${job.cron.hour} * * ? *)`,
        State: 'ENABLED',
        Targets: [expect.objectContaining({ Arn: arnOf('AWS::Lambda::Function', `ScheduledJobs${job.id}Function`) }) as unknown],
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        FunctionName: arnOf('AWS::Lambda::Function', `ScheduledJobs${job.id}Function`),
        SourceArn: arnOf('AWS::Events::Rule', `ScheduledJobs${job.id}Schedule`),
      });
    }
  });

  it("grants each job its declared access, and alarms the ward's officers when a run fails", () => {
    for (const job of SCHEDULED_JOBS) {
      const variables = variablesOf(`ScheduledJobs${job.id}`);
      expect(variables.TABLE_NAME !== undefined, job.id).toBe(job.access.table !== undefined);
      expect(variables.ARCHIVE_BUCKET !== undefined, job.id).toBe((job.access.archive?.length ?? 0) > 0);
      expect(variables.SIGNING_KEY_ID !== undefined, job.id).toBe(job.access.signing === true);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf('AWS::Lambda::Function', `ScheduledJobs${job.id}Function`) } }],
        AlarmActions: [{ Ref: logicalIdOf('AWS::SNS::Topic', 'NotificationsAlerts') }, operatorsTopic],
      });
    }
  });
});

describe('the API', () => {
  it('passes PDF bodies to the handlers base64-encoded, and answers its own errors to them as problem+json too', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: [...BINARY_MEDIA_TYPES] });
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map((r) => r.Properties as { ResponseTemplates: Record<string, string> });
    expect(responses.length).toBeGreaterThan(0);
    for (const { ResponseTemplates } of responses) {
      for (const mediaType of BINARY_MEDIA_TYPES) expect(ResponseTemplates[mediaType]).toBe(ResponseTemplates['application/json']);
    }
  });
});

describe('the stack', () => {
  it('outputs the signing key, the archive and the auditor role', () => {
    template.hasOutput('SigningKeyArn', { Value: arnOf('AWS::KMS::Key', 'SigningKey') });
    template.hasOutput('SigningKeyAlias', { Value: 'alias/mot-cua-so/luu-tru/signing' });
    template.hasOutput('ArchiveBucketName', { Value: { Ref: archiveBucket() } });
    template.hasOutput('ArchiveKeyArn', { Value: arnOf('AWS::KMS::Key', 'ArchiveKey') });
    template.hasOutput('AuditorRoleArn', { Value: arnOf('AWS::IAM::Role', 'AuditorRole') });
  });

  it('leaves no cdk-nag AwsSolutions finding unacknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
  });
});
