import { contract } from '../../shared/api/contract';
import { documentView } from '../../shared/api/views';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { dossierKeyOf, signedInApplicantOf } from '../../shared/runtime/citizen';
import { httpRoute } from '../../shared/runtime/http';
import { citizenDocuments } from '../../shared/use-cases/list-documents';
import { getCitizenDossier } from '../../shared/use-cases/track-dossier';

const dossiers = dossierStore();

export const handler = httpRoute(
  { params: contract.ListDossierDocuments.params, headers: contract.ListDossierDocuments.headers },
  async ({ params, headers }, applicant) => {
    const found = await getCitizenDossier(dossiers, params.code, dossierKeyOf(headers['x-dossier-secret'], applicant));
    return { status: 200, body: { code: found.dossier.code, items: citizenDocuments(found).map(documentView) } };
  },
  signedInApplicantOf,
);
