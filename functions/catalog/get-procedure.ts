import { contract } from '../../shared/api/contract';
import { procedureView } from '../../shared/api/views';
import { catalogStore } from '../../shared/runtime/dynamodb';
import { httpRoute } from '../../shared/runtime/http';
import { getProcedure } from '../../shared/use-cases/catalog';

const catalog = catalogStore();

export const handler = httpRoute({ params: contract.GetProcedure.params }, async ({ params }) => {
  const procedure = await getProcedure(catalog, params.procedureCode);
  return { status: 200, body: procedureView(procedure), headers: { 'Cache-Control': 'public, max-age=300' } };
});
