import { dynamoAlertDigestStore } from '../../shared/adapters/dynamodb/alert-digest';
import { dynamo } from '../../shared/runtime/dynamodb';
import { required, ward } from '../../shared/runtime/env';
import { logger } from '../../shared/runtime/observability';
import { digestSender } from '../../shared/runtime/sns';
import { sendAlertDigest, type AlertDigestOutcome } from '../../shared/use-cases/alert-digest';

/** The scheduled jobs' timeout (infra/constructs/scheduled-jobs.ts): a run's claim on the digest lasts that long. */
const RUN_MAX_MS = 5 * 60_000;

const deps = { ward, store: dynamoAlertDigestStore(dynamo, required('TABLE_NAME')), sender: digestSender(), now: () => new Date() };

/** Runs every minute (shared/runtime/schedules.ts): mails the officers' pending alerts as one digest, once the ward's interval has passed. */
export const handler = async (): Promise<AlertDigestOutcome> => {
  const outcome = await sendAlertDigest(deps, { deadline: new Date(Date.now() + RUN_MAX_MS) });
  if (outcome.outcome === 'SENT') logger.info('alert digest sent', { alerts: outcome.alerts, messageId: outcome.messageId });
  return outcome;
};
