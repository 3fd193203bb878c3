import { contract } from '../../shared/api/contract';
import { documentView } from '../../shared/api/views';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { officerRoute } from '../../shared/runtime/officer';
import { documentsOf } from '../../shared/use-cases/list-documents';
import { dossierNotFound } from '../../shared/use-cases/track-dossier';

const dossiers = dossierStore();

export const handler = officerRoute('ListOfficerDocuments', { params: contract.ListOfficerDocuments.params }, async ({ params }) => {
  const found = await dossiers.getDossierWithHistory(params.code);
  if (!found) throw dossierNotFound();
  return { status: 200, body: { code: found.dossier.code, items: documentsOf(found).map(documentView) } };
});
