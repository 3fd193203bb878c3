import { contract } from '../../shared/api/contract';
import { toVietnamIso } from '../../shared/domain/time';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { officerRoute } from '../../shared/runtime/officer';
import { documentArchive } from '../../shared/runtime/s3';
import { documentLink, documentsOf } from '../../shared/use-cases/list-documents';
import { dossierNotFound } from '../../shared/use-cases/track-dossier';

const dossiers = dossierStore();
const archive = documentArchive();

export const handler = officerRoute('GetOfficerDocumentLink', { params: contract.GetOfficerDocumentLink.params }, async ({ params }) => {
  const found = await dossiers.getDossierWithHistory(params.code);
  if (!found) throw dossierNotFound();
  const link = await documentLink(archive, found.dossier.code, documentsOf(found), params.id);
  return { status: 200, body: { url: link.url, expiresAt: toVietnamIso(link.expiresAt), sha256: link.sha256 } };
});
