import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { eventBridgeCityBus } from '../adapters/eventbridge/city-bus';
import { sqsHandOverQueue } from '../adapters/sqs/handover-queue';
import type { CityBus, HandOverQueue } from '../use-cases/ports';
import { required, ward } from './env';
import { logger, tracer } from './observability';
import { sqs } from './sqs';

/** The city bus, with this ward's source; AWS_ENDPOINT_URL_EVENTBRIDGE points it at local/city-bus.ts in local mode. */
export function cityBus(): CityBus {
  return eventBridgeCityBus(tracer.captureAWSv3Client(new EventBridgeClient({})), ward.slug);
}

/** This ward's queue of hand-overs awaiting acknowledgement (HANDOVER_QUEUE_URL). */
export function handOverQueue(): HandOverQueue {
  return sqsHandOverQueue(sqs, required('HANDOVER_QUEUE_URL'));
}

/**
 * An SQS worker's Lambda handler: each record's body to `handle`, one after the other; a record
 * whose handling throws (or answers 'RETRY') is reported as a batch item failure, so the queue
 * offers it again after its visibility timeout, and dead-letters it after its last delivery.
 */
export function sqsWorker(name: string, handle: (body: string) => Promise<'DONE' | 'RETRY'>): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      try {
        if ((await handle(record.body)) === 'RETRY') batchItemFailures.push({ itemIdentifier: record.messageId });
      } catch (error) {
        logger.warn(`${name}: a message failed; it comes back after the visibility timeout`, {
          error,
          messageId: record.messageId,
          receiveCount: record.attributes.ApproximateReceiveCount,
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}
