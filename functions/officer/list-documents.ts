import { contract } from '../../shared/api/contract';
import { documentView } from '../../shared/api/views';
import { dossierStore, personalDataStore } from '../../shared/runtime/dynamodb';
import { officerRoute } from '../../shared/runtime/officer';
import { documentsOf } from '../../shared/use-cases/list-documents';
import { dossierNotFound } from '../../shared/use-cases/track-dossier';
import { recordRead } from '../../shared/use-cases/personal-data';
import { systemClock } from '../../shared/use-cases/ports';

const dossiers = dossierStore();
const log = { personalData: personalDataStore(), clock: systemClock };

export const handler = officerRoute('ListOfficerDocuments', { params: contract.ListOfficerDocuments.params }, async ({ params }, officer) => {
  const found = await dossiers.getDossierWithHistory(params.code);
  if (!found) throw dossierNotFound();
  await recordRead(log, { officer, route: 'ListOfficerDocuments', dossierCode: found.dossier.code });
  return { status: 200, body: { code: found.dossier.code, items: documentsOf(found).map(documentView) } };
});
