import { describe, expect, it } from 'vitest';
import { ChecksumMismatchError, type ArchiveListing, type ArchiveObject, type ArchiveReader } from '../../shared/audit/archive-reader';
import { mapInOrder } from '../../shared/audit/map-in-order';
import { auditArchive, type AuditReport } from '../../shared/audit/verify-archive';
import { canonicalJson, manifestEntryKey, nextEntry, sealEntry, sha256Of, type ManifestEntry } from '../../shared/domain/archive';
import { toVietnamIso, vietnamInstant } from '../../shared/domain/time';

const WARD = 'hoan-kiem';
const NOW = vietnamInstant('2026-03-10', '09:00');

/** An archive in memory: keys listed in S3's order, some objects with a checksum the storage holds, some failing to read. */
function memoryArchive(objects: Record<string, string | Uint8Array>, options: { checksums?: Record<string, string>; failing?: string[] } = {}): ArchiveReader {
  const bytesOf = (value: string | Uint8Array) => (typeof value === 'string' ? new TextEncoder().encode(value) : value);
  const keys = Object.keys(objects).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return {
    async *list(prefix: string): AsyncIterable<ArchiveListing> {
      for (const key of keys) if (key.startsWith(prefix)) yield { key, sizeBytes: bytesOf(objects[key] ?? '').byteLength };
      await Promise.resolve();
    },
    get(key: string): Promise<ArchiveObject | undefined> {
      if (options.failing?.includes(key)) return Promise.reject(new ChecksumMismatchError(key, 'Checksum mismatch: expected "a" but received "b"'));
      const value = objects[key];
      const checksum = options.checksums?.[key];
      return Promise.resolve(value === undefined ? undefined : { bytes: bytesOf(value), ...(checksum ? { checksumSha256: checksum } : {}) });
    },
  };
}

/** Cancellation entries: they name one object each (no metadata), which is all these tests need. */
function entries(recordedAt: readonly Date[]): ManifestEntry[] {
  const chain: ManifestEntry[] = [];
  for (const [index, at] of recordedAt.entries()) {
    chain.push(
      nextEntry(
        chain[chain.length - 1],
        { ward: WARD, type: 'DOCUMENT_CANCELLED', documentId: 'result-v1', objectKey: `cancellations/registers/r${index}.json`, objectSha256: sha256Of(`r${index}`) },
        at,
      ),
    );
  }
  return chain;
}

const asObjects = (chain: readonly ManifestEntry[]) => Object.fromEntries(chain.map((entry) => [manifestEntryKey(entry.sequence), canonicalJson(entry)]));
const checksOf = (report: AuditReport) => report.problems.map(({ objectKey, check }) => ({ objectKey, check }));

describe('mapInOrder', () => {
  it('yields results in the order of the items, however the work finishes, with at most `concurrency` at once', async () => {
    let running = 0;
    let most = 0;
    const work = async (item: number) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, (5 - item) * 3));
      running -= 1;
      return item * 10;
    };

    const results: number[] = [];
    for await (const result of mapInOrder([1, 2, 3, 4, 5], 3, work)) results.push(result);

    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(most).toBe(3);
  });

  it('throws a failure at its turn, after the results before it', async () => {
    const results: number[] = [];
    const run = async () => {
      for await (const result of mapInOrder([1, 2, 3], 3, (item) => (item === 2 ? Promise.reject(new Error('two')) : Promise.resolve(item)))) results.push(result);
    };

    await expect(run()).rejects.toThrow('two');
    expect(results).toEqual([1]);
  });
});

describe('auditArchive', () => {
  it('passes an empty archive', async () => {
    const report = await auditArchive(memoryArchive({}), { ward: WARD, now: NOW });

    expect(report).toMatchObject({ ward: WARD, ok: true, problems: [], warnings: [], counts: { objects: 0, documents: 0 } });
    expect(report.checkedAt).toBe('2026-03-10T09:00:00+07:00');
  });

  it('lists e-copies under results/ as warnings with their SHA-256, and reports objects outside the layout', async () => {
    const report = await auditArchive(memoryArchive({ 'results/X/1-approved.pdf': '%PDF-1.7 old', 'tmp/upload.bin': 'x', 'documents/readme.txt': 'x' }), { ward: WARD, now: NOW });

    expect(report.warnings).toEqual([{ objectKey: 'results/X/1-approved.pdf', check: 'legacy.unsigned-result', detail: `SHA-256 ${sha256Of('%PDF-1.7 old')}, 12 bytes` }]);
    expect(checksOf(report)).toEqual([
      { objectKey: 'tmp/upload.bin', check: 'archive.unknown-object' },
      { objectKey: 'documents/readme.txt', check: 'archive.unexpected-key' },
    ]);
    expect(report.counts).toMatchObject({ objects: 3, legacyResults: 1, unknownObjects: 1 });
  });

  it('names the first missing entry of a gap, and the entry after it whose previous hash no longer links', async () => {
    const chain = entries([NOW, NOW, NOW, NOW]);
    const objects = asObjects(chain);
    delete objects[manifestEntryKey(2)];
    delete objects[manifestEntryKey(3)];

    const report = await auditArchive(memoryArchive(objects), { ward: WARD, now: NOW });

    expect(report.problems).toContainEqual({ objectKey: manifestEntryKey(2), check: 'manifest.gap', detail: 'entries 2–3 are missing' });
    expect(checksOf(report)).not.toContainEqual({ objectKey: manifestEntryKey(4), check: 'manifest.previous-hash' });
  });

  it('names an entry recorded earlier than the one before, even with its hash made again', async () => {
    const later = new Date(NOW.getTime() + 60_000);
    const [first, second] = entries([later, later]);
    if (first === undefined || second === undefined) throw new Error('two entries expected');
    const { hash: _hash, ...body } = second;
    const backwards = sealEntry({ ...body, recordedAt: toVietnamIso(NOW) });

    const report = await auditArchive(memoryArchive(asObjects([first, backwards])), { ward: WARD, now: NOW });

    expect(checksOf(report)).toContainEqual({ objectKey: manifestEntryKey(2), check: 'manifest.recorded-at' });
  });

  it('names a record of another ward', async () => {
    const [entry] = entries([NOW]);
    if (entry === undefined) throw new Error('an entry expected');
    const { hash: _hash, ...body } = entry;

    const report = await auditArchive(memoryArchive(asObjects([sealEntry({ ...body, ward: 'hai-ba-trung' })])), { ward: WARD, now: NOW });

    expect(report.problems).toContainEqual({ objectKey: manifestEntryKey(1), check: 'record.ward', detail: "a record of ward 'hai-ba-trung'" });
  });

  it("warns of a past day's entries that no seal covers, and only counts today's", async () => {
    const yesterday = vietnamInstant('2026-03-09', '15:00');
    const chain = entries([yesterday, yesterday, NOW]);

    const report = await auditArchive(memoryArchive(asObjects(chain)), { ward: WARD, now: NOW });

    expect(report.warnings).toEqual([{ objectKey: manifestEntryKey(1), check: 'seal.pending', detail: 'entries of 2026-03-09 from this one on have no daily seal' }]);
    expect(report.counts.unsealedEntries).toBe(3);
  });

  it("reports an object whose bytes are not the storage's own checksum, and one the storage refused to hand over unchecked", async () => {
    const report = await auditArchive(
      memoryArchive(
        { 'results/a.pdf': 'a', 'results/b.pdf': 'b' },
        { checksums: { 'results/a.pdf': Buffer.from(sha256Of('not a'), 'hex').toString('base64') }, failing: ['results/b.pdf'] },
      ),
      { ward: WARD, now: NOW },
    );

    expect(checksOf(report)).toEqual([
      { objectKey: 'results/a.pdf', check: 'object.storage-checksum' },
      { objectKey: 'results/b.pdf', check: 'object.storage-checksum' },
    ]);
    expect(report.counts.legacyResults).toBe(1);
  });

  it('tells its progress: the total after the first listing, then each object read', async () => {
    const calls: [number, number | undefined][] = [];

    await auditArchive(memoryArchive({ 'results/a.pdf': 'a', 'results/b.pdf': 'b', 'elsewhere.txt': 'c' }), {
      ward: WARD,
      now: NOW,
      onProgress: (done, total) => calls.push([done, total]),
    });

    expect(calls).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
  });
});
