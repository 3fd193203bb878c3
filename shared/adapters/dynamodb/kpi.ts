import type { KpiIncrements } from '../../domain/dossier';
import { keys } from './keys';

/**
 * The day's counters are spread over this many items, each change adding to one picked at random:
 * concurrent transactions then rarely meet on one item (DynamoDB cancels a transaction that
 * touches an item another transaction is writing), and the report sums the shards of each day.
 */
export const KPI_SHARDS = 8;

/** The Update of a transaction that adds to a day's KPI counters (one shard of them, created on first use). */
export function kpiUpdate(tableName: string, day: string, increments: KpiIncrements, shard: number = Math.floor(Math.random() * KPI_SHARDS)) {
  const entries = Object.entries(increments).filter(([, value]) => value !== undefined && value !== 0);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':day': day };
  const adds = entries.map(([counter, value], index) => {
    names[`#c${index}`] = counter;
    values[`:v${index}`] = value;
    return `#c${index} :v${index}`;
  });
  return {
    TableName: tableName,
    Key: keys.kpiDay(day, shard),
    UpdateExpression: adds.length > 0 ? `SET #day = :day ADD ${adds.join(', ')}` : 'SET #day = :day',
    ExpressionAttributeNames: { ...names, '#day': 'day' },
    ExpressionAttributeValues: values,
  };
}
