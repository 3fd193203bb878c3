import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { handler as PublishWardFiguresHandler } from '../../functions/reports/publish-ward-figures';
import { WARD_FIGURE_METRICS } from '../../shared/use-cases/ward-figures';
import { setLambdaEnvironment, TEST_TABLE } from '../fixtures/ward';

const dynamo = mockClient(DynamoDBDocumentClient);
let handler: typeof PublishWardFiguresHandler;

beforeAll(async () => {
  // 02:00 UTC: 09:00 on 20 May in Vietnam.
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-05-20T02:00:00Z') });
  setLambdaEnvironment();
  ({ handler } = await import('../../functions/reports/publish-ward-figures'));
});
afterAll(() => vi.useRealTimers());

describe('the WardFigures job', () => {
  it("emits the Vietnam day's figures from the day's counter items and the running open-overdue number, and publishes them", async () => {
    dynamo.reset();
    // The running number of open overdue dossiers, in its shards: two now.
    dynamo.on(QueryCommand, { KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)' }).resolves({
      Items: [
        { PK: 'KPI', SK: 'OPEN_OVERDUE#01', openOverdue: 3 },
        { PK: 'KPI', SK: 'OPEN_OVERDUE#04', openOverdue: -1 },
      ],
    });
    dynamo.on(QueryCommand, { KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to' }).resolves({
      Items: [
        { PK: 'KPI', SK: 'DAY#2026-05-20#00', received: 3, resolved: 2, resolvedOnTime: 1, resolvedLate: 1 },
        { PK: 'KPI', SK: 'DAY#2026-05-20#05', received: 2, resolved: 2, resolvedEarly: 2 },
      ],
    });
    const { metrics } = await import('../../shared/runtime/observability');
    const addMetric = vi.spyOn(metrics, 'addMetric');
    const publish = vi.spyOn(metrics, 'publishStoredMetrics');

    const figures = await handler();

    expect(figures).toEqual({ day: '2026-05-20', received: 5, resolved: 4, resolvedOnTime: 3, onTimeSharePercent: 75, overdueOpen: 2 });
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TEST_TABLE,
      ExpressionAttributeValues: { ':pk': 'KPI', ':from': 'DAY#2026-05-20', ':to': 'DAY#2026-05-20#~' },
    });
    // No dossier is read: nothing asks the open-dossier index.
    expect(dynamo.commandCalls(QueryCommand).filter((call) => call.args[0].input.IndexName !== undefined)).toEqual([]);
    expect(addMetric.mock.calls).toEqual([
      [WARD_FIGURE_METRICS.received, 'Count', 5],
      [WARD_FIGURE_METRICS.resolved, 'Count', 4],
      [WARD_FIGURE_METRICS.resolvedOnTime, 'Count', 3],
      [WARD_FIGURE_METRICS.onTimeShare, 'Percent', 75],
      [WARD_FIGURE_METRICS.overdueOpen, 'Count', 2],
    ]);
    expect(publish).toHaveBeenCalledTimes(1);
    addMetric.mockRestore();
    publish.mockRestore();
  });
});
