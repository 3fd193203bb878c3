import { contract } from '../../shared/api/contract';
import { kpiReportView } from '../../shared/api/views';
import { kpiStore } from '../../shared/runtime/dynamodb';
import { ward } from '../../shared/runtime/env';
import { officerRoute } from '../../shared/runtime/officer';
import { getKpiReport } from '../../shared/use-cases/kpi-report';
import { systemClock } from '../../shared/use-cases/ports';

const deps = { kpis: kpiStore(), clock: systemClock, targets: ward.targets };

export const handler = officerRoute('GetKpis', { query: contract.GetKpis.query }, async ({ query }) => ({
  status: 200,
  body: kpiReportView(await getKpiReport(deps, query)),
}));
