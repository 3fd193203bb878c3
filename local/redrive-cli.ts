/**
 * `npm run redrive -- --ward <slug> [--region <r>] [--local] [--endpoint <url>]`
 *
 * Gives the notifications a ward's notifier gave up on (its retry queue's dead-letter queue, which
 * alarms) back to the retry queue, with an SQS message move task, and waits for the task to end.
 * The retry worker then delivers them; the notifier's ledger sends each SMS and alert at most once,
 * so a message redriven twice, or one whose delivery went out after all, sends nothing again.
 */
import { UsageError, wardOf } from './cli';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListMessageMoveTasksCommand, SQSClient, StartMessageMoveTaskCommand, type SQSClientConfig } from '@aws-sdk/client-sqs';
import type { WardConfig } from '../shared/domain/ward-config';
import { notificationQueueNames } from '../shared/runtime/notification-retries';
import { LOCAL_SQS_ENDPOINT_FILE_NAME, localSqsClientConfig } from './local-aws';

const PROJECT_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
const LOCAL_SQS_ENDPOINT_FILE = join(PROJECT_DIRECTORY, '.local', LOCAL_SQS_ENDPOINT_FILE_NAME);
const TASK_POLL_MS = 1_000;
const TASK_TIMEOUT_MS = 15 * 60_000;

const USAGE = `usage: npm run redrive -- --ward <slug> [--region <region>] [--local] [--endpoint <url>]

  --ward        the ward's slug, as in infra/config/wards.ts
  --region      the queues' region (default: the ward's, from its configuration)
  --local       the local ward (npm start), at the SQS endpoint it wrote to .local/sqs-endpoint
  --endpoint    an SQS endpoint (local/sqs-server.ts, say http://127.0.0.1:4576)

Moves every message of the ward's notification dead-letter queue (${notificationQueueNames('<slug>').deadLetters})
back to its retry queue, whose worker delivers them once. In AWS the SDK's usual credentials are
used: they need sqs:GetQueueUrl, sqs:GetQueueAttributes, sqs:StartMessageMoveTask,
sqs:ListMessageMoveTasks on the dead-letter queue, and sqs:ReceiveMessage, sqs:DeleteMessage on it
and sqs:SendMessage on the retry queue (SQS moves the messages with the caller's rights).
Exit status: 0 moved (or nothing to move), 2 usage error, 3 the move failed.`;

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values, positionals } = parseArguments();
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals.join(' ')}'`);
  if (values.ward === undefined) throw new UsageError('--ward is needed');
  const ward = wardOf(values.ward);
  const client = new SQSClient(await clientConfig(ward, values));
  try {
    const names = notificationQueueNames(ward.slug);
    const [deadLetters, retries] = await Promise.all([queueOf(client, names.deadLetters), queueOf(client, names.retries)]);
    if (deadLetters.visible === 0) {
      console.log(`${ward.slug}: ${names.deadLetters} holds no notification to redrive.`);
      return 0;
    }
    const { TaskHandle: handle } = await client.send(new StartMessageMoveTaskCommand({ SourceArn: deadLetters.arn, DestinationArn: retries.arn }));
    console.log(`${ward.slug}: moving ${deadLetters.visible} notification(s) from ${names.deadLetters} back to ${names.retries}…`);
    const task = await awaitTask(client, deadLetters.arn, handle ?? '');
    if (task.Status !== 'COMPLETED') {
      console.error(`${ward.slug}: the move task ended ${task.Status ?? 'in an unknown state'}${task.FailureReason ? `: ${task.FailureReason}` : ''}`);
      return 3;
    }
    console.log(`${ward.slug}: ${task.ApproximateNumberOfMessagesMoved ?? 0} notification(s) moved; the retry worker delivers them now, each at most once.`);
    return 0;
  } finally {
    client.destroy();
  }
}

async function clientConfig(ward: WardConfig, values: { region?: string; local?: boolean; endpoint?: string }): Promise<SQSClientConfig> {
  if (values.endpoint !== undefined) return localSqsClientConfig(endpointOf(values.endpoint));
  if (values.local) {
    const written = await readFile(LOCAL_SQS_ENDPOINT_FILE, 'utf8').catch(() => undefined);
    if (written === undefined) throw new UsageError(`${LOCAL_SQS_ENDPOINT_FILE} does not exist: is the local ward running (npm start)? Or give --endpoint`);
    return localSqsClientConfig(endpointOf(written.trim()));
  }
  return { region: values.region ?? ward.env.region };
}

async function queueOf(client: SQSClient, name: string): Promise<{ arn: string; visible: number }> {
  const { QueueUrl: url } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
  const { Attributes: attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages'] }));
  if (attributes?.QueueArn === undefined) throw new Error(`${name} has no ARN`);
  return { arn: attributes.QueueArn, visible: Number(attributes.ApproximateNumberOfMessages ?? 0) };
}

/** The move task's last state, once it is no longer running. */
async function awaitTask(client: SQSClient, sourceArn: string, handle: string) {
  const deadline = Date.now() + TASK_TIMEOUT_MS;
  for (;;) {
    const { Results: results = [] } = await client.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 10 }));
    const task = results.find((candidate) => candidate.TaskHandle === handle) ?? results[0];
    if (task !== undefined && task.Status !== 'RUNNING' && task.Status !== 'CANCELLING') return task;
    if (Date.now() > deadline) throw new Error(`the move task ${handle} still runs after ${TASK_TIMEOUT_MS / 60_000} minutes; see ListMessageMoveTasks`);
    await sleep(TASK_POLL_MS);
  }
}

function endpointOf(text: string): string {
  try {
    return new URL(text).origin;
  } catch {
    throw new UsageError(`--endpoint must be a URL, not '${text}'`);
  }
}

function parseArguments() {
  try {
    return parseArgs({
      options: {
        ward: { type: 'string' },
        region: { type: 'string' },
        local: { type: 'boolean', default: false },
        endpoint: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error('The redrive could not run:', error instanceof Error ? error.message : error);
      process.exitCode = 3;
    }
  },
);
