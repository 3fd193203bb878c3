import { ChangeMessageVisibilityCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import type { DomainEvent } from '../../domain/events';
import { eventFromOutboxItem } from '../dynamodb/items';
import type { NotificationRetryQueue } from '../../use-cases/notification-retries';

/** The notifier's retry queue, and what its worker does with the message it is delivering. */
export interface SqsNotificationRetryQueue extends NotificationRetryQueue {
  /** Keeps a received message out of sight for `seconds` (at most 12 hours): its next attempt comes then. */
  postpone(receiptHandle: string, seconds: number): Promise<void>;
}

/**
 * The retry queue on SQS: each message is one outbox event, as JSON (the outbox item's fields,
 * not its keys), delayed by SQS itself; the retry worker postpones a message it failed again by
 * changing its visibility, and the queue's redrive policy dead-letters it after the last attempt.
 */
export function sqsNotificationRetryQueue(client: SQSClient, queueUrl: string): SqsNotificationRetryQueue {
  return {
    async retryLater(event, delaySeconds) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: retryMessageBody(event), DelaySeconds: delaySeconds }));
    },
    async postpone(receiptHandle, seconds) {
      await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
    },
  };
}

/** A retry message's body: the event with its instant in ISO form. */
export function retryMessageBody(event: DomainEvent): string {
  return JSON.stringify({ id: event.id, type: event.type, dossierCode: event.dossierCode, at: event.at.toISOString(), data: event.data });
}

/** A retry message whose body is not an outbox event: no attempt can deliver it. */
export class MalformedRetryMessageError extends Error {
  constructor(
    readonly messageId: string,
    detail: string,
  ) {
    super(`malformed notification retry message ${messageId}: ${detail}`);
    this.name = 'MalformedRetryMessageError';
  }
}

/**
 * The event of a retry message (the event as JSON), parsed by its type's schema as outbox items are.
 *
 * @throws MalformedRetryMessageError
 */
export function eventOfRetryMessage(messageId: string, body: string): DomainEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new MalformedRetryMessageError(messageId, error instanceof Error ? error.message : String(error));
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new MalformedRetryMessageError(messageId, 'the body is no JSON object');
  try {
    return eventFromOutboxItem(json as Record<string, unknown>);
  } catch (error) {
    throw new MalformedRetryMessageError(messageId, error instanceof z.ZodError ? z.prettifyError(error) : String(error));
  }
}
