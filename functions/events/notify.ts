import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { dynamoAlertDigestStore } from '../../shared/adapters/dynamodb/alert-digest';
import { dynamoDeliveryLedger, dynamoSmsQuotaStore } from '../../shared/adapters/dynamodb/sms-quota';
import { dynamo } from '../../shared/runtime/dynamodb';
import { publicBaseUrl, required, ward } from '../../shared/runtime/env';
import { logger, metrics } from '../../shared/runtime/observability';
import { notificationSender } from '../../shared/runtime/sns';
import { streamHandler } from '../../shared/runtime/stream';
import type { DomainEvent } from '../../shared/domain/dossier';
import { notify, NOTIFIER_METRICS, type DeliveryOutcome, type NotificationSender, type NotifyDeps } from '../../shared/use-cases/notify';

const tableName = required('TABLE_NAME');
const digest = dynamoAlertDigestStore(dynamo, tableName);
const sms = notificationSender();

const deps: NotifyDeps = {
  ward,
  publicBaseUrl,
  ledger: dynamoDeliveryLedger(dynamo, tableName),
  quota: dynamoSmsQuotaStore(dynamo, tableName),
  sender: sms,
  now: () => new Date(),
  observe: (outcome: DeliveryOutcome) => {
    if (outcome.outcome === 'OVER_CAP') logger.warn('SMS refused over a cap', { cap: outcome.cap });
    metrics.addMetric(NOTIFIER_METRICS[outcome.channel][outcome.outcome], MetricUnit.Count, 1);
  },
  warn: (message, error) => logger.warn(message, { error }),
};

/**
 * SMS through SNS; an officers' alert is delivered once it waits in the digest (mailed by
 * functions/events/send-alert-digest.ts), keyed by the event alone so that a redelivery finds it.
 */
const senderFor = (event: DomainEvent): NotificationSender => ({
  sendSms: (message) => sms.sendSms(message),
  sendAlert: async (alert) => {
    await digest.add({ ...alert, at: event.at });
    return { messageId: `digest:${alert.eventId}` };
  },
});

/** The notifier: SMS to the citizen and alerts to the ward's officers, once per outbox event. */
export const handler = streamHandler('Notifier', async (event, context) => {
  await notify(event, { ...deps, sender: senderFor(event) }, { deadline: new Date(Date.now() + context.getRemainingTimeInMillis()) });
});
