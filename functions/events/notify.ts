import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { notifierDeps } from '../../shared/runtime/notifier';
import { logger, metrics } from '../../shared/runtime/observability';
import { notificationRetryQueue } from '../../shared/runtime/sqs';
import { streamHandler } from '../../shared/runtime/stream';
import { notifyOrRetryLater } from '../../shared/use-cases/notification-retries';

const retries = notificationRetryQueue();

/** The notifier: SMS to the citizen and alerts to the ward's officers, once per outbox event; a failed delivery waits in the retry queue. */
export const handler = streamHandler('Notifier', async (event, context) => {
  const attempt = await notifyOrRetryLater(event, notifierDeps(event), { deadline: new Date(Date.now() + context.getRemainingTimeInMillis()) }, retries);
  if (attempt.status === 'RETRYING_LATER') {
    logger.warn('a delivery failed; the event waits in the retry queue', { error: attempt.cause, retryInSeconds: attempt.delaySeconds });
    metrics.addMetric('NotificationsRetryingLater', MetricUnit.Count, 1);
  }
});
