import type { KpiIncrements } from '../../domain/dossier';
import { keys } from './keys';

/**
 * The day's counters are spread over this many items, each change adding to one picked at random:
 * concurrent transactions then rarely meet on one item (DynamoDB cancels a transaction that
 * touches an item another transaction is writing), and the report sums the shards of each day.
 */
export const KPI_SHARDS = 8;

const randomShard = () => Math.floor(Math.random() * KPI_SHARDS);

/** The Update of a transaction that adds to a day's KPI counters (one shard of them, created on first use). */
export function kpiUpdate(tableName: string, day: string, increments: KpiIncrements, shard: number = randomShard()) {
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

/** The attribute of an {@link openOverdueUpdate} shard. */
export const OPEN_OVERDUE_ATTRIBUTE = 'openOverdue';

/**
 * The Updates a change's KPI counters take: the day's counters, and, when the change marks a
 * dossier overdue or closes an overdue one, the running number of open overdue dossiers
 * (`OPEN_OVERDUE#<shard>`, the sum of every day's `overdueMarked − overdueClosed`), so that the
 * number at the end of any day is read from it and the days after that one, never from the
 * dossiers. Both in the change's transaction.
 */
export function kpiUpdates(tableName: string, day: string, increments: KpiIncrements) {
  const net = (increments.overdueMarked ?? 0) - (increments.overdueClosed ?? 0);
  const balance =
    net === 0
      ? []
      : [
          {
            TableName: tableName,
            Key: keys.openOverdue(randomShard()),
            UpdateExpression: 'ADD #open :net',
            ExpressionAttributeNames: { '#open': OPEN_OVERDUE_ATTRIBUTE },
            ExpressionAttributeValues: { ':net': net },
          },
        ];
  return [kpiUpdate(tableName, day, increments), ...balance];
}
