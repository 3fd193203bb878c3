import { paginateQuery, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { ValidationError } from '../../domain/errors';
import { isDossierCode } from '../../domain/formats';
import type { Dossier } from '../../domain/dossier';
import type { DossierStatus } from '../../domain/status';
import { vietnamMonth } from '../../domain/time';
import type { PageRequest, WorklistPage, WorklistStore } from '../../use-cases/ports';
import type { DynamoStoreOptions } from './dossier-store';
import { dossierFromItem } from './items';
import { DOSSIER_SK, dossierIndexKeys, keys } from './keys';

/**
 * The officers' worklist on the two dossier indexes (see table-definition.ts). Every page is ONE
 * Query, never a Scan, in the index's sort order, which is appointment order:
 *
 * - `byStatus` (PK `STATUS#<status>`, SK `<appointment or submission instant>#<code>`): one status;
 *   "due before T" is the key condition `byStatusSK < T`, because the sort key starts with the
 *   appointment instant (UTC ISO, so that string order is time order).
 * - `openByDue` (PK `OPEN`, SK `<appointment>#<code>`, sparse: only dossiers whose clock runs):
 *   every open dossier; "due before T" is `openByDueSK < T`.
 *
 * An index sort key ends with `#<code>`, so `< T` (T being a bare instant) is "appointment
 * strictly before T", and two dossiers with one appointment come in code order.
 *
 * Cursor: the base64url of the JSON of the last key of the page (the base table's and the
 * index's key attributes). Decoding checks its shape, that it belongs to this very query (same
 * index, same partition, inside the key condition) and throws a ValidationError (400) otherwise:
 * DynamoDB would answer a foreign or out-of-range start key with a ValidationException, a 500.
 * A well-formed cursor an officer writes by hand only starts the same query elsewhere in a list
 * that officer may read in full anyway, so it is not signed.
 */
export function dynamoWorklistStore(client: DynamoDBDocumentClient, tableName: string, options: DynamoStoreOptions = {}): WorklistStore {
  const capacity = options.returnConsumedCapacity ?? 'NONE';

  async function page(
    index: IndexShape,
    partition: string,
    before: Date | undefined,
    /** An attribute the listed items must have (a FilterExpression; the key condition does the selecting). */
    required: string | undefined,
    request: PageRequest,
  ): Promise<WorklistPage> {
    const bound = before?.toISOString();
    const startKey = request.cursor === undefined ? undefined : decodeCursor(request.cursor, index, partition, bound);
    const input: QueryCommandInput = {
      TableName: tableName,
      IndexName: index.name,
      KeyConditionExpression: bound === undefined ? '#pk = :pk' : '#pk = :pk AND #sk < :before',
      ExpressionAttributeNames: {
        '#pk': index.partitionKey,
        ...(bound === undefined ? {} : { '#sk': index.sortKey }),
        ...(required === undefined ? {} : { '#required': required }),
      },
      ExpressionAttributeValues: { ':pk': partition, ...(bound === undefined ? {} : { ':before': bound }) },
      ...(required === undefined ? {} : { FilterExpression: 'attribute_exists(#required)' }),
      // One item more than the page: when it comes, there is a next page and the cursor is the
      // page's last item; when it does not, the list ends here (no empty last page to fetch).
      Limit: request.limit + 1,
      ExclusiveStartKey: startKey,
      ReturnConsumedCapacity: capacity,
    };
    const result = await client.send(new QueryCommand(input));
    const items = result.Items ?? [];
    const pageItems = items.slice(0, request.limit);
    const last = pageItems[pageItems.length - 1];
    const nextKey = items.length > request.limit && last ? keyOf(last, index) : result.LastEvaluatedKey;
    return { items: pageItems.map(dossierFromItem), nextCursor: nextKey ? encodeCursor(nextKey) : null };
  }

  return {
    listByStatus(status: DossierStatus, request) {
      // The byStatus sort key falls back to the submission instant for a dossier never received:
      // with a bound, only dossiers that have an appointment (or, for "overdue", a running clock,
      // i.e. an openByDue key) are listed. The filter drops only such dossiers of the few statuses
      // that mix them with received ones; see shared/use-cases/list-dossiers.ts.
      const required = request.runningClockOnly ? OPEN_BY_DUE.partitionKey : request.dueBefore ? 'appointmentAt' : undefined;
      return page(BY_STATUS, statusPartition(status), request.dueBefore, required, request);
    },
    listOpenByDue(request) {
      return page(OPEN_BY_DUE, OPEN_PARTITION, request.dueBefore, undefined, request);
    },
    async listReceived(period) {
      const dossiers: Dossier[] = [];
      for (const month of monthsOf(period)) {
        const pages = paginateQuery(
          { client },
          {
            TableName: tableName,
            IndexName: 'byReceivedMonth',
            // The sort key is `<receivedAt>#<code>`: between two bare instants is "from ≤ receivedAt < to".
            KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
            ExpressionAttributeNames: { '#pk': 'byReceivedPK', '#sk': 'byReceivedSK' },
            ExpressionAttributeValues: { ':pk': receivedPartition(month), ':from': period.from.toISOString(), ':to': period.to.toISOString() },
            ReturnConsumedCapacity: capacity,
          },
        );
        for await (const page of pages) dossiers.push(...(page.Items ?? []).map(dossierFromItem));
      }
      return dossiers;
    },
  };
}

/** The Vietnam months (`YYYY-MM`) that `from ≤ t < to` touches, in order. */
function monthsOf(period: { readonly from: Date; readonly to: Date }): string[] {
  const last = vietnamMonth(new Date(period.to.getTime() - 1));
  const months: string[] = [];
  for (let month = vietnamMonth(period.from); month <= last; month = nextMonth(month)) months.push(month);
  return months;
}

function nextMonth(month: string): string {
  const [year = 0, number = 0] = month.split('-').map(Number);
  return number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, '0')}`;
}

const receivedPartition = (month: string): string => dossierIndexKeys.byReceived(month, '', '').byReceivedPK;

interface IndexShape {
  readonly name: 'byStatus' | 'openByDue';
  readonly partitionKey: string;
  readonly sortKey: string;
}

const BY_STATUS: IndexShape = { name: 'byStatus', partitionKey: 'byStatusPK', sortKey: 'byStatusSK' };
const OPEN_BY_DUE: IndexShape = { name: 'openByDue', partitionKey: 'openByDuePK', sortKey: 'openByDueSK' };

/** Index partitions, from the one place that shapes the keys (keys.ts). */
const statusPartition = (status: DossierStatus): string => dossierIndexKeys.byStatus(status, '', '').byStatusPK;
const OPEN_PARTITION = dossierIndexKeys.openByDue('', '').openByDuePK;

function keyOf(item: Record<string, unknown>, index: IndexShape): Record<string, unknown> {
  return { PK: item.PK, SK: item.SK, [index.partitionKey]: item[index.partitionKey], [index.sortKey]: item[index.sortKey] };
}

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** An index sort key: a UTC instant as `Date.toISOString()` writes it, then `#<dossier code>`. */
const INDEX_SORT_KEY = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#(.+)$/;

const cursorSchema = (index: IndexShape) =>
  z
    .object({
      PK: z.string(),
      SK: z.literal(DOSSIER_SK),
      [index.partitionKey]: z.string(),
      [index.sortKey]: z.string().regex(INDEX_SORT_KEY),
    })
    .strict();

const CURSOR_SCHEMAS = { byStatus: cursorSchema(BY_STATUS), openByDue: cursorSchema(OPEN_BY_DUE) } as const;

/** @throws ValidationError when the cursor is not one this query (index, partition, bound) produced. */
function decodeCursor(cursor: string, index: IndexShape, partition: string, bound: string | undefined): Record<string, unknown> {
  const key = parseCursor(cursor, index);
  const sortKey = key?.[index.sortKey];
  const code = typeof sortKey === 'string' ? INDEX_SORT_KEY.exec(sortKey)?.[2] : undefined;
  const valid =
    key !== undefined &&
    code !== undefined &&
    isDossierCode(code) &&
    key.PK === keys.dossier(code).PK &&
    key[index.partitionKey] === partition &&
    (bound === undefined || (typeof sortKey === 'string' && sortKey < bound));
  if (!valid) throw invalidCursor();
  return key;
}

function parseCursor(cursor: string, index: IndexShape): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const parsed = CURSOR_SCHEMAS[index.name].safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const invalidCursor = () =>
  new ValidationError([
    {
      path: 'query.cursor',
      message: {
        vi: 'Con trỏ trang không hợp lệ: hãy dùng đúng nextCursor của trang trước, với cùng các bộ lọc.',
        en: 'Invalid cursor: send the nextCursor of the previous page, with the same filters.',
      },
    },
  ]);
