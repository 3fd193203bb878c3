import { createHash } from 'node:crypto';
import { CustomResource, Duration, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { CATALOG } from '../../shared/catalog/procedures';
import type { WardConfig } from '../../shared/domain/ward-config';
import { arnInFinding } from './nag-findings';
import { WardFunction } from './ward-function';
import type { WardTable } from './ward-table';

export interface CatalogLoaderProps {
  readonly ward: WardConfig;
  readonly table: WardTable;
  readonly logKey: kms.IKey;
}

/**
 * Writes the procedure catalog into the table on every deployment that changes it: a custom
 * resource whose handler (`functions/catalog/load-catalog.ts`) loads on Create and Update and does
 * nothing on Delete. CDK's provider framework answers CloudFormation for it.
 */
export class CatalogLoader extends Construct {
  constructor(scope: Construct, id: string, props: CatalogLoaderProps) {
    super(scope, id);

    const loader = new WardFunction(this, 'LoadCatalog', {
      ward: props.ward,
      handler: 'catalog/load-catalog',
      description: 'Loads the procedure catalog into the table (CloudFormation custom resource)',
      timeout: Duration.minutes(2),
      logKey: props.logKey,
    });
    // readWrite, not write only: replacing the catalog first queries the published entries to unpublish the withdrawn ones.
    props.table.grantTo(loader, 'readWrite');

    const provider = new Provider(this, 'Provider', {
      onEventHandler: loader.lambda,
      logGroup: new logs.LogGroup(this, 'ProviderLogs', { retention: logs.RetentionDays.THREE_MONTHS, encryptionKey: props.logKey }),
    });

    const catalog = new CustomResource(this, 'Catalog', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::ProcedureCatalog',
      // A catalog change changes the hash, so CloudFormation sends an Update and the catalog is
      // reloaded; an unchanged catalog sends nothing.
      properties: { CatalogHash: createHash('sha256').update(JSON.stringify(CATALOG)).digest('hex') },
    });
    // The loader must not run before its role may write to the table.
    catalog.node.addDependency(loader);

    Validations.of(provider.node.findChild('framework-onEvent')).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "CDK's custom-resource provider framework function; the managed policy only lets it write its own logs.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::${arnInFinding(loader.lambda)}:*]`,
        reason: 'The provider framework may invoke any version of the loader function, and only that function.',
      },
    );
  }
}
