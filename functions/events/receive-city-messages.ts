import { cityMessageOfDelivery } from '../../shared/adapters/eventbridge/city-bus';
import { dynamoHandOverStore } from '../../shared/adapters/dynamodb/handover-store';
import { cityBus, sqsWorker } from '../../shared/runtime/city';
import { dossierStore, dynamo } from '../../shared/runtime/dynamodb';
import { required, ward } from '../../shared/runtime/env';
import { idHasher } from '../../shared/runtime/kms';
import { logger } from '../../shared/runtime/observability';
import { documentArchive } from '../../shared/runtime/s3';
import { systemClock } from '../../shared/use-cases/ports';
import { receiveCityMessage } from '../../shared/use-cases/city-handover';

const deps = {
  ward,
  dossiers: dossierStore(),
  handOvers: dynamoHandOverStore(dynamo, required('TABLE_NAME')),
  bus: cityBus(),
  idHasher: idHasher(),
  archive: documentArchive(),
  clock: systemClock,
};

/** The ward's receiver of what other wards put on the city bus for it (its rule's queue). */
export const handler = sqsWorker('city receiver', async (body) => {
  const message = cityMessageOfDelivery(body);
  const outcome = await receiveCityMessage(deps, message);
  logger.info('city message', { type: message.type, dossierCode: message.dossierCode, fromWard: message.fromWard, outcome });
  return 'DONE';
});
