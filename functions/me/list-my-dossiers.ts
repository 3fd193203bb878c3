import { contract } from '../../shared/api/contract';
import { myDossierItemView } from '../../shared/api/views';
import { citizenOf } from '../../shared/runtime/citizen';
import { applicantStore } from '../../shared/runtime/dynamodb';
import { httpRoute } from '../../shared/runtime/http';
import { idHasher } from '../../shared/runtime/kms';
import { listMyDossiers } from '../../shared/use-cases/my-dossiers';

const deps = { applicants: applicantStore(), idHasher: idHasher() };

export const handler = httpRoute(
  { query: contract.ListMyDossiers.query },
  async ({ query }, citizen) => {
    const page = await listMyDossiers(deps, citizen, { limit: query.limit, ...(query.cursor === undefined ? {} : { cursor: query.cursor }) });
    return { status: 200, body: { items: page.items.map(myDossierItemView), nextCursor: page.nextCursor } };
  },
  citizenOf,
);
