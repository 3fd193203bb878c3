import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { Dossier } from '../../domain/dossier';
import { ServiceBusyError } from '../../domain/errors';
import { AccessEntrySchema, LOGGED_READ_ROUTES, SubjectExportRecordSchema, type AccessEntry, type ErasureEntry, type SubjectExportRecord } from '../../domain/personal-data';
import type { Erasure, PersonalDataPage, PersonalDataStore } from '../../use-cases/ports';
import { dossierFromItem, erasureEntryFromItem, erasureItem, erasureUpdate, historyItem } from './items';
import { dossierIndexKeys, keys } from './keys';
import { encodeCursor, invalidCursor, parseCursor } from './page-cursor';

/**
 * The personal-data duties on the single table (shared/domain/personal-data.ts has the rules):
 *
 * - the access log, one item per officer read under the dossier's own partition
 *   (`ACCESS#<code>`, `AT#<instant>#<id>`): a dossier's log is one Query, newest first;
 * - the data-subject exports (`SUBJECTEXPORT`, `<instant>#<id>`), written in one transaction
 *   with an access entry for every dossier the export read;
 * - the erasure schedule (`ERASURE`, `<due instant>#<code>`): the scheduled job reads what is due
 *   with one Query whose sort key ends at now, a bounded page a run, whatever the table's size.
 *
 * Access entries and export records are written once (`attribute_not_exists`) and never changed;
 * none has a TTL: they are the ward's evidence for auditors.
 */
export function dynamoPersonalDataStore(client: DynamoDBDocumentClient, tableName: string): PersonalDataStore {
  return {
    async recordAccess(entry) {
      await client.send(new PutCommand({ TableName: tableName, Item: accessItem(entry), ConditionExpression: 'attribute_not_exists(PK)' }));
    },

    async listAccess(code, page) {
      const partition = keys.accessPartition(code);
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ScanIndexForward: false,
          Limit: page.limit,
          ExclusiveStartKey: page.cursor === undefined ? undefined : decodeCursor(page.cursor, partition),
        }),
      );
      return pageOf(result, accessEntryFromItem);
    },

    async recordExport(record, reads) {
      // One transaction: the export is recorded with every read it made, or not at all (100 items at most).
      const items = [
        { Put: { TableName: tableName, Item: exportItem(record), ConditionExpression: 'attribute_not_exists(PK)' } },
        ...reads.map((entry) => ({ Put: { TableName: tableName, Item: accessItem(entry), ConditionExpression: 'attribute_not_exists(PK)' } })),
      ];
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
      } catch (error) {
        if (
          error instanceof TransactionCanceledException &&
          error.CancellationReasons?.some((reason) => reason.Code === 'TransactionConflict' || reason.Code === 'ThrottlingError')
        ) {
          throw new ServiceBusyError();
        }
        throw error;
      }
    },

    async listExports(page) {
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.subjectExportPartition },
          ScanIndexForward: false,
          Limit: page.limit,
          ExclusiveStartKey: page.cursor === undefined ? undefined : decodeCursor(page.cursor, keys.subjectExportPartition),
        }),
      );
      return pageOf(result, exportFromItem);
    },

    async applicantDossiers(applicantKey) {
      const dossiers: Dossier[] = [];
      let startKey: Record<string, unknown> | undefined;
      // Every page of the applicant's partition of byApplicant (one page unless they hold more than 1 MB of dossiers).
      do {
        const result = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'byApplicant',
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': 'byApplicantPK' },
            ExpressionAttributeValues: { ':pk': dossierIndexKeys.byApplicant(applicantKey, '', '').byApplicantPK },
            ScanIndexForward: false,
            ExclusiveStartKey: startKey,
          }),
        );
        dossiers.push(...(result.Items ?? []).map(dossierFromItem));
        startKey = result.LastEvaluatedKey;
      } while (startKey !== undefined);
      return dossiers;
    },

    async dossierOfUpload(uploadId) {
      const result = await client.send(new GetCommand({ TableName: tableName, Key: keys.uploadClaim(uploadId), ProjectionExpression: 'dossierCode' }));
      const code: unknown = result.Item?.dossierCode;
      return typeof code === 'string' ? code : undefined;
    },

    async dueErasures(now, limit) {
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND SK <= :end',
          ExpressionAttributeValues: { ':pk': keys.erasurePartition, ':end': keys.erasureDueEnd(now) },
          Limit: limit,
        }),
      );
      return (result.Items ?? []).map(erasureEntryFromItem);
    },

    async postponeErasure(entry, dueAt) {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: tableName, Key: keys.erasure(entry.dueAt, entry.dossierCode) } },
            { Put: { TableName: tableName, Item: erasureItem(dueAt, entry.dossierCode) } },
          ],
        }),
      );
    },

    async dropErasure(entry) {
      await client.send(new TransactWriteCommand({ TransactItems: [{ Delete: { TableName: tableName, Key: keys.erasure(entry.dueAt, entry.dossierCode) } }] }));
    },

    async erase(entry: ErasureEntry, erasure: Erasure) {
      const { dossier, history, expectedVersion, notedHistory } = erasure;
      const items = [
        { Update: erasureUpdate(tableName, dossier, expectedVersion) },
        { Put: { TableName: tableName, Item: historyItem(dossier.code, history), ConditionExpression: 'attribute_not_exists(PK)' } },
        // The free text of earlier events goes too; the events themselves (who, what, when) stay.
        ...notedHistory.map((sequence) => ({
          Update: {
            TableName: tableName,
            Key: keys.history(dossier.code, sequence),
            UpdateExpression: 'REMOVE #note',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeNames: { '#note': 'note' },
          },
        })),
        { Delete: { TableName: tableName, Key: keys.erasure(entry.dueAt, entry.dossierCode) } },
      ];
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        return 'ERASED';
      } catch (error) {
        // The dossier changed since it was read (or another run erased it): the next run decides again.
        if (
          error instanceof TransactionCanceledException &&
          error.CancellationReasons?.some((reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict')
        ) {
          return 'CONFLICT';
        }
        throw error;
      }
    },
  };
}

function accessItem(entry: AccessEntry): Record<string, unknown> {
  return {
    ...keys.accessEntry(entry.dossierCode, entry.at, randomUUID()),
    dossierCode: entry.dossierCode,
    at: entry.at.toISOString(),
    officer: entry.officer,
    route: entry.route,
    ...(entry.item === undefined ? {} : { item: entry.item }),
    ...(entry.exportId === undefined ? {} : { exportId: entry.exportId }),
  };
}

const StoredAccessSchema = z.object({
  dossierCode: z.string(),
  at: z.iso.datetime().transform((value) => new Date(value)),
  officer: z.object({ id: z.string(), name: z.string() }),
  route: z.enum(LOGGED_READ_ROUTES),
  item: z.string().optional(),
  exportId: z.string().optional(),
});

const accessEntryFromItem = (item: Record<string, unknown>): AccessEntry => AccessEntrySchema.parse(StoredAccessSchema.parse(item));

function exportItem(record: SubjectExportRecord): Record<string, unknown> {
  return { ...keys.subjectExport(record.at, record.id), ...record, at: record.at.toISOString() };
}

const exportFromItem = (item: Record<string, unknown>): SubjectExportRecord =>
  SubjectExportRecordSchema.parse({ ...SubjectExportRecordSchema.omit({ at: true }).parse(item), at: new Date(z.iso.datetime().parse(item.at)) });

function pageOf<T>(result: { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> }, parse: (item: Record<string, unknown>) => T): PersonalDataPage<T> {
  return {
    items: (result.Items ?? []).map(parse),
    nextCursor: result.LastEvaluatedKey === undefined ? null : encodeCursor(result.LastEvaluatedKey),
  };
}

const CursorSchema = z.object({ PK: z.string(), SK: z.string().max(300) }).strict();

/** @throws ValidationError when the cursor is not a page of this list. */
function decodeCursor(cursor: string, partition: string): Record<string, unknown> {
  const key = parseCursor(cursor, CursorSchema);
  if (key === undefined || key.PK !== partition) throw invalidCursor();
  return key;
}
