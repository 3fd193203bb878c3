/**
 * `npm start`: the ward on this machine. DynamoDB Local and s3rver keep their data under `.local/`
 * between runs; the real handlers answer on http://127.0.0.1:$PORT behind a local stand-in for
 * API Gateway. Environment: `WARD` (a ward slug, default the first configured ward), `PORT`
 * (default 3000). Ctrl-C stops everything, Java included. With `WARDS=a,b` it runs a local city of
 * those wards instead (local/city-start.ts).
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { restartOpenClocks, startLocalDeadlineRunner, type LocalDeadlineRunner } from './deadline-runner';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
import { startLocalHttpServer, type LocalHttpServer } from './http-server';
import { LOCAL_DYNAMODB_ENDPOINT_FILE_NAME, LOCAL_SQS_ENDPOINT_FILE_NAME, localDynamoDbClientConfig, localSqsClientConfig } from './local-aws';
import { CITIZEN_SIGNING_KEY_FILE_NAME, localCitizenSignIn } from './citizen-tokens';
import { localIdentityProviderMounts, localOfficerProviderPath } from './identity-providers';
import { localOfficerAuthorizer, OFFICER_SIGNING_KEY_FILE_NAME, readOrCreateOfficerSigningKey } from './officer-tokens';
import { portalConfigMount } from './portal-config';
import { TEST_CITIZENS, TEST_OFFICERS } from './test-accounts';
import { provisionLocalQueues, provisionLocalWard } from './provision';
import { startQueuePoller, type QueuePoller } from './queue-poller';
import { startLocalScheduledJobs, type LocalScheduledJobs } from './scheduled-jobs';
import { localSigningDirectory, readOrCreateLocalSigningIdentity } from './signing-identity';
import { startLocalS3Server, type LocalS3Server } from './s3-server';
import { staticSite } from './static-site';
import { startLocalSqsServer, type LocalSqsServer } from './sqs-server';
import { RETRY_DELIVERY, RETRY_WORKER, notificationQueueNames } from '../shared/runtime/notification-retries';
import { startStreamPoller, type StreamPoller } from './stream-poller';
import { startSyncReceiver, type SyncReceiver } from './sync-receiver';
import { applyHandlerEnvironment, localHandlerEnvironment, localResourceNames, localWard, readOrCreateSecret } from './ward-environment';

const PROJECT_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
const LOCAL_DATA_DIRECTORY = join(PROJECT_DIRECTORY, '.local');
const DEFAULT_PORT = 3000;
/** Under .local/: the SMS and officer alerts the notifier sent (SNS has no local server), and the stream records the consumers gave up on. */
const NOTIFICATIONS_FILE_NAME = 'notifications.jsonl';
const DEAD_LETTERS_FILE_NAME = 'dead-letters.jsonl';
/** Under .local/: the local SQS's queues and messages (the notifier's retries), and the file whose presence simulates an SNS outage. */
const SQS_STATE_FILE_NAME = 'sqs.json';
const SNS_OUTAGE_FILE_NAME = 'sns-outage';
/** Under .local/: what the local national sync receiver accepted, the file whose presence makes it answer 503, and its secret (endpoint and token). */
const SYNC_RECORDS_FILE_NAME = 'national-sync.jsonl';
const SYNC_OUTAGE_FILE_NAME = 'national-sync-outage';
const SYNC_SECRET_FILE_NAME = 'national-sync-secret.json';

/** A procedure fully online, with a single required document, for the examples. */
const EXAMPLE_PROCEDURE_CODE = '1.004873';

interface RunningWard {
  dynamodb?: DynamoDbLocal;
  s3?: LocalS3Server;
  sqs?: LocalSqsServer;
  retries?: QueuePoller;
  http?: LocalHttpServer;
  deadlines?: LocalDeadlineRunner;
  streams?: StreamPoller;
  jobs?: LocalScheduledJobs;
  syncReceiver?: SyncReceiver;
}

const running: RunningWard = {};
/** When the first stop signal arrived; undefined while running. */
let shutdownStartedAt: number | undefined;

/**
 * Signals that arrive this soon after the first are the same Ctrl-C again: the terminal signals
 * the whole process group, and npm and tsx also relay it to their child.
 */
const REPEATED_SIGNAL_WINDOW_MS = 1_000;
const SHUTDOWN_DEADLINE_MS = 20_000;

async function main(): Promise<void> {
  // Lambda runs a newer Node.js; on a developer's Node 20 the SDK's support notice is noise.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const startedAt = Date.now();
  const port = parsePort(process.env.PORT);
  const publicBaseUrl = `http://127.0.0.1:${port}`;
  // The citizens' identity provider is the local one on this server (/local-vneid).
  const ward = { ...localWard(process.env.WARD), citizenSignIn: localCitizenSignIn(publicBaseUrl) };
  const { tableName, uploadsBucket, archiveBucket } = localResourceNames(ward);
  const idHashSecret = await readOrCreateSecret(join(LOCAL_DATA_DIRECTORY, 'id-hash.key'));
  const officerSigningKey = await readOrCreateOfficerSigningKey(join(LOCAL_DATA_DIRECTORY, OFFICER_SIGNING_KEY_FILE_NAME));
  const citizenSigningKey = await readOrCreateOfficerSigningKey(join(LOCAL_DATA_DIRECTORY, CITIZEN_SIGNING_KEY_FILE_NAME));
  // The ward's document-signing key and its certificate from local mode's test CA (KMS and a CA stand-in).
  const { files: signingFiles } = await readOrCreateLocalSigningIdentity(localSigningDirectory(PROJECT_DIRECTORY, ward.slug), ward);

  // Each is recorded as soon as it runs, so that a failure of the other still stops it.
  const [dynamodb, s3, sqs, deadlines, syncReceiver] = await Promise.all([
    startDynamoDbLocal({ storage: { dataDirectory: join(LOCAL_DATA_DIRECTORY, 'dynamodb') } }).then((started) => (running.dynamodb = started)),
    startLocalS3Server({ directory: join(LOCAL_DATA_DIRECTORY, 's3'), writeOnceBuckets: [archiveBucket] }).then((started) => (running.s3 = started)),
    startLocalSqsServer({ stateFile: join(LOCAL_DATA_DIRECTORY, SQS_STATE_FILE_NAME) }).then((started) => (running.sqs = started)),
    // The deadline state machine, from the synthesized stack; LOCAL_CLOCK_SPEEDUP=3600: an hour a second.
    startLocalDeadlineRunner({ ward, clockSpeedup: parseClockSpeedup(process.env.LOCAL_CLOCK_SPEEDUP) }).then((started) => (running.deadlines = started)),
    // The national portal's dossier-sync endpoint, as a local receiver that validates and records what it gets.
    startSyncReceiver({
      recordsFile: join(LOCAL_DATA_DIRECTORY, SYNC_RECORDS_FILE_NAME),
      outageFile: join(LOCAL_DATA_DIRECTORY, SYNC_OUTAGE_FILE_NAME),
      secretFile: join(LOCAL_DATA_DIRECTORY, SYNC_SECRET_FILE_NAME),
    }).then((started) => (running.syncReceiver = started)),
  ]);
  const resources = { dynamodbEndpoint: dynamodb.endpoint, s3Endpoint: s3.endpoint, tableName, uploadsBucket, archiveBucket };
  await provisionLocalWard(resources);
  const queues = await provisionLocalQueues(sqs.endpoint, ward.slug);
  await writeFile(join(LOCAL_DATA_DIRECTORY, LOCAL_SQS_ENDPOINT_FILE_NAME), `${sqs.endpoint}\n`, 'utf8');
  await writeFile(join(LOCAL_DATA_DIRECTORY, LOCAL_DYNAMODB_ENDPOINT_FILE_NAME), `${dynamodb.endpoint}\n`, 'utf8');

  // Before the HTTP server exists, so no handler can be imported with a partial environment.
  applyHandlerEnvironment(
    localHandlerEnvironment({
      ...resources,
      ward,
      idHashSecret,
      publicBaseUrl,
      signing: { keyFile: signingFiles.signingKey, chainFile: signingFiles.chain },
      deadlines: { endpoint: deadlines.endpoint, stateMachineArn: deadlines.stateMachineArn },
      notificationsOutboxFile: join(LOCAL_DATA_DIRECTORY, NOTIFICATIONS_FILE_NAME),
      notificationsOutageFile: join(LOCAL_DATA_DIRECTORY, SNS_OUTAGE_FILE_NAME),
      notificationRetries: { sqsEndpoint: sqs.endpoint, retryQueueUrl: queues.retryQueueUrl },
      nationalSyncSecretFile: syncReceiver.secretFile,
      echoNotifications: true,
    }),
  );
  // Executions live in memory: the clocks of open dossiers start again (passed deadlines act at once).
  const restartedClocks = await restartOpenClocks(deadlines, ward, resources);
  // The stream consumers (notifier, deadline starter), resuming where the last run stopped.
  running.streams = await startStreamPoller({
    clientConfig: localDynamoDbClientConfig(resources),
    tableName,
    checkpointFile: join(LOCAL_DATA_DIRECTORY, 'stream-checkpoint.json'),
    deadLetterFile: join(LOCAL_DATA_DIRECTORY, DEAD_LETTERS_FILE_NAME),
  });
  // The notifier's retry worker on its queue, as the stack's event source mapping runs it.
  running.retries = await startQueuePoller({
    clientConfig: localSqsClientConfig(sqs.endpoint),
    queueUrl: queues.retryQueueUrl,
    consumer: RETRY_WORKER,
    batchSize: RETRY_DELIVERY.batchSize,
  });
  running.http = await startLocalHttpServer({
    port,
    // The ward's Cognito authorizer: ID tokens of this ward's (local) pool, from `npm run officer-token`.
    authorizeOfficer: localOfficerAuthorizer({
      key: officerSigningKey,
      ward: ward.slug,
      onRefused: (reason) => console.warn(`officer token refused: ${reason}`),
    }),
    // The built front end at /, as CloudFront serves the site bucket beside the API in the stack.
    fallback: staticSite({ origins: { connect: [s3.endpoint], formAction: [] } }),
    // The identity providers for citizens and officers, and the front end's /config.json.
    mounts: [...localIdentityProviderMounts({ ward: ward.slug, citizenKey: citizenSigningKey, officerKey: officerSigningKey }), portalConfigMount(ward)],
  });

  // The archive manifest's daily seal, as the stack's schedule runs it.
  running.jobs = startLocalScheduledJobs({ projectDirectory: PROJECT_DIRECTORY, log: (message, error) => (error ? console.warn(message, error) : console.log(message)) });

  printWelcome({
    url: running.http.url,
    wardName: ward.name,
    wardSlug: ward.slug,
    tableName,
    uploadsBucket,
    dynamodb,
    s3,
    sqs,
    deadlines,
    syncReceiver,
    restartedClocks,
    seconds: (Date.now() - startedAt) / 1000,
  });
}

/** `LOCAL_CLOCK_SPEEDUP`: how many times faster the deadline waits pass (1 by default: real time). */
function parseClockSpeedup(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  const speedup = Number(value);
  if (!Number.isFinite(speedup) || speedup < 1) throw new Error(`LOCAL_CLOCK_SPEEDUP must be a number ≥ 1 (3600 = an hour a second), not '${value}'`);
  return speedup;
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') {
    return DEFAULT_PORT;
  }
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`PORT must be a TCP port number, not '${value}'`);
  }
  return port;
}

/** Stops in the reverse order of start: no new requests, then the servers they use. */
async function shutDown(exitCode: number): Promise<void> {
  if (shutdownStartedAt !== undefined) {
    return;
  }
  shutdownStartedAt = Date.now();
  setTimeout(() => {
    console.error('The local ward did not stop in time; exiting anyway.');
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS).unref();
  running.jobs?.stop();
  await running.http?.close().catch((error: unknown) => console.error('closing the HTTP server:', error));
  await running.streams?.stop().catch((error: unknown) => console.error('stopping the stream consumers:', error));
  await running.retries?.stop().catch((error: unknown) => console.error('stopping the notification retries:', error));
  await running.syncReceiver?.stop().catch((error: unknown) => console.error('stopping the national sync receiver:', error));
  await rm(join(LOCAL_DATA_DIRECTORY, LOCAL_SQS_ENDPOINT_FILE_NAME), { force: true });
  await rm(join(LOCAL_DATA_DIRECTORY, LOCAL_DYNAMODB_ENDPOINT_FILE_NAME), { force: true });
  await running.sqs?.stop().catch((error: unknown) => console.error('stopping the local SQS:', error));
  await running.deadlines?.close().catch((error: unknown) => console.error('stopping the deadline executions:', error));
  await running.s3?.stop().catch((error: unknown) => console.error('stopping s3rver:', error));
  await running.dynamodb?.stop().catch((error: unknown) => console.error('stopping DynamoDB Local:', error));
  process.exit(exitCode);
}

function onSignal(signal: NodeJS.Signals): void {
  if (shutdownStartedAt !== undefined) {
    if (Date.now() - shutdownStartedAt > REPEATED_SIGNAL_WINDOW_MS) {
      // A second Ctrl-C: leave now; Java is still stopped by DynamoDB Local's exit hook and guard.
      process.exit(1);
    }
    return;
  }
  console.log(`\n${signal}: stopping the local ward…`);
  void shutDown(0);
}

// WARDS=a,b: several wards and the city bus between them (local/city-start.ts) instead of one ward.
const cityMode = process.env.WARDS !== undefined && process.env.WARDS.trim() !== '';
if (!cityMode) {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

interface Welcome {
  readonly url: string;
  readonly wardName: string;
  readonly wardSlug: string;
  readonly tableName: string;
  readonly uploadsBucket: string;
  readonly dynamodb: DynamoDbLocal;
  readonly s3: LocalS3Server;
  readonly sqs: LocalSqsServer;
  readonly deadlines: LocalDeadlineRunner;
  readonly syncReceiver: SyncReceiver;
  readonly restartedClocks: number;
  readonly seconds: number;
}

function printWelcome(welcome: Welcome): void {
  const { url } = welcome;
  console.log(`
${welcome.wardName}: local ward ready in ${welcome.seconds.toFixed(1)} s at ${url}
  Citizen portal  ${url}/   Officer console  ${url}/can-bo/
  DynamoDB Local  ${welcome.dynamodb.endpoint}  table ${welcome.tableName}   (data in .local/dynamodb; note: DynamoDB Local listens on all interfaces, it cannot bind to 127.0.0.1 only)
  s3rver          ${welcome.s3.endpoint}  bucket ${welcome.uploadsBucket}   (data in .local/s3)
  Step Functions  ${welcome.deadlines.endpoint}  deadline state machine from the synthesized stack, clock ×${welcome.deadlines.clockSpeedup} (LOCAL_CLOCK_SPEEDUP), ${welcome.restartedClocks} open clock(s) restarted
  Stream          notifier and deadline starter on the table's stream; SMS and officer alerts in .local/${NOTIFICATIONS_FILE_NAME}, records they gave up on in .local/${DEAD_LETTERS_FILE_NAME}
  SQS             ${welcome.sqs.endpoint}  failed deliveries wait in ${notificationQueueNames(welcome.wardSlug).retries} (data in .local/${SQS_STATE_FILE_NAME});
                  touch .local/${SNS_OUTAGE_FILE_NAME} to simulate an SNS outage, then npm run redrive -- --ward ${welcome.wardSlug} --local for what was dead-lettered
  National sync   ${welcome.syncReceiver.endpoint}  each dossier change as the national record, validated, in .local/${SYNC_RECORDS_FILE_NAME};
                  touch .local/${SYNC_OUTAGE_FILE_NAME} to take it down (503), rm it to bring it back; the backlog is retried every 5 s

Try it (jq makes the upload step easier):
  curl -s ${url}/procedures
  curl -s '${url}/procedures/${EXAMPLE_PROCEDURE_CODE}/appointment?at=2026-01-05T09:30:00%2B07:00'

  # upload the declaration (a presigned POST straight to the bucket), then submit the dossier
  printf '%%PDF-1.4 example' > to-khai.pdf
  UPLOAD=$(curl -s -X POST ${url}/uploads -H 'Content-Type: application/json' \\
    -d "{\\"fileName\\":\\"to-khai.pdf\\",\\"contentType\\":\\"application/pdf\\",\\"size\\":$(stat -c%s to-khai.pdf)}")
  curl -s $(echo "$UPLOAD" | jq -r '.fields | to_entries[] | "-F \\(.key)=\\(.value)"') -F file=@to-khai.pdf "$(echo "$UPLOAD" | jq -r .url)"
  # signed in as a citizen: the ID number, name and phone come from the ID token (npm run citizen-token -- --help)
  curl -s -X POST ${url}/dossiers -H 'Content-Type: application/json' -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" \\
    -H "Authorization: Bearer $(npm run -s citizen-token -- --id-number 001190012345 --name 'Nguyễn Thị Hoa' --phone 0912345678)" \\
    -d '{"procedureCode":"${EXAMPLE_PROCEDURE_CODE}","fullyOnline":true,
         "applicant":{"email":"hoa.nguyen@example.vn"},
         "formData":{"purpose":"Đăng ký kết hôn","maritalStatus":"Chưa kết hôn"},
         "attachments":[{"uploadId":"'"$(echo "$UPLOAD" | jq -r .uploadId)"'","documentId":"to-khai-xac-nhan-tthn"}]}'

  # the citizen's own dossiers, and prefill of a form from earlier ones ("khai một lần")
  curl -s -H "Authorization: Bearer $(npm run -s citizen-token -- --id-number 001190012345 --name 'Nguyễn Thị Hoa')" ${url}/me/dossiers
  curl -s -H "Authorization: Bearer $(npm run -s citizen-token -- --id-number 001190012345 --name 'Nguyễn Thị Hoa')" '${url}/me/prefill?procedureCode=${EXAMPLE_PROCEDURE_CODE}'

  # track it with the code from the answer
  curl -s ${url}/dossiers/<code>/status

  # its signed documents, checked against the archive (a browser gets the page behind each QR code)
  curl -s ${url}/verify/<code>
  curl -s ${url}/verify/public-key

  # the auditor's check of this ward's whole archive
  npm run audit -- verify --ward ${welcome.wardSlug} --local

  # officer routes, with an ID token of this ward's local pool (npm run officer-token -- --help):
  curl -s -H "Authorization: Bearer $(npm run -s officer-token -- --ward ${welcome.wardSlug} --role reception)" ${url}/officer/dossiers

Sign-in (OpenID Connect, authorization code with PKCE), the front end's settings at ${url}/config.json:
  citizens  ${url}/local-vneid/.well-known/openid-configuration  (stands in for VNeID; test citizens: ${TEST_CITIZENS.map((c) => `${c.fullName} ${c.idNumber}`).join(', ')})
  officers  ${url}${localOfficerProviderPath(welcome.wardSlug)}/.well-known/openid-configuration  (stands in for the ward's Cognito pool; ${TEST_OFFICERS.map((o) => `${o.username} / ${o.password}`).join(', ')})

Ctrl-C stops the ward (and DynamoDB Local's Java process).
`);
}

if (cityMode) {
  void import('./city-start');
} else {
  main().catch((error: unknown) => {
    console.error('The local ward could not start:', error);
    void shutDown(1);
  });
}
