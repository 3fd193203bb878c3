import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER, NODE_TARGET } from '../../infra/constructs/bundling';
import { WardApi } from '../../infra/constructs/ward-api';
import { FUNCTION_RUNTIME } from '../../infra/constructs/ward-function';
import { WardStack } from '../../infra/stacks/ward-stack';
import { CATALOG } from '../../shared/catalog/procedures';
import { TABLE_INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '../../shared/adapters/dynamodb/table-definition';
import { WardConfigSchema } from '../../shared/domain/ward-config';
import { testWard } from '../fixtures/ward';
import { STREAM_CONSUMERS } from '../../shared/runtime/consumers';
import { ROUTES, type RouteDefinition } from '../../shared/runtime/routes';
import { SCHEDULED_JOBS } from '../../shared/runtime/schedules';

/** The shared test ward, with an account and limits of its own that the assertions look for. */
const WARD = WardConfigSchema.parse({
  ...testWard,
  slug: 'thu-nghiem',
  agencyCode: '000.99.99.H26',
  smsSenderName: 'THUNGHIEM',
  publicBaseUrl: 'https://dichvucong.thu-nghiem.example.vn/tra-cuu',
  api: { rateLimit: 37, burstLimit: 74 },
  env: { account: '111122223333', region: 'ap-southeast-1' },
});

/** The feature flags `cdk synth` runs with, so the tested stack is the deployed one. */
const CDK_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

function synthesize(options: { bundle: boolean }): { app: App; stack: WardStack } {
  const app = new App({ context: { ...CDK_CONTEXT, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) } });
  const stack = new WardStack(app, 'MotCuaSo-thu-nghiem', { ward: WARD, env: WARD.env });
  return { app, stack };
}

/**
 * Our functions: one per route, stream consumer and scheduled job, the catalog loader, the deadline
 * check, the notifier's retry worker, and the city receiver and hand-over worker (infra/constructs/city-handover.ts).
 */
const WARD_FUNCTION_COUNT = ROUTES.length + STREAM_CONSUMERS.length + SCHEDULED_JOBS.length + 5;

// Synthesized once for the file, without bundling: only one case below is about the bundles.
const { app, stack } = synthesize({ bundle: false });
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;

const logicalIdOf = (type: string, prefix: string): string => {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids, `${type} ${prefix}*`).toHaveLength(1);
  return ids[0] ?? '';
};
const ref = (type: string, prefix: string) => ({ Ref: logicalIdOf(type, prefix) });
const arnOf = (type: string, prefix: string) => ({ 'Fn::GetAtt': [logicalIdOf(type, prefix), 'Arn'] });

const functionOf = (route: RouteDefinition) => resources[logicalIdOf('AWS::Lambda::Function', `${route.id}Function`)]?.Properties ?? {};

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}
/** The statements of the policy attached to a function's role. */
const statementsOf = (constructId: string): Statement[] => {
  const policy = resources[logicalIdOf('AWS::IAM::Policy', `${constructId}RoleDefaultPolicy`)]?.Properties as {
    PolicyDocument: { Statement: Statement[] };
  };
  return policy.PolicyDocument.Statement;
};
const actionsOf = (statements: Statement[]): string[] => statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

/** The API path of a method, rebuilt from its resource's parents. */
const pathOfResource = (resourceId: unknown): string => {
  if (typeof resourceId === 'object' && resourceId !== null && 'Fn::GetAtt' in resourceId) return '';
  const id = (resourceId as { Ref: string }).Ref;
  const resource = resources[id]?.Properties as { ParentId: unknown; PathPart: string };
  return `${pathOfResource(resource.ParentId)}/${resource.PathPart}`;
};

describe('WardStack', () => {
  it('keeps the single table on demand, keyed and indexed as table-definition.ts says, with TTL and a stream', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE_INDEXES.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('protects the table: point-in-time recovery, deletion protection, retained, encrypted with the rotating ward key', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            SSESpecification: { KMSMasterKeyId: arnOf('AWS::KMS::Key', 'DataKey') },
          }),
        ],
      }),
    });
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ EnableKeyRotation: true, Description: Match.stringLikeRegexp('table') }),
    });
  });

  it('keeps the ID-hashing key an HMAC key that is retained', () => {
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
    });
  });

  it('blocks public access to the uploads bucket, requires TLS and encrypts with the ward key', () => {
    const uploads = logicalIdOf('AWS::S3::Bucket', 'UploadsBucket');
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf('AWS::KMS::Key', 'DataKey') },
          },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: ref('AWS::S3::Bucket', 'UploadsAccessLogs') },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: uploads },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('expires unclaimed uploads after a day and keeps attachments', () => {
    const bucket = resources[logicalIdOf('AWS::S3::Bucket', 'UploadsBucket')]?.Properties as {
      LifecycleConfiguration: { Rules: { Prefix?: string; ExpirationInDays?: number; NoncurrentVersionExpiration?: unknown }[] };
    };
    const rules = bucket.LifecycleConfiguration.Rules;
    expect(rules).toContainEqual(expect.objectContaining({ Prefix: 'incoming/', ExpirationInDays: 1, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }));
    const expiringAttachments = rules.filter(
      (rule) => (rule.Prefix === undefined || 'attachments/'.startsWith(rule.Prefix)) && (rule.ExpirationInDays ?? rule.NoncurrentVersionExpiration),
    );
    expect(expiringAttachments).toEqual([]);
  });

  it("lets browsers POST uploads from the citizens' site only: the distribution, and the ward's own domain", () => {
    const distribution = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf('AWS::CloudFront::Distribution', 'SiteDistribution'), 'DomainName'] }]] };
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: ['POST'], AllowedOrigins: [distribution, 'https://dichvucong.thu-nghiem.example.vn'] })] },
    });
  });

  it('deploys one function per route, plus the catalog loader, all arm64 on the newest Node.js runtime with tracing', () => {
    expect(FUNCTION_RUNTIME.name).toBe(lambda.Runtime.NODEJS_LATEST.name);
    // The benchmark bundles for the same Node.js version the functions run on.
    expect(FUNCTION_RUNTIME.name).toBe(`nodejs${NODE_TARGET.replace('node', '')}.x`);
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Runtime: FUNCTION_RUNTIME.name, Architectures: ['arm64'], TracingConfig: { Mode: 'Active' }, Handler: 'index.handler' },
      WARD_FUNCTION_COUNT,
    );
    for (const r of ROUTES) {
      expect(functionOf(r), r.id).toMatchObject({ Description: `${r.method} ${r.path}`, MemorySize: r.memoryMb ?? 512, Timeout: 10 });
    }
  });

  it('gives every function the ward config, Powertools settings and source maps', () => {
    for (const r of ROUTES) {
      const variables = (functionOf(r).Environment as { Variables: Record<string, unknown> }).Variables;
      expect(JSON.parse(String(variables.WARD_CONFIG)), r.id).toEqual(WARD);
      expect(variables, r.id).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'mot-cua-so-thu-nghiem',
        POWERTOOLS_METRICS_NAMESPACE: 'MotCuaSo',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });

  it('names a resource in a function environment exactly when its route may use it', () => {
    for (const r of ROUTES) {
      const variables = (functionOf(r).Environment as { Variables: Record<string, unknown> }).Variables;
      const expected = {
        TABLE_NAME: r.access.table ? ref('AWS::DynamoDB::GlobalTable', 'DataTable') : undefined,
        UPLOADS_BUCKET: r.access.uploads?.length ? ref('AWS::S3::Bucket', 'UploadsBucket') : undefined,
        ID_HASH_KEY_ID: r.access.idHashKey ? arnOf('AWS::KMS::Key', 'IdHashKey') : undefined,
        ARCHIVE_BUCKET: r.access.archive?.length ? ref('AWS::S3::Bucket', 'ArchiveBucket') : undefined,
        SIGNING_KEY_ID: r.access.signing ? arnOf('AWS::KMS::Key', 'SigningKey') : undefined,
      };
      const named = Object.fromEntries(Object.keys(expected).map((name) => [name, variables[name]]));
      expect(named, r.id).toEqual(expected);
    }
  });

  it('writes each function log to its own log group, with retention and the ward key', () => {
    for (const r of ROUTES) {
      const loggingConfig = functionOf(r).LoggingConfig as { LogGroup: unknown };
      const logGroupId = (loggingConfig.LogGroup as { Ref: string }).Ref;
      expect(resources[logGroupId]?.Properties, r.id).toMatchObject({
        RetentionInDays: expect.any(Number) as number,
        KmsKeyId: arnOf('AWS::KMS::Key', 'DataKey'),
      });
    }
  });

  it('gives a read-only route no write action on the table, nor any other resource', () => {
    const statements = statementsOf('ListProcedures');
    const actions = actionsOf(statements);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:GetItem']));
    expect(actions.filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual([]);
    expect(actions.filter((a) => a.startsWith('s3:') || a === 'kms:GenerateMac' || /^kms:(Encrypt|GenerateDataKey|ReEncrypt)/.test(a))).toEqual([]);
  });

  it('lets no function scan the table, and only the stream consumers read its stream', () => {
    const tableActionsOf = (consumers: boolean) =>
      Object.entries(resources)
        .filter(([id, resource]) => resource.Type === 'AWS::IAM::Policy' && id.startsWith('StreamConsumers') === consumers)
        .flatMap(([, policy]) => actionsOf((policy.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement))
        .filter((action) => action.startsWith('dynamodb:'));
    const others = tableActionsOf(false);
    const consumers = tableActionsOf(true);

    expect(others.length).toBeGreaterThan(0);
    expect(others.filter((action) => /^dynamodb:(Scan|GetRecords|GetShardIterator|DescribeStream|ListStreams|\*)/.test(action))).toEqual([]);
    expect(consumers).toEqual(expect.arrayContaining(['dynamodb:GetRecords', 'dynamodb:GetShardIterator']));
    expect([...others, ...consumers].filter((action) => /^dynamodb:(Scan|\*)/.test(action))).toEqual([]);
  });

  it('lets the upload route put objects under incoming/ only, and count its requests per client address (the table, the HMAC key)', () => {
    const statements = statementsOf('CreateUpload');
    const s3Statements = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('s3:')));
    expect(s3Statements).toEqual([
      expect.objectContaining({
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [arnOf('AWS::S3::Bucket', 'UploadsBucket'), '/incoming/*']] },
      }),
    ]);
    expect(actionsOf(statements)).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'kms:GenerateMac']));
    expect(statements).toEqual(expect.arrayContaining([expect.objectContaining({ Action: 'kms:GenerateMac', Resource: arnOf('AWS::KMS::Key', 'IdHashKey') })]));
  });

  it('lets the submission route claim uploads, hash ID numbers and write the table', () => {
    const statements = statementsOf('SubmitDossier');
    const bucketObjects = (prefix: string) => ({ 'Fn::Join': ['', [arnOf('AWS::S3::Bucket', 'UploadsBucket'), prefix]] });
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: 's3:GetObject',
          Resource: expect.arrayContaining([bucketObjects('/incoming/*'), bucketObjects('/attachments/*')]) as unknown[],
        }),
        expect.objectContaining({ Action: 's3:ListBucket', Resource: arnOf('AWS::S3::Bucket', 'UploadsBucket') }),
        expect.objectContaining({ Action: ['s3:PutObject', 's3:PutObjectTagging'], Resource: bucketObjects('/attachments/*') }),
        expect.objectContaining({ Action: 'kms:GenerateMac', Resource: arnOf('AWS::KMS::Key', 'IdHashKey') }),
        expect.objectContaining({ Action: expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']) as string[] }),
      ]),
    );
    // The claim reads one version of an upload and its GuardDuty scan tag, and copies it with its tags.
    const onIncoming = actionsOf(statements.filter((statement) => JSON.stringify(statement.Resource).includes('/incoming/*')));
    expect(onIncoming).toEqual(expect.arrayContaining(['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging']));
  });

  it('scans new uploads under incoming/ with GuardDuty Malware Protection, which tags them', () => {
    template.hasResourceProperties('AWS::GuardDuty::MalwareProtectionPlan', {
      ProtectedResource: { S3Bucket: { BucketName: { Ref: logicalIdOf('AWS::S3::Bucket', 'UploadsBucket') }, ObjectPrefixes: ['incoming/'] } },
      Actions: { Tagging: { Status: 'ENABLED' } },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'malware-protection-plan.guardduty.amazonaws.com' } })] },
    });
  });

  it('limits the uploads key grants to S3 on the uploads bucket', () => {
    const kmsForS3 = statementsOf('SubmitDossier').filter((s) => s.Condition !== undefined);
    expect(kmsForS3).toEqual([
      expect.objectContaining({
        Condition: {
          StringEquals: {
            'kms:ViaService': `s3.${WARD.env.region}.amazonaws.com`,
            'kms:EncryptionContext:aws:s3:arn': arnOf('AWS::S3::Bucket', 'UploadsBucket'),
          },
        },
      }),
    ]);
  });

  it('lets the OpenAPI route write its logs and traces only', () => {
    expect(actionsOf(statementsOf('GetOpenApi')).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('reloads the catalog through a custom resource that changes with the catalog, after the loader may write the table', () => {
    template.resourceCountIs('Custom::ProcedureCatalog', 1);
    template.hasResource('Custom::ProcedureCatalog', {
      Properties: { ServiceToken: Match.anyValue(), CatalogHash: createHash('sha256').update(JSON.stringify(CATALOG)).digest('hex') },
      DependsOn: Match.arrayWith([logicalIdOf('AWS::IAM::Policy', 'CatalogLoaderLoadCatalogRoleDefaultPolicy')]),
    });
    expect(actionsOf(statementsOf('CatalogLoaderLoadCatalog'))).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:BatchWriteItem']));
  });

  it('serves every route as a Lambda proxy method on its path, public routes without authorization', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map(
      (m) => m.Properties as { HttpMethod: string; ResourceId: unknown; AuthorizationType: string; Integration: { Type: string; Uri: unknown } },
    );
    for (const r of ROUTES) {
      const matching = methods.filter((m) => m.HttpMethod === r.method && pathOfResource(m.ResourceId) === r.path);
      expect(matching, `${r.method} ${r.path}`).toHaveLength(1);
      expect(matching[0]?.Integration.Type).toBe('AWS_PROXY');
      expect(JSON.stringify(matching[0]?.Integration.Uri)).toContain(logicalIdOf('AWS::Lambda::Function', `${r.id}Function`));
      if (r.auth === 'public') expect(matching[0]?.AuthorizationType).toBe('NONE');
    }
    expect(methods.filter((m) => m.HttpMethod !== 'OPTIONS')).toHaveLength(ROUTES.length);
  });

  it('refuses to deploy an officer route without the officer authorizer', () => {
    const scratch = new Stack(new App(), 'Scratch', { env: WARD.env });
    const handler = new lambda.Function(scratch, 'Fn', { runtime: FUNCTION_RUNTIME, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    const officerRoute: RouteDefinition = { id: 'ListWorklist', method: 'GET', path: '/officer/dossiers', handler: 'x', auth: 'officer', access: {} };
    expect(
      () => new WardApi(scratch, 'Api', { ward: WARD, routes: [{ route: officerRoute, handler }], logKey: new kms.Key(scratch, 'Key'), originVerifySecret: 'test-origin-secret' }),
    ).toThrow(/officer authorizer/);
  });

  it("throttles the stage at the ward's rate and burst, with X-Ray tracing", () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      MethodSettings: [Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: WARD.api.rateLimit, ThrottlingBurstLimit: WARD.api.burstLimit })],
    });
  });

  it('logs every request as JSON to an encrypted log group with retention', () => {
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0]?.Properties as {
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [string, string] }; Format: string };
    };
    const format = JSON.parse(stage.AccessLogSetting.Format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', resourcePath: '$context.resourcePath' });
    const logGroup = resources[stage.AccessLogSetting.DestinationArn['Fn::GetAtt'][0]];
    expect(logGroup).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: expect.any(Number) as number, KmsKeyId: arnOf('AWS::KMS::Key', 'DataKey') },
    });
  });

  it("answers API Gateway's own errors as problem+json whose status is the status sent", () => {
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map(
      (r) =>
        r.Properties as {
          ResponseType: string;
          StatusCode: string;
          ResponseParameters: Record<string, string>;
          ResponseTemplates: Record<string, string>;
        },
    );
    const byType = new Map(responses.map((r) => [r.ResponseType, r]));
    for (const [type, status] of [
      ['DEFAULT_4XX', 400],
      ['DEFAULT_5XX', 500],
      ['THROTTLED', 429],
      ['REQUEST_TOO_LARGE', 413],
      ['MISSING_AUTHENTICATION_TOKEN', 404],
      ['UNSUPPORTED_MEDIA_TYPE', 415],
      ['WAF_FILTERED', 403],
    ] as const) {
      expect(byType.get(type)?.StatusCode, type).toBe(String(status));
    }
    for (const response of responses) {
      expect(response.ResponseParameters['gatewayresponse.header.Content-Type'], response.ResponseType).toMatch(/^'application\/problem\+json/);
      const body = JSON.parse(response.ResponseTemplates['application/json'] ?? '') as Record<string, unknown>;
      expect(body, response.ResponseType).toMatchObject({
        type: expect.stringMatching(/^https:\/\//) as string,
        title: expect.any(String) as string,
        status: Number(response.StatusCode),
        detail: expect.any(String) as string,
        code: expect.stringMatching(/^[A-Z_]+$/) as string,
      });
    }
  });

  it('puts the per-viewer-address rate rule and AWS managed rules of a regional WAF in front of the stage', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ AggregateKeyType: 'FORWARDED_IP' }) } })]),
    });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: arnOf('AWS::WAFv2::WebACL', 'ApiFirewallWebAcl') });
  });

  it('outputs the API URL, the table and the buckets', () => {
    for (const name of ['ApiUrl', 'TableName', 'UploadsBucketName', 'AccessLogsBucketName', 'ArchiveBucketName']) template.hasOutput(name, {});
  });

  it('leaves no cdk-nag AwsSolutions finding unacknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
  });

  it('fails synthesis on an unacknowledged cdk-nag finding', () => {
    const nagged = new App({ context: { ...CDK_CONTEXT, '@aws-cdk/core:appMode': 'inmemory' } });
    new s3.Bucket(new Stack(nagged, 'Nagged'), 'PlainBucket');
    Validations.of(nagged).addPlugins(new AwsSolutionsChecks(nagged));
    expect(() => nagged.synth()).toThrow(/AwsSolutions-S10/);
  });

  // Bundles every function of the stack (~40, one esbuild run each): minutes on a busy machine.
  it('bundles every handler as a minified ESM file with its source map, require shim and the SDK inside', { timeout: 15 * 60_000 }, () => {
    const bundled = synthesize({ bundle: true });
    const assembly = bundled.app.synth();
    // Ours, not CDK's bucket deployment handler (Python).
    const functions = Template.fromStack(bundled.stack).findResources('AWS::Lambda::Function', { Properties: { Architectures: ['arm64'], Runtime: FUNCTION_RUNTIME.name } });
    expect(Object.keys(functions)).toHaveLength(WARD_FUNCTION_COUNT);
    for (const [id, fn] of Object.entries(functions)) {
      const s3Key = String((fn.Properties as { Code: { S3Key: string } }).Code.S3Key);
      const assetDir = path.join(assembly.directory, `asset.${s3Key.replace(/\.zip$/, '')}`);
      const code = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
      expect(code.startsWith(ESM_REQUIRE_BANNER), id).toBe(true);
      expect(code, id).toMatch(/export\s*\{[^}]*\bhandler\b/);
      expect(code, id).not.toMatch(/from\s*["']@aws-sdk\//);
      expect(existsSync(path.join(assetDir, 'index.mjs.map')), id).toBe(true);
    }
  });
});
