/**
 * Local mode's SQS: a small server on 127.0.0.1 that speaks the SQS API as the AWS SDK v3 sends
 * it (the AWS JSON 1.0 protocol: `POST /` with `X-Amz-Target: AmazonSQS.<Operation>`), so the
 * notifier and its retry worker make the very SDK calls they make in AWS (AWS_ENDPOINT_URL_SQS
 * points them here). No npm package provides an SQS server in Node.js; this one implements the
 * operations the ward uses, with SQS's semantics where they matter:
 *
 * - messages with a delay (DelaySeconds ≤ 15 min) and a visibility timeout (≤ 12 h) after each
 *   receive, changed by ChangeMessageVisibility while the message is in flight;
 * - a queue's redrive policy: a message received `maxReceiveCount` times and then offered once more
 *   is moved to the dead-letter queue instead;
 * - StartMessageMoveTask: the messages of a dead-letter queue moved back (to their source queue
 *   by default), done at once, and ListMessageMoveTasks to read the task's outcome;
 * - retention: a message older than the queue's MessageRetentionPeriod is dropped;
 * - MD5 digests of the bodies, which the SDK checks.
 *
 * `now` is the server's clock: tests pass one they move forward (two hours of retries in a
 * second), `npm start` the real one. With `stateFile`, queues and messages are written there after
 * every change and read back at start, so queued retries survive a restart of the local ward.
 * ReceiveMessage answers at once (short polling), whatever WaitTimeSeconds says.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { LOOPBACK_HOST } from './free-port';
import { LOCAL_AWS_REGION } from './local-aws';

/** The made-up account of local mode's ARNs and queue URLs. */
export const LOCAL_SQS_ACCOUNT_ID = '123456789012';

const MAX_DELAY_SECONDS = 15 * 60;
const MAX_VISIBILITY_SECONDS = 12 * 3600;
const MAX_BODY_BYTES = 256 * 1024;
const DEFAULTS = { VisibilityTimeout: 30, MessageRetentionPeriod: 4 * 24 * 3600, DelaySeconds: 0 } as const;

export interface StartLocalSqsServerOptions {
  /** Port to listen on; by default a free one. */
  readonly port?: number;
  /** Where queues and messages are kept between runs (`.local/sqs.json` under `npm start`); in memory without it. */
  readonly stateFile?: string;
  /** The server's clock, in milliseconds since the epoch; `Date.now` by default. */
  readonly now?: () => number;
}

export interface LocalSqsServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

interface StoredMessage {
  id: string;
  body: string;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  receiptHandle?: string;
  /** The queue a dead-lettered message came from (where a move task sends it back by default). */
  deadLetteredFrom?: string;
}

interface StoredQueue {
  name: string;
  createdAt: number;
  attributes: { VisibilityTimeout: number; MessageRetentionPeriod: number; DelaySeconds: number; RedrivePolicy?: string };
  messages: StoredMessage[];
}

interface MoveTask {
  TaskHandle: string;
  Status: 'COMPLETED';
  SourceArn: string;
  DestinationArn?: string;
  ApproximateNumberOfMessagesMoved: number;
  ApproximateNumberOfMessagesToMove: number;
  StartedTimestamp: number;
}

interface State {
  queues: Record<string, StoredQueue>;
  moveTasks: MoveTask[];
}

/** An error as SQS answers it: the SDK turns `__type` into its exception class (QueueDoesNotExist…). */
class SqsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export async function startLocalSqsServer(options: StartLocalSqsServerOptions = {}): Promise<LocalSqsServer> {
  const now = options.now ?? Date.now;
  const state = await readState(options.stateFile);
  let saving: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    const file = options.stateFile;
    if (file === undefined) return Promise.resolve();
    const snapshot = `${JSON.stringify(state)}\n`;
    // One write after the other, each aside and renamed over: a crash never leaves half a file.
    saving = saving.then(() => writeState(file, snapshot)).catch((error: unknown) => console.error('local SQS: could not save its state', error));
    return saving;
  };
  const arnOf = (name: string) => `arn:aws:sqs:${LOCAL_AWS_REGION}:${LOCAL_SQS_ACCOUNT_ID}:${name}`;
  let endpoint = '';
  const urlOf = (name: string) => `${endpoint}/${LOCAL_SQS_ACCOUNT_ID}/${name}`;

  const queueOf = (url: unknown): StoredQueue => {
    if (typeof url !== 'string' || url === '') throw new SqsError('InvalidAddress', 'QueueUrl is required');
    const name = url.split('/').at(-1) ?? '';
    const queue = state.queues[name];
    if (queue === undefined) throw new SqsError('QueueDoesNotExist', `The specified queue does not exist: ${url}`);
    return queue;
  };
  const queueByArn = (arn: unknown): StoredQueue => {
    const queue = typeof arn === 'string' ? state.queues[arn.split(':').at(-1) ?? ''] : undefined;
    if (queue === undefined || arn !== arnOf(queue.name)) throw new SqsError('ResourceNotFoundException', `no queue ${String(arn)}`);
    return queue;
  };
  const redriveOf = (queue: StoredQueue): { target: StoredQueue; maxReceiveCount: number } | undefined => {
    if (queue.attributes.RedrivePolicy === undefined) return undefined;
    const policy = JSON.parse(queue.attributes.RedrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number | string };
    return { target: queueByArn(policy.deadLetterTargetArn), maxReceiveCount: Number(policy.maxReceiveCount) };
  };
  /** Drops what outlived the queue's retention. */
  const expire = (queue: StoredQueue) => {
    const oldest = now() - queue.attributes.MessageRetentionPeriod * 1000;
    queue.messages = queue.messages.filter((message) => message.sentAt > oldest);
  };
  const enqueue = (queue: StoredQueue, body: string, delaySeconds: number, extra: Partial<StoredMessage> = {}): StoredMessage => {
    const message: StoredMessage = { id: randomUUID(), body, sentAt: now(), visibleAt: now() + delaySeconds * 1000, receiveCount: 0, ...extra };
    queue.messages.push(message);
    return message;
  };

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    CreateQueue(input) {
      const name = input.QueueName;
      if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new SqsError('InvalidParameterValue', `invalid queue name ${String(name)}`);
      const attributes = queueAttributes(input.Attributes);
      const existing = state.queues[name];
      if (existing !== undefined) {
        if (JSON.stringify(existing.attributes) !== JSON.stringify(attributes)) throw new SqsError('QueueNameExists', `queue ${name} exists with other attributes`);
      } else {
        if (attributes.RedrivePolicy !== undefined) queueByArn((JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn);
        state.queues[name] = { name, createdAt: now(), attributes, messages: [] };
      }
      return { QueueUrl: urlOf(name) };
    },
    GetQueueUrl(input) {
      const name = typeof input.QueueName === 'string' ? input.QueueName : '';
      if (state.queues[name] === undefined) throw new SqsError('QueueDoesNotExist', `The specified queue does not exist: ${name}`);
      return { QueueUrl: urlOf(name) };
    },
    ListQueues(input) {
      const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
      return {
        QueueUrls: Object.keys(state.queues)
          .filter((name) => name.startsWith(prefix))
          .map(urlOf),
      };
    },
    GetQueueAttributes(input) {
      const queue = queueOf(input.QueueUrl);
      expire(queue);
      const at = now();
      const all: Record<string, string> = {
        QueueArn: arnOf(queue.name),
        ApproximateNumberOfMessages: String(queue.messages.filter((m) => m.visibleAt <= at).length),
        ApproximateNumberOfMessagesNotVisible: String(queue.messages.filter((m) => m.visibleAt > at && m.receiveCount > 0).length),
        ApproximateNumberOfMessagesDelayed: String(queue.messages.filter((m) => m.visibleAt > at && m.receiveCount === 0).length),
        CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
        VisibilityTimeout: String(queue.attributes.VisibilityTimeout),
        MessageRetentionPeriod: String(queue.attributes.MessageRetentionPeriod),
        DelaySeconds: String(queue.attributes.DelaySeconds),
        ...(queue.attributes.RedrivePolicy ? { RedrivePolicy: queue.attributes.RedrivePolicy } : {}),
      };
      const names = Array.isArray(input.AttributeNames) ? (input.AttributeNames as string[]) : [];
      return { Attributes: names.includes('All') ? all : Object.fromEntries(Object.entries(all).filter(([name]) => names.includes(name))) };
    },
    SendMessage(input) {
      const queue = queueOf(input.QueueUrl);
      const body = input.MessageBody;
      if (typeof body !== 'string' || body === '') throw new SqsError('MissingParameter', 'MessageBody is required');
      if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw new SqsError('InvalidParameterValue', `a message is at most ${MAX_BODY_BYTES} bytes`);
      const delay = integerIn(input.DelaySeconds ?? queue.attributes.DelaySeconds, 0, MAX_DELAY_SECONDS, 'DelaySeconds');
      const message = enqueue(queue, body, delay);
      return { MessageId: message.id, MD5OfMessageBody: md5(body) };
    },
    ReceiveMessage(input) {
      const queue = queueOf(input.QueueUrl);
      expire(queue);
      const max = integerIn(input.MaxNumberOfMessages ?? 1, 1, 10, 'MaxNumberOfMessages');
      const visibility = integerIn(input.VisibilityTimeout ?? queue.attributes.VisibilityTimeout, 0, MAX_VISIBILITY_SECONDS, 'VisibilityTimeout');
      const redrive = redriveOf(queue);
      const at = now();
      const received: StoredMessage[] = [];
      for (const message of queue.messages.filter((m) => m.visibleAt <= at)) {
        if (received.length >= max) break;
        if (redrive !== undefined && message.receiveCount >= redrive.maxReceiveCount) {
          // Offered once more than the policy allows: to the dead-letter queue, keeping its id and first sending time.
          queue.messages.splice(queue.messages.indexOf(message), 1);
          redrive.target.messages.push({ id: message.id, body: message.body, sentAt: message.sentAt, visibleAt: at, receiveCount: 0, deadLetteredFrom: queue.name });
          continue;
        }
        message.receiveCount += 1;
        message.firstReceivedAt ??= at;
        message.receiptHandle = `${message.id}.${randomUUID()}`;
        message.visibleAt = at + visibility * 1000;
        received.push(message);
      }
      return {
        Messages: received.map((message) => ({
          MessageId: message.id,
          ReceiptHandle: message.receiptHandle,
          MD5OfBody: md5(message.body),
          Body: message.body,
          Attributes: {
            ApproximateReceiveCount: String(message.receiveCount),
            SentTimestamp: String(message.sentAt),
            ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? at),
          },
        })),
      };
    },
    DeleteMessage(input) {
      const queue = queueOf(input.QueueUrl);
      const handle = receiptHandleOf(input.ReceiptHandle);
      // A stale handle (the message was received again since) deletes nothing, and is no error, as in SQS.
      queue.messages = queue.messages.filter((message) => message.receiptHandle !== handle);
      return {};
    },
    ChangeMessageVisibility(input) {
      const queue = queueOf(input.QueueUrl);
      const handle = receiptHandleOf(input.ReceiptHandle);
      const timeout = integerIn(input.VisibilityTimeout, 0, MAX_VISIBILITY_SECONDS, 'VisibilityTimeout');
      const message = queue.messages.find((candidate) => candidate.receiptHandle === handle);
      if (message === undefined || message.visibleAt <= now()) throw new SqsError('MessageNotInflight', 'The message referred to is not in flight.');
      message.visibleAt = now() + timeout * 1000;
      return {};
    },
    PurgeQueue(input) {
      queueOf(input.QueueUrl).messages = [];
      return {};
    },
    StartMessageMoveTask(input) {
      const source = queueByArn(input.SourceArn);
      const isDeadLetterQueue = Object.values(state.queues).some((queue) => redriveOf(queue)?.target === source);
      if (!isDeadLetterQueue) throw new SqsError('InvalidParameterValue', `${String(input.SourceArn)} is no dead-letter queue of any queue`);
      const destination = input.DestinationArn === undefined ? undefined : queueByArn(input.DestinationArn);
      const at = now();
      const movable = source.messages.filter((message) => message.visibleAt <= at);
      for (const message of movable) {
        const target = destination ?? (message.deadLetteredFrom === undefined ? undefined : state.queues[message.deadLetteredFrom]);
        if (target === undefined) throw new SqsError('InvalidParameterValue', `message ${message.id} has no source queue: give DestinationArn`);
        source.messages.splice(source.messages.indexOf(message), 1);
        enqueue(target, message.body, target.attributes.DelaySeconds);
      }
      const task: MoveTask = {
        TaskHandle: randomUUID(),
        Status: 'COMPLETED',
        SourceArn: arnOf(source.name),
        ...(destination ? { DestinationArn: arnOf(destination.name) } : {}),
        ApproximateNumberOfMessagesMoved: movable.length,
        ApproximateNumberOfMessagesToMove: movable.length,
        StartedTimestamp: at,
      };
      state.moveTasks.push(task);
      return { TaskHandle: task.TaskHandle };
    },
    ListMessageMoveTasks(input) {
      const source = queueByArn(input.SourceArn);
      const max = integerIn(input.MaxResults ?? 1, 1, 10, 'MaxResults');
      return {
        Results: state.moveTasks
          .filter((task) => task.SourceArn === arnOf(source.name))
          .reverse()
          .slice(0, max),
      };
    },
  };
  const readOnly = new Set(['GetQueueUrl', 'ListQueues', 'GetQueueAttributes', 'ListMessageMoveTasks']);

  const server = createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      console.error('local SQS failed', error);
      if (!response.headersSent) writeJson(response, 500, { __type: 'InternalFailure', message: 'local failure' });
    });
  });
  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : '';
    const body = await readBody(request);
    const answer = request.method === 'POST' ? operations[operation] : undefined;
    if (answer === undefined) {
      writeJson(response, 400, {
        __type: 'com.amazonaws.sqs#UnsupportedOperation',
        message: `local SQS does not implement ${operation || `${request.method ?? ''} without X-Amz-Target`}`,
      });
      return;
    }
    let input: Record<string, unknown>;
    try {
      const parsed: unknown = body === '' ? {} : JSON.parse(body);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      input = parsed as Record<string, unknown>;
    } catch {
      writeJson(response, 400, { __type: 'com.amazonaws.sqs#InvalidParameterValue', message: 'the request body is not a JSON object' });
      return;
    }
    try {
      const output = answer(input);
      if (!readOnly.has(operation)) await save();
      writeJson(response, 200, output);
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      writeJson(response, error.status, { __type: `com.amazonaws.sqs#${error.type}`, message: error.message });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK_HOST, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('local SQS has no TCP address');
  endpoint = `http://${LOOPBACK_HOST}:${address.port}`;
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    port: address.port,
    stop: () =>
      (stopping ??= (async () => {
        await closeServer(server);
        await saving;
      })()),
  };
}

function queueAttributes(value: unknown): StoredQueue['attributes'] {
  const given = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const attributes: StoredQueue['attributes'] = {
    VisibilityTimeout: integerIn(given.VisibilityTimeout ?? DEFAULTS.VisibilityTimeout, 0, MAX_VISIBILITY_SECONDS, 'VisibilityTimeout'),
    MessageRetentionPeriod: integerIn(given.MessageRetentionPeriod ?? DEFAULTS.MessageRetentionPeriod, 60, 14 * 24 * 3600, 'MessageRetentionPeriod'),
    DelaySeconds: integerIn(given.DelaySeconds ?? DEFAULTS.DelaySeconds, 0, MAX_DELAY_SECONDS, 'DelaySeconds'),
  };
  if (given.RedrivePolicy !== undefined) {
    if (typeof given.RedrivePolicy !== 'string') throw new SqsError('InvalidAttributeValue', 'RedrivePolicy is a JSON string');
    let policy: { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
    try {
      policy = JSON.parse(given.RedrivePolicy) as typeof policy;
    } catch {
      throw new SqsError('InvalidAttributeValue', 'RedrivePolicy is not JSON');
    }
    if (typeof policy.deadLetterTargetArn !== 'string') throw new SqsError('InvalidAttributeValue', 'RedrivePolicy needs deadLetterTargetArn');
    integerIn(policy.maxReceiveCount, 1, 1000, 'maxReceiveCount');
    attributes.RedrivePolicy = given.RedrivePolicy;
  }
  return attributes;
}

/** An integer parameter (SQS takes them as numbers or numeric strings) within SQS's bounds. */
function integerIn(value: unknown, min: number, max: number, name: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new SqsError('InvalidParameterValue', `${name} must be an integer from ${min} to ${max}, not ${JSON.stringify(value)}`);
  }
  return number;
}

function receiptHandleOf(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new SqsError('ReceiptHandleIsInvalid', 'ReceiptHandle is required');
  return value;
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function writeJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': randomUUID() });
  response.end(text);
}

async function readState(file: string | undefined): Promise<State> {
  if (file === undefined) return { queues: {}, moveTasks: [] };
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as Partial<State>;
    return { queues: saved.queues ?? {}, moveTasks: saved.moveTasks ?? [] };
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return { queues: {}, moveTasks: [] };
    throw error;
  }
}

async function writeState(file: string, snapshot: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, snapshot, 'utf8');
  await rename(temporary, file);
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
