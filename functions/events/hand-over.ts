import { handOverQueue } from '../../shared/runtime/city';
import { streamHandler } from '../../shared/runtime/stream';
import { queueHandOver } from '../../shared/use-cases/city-handover';

const deps = { queue: handOverQueue() };

/** The receiving ward's hand-over consumer: queues each dossier filed here for another ward, for the hand-over worker. */
export const handler = streamHandler('CityHandOver', async (event) => {
  if (event.type === 'DOSSIER_FILED_FOR_WARD') await queueHandOver(deps, event);
});
