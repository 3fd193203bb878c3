/**
 * A ward's archive as the production writer leaves it, written into an s3rver bucket exactly in
 * the layout and formats of shared/domain/archive.ts, for the audit's tests and bench: signed
 * result PDFs (rendered once, signed per document with its own signing time) with their
 * metadata, one register (form 07), one cancellation, the hash-chained manifest entries, one
 * signed seal per day, and the certificate chain, signed by a local signing identity created
 * in a temporary folder. Every JSON record is its canonical JSON, as the writer stores it
 * (shared/use-cases/issue-document.ts, cancel-result.ts, seal-manifest.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { readOrCreateLocalSigningIdentity } from '../../local/signing-identity';
import { mapInOrder } from '../../shared/audit/map-in-order';
import {
  canonicalJson,
  cancellationKeyOf,
  certificateChainKey,
  dailyManifestKey,
  documentIdOf,
  registerIdOf,
  documentObjectKey,
  manifestEntryKey,
  metadataKeyOf,
  nextEntry,
  sha256Of,
  type CancellationFacts,
  type CancellationRecord,
  type DailyManifest,
  type DailyManifestFacts,
  type DetachedSignature,
  type DocumentMetadata,
  type ManifestEntry,
  type ManifestEntryBody,
  type SignatureInfo,
} from '../../shared/domain/archive';
import { formatDossierCode } from '../../shared/domain/formats';
import { toVietnamIso, vietnamDate, vietnamInstant } from '../../shared/domain/time';
import type { WardConfig } from '../../shared/domain/ward-config';
import { certificateSha256, certificateSubject, createSelfIssuedCertificate, derToPem, wardCertificateSubject } from '../../shared/documents/certificates';
import { signPdf } from '../../shared/documents/pades';
import { renderResultPdf } from '../../shared/documents/result-pdf';
import type { SigningIdentity } from '../../shared/use-cases/ports';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface ArchiveFixtureOptions {
  readonly s3: S3Client;
  /** Created if it does not exist. */
  readonly bucket: string;
  readonly ward: WardConfig;
  /** Results under documents/ (default 4); the register and the cancellation come on top. */
  readonly documents?: number;
  /** Days the documents are spread over, each sealed (default 2); they end before today. */
  readonly days?: number;
  /** Unsigned e-copies under the legacy prefix results/ (default 0). */
  readonly legacyResults?: number;
  /**
   * How many differently signed PDFs to make (default: one per document). Fewer makes a large
   * archive fast (the bench): document i is then a copy of signed PDF i mod this, still a whole,
   * valid signed file; only its signing time may differ from its metadata's issue time.
   */
  readonly distinctSignatures?: number;
  /** Objects signed and written at once (default 8). */
  readonly concurrency?: number;
  /** Called as documents are signed and written. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Who certified the signing key (default the local test CA; SELF_ISSUED: the ward's own certificate, as before a CA chain is configured). */
  readonly authority?: 'LOCAL_TEST_CA' | 'SELF_ISSUED';
}

export interface ArchiveFixture {
  readonly bucket: string;
  readonly ward: WardConfig;
  readonly identity: SigningIdentity;
  /** The results' PDFs under documents/, in key order. */
  readonly documentKeys: readonly string[];
  readonly registerKey: string;
  /** The document the cancellation cancels (the first result), and its record. */
  readonly cancelledDocumentKey: string;
  readonly cancellationKey: string;
  readonly entryKeys: readonly string[];
  readonly sealKeys: readonly string[];
  readonly chainKey: string;
  readonly legacyKeys: readonly string[];
  /** The rendered PDF before signing, to sign again (with another identity). */
  readonly unsignedPdf: Uint8Array;
  readonly timings: { readonly renderMs: number; readonly signMs: number; readonly documentsMs: number; readonly manifestMs: number };
  /** Signs a PDF as the fixture signs its documents, with any identity (for tests that forge). */
  readonly signAs: (identity: SigningIdentity, pdf: Uint8Array, signingTime: Date) => Promise<Uint8Array>;
  /** A detached signature over the canonical JSON of `facts` by `identity`. */
  readonly detachedSignature: (identity: SigningIdentity, facts: unknown) => Promise<DetachedSignature>;
  /** Removes the signing identity's temporary folder (the bucket stays). */
  readonly cleanup: () => Promise<void>;
}

/** A local signing identity in a temporary folder, valid from `validFrom`; `cleanup` removes the folder. */
export async function temporarySigningIdentity(ward: WardConfig, validFrom: Date): Promise<{ identity: SigningIdentity; cleanup: () => Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'mot-cua-so-signing-'));
  const { identity } = await readOrCreateLocalSigningIdentity(join(directory, ward.slug), ward, validFrom);
  return { identity, cleanup: () => rm(directory, { recursive: true, force: true }) };
}

interface ArchivedDocument {
  readonly pdfKey: string;
  readonly pdfSha256: string;
  readonly metadataKey: string;
  readonly metadataSha256: string;
  readonly dossierCode?: string;
  readonly documentId: string;
  readonly issuedAt: Date;
}

/** The result every document of a fixture copies, rendered once per ward, day and authority (rendering takes seconds). */
const templates = new Map<string, Promise<Uint8Array>>();
function renderedTemplate(ward: WardConfig, day: string, authority: SigningIdentity['authority']): Promise<Uint8Array> {
  const key = `${ward.slug} ${day} ${authority}`;
  const issuedAt = vietnamInstant(day, '08:00');
  const rendered =
    templates.get(key) ??
    renderResultPdf({
      kind: 'RESULT',
      ward: { name: ward.name, province: ward.province },
      documentNumber: '12/2026/XN-UBND',
      title: 'Giấy xác nhận tình trạng hôn nhân',
      content: 'Xác nhận ông Nguyễn Văn An hiện chưa đăng ký kết hôn với ai.\n\nGiấy này có giá trị 6 tháng kể từ ngày cấp.',
      dossierCode: formatDossierCode(ward.agencyCode, day, 1),
      procedureName: 'Cấp Giấy xác nhận tình trạng hôn nhân',
      applicant: { fullName: 'Nguyễn Văn An', idNumber: '001090000001', address: 'Số 1 phố Tràng Tiền' },
      issuedAt,
      signature: {
        signerName: 'Trần Thị Bình',
        signerPosition: 'KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH',
        signedAt: issuedAt,
        organization: `Ủy ban nhân dân ${ward.name}`,
        authority,
        certificateIssuer: '',
      },
      verifyUrl: `https://${ward.slug}.example.gov.vn/tra-cuu`,
    });
  templates.set(key, rendered);
  return rendered;
}

/** Writes the archive; returns where everything is. */
export async function buildArchiveFixture(options: ArchiveFixtureOptions): Promise<ArchiveFixture> {
  const { s3, bucket, ward } = options;
  const documentCount = options.documents ?? 4;
  const days = options.days ?? 2;
  const concurrency = options.concurrency ?? 8;
  // Days D-days … D-1 (Vietnam), so every entry is sealed and no seal is pending.
  const firstDay = vietnamDate(new Date(Date.now() - days * DAY_MS));
  const dayStart = vietnamInstant(firstDay, '08:00');
  const signing = await temporarySigningIdentity(ward, new Date(dayStart.getTime() - DAY_MS));
  const identity: SigningIdentity =
    options.authority === 'SELF_ISSUED'
      ? {
          signer: signing.identity.signer,
          chain: [await createSelfIssuedCertificate(signing.identity.signer, wardCertificateSubject(ward), new Date(dayStart.getTime() - DAY_MS), 5)],
          authority: 'SELF_ISSUED',
        }
      : signing.identity;
  const [signerCertificate] = identity.chain;
  if (signerCertificate === undefined) throw new Error('The signing identity has no certificate');
  const signature: SignatureInfo = {
    algorithm: 'ECDSA_SHA_256',
    keyId: identity.signer.keyId,
    certificateSha256: certificateSha256(signerCertificate),
    certificateSubject: certificateSubject(signerCertificate),
    authority: identity.authority,
  };
  const put = (key: string, body: Uint8Array | string, contentType: string) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: unknown) => {
    if (!(error instanceof Error && /BucketAlready/.test(error.name))) throw error;
  });

  const chainKey = certificateChainKey(signature.certificateSha256);
  await put(chainKey, identity.chain.map((der) => derToPem(der, 'CERTIFICATE')).join(''), 'application/x-pem-file');

  // Each day from 08:00 to 17:00, the documents evenly spread (the register last, on the last day).
  const issuedAtOf = (index: number, of: number): Date => {
    const position = (index * days) / of;
    const day = Math.floor(position);
    return new Date(dayStart.getTime() + day * DAY_MS + Math.floor((position - day) * 9 * HOUR_MS));
  };

  const renderStarted = performance.now();
  const unsignedPdf = await renderedTemplate(ward, firstDay, identity.authority);
  const renderMs = performance.now() - renderStarted;

  const signAs = (signer: SigningIdentity, pdf: Uint8Array, signingTime: Date) =>
    signPdf(pdf, { identity: signer, signingTime, reason: 'Phê duyệt kết quả giải quyết hồ sơ', location: `${ward.name}, ${ward.province}`, signerName: ward.name });

  const signStarted = performance.now();
  const distinct = Math.max(1, Math.min(options.distinctSignatures ?? documentCount + 1, documentCount + 1));
  const signedPdfs: Uint8Array[] = [];
  for await (const pdf of mapInOrder(
    Array.from({ length: distinct }, (_, index) => index),
    concurrency,
    (index) => signAs(identity, unsignedPdf, issuedAtOf(index, documentCount + 1)),
  )) {
    signedPdfs.push(pdf);
  }
  const signMs = performance.now() - signStarted;

  /** One document: its PDF, then its metadata (what the writer stores first). */
  const archiveDocument = async (index: number): Promise<ArchivedDocument> => {
    const isRegister = index === documentCount;
    const issuedAt = issuedAtOf(index, documentCount + 1);
    const localDay = vietnamDate(issuedAt);
    const dossierCode = isRegister ? undefined : formatDossierCode(ward.agencyCode, localDay, index + 1);
    const documentId = isRegister ? registerIdOf({ from: firstDay, to: localDay }, issuedAt) : documentIdOf('RESULT', 7);
    const owner = dossierCode === undefined ? ({ register: true } as const) : { dossierCode };
    const pdfKey = documentObjectKey(owner, documentId, 'pdf');
    const pdf = signedPdfs[index % distinct] ?? unsignedPdf;
    const pdfSha256 = sha256Of(pdf);
    const metadata: DocumentMetadata = {
      format: 'mot-cua-so/document@1',
      ward: { slug: ward.slug, name: ward.name, agencyCode: ward.agencyCode },
      documentId,
      kind: isRegister ? 'FORM_07' : 'RESULT',
      title: isRegister ? 'Sổ theo dõi hồ sơ' : 'Giấy xác nhận tình trạng hôn nhân',
      documentNumber: `${index + 1}/${localDay.slice(0, 4)}/XN-UBND`,
      ...(dossierCode === undefined
        ? { period: { from: firstDay, to: localDay } }
        : { dossierCode, procedure: { code: '1.004873', version: 1, name: 'Cấp Giấy xác nhận tình trạng hôn nhân' }, preparedOnVersion: 7 }),
      issuedAt: toVietnamIso(issuedAt),
      signer: { name: 'Trần Thị Bình', position: 'Phó Chủ tịch', officerId: 'officer-leader-1' },
      objectKey: pdfKey,
      sha256: pdfSha256,
      sizeBytes: pdf.byteLength,
      signature,
    };
    const metadataJson = canonicalJson(metadata);
    await put(pdfKey, pdf, 'application/pdf');
    await put(metadataKeyOf(pdfKey), metadataJson, 'application/json; charset=utf-8');
    options.onProgress?.(index + 1, documentCount + 1);
    return { pdfKey, pdfSha256, metadataKey: metadataKeyOf(pdfKey), metadataSha256: sha256Of(metadataJson), ...(dossierCode ? { dossierCode } : {}), documentId, issuedAt };
  };

  const documentsStarted = performance.now();
  const archived: ArchivedDocument[] = [];
  for await (const document of mapInOrder(
    Array.from({ length: documentCount + 1 }, (_, index) => index),
    concurrency,
    archiveDocument,
  ))
    archived.push(document);
  const documentsMs = performance.now() - documentsStarted;

  const detachedSignature = async (signer: SigningIdentity, facts: unknown): Promise<DetachedSignature> => {
    const [certificate] = signer.chain;
    if (certificate === undefined) throw new Error('The signing identity has no certificate');
    const value = await signer.signer.sign(new TextEncoder().encode(canonicalJson(facts)));
    return {
      algorithm: 'ECDSA_SHA_256',
      keyId: signer.signer.keyId,
      certificateSha256: certificateSha256(certificate),
      certificateSubject: certificateSubject(certificate),
      authority: signer.authority,
      value: Buffer.from(value).toString('base64'),
    };
  };

  // The first result is cancelled an hour after the last document.
  const manifestStarted = performance.now();
  const [cancelled] = archived;
  const register = archived[archived.length - 1];
  if (cancelled === undefined || register === undefined || cancelled === register) throw new Error('The fixture needs at least one result');
  const cancelledAt = new Date(register.issuedAt.getTime() + HOUR_MS);
  const facts: CancellationFacts = {
    format: 'mot-cua-so/cancellation@1',
    ward: ward.slug,
    dossierCode: cancelled.dossierCode ?? '',
    documentId: cancelled.documentId,
    objectKey: cancelled.pdfKey,
    documentSha256: cancelled.pdfSha256,
    cancelledAt: toVietnamIso(cancelledAt),
    reason: 'Cấp nhầm: sai năm sinh của người yêu cầu',
    cancelledBy: { name: 'Trần Thị Bình', officerId: 'officer-leader-1' },
  };
  const cancellation: CancellationRecord = { facts, signature: await detachedSignature(identity, facts) };
  const cancellationKey = cancellationKeyOf(cancelled.pdfKey);
  const cancellationJson = canonicalJson(cancellation);
  await put(cancellationKey, cancellationJson, 'application/json; charset=utf-8');

  // The hash chain, in the order the documents were archived, then the cancellation.
  const links: { link: Omit<ManifestEntryBody, 'format' | 'sequence' | 'previousHash' | 'recordedAt'>; at: Date }[] = [
    ...archived.map((document) => ({
      link: {
        ward: ward.slug,
        type: 'DOCUMENT_ARCHIVED' as const,
        ...(document.dossierCode ? { dossierCode: document.dossierCode } : {}),
        documentId: document.documentId,
        objectKey: document.pdfKey,
        objectSha256: document.pdfSha256,
        metadataKey: document.metadataKey,
        metadataSha256: document.metadataSha256,
      },
      at: document.issuedAt,
    })),
    {
      link: {
        ward: ward.slug,
        type: 'DOCUMENT_CANCELLED' as const,
        dossierCode: facts.dossierCode,
        documentId: facts.documentId,
        objectKey: cancellationKey,
        objectSha256: sha256Of(cancellationJson),
      },
      at: cancelledAt,
    },
  ];
  const entries: ManifestEntry[] = [];
  for (const { link, at } of links) entries.push(nextEntry(entries[entries.length - 1], link, at));
  const entryKeys = entries.map((entry) => manifestEntryKey(entry.sequence));
  for await (const written of mapInOrder(entries, concurrency, (entry) => put(manifestEntryKey(entry.sequence), canonicalJson(entry), 'application/json; charset=utf-8')))
    void written;

  // One seal a day, made just after midnight, each naming the one before.
  const sealKeys: string[] = [];
  let previousSealHash = '0'.repeat(64);
  let first = 0;
  while (first < entries.length) {
    const day = vietnamDate(new Date(entries[first]?.recordedAt ?? 0));
    let last = first;
    while (last + 1 < entries.length && vietnamDate(new Date(entries[last + 1]?.recordedAt ?? 0)) === day) last += 1;
    const lastEntry = entries[last];
    if (lastEntry === undefined) break;
    const sealFacts: DailyManifestFacts = {
      format: 'mot-cua-so/manifest-daily@1',
      ward: ward.slug,
      day,
      firstSequence: first + 1,
      lastSequence: lastEntry.sequence,
      lastHash: lastEntry.hash,
      previousSealHash,
      sealedAt: toVietnamIso(new Date(vietnamInstant(day, '00:05').getTime() + DAY_MS)),
    };
    const seal: DailyManifest = { facts: sealFacts, signature: await detachedSignature(identity, sealFacts) };
    await put(dailyManifestKey(day), canonicalJson(seal), 'application/json; charset=utf-8');
    sealKeys.push(dailyManifestKey(day));
    previousSealHash = sha256Of(canonicalJson(seal));
    first = last + 1;
  }
  const manifestMs = performance.now() - manifestStarted;

  const legacyKeys = Array.from(
    { length: options.legacyResults ?? 0 },
    (_, index) => `results/${formatDossierCode(ward.agencyCode, firstDay, 900 + index)}/20250101T000000000Z-approved.pdf`,
  );
  for (const key of legacyKeys) await put(key, unsignedPdf, 'application/pdf');

  return {
    bucket,
    ward,
    identity,
    documentKeys: archived
      .filter((document) => document !== register)
      .map((document) => document.pdfKey)
      .sort(),
    registerKey: register.pdfKey,
    cancelledDocumentKey: cancelled.pdfKey,
    cancellationKey,
    entryKeys,
    sealKeys,
    chainKey,
    legacyKeys,
    unsignedPdf,
    timings: { renderMs, signMs, documentsMs, manifestMs },
    signAs,
    detachedSignature,
    cleanup: signing.cleanup,
  };
}
