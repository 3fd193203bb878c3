import { contract } from '../../shared/api/contract';
import { toVietnamIso } from '../../shared/domain/time';
import { dossierStore, personalDataStore } from '../../shared/runtime/dynamodb';
import { officerRoute } from '../../shared/runtime/officer';
import { documentArchive } from '../../shared/runtime/s3';
import { documentLink, documentsOf } from '../../shared/use-cases/list-documents';
import { dossierNotFound } from '../../shared/use-cases/track-dossier';
import { recordRead } from '../../shared/use-cases/personal-data';
import { systemClock } from '../../shared/use-cases/ports';

const dossiers = dossierStore();
const archive = documentArchive();
const log = { personalData: personalDataStore(), clock: systemClock };

export const handler = officerRoute('GetOfficerDocumentLink', { params: contract.GetOfficerDocumentLink.params }, async ({ params }, officer) => {
  const found = await dossiers.getDossierWithHistory(params.code);
  if (!found) throw dossierNotFound();
  const link = await documentLink(archive, found.dossier.code, documentsOf(found), params.id);
  await recordRead(log, { officer, route: 'GetOfficerDocumentLink', dossierCode: found.dossier.code, item: params.id });
  return { status: 200, body: { url: link.url, expiresAt: toVietnamIso(link.expiresAt), sha256: link.sha256 } };
});
