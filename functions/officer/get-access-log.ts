import { contract } from '../../shared/api/contract';
import { accessEntryView } from '../../shared/api/views';
import { personalDataStore } from '../../shared/runtime/dynamodb';
import { officerRoute } from '../../shared/runtime/officer';
import { accessLogOf } from '../../shared/use-cases/personal-data';

const deps = { personalData: personalDataStore() };

export const handler = officerRoute('GetAccessLog', { query: contract.GetAccessLog.query }, async ({ query }) => {
  const page = await accessLogOf(deps, query.code, { limit: query.limit, ...(query.cursor === undefined ? {} : { cursor: query.cursor }) });
  return { status: 200, body: { code: query.code, items: page.items.map(accessEntryView), nextCursor: page.nextCursor } };
});
