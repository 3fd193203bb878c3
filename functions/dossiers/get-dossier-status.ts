import { contract } from '../../shared/api/contract';
import { publicStatusView } from '../../shared/api/views';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { httpRoute } from '../../shared/runtime/http';
import { getPublicStatus } from '../../shared/use-cases/track-dossier';

const dossiers = dossierStore();

export const handler = httpRoute({ params: contract.GetDossierStatus.params }, async ({ params }) => {
  const dossier = await getPublicStatus(dossiers, params.code);
  return { status: 200, body: publicStatusView(dossier) };
});
