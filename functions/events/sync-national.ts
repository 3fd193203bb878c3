import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { nationalSyncDeps } from '../../shared/runtime/national-sync';
import { logger, metrics } from '../../shared/runtime/observability';
import { streamHandler } from '../../shared/runtime/stream';
import { syncDossier } from '../../shared/use-cases/national-sync';

const deps = nationalSyncDeps();

/** The national sync: sends each change of the event's dossier not yet delivered, in order; a failed delivery waits in the backlog for the retry job. */
export const handler = streamHandler('NationalSync', async (event, context) => {
  const outcome = await syncDossier(deps, event.dossierCode, { deadline: new Date(Date.now() + context.getRemainingTimeInMillis()) });
  metrics.addMetric('SyncRecordsSent', MetricUnit.Count, outcome.sent);
  if (outcome.status !== 'SYNCED') {
    logger.warn('a sync delivery failed; the dossier waits in the sync backlog', {
      error: outcome.cause,
      unsent: outcome.unsent,
      nextAttemptAt: outcome.nextAttemptAt.toISOString(),
    });
    metrics.addMetric('SyncFailed', MetricUnit.Count, 1);
    metrics.addMetric('SyncBacklog', MetricUnit.Count, outcome.unsent);
  }
});
