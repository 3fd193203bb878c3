import { contract } from '../../shared/api/contract';
import { documentView } from '../../shared/api/views';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { httpRoute } from '../../shared/runtime/http';
import { citizenDocuments } from '../../shared/use-cases/list-documents';
import { getCitizenDossier } from '../../shared/use-cases/track-dossier';

const dossiers = dossierStore();

export const handler = httpRoute({ params: contract.ListDossierDocuments.params, headers: contract.ListDossierDocuments.headers }, async ({ params, headers }) => {
  const found = await getCitizenDossier(dossiers, params.code, headers['x-dossier-secret']);
  return { status: 200, body: { code: found.dossier.code, items: citizenDocuments(found).map(documentView) } };
});
