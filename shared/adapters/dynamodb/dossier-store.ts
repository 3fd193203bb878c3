import { ConditionalCheckFailedException, TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { timingSafeEqual } from 'node:crypto';
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';
import { ServiceBusyError, UploadAlreadyAttachedError, VersionConflictError } from '../../domain/errors';
import type { CreateDossierOutcome, DossierChange, DossierStore, IdempotencyRecord, NewDossier } from '../../use-cases/ports';
import { documentFromItem, headMoved, isDocumentItem, ManifestHeadMoved, manifestAppender } from './archive-records';
import { dossierFromItem, dossierItem, dossierUpdate, erasureItem, historyFromItem, historyItem, outboxItem } from './items';
import { firstErasureDue } from '../../domain/personal-data';
import type { Dossier } from '../../domain/dossier';
import { DOSSIER_SK, HISTORY_PREFIX, keys } from './keys';
import { kpiUpdates } from './kpi';
import { procedureFrom } from './catalog-store';

const IdempotencyItemSchema = z.object({
  requestHash: z.string(),
  dossierCode: z.string(),
  sealedSecret: z.string().optional(),
  expiresAt: z.number(),
});

/** `free`: numbers taken from the counter whose dossier was never written, for the next submissions (a set, absent when empty). */
const SequenceItemSchema = z.object({ lastSequence: z.number().int().nonnegative(), free: z.set(z.number().int().positive()).optional() });

/** Attempts at a change that keeps meeting transaction conflicts on shared items. */
const MAX_CONFLICT_ATTEMPTS = 6;

/** Listen for `ReturnConsumedCapacity` in benchmarks; `NONE` costs nothing in production. */
export interface DynamoStoreOptions {
  readonly returnConsumedCapacity?: 'TOTAL' | 'INDEXES' | 'NONE';
}

/**
 * The dossier store on the single table. A new dossier, its first history event, its outbox
 * event, the day's KPI counters, the idempotency record and the claims of its uploads are one
 * transaction: a failed submission leaves no trace, and an upload belongs to one dossier.
 *
 * The day's sequence is an atomic counter taken BEFORE that transaction (an UpdateItem that
 * never fails on contention: DynamoDB serialises the updates of one item), not a condition inside
 * it: concurrent submissions each get their number at once instead of retrying the whole
 * transaction until theirs is the one that matched (which made the attempts grow with the square
 * of the load). A number whose dossier is not written (the transaction failed, or the request was
 * a concurrent retry of an Idempotency-Key) is given back to the day's `free` set and taken by the
 * next submission, so the day's numbers stay gapless: every number up to the counter is a
 * dossier, or is free and about to be one. The one way to lose a number is a process killed
 * between taking it and giving it back, which leaves a hole the day's register shows.
 */
export function dynamoDossierStore(client: DynamoDBDocumentClient, tableName: string, ward: string, options: DynamoStoreOptions = {}): DossierStore {
  const capacity = options.returnConsumedCapacity ?? 'NONE';
  const appender = manifestAppender(client, tableName, ward);

  /** An update of the day's sequence item (its counter and its free numbers). */
  function updateSequence(day: string, update: Omit<UpdateCommandInput, 'TableName' | 'Key' | 'ReturnConsumedCapacity'>) {
    return client.send(new UpdateCommand({ TableName: tableName, Key: keys.sequence(day), ReturnConsumedCapacity: capacity, ...update }));
  }

  /** The submission's transaction; `archiveItems` (a counter dossier's receipt, form 01) go after its own items. */
  async function createWith(write: NewDossier, archiveItems: readonly TransactItem[]): Promise<CreateDossierOutcome | 'CREATED'> {
    const nowSeconds = Math.floor(write.dossier.submittedAt.getTime() / 1000);
    const ownItems: TransactItem[] = [
      {
        Put: {
          TableName: tableName,
          Item: dossierItem(write.dossier, write.applicantKey),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      { Put: { TableName: tableName, Item: historyItem(write.dossier.code, write.history), ConditionExpression: 'attribute_not_exists(PK)' } },
      { Put: { TableName: tableName, Item: outboxItem(write.event), ConditionExpression: 'attribute_not_exists(PK)' } },
      ...kpiUpdates(tableName, write.kpi.date, write.kpi.increments).map((update) => ({ Update: update })),
      // Its place in the erasure schedule (shared/domain/personal-data.ts); before the idempotency record, which stays last.
      ...erasureScheduleItems(tableName, write.dossier),
      ...(write.idempotency
        ? [
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...keys.idempotency(write.idempotency.keyHash),
                  requestHash: write.idempotency.requestHash,
                  dossierCode: write.idempotency.dossierCode,
                  sealedSecret: write.idempotency.sealedSecret,
                  expiresAt: Math.floor(write.idempotency.expiresAt.getTime() / 1000),
                },
                // An expired record that TTL has not swept yet no longer counts.
                ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
                ExpressionAttributeValues: { ':now': nowSeconds },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
              },
            },
          ]
        : []),
    ];
    const uploadIds = write.dossier.attachments.map((attachment) => attachment.uploadId);
    const claims = claimItems(tableName, write.dossier.code, uploadIds, write.dossier.submittedAt);
    try {
      await client.send(new TransactWriteCommand({ TransactItems: [...ownItems, ...claims, ...archiveItems], ReturnConsumedCapacity: capacity }));
      return 'CREATED';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons.some(isThrottling)) throw new ServiceBusyError();
      // A concurrent retry of this request that committed first took the key and the uploads
      // alike: the key decides, and the retry answers with that dossier.
      const idempotencyReason = write.idempotency ? reasons[ownItems.length - 1] : undefined;
      if (idempotencyReason?.Code === 'ConditionalCheckFailed') {
        const record = idempotencyReason.Item ? liveIdempotencyRecord(unmarshall(idempotencyReason.Item)) : undefined;
        if (record) return { outcome: 'IDEMPOTENCY_KEY_TAKEN', record };
      }
      const taken = claimsTaken(reasons.slice(ownItems.length, ownItems.length + claims.length), uploadIds);
      if (taken.length > 0) throw new UploadAlreadyAttachedError(taken);
      // Another transaction was writing a shared item (the day's KPI counters, a claim) at that instant.
      if (reasons.slice(0, ownItems.length + claims.length).some((reason) => reason.Code === 'TransactionConflict')) return { outcome: 'CONTENDED' };
      if (archiveItems.length > 0 && headMoved(reasons, ownItems.length + claims.length)) throw new ManifestHeadMoved();
      throw error;
    }
  }

  return {
    async prepareSubmission(keyHash, sequenceDay, procedureCode, uploadIds = []) {
      const claims = [...new Set(uploadIds)].map((uploadId) => keys.uploadClaim(uploadId));
      const wanted = [keys.sequence(sequenceDay), keys.catalogEntry(procedureCode), ...(keyHash ? [keys.idempotency(keyHash)] : []), ...claims];
      const result = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: wanted, ConsistentRead: true } }, ReturnConsumedCapacity: capacity }));
      if (Object.keys(result.UnprocessedKeys ?? {}).length > 0) {
        // DynamoDB throttled part of the read: the client should come back shortly.
        throw new ServiceBusyError();
      }
      const items = result.Responses?.[tableName] ?? [];
      const sequenceItem = items.find((item) => item.PK === keys.sequence(sequenceDay).PK);
      const catalogItem = items.find((item) => item.PK === keys.catalogEntry(procedureCode).PK && item.SK === keys.catalogEntry(procedureCode).SK);
      const idempotencyItem = keyHash ? items.find((item) => item.PK === keys.idempotency(keyHash).PK) : undefined;
      const sequence = sequenceItem ? SequenceItemSchema.parse(sequenceItem) : undefined;
      const claimedUploads = uploadIds.filter((uploadId) => items.some((item) => item.PK === keys.uploadClaim(uploadId).PK && item.SK === keys.uploadClaim(uploadId).SK));
      return {
        claimedUploads,
        freeSequences: [...(sequence?.free ?? [])].sort((a, b) => a - b),
        ...(catalogItem ? { procedure: procedureFrom(catalogItem) } : {}),
        ...(idempotencyItem ? { idempotency: liveIdempotencyRecord(idempotencyItem) } : {}),
      };
    },

    async takeSequence(day, free) {
      // A free number first. Concurrent submissions read the same free set: each starts at a
      // random place in it, so that they mostly try different numbers rather than all the first.
      const start = Math.floor(Math.random() * free.length);
      for (const number of [...free.slice(start), ...free.slice(0, start)]) {
        try {
          await updateSequence(day, {
            UpdateExpression: 'DELETE #free :number',
            ConditionExpression: 'contains(#free, :one)',
            ExpressionAttributeNames: { '#free': 'free' },
            ExpressionAttributeValues: { ':number': new Set([number]), ':one': number },
          });
          return number;
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      }
      const result = await updateSequence(day, { UpdateExpression: 'ADD lastSequence :one', ExpressionAttributeValues: { ':one': 1 }, ReturnValues: 'UPDATED_NEW' });
      return SequenceItemSchema.pick({ lastSequence: true }).parse(result.Attributes).lastSequence;
    },

    async releaseSequence(day, number) {
      await updateSequence(day, {
        UpdateExpression: 'ADD #free :number',
        ExpressionAttributeNames: { '#free': 'free' },
        ExpressionAttributeValues: { ':number': new Set([number]) },
      });
    },

    async createDossier(write: NewDossier): Promise<CreateDossierOutcome> {
      const { result, entries } = await appender.withArchive(write.records, write.dossier.submittedAt, (archive) => createWith(write, archive.items));
      return result === 'CREATED' ? { outcome: 'CREATED', manifest: entries } : result;
    },

    async getDossier(code, ofApplicant) {
      // Strongly consistent: changes are decided on what this read returns (and checked by version).
      const result = await client.send(new GetCommand({ TableName: tableName, Key: keys.dossier(code), ConsistentRead: true, ReturnConsumedCapacity: capacity }));
      return result.Item && isOfApplicant(result.Item, ofApplicant) ? dossierFromItem(result.Item) : undefined;
    },

    async getDossierWithHistory(code, ofApplicant) {
      // One Query reads the dossier and its whole history; a dossier has tens of events, far under 1 MB.
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.dossierPartition(code) },
          ConsistentRead: true,
          ReturnConsumedCapacity: capacity,
        }),
      );
      const items = result.Items ?? [];
      const dossierRecord = items.find((item) => item.SK === DOSSIER_SK);
      if (!dossierRecord || !isOfApplicant(dossierRecord, ofApplicant)) return undefined;
      return {
        dossier: dossierFromItem(dossierRecord),
        history: items.filter((item) => String(item.SK).startsWith(HISTORY_PREFIX)).map(historyFromItem),
        documents: items
          .filter(isDocumentItem)
          .map(documentFromItem)
          .sort((a, b) => a.issuedAt.getTime() - b.issuedAt.getTime()),
      };
    },

    async applyChange(change: DossierChange) {
      const { entries } = await appender.withArchive(change.records, change.dossier.updatedAt, (archive) => applyWith(change, archive.items));
      return { manifest: entries };
    },
  };

  /** The change's transaction; `archiveItems` (documents it issued, a cancellation) go after its own items. */
  async function applyWith(change: DossierChange, archiveItems: readonly TransactItem[]): Promise<void> {
    const ownItems: TransactItem[] = [
      { Update: dossierUpdate(tableName, change.dossier, change.expectedVersion) },
      { Put: { TableName: tableName, Item: historyItem(change.dossier.code, change.history), ConditionExpression: 'attribute_not_exists(PK)' } },
      ...(change.event ? [{ Put: { TableName: tableName, Item: outboxItem(change.event), ConditionExpression: 'attribute_not_exists(PK)' } }] : []),
      ...(change.kpi ? kpiUpdates(tableName, change.kpi.date, change.kpi.increments).map((update) => ({ Update: update })) : []),
    ];
    const uploadIds = change.claims ?? [];
    const claims = claimItems(tableName, change.dossier.code, uploadIds, change.dossier.updatedAt);
    const transaction = new TransactWriteCommand({ ReturnConsumedCapacity: capacity, TransactItems: [...ownItems, ...claims, ...archiveItems] });
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.send(transaction);
        return;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (reasons.some(isThrottling)) throw new ServiceBusyError();
        // Only the dossier's own condition means someone changed it first.
        if (reasons[0]?.Code === 'ConditionalCheckFailed') throw new VersionConflictError();
        const taken = claimsTaken(reasons.slice(ownItems.length, ownItems.length + claims.length), uploadIds);
        if (taken.length > 0) throw new UploadAlreadyAttachedError(taken);
        // Another change archived first: the manifest entries must be built again on the new head.
        if (archiveItems.length > 0 && headMoved(reasons, ownItems.length + claims.length)) throw new ManifestHeadMoved();
        // A transaction conflict on a shared item (the day's KPI counters, the manifest's head, or
        // the dossier in flight elsewhere) is contention, not a verdict: try again, a few times.
        if (!reasons.some((reason) => reason.Code === 'TransactionConflict')) throw error;
        if (attempt >= MAX_CONFLICT_ATTEMPTS) throw new ServiceBusyError();
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
      }
    }
  }
}

function erasureScheduleItems(tableName: string, dossier: Dossier): TransactItem[] {
  const dueAt = firstErasureDue(dossier);
  return dueAt === undefined ? [] : [{ Put: { TableName: tableName, Item: erasureItem(dueAt, dossier.code) } }];
}

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/**
 * The claims of uploads by a dossier: one item per upload, written only if none exists, so an
 * upload belongs to the first dossier whose transaction commits with it (a claim is never removed).
 */
function claimItems(tableName: string, dossierCode: string, uploadIds: readonly string[], at: Date): TransactItem[] {
  return uploadIds.map((uploadId) => ({
    Put: { TableName: tableName, Item: { ...keys.uploadClaim(uploadId), dossierCode, claimedAt: at.toISOString() }, ConditionExpression: 'attribute_not_exists(PK)' },
  }));
}

/** The uploads whose claim failed its condition: another dossier has them. `reasons`: those of the claim items, in order. */
function claimsTaken(reasons: readonly CancellationReason[], uploadIds: readonly string[]): string[] {
  return uploadIds.filter((_, index) => reasons[index]?.Code === 'ConditionalCheckFailed');
}

function liveIdempotencyRecord(item: Record<string, unknown>): IdempotencyRecord | undefined {
  const record = IdempotencyItemSchema.parse(item);
  if (record.expiresAt < Date.now() / 1000) return undefined;
  return { requestHash: record.requestHash, dossierCode: record.dossierCode, ...(record.sealedSecret ? { sealedSecret: record.sealedSecret } : {}) };
}

/** A transaction DynamoDB cancelled because it throttled one of its items: the client should retry later. */
function isThrottling(reason: CancellationReason): boolean {
  return reason.Code === 'ThrottlingError' || reason.Code === 'ProvisionedThroughputExceeded' || reason.Code === 'RequestLimitExceeded';
}

const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;

/** Whether a dossier item is the applicant's whose ID number has this HMAC (always, when none is asked for). */
function isOfApplicant(item: Record<string, unknown>, applicantKey: string | undefined): boolean {
  if (applicantKey === undefined) return true;
  const stored = typeof item.applicantKey === 'string' ? Buffer.from(item.applicantKey) : Buffer.alloc(0);
  const asked = Buffer.from(applicantKey);
  return stored.length === asked.length && timingSafeEqual(stored, asked);
}
