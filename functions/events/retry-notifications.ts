import { notificationRetryHandler } from '../../shared/runtime/notification-retries';
import { notifierDeps } from '../../shared/runtime/notifier';
import { notificationRetryQueue } from '../../shared/runtime/sqs';
import { notify } from '../../shared/use-cases/notify';

/**
 * The notifier's retry worker, on the retry queue: delivers again what the notifier could not
 * (SNS or the e-mail topic down), with the notifier's own dependencies and ledger, so that an SMS
 * or an alert that went out meanwhile is not sent twice.
 */
export const handler = notificationRetryHandler(notificationRetryQueue(), async (event, context) => {
  await notify(event, notifierDeps(event), { deadline: new Date(Date.now() + context.getRemainingTimeInMillis()) });
});
