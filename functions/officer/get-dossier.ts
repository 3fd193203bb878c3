import { contract } from '../../shared/api/contract';
import { officerDossierView } from '../../shared/api/views';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { officerRoute } from '../../shared/runtime/officer';
import { dossierNotFound } from '../../shared/use-cases/track-dossier';

const dossiers = dossierStore();

export const handler = officerRoute('GetOfficerDossier', { params: contract.GetOfficerDossier.params }, async ({ params }) => {
  const found = await dossiers.getDossierWithHistory(params.code);
  if (!found) throw dossierNotFound();
  return { status: 200, body: officerDossierView(found), headers: { ETag: `"${found.dossier.version}"` } };
});
