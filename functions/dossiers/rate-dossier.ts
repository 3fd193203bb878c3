import { contract } from '../../shared/api/contract';
import { withdrawResultView } from '../../shared/api/views';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { dossierKeyOf, signedInApplicantOf } from '../../shared/runtime/citizen';
import { httpRoute } from '../../shared/runtime/http';
import { systemClock } from '../../shared/use-cases/ports';
import { rateDossier } from '../../shared/use-cases/rate-dossier';

const deps = { dossiers: dossierStore(), clock: systemClock };

export const handler = httpRoute(
  { params: contract.RateDossier.params, headers: contract.RateDossier.headers, body: contract.RateDossier.body },
  async ({ params, headers, body }, applicant) => {
    const dossier = await rateDossier(deps, params.code, dossierKeyOf(headers['x-dossier-secret'], applicant), body);
    return { status: 201, body: withdrawResultView(dossier) };
  },
  signedInApplicantOf,
);
