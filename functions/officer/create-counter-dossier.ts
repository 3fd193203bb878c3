import { contract } from '../../shared/api/contract';
import { counterReceiptView } from '../../shared/api/views';
import { documentStore, dossierStore } from '../../shared/runtime/dynamodb';
import { issuingDeps } from '../../shared/runtime/issuing';
import { publicBaseUrl, ward } from '../../shared/runtime/env';
import { cityWards } from '../../shared/runtime/city-wards';
import { idHasher } from '../../shared/runtime/kms';
import { officerRoute } from '../../shared/runtime/officer';
import { attachmentStore } from '../../shared/runtime/s3';
import { ensureCounterReceipt } from '../../shared/use-cases/dossier-documents';
import { createDossier } from '../../shared/use-cases/submit-dossier';

const deps = { ...issuingDeps(), dossiers: dossierStore(), documents: documentStore(), attachments: attachmentStore(), idHasher: idHasher(), cityWards };

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
    const receiptDocumentId = await ensureCounterReceipt(deps, result.dossier.code, officer);
    return {
      status: result.created ? 201 : 200,
      body: counterReceiptView(result, ward, publicBaseUrl, officer.name, receiptDocumentId),
      // Relative to the request's URL (RFC 9110 §10.2.2): {base}/officer/dossiers/{code}, under any base path.
      headers: { Location: `dossiers/${encodeURIComponent(result.dossier.code)}` },
    };
  },
);
