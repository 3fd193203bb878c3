import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
} from '@aws-sdk/client-dynamodb';
import { BucketAlreadyOwnedByYou, CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoCatalogStore } from '../shared/adapters/dynamodb/catalog-store';
import { TABLE_INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '../shared/adapters/dynamodb/table-definition';
import { CATALOG } from '../shared/catalog/procedures';
import { notificationQueueNames, RETRY_DELIVERY } from '../shared/runtime/notification-retries';
import { vietnamDate } from '../shared/domain/time';
import { loadCatalog } from '../shared/use-cases/load-catalog';
import { localDynamoDbClientConfig, localS3ClientConfig, localSqsClientConfig, type LocalAwsEndpoints } from './local-aws';

export interface LocalWardResources extends LocalAwsEndpoints {
  readonly tableName: string;
  readonly uploadsBucket: string;
  /**
   * The e-result archive. s3rver has no Object Lock: locally the archive is write-once only by the
   * adapter's discipline (a new key per e-copy), not enforced as S3 enforces it in AWS.
   */
  readonly archiveBucket?: string;
}

/**
 * Creates what the ward's stack would: the single table (keys, indexes, stream, TTL, as the CDK
 * stack declares them from the same table definition) and the uploads bucket, then loads the
 * procedure catalog. Idempotent: what exists is kept (local data survives restarts), and the
 * catalog load replaces the catalog with the one in the code.
 */
export async function provisionLocalWard(resources: LocalWardResources): Promise<void> {
  const dynamodb = new DynamoDBClient(localDynamoDbClientConfig(resources));
  const s3 = new S3Client(localS3ClientConfig(resources));
  try {
    await ensureTable(dynamodb, resources.tableName);
    await ensureTimeToLive(dynamodb, resources.tableName);
    await ensureBucket(s3, resources.uploadsBucket);
    if (resources.archiveBucket) await ensureBucket(s3, resources.archiveBucket);
    await loadCatalogIntoLocalTable(dynamodb, resources.tableName);
  } finally {
    dynamodb.destroy();
    s3.destroy();
  }
}

/**
 * The catalog load the deploy also runs: every version of `CATALOG`, validated, written to the
 * table; the versions in force today (Vietnam time) are the published catalog.
 */
async function loadCatalogIntoLocalTable(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  const documentClient = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  await loadCatalog(dynamoCatalogStore(documentClient, tableName), CATALOG, vietnamDate(new Date()));
}

async function ensureTable(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  if (await tableExists(dynamodb, tableName)) {
    await ensureIndexes(dynamodb, tableName);
    return;
  }
  const keyAttributes = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...TABLE_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey])];
  const attributeDefinitions: AttributeDefinition[] = keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' }));
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions,
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: TABLE_INDEXES.map(indexDefinition),
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
  } catch (error) {
    // Created meanwhile by another process sharing this DynamoDB Local.
    if (!(error instanceof ResourceInUseException)) {
      throw error;
    }
  }
}

/**
 * A table kept from an earlier version of the code gets the indexes added since, one at a time,
 * as a CloudFormation update adds them to the ward's table. A dossier item enters a new index the
 * next time it is written.
 */
async function ensureIndexes(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of TABLE_INDEXES.filter((candidate) => !present.has(candidate.indexName))) {
    await dynamodb.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [index.partitionKey, index.sortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        GlobalSecondaryIndexUpdates: [{ Create: indexDefinition(index) }],
      }),
    );
  }
}

function indexDefinition(index: (typeof TABLE_INDEXES)[number]) {
  return {
    IndexName: index.indexName,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  };
}

async function tableExists(dynamodb: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      return false;
    }
    throw error;
  }
}

async function ensureTimeToLive(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  const current = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = current.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') {
    return;
  }
  await dynamodb.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }));
}

async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  if (!(await bucketExists(s3, bucket))) {
    try {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    } catch (error) {
      if (!(error instanceof BucketAlreadyOwnedByYou)) {
        throw error;
      }
    }
  }
  // Browsers upload straight to the bucket with the presigned POST, from the citizens' site.
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['POST', 'PUT', 'GET', 'HEAD'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag', 'Location'], MaxAgeSeconds: 3000 }],
      },
    }),
  );
}

async function bucketExists(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) {
      return false;
    }
    throw error;
  }
}

/** The URLs of a ward's notification queues in local/sqs-server.ts. */
export interface LocalNotificationQueues {
  readonly retryQueueUrl: string;
  readonly deadLetterQueueUrl: string;
}

/**
 * Creates the notifier's retry queue and its dead-letter queue as the stack declares them (names,
 * visibility timeout, retention and redrive policy from shared/runtime/notification-retries.ts).
 * Idempotent: CreateQueue with the same attributes returns the existing queue.
 */
export async function provisionLocalQueues(sqsEndpoint: string, wardSlug: string): Promise<LocalNotificationQueues> {
  const sqs = new SQSClient(localSqsClientConfig(sqsEndpoint));
  try {
    const names = notificationQueueNames(wardSlug);
    const retention = String(RETRY_DELIVERY.retentionDays * 24 * 3600);
    const deadLetters = await sqs.send(new CreateQueueCommand({ QueueName: names.deadLetters, Attributes: { MessageRetentionPeriod: retention } }));
    const { Attributes: deadLetterAttributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: deadLetters.QueueUrl, AttributeNames: ['QueueArn'] }));
    const retries = await sqs.send(
      new CreateQueueCommand({
        QueueName: names.retries,
        Attributes: {
          MessageRetentionPeriod: retention,
          VisibilityTimeout: String(RETRY_DELIVERY.visibilityTimeoutSeconds),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterAttributes?.QueueArn, maxReceiveCount: RETRY_DELIVERY.maxReceiveCount }),
        },
      }),
    );
    if (retries.QueueUrl === undefined || deadLetters.QueueUrl === undefined) throw new Error('local SQS returned no queue URL');
    return { retryQueueUrl: retries.QueueUrl, deadLetterQueueUrl: deadLetters.QueueUrl };
  } finally {
    sqs.destroy();
  }
}
