/**
 * The notifier's retry queue, as the stack deploys it and local mode runs it: the queues' names,
 * how the retry worker's event source mapping delivers messages, and the worker's Lambda handler.
 * Nothing here creates a Powertools instance when imported: the stack, local mode and the redrive
 * command import this file too (see the handler's lazy imports).
 */
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { eventOfRetryMessage, MalformedRetryMessageError, type SqsNotificationRetryQueue } from '../adapters/sqs/notification-retry-queue';
import type { DomainEvent } from '../domain/events';
import { NOTIFICATION_RETRY_ATTEMPTS, retryDelayAfterAttempt } from '../use-cases/notification-retries';

/** The queues of one ward, named after it (one stack per ward and account region), so that the redrive command finds them from the slug. */
export function notificationQueueNames(wardSlug: string): { readonly retries: string; readonly deadLetters: string } {
  return { retries: `mot-cua-so-${wardSlug}-notification-retries`, deadLetters: `mot-cua-so-${wardSlug}-notification-dead-letters` };
}

/** The retry worker: its function's id in the stack and its entry under `functions/` (exports `handler(SQSEvent)` returning partial batch failures). */
export const RETRY_WORKER = { id: 'NotificationRetries', handler: 'events/retry-notifications' } as const;

/** How the retry queue delivers messages to its worker, in AWS (infra/constructs/notification-retries.ts) and locally (local/queue-poller.ts). */
export const RETRY_DELIVERY = {
  batchSize: 10,
  /** Deliveries of one message before the queue's redrive policy dead-letters it. */
  maxReceiveCount: NOTIFICATION_RETRY_ATTEMPTS,
  /** The worker's timeout; the queue's visibility timeout is a multiple of it, as Lambda requires. */
  functionTimeoutSeconds: 60,
  visibilityTimeoutSeconds: 6 * 60,
  /** Two weeks, SQS's longest, in the retry queue and its dead-letter queue alike. */
  retentionDays: 14,
} as const;

/** What the worker does with one event (the notifier's `notify`); throwing is a failed attempt. */
export type RetryHandler = (event: DomainEvent, context: Context) => Promise<void>;

export type RetryWorkerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * The retry worker's Lambda handler: each message's event handed to `handle`; a message whose
 * attempt fails is postponed by the next wait of the schedule (its visibility changed) and
 * reported as a batch item failure, so that SQS offers it again then, and after the last attempt
 * moves it to the dead-letter queue (redrive policy). A malformed message is offered again at once,
 * to reach the dead-letter queue without waiting.
 */
export function notificationRetryHandler(queue: SqsNotificationRetryQueue, handle: RetryHandler): RetryWorkerHandler {
  let built: Promise<RetryWorkerHandler> | undefined;
  return async (event, context) => {
    built ??= buildRetryHandler(queue, handle).catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    return (await built)(event, context);
  };
}

async function buildRetryHandler(queue: SqsNotificationRetryQueue, handle: RetryHandler): Promise<RetryWorkerHandler> {
  const [{ BatchProcessor, EventType, processPartialResponse }, { injectLambdaContext }, { MetricUnit }, { logMetrics }, { captureLambdaHandler }, { logger, metrics, tracer }] =
    await Promise.all([
      import('@aws-lambda-powertools/batch'),
      import('@aws-lambda-powertools/logger/middleware'),
      import('@aws-lambda-powertools/metrics'),
      import('@aws-lambda-powertools/metrics/middleware'),
      import('@aws-lambda-powertools/tracer/middleware'),
      import('./observability'),
    ]);
  const processor = new BatchProcessor(EventType.SQS);

  const postpone = async (record: SQSRecord, seconds: number): Promise<void> => {
    // If this fails, the message comes back after the queue's visibility timeout instead.
    await queue.postpone(record.receiptHandle, seconds).catch((error: unknown) => logger.warn('could not postpone a notification retry', { error }));
  };

  const handleRecord = async (record: SQSRecord, context: Context): Promise<void> => {
    const attempt = Number(record.attributes.ApproximateReceiveCount);
    let event: DomainEvent;
    try {
      event = eventOfRetryMessage(record.messageId, record.body);
    } catch (error) {
      logger.error('malformed notification retry message; it goes to the dead-letter queue', { error, messageId: record.messageId });
      metrics.addMetric('NotificationRetriesFailed', MetricUnit.Count, 1);
      if (error instanceof MalformedRetryMessageError) await postpone(record, 0);
      throw error;
    }
    const eventKeys = { eventId: event.id, eventType: event.type, dossierCode: event.dossierCode, attempt };
    logger.appendKeys(eventKeys);
    try {
      await handle(event, context);
      metrics.addMetric('NotificationRetriesDelivered', MetricUnit.Count, 1);
    } catch (error) {
      const wait = retryDelayAfterAttempt(Number.isInteger(attempt) && attempt >= 1 ? attempt : 1);
      logger.warn(attempt >= RETRY_DELIVERY.maxReceiveCount ? 'last notification retry failed; the event goes to the dead-letter queue' : 'notification retry failed', {
        error,
        nextAttemptInSeconds: wait,
      });
      metrics.addMetric('NotificationRetriesFailed', MetricUnit.Count, 1);
      await postpone(record, wait);
      throw error;
    } finally {
      logger.removeKeys(Object.keys(eventKeys));
    }
  };

  return middy<SQSEvent, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer))
    .use(logMetrics(metrics))
    .handler(async (event, context) =>
      processPartialResponse(event, (record: SQSRecord) => handleRecord(record, context), processor, { context, processInParallel: false, throwOnFullBatchFailure: false }),
    );
}
