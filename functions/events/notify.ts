import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { dynamoDeliveryLedger, dynamoSmsQuotaStore } from '../../shared/adapters/dynamodb/sms-quota';
import { dynamo } from '../../shared/runtime/dynamodb';
import { publicBaseUrl, required, ward } from '../../shared/runtime/env';
import { logger, metrics } from '../../shared/runtime/observability';
import { notificationSender } from '../../shared/runtime/sns';
import { notificationRetryQueue } from '../../shared/runtime/sqs';
import { streamHandler } from '../../shared/runtime/stream';
import { notifyOrRetryLater } from '../../shared/use-cases/notification-retries';
import { NOTIFIER_METRICS, SMS_DAILY_BUDGET_METRIC, type DeliveryOutcome, type NotifyDeps } from '../../shared/use-cases/notify';

const tableName = required('TABLE_NAME');

/** What the notifier sends with, here and in its retry worker (functions/events/retry-notifications.ts). */
export const notifierDeps: NotifyDeps = {
  ward,
  publicBaseUrl,
  ledger: dynamoDeliveryLedger(dynamo, tableName),
  quota: dynamoSmsQuotaStore(dynamo, tableName),
  sender: notificationSender(),
  now: () => new Date(),
  observe: (outcome: DeliveryOutcome) => {
    if (outcome.outcome === 'OVER_CAP') logger.warn('SMS refused over a cap', { cap: outcome.cap });
    metrics.addMetric(NOTIFIER_METRICS[outcome.channel][outcome.outcome], MetricUnit.Count, 1);
  },
  observeDailyBudget: ({ used }) => metrics.addMetric(SMS_DAILY_BUDGET_METRIC, MetricUnit.Count, used),
  warn: (message, error) => logger.warn(message, { error }),
};

const retries = notificationRetryQueue();

/** The notifier: SMS to the citizen and alerts to the ward's officers, once per outbox event; a failed delivery waits in the retry queue. */
export const handler = streamHandler('Notifier', async (event, context) => {
  const attempt = await notifyOrRetryLater(event, notifierDeps, { deadline: new Date(Date.now() + context.getRemainingTimeInMillis()) }, retries);
  if (attempt.status === 'RETRYING_LATER') {
    logger.warn('a delivery failed; the event waits in the retry queue', { error: attempt.cause, retryInSeconds: attempt.delaySeconds });
    metrics.addMetric('NotificationsRetryingLater', MetricUnit.Count, 1);
  }
});
