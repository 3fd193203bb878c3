import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { dynamoAlertDigestStore } from '../adapters/dynamodb/alert-digest';
import { dynamoDeliveryLedger, dynamoSmsQuotaStore } from '../adapters/dynamodb/sms-quota';
import type { DomainEvent } from '../domain/events';
import { NOTIFIER_METRICS, SMS_DAILY_BUDGET_METRIC, type DeliveryOutcome, type NotificationSender, type NotifyDeps } from '../use-cases/notify';
import { dynamo } from './dynamodb';
import { publicBaseUrl, required, ward } from './env';
import { logger, metrics } from './observability';
import { notificationSender } from './sns';

/**
 * What the notifier (functions/events/notify.ts) and its retry worker
 * (functions/events/retry-notifications.ts) deliver with: the same ledger, quota and sender, so
 * that what one of them sent the other never sends again.
 */
const tableName = required('TABLE_NAME');
const digest = dynamoAlertDigestStore(dynamo, tableName);
const sms = notificationSender();

const base: Omit<NotifyDeps, 'sender'> = {
  ward,
  publicBaseUrl,
  ledger: dynamoDeliveryLedger(dynamo, tableName),
  quota: dynamoSmsQuotaStore(dynamo, tableName),
  now: () => new Date(),
  observe: (outcome: DeliveryOutcome) => {
    if (outcome.outcome === 'OVER_CAP') logger.warn('SMS refused over a cap', { cap: outcome.cap });
    metrics.addMetric(NOTIFIER_METRICS[outcome.channel][outcome.outcome], MetricUnit.Count, 1);
  },
  observeDailyBudget: ({ used }) => metrics.addMetric(SMS_DAILY_BUDGET_METRIC, MetricUnit.Count, used),
  warn: (message, error) => logger.warn(message, { error }),
};

/**
 * The dependencies for one event: SMS through SNS; an officers' alert is delivered once it waits
 * in the digest (mailed by functions/events/send-alert-digest.ts), keyed by the event alone so
 * that a redelivery finds it.
 */
export function notifierDeps(event: DomainEvent): NotifyDeps {
  const sender: NotificationSender = {
    sendSms: (message) => sms.sendSms(message),
    sendAlert: async (alert) => {
      await digest.add({ ...alert, at: event.at });
      return { messageId: `digest:${alert.eventId}` };
    },
  };
  return { ...base, sender };
}
