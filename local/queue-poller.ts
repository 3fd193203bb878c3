import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { localLambdaContext } from './lambda-event';
import { LOCAL_AWS_REGION } from './local-aws';
import { startPollingLoop } from './polling-loop';

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
      const response = await (
        await loadHandler()
      )({ Records: records }, localLambdaContext({ functionName: options.consumer.id, deadline: Date.now() + (options.functionTimeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS) }));
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

  return startPollingLoop({ name: 'queue', source: options.queueUrl, pollRound: pollOnce, pollIntervalMs, log, onStop: () => client.destroy() });
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

async function importHandler(handlerPath: string): Promise<QueueBatchHandler> {
  const handlerModule: unknown = await import(pathToFileURL(join(PROJECT_FUNCTIONS_DIRECTORY, `${handlerPath}.ts`)).href);
  const handler: unknown = typeof handlerModule === 'object' && handlerModule !== null && 'handler' in handlerModule ? handlerModule.handler : undefined;
  if (typeof handler !== 'function') throw new Error(`functions/${handlerPath}.ts does not export a handler function`);
  return handler as QueueBatchHandler;
}
