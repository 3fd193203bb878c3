/**
 * The table's stream, as its consumers (shared/runtime/consumers.ts) see it: how records are
 * delivered, which records each consumer gets (the filter the stack deploys and local mode
 * evaluates), a record read back as a domain event, and the Lambda handler every consumer is built
 * with (`streamHandler`). Nothing here creates a Powertools instance when imported: the stack and
 * local mode's poller import this file too (see buildStreamHandler).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod';
import { keys } from '../adapters/dynamodb/keys';
import { DOMAIN_EVENT_TYPES, type DomainEvent, type DomainEventType } from '../domain/dossier';
import { STREAM_CONSUMERS, type StreamConsumer } from './consumers';

/**
 * How the stream delivers records to each consumer, in AWS (the event source mappings of
 * infra/constructs/stream-consumers.ts) and locally (local/stream-poller.ts) alike.
 */
export const STREAM_DELIVERY = {
  batchSize: 25,
  /** Retries of a failed record (after bisecting, in AWS), before it goes to the dead-letter queue. */
  retryAttempts: 3,
  /** Older records go to the dead-letter queue unprocessed (a "due tomorrow" alert half a day late is noise). */
  maxRecordAgeHours: 12,
} as const;

// ---------------------------------------------------------------------------------------------
// The filter: which stream records a consumer receives
// ---------------------------------------------------------------------------------------------

/** Partition keys of outbox items begin with this (see keys.ts). */
export const OUTBOX_KEY_PREFIX = keys.outbox('').PK;

/** A Lambda event filter pattern (the EventBridge pattern syntax), as far as this file evaluates it. */
export type FilterPattern = { readonly [field: string]: FilterPattern | readonly FilterValue[] };
type FilterValue = string | number | boolean | null | { readonly prefix: string } | { readonly exists: boolean } | { readonly 'anything-but': readonly (string | number)[] };

/**
 * The event filter of a consumer: new outbox items (INSERT, key `OUTBOX#…`) of the event types it
 * listens to. The CDK stack gives exactly this pattern to the event source mapping, and local
 * mode's stream poller evaluates it with {@link matchesFilterPattern}, so the two cannot drift.
 * Outbox items are never modified, and their TTL deletions (REMOVE) are no events.
 */
export function consumerFilterPattern(consumer: Pick<StreamConsumer, 'events'>): FilterPattern {
  return {
    eventName: ['INSERT'],
    dynamodb: { NewImage: { PK: { S: [{ prefix: OUTBOX_KEY_PREFIX }] }, type: { S: [...consumer.events] } } },
  };
}

/**
 * Whether a stream record (as Lambda delivers it) matches a filter pattern, with Lambda's event
 * filtering semantics: every field of the pattern must match; a list matches when any of its
 * values does (a value, `prefix`, `exists`, `anything-but`); a missing field matches nothing but
 * `exists: false`. Any other operator throws, so that a pattern this function cannot evaluate
 * fails loudly in local mode and in tests instead of silently differing from AWS.
 */
export function matchesFilterPattern(pattern: FilterPattern, record: unknown): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const actual: unknown = isRecord(record) ? record[field] : undefined;
    if (Array.isArray(expected)) return matchesAnyValue(expected as readonly FilterValue[], actual);
    return actual !== undefined && matchesFilterPattern(expected as FilterPattern, actual);
  });
}

function matchesAnyValue(expected: readonly FilterValue[], actual: unknown): boolean {
  // A list in the record matches when any of its elements does.
  const candidates: unknown[] = Array.isArray(actual) ? actual : [actual];
  return expected.some((rule) => {
    if (rule === null || typeof rule !== 'object') return actual !== undefined && candidates.some((candidate) => candidate === rule);
    if ('exists' in rule) return rule.exists === (actual !== undefined);
    if ('prefix' in rule) return candidates.some((candidate) => typeof candidate === 'string' && candidate.startsWith(rule.prefix));
    if ('anything-but' in rule) return actual !== undefined && candidates.every((candidate) => !rule['anything-but'].includes(candidate as string | number));
    throw new Error(`unsupported filter rule ${JSON.stringify(rule)}`);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Parsing: a stream record into a domain event
// ---------------------------------------------------------------------------------------------

/** An outbox event as JSON (its instant an ISO string): in a stream record's image, and in the notifier's retry messages. */
export const OutboxEventSchema = z.object({
  id: z.string().min(1),
  type: z.enum(DOMAIN_EVENT_TYPES),
  dossierCode: z.string().min(1),
  at: z.iso.datetime().transform((value) => new Date(value)),
  data: z.record(z.string(), z.unknown()),
});

const OutboxItemSchema = OutboxEventSchema.extend({ PK: z.string().startsWith(OUTBOX_KEY_PREFIX) });

/** An outbox record whose new image is not a well-formed event: it fails alone, and ends in the dead-letter queue. */
export class MalformedStreamRecordError extends Error {
  constructor(
    readonly sequenceNumber: string | undefined,
    detail: string,
  ) {
    super(`malformed outbox event in stream record ${sequenceNumber ?? '(no sequence number)'}: ${detail}`);
    this.name = 'MalformedStreamRecordError';
  }
}

/**
 * The domain event of an outbox INSERT, or undefined for any other record (which the consumer's
 * filter should not have let through).
 *
 * @throws MalformedStreamRecordError when the record is an outbox insert but not a valid event
 */
export function domainEventFromRecord(record: DynamoDBRecord): DomainEvent | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || image?.PK?.S?.startsWith(OUTBOX_KEY_PREFIX) !== true) return undefined;
  let item: Record<string, unknown>;
  try {
    // Lambda's stream attribute values are the SDK's, with binary values as base64 strings (outbox items have none).
    item = unmarshall(image as Record<string, AttributeValue>);
  } catch (error) {
    throw new MalformedStreamRecordError(record.dynamodb?.SequenceNumber, error instanceof Error ? error.message : String(error));
  }
  const parsed = OutboxItemSchema.safeParse(item);
  if (!parsed.success) throw new MalformedStreamRecordError(record.dynamodb?.SequenceNumber, z.prettifyError(parsed.error));
  const { id, type, dossierCode, at, data } = parsed.data;
  return { id, type, dossierCode, at, data };
}

// ---------------------------------------------------------------------------------------------
// The handler
// ---------------------------------------------------------------------------------------------

/**
 * What a consumer does with one event. `context` is the invocation's (its deadline bounds how
 * long a consumer may hold a claim). Throwing fails this record only: it is retried, then sent
 * to the dead-letter queue.
 */
export type DomainEventHandler = (event: DomainEvent, context: Context) => Promise<void>;

/** A stream consumer's Lambda handler. */
export type StreamConsumerHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

/**
 * The Lambda handler of a stream consumer of `shared/runtime/consumers.ts`: each record of the
 * batch becomes a domain event (zod-validated; a malformed one fails alone) handed to `handle`,
 * one after the other in stream order, and the records that failed are reported as partial batch
 * failures (Powertools' BatchProcessor), so Lambda retries from the first of them and the
 * records before it are not redelivered. Records that are no outbox insert of one of the
 * consumer's event types are skipped (the event filter should keep them out).
 *
 * The consumer must be idempotent on the event id: a retried batch redelivers the records after
 * the first failure too, successful or not.
 */
export function streamHandler(consumerId: string, handle: DomainEventHandler): StreamConsumerHandler {
  const consumer = STREAM_CONSUMERS.find((candidate) => candidate.id === consumerId);
  if (consumer === undefined) throw new Error(`no stream consumer '${consumerId}' in STREAM_CONSUMERS`);
  let built: Promise<StreamConsumerHandler> | undefined;
  return async (event, context) => {
    built ??= buildStreamHandler(consumer, handle).catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    return (await built)(event, context);
  };
}

/**
 * The middleware chain, built at the first invocation. Powertools is imported then, not with this
 * module: the stack (for the filter, at synth) and local mode's poller import this file before the
 * handlers' environment is set, and Powertools' logger, metrics and tracer read it when created.
 * (In a bundle, the import is inlined: it costs nothing.)
 */
async function buildStreamHandler(consumer: StreamConsumer, handle: DomainEventHandler): Promise<StreamConsumerHandler> {
  const [{ BatchProcessor, EventType, processPartialResponse }, { injectLambdaContext }, { MetricUnit }, { logMetrics }, { captureLambdaHandler }, { logger, metrics, tracer }] =
    await Promise.all([
      import('@aws-lambda-powertools/batch'),
      import('@aws-lambda-powertools/logger/middleware'),
      import('@aws-lambda-powertools/metrics'),
      import('@aws-lambda-powertools/metrics/middleware'),
      import('@aws-lambda-powertools/tracer/middleware'),
      import('./observability'),
    ]);
  const wanted = new Set<DomainEventType>(consumer.events);
  const processor = new BatchProcessor(EventType.DynamoDBStreams);

  const handleRecord = async (record: DynamoDBRecord, context: Context): Promise<void> => {
    let event: DomainEvent | undefined;
    try {
      event = domainEventFromRecord(record);
    } catch (error) {
      logger.error('malformed outbox event; it will be retried, then sent to the dead-letter queue', { error });
      metrics.addMetric('StreamEventsFailed', MetricUnit.Count, 1);
      throw error;
    }
    if (event === undefined || !wanted.has(event.type)) {
      logger.warn('stream record skipped: not an outbox event of this consumer', { eventName: record.eventName, sequenceNumber: record.dynamodb?.SequenceNumber });
      metrics.addMetric('StreamRecordsSkipped', MetricUnit.Count, 1);
      return;
    }
    const eventKeys = { eventId: event.id, eventType: event.type, dossierCode: event.dossierCode };
    logger.appendKeys(eventKeys);
    try {
      await handle(event, context);
      metrics.addMetric('StreamEventsHandled', MetricUnit.Count, 1);
    } catch (error) {
      logger.error('stream event failed; it will be retried, then sent to the dead-letter queue', { error });
      metrics.addMetric('StreamEventsFailed', MetricUnit.Count, 1);
      throw error;
    } finally {
      logger.removeKeys(Object.keys(eventKeys));
    }
  };

  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer))
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      logger.appendKeys({ consumer: consumer.id });
      return processPartialResponse(event, (record: DynamoDBRecord) => handleRecord(record, context), processor, {
        context,
        // In stream order: an SMS about a receipt should not overtake the one about the submission.
        processInParallel: false,
        // A batch whose every record failed is reported like any other (Lambda retries it the same way).
        throwOnFullBatchFailure: false,
      });
    });
}
