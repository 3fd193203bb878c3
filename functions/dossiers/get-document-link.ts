import { contract } from '../../shared/api/contract';
import { toVietnamIso } from '../../shared/domain/time';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { dossierKeyOf, signedInApplicantOf } from '../../shared/runtime/citizen';
import { httpRoute } from '../../shared/runtime/http';
import { documentArchive } from '../../shared/runtime/s3';
import { citizenDocuments, documentLink } from '../../shared/use-cases/list-documents';
import { getCitizenDossier } from '../../shared/use-cases/track-dossier';

const dossiers = dossierStore();
const archive = documentArchive();

export const handler = httpRoute(
  { params: contract.GetDossierDocumentLink.params, headers: contract.GetDossierDocumentLink.headers },
  async ({ params, headers }, applicant) => {
    const found = await getCitizenDossier(dossiers, params.code, dossierKeyOf(headers['x-dossier-secret'], applicant));
    const link = await documentLink(archive, found.dossier.code, citizenDocuments(found), params.id);
    return { status: 200, body: { url: link.url, expiresAt: toVietnamIso(link.expiresAt), sha256: link.sha256 } };
  },
  signedInApplicantOf,
);
