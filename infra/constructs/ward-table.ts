import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE_INDEXES, TABLE_KEYS, TTL_ATTRIBUTE, wardTableName } from '../../shared/adapters/dynamodb/table-definition';
import { AUDITOR_READABLE_PARTITIONS } from '../../shared/adapters/dynamodb/keys';
import type { RouteAccess } from '../../shared/runtime/routes';
import { arnInFinding } from './nag-findings';
import type { ResourceUser } from './ward-function';

export type TableAccess = NonNullable<RouteAccess['table']>;

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/**
 * What the functions do with the table, and nothing more: CDK's readData/readWriteData grants
 * also allow Scan (which the data layer never uses) and stream reads (which only the stream
 * consumers need).
 */
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

export interface WardTableProps {
  readonly encryptionKey: kms.IKey;
  /** The ward's slug: the table is named by it (wardTableName), for the city's report to name it. */
  readonly slug: string;
}

/** The ward's single table, shaped by `table-definition.ts` (the file local mode creates its table from too). */
export class WardTable extends Construct {
  readonly table: dynamodb.TableV2;
  private readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: WardTableProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.table = new dynamodb.TableV2(this, 'Table', {
      tableName: wardTableName(props.slug),
      partitionKey: stringKey(TABLE_KEYS.partitionKey),
      sortKey: stringKey(TABLE_KEYS.sortKey),
      billing: dynamodb.Billing.onDemand(),
      globalSecondaryIndexes: TABLE_INDEXES.map((index) => ({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      })),
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // The outbox: the stream consumers (notifier, deadline starter) read what a transaction wrote.
      dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(props.encryptionKey),
    });
  }

  /**
   * The auditor's reading of the personal-data records (`npm run audit -- access-log`): Query on
   * the base table, only in the partitions of the access log and the export records (IAM's
   * `dynamodb:LeadingKeys`), and the table key's decryption through DynamoDB only. No GetItem, no
   * index, no write: the dossiers themselves stay out of reach.
   */
  grantAuditorRecords(role: iam.IGrantable): void {
    role.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...AUDITOR_READABLE_PARTITIONS] } },
      }),
    );
    role.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [this.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }

  /** Grants `user` the table access its route declares, and tells it the table's name. */
  grantTo(user: ResourceUser, access: TableAccess): void {
    if (access === 'read') {
      this.table.grants.actions(user, ...READ_ACTIONS);
      this.encryptionKey.grantDecrypt(user);
    } else {
      this.table.grants.actions(user, ...READ_ACTIONS, ...WRITE_ACTIONS);
      this.encryptionKey.grantEncryptDecrypt(user);
    }
    user.addEnvironment('TABLE_NAME', this.table.tableName);

    Validations.of(user).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${arnInFinding(this.table)}/index/*]`,
      reason: 'Queries on the global secondary indexes need their ARNs; index/* names only the indexes of this one table.',
    });
    if (access === 'readWrite') {
      const reason =
        "Writing to a table encrypted with a customer-managed key needs the key's encrypt actions, which KMS names " +
        'with wildcards (GenerateDataKey*, ReEncrypt*); the statement names that one key only.';
      Validations.of(user).acknowledge({ id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason }, { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason });
    }
  }
}
