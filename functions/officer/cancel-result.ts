import { contract } from '../../shared/api/contract';
import { transitionResultView } from '../../shared/api/views';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { issuingDeps } from '../../shared/runtime/issuing';
import { officerRoute } from '../../shared/runtime/officer';
import { cancelResult } from '../../shared/use-cases/cancel-result';

const deps = { ...issuingDeps(), dossiers: dossierStore() };

export const handler = officerRoute(
  'CancelResult',
  { params: contract.CancelResult.params, headers: contract.CancelResult.headers, body: contract.CancelResult.body },
  async ({ params, headers, body }, officer) => {
    const dossier = await cancelResult(deps, { code: params.code, officer, reason: body.reason, expectedVersion: headers['if-match'] });
    return { status: 200, body: transitionResultView(dossier), headers: { ETag: `"${dossier.version}"` } };
  },
);
