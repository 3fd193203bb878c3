import { dossierStore, personalDataStore } from '../../shared/runtime/dynamodb';
import { logger } from '../../shared/runtime/observability';
import { eraseExpiredPersonalData, type ErasureRun } from '../../shared/use-cases/personal-data';
import { systemClock } from '../../shared/use-cases/ports';

const deps = { personalData: personalDataStore(), dossiers: dossierStore(), clock: systemClock };

/** Runs on the schedule of shared/runtime/schedules.ts (daily): erases what is past its retention, a bounded page a run. */
export const handler = async (): Promise<ErasureRun> => {
  const run = await eraseExpiredPersonalData(deps);
  // Codes and counts only: nothing personal in the log.
  logger.info('personal data erasure', { erased: run.erased, postponed: run.postponed, dropped: run.dropped, conflicts: run.conflicts });
  return run;
};
