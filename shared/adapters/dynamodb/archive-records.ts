import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { DOCUMENT_KINDS, ManifestEntrySchema, SignatureInfoSchema, nextEntry, type ManifestEntry } from '../../domain/archive';
import type { Cancellation, IssuedDocument } from '../../domain/dossier';
import { ServiceBusyError } from '../../domain/errors';
import type { ArchiveRecords, DocumentStore } from '../../use-cases/ports';
import { DOCUMENT_PREFIX, MANIFEST_ENTRY_PREFIX, keys } from './keys';

/**
 * The archive's records in the table, written in the transaction of the change that archived:
 * each document's item in its dossier's partition, its lookup by SHA-256, and the manifest's
 * entries. The manifest is a hash chain whose head (`MANIFEST/HEAD`: last sequence and hash) is
 * updated on condition that it has not moved: two changes archiving at once are ordered by the
 * table, one after the other, and the second recomputes its entries on the new head. So entry
 * n+1 is the entry of the change committed right after the one of entry n, and no sequence
 * number is skipped or given twice.
 */

const instant = z.iso.datetime().transform((value) => new Date(value));

const CancellationItemSchema = z.object({
  at: instant,
  reason: z.string(),
  by: z.object({ name: z.string(), officerId: z.string() }),
  recordKey: z.string(),
});

const DocumentItemSchema = z.object({
  id: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  title: z.string(),
  documentNumber: z.string(),
  objectKey: z.string(),
  sha256: z.string(),
  sizeBytes: z.number(),
  issuedAt: instant,
  signer: z.object({ name: z.string(), position: z.string(), officerId: z.string().optional() }),
  signature: SignatureInfoSchema.optional(),
  cancellation: CancellationItemSchema.optional(),
});

const DocumentLookupSchema = z.object({ dossierCode: z.string().optional(), documentId: z.string() });
const SealSchema = z.object({ lastSequence: z.number().int().nonnegative(), sealHash: z.string(), day: z.string() });
const ManifestHeadSchema = z.object({ sequence: z.number().int().positive(), hash: z.string(), recordedAt: z.string() });

export function documentFromItem(item: Record<string, unknown>): IssuedDocument {
  return DocumentItemSchema.parse(item);
}

export const isDocumentItem = (item: Record<string, unknown>): boolean => String(item.SK).startsWith(DOCUMENT_PREFIX);

const cancellationItem = (cancellation: Cancellation) => ({ ...cancellation, at: cancellation.at.toISOString() });

function documentItem(dossierCode: string | undefined, document: IssuedDocument): Record<string, unknown> {
  return {
    ...keys.document({ dossierCode }, document.id),
    ...document,
    issuedAt: document.issuedAt.toISOString(),
    ...(document.cancellation ? { cancellation: cancellationItem(document.cancellation) } : {}),
  };
}

/**
 * Attempts at appending when other changes keep moving the manifest's head first: each round one
 * of the writers at once wins, so this bounds how many may archive in the same instant (a ward
 * issues a few documents a minute; the e2e and integration tests run 20–30 at once).
 */
const MAX_HEAD_ATTEMPTS = 60;

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/**
 * The archive's part of a transaction, built on the manifest's current head: the head's update
 * first (so a caller finds a head conflict at the part's first index), then the entries and records.
 */
interface ArchivePart {
  readonly items: TransactItem[];
  readonly entries: ManifestEntry[];
}

export interface ManifestAppender {
  /**
   * Runs `write` with the archive's part of the transaction (empty when `records` archives
   * nothing), again on a fresh head as long as `write` throws {@link ManifestHeadMoved}.
   */
  withArchive<T>(records: ArchiveRecords | undefined, at: Date, write: (part: ArchivePart) => Promise<T>): Promise<{ result: T; entries: ManifestEntry[] }>;
}

/** Thrown by a `write` whose transaction failed on the manifest's head only: the appender tries again. */
export class ManifestHeadMoved extends Error {
  constructor() {
    super('the manifest head moved');
  }
}

/**
 * Whether a cancelled transaction failed on the manifest head (the first item of the archive
 * part, at `archiveStart`): it moved, or another transaction was writing it at that moment.
 */
export function headMoved(reasons: readonly CancellationReason[], archiveStart: number): boolean {
  const code = reasons[archiveStart]?.Code;
  return code === 'ConditionalCheckFailed' || code === 'TransactionConflict';
}

/** `ward`: the ward's slug, which every entry names (one table serves one ward). */
export function manifestAppender(client: DynamoDBDocumentClient, tableName: string, ward: string): ManifestAppender {
  return {
    async withArchive(records, at, write) {
      const archived = records?.archived ?? [];
      const cancelled = records?.cancelled;
      if (archived.length === 0 && cancelled === undefined) return { result: await write({ items: [], entries: [] }), entries: [] };
      for (let attempt = 1; ; attempt += 1) {
        const head = await readHead(client, tableName);
        const part = archivePart(tableName, ward, head, records ?? {}, at);
        try {
          return { result: await write(part), entries: part.entries };
        } catch (error) {
          if (!(error instanceof ManifestHeadMoved)) throw error;
          if (attempt >= MAX_HEAD_ATTEMPTS) throw new ServiceBusyError();
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** Math.min(attempt, 5)));
        }
      }
    },
  };
}

async function readHead(client: DynamoDBDocumentClient, tableName: string): Promise<z.infer<typeof ManifestHeadSchema> | undefined> {
  const result = await client.send(new GetCommand({ TableName: tableName, Key: keys.manifestHead, ConsistentRead: true }));
  return result.Item ? ManifestHeadSchema.parse(result.Item) : undefined;
}

function archivePart(tableName: string, ward: string, head: z.infer<typeof ManifestHeadSchema> | undefined, records: ArchiveRecords, at: Date): ArchivePart {
  const entries: ManifestEntry[] = [];
  let previous: Pick<ManifestEntry, 'sequence' | 'hash' | 'recordedAt'> | undefined = head;
  const append = (link: Parameters<typeof nextEntry>[1]): void => {
    const entry = nextEntry(previous, link, at);
    entries.push(entry);
    previous = entry;
  };
  const items: TransactItem[] = [];
  for (const record of records.archived ?? []) {
    const { document } = record;
    append({
      ward,
      type: 'DOCUMENT_ARCHIVED',
      ...(record.dossierCode === undefined ? {} : { dossierCode: record.dossierCode }),
      documentId: document.id,
      objectKey: document.objectKey,
      objectSha256: document.sha256,
      metadataKey: record.metadataKey,
      metadataSha256: record.metadataSha256,
    });
    items.push(
      { Put: { TableName: tableName, Item: documentItem(record.dossierCode, document), ConditionExpression: 'attribute_not_exists(PK)' } },
      // The same file issued twice (it cannot be: every document has its own number and time) would keep its first place.
      { Put: { TableName: tableName, Item: { ...keys.documentByHash(document.sha256), dossierCode: record.dossierCode, documentId: document.id } } },
    );
  }
  if (records.cancelled) {
    const { dossierCode, documentId, cancellation, recordSha256 } = records.cancelled;
    append({ ward, type: 'DOCUMENT_CANCELLED', dossierCode, documentId, objectKey: cancellation.recordKey, objectSha256: recordSha256 });
    items.push({
      Update: {
        TableName: tableName,
        Key: keys.document({ dossierCode }, documentId),
        UpdateExpression: 'SET cancellation = :cancellation',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(cancellation)',
        ExpressionAttributeValues: { ':cancellation': cancellationItem(cancellation) },
      },
    });
  }
  const last = entries[entries.length - 1];
  if (last === undefined) return { items: [], entries: [] };
  const headUpdate: TransactItem = {
    Update: {
      TableName: tableName,
      Key: keys.manifestHead,
      UpdateExpression: 'SET #sequence = :sequence, #hash = :hash, recordedAt = :recordedAt',
      ConditionExpression: head === undefined ? 'attribute_not_exists(PK)' : '#sequence = :expected',
      ExpressionAttributeNames: { '#sequence': 'sequence', '#hash': 'hash' },
      ExpressionAttributeValues: { ':sequence': last.sequence, ':hash': last.hash, ':recordedAt': last.recordedAt, ...(head ? { ':expected': head.sequence } : {}) },
    },
  };
  const entryPuts: TransactItem[] = entries.map((entry) => ({
    Put: { TableName: tableName, Item: { ...keys.manifestEntry(entry.sequence), entry }, ConditionExpression: 'attribute_not_exists(PK)' },
  }));
  return { items: [headUpdate, ...entryPuts, ...items], entries };
}

export function dynamoDocumentStore(client: DynamoDBDocumentClient, tableName: string, ward: string): DocumentStore {
  const appender = manifestAppender(client, tableName, ward);
  return {
    async recordDocuments(records) {
      const { entries } = await appender.withArchive(records, records.at, async (part) => {
        try {
          await client.send(new TransactWriteCommand({ TransactItems: part.items }));
        } catch (error) {
          if (error instanceof TransactionCanceledException && headMoved(error.CancellationReasons ?? [], 0)) throw new ManifestHeadMoved();
          throw error;
        }
      });
      return entries;
    },

    async findBySha256(sha256) {
      const result = await client.send(new GetCommand({ TableName: tableName, Key: keys.documentByHash(sha256) }));
      return result.Item ? DocumentLookupSchema.parse(result.Item) : undefined;
    },

    async getRegisterDocument(documentId) {
      const result = await client.send(new GetCommand({ TableName: tableName, Key: keys.document({}, documentId) }));
      return result.Item ? documentFromItem(result.Item) : undefined;
    },

    async manifestEntriesAfter(sequence, limit) {
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND SK > :after',
          ExpressionAttributeValues: { ':pk': keys.manifestPartition, ':after': keys.manifestEntry(sequence).SK },
          Limit: limit,
          ConsistentRead: true,
        }),
      );
      return (result.Items ?? []).filter((item) => String(item.SK).startsWith(MANIFEST_ENTRY_PREFIX)).map((item) => ManifestEntrySchema.parse(item.entry));
    },

    async lastSeal() {
      const result = await client.send(new GetCommand({ TableName: tableName, Key: keys.manifestSeal, ConsistentRead: true }));
      return result.Item ? SealSchema.parse(result.Item) : undefined;
    },

    async recordSeal(seal, previousLastSequence) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.manifestSeal, ...seal },
            ConditionExpression: previousLastSequence === 0 ? 'attribute_not_exists(PK)' : 'lastSequence = :previous',
            ...(previousLastSequence === 0 ? {} : { ExpressionAttributeValues: { ':previous': previousLastSequence } }),
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
}
