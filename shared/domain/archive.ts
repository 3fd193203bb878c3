/**
 * The ward's write-once archive, as an auditor reads it: what each object is, in one JSON format
 * per kind of record (docs/archive-format.md describes them for people). Every format here is
 * the one schema that the writers build and the audit parses.
 *
 * Layout of the archive bucket (S3 Object Lock, compliance mode, the ward's retention):
 *
 * | key                                            | what                                              |
 * |------------------------------------------------|---------------------------------------------------|
 * | `documents/<dossier code>/<document id>.pdf`   | a signed PDF (PAdES) the ward issued              |
 * | `documents/<dossier code>/<document id>.json`  | its metadata ({@link DocumentMetadataSchema})     |
 * | `registers/<document id>.pdf` and `.json`      | a dossier register of a period (form 07)          |
 * | `cancellations/<document key>.json`            | a signed cancellation record                      |
 * | `manifest/entries/<sequence, 12 digits>.json`  | one entry of the hash chain                       |
 * | `manifest/daily/<YYYY-MM-DD>.json`             | the signed seal of one day's entries              |
 * | `signing/certificates/<SHA-256>.pem`           | every certificate chain the ward signed with      |
 * | `signing/self-issued.pem`                      | the ward's self-issued certificate, if it had one |
 * | `results/<…>`                                  | e-copies from before documents were signed        |
 *
 * Keys are deterministic (dossier, kind, the dossier version the change was decided on), and
 * every object is written with `If-None-Match: *`: an attempt repeated, or two officers acting at
 * once, cannot leave two objects for one document.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import * as z from 'zod';
import { VIETNAM_OFFSET_MINUTES, toVietnamIso } from './time';

/** What the ward issues: e-results and refusal notices, and the official forms of Circular 03/2025/TT-VPCP. */
export const DOCUMENT_KINDS = ['RESULT', 'REFUSAL', 'FORM_01', 'FORM_02', 'FORM_03', 'FORM_04', 'FORM_05', 'FORM_06', 'FORM_07'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** A dossier's document id: its kind and the dossier version the change was decided on, e.g. `form-01-v3`, `result-v9`. */
export function documentIdOf(kind: DocumentKind, dossierVersion: number): string {
  return `${kind.toLowerCase().replace('_', '-')}-v${dossierVersion}`;
}

/**
 * A register's id (form 07, which belongs to no dossier): its period and the instant it was
 * issued to the millisecond, in Vietnam time, e.g. `register-20261101-20261130-20261201091500123`.
 */
export function registerIdOf(period: { readonly from: string; readonly to: string }, issuedAt: Date): string {
  const local = new Date(issuedAt.getTime() + VIETNAM_OFFSET_MINUTES * 60_000).toISOString().replace(/\D/g, '').slice(0, 17);
  return `register-${period.from.replace(/-/g, '')}-${period.to.replace(/-/g, '')}-${local}`;
}

/** A register's id; its groups are the period's first and last days, year, month and day each. */
export const REGISTER_ID_PATTERN = /^register-(\d{4})(\d{2})(\d{2})-(\d{4})(\d{2})(\d{2})-\d{17}$/;

/** The period a register's id names. */
export function registerPeriodOf(documentId: string): { from: string; to: string } | undefined {
  const match = REGISTER_ID_PATTERN.exec(documentId);
  return match ? { from: `${match[1]}-${match[2]}-${match[3]}`, to: `${match[4]}-${match[5]}-${match[6]}` } : undefined;
}
export const DOCUMENT_ID_PATTERN = new RegExp(`^(?:result|refusal|form-0[1-7])-v\\d{1,6}$|${REGISTER_ID_PATTERN.source}`);

/** Where a dossier's document lives; a register (form 07) belongs to no dossier. */
export function documentObjectKey(owner: { dossierCode: string } | { register: true }, documentId: string, extension: 'pdf' | 'json'): string {
  return 'dossierCode' in owner ? `documents/${owner.dossierCode}/${documentId}.${extension}` : `registers/${documentId}.${extension}`;
}

export const metadataKeyOf = (pdfKey: string): string => pdfKey.replace(/\.pdf$/, '.json');
export const cancellationKeyOf = (pdfKey: string): string => `cancellations/${pdfKey.replace(/\.pdf$/, '')}.json`;
export const manifestEntryKey = (sequence: number): string => `manifest/entries/${String(sequence).padStart(12, '0')}.json`;
export const dailyManifestKey = (day: string): string => `manifest/daily/${day}.json`;
export const certificateChainKey = (certificateSha256: string): string => `signing/certificates/${certificateSha256}.pem`;

/** Where the ward's self-issued certificate lives, made once by the first function that signs while no CA chain is configured. */
export const SELF_ISSUED_CERTIFICATE_KEY = 'signing/self-issued.pem';

/** E-copies archived before documents were signed: unsigned PDFs, no metadata, in no manifest; still read, never written again. */
export const LEGACY_RESULTS_PREFIX = 'results/';

export const ARCHIVE_PREFIXES = {
  documents: 'documents/',
  registers: 'registers/',
  cancellations: 'cancellations/',
  manifestEntries: 'manifest/entries/',
  dailyManifests: 'manifest/daily/',
  certificates: 'signing/certificates/',
} as const;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const isoInstant = z.iso.datetime({ offset: true });

/** How a record is signed: ECDSA P-256 / SHA-256 by the ward's key, with the certificate that names the key. */
export const SignatureInfoSchema = z
  .object({
    algorithm: z.literal('ECDSA_SHA_256'),
    keyId: z.string().min(1),
    /** SHA-256 of the signer's certificate (DER); its chain is at `signing/certificates/<this>.pem`. */
    certificateSha256: sha256Hex,
    certificateSubject: z.string(),
    authority: z.enum(['CONFIGURED_CA', 'SELF_ISSUED', 'LOCAL_TEST_CA']),
  })
  .strict();
export type SignatureInfo = z.infer<typeof SignatureInfoSchema>;

/** `documents/…/<id>.json`: what the PDF beside it is. Written before the dossier records it. */
export const DocumentMetadataSchema = z
  .object({
    format: z.literal('mot-cua-so/document@1'),
    ward: z.object({ slug: z.string(), name: z.string(), agencyCode: z.string() }).strict(),
    documentId: z.string().regex(DOCUMENT_ID_PATTERN),
    kind: z.enum(DOCUMENT_KINDS),
    title: z.string(),
    documentNumber: z.string(),
    /** Absent for a register (form 07), which covers a period. */
    dossierCode: z.string().optional(),
    procedure: z.object({ code: z.string(), version: z.number().int(), name: z.string() }).strict().optional(),
    period: z.object({ from: z.iso.date(), to: z.iso.date() }).strict().optional(),
    issuedAt: isoInstant,
    signer: z.object({ name: z.string(), position: z.string(), officerId: z.string().optional() }).strict(),
    /** The dossier version the document was prepared on (its id says it too). */
    preparedOnVersion: z.number().int().optional(),
    objectKey: z.string(),
    sha256: sha256Hex,
    sizeBytes: z.number().int().positive(),
    signature: SignatureInfoSchema,
  })
  .strict();
export type DocumentMetadata = z.infer<typeof DocumentMetadataSchema>;

/** The facts of a cancellation, signed as they are serialised by {@link canonicalJson}. */
export const CancellationFactsSchema = z
  .object({
    format: z.literal('mot-cua-so/cancellation@1'),
    ward: z.string(),
    dossierCode: z.string(),
    documentId: z.string(),
    /** The cancelled PDF and its SHA-256: the record names exactly one file. */
    objectKey: z.string(),
    documentSha256: sha256Hex,
    cancelledAt: isoInstant,
    reason: z.string().min(1),
    cancelledBy: z.object({ name: z.string(), officerId: z.string() }).strict(),
  })
  .strict();
export type CancellationFacts = z.infer<typeof CancellationFactsSchema>;

/** A signature over the canonical JSON of a record's facts: base64 DER ECDSA. */
export const DetachedSignatureSchema = SignatureInfoSchema.extend({ value: z.base64() }).strict();
export type DetachedSignature = z.infer<typeof DetachedSignatureSchema>;

/** `cancellations/<document key>.json`. */
export const CancellationRecordSchema = z.object({ facts: CancellationFactsSchema, signature: DetachedSignatureSchema }).strict();
export type CancellationRecord = z.infer<typeof CancellationRecordSchema>;

export const MANIFEST_ENTRY_TYPES = ['DOCUMENT_ARCHIVED', 'DOCUMENT_CANCELLED'] as const;
export type ManifestEntryType = (typeof MANIFEST_ENTRY_TYPES)[number];

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** One link of the chain, without its own hash. */
export const ManifestEntryBodySchema = z
  .object({
    format: z.literal('mot-cua-so/manifest-entry@1'),
    ward: z.string(),
    /** 1, 2, 3 … without gaps: the order in which the table committed the changes that archived or cancelled. */
    sequence: z.number().int().positive(),
    /** Never earlier than the entry before (the chain's time runs forward). */
    recordedAt: isoInstant,
    type: z.enum(MANIFEST_ENTRY_TYPES),
    dossierCode: z.string().optional(),
    documentId: z.string(),
    /** The PDF (DOCUMENT_ARCHIVED) or the cancellation record (DOCUMENT_CANCELLED), with its SHA-256. */
    objectKey: z.string(),
    objectSha256: sha256Hex,
    /** DOCUMENT_ARCHIVED: the metadata beside the PDF, with its SHA-256. */
    metadataKey: z.string().optional(),
    metadataSha256: sha256Hex.optional(),
    previousHash: sha256Hex,
  })
  .strict();
export type ManifestEntryBody = z.infer<typeof ManifestEntryBodySchema>;

/** `manifest/entries/<sequence>.json`: the body and `hash` = SHA-256 of the body's canonical JSON. */
export const ManifestEntrySchema = ManifestEntryBodySchema.extend({ hash: sha256Hex }).strict();
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

/** What a daily seal says: the last entry of the day, which by the chain commits to every entry before it. */
export const DailyManifestFactsSchema = z
  .object({
    format: z.literal('mot-cua-so/manifest-daily@1'),
    ward: z.string(),
    day: z.iso.date(),
    firstSequence: z.number().int().positive(),
    lastSequence: z.number().int().positive(),
    lastHash: sha256Hex,
    /** SHA-256 of the canonical JSON of the previous day's seal (facts and signature); the genesis hash for the first. */
    previousSealHash: sha256Hex,
    sealedAt: isoInstant,
  })
  .strict();
export type DailyManifestFacts = z.infer<typeof DailyManifestFactsSchema>;

/** `manifest/daily/<day>.json`. */
export const DailyManifestSchema = z.object({ facts: DailyManifestFactsSchema, signature: DetachedSignatureSchema }).strict();
export type DailyManifest = z.infer<typeof DailyManifestSchema>;

/** RFC 8785 (JSON Canonicalization Scheme): the bytes every hash and detached signature here is computed over. */
export function canonicalJson(value: unknown): string {
  const serialised = canonicalize(value);
  if (serialised === undefined) throw new Error('not serialisable as JSON');
  return serialised;
}

export const sha256Of = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** Closes an entry: its hash over the canonical JSON of everything else in it. */
export function sealEntry(body: ManifestEntryBody): ManifestEntry {
  return { ...body, hash: sha256Of(canonicalJson(body)) };
}

/** Whether an entry's hash is the hash of its own body (edited entries fail). */
export function entryHashHolds(entry: ManifestEntry): boolean {
  const { hash, ...body } = entry;
  return sha256Of(canonicalJson(body)) === hash;
}

/** The next link after `previous` (undefined: the first entry). */
export function nextEntry(
  previous: Pick<ManifestEntry, 'sequence' | 'hash' | 'recordedAt'> | undefined,
  link: Omit<ManifestEntryBody, 'format' | 'sequence' | 'previousHash' | 'recordedAt'>,
  now: Date,
): ManifestEntry {
  const recordedAt = previous && Date.parse(previous.recordedAt) > now.getTime() ? previous.recordedAt : toVietnamIso(now);
  return sealEntry({
    format: 'mot-cua-so/manifest-entry@1',
    ...link,
    sequence: (previous?.sequence ?? 0) + 1,
    recordedAt,
    previousHash: previous?.hash ?? GENESIS_HASH,
  });
}
