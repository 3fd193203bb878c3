import { contract } from '../../shared/api/contract';
import { citizenDossierView } from '../../shared/api/views';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { dossierKeyOf, signedInApplicantOf } from '../../shared/runtime/citizen';
import { httpRoute } from '../../shared/runtime/http';
import { getCitizenDossier } from '../../shared/use-cases/track-dossier';

const dossiers = dossierStore();

export const handler = httpRoute(
  { params: contract.GetDossier.params, headers: contract.GetDossier.headers },
  async ({ params, headers }, applicant) => {
    const found = await getCitizenDossier(dossiers, params.code, dossierKeyOf(headers['x-dossier-secret'], applicant));
    return { status: 200, body: citizenDossierView(found), headers: { ETag: `"${found.dossier.version}"` } };
  },
  signedInApplicantOf,
);
