import { contract } from '../../shared/api/contract';
import { worklistItemView } from '../../shared/api/views';
import { worklistStore } from '../../shared/runtime/dynamodb';
import { idHasher } from '../../shared/runtime/kms';
import { officerRoute } from '../../shared/runtime/officer';
import { listDossiers } from '../../shared/use-cases/list-dossiers';
import { systemClock } from '../../shared/use-cases/ports';

const deps = { worklist: worklistStore(), clock: systemClock, idHasher: idHasher() };

export const handler = officerRoute('ListDossiers', { query: contract.ListDossiers.query }, async ({ query }) => {
  const page = await listDossiers(deps, {
    status: query.status,
    due: query.due,
    q: query.q,
    dueBefore: query.dueBefore === undefined ? undefined : new Date(query.dueBefore),
    overdue: query.overdue === 'true',
    limit: query.limit,
    cursor: query.cursor,
  });
  return { status: 200, body: { items: page.items.map(worklistItemView), nextCursor: page.nextCursor } };
});
