import { MAX_RESULT_COPY_BYTES } from '../../shared/adapters/eventbridge/city-bus';
import { cityBus } from '../../shared/runtime/city';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { ward } from '../../shared/runtime/env';
import { documentArchive } from '../../shared/runtime/s3';
import { streamHandler } from '../../shared/runtime/stream';
import { sendCopyToReceivingWard } from '../../shared/use-cases/city-handover';

const deps = { ward, dossiers: dossierStore(), bus: cityBus(), archive: documentArchive(), maxResultCopyBytes: MAX_RESULT_COPY_BYTES };

/** The competent ward's return consumer: every change of a dossier another ward handed in goes back to that ward. */
export const handler = streamHandler('CityReturn', async (event) => {
  await sendCopyToReceivingWard(deps, event);
});
