import { syncedCounters } from './kpi-counters';
import type { Clock, DossierStore, NationalSyncCounter } from './ports';

export type NationalSyncCount = 'COUNTED' | 'ALREADY_COUNTED' | 'NOT_RECEIVED' | 'NOT_FOUND';

/**
 * The "share synchronised with the national portal" counter (Decision 766), for the national-sync
 * consumer to call **after the national portal acknowledged a record of the dossier** (any
 * record: the first one that counts is the first acknowledged once the dossier is received).
 *
 * Contract:
 * - call it after every acknowledged record, or at least after the first acknowledged record
 *   sent once the dossier is RECEIVED (status code 2 or later): calling it again is harmless
 *   (`ALREADY_COUNTED`, nothing written), so a retried or redelivered record counts once;
 * - a dossier not received yet (an online submission, status 1) is not counted
 *   (`NOT_RECEIVED`): the share is of received dossiers, by receipt date, and the call after a
 *   later record counts it;
 * - the count lands on the day the dossier was received (Vietnam time), whatever day the
 *   acknowledgement comes, in one transaction with the marker that makes it once-only.
 *
 * @throws ServiceBusyError when DynamoDB kept cancelling the write; the consumer retries
 */
export async function countNationalSync(
  deps: { readonly dossiers: DossierStore; readonly synced: NationalSyncCounter; readonly clock: Clock },
  code: string,
): Promise<NationalSyncCount> {
  const dossier = await deps.dossiers.getDossier(code);
  if (!dossier) return 'NOT_FOUND';
  const kpi = syncedCounters(dossier);
  if (!kpi) return 'NOT_RECEIVED';
  return deps.synced.countOnce(code, kpi, deps.clock.now());
}
