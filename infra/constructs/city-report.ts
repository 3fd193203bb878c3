import { fileURLToPath } from 'node:url';
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { keys } from '../../shared/adapters/dynamodb/keys';
import { wardTableName } from '../../shared/adapters/dynamodb/table-definition';
import type { WardConfig } from '../../shared/domain/ward-config';
import { wardDataKeyAlias } from '../stacks/ward-stack';
import { FUNCTION_RUNTIME, NODEJS_BUNDLING } from './ward-function';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How cdk-nag writes a value of the ARN: itself, or the pseudo parameter it stands for when unresolved. */
const inFinding = (value: string, pseudo: string): string => (Token.isUnresolved(value) ? `<${pseudo}>` : value);

export interface CityReportProps {
  /** The wards whose counters the report reads (WARDS); the function's bundle carries the same list. */
  readonly wards: readonly WardConfig[];
  /** Encrypts the function's log group. */
  readonly logKey: kms.IKey;
}

/**
 * The city's report function (functions/city/city-report.ts): Decision 766's figures and the
 * city's for every ward and for the city, from the wards' daily KPI counter items.
 *
 * Its role may only Query, and only the KPI partition of each ward's table: the tables are named
 * by their slug (`wardTableName`, the same name the ward stack gives its table) and the statement's
 * condition `dynamodb:LeadingKeys` = `KPI` refuses any other partition, so the city never reads a
 * dossier or a citizen's data. The tables are encrypted with each ward's data key; the role may
 * decrypt with a key only through DynamoDB (`kms:ViaService`) and only if it carries one of the
 * wards' data-key aliases (`kms:ResourceAliases`). Names rather than SSM parameters the ward stacks
 * would write: the city stack is deployed first (docs/operations.md), before any ward exists, and
 * the policy then needs no lookup nor a redeploy when a ward is added beyond WARDS' own.
 */
export class CityReport extends Construct {
  readonly lambda: NodejsFunction;

  constructor(scope: Construct, id: string, props: CityReportProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS, encryptionKey: props.logKey });
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: "The city's report: the wards' KPI counters" });
    logGroup.grants.write(role);

    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WardKpiCountersOnly',
        actions: ['dynamodb:Query'],
        resources: props.wards.map((ward) => stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: wardTableName(ward.slug) })),
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [keys.kpiPartition] } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WardDataKeysThroughDynamoDb',
        actions: ['kms:Decrypt'],
        resources: [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' })],
        conditions: {
          StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.amazonaws.com` },
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': props.wards.map((ward) => wardDataKeyAlias(ward.slug)) },
        },
      }),
    );

    this.lambda = new NodejsFunction(this, 'Function', {
      entry: `${REPO_ROOT}functions/city/city-report.ts`,
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      description: "The city's report: Decision 766 figures of every ward and of the city, from the wards' daily counters",
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      // 126 wards, 16 at a time, two Queries each: a few seconds; a year's range reads ~2,900 small items a ward.
      timeout: Duration.seconds(60),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: { POWERTOOLS_SERVICE_NAME: 'mot-cua-so-city', POWERTOOLS_METRICS_NAMESPACE: 'MotCuaSo', NODE_OPTIONS: '--enable-source-maps' },
      bundling: NODEJS_BUNDLING,
    });

    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:${inFinding(stack.region, 'AWS::Region')}:${inFinding(stack.account, 'AWS::AccountId')}:key/*]`,
        reason:
          "The wards' data keys are created by the ward stacks, after this one, with generated ids: the statement names them by their aliases " +
          '(kms:ResourceAliases) and allows decryption through DynamoDB only (kms:ViaService).',
      },
    );
  }
}
