import { SNSClient } from '@aws-sdk/client-sns';
import { localNotificationOutbox } from '../adapters/local/notification-outbox';
import { snsDigestSender, snsNotificationSender } from '../adapters/sns/notification-sender';
import type { DigestSender } from '../use-cases/alert-digest';
import type { NotificationSender } from '../use-cases/notify';
import { env, required } from './env';
import { tracer } from './observability';

/** The SNS client, created once per execution environment. */
export const sns = tracer.captureAWSv3Client(new SNSClient({}));

/**
 * Where SMS and officer alerts go: SNS and the ward's alert topic in AWS; in local mode (where
 * NOTIFICATIONS_OUTBOX_FILE is set, as SNS has no local server) a JSON-lines file.
 */
export function notificationSender(): NotificationSender {
  if (env.NOTIFICATIONS_OUTBOX_FILE !== undefined) {
    return localNotificationOutbox(env.NOTIFICATIONS_OUTBOX_FILE, { echo: env.NOTIFICATIONS_ECHO, outageFile: env.NOTIFICATIONS_OUTAGE_FILE });
  }
  return snsNotificationSender(sns, required('ALERTS_TOPIC_ARN'));
}

/** Where the officers' digest goes: the ward's alert topic, or the local outbox file. */
export function digestSender(): DigestSender {
  if (env.NOTIFICATIONS_OUTBOX_FILE !== undefined)
    return localNotificationOutbox(env.NOTIFICATIONS_OUTBOX_FILE, { echo: env.NOTIFICATIONS_ECHO, outageFile: env.NOTIFICATIONS_OUTAGE_FILE });
  return snsDigestSender(sns, required('ALERTS_TOPIC_ARN'));
}
