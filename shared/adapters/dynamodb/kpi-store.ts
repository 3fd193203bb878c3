import { paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { KPI_COUNTERS, type KpiCounter } from '../../domain/dossier';
import type { DayTotals, KpiStore, KpiTotals } from '../../use-cases/ports';
import type { DynamoStoreOptions } from './dossier-store';
import { keys } from './keys';
import { OPEN_OVERDUE_ATTRIBUTE } from './kpi';
import { addDays } from '../../domain/time';

/** A day's counter item: each counter exists once a change of that day added to it. */
const KpiDaySchema = z.object(Object.fromEntries(KPI_COUNTERS.map((counter) => [counter, z.number().optional()])) as Record<KpiCounter, z.ZodOptional<z.ZodNumber>>);

/**
 * The KPI report's reads: the per-day counter items (`PK = KPI`, `SK = DAY#<YYYY-MM-DD>#<shard>`, written
 * in the same transactions as the changes they count, see kpi.ts) and the running number of open
 * overdue dossiers (`OPEN_OVERDUE#<shard>`): never a dossier, so a report costs the same whatever
 * the number of dossiers.
 */
export function dynamoKpiStore(client: DynamoDBDocumentClient, tableName: string, options: DynamoStoreOptions = {}): KpiStore {
  const capacity = options.returnConsumedCapacity ?? 'NONE';

  async function dailyTotals(from: string, to: string): Promise<DayTotals[]> {
    const first = keys.kpiDay(from);
    const days = new Map<string, Record<KpiCounter, number>>();
    // One Query over the day items of the range: at most KPI_SHARDS small items per day that had
    // any change, however many dossiers there were. A year is at most ~2,900 items of a few
    // hundred bytes, about the 1 MB page: a page boundary is followed.
    const pages = paginateQuery(
      { client },
      {
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': first.PK, ':from': first.SK, ':to': keys.kpiDayEnd(to).SK },
        // The leader who has just resolved a dossier sees it counted; strong reads of ~31 small items cost ~2–4 RCU.
        ConsistentRead: true,
        ReturnConsumedCapacity: capacity,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const day = dayOfKpiItem(item);
        const counts = KpiDaySchema.parse(item);
        const totals = days.get(day) ?? zeroTotals();
        for (const counter of KPI_COUNTERS) totals[counter] += counts[counter] ?? 0;
        days.set(day, totals);
      }
    }
    // The sort key orders the days already; the Map keeps that order.
    return [...days].map(([day, totals]) => ({ day, totals }));
  }

  return {
    async sumDays(from, to) {
      return sumTotals((await dailyTotals(from, to)).map((day) => day.totals));
    },

    dailyTotals,

    async openOverdueAtEndOf(day, today) {
      // The running number now (KPI_SHARDS small items), then the days after `day` undone.
      const [balance, later] = await Promise.all([sumOpenOverdueShards(), day >= today ? Promise.resolve([]) : dailyTotals(addDays(day, 1), today)]);
      return later.reduce((open, { totals }) => open - totals.overdueMarked + totals.overdueClosed, balance);
    },
  };

  async function sumOpenOverdueShards(): Promise<number> {
    let open = 0;
    const pages = paginateQuery(
      { client },
      {
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.kpiPartition, ':prefix': keys.openOverduePrefix },
        ConsistentRead: true,
        ReturnConsumedCapacity: capacity,
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) open += OpenOverdueShardSchema.parse(item)[OPEN_OVERDUE_ATTRIBUTE];
    return open;
  }
}

const OpenOverdueShardSchema = z.object({ [OPEN_OVERDUE_ATTRIBUTE]: z.number() });

const zeroTotals = (): Record<KpiCounter, number> => Object.fromEntries(KPI_COUNTERS.map((counter) => [counter, 0])) as Record<KpiCounter, number>;

function sumTotals(all: readonly KpiTotals[]): KpiTotals {
  const totals = zeroTotals();
  for (const day of all) for (const counter of KPI_COUNTERS) totals[counter] += day[counter];
  return totals;
}

/** The day of a KPI item's sort key, `DAY#<YYYY-MM-DD>#<shard>`. */
function dayOfKpiItem(item: Record<string, unknown>): string {
  const day = keys.kpiDayOf(String(item.SK));
  if (day === undefined) throw new Error(`not a KPI day item: ${String(item.SK)}`);
  return day;
}
