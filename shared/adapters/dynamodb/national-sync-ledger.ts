import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { DossierSyncState, NationalSyncLedger, SyncBacklogEntry, WardSyncStatus } from '../../use-cases/ports';

/**
 * Key shapes of the national sync's ledger (to join the table in keys.ts):
 *
 * | item                                   | PK                    | SK                 |
 * |----------------------------------------|-----------------------|--------------------|
 * | a dossier's last change delivered      | NATIONALSYNC#<code>   | STATE              |
 * | a dossier behind after a failure       | NATIONALSYNC          | BACKLOG#<code>     |
 * | the ward's counters                    | NATIONALSYNC          | STATUS             |
 *
 * The backlog is one partition (a Query lists it), small by nature: a dossier is in it only while
 * the receiver refuses or cannot be reached.
 */
export const nationalSyncKeys = {
  state: (code: string) => ({ PK: `NATIONALSYNC#${code}`, SK: 'STATE' }),
  partition: 'NATIONALSYNC',
  backlogPrefix: 'BACKLOG#',
  backlog: (code: string) => ({ PK: 'NATIONALSYNC', SK: `BACKLOG#${code}` }),
  status: { PK: 'NATIONALSYNC', SK: 'STATUS' },
} as const;

const instant = z.iso.datetime().transform((value) => new Date(value));

const BacklogItemSchema = z.object({
  dossierCode: z.string(),
  unsent: z.number().int(),
  attempts: z.number().int(),
  since: instant,
  nextAttemptAt: instant,
  lastError: z.string(),
  deadLettered: z.boolean(),
});

const StatusItemSchema = z.object({
  recordsSent: z.number().int().default(0),
  failures: z.number().int().default(0),
  lastSyncedAt: instant.optional(),
  lastSyncedDossier: z.string().optional(),
  lastSyncedSequence: z.number().int().optional(),
  lastErrorAt: instant.optional(),
  lastErrorDossier: z.string().optional(),
  lastError: z.string().optional(),
});

const backlogItem = (entry: SyncBacklogEntry) => ({
  ...nationalSyncKeys.backlog(entry.dossierCode),
  dossierCode: entry.dossierCode,
  unsent: entry.unsent,
  attempts: entry.attempts,
  since: entry.since.toISOString(),
  nextAttemptAt: entry.nextAttemptAt.toISOString(),
  lastError: entry.lastError,
  deadLettered: entry.deadLettered,
});

export function dynamoNationalSyncLedger(client: DynamoDBDocumentClient, tableName: string): NationalSyncLedger {
  const queryBacklog = async (limit: number, filter?: { now: Date }): Promise<SyncBacklogEntry[]> => {
    const entries: SyncBacklogEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ...(filter ? { FilterExpression: 'deadLettered = :no AND nextAttemptAt <= :now' } : {}),
          ExpressionAttributeValues: {
            ':pk': nationalSyncKeys.partition,
            ':prefix': nationalSyncKeys.backlogPrefix,
            ...(filter ? { ':no': false, ':now': filter.now.toISOString() } : {}),
          },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) entries.push(BacklogItemSchema.parse(item));
      start = page.LastEvaluatedKey;
    } while (start !== undefined && entries.length < limit);
    return entries.sort((a, b) => a.since.getTime() - b.since.getTime()).slice(0, limit);
  };

  return {
    async state(code): Promise<DossierSyncState> {
      const [state, backlog] = await Promise.all([
        client.send(new GetCommand({ TableName: tableName, Key: nationalSyncKeys.state(code), ConsistentRead: true })),
        client.send(new GetCommand({ TableName: tableName, Key: nationalSyncKeys.backlog(code), ConsistentRead: true })),
      ]);
      const lastSyncedSequence = z.object({ lastSyncedSequence: z.number().int() }).safeParse(state.Item).data?.lastSyncedSequence ?? 0;
      return { lastSyncedSequence, ...(backlog.Item ? { backlog: BacklogItemSchema.parse(backlog.Item) } : {}) };
    },

    async recordSynced(code, sequence, at) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: nationalSyncKeys.state(code),
            UpdateExpression: 'SET lastSyncedSequence = :sequence, lastSyncedAt = :at',
            ConditionExpression: 'attribute_not_exists(lastSyncedSequence) OR lastSyncedSequence < :sequence',
            ExpressionAttributeValues: { ':sequence': sequence, ':at': at.toISOString() },
          }),
        );
      } catch (error) {
        // Another attempt delivered it (or a later change) first.
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
      // ADD is atomic: concurrent consumers count every record.
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: nationalSyncKeys.status,
          UpdateExpression: 'ADD recordsSent :one SET lastSyncedAt = :at, lastSyncedDossier = :code, lastSyncedSequence = :sequence',
          ExpressionAttributeValues: { ':one': 1, ':at': at.toISOString(), ':code': code, ':sequence': sequence },
        }),
      );
      return true;
    },

    async recordFailure(entry, at) {
      await client.send(new PutCommand({ TableName: tableName, Item: backlogItem(entry) }));
      // Not in a transaction with the entry: during an outage every consumer counts at once, and ADD never conflicts.
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: nationalSyncKeys.status,
          UpdateExpression: 'ADD failures :one SET lastErrorAt = :at, lastErrorDossier = :code, lastError = :error',
          ExpressionAttributeValues: { ':one': 1, ':at': at.toISOString(), ':code': entry.dossierCode, ':error': entry.lastError },
        }),
      );
    },

    async clearBacklog(code) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: nationalSyncKeys.backlog(code) }));
    },

    dueBacklog: (now, limit) => queryBacklog(limit, { now }),
    backlog: (limit) => queryBacklog(limit),

    async wardStatus(): Promise<WardSyncStatus> {
      const { Item: item } = await client.send(new GetCommand({ TableName: tableName, Key: nationalSyncKeys.status, ConsistentRead: true }));
      const status = StatusItemSchema.parse(item ?? {});
      return {
        recordsSent: status.recordsSent,
        failures: status.failures,
        ...(status.lastSyncedAt && status.lastSyncedDossier && status.lastSyncedSequence !== undefined
          ? { lastSynced: { at: status.lastSyncedAt, dossierCode: status.lastSyncedDossier, sequence: status.lastSyncedSequence } }
          : {}),
        ...(status.lastErrorAt && status.lastErrorDossier && status.lastError
          ? { lastError: { at: status.lastErrorAt, dossierCode: status.lastErrorDossier, message: status.lastError } }
          : {}),
      };
    },
  };
}
