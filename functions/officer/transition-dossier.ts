import { contract } from '../../shared/api/contract';
import { transitionResultView } from '../../shared/api/views';
import { catalogStore, dossierStore } from '../../shared/runtime/dynamodb';
import { issuingDeps } from '../../shared/runtime/issuing';
import { officerRoute } from '../../shared/runtime/officer';
import { transitionDossier } from '../../shared/use-cases/transition-dossier';

const deps = { ...issuingDeps(), dossiers: dossierStore(), catalog: catalogStore() };

export const handler = officerRoute(
  'TransitionDossier',
  { params: contract.TransitionDossier.params, headers: contract.TransitionDossier.headers, body: contract.TransitionDossier.body },
  async ({ params, headers, body }, officer) => {
    const dossier = await transitionDossier(deps, { code: params.code, officer, input: body, expectedVersion: headers['if-match'] });
    return { status: 200, body: transitionResultView(dossier), headers: { ETag: `"${dossier.version}"` } };
  },
);
