import { contract } from '../../shared/api/contract';
import { counterReceiptView } from '../../shared/api/views';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { publicBaseUrl, ward } from '../../shared/runtime/env';
import { idHasher } from '../../shared/runtime/kms';
import { officerRoute } from '../../shared/runtime/officer';
import { attachmentStore } from '../../shared/runtime/s3';
import { systemClock } from '../../shared/use-cases/ports';
import { createDossier } from '../../shared/use-cases/submit-dossier';

const deps = { dossiers: dossierStore(), attachments: attachmentStore(), idHasher: idHasher(), clock: systemClock, ward };

export const handler = officerRoute(
  'CreateCounterDossier',
  { headers: contract.CreateCounterDossier.headers, body: contract.CreateCounterDossier.body },
  async ({ headers, body }, officer) => {
    const { documentsReceived, ...submission } = body;
    const result = await createDossier(deps, { ...submission, fullyOnline: false }, headers['idempotency-key'], {
      channel: 'COUNTER',
      officer: { id: officer.id, name: officer.name },
      documentsReceived,
    });
    return {
      status: result.created ? 201 : 200,
      body: counterReceiptView(result, ward, publicBaseUrl, officer.name),
      headers: { Location: `/officer/dossiers/${result.dossier.code}` },
    };
  },
);
