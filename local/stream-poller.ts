import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type AttributeValue as SdkAttributeValue,
  type Shard,
  type _Record as SdkRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { STREAM_CONSUMERS, type StreamConsumer } from '../shared/runtime/consumers';
import { consumerFilterPattern, matchesFilterPattern, STREAM_DELIVERY } from '../shared/runtime/stream';
import { localLambdaContext } from './lambda-event';
import { LOCAL_AWS_REGION } from './local-aws';
import { startPollingLoop } from './polling-loop';

/** A stream consumer's Lambda handler, as `functions/<handler>.ts` exports it. */
export type StreamBatchHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

export interface StreamPollerOptions {
  /** Configuration of a DynamoDB (and DynamoDB Streams) client for DynamoDB Local. */
  readonly clientConfig: { readonly endpoint: string; readonly region: string; readonly credentials: { accessKeyId: string; secretAccessKey: string } };
  readonly tableName: string;
  /** Defaults to STREAM_CONSUMERS. */
  readonly consumers?: readonly StreamConsumer[];
  /** Where `consumer.handler` modules live; defaults to the project's `functions/`. */
  readonly functionsDirectory?: string;
  /** Handlers to run instead of a consumer's module, by consumer id (tests inject faults with it). */
  readonly handlers?: Readonly<Record<string, StreamBatchHandler>>;
  /**
   * Remembers, per shard, the last record dispatched, so that a restart resumes there (local data
   * persists between runs). Without it (tests) every shard is read from its oldest record.
   */
  readonly checkpointFile?: string;
  /** Records that still failed after the retries, one JSON line each (the local dead-letter queue). */
  readonly deadLetterFile: string;
  readonly pollIntervalMs?: number;
  /** First wait between two attempts of failed records; doubled each time. */
  readonly retryDelayMs?: number;
  /** How long a consumer may run (its Lambda context's deadline). */
  readonly functionTimeoutMs?: number;
  /** Failures, dead letters, poller errors; defaults to stderr. */
  readonly log?: (line: string) => void;
}

export interface StreamPoller {
  /**
   * Resolves once every record written to the table before the call has been delivered to its
   * consumers (retried, or dead-lettered): after a whole polling round that started after the
   * call and found nothing new.
   */
  drain(timeoutMs?: number): Promise<void>;
  /** Finishes the batch under way, stops polling and closes the clients. */
  stop(): Promise<void>;
}

/** One line of the local dead-letter file. */
export interface DeadLetter {
  readonly consumer: string;
  readonly failedAt: string;
  readonly attempts: number;
  readonly error?: string;
  readonly record: DynamoDBRecord;
}

const PROJECT_FUNCTIONS_DIRECTORY = join(fileURLToPath(new URL('..', import.meta.url)), 'functions');
const DEFAULT_POLL_INTERVAL_MS = 500;
const DEFAULT_RETRY_DELAY_MS = 100;
const DEFAULT_FUNCTION_TIMEOUT_MS = 60_000;
/** Records read per GetRecords call; they are then handed to each consumer in batches of STREAM_DELIVERY.batchSize. */
const RECORDS_PER_READ = 100;

interface ShardState {
  /** The last record dispatched; undefined when none yet. */
  sequenceNumber?: string;
  /** Read to its end (a closed shard): its children may be read. */
  finished?: boolean;
}

interface Checkpoint {
  streamArn: string;
  shards: Record<string, ShardState>;
}

/**
 * Local mode's Lambda event source mappings: polls DynamoDB Local's stream of the table and hands
 * each record to every consumer of STREAM_CONSUMERS whose filter (the very pattern the stack
 * deploys, see `consumerFilterPattern`) it matches, as the `DynamoDBStreamEvent` Lambda would
 * send, in batches of STREAM_DELIVERY.batchSize, to the consumer's real handler module.
 *
 * - Shards: listed again each round; a child shard is read once its parent is finished (read to
 *   its end), so the records of one item stay in order across a shard split.
 * - Where to start: from the checkpoint file if there is one (the last record dispatched per
 *   shard, written after each batch), else from the oldest record (TRIM_HORIZON). Nothing written
 *   while the ward was stopped is lost, and what is replayed (a record dispatched but not yet
 *   checkpointed when the ward stopped, or the stream's last 24 hours when the checkpoint is new)
 *   changes nothing: the consumers are idempotent on the event id. Starting from LATEST would be
 *   simpler and would lose the events written while stopped.
 * - Failures: the records a handler reports as batch item failures (or all of them, when it
 *   throws) are retried up to STREAM_DELIVERY.retryAttempts times with a doubling delay, then
 *   appended to the dead-letter file. Unlike Lambda, which retries from the first failed record
 *   on, only the failed records are retried (the same result, for idempotent consumers).
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const consumers = (options.consumers ?? STREAM_CONSUMERS).map((consumer) => ({ consumer, pattern: consumerFilterPattern(consumer) }));
  const log = options.log ?? ((line: string) => console.error(line));
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const loadHandler = createHandlerLoader(options.functionsDirectory ?? PROJECT_FUNCTIONS_DIRECTORY, options.handlers ?? {});

  const streamArn = await latestStreamArn(options.clientConfig, options.tableName);
  const streams = new DynamoDBStreamsClient(options.clientConfig);
  const checkpoint = await readCheckpoint(options.checkpointFile, streamArn);
  const iterators = new Map<string, string>();

  async function pollRound(): Promise<number> {
    const shards = await listShards(streams, streamArn);
    const known = new Set(shards.map((shard) => shard.ShardId));
    let delivered = 0;
    for (const shard of shards) {
      const shardId = shard.ShardId ?? '';
      const state = (checkpoint.shards[shardId] ??= {});
      if (state.finished) continue;
      // A child waits until its parent is read to the end (unless the parent aged out of the stream).
      const parent = shard.ParentShardId;
      if (parent !== undefined && known.has(parent) && checkpoint.shards[parent]?.finished !== true) continue;
      delivered += await readShard(shardId, state);
    }
    return delivered;
  }

  async function readShard(shardId: string, state: ShardState): Promise<number> {
    let iterator = iterators.get(shardId) ?? (await shardIterator(shardId, state));
    let page;
    try {
      page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: RECORDS_PER_READ }));
    } catch (error) {
      if (!(error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException)) throw error;
      // Iterators last 15 minutes; trimmed records are gone: start again from the checkpoint.
      iterator = await shardIterator(shardId, error instanceof TrimmedDataAccessException ? {} : state);
      page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: RECORDS_PER_READ }));
    }
    const records = (page.Records ?? []).map((record) => lambdaRecord(record, streamArn));
    if (records.length > 0) {
      await dispatch(records);
      state.sequenceNumber = records.at(-1)?.dynamodb?.SequenceNumber ?? state.sequenceNumber;
    }
    if (page.NextShardIterator === undefined) {
      state.finished = true;
      iterators.delete(shardId);
    } else {
      iterators.set(shardId, page.NextShardIterator);
    }
    if (records.length > 0 || state.finished) await writeCheckpoint(options.checkpointFile, checkpoint);
    return records.length;
  }

  async function shardIterator(shardId: string, state: ShardState): Promise<string> {
    const result = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(state.sequenceNumber === undefined ? { ShardIteratorType: 'TRIM_HORIZON' } : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: state.sequenceNumber }),
      }),
    );
    if (result.ShardIterator === undefined) throw new Error(`no iterator for shard ${shardId}`);
    return result.ShardIterator;
  }

  /** Every consumer gets its matching records, in order, in batches; the consumers run side by side, as their event source mappings do. */
  async function dispatch(records: readonly DynamoDBRecord[]): Promise<void> {
    await Promise.all(
      consumers.map(async ({ consumer, pattern }) => {
        const matching = records.filter((record) => matchesFilterPattern(pattern, record));
        for (let start = 0; start < matching.length; start += STREAM_DELIVERY.batchSize) {
          await deliver(consumer, matching.slice(start, start + STREAM_DELIVERY.batchSize));
        }
      }),
    );
  }

  async function deliver(consumer: StreamConsumer, batch: readonly DynamoDBRecord[]): Promise<void> {
    let pending = [...batch];
    let lastError: string | undefined;
    const attempts = 1 + STREAM_DELIVERY.retryAttempts;
    for (let attempt = 1; attempt <= attempts && pending.length > 0; attempt += 1) {
      if (attempt > 1) await sleep((options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS) * 2 ** (attempt - 2));
      try {
        const handler = await loadHandler(consumer);
        const response = await handler(
          { Records: pending },
          localLambdaContext({ functionName: consumer.id, deadline: Date.now() + (options.functionTimeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS) }),
        );
        const failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
        pending = pending.filter((record) => failed.has(record.dynamodb?.SequenceNumber ?? ''));
        lastError = pending.length > 0 ? 'reported as a batch item failure' : undefined;
      } catch (error) {
        lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (pending.length > 0 && attempt < attempts) log(`stream: ${consumer.id} failed ${pending.length} record(s) (attempt ${attempt} of ${attempts}): ${lastError ?? ''}`);
    }
    if (pending.length === 0) return;
    const failedAt = new Date().toISOString();
    const lines = pending.map((record) => JSON.stringify({ consumer: consumer.id, failedAt, attempts, ...(lastError ? { error: lastError } : {}), record } satisfies DeadLetter));
    await mkdir(dirname(options.deadLetterFile), { recursive: true });
    await appendFile(options.deadLetterFile, `${lines.join('\n')}\n`, 'utf8');
    log(`stream: ${consumer.id} gave up on ${pending.length} record(s) after ${attempts} attempts; see ${options.deadLetterFile}`);
  }

  return startPollingLoop({ name: 'stream', source: `the stream of ${options.tableName}`, pollRound: pollRound, pollIntervalMs, log, onStop: () => streams.destroy() });
}

async function latestStreamArn(clientConfig: StreamPollerOptions['clientConfig'], tableName: string): Promise<string> {
  const dynamodb = new DynamoDBClient(clientConfig);
  try {
    const { Table: table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    const arn = table?.StreamSpecification?.StreamEnabled === true ? table.LatestStreamArn : undefined;
    if (arn === undefined) throw new Error(`table ${tableName} has no stream`);
    return arn;
  } finally {
    dynamodb.destroy();
  }
}

async function listShards(streams: DynamoDBStreamsClient, streamArn: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let exclusiveStartShardId: string | undefined;
  do {
    const page = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }));
    shards.push(...(page.StreamDescription?.Shards ?? []));
    exclusiveStartShardId = page.StreamDescription?.LastEvaluatedShardId;
  } while (exclusiveStartShardId !== undefined);
  return shards;
}

/** A record of the DynamoDB Streams API as Lambda delivers it: its ARN added, the creation time in epoch seconds, binary values in base64. */
function lambdaRecord(record: SdkRecord, streamArn: string): DynamoDBRecord {
  const stream = record.dynamodb ?? {};
  const image = (attributes: Record<string, SdkAttributeValue> | undefined) =>
    attributes === undefined ? undefined : Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, lambdaValue(value)]));
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource ?? 'aws:dynamodb',
    awsRegion: record.awsRegion ?? LOCAL_AWS_REGION,
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: stream.ApproximateCreationDateTime ? Math.floor(stream.ApproximateCreationDateTime.getTime() / 1000) : undefined,
      Keys: image(stream.Keys),
      NewImage: image(stream.NewImage),
      OldImage: image(stream.OldImage),
      SequenceNumber: stream.SequenceNumber,
      SizeBytes: stream.SizeBytes,
      StreamViewType: stream.StreamViewType,
    },
  };
}

function lambdaValue(value: SdkAttributeValue): AttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(lambdaValue) };
  if (value.M !== undefined) return { M: Object.fromEntries(Object.entries(value.M).map(([name, inner]) => [name, lambdaValue(inner)])) };
  return value as AttributeValue;
}

function createHandlerLoader(functionsDirectory: string, overrides: Readonly<Record<string, StreamBatchHandler>>): (consumer: StreamConsumer) => Promise<StreamBatchHandler> {
  const loaded = new Map<string, Promise<StreamBatchHandler>>();
  return (consumer) => {
    const override = overrides[consumer.id];
    if (override !== undefined) return Promise.resolve(override);
    let handler = loaded.get(consumer.handler);
    if (handler === undefined) {
      handler = importHandler(functionsDirectory, consumer.handler);
      loaded.set(consumer.handler, handler);
      // A failed import (a syntax error being fixed) is retried with the next batch.
      handler.catch(() => loaded.delete(consumer.handler));
    }
    return handler;
  };
}

async function importHandler(functionsDirectory: string, handlerPath: string): Promise<StreamBatchHandler> {
  const handlerModule: unknown = await import(pathToFileURL(join(functionsDirectory, `${handlerPath}.ts`)).href);
  const handler: unknown = typeof handlerModule === 'object' && handlerModule !== null && 'handler' in handlerModule ? handlerModule.handler : undefined;
  if (typeof handler !== 'function') throw new Error(`functions/${handlerPath}.ts does not export a handler function`);
  return handler as StreamBatchHandler;
}

async function readCheckpoint(file: string | undefined, streamArn: string): Promise<Checkpoint> {
  if (file === undefined) return { streamArn, shards: {} };
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as Partial<Checkpoint>;
    // Another stream (the table was created again): its shards and sequence numbers mean nothing here.
    if (saved.streamArn === streamArn && typeof saved.shards === 'object') return { streamArn, shards: saved.shards };
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT') && !(error instanceof SyntaxError)) throw error;
  }
  return { streamArn, shards: {} };
}

async function writeCheckpoint(file: string | undefined, checkpoint: Checkpoint): Promise<void> {
  if (file === undefined) return;
  await mkdir(dirname(file), { recursive: true });
  // Written aside, then renamed over: a crash never leaves half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(checkpoint, null, 2)}\n`, 'utf8');
  await rename(temporary, file);
}
