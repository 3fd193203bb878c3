import { dossierCodeOfHandOverMessage } from '../../shared/adapters/sqs/handover-queue';
import { cityBus, sqsWorker } from '../../shared/runtime/city';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { ward } from '../../shared/runtime/env';
import { handOverUntilAcknowledged } from '../../shared/use-cases/city-handover';

const deps = { ward, dossiers: dossierStore(), bus: cityBus() };

/**
 * The hand-over worker: at each delivery of a dossier's message, done if the competent ward
 * acknowledged it, else the hand-over goes on the bus (again) and the message comes back after
 * the queue's visibility timeout; unacknowledged after its last delivery, it is dead-lettered.
 */
export const handler = sqsWorker('hand-over worker', async (body) =>
  (await handOverUntilAcknowledged(deps, dossierCodeOfHandOverMessage(body))) === 'ACKNOWLEDGED' ? 'DONE' : 'RETRY',
);
