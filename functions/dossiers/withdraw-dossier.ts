import { contract } from '../../shared/api/contract';
import { withdrawResultView } from '../../shared/api/views';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { dossierKeyOf, signedInApplicantOf } from '../../shared/runtime/citizen';
import { httpRoute } from '../../shared/runtime/http';
import { issuingDeps } from '../../shared/runtime/issuing';
import { withdrawDossier } from '../../shared/use-cases/withdraw-dossier';

const deps = { ...issuingDeps(), dossiers: dossierStore() };

export const handler = httpRoute(
  { params: contract.WithdrawDossier.params, headers: contract.WithdrawDossier.headers, body: contract.WithdrawDossier.body },
  async ({ params, headers, body }, applicant) => {
    const dossier = await withdrawDossier(deps, params.code, dossierKeyOf(headers['x-dossier-secret'], applicant), body?.reason);
    return { status: 200, body: withdrawResultView(dossier) };
  },
  signedInApplicantOf,
);
