import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import { issueCitizenToken } from '../../local/citizen-tokens';
import { startLocalCity, type LocalCity, type LocalWardProcess } from '../../local/city';
import type { BusRecord } from '../../local/city-bus';
import { findFreePort } from '../../local/free-port';
import { localDynamoDbClientConfig, localSqsClientConfig } from '../../local/local-aws';
import { issueOfficerToken, readOrCreateOfficerSigningKey } from '../../local/officer-tokens';
import { startLocalSqsServer, type LocalSqsServer } from '../../local/sqs-server';
import { readNotificationOutbox, type LocalNotification } from '../../shared/adapters/local/notification-outbox';

/** One ward of a {@link TestCity}. */
export interface TestCityWard {
  readonly slug: string;
  readonly baseUrl: string;
  readonly tableName: string;
  readonly process: LocalWardProcess;
  /** An ID token of this ward's local officer pool. */
  officerToken(roles: readonly string[], name?: string): Promise<string>;
  /** The SMS and alerts this ward's notifier sent. */
  notifications(): Promise<LocalNotification[]>;
  /** Every item of a dossier's partition in this ward's table, as `SK` (the dossier, its history, its documents). */
  dossierItems(code: string): Promise<string[]>;
  /** Messages in one of its queues, visible or not. */
  depth(queue: 'handOvers' | 'handOverDeadLetters' | 'inbound' | 'inboundDeadLetters'): Promise<number>;
}

export interface TestCity {
  readonly wards: readonly TestCityWard[];
  readonly bus: LocalCity['bus'];
  /** A citizen's ID token of the local VNeID (one provider for every ward). */
  citizenToken(person: { idNumber: string; fullName: string; phone?: string }): Promise<string>;
  /** Moves the shared SQS clock forward: visibility timeouts (the hand-over retries' waits) pass at once. */
  advanceQueueClock(ms: number): void;
  records(): readonly BusRecord[];
  stop(): Promise<void>;
}

/**
 * Wards of a local city, each in its own process (local/ward-process.ts) on the run's DynamoDB Local
 * and s3rver (uniquely named tables and buckets), a local SQS of this test file (whose clock it
 * moves) and the local city bus, as `WARDS=… npm start` runs them.
 */
export async function startTestCity(slugs: readonly string[]): Promise<TestCity> {
  const aws = inject('localAws');
  const directory = await mkdtemp(join(tmpdir(), 'mot-cua-so-city-'));
  let clockOffset = 0;
  const sqsServer: LocalSqsServer = await startLocalSqsServer({ now: () => Date.now() + clockOffset });
  const suffix = randomUUID().slice(0, 8);
  const officerKeyFile = join(directory, 'officer-signing-key.json');
  const citizenKeyFile = join(directory, 'citizen-signing-key.json');
  // Created once before the wards start, so that they do not race to create them.
  const officerKey = await readOrCreateOfficerSigningKey(officerKeyFile);
  const citizenKey = await readOrCreateOfficerSigningKey(citizenKeyFile);
  const settings = await Promise.all(
    slugs.map(async (slug) => ({
      wardSlug: slug,
      port: await findFreePort(),
      dynamodbEndpoint: aws.dynamodbEndpoint,
      s3Endpoint: aws.s3Endpoint,
      sqsEndpoint: sqsServer.endpoint,
      tableName: `test-${slug}-${suffix}`,
      uploadsBucket: `test-uploads-${slug}-${suffix}`,
      archiveBucket: `test-archive-${slug}-${suffix}`,
      dataDirectory: join(directory, slug),
      officerKeyFile,
      citizenKeyFile,
      pollIntervalMs: 50,
      quiet: true,
      limitsOutOfTheWay: true,
    })),
  );
  const city = await startLocalCity({ wards: settings, sqsEndpoint: sqsServer.endpoint });
  const dynamodb = new DynamoDBClient(localDynamoDbClientConfig(aws));
  const sqs = new SQSClient(localSqsClientConfig(sqsServer.endpoint));
  const wards = settings.map((setting): TestCityWard => {
    const process = city.wards.get(setting.wardSlug);
    if (!process) throw new Error(`ward ${setting.wardSlug} did not start`);
    const queueUrls = {
      handOvers: process.handOverQueueUrl,
      handOverDeadLetters: process.handOverDeadLetterQueueUrl,
      inbound: process.inboundQueueUrl,
      inboundDeadLetters: process.inboundDeadLetterQueueUrl,
    };
    return {
      slug: setting.wardSlug,
      baseUrl: process.url,
      tableName: setting.tableName,
      process,
      officerToken: (roles, name) => issueOfficerToken(officerKey, { ward: setting.wardSlug, roles, ...(name ? { name } : {}) }),
      notifications: () => readNotificationOutbox(join(setting.dataDirectory, `notifications-${setting.wardSlug}.jsonl`)),
      dossierItems: async (code) => {
        const result = await dynamodb.send(
          new QueryCommand({
            TableName: setting.tableName,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': { S: `DOSSIER#${code}` } },
            ConsistentRead: true,
          }),
        );
        return (result.Items ?? []).map((item) => item.SK?.S ?? '').sort();
      },
      depth: async (queue) => {
        const { Attributes: attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrls[queue], AttributeNames: ['All'] }));
        return (['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const).reduce(
          (sum, name) => sum + Number(attributes[name] ?? 0),
          0,
        );
      },
    };
  });
  return {
    wards,
    bus: city.bus,
    citizenToken: (person) => issueCitizenToken(citizenKey, person),
    advanceQueueClock: (ms) => {
      clockOffset += ms;
    },
    records: () => city.bus.records(),
    stop: async () => {
      await city.stop();
      await sqsServer.stop();
      sqs.destroy();
      for (const setting of settings) await dynamodb.send(new DeleteTableCommand({ TableName: setting.tableName })).catch(() => undefined);
      dynamodb.destroy();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Asks `probe` every 50 ms until it returns something other than undefined (or gives up after `timeoutMs`). */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
