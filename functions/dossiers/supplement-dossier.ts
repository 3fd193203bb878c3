import { contract } from '../../shared/api/contract';
import { withdrawResultView } from '../../shared/api/views';
import { catalogStore, dossierStore } from '../../shared/runtime/dynamodb';
import { ward } from '../../shared/runtime/env';
import { dossierKeyOf, signedInApplicantOf } from '../../shared/runtime/citizen';
import { httpRoute } from '../../shared/runtime/http';
import { attachmentStore } from '../../shared/runtime/s3';
import { systemClock } from '../../shared/use-cases/ports';
import { supplementDossier } from '../../shared/use-cases/supplement-dossier';

const deps = { dossiers: dossierStore(), catalog: catalogStore(), attachments: attachmentStore(), clock: systemClock, ward };

export const handler = httpRoute(
  { params: contract.SupplementDossier.params, headers: contract.SupplementDossier.headers, body: contract.SupplementDossier.body },
  async ({ params, headers, body }, applicant) => {
    const dossier = await supplementDossier(deps, params.code, dossierKeyOf(headers['x-dossier-secret'], applicant), body);
    return { status: 200, body: withdrawResultView(dossier) };
  },
  signedInApplicantOf,
);
