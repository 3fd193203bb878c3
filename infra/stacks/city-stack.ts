import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { WardConfig } from '../../shared/domain/ward-config';
import { CityReport } from '../constructs/city-report';

export interface CityStackProps extends StackProps {
  readonly wards: readonly WardConfig[];
}

/** What the city shares beside the ward stacks (`MotCuaSo-city`), in the wards' account and region. */
export class CityStack extends Stack {
  readonly report: CityReport;

  constructor(scope: Construct, id: string, props: CityStackProps) {
    super(scope, id, props);
    const logKey = new kms.Key(this, 'LogKey', {
      enableKeyRotation: true,
      alias: 'alias/mot-cua-so/city/logs',
      description: 'Một Cửa Số city: logs',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts with the key itself, for this account's log groups only.
    logKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:*` } },
      }),
    );
    this.report = new CityReport(this, 'Report', { wards: props.wards, logKey });
  }
}
