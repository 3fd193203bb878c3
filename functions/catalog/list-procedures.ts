import { contract } from '../../shared/api/contract';
import { procedureSummary } from '../../shared/api/views';
import { catalogStore } from '../../shared/runtime/dynamodb';
import { httpRoute } from '../../shared/runtime/http';
import { listProcedures } from '../../shared/use-cases/catalog';

const catalog = catalogStore();

export const handler = httpRoute({ query: contract.ListProcedures.query }, async ({ query }) => {
  const procedures = await listProcedures(catalog, query);
  return {
    status: 200,
    body: { items: procedures.map(procedureSummary), count: procedures.length },
    headers: { 'Cache-Control': 'public, max-age=300' },
  };
});
