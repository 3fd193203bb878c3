import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { LOCAL_AWS_REGION } from './local-aws';

/** A queue consumer's Lambda handler, as `functions/<handler>.ts` exports it. */
export type QueueBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface QueuePollerOptions {
  /** Configuration of an SQS client for local/sqs-server.ts. */
  readonly clientConfig: { readonly endpoint: string; readonly region: string; readonly credentials: { accessKeyId: string; secretAccessKey: string } };
  readonly queueUrl: string;
  /** The consumer: its function id (for the Lambda context) and its entry under `functions/`, without extension. */
  readonly consumer: { readonly id: string; readonly handler: string };
  /** Runs instead of the consumer's module (tests). */
  readonly handlerOverride?: QueueBatchHandler;
  readonly batchSize: number;
  readonly pollIntervalMs?: number;
  /** How long the consumer may run (its Lambda context's deadline). */
  readonly functionTimeoutMs?: number;
  /** Poller errors; defaults to stderr. */
  readonly log?: (line: string) => void;
}

export interface QueuePoller {
  /**
   * Resolves once the queue holds no message that is visible now: after a receive that started
   * after the call and found none (delayed and postponed messages wait for their time).
   */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const PROJECT_FUNCTIONS_DIRECTORY = join(fileURLToPath(new URL('..', import.meta.url)), 'functions');
const DEFAULT_POLL_INTERVAL_MS = 500;
const DEFAULT_FUNCTION_TIMEOUT_MS = 60_000;
const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

/**
 * Local mode's SQS event source mapping: receives the queue's messages in batches, hands them to
 * the consumer's real handler module as the `SQSEvent` Lambda would send, and deletes those it
 * did not report as batch item failures (all stay when it throws). The failed ones come back when
 * their visibility ends, as the consumer set it or as the queue's timeout has it, and the queue's
 * redrive policy dead-letters them after their last delivery, as in AWS.
 */
export async function startQueuePoller(options: QueuePollerOptions): Promise<QueuePoller> {
  const client = new SQSClient(options.clientConfig);
  const log = options.log ?? ((line: string) => console.error(line));
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const { Attributes: attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: options.queueUrl, AttributeNames: ['QueueArn'] }));
  const queueArn = attributes?.QueueArn ?? '';
  let handler: Promise<QueueBatchHandler> | undefined;
  const loadHandler = (): Promise<QueueBatchHandler> => {
    if (options.handlerOverride !== undefined) return Promise.resolve(options.handlerOverride);
    handler ??= importHandler(options.consumer.handler).catch((error: unknown) => {
      handler = undefined;
      throw error;
    });
    return handler;
  };

  let stopped = false;
  let round = 0;
  let wake: (() => void) | undefined;
  const drainWaiters: { afterRound: number; resolve: () => void; reject: (error: Error) => void }[] = [];

  async function pollOnce(): Promise<number> {
    const { Messages: messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: options.batchSize,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp', 'ApproximateFirstReceiveTimestamp'],
      }),
    );
    if (messages.length === 0) return 0;
    const records = messages.map((message) => sqsRecord(message, queueArn));
    let failed: Set<string>;
    try {
      const response = await (await loadHandler())({ Records: records }, lambdaContext(options.consumer.id, options.functionTimeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS));
      failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      log(`queue: ${options.consumer.id} failed a batch of ${records.length}: ${error instanceof Error ? error.message : String(error)}`);
      failed = new Set(records.map((record) => record.messageId));
    }
    for (const record of records) {
      if (!failed.has(record.messageId)) await client.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: record.receiptHandle }));
    }
    return messages.length;
  }

  const loop = (async () => {
    let consecutiveErrors = 0;
    while (!stopped) {
      round += 1;
      const thisRound = round;
      let received = 0;
      let failed = false;
      try {
        received = await pollOnce();
        consecutiveErrors = 0;
      } catch (error) {
        failed = true;
        consecutiveErrors += 1;
        if (consecutiveErrors === 1) log(`queue: polling ${options.queueUrl} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!failed && received === 0) {
        for (const waiter of drainWaiters.filter((w) => w.afterRound < thisRound)) {
          drainWaiters.splice(drainWaiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
      if (received === 0 && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, failed ? Math.min(pollIntervalMs * 2 ** consecutiveErrors, 10_000) : pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
    for (const waiter of drainWaiters.splice(0)) waiter.reject(new Error('the queue poller stopped'));
  })();

  let stopping: Promise<void> | undefined;
  return {
    drain(timeoutMs = DEFAULT_DRAIN_TIMEOUT_MS) {
      if (stopped) return Promise.reject(new Error('the queue poller is stopped'));
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${options.queueUrl} did not drain within ${timeoutMs} ms`)), timeoutMs);
        drainWaiters.push({
          afterRound: round,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        wake?.();
      });
    },
    stop: () =>
      (stopping ??= (async () => {
        stopped = true;
        wake?.();
        await loop;
        client.destroy();
      })()),
  };
}

/** A received message as Lambda's SQS event source delivers it. */
function sqsRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? '',
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? '',
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_AWS_REGION,
  };
}

function lambdaContext(functionName: string, timeoutMs: number): Context {
  const requestId = randomUUID();
  const deadline = Date.now() + timeoutMs;
  const unsupported = (name: string) => (): never => {
    throw new Error(`context.${name}() is not supported: return a result from the async handler`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_AWS_REGION}:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${requestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}

async function importHandler(handlerPath: string): Promise<QueueBatchHandler> {
  const handlerModule: unknown = await import(pathToFileURL(join(PROJECT_FUNCTIONS_DIRECTORY, `${handlerPath}.ts`)).href);
  const handler: unknown = typeof handlerModule === 'object' && handlerModule !== null && 'handler' in handlerModule ? handlerModule.handler : undefined;
  if (typeof handler !== 'function') throw new Error(`functions/${handlerPath}.ts does not export a handler function`);
  return handler as QueueBatchHandler;
}
