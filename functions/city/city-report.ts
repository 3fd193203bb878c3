import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WARDS } from '../../infra/config/wards';
import { dynamoKpiStore } from '../../shared/adapters/dynamodb/kpi-store';
import { wardTableName } from '../../shared/adapters/dynamodb/table-definition';
import { cityReportView, type CityReportView } from '../../shared/api/views';
import { logger, tracer } from '../../shared/runtime/observability';
import { CityReportRequestSchema, getCityReport } from '../../shared/use-cases/city-report';
import { systemClock } from '../../shared/use-cases/ports';
import type * as z from 'zod';

const client = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));

/** Every ward's KPI counter items, in its own table (the role may read the KPI partition only). */
const wards = WARDS.map((ward) => ({ slug: ward.slug, name: ward.name, targets: ward.targets, kpis: dynamoKpiStore(client, wardTableName(ward.slug)) }));

/**
 * The city's report, invoked with `{ "from": "2026-11-01", "to": "2026-11-30" }` (the city
 * dashboard, an operator's `aws lambda invoke`): every ward's figures and the city's, from the
 * wards' daily counters. A malformed request fails with the zod issues, reading nothing.
 */
export const handler = async (event: unknown): Promise<z.infer<typeof CityReportView>> => {
  const range = CityReportRequestSchema.parse(event);
  const report = await getCityReport({ wards, clock: systemClock }, range);
  logger.info('city report', { from: range.from, to: range.to, wards: report.wards.length });
  return cityReportView(report);
};
