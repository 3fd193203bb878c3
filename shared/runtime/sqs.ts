import { SQSClient } from '@aws-sdk/client-sqs';
import { sqsNotificationRetryQueue, type SqsNotificationRetryQueue } from '../adapters/sqs/notification-retry-queue';
import { required } from './env';
import { tracer } from './observability';

/** The SQS client, created once per execution environment; AWS_ENDPOINT_URL_SQS points it at local/sqs-server.ts in local mode. */
export const sqs = tracer.captureAWSv3Client(new SQSClient({}));

/** The notifier's retry queue (NOTIFICATION_RETRY_QUEUE_URL), for the notifier and its retry worker. */
export function notificationRetryQueue(): SqsNotificationRetryQueue {
  return sqsNotificationRetryQueue(sqs, required('NOTIFICATION_RETRY_QUEUE_URL'));
}
