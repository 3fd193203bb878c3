import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { nationalSyncDeps } from '../../shared/runtime/national-sync';
import { logger, metrics } from '../../shared/runtime/observability';
import { retryDueSyncs, type RetryRunOutcome } from '../../shared/use-cases/national-sync';

const deps = nationalSyncDeps();
/** The scheduled jobs' timeout (infra/constructs/scheduled-jobs.ts): a run stops starting deliveries before it. */
const RUN_MAX_MS = 5 * 60_000;

/**
 * Runs every minute (shared/runtime/schedules.ts): attempts again each dossier of the sync backlog
 * whose wait is over at the scheduled time, and reports the backlog (`SyncBacklog`, the changes
 * waiting) and the failed attempts (`SyncFailed`) in the ward's metrics.
 */
export const handler = async (event?: Pick<ScheduledEvent, 'time'>): Promise<RetryRunOutcome> => {
  const at = event?.time ? new Date(event.time) : new Date();
  const outcome = await retryDueSyncs(deps, at, new Date(Date.now() + RUN_MAX_MS));
  metrics.addMetric('SyncBacklog', MetricUnit.Count, outcome.backlogChanges);
  metrics.addMetric('SyncFailed', MetricUnit.Count, outcome.stillFailing + outcome.deadLettered);
  metrics.publishStoredMetrics();
  if (outcome.attempted > 0) logger.info('sync retries', { ...outcome });
  return outcome;
};
