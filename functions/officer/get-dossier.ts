import { contract } from '../../shared/api/contract';
import { officerDossierView } from '../../shared/api/views';
import { catalogStore, dossierStore, personalDataStore } from '../../shared/runtime/dynamodb';
import { ward } from '../../shared/runtime/env';
import { officerRoute } from '../../shared/runtime/officer';
import { getOfficerDossier } from '../../shared/use-cases/officer-dossier';
import { recordRead } from '../../shared/use-cases/personal-data';
import { systemClock } from '../../shared/use-cases/ports';

const deps = { dossiers: dossierStore(), catalog: catalogStore(), ward, personalData: personalDataStore(), clock: systemClock };

export const handler = officerRoute('GetOfficerDossier', { params: contract.GetOfficerDossier.params }, async ({ params }, officer) => {
  const view = await getOfficerDossier(deps, { code: params.code, roles: officer.roles });
  await recordRead(deps, { officer, route: 'GetOfficerDossier', dossierCode: view.found.dossier.code });
  return { status: 200, body: officerDossierView(view), headers: { ETag: `"${view.found.dossier.version}"` } };
});
