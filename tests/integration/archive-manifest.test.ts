import { randomUUID, verify as verifySignature } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WARDS } from '../../infra/config/wards';
import { provisionLocalWard } from '../../local/provision';
import { dynamoDocumentStore } from '../../shared/adapters/dynamodb/archive-records';
import {
  DailyManifestSchema,
  GENESIS_HASH,
  ManifestEntrySchema,
  canonicalJson,
  dailyManifestKey,
  entryHashHolds,
  manifestEntryKey,
  sha256Of,
  type ManifestEntry,
} from '../../shared/domain/archive';
import type { IssuedDocument } from '../../shared/domain/dossier';
import { certificatePublicKey } from '../../shared/documents/certificates';
import type { Clock } from '../../shared/use-cases/ports';
import { sealManifest } from '../../shared/use-cases/seal-manifest';
import { testIssuingDeps, testSigningIdentity } from '../support/issuing';
import { useLocalAws } from '../support/local-ward';

/**
 * The manifest's chain on DynamoDB Local: concurrent changes that archive are ordered by the
 * table (the head's conditional update), so the entries are 1..N without gaps, each links to the
 * one committed before it, and every document is in it exactly once; the daily seal then signs
 * each complete day and copies the entries into the archive.
 */
const aws = useLocalAws();
const tableName = `manifest-${randomUUID().slice(0, 8)}`;
const raw = new DynamoDBClient(aws.dynamodbClientConfig);
const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
const ward =
  WARDS[0] ??
  (() => {
    throw new Error('no ward configured');
  })();
let now = new Date('2026-03-02T09:00:00+07:00');
const clock: Clock = { now: () => now };
const store = dynamoDocumentStore(client, tableName, ward.slug);

beforeAll(async () => {
  await provisionLocalWard({ ...aws, tableName, uploadsBucket: `manifest-uploads-${randomUUID().slice(0, 8)}` });
});
afterAll(() => raw.destroy());

function document(id: string): IssuedDocument {
  return {
    id,
    kind: 'FORM_06',
    title: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
    documentNumber: id,
    objectKey: `documents/D-${id}/${id}.pdf`,
    sha256: sha256Of(id),
    sizeBytes: 1000,
    issuedAt: now,
    signer: { name: 'Lê Thị Tiếp Nhận', position: 'CÔNG CHỨC TIẾP NHẬN HỒ SƠ' },
  };
}

async function allEntries(): Promise<ManifestEntry[]> {
  return [...(await store.manifestEntriesAfter(0, 1000))];
}

describe('the manifest under concurrent archiving', () => {
  it('gives 20 concurrent records consecutive sequence numbers, each linked to the one before, each document once', async () => {
    const ids = Array.from({ length: 20 }, (_, index) => `form-06-v${index + 1}`);
    const appended = await Promise.all(
      ids.map((id) => store.recordDocuments({ archived: [{ dossierCode: `D-${id}`, document: document(id), metadataKey: 'm', metadataSha256: sha256Of('m') }], at: now })),
    );
    const entries = await allEntries();
    expect(entries.map((entry) => entry.sequence)).toEqual(ids.map((_, index) => index + 1));
    entries.forEach((entry, index) => {
      expect(entryHashHolds(entry)).toBe(true);
      expect(entry.previousHash).toBe(index === 0 ? GENESIS_HASH : entries[index - 1]?.hash);
    });
    expect(new Set(entries.map((entry) => entry.documentId))).toEqual(new Set(ids));
    // What each writer was told it appended is what the table holds.
    expect(
      appended
        .flat()
        .map((entry) => entry.sequence)
        .sort((a, b) => a - b),
    ).toEqual(entries.map((entry) => entry.sequence));
    expect(await store.findBySha256(sha256Of('form-06-v7'))).toEqual({ dossierCode: 'D-form-06-v7', documentId: 'form-06-v7' });
  });

  it('seals each complete day once, signed, after copying its entries into the archive', async () => {
    const deps = { ...testIssuingDeps(ward, clock), documents: store };
    now = new Date('2026-03-03T10:00:00+07:00');
    await store.recordDocuments({ archived: [{ dossierCode: 'D-next', document: document('form-06-v99'), metadataKey: 'm', metadataSha256: sha256Of('m') }], at: now });
    now = new Date('2026-03-04T00:10:00+07:00');

    expect(await sealManifest(deps)).toEqual(['2026-03-02', '2026-03-03']);
    expect(await sealManifest(deps)).toEqual([]);

    const first = DailyManifestSchema.parse(JSON.parse(Buffer.from(deps.archive.objects.get(dailyManifestKey('2026-03-02')) ?? []).toString('utf8')));
    const second = DailyManifestSchema.parse(JSON.parse(Buffer.from(deps.archive.objects.get(dailyManifestKey('2026-03-03')) ?? []).toString('utf8')));
    expect(first.facts).toMatchObject({ day: '2026-03-02', firstSequence: 1, lastSequence: 20, previousSealHash: GENESIS_HASH });
    expect(second.facts).toMatchObject({ day: '2026-03-03', firstSequence: 21, lastSequence: 21, previousSealHash: sha256Of(canonicalJson(first)) });
    const identity = await testSigningIdentity(ward);
    const publicKey = { key: Buffer.from(certificatePublicKey(identity.chain[0] ?? new Uint8Array())), format: 'der' as const, type: 'spki' as const };
    expect(verifySignature('sha256', Buffer.from(canonicalJson(first.facts)), publicKey, Buffer.from(first.signature.value, 'base64'))).toBe(true);
    const forged = { ...first.facts, lastSequence: 19 };
    expect(verifySignature('sha256', Buffer.from(canonicalJson(forged)), publicKey, Buffer.from(first.signature.value, 'base64'))).toBe(false);

    for (let sequence = 1; sequence <= 21; sequence += 1) {
      const copied = deps.archive.objects.get(manifestEntryKey(sequence));
      expect(copied, `entry ${sequence}`).toBeDefined();
      expect(entryHashHolds(ManifestEntrySchema.parse(JSON.parse(Buffer.from(copied ?? []).toString('utf8'))))).toBe(true);
    }
  });
});
