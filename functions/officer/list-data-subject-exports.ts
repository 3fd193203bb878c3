import { contract } from '../../shared/api/contract';
import { subjectExportRecordView } from '../../shared/api/views';
import { personalDataStore } from '../../shared/runtime/dynamodb';
import { officerRoute } from '../../shared/runtime/officer';
import { exportRecords } from '../../shared/use-cases/personal-data';

const deps = { personalData: personalDataStore() };

export const handler = officerRoute('ListDataSubjectExports', { query: contract.ListDataSubjectExports.query }, async ({ query }) => {
  const page = await exportRecords(deps, { limit: query.limit, ...(query.cursor === undefined ? {} : { cursor: query.cursor }) });
  return { status: 200, body: { items: page.items.map(subjectExportRecordView), nextCursor: page.nextCursor } };
});
