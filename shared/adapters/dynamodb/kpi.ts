import type { KpiIncrements } from '../../domain/dossier';
import { keys } from './keys';

/** The Update of a transaction that adds to a day's KPI counters (created on first use). */
export function kpiUpdate(tableName: string, day: string, increments: KpiIncrements) {
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
    Key: keys.kpiDay(day),
    UpdateExpression: adds.length > 0 ? `SET #day = :day ADD ${adds.join(', ')}` : 'SET #day = :day',
    ExpressionAttributeNames: { ...names, '#day': 'day' },
    ExpressionAttributeValues: values,
  };
}
