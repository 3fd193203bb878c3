import { syncStatusView } from '../../shared/api/views';
import { nationalSyncLedger } from '../../shared/runtime/dynamodb';
import { officerRoute } from '../../shared/runtime/officer';
import { readSyncStatus } from '../../shared/use-cases/national-sync';

const ledger = nationalSyncLedger();

/** The ward's national sync status, for its leader: counters, the last delivery and error, the backlog. */
export const handler = officerRoute('GetSyncStatus', {}, async () => ({ status: 200, body: syncStatusView(await readSyncStatus(ledger)) }));
