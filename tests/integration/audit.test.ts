/**
 * The auditor's verify tool against a real S3 engine (the run's s3rver): an archive written as the
 * ward writes it passes, and each way of tampering with it is reported, naming the object.
 *
 * Tampering is simulated by overwriting and deleting objects, which s3rver allows on these test
 * buckets: it has no Object Lock, and only the buckets local mode names write-once refuse
 * deletes. In AWS, Object Lock (compliance mode) makes every one of these writes fail; the audit
 * is what shows an auditor that none happened, whoever had access.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AWS_CREDENTIALS, LOCAL_AWS_REGION } from '../../local/local-aws';
import { localWard } from '../../local/ward-environment';
import { s3ArchiveReader } from '../../shared/audit/s3-archive-reader';
import { auditArchive, type AuditCheck, type AuditReport } from '../../shared/audit/verify-archive';
import {
  canonicalJson,
  documentObjectKey,
  metadataKeyOf,
  sealEntry,
  sha256Of,
  type CancellationRecord,
  type DailyManifest,
  type DocumentMetadata,
  type ManifestEntry,
} from '../../shared/domain/archive';
import { toVietnamIso } from '../../shared/domain/time';
import type { WardConfig } from '../../shared/domain/ward-config';
import { buildArchiveFixture, temporarySigningIdentity, type ArchiveFixture, type ArchiveFixtureOptions } from '../support/archive-fixture';
import { useLocalAws } from '../support/local-ward';

const aws = useLocalAws();
const s3 = new S3Client(aws.s3ClientConfig);
const ward: WardConfig = localWard(undefined);
const cleanups: (() => Promise<void>)[] = [];
let reportDirectory: string;

beforeAll(async () => {
  reportDirectory = await mkdtemp(join(tmpdir(), 'mot-cua-so-audit-'));
});

afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
  await rm(reportDirectory, { recursive: true, force: true });
});

/** A fresh archive in its own bucket. */
async function freshArchive(options: Pick<ArchiveFixtureOptions, 'legacyResults' | 'authority'> = {}): Promise<ArchiveFixture> {
  const fixture = await buildArchiveFixture({ s3, bucket: `audit-${randomUUID().slice(0, 13)}`, ward, documents: 3, ...options });
  cleanups.push(fixture.cleanup);
  return fixture;
}

const audit = (fixture: ArchiveFixture): Promise<AuditReport> => auditArchive(s3ArchiveReader(s3, fixture.bucket), { ward: ward.slug });

/** `npm run audit -- verify …` as an auditor runs it, against the run's s3rver. */
async function auditThroughCli(fixture: ArchiveFixture, workers = 0): Promise<{ status: number; report: AuditReport; stdout: string }> {
  const reportFile = join(reportDirectory, `${fixture.bucket}.json`);
  const args = [
    'tsx',
    'local/audit-cli.ts',
    'verify',
    '--ward',
    ward.slug,
    '--endpoint',
    aws.s3Endpoint,
    '--bucket',
    fixture.bucket,
    '--report',
    reportFile,
    '--workers',
    String(workers),
  ];
  const { status, stdout } = await new Promise<{ status: number; stdout: string }>((resolve, reject) => {
    execFile(
      'npx',
      args,
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: LOCAL_AWS_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: LOCAL_AWS_CREDENTIALS.secretAccessKey,
          AWS_REGION: LOCAL_AWS_REGION,
          AWS_PROFILE: '',
        },
        timeout: 60_000,
      },
      (error, out, err) => {
        if (error !== null && typeof error.code !== 'number') reject(new Error(`${error.message}\n${err}`));
        else resolve({ status: error === null ? 0 : Number(error.code), stdout: out });
      },
    );
  });
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as AuditReport;
  return { status, report, stdout };
}

const findings = (report: AuditReport): { objectKey: string; check: AuditCheck }[] => report.problems.map(({ objectKey, check }) => ({ objectKey, check }));

/** Audits through the CLI and expects exit 1 and (at least) these findings. */
async function expectReportedByCli(fixture: ArchiveFixture, expected: { objectKey: string; check: AuditCheck }[]): Promise<{ report: AuditReport; stdout: string }> {
  const cli = await auditThroughCli(fixture);
  expect(cli.status).toBe(1);
  expect(findings(cli.report)).toEqual(expect.arrayContaining(expected));
  return cli;
}

async function getText(bucket: string, key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await object.Body?.transformToString('utf8')) ?? '';
}
async function getBytes(bucket: string, key: string): Promise<Uint8Array> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await object.Body?.transformToByteArray()) ?? new Uint8Array();
}
const overwrite = (bucket: string, key: string, body: Uint8Array | string) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

describe('the archive audit', () => {
  it('passes an archive as the ward wrote it, through the CLI too (exit 0), and lists legacy e-copies as warnings', async () => {
    const fixture = await freshArchive({ legacyResults: 1 });

    const report = await audit(fixture);
    // With a thread checking the PDFs' signatures, as the CLI does by default.
    const cli = await auditThroughCli(fixture, 1);

    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts).toMatchObject({
      documents: 3,
      registers: 1,
      metadata: 4,
      cancellations: 1,
      manifestEntries: 5,
      dailySeals: 2,
      certificateChains: 1,
      legacyResults: 1,
      unsealedEntries: 0,
    });
    expect(report.warnings).toEqual([
      { objectKey: fixture.legacyKeys[0], check: 'legacy.unsigned-result', detail: expect.stringContaining(sha256Of(fixture.unsignedPdf)) as string },
    ]);
    expect(report.certificates).toMatchObject([{ documents: 4, authorities: ['LOCAL_TEST_CA'], chainLength: 2 }]);
    expect(cli.status).toBe(0);
    expect(cli.report).toMatchObject({ ok: true, problems: [], ward: ward.slug, counts: report.counts });
    expect(cli.stdout).toContain('ĐẠT (OK)');
  });

  it("passes an archive signed under the ward's self-issued certificate (no CA chain configured yet), and says so", async () => {
    const fixture = await freshArchive({ authority: 'SELF_ISSUED' });

    const report = await audit(fixture);

    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.certificates).toMatchObject([{ documents: 4, authorities: ['SELF_ISSUED'], chainLength: 1, chainValid: true }]);
  });

  it('names a document of which one byte changed', async () => {
    const fixture = await freshArchive();
    // Not the cancelled document, whose cancellation record would be named too.
    const key = fixture.documentKeys.find((documentKey) => documentKey !== fixture.cancelledDocumentKey) ?? '';
    const pdf = await getBytes(fixture.bucket, key);
    // A byte of the page content, inside the range the signature covers.
    pdf[1000] = (pdf[1000] ?? 0) ^ 0x01;
    await overwrite(fixture.bucket, key, pdf);

    const cli = await expectReportedByCli(fixture, [
      { objectKey: key, check: 'document.sha256' },
      { objectKey: key, check: 'document.signature' },
      { objectKey: key, check: 'manifest.object-sha256' },
    ]);
    expect(new Set(cli.report.problems.map((problem) => problem.objectKey))).toEqual(new Set([key]));
    expect(cli.stdout).toContain(key);
  });

  it('names a document that was deleted, and its metadata left alone', async () => {
    const fixture = await freshArchive();
    const key = fixture.documentKeys[1] ?? '';
    await s3.send(new DeleteObjectCommand({ Bucket: fixture.bucket, Key: key }));

    await expectReportedByCli(fixture, [
      { objectKey: key, check: 'manifest.object-missing' },
      { objectKey: metadataKeyOf(key), check: 'metadata.document-missing' },
    ]);
  });

  it('names a signed document, with its metadata, that no manifest entry records', async () => {
    const fixture = await freshArchive();
    const template = JSON.parse(await getText(fixture.bucket, metadataKeyOf(fixture.documentKeys[1] ?? ''))) as DocumentMetadata;
    const dossierCode = `${ward.agencyCode}-250101-9999`;
    const key = documentObjectKey({ dossierCode }, 'result-v3', 'pdf');
    const pdf = await fixture.signAs(fixture.identity, fixture.unsignedPdf, new Date());
    const metadata: DocumentMetadata = { ...template, dossierCode, documentId: 'result-v3', objectKey: key, sha256: sha256Of(pdf), sizeBytes: pdf.byteLength };
    await overwrite(fixture.bucket, key, pdf);
    await overwrite(fixture.bucket, metadataKeyOf(key), JSON.stringify(metadata));

    const cli = await auditThroughCli(fixture);

    expect(cli.status).toBe(1);
    expect(findings(cli.report)).toEqual([
      { objectKey: metadataKeyOf(key), check: 'manifest.not-recorded' },
      { objectKey: key, check: 'manifest.not-recorded' },
    ]);
  });

  it('names a manifest entry that was edited, and the object it now misdescribes', async () => {
    const fixture = await freshArchive();
    const entryKey = fixture.entryKeys[1] ?? '';
    const entry = JSON.parse(await getText(fixture.bucket, entryKey)) as ManifestEntry;
    await overwrite(fixture.bucket, entryKey, JSON.stringify({ ...entry, objectSha256: sha256Of('something else') }));

    await expectReportedByCli(fixture, [
      { objectKey: entryKey, check: 'manifest.hash' },
      { objectKey: entry.objectKey, check: 'manifest.object-sha256' },
    ]);
  });

  it('names the next entry and the seal when an edited entry is hashed again', async () => {
    const fixture = await freshArchive();
    // The last entry of the first day: the next entry links to it, and the day's seal names its hash.
    const [, entryKey = '', nextKey = ''] = fixture.entryKeys;
    const entry = JSON.parse(await getText(fixture.bucket, entryKey)) as ManifestEntry;
    const { hash: _hash, ...body } = entry;
    await overwrite(fixture.bucket, entryKey, JSON.stringify(sealEntry({ ...body, recordedAt: toVietnamIso(new Date(Date.parse(body.recordedAt) + 1000)) })));

    const report = await audit(fixture);

    expect(findings(report)).toEqual(
      expect.arrayContaining([
        { objectKey: nextKey, check: 'manifest.previous-hash' },
        { objectKey: fixture.sealKeys[0], check: 'seal.last-hash' },
      ]),
    );
    expect(findings(report)).not.toContainEqual({ objectKey: entryKey, check: 'manifest.hash' });
  });

  it('names both entries when two were swapped', async () => {
    const fixture = await freshArchive();
    const [, second = '', third = ''] = fixture.entryKeys;
    const [secondBody, thirdBody] = await Promise.all([getText(fixture.bucket, second), getText(fixture.bucket, third)]);
    await overwrite(fixture.bucket, second, thirdBody);
    await overwrite(fixture.bucket, third, secondBody);

    await expectReportedByCli(fixture, [
      { objectKey: second, check: 'manifest.key' },
      { objectKey: third, check: 'manifest.key' },
      { objectKey: second, check: 'manifest.previous-hash' },
      { objectKey: third, check: 'manifest.previous-hash' },
    ]);
  });

  it("names a cancellation record whose signature was replaced by another key's", async () => {
    const fixture = await freshArchive();
    const other = await temporarySigningIdentity(ward, new Date(Date.now() - 7 * 24 * 3_600_000));
    cleanups.push(other.cleanup);
    const record = JSON.parse(await getText(fixture.bucket, fixture.cancellationKey)) as CancellationRecord;
    const forged = await fixture.detachedSignature(other.identity, record.facts);
    // The forger keeps the ward's certificate named: only the signature value is theirs.
    await overwrite(fixture.bucket, fixture.cancellationKey, JSON.stringify({ ...record, signature: { ...record.signature, value: forged.value } }));

    const cli = await auditThroughCli(fixture);

    expect(cli.status).toBe(1);
    expect(findings(cli.report)).toContainEqual({ objectKey: fixture.cancellationKey, check: 'record.signature' });
  });

  it('names a document signed again with another key', async () => {
    const fixture = await freshArchive();
    const other = await temporarySigningIdentity(ward, new Date(Date.now() - 7 * 24 * 3_600_000));
    cleanups.push(other.cleanup);
    const key = fixture.documentKeys[2] ?? '';
    await overwrite(fixture.bucket, key, await fixture.signAs(other.identity, fixture.unsignedPdf, new Date()));

    const cli = await auditThroughCli(fixture);

    expect(cli.status).toBe(1);
    // The new signature is intact in itself: what gives it away is its signer and its bytes.
    expect(findings(cli.report)).toEqual(
      expect.arrayContaining([
        { objectKey: key, check: 'document.signer' },
        { objectKey: key, check: 'document.sha256' },
        { objectKey: key, check: 'manifest.object-sha256' },
      ]),
    );
    expect(findings(cli.report)).not.toContainEqual({ objectKey: key, check: 'document.signature' });
  });

  it('names a daily seal whose facts were changed after it was signed', async () => {
    const fixture = await freshArchive();
    const [sealKey = ''] = fixture.sealKeys;
    const seal = JSON.parse(await getText(fixture.bucket, sealKey)) as DailyManifest;
    await overwrite(fixture.bucket, sealKey, JSON.stringify({ ...seal, facts: { ...seal.facts, lastHash: sha256Of(canonicalJson({ forged: true })) } }));

    const report = await audit(fixture);

    expect(findings(report)).toEqual(
      expect.arrayContaining([
        { objectKey: sealKey, check: 'record.signature' },
        { objectKey: sealKey, check: 'seal.last-hash' },
        { objectKey: fixture.sealKeys[1], check: 'seal.previous-seal' },
      ]),
    );
  });

  it('reports objects under no prefix of the layout', async () => {
    const fixture = await freshArchive();
    await overwrite(fixture.bucket, 'notes/readme.txt', 'hello');

    const report = await audit(fixture);

    expect(findings(report)).toEqual([{ objectKey: 'notes/readme.txt', check: 'archive.unknown-object' }]);
  });
});
