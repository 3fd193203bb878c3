import { GetCommand, paginateQuery, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { ValidationError } from '../../domain/errors';
import { isDossierCode } from '../../domain/formats';
import type { Dossier } from '../../domain/dossier';
import type { DossierStatus } from '../../domain/status';
import { vietnamMonth } from '../../domain/time';
import type { DueRange, PageRequest, WorklistPage, WorklistStore } from '../../use-cases/ports';
import type { DynamoStoreOptions } from './dossier-store';
import { dossierFromItem } from './items';
import { DOSSIER_SK, dossierIndexKeys, keys } from './keys';
import { encodeCursor } from './page-cursor';

/**
 * The officers' worklist and search on the dossier indexes (see table-definition.ts). Every page
 * is ONE request, never a Scan: a Query in the index's sort order, or a GetItem for a code:
 *
 * - `byStatus` (PK `STATUS#<status>`, SK `<appointment or submission instant>#<code>`): one status;
 *   "due in [F, T)" is the key condition `byStatusSK BETWEEN F AND T`, because the sort key starts
 *   with the appointment instant (UTC ISO, so that string order is time order).
 * - `openByDue` (PK `OPEN`, SK `<appointment>#<code>`, sparse: only dossiers whose clock runs):
 *   every open dossier; "due before T" is `openByDueSK < T`.
 * - `byApplicant` (PK `APPLICANT#<HMAC of the ID number>`, SK `<submitted>#<code>`): one
 *   applicant's dossiers, newest first.
 * - `byApplicantName` (PK `NAME#<first letter>`, SK `<name without diacritics>#<submitted>#<code>`):
 *   a name prefix is `begins_with(byNameSK, prefix)`.
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
    range: SortRange,
    /** An attribute the listed items must have (a FilterExpression; the key condition does the selecting). */
    required: string | undefined,
    request: PageRequest,
    newestFirst = false,
  ): Promise<WorklistPage> {
    const startKey = request.cursor === undefined ? undefined : decodeCursor(request.cursor, index, partition, range);
    const sortCondition = sortKeyCondition(range);
    const input: QueryCommandInput = {
      TableName: tableName,
      IndexName: index.name,
      KeyConditionExpression: sortCondition === undefined ? '#pk = :pk' : `#pk = :pk AND ${sortCondition.expression}`,
      ExpressionAttributeNames: {
        '#pk': index.partitionKey,
        ...(sortCondition === undefined ? {} : { '#sk': index.sortKey }),
        ...(required === undefined ? {} : { '#required': required }),
      },
      ExpressionAttributeValues: { ':pk': partition, ...sortCondition?.values },
      ...(required === undefined ? {} : { FilterExpression: 'attribute_exists(#required)' }),
      ...(newestFirst ? { ScanIndexForward: false } : {}),
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
      const bounded = request.dueBefore !== undefined || request.dueFrom !== undefined;
      const required = request.runningClockOnly ? OPEN_BY_DUE.partitionKey : bounded ? 'appointmentAt' : undefined;
      return page(BY_STATUS, statusPartition(status), instantRange(request), required, request);
    },
    listOpenByDue(request) {
      return page(OPEN_BY_DUE, OPEN_PARTITION, instantRange(request), undefined, request);
    },
    async findByCode(code) {
      // The dossier item itself: a code is exact, so there is nothing to page.
      const result = await client.send(new GetCommand({ TableName: tableName, Key: keys.dossier(code), ReturnConsumedCapacity: capacity }));
      return { items: result.Item ? [dossierFromItem(result.Item)] : [], nextCursor: null };
    },
    listByApplicant(applicantKey, request) {
      return page(BY_APPLICANT, dossierIndexKeys.byApplicant(applicantKey, '', '').byApplicantPK, {}, undefined, request, true);
    },
    listByName(prefix, request) {
      return page(BY_NAME, dossierIndexKeys.byName(prefix, '', '').byNamePK, { prefix }, undefined, request);
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
  readonly name: 'byStatus' | 'openByDue' | 'byApplicant' | 'byApplicantName';
  readonly partitionKey: string;
  readonly sortKey: string;
  /** The index's sort key; its last group is the dossier code. */
  readonly sortKeyPattern: RegExp;
}

/** A UTC instant as `Date.toISOString()` writes it. */
const INSTANT = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z`;
/** An index sort key: the instant, then `#<dossier code>`. */
const INSTANT_SORT_KEY = new RegExp(`^(${INSTANT})#(.+)$`);

const BY_STATUS: IndexShape = { name: 'byStatus', partitionKey: 'byStatusPK', sortKey: 'byStatusSK', sortKeyPattern: INSTANT_SORT_KEY };
const OPEN_BY_DUE: IndexShape = { name: 'openByDue', partitionKey: 'openByDuePK', sortKey: 'openByDueSK', sortKeyPattern: INSTANT_SORT_KEY };
const BY_APPLICANT: IndexShape = { name: 'byApplicant', partitionKey: 'byApplicantPK', sortKey: 'byApplicantSK', sortKeyPattern: INSTANT_SORT_KEY };
const BY_NAME: IndexShape = {
  name: 'byApplicantName',
  partitionKey: 'byNamePK',
  sortKey: 'byNameSK',
  sortKeyPattern: new RegExp(`^[a-z0-9 ]+#${INSTANT}#(.+)$`),
};

/** Index partitions, from the one place that shapes the keys (keys.ts). */
const statusPartition = (status: DossierStatus): string => dossierIndexKeys.byStatus(status, '', '').byStatusPK;
const OPEN_PARTITION = dossierIndexKeys.openByDue('', '').openByDuePK;

/** What a page's sort key must satisfy: `from` ≤ key < `before` (bare strings), or starting with `prefix`. */
interface SortRange {
  readonly from?: string;
  readonly before?: string;
  readonly prefix?: string;
}

const instantRange = (range: DueRange): SortRange => ({
  ...(range.dueFrom ? { from: range.dueFrom.toISOString() } : {}),
  ...(range.dueBefore ? { before: range.dueBefore.toISOString() } : {}),
});

/**
 * The key condition on the sort key. The index sort keys are `<instant>#<code>`: with bare
 * instants, `BETWEEN from AND before` is `from ≤ appointment < before` (a key equal to the
 * instant `before`, followed by `#…`, sorts after it).
 */
function sortKeyCondition(range: SortRange): { expression: string; values: Record<string, string> } | undefined {
  if (range.prefix !== undefined) return { expression: 'begins_with(#sk, :prefix)', values: { ':prefix': range.prefix } };
  if (range.from !== undefined && range.before !== undefined) return { expression: '#sk BETWEEN :from AND :before', values: { ':from': range.from, ':before': range.before } };
  if (range.before !== undefined) return { expression: '#sk < :before', values: { ':before': range.before } };
  if (range.from !== undefined) return { expression: '#sk >= :from', values: { ':from': range.from } };
  return undefined;
}

const inRange = (sortKey: string, range: SortRange): boolean =>
  (range.prefix === undefined || sortKey.startsWith(range.prefix)) && (range.from === undefined || sortKey >= range.from) && (range.before === undefined || sortKey < range.before);

function keyOf(item: Record<string, unknown>, index: IndexShape): Record<string, unknown> {
  return { PK: item.PK, SK: item.SK, [index.partitionKey]: item[index.partitionKey], [index.sortKey]: item[index.sortKey] };
}

const cursorSchema = (index: IndexShape) =>
  z
    .object({
      PK: z.string(),
      SK: z.literal(DOSSIER_SK),
      [index.partitionKey]: z.string(),
      [index.sortKey]: z.string().regex(index.sortKeyPattern),
    })
    .strict();

const CURSOR_SCHEMAS = {
  byStatus: cursorSchema(BY_STATUS),
  openByDue: cursorSchema(OPEN_BY_DUE),
  byApplicant: cursorSchema(BY_APPLICANT),
  byApplicantName: cursorSchema(BY_NAME),
} as const;

/** @throws ValidationError when the cursor is not one this query (index, partition, range) produced. */
function decodeCursor(cursor: string, index: IndexShape, partition: string, range: SortRange): Record<string, unknown> {
  const key = parseCursor(cursor, index);
  const sortKey = key?.[index.sortKey];
  const match = typeof sortKey === 'string' ? index.sortKeyPattern.exec(sortKey) : null;
  const code = match?.[match.length - 1];
  const valid =
    key !== undefined &&
    typeof sortKey === 'string' &&
    code !== undefined &&
    isDossierCode(code) &&
    key.PK === keys.dossier(code).PK &&
    key[index.partitionKey] === partition &&
    inRange(sortKey, range);
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
