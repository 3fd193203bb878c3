import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import { startLocalHttpServer, type OfficerAuthorizer } from '../../local/http-server';
import { localDynamoDbClientConfig, localS3ClientConfig, localSqsClientConfig, type LocalAwsEndpoints } from '../../local/local-aws';
import { startLocalDeadlineRunner, type LocalDeadlineRunner } from '../../local/deadline-runner';
import { issueCitizenToken, localCitizenSignIn } from '../../local/citizen-tokens';
import { localIdentityProviderMounts } from '../../local/identity-providers';
import { createOfficerSigningKey, issueOfficerToken, localOfficerAuthorizer, readOrCreateOfficerSigningKey, type OfficerSigningKey } from '../../local/officer-tokens';
import { portalConfigMount } from '../../local/portal-config';
import { provisionLocalQueues, provisionLocalWard, type LocalNotificationQueues } from '../../local/provision';
import { startQueuePoller, type QueueBatchHandler, type QueuePoller } from '../../local/queue-poller';
import { startLocalSqsServer } from '../../local/sqs-server';
import { staticSite } from '../../local/static-site';
import { readOrCreateLocalSigningIdentity } from '../../local/signing-identity';
import { startStreamPoller, type DeadLetter, type StreamBatchHandler, type StreamPoller } from '../../local/stream-poller';
import { startSyncReceiver, type SyncReceiver } from '../../local/sync-receiver';
import { applyHandlerEnvironment, localHandlerEnvironment, localWard } from '../../local/ward-environment';
import { readNotificationOutbox, type LocalNotification } from '../../shared/adapters/local/notification-outbox';
import type { CitizenSignIn, WardConfig } from '../../shared/domain/ward-config';
import type { AlertDigestOutcome } from '../../shared/use-cases/alert-digest';
import type { RetryRunOutcome } from '../../shared/use-cases/national-sync';
import { STREAM_CONSUMERS } from '../../shared/runtime/consumers';
import { RETRY_DELIVERY, RETRY_WORKER } from '../../shared/runtime/notification-retries';

export interface LocalAws extends LocalAwsEndpoints {
  /** Configuration for `new DynamoDBClient(...)` (or DynamoDB Streams) against the run's DynamoDB Local. */
  readonly dynamodbClientConfig: ReturnType<typeof localDynamoDbClientConfig>;
  /** Configuration for `new S3Client(...)` against the run's s3rver (path-style). */
  readonly s3ClientConfig: ReturnType<typeof localS3ClientConfig>;
}

/** The run's DynamoDB Local and s3rver, started once by tests/global-setup.ts. */
export function useLocalAws(): LocalAws {
  const endpoints = inject('localAws');
  return {
    ...endpoints,
    dynamodbClientConfig: localDynamoDbClientConfig(endpoints),
    s3ClientConfig: localS3ClientConfig(endpoints),
  };
}

export interface StartLocalWardOptions {
  /** Defaults to the first configured ward, with its request limits out of the way ({@link suiteWard}). */
  readonly ward?: WardConfig;
  /**
   * Stands in for the Cognito authorizer on officer routes. Defaults to the ward's local pool with
   * a key of this run (tokens from {@link officerToken}); `false` leaves officer routes answering 401.
   */
  readonly authorizeOfficer?: OfficerAuthorizer | false;
  /** Print one line per request, as `npm start` does. Off by default to keep test output readable. */
  readonly logRequests?: boolean;
  /**
   * Run the stream consumers (notifier, deadline starter) on the table's stream, as `npm start`
   * does; off by default, which keeps tests that do not need them fast. `consumers` limits them
   * to these ids; `handlers` replaces a consumer's handler module, by consumer id (to inject faults).
   */
  readonly streams?: boolean | { readonly consumers?: readonly string[]; readonly handlers?: Readonly<Record<string, StreamBatchHandler>> };
  /**
   * Run the deadline state machine locally (local/deadline-runner.ts), as `npm start` does; the
   * deadline starter reaches it through `streams`. Adds a synthesis of the stack (a few seconds).
   */
  readonly deadlines?: boolean;
  /** With `deadlines`: waits pass this many times faster (3600 = an hour a second); default 1. */
  readonly clockSpeedup?: number;
  /** Serve the built front end (`web/dist`) at `/` as `npm start` does, for browser tests; off by default. */
  readonly site?: boolean;
  /** With `streams`: runs instead of the notifier's retry worker module (functions/events/retry-notifications.ts). */
  readonly retryWorker?: QueueBatchHandler;
  /** The ward's pilot switch: online submissions without a citizen's sign-in are accepted. Off by default, as in every ward. */
  readonly unsignedOnlineSubmissions?: boolean;
  /**
   * Changes to the ward's citizen identity provider, which is otherwise the local one mounted on
   * the ward's server (`/local-vneid`, tokens from {@link citizenToken}): e.g. another issuer.
   */
  readonly citizenSignIn?: Partial<CitizenSignIn>;
  /** The local citizen provider's key pair in this file (created if missing), as `npm start` keeps it in `.local/`; in memory by default. */
  readonly citizenSigningKeyFile?: string;
}

/**
 * The ward's notification queues in a local SQS server of its own, whose clock the test moves
 * (delays and visibility timeouts pass at once), and an SNS outage it switches on and off.
 */
export interface LocalNotificationRetries extends LocalNotificationQueues {
  readonly sqsEndpoint: string;
  /** Moves the local SQS clock forward (the handlers' own clock is not moved). */
  advanceClock(ms: number): void;
  /** Resolves once the retry worker has taken every message visible now; needs `streams`. */
  drain(): Promise<void>;
  /** Messages in a queue, visible or not (ApproximateNumberOfMessages…). */
  depth(queue: 'retries' | 'deadLetters'): Promise<number>;
  /** While on, the local outbox fails every send as SNS does in an outage. */
  setOutage(on: boolean): Promise<void>;
}

export interface LocalWard {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly baseUrl: string;
  readonly tableName: string;
  readonly uploadsBucket: string;
  readonly archiveBucket: string;
  readonly ward: WardConfig;
  /** The variables set on this process for the handlers. */
  readonly env: Readonly<Record<string, string>>;
  readonly aws: LocalAws;
  /** Every item of the table as `PK|SK`, sorted: a test's view of what was written (tests may scan; the code never does). */
  tableKeys(): Promise<string[]>;
  /** The SMS and officer alerts the notifier sent (the local outbox file), oldest first. */
  notifications(): Promise<LocalNotification[]>;
  /**
   * Runs the alert digest's scheduled job once (as local mode's timer does): mails the pending
   * officers' alerts as one DIGEST line of the outbox, unless one went out within the ward's interval.
   */
  sendAlertDigest(): Promise<AlertDigestOutcome>;
  /** Records the stream consumers gave up on after their retries (the local dead-letter file). */
  deadLetters(): Promise<DeadLetter[]>;
  /** The local national sync receiver (local/sync-receiver.ts) the NationalSync consumer sends to: what it received, its outage switch. */
  readonly syncReceiver: SyncReceiver;
  /**
   * Runs the sync retry job once (as local mode's timer and the stack's schedule do), as if
   * scheduled at `at` (default now): the backlog's dossiers whose wait is over by then are sent again.
   */
  retryNationalSync(at?: Date): Promise<RetryRunOutcome>;
  /** The local deadline state machine's executions (with `deadlines`). */
  readonly deadlines?: LocalDeadlineRunner;
  readonly notificationRetries: LocalNotificationRetries;
  /** Resolves once every record written so far has reached its stream consumers; needs `streams`. */
  drainStreams(): Promise<void>;
  /** Closes the HTTP server, stops the stream consumers and drops the table. */
  stop(): Promise<void>;
}

/**
 * The ward test files run by default: the first configured ward, with its request limits at the
 * schema's highest (the suite submits hundreds of dossiers with one ID number, all from 127.0.0.1).
 * A test of the limits passes a ward with limits of its own.
 */
export function suiteWard(): WardConfig {
  const ward = localWard(undefined);
  return { ...ward, limits: { ...ward.limits, submissionsPerIdNumberPerDay: 5_000, submissionsPerSourcePerHour: 5_000, uploadsPerSourcePerHour: 5_000 } };
}

let wardOfThisProcess: string | undefined;

function streamOptions(streams: { readonly consumers?: readonly string[]; readonly handlers?: Readonly<Record<string, StreamBatchHandler>> }) {
  const only = streams.consumers;
  return {
    ...(only ? { consumers: STREAM_CONSUMERS.filter((consumer) => only.includes(consumer.id)) } : {}),
    ...(streams.handlers ? { handlers: streams.handlers } : {}),
  };
}

/** The local pool of this file's ward: its slug and this run's signing key. */
let officerPool: { ward: string; key: OfficerSigningKey } | undefined;
let otherKey: Promise<OfficerSigningKey> | undefined;
/** The key of this file's local citizen provider (`/local-vneid`). */
let citizenKey: OfficerSigningKey | undefined;

export interface CitizenTokenOptions {
  readonly idNumber: string;
  readonly fullName: string;
  /** E.164 or 0xxxxxxxxx; none when omitted. */
  readonly phone?: string;
  /** `8h`, `30m`, seconds…; negative for an expired token. */
  readonly expiresIn?: string | number;
  /** Another `iss` than the local provider's (signed with its key all the same). */
  readonly issuer?: string;
  readonly audience?: string;
  /** Signed with a key that is not the provider's. */
  readonly signWithOtherKey?: boolean;
}

/**
 * A citizen's ID token of the local provider of this test file's ward (after {@link startLocalWard}),
 * for `Authorization: Bearer`, as the portal sends it after the citizen signed in.
 */
export async function citizenToken(options: CitizenTokenOptions): Promise<string> {
  if (citizenKey === undefined) throw new Error('citizenToken() needs startLocalWard() first');
  const key = options.signWithOtherKey ? await (otherKey ??= createOfficerSigningKey()) : citizenKey;
  return issueCitizenToken(key, options);
}

export interface OfficerTokenOptions {
  /** `cognito:groups`; any strings, to test groups that are no officer role. */
  readonly roles: readonly string[];
  /** The ward whose pool issues the token; another ward's is refused by the authorizer (401). Defaults to this ward. */
  readonly ward?: string;
  /** `custom:ward` alone, in a token of this ward's pool: refused by the handler (403). */
  readonly wardClaim?: string;
  readonly name?: string;
  /** `8h`, `30m`, seconds…; negative for an expired token. */
  readonly expiresIn?: string | number;
  /** Signed with a key that is not the pool's: refused by the authorizer (401). */
  readonly signWithOtherKey?: boolean;
}

/** An officer's ID token for the ward of this test file (after {@link startLocalWard}), for `Authorization: Bearer`. */
export async function officerToken(options: OfficerTokenOptions): Promise<string> {
  if (officerPool === undefined) throw new Error('officerToken() needs startLocalWard() first, with the officer authorizer on');
  const key = options.signWithOtherKey ? await (otherKey ??= createOfficerSigningKey()) : officerPool.key;
  return issueOfficerToken(key, {
    ward: options.ward ?? officerPool.ward,
    roles: options.roles,
    wardClaim: options.wardClaim,
    name: options.name,
    expiresIn: options.expiresIn,
  });
}

/**
 * A ward of its own for the calling test file: a uniquely named table (with the catalog loaded)
 * and uploads bucket in the run's DynamoDB Local and s3rver, the handler environment set on this
 * process, and the local HTTP server on a free 127.0.0.1 port.
 *
 * One per test file: handler modules read the environment once, when a first request imports
 * them, and vitest gives each test file its own process (`pool: 'forks'`). Call it in
 * `beforeAll`, before anything in the file imports a handler or `shared/runtime`.
 */
export async function startLocalWard(options: StartLocalWardOptions = {}): Promise<LocalWard> {
  if (wardOfThisProcess !== undefined) {
    throw new Error(
      `startLocalWard() already ran in this test file (table ${wardOfThisProcess}): handler modules keep the ` +
        'environment they were first imported with, so share one ward per file.',
    );
  }
  const aws = useLocalAws();
  const configuredWard = options.ward ?? suiteWard();
  const suffix = randomUUID().slice(0, 8);
  const tableName = `test-${configuredWard.slug}-${suffix}`;
  const uploadsBucket = `test-uploads-${suffix}`;
  const archiveBucket = `test-archive-${suffix}`;
  wardOfThisProcess = tableName;

  await provisionLocalWard({ ...aws, tableName, uploadsBucket, archiveBucket });
  if (options.authorizeOfficer === undefined) officerPool = { ward: configuredWard.slug, key: await createOfficerSigningKey() };
  citizenKey = options.citizenSigningKeyFile ? await readOrCreateOfficerSigningKey(options.citizenSigningKeyFile) : await createOfficerSigningKey();
  const server = await startLocalHttpServer({
    authorizeOfficer: officerPool ? localOfficerAuthorizer(officerPool) : options.authorizeOfficer || undefined,
    logRequest: options.logRequests ? (line) => console.warn(line) : () => undefined,
    ...(options.site ? { fallback: staticSite({ origins: { connect: [aws.s3Endpoint], formAction: [] } }) } : {}),
    // Both identity providers and /config.json, as npm start serves them.
    mounts: [
      ...localIdentityProviderMounts({ ward: configuredWard.slug, citizenKey, officerKey: officerPool?.key ?? (await createOfficerSigningKey()) }),
      portalConfigMount(configuredWard),
    ],
  });
  // The citizens' provider is the one on this server, unless the test says otherwise.
  const ward: WardConfig = {
    ...configuredWard,
    citizenSignIn: { ...localCitizenSignIn(server.url), ...options.citizenSignIn },
    unsignedOnlineSubmissions: options.unsignedOnlineSubmissions ?? false,
  };
  const signingDirectory = join(tmpdir(), `mot-cua-so-signing-${suffix}`);
  const { files: signingFiles } = await readOrCreateLocalSigningIdentity(signingDirectory, ward);
  const notificationsFile = join(tmpdir(), `mot-cua-so-notifications-${suffix}.jsonl`);
  const deadLetterFile = join(tmpdir(), `mot-cua-so-dead-letters-${suffix}.jsonl`);
  const outageFile = join(tmpdir(), `mot-cua-so-sns-outage-${suffix}`);
  const syncReceiver = await startSyncReceiver({
    recordsFile: join(tmpdir(), `mot-cua-so-sync-records-${suffix}.jsonl`),
    outageFile: join(tmpdir(), `mot-cua-so-sync-outage-${suffix}`),
    secretFile: join(tmpdir(), `mot-cua-so-sync-secret-${suffix}.json`),
  });
  let sqsClockOffset = 0;
  const sqsServer = await startLocalSqsServer({ now: () => Date.now() + sqsClockOffset });
  const queues = await provisionLocalQueues(sqsServer.endpoint, ward.slug);
  const deadlines = options.deadlines
    ? await startLocalDeadlineRunner({ ward, clockSpeedup: options.clockSpeedup, logFailure: (message, error) => console.warn(message, error ?? '') })
    : undefined;
  // Set once the URL is known and before this returns, hence before any request imports a handler.
  const env = localHandlerEnvironment({
    ...aws,
    tableName,
    uploadsBucket,
    archiveBucket,
    ward,
    idHashSecret: randomBytes(32).toString('base64url'),
    publicBaseUrl: server.url,
    signing: { keyFile: signingFiles.signingKey, chainFile: signingFiles.chain },
    notificationsOutboxFile: notificationsFile,
    notificationsOutageFile: outageFile,
    notificationRetries: { sqsEndpoint: sqsServer.endpoint, retryQueueUrl: queues.retryQueueUrl },
    nationalSyncSecretFile: syncReceiver.secretFile,
    ...(deadlines ? { deadlines: { endpoint: deadlines.endpoint, stateMachineArn: deadlines.stateMachineArn } } : {}),
  });
  applyHandlerEnvironment(env);
  const poller: StreamPoller | undefined = options.streams
    ? await startStreamPoller({
        clientConfig: aws.dynamodbClientConfig,
        tableName,
        deadLetterFile,
        pollIntervalMs: 100,
        retryDelayMs: 20,
        ...(typeof options.streams === 'object' ? streamOptions(options.streams) : {}),
        log: () => undefined,
      })
    : undefined;
  const retryPoller: QueuePoller | undefined = options.streams
    ? await startQueuePoller({
        clientConfig: localSqsClientConfig(sqsServer.endpoint),
        queueUrl: queues.retryQueueUrl,
        consumer: RETRY_WORKER,
        batchSize: RETRY_DELIVERY.batchSize,
        pollIntervalMs: 50,
        ...(options.retryWorker ? { handlerOverride: options.retryWorker } : {}),
        log: () => undefined,
      })
    : undefined;
  const sqs = new SQSClient(localSqsClientConfig(sqsServer.endpoint));
  const notificationRetries: LocalNotificationRetries = {
    ...queues,
    sqsEndpoint: sqsServer.endpoint,
    advanceClock: (ms) => {
      sqsClockOffset += ms;
    },
    drain: () => (retryPoller ? retryPoller.drain() : Promise.reject(new Error('notificationRetries.drain() needs startLocalWard({ streams: true })'))),
    depth: async (queue) => {
      const { Attributes: attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queue === 'retries' ? queues.retryQueueUrl : queues.deadLetterQueueUrl, AttributeNames: ['All'] }),
      );
      return (['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const).reduce(
        (sum, name) => sum + Number(attributes[name] ?? 0),
        0,
      );
    },
    setOutage: async (on) => (on ? writeFile(outageFile, 'SNS is down\n') : rm(outageFile, { force: true })),
  };

  let stopping: Promise<void> | undefined;
  return {
    baseUrl: server.url,
    tableName,
    uploadsBucket,
    archiveBucket,
    ward,
    env,
    aws,
    tableKeys: () => scanTableKeys(aws, tableName),
    ...(deadlines ? { deadlines } : {}),
    notifications: () => readNotificationOutbox(notificationsFile),
    sendAlertDigest: async () => {
      const job = (await import('../../functions/events/send-alert-digest')) as { handler: () => Promise<AlertDigestOutcome> };
      return job.handler();
    },
    deadLetters: async () => {
      const text = await readFile(deadLetterFile, 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as DeadLetter);
    },
    notificationRetries,
    syncReceiver,
    retryNationalSync: async (at) => {
      const job = (await import('../../functions/events/retry-national-sync')) as { handler: (event?: { time: string }) => Promise<RetryRunOutcome> };
      return job.handler({ time: (at ?? new Date()).toISOString() });
    },
    drainStreams: () => (poller ? poller.drain() : Promise.reject(new Error('drainStreams() needs startLocalWard({ streams: true })'))),
    stop: () =>
      (stopping ??= (async () => {
        await server.close();
        await poller?.stop();
        await retryPoller?.stop();
        sqs.destroy();
        await sqsServer.stop();
        await syncReceiver.stop();
        await deadlines?.close();
        await Promise.all([
          rm(outageFile, { force: true }),
          rm(notificationsFile, { force: true }),
          rm(deadLetterFile, { force: true }),
          ...[syncReceiver.secretFile, join(tmpdir(), `mot-cua-so-sync-records-${suffix}.jsonl`), join(tmpdir(), `mot-cua-so-sync-outage-${suffix}`)].map((file) =>
            rm(file, { force: true }),
          ),
          rm(signingDirectory, { recursive: true, force: true }),
        ]);
        const dynamodb = new DynamoDBClient(aws.dynamodbClientConfig);
        try {
          await dynamodb.send(new DeleteTableCommand({ TableName: tableName }));
        } finally {
          dynamodb.destroy();
        }
      })()),
  };
}

async function scanTableKeys(aws: LocalAws, tableName: string): Promise<string[]> {
  const dynamodb = new DynamoDBClient(aws.dynamodbClientConfig);
  try {
    const keys: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await dynamodb.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) keys.push(`${item.PK?.S ?? ''}|${item.SK?.S ?? ''}`);
      start = page.LastEvaluatedKey;
    } while (start);
    return keys.sort();
  } finally {
    dynamodb.destroy();
  }
}
