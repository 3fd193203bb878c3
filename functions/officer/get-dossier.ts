import { contract } from '../../shared/api/contract';
import { officerDossierView } from '../../shared/api/views';
import { catalogStore, dossierStore } from '../../shared/runtime/dynamodb';
import { ward } from '../../shared/runtime/env';
import { officerRoute } from '../../shared/runtime/officer';
import { getOfficerDossier } from '../../shared/use-cases/officer-dossier';

const deps = { dossiers: dossierStore(), catalog: catalogStore(), ward };

export const handler = officerRoute('GetOfficerDossier', { params: contract.GetOfficerDossier.params }, async ({ params }, officer) => {
  const view = await getOfficerDossier(deps, { code: params.code, roles: officer.roles });
  return { status: 200, body: officerDossierView(view), headers: { ETag: `"${view.found.dossier.version}"` } };
});
