/**
 * The auditor's check of a ward's archive (domain.md, "Electronic results and the archive"), read
 * through the {@link ArchiveReader} port only, in the layout and formats of shared/domain/archive.ts.
 *
 * It streams: objects are read a few at a time ({@link AuditOptions.concurrency}) in key order
 * and dropped once checked. What it keeps while it runs is small and bounded by the number of
 * manifest entries, not by the bytes archived: for each entry, the two keys it names (PDF and
 * metadata) with their recorded SHA-256 and sequence, about 0.5 KB a document in all (see
 * tests/bench/audit-bench.ts); the certificate chains; the daily seals (one a day); the
 * cancellation records' claims (one per cancelled document); and the findings.
 *
 * Order of the passes, each the listing of one prefix:
 * 1. the whole bucket, for the total and the keys under no prefix of the layout;
 * 2. `signing/certificates/`: each chain parsed, named by its first certificate, verified link by link;
 * 3. `manifest/daily/`: each seal's signature, and the seals' own chain (sequences, previous seal);
 * 4. `manifest/entries/`: the hash chain, and what each entry records (key → SHA-256);
 * 5. `cancellations/`: each record's signature, against the entry that records it;
 * 6. `documents/`, `registers/`: metadata, then the PDF beside it (`.json` sorts before `.pdf`):
 *    SHA-256 against the metadata and the entry, the PAdES signature, the signer's chain;
 * 7. `results/`: e-copies from before signatures (unsigned, no metadata), listed as warnings.
 * Then whatever an entry named and no pass found is reported missing.
 */
import { createPublicKey, verify, X509Certificate, type KeyObject } from 'node:crypto';
import type { ZodType } from 'zod';
import {
  ARCHIVE_PREFIXES,
  LEGACY_RESULTS_PREFIX,
  SELF_ISSUED_CERTIFICATE_KEY,
  CancellationRecordSchema,
  DailyManifestSchema,
  DocumentMetadataSchema,
  GENESIS_HASH,
  ManifestEntrySchema,
  canonicalJson,
  cancellationKeyOf,
  certificateChainKey,
  dailyManifestKey,
  documentObjectKey,
  entryHashHolds,
  manifestEntryKey,
  metadataKeyOf,
  sha256Of,
  type DetachedSignature,
  type DocumentMetadata,
  type ManifestEntry,
} from '../domain/archive';
import { toVietnamIso, vietnamDate } from '../domain/time';
import { certificatePublicKey, certificateSha256, certificateSubject, pemToDerChain } from '../documents/certificates';
import { mapInOrder } from './map-in-order';
import { checkPdfSignature, type CheckPdfSignature, type PdfSignatureFindings } from './pdf-signature';
import { ChecksumMismatchError, type ArchiveListing, type ArchiveObject, type ArchiveReader } from './archive-reader';

/** What each finding's `check` means; the CLI prints these. */
export const AUDIT_CHECKS = {
  'archive.unknown-object': 'an object under no prefix of the archive layout',
  'archive.unexpected-key': 'an object under a prefix of the layout, with a key the layout does not name',
  'object.unreadable': 'listed, but gone (or unreadable) when read',
  'object.storage-checksum': "the bytes do not match the storage's own SHA-256 of the object",
  'certificate.format': 'a certificate chain file that is not PEM certificates',
  'certificate.name': 'a chain file not named by the SHA-256 of its first certificate',
  'certificate.chain': 'a chain whose certificates do not certify one another up to a self-signed root',
  'record.format': 'a JSON record that does not parse against its schema',
  'record.ward': 'a record of another ward',
  'record.chain-missing': 'a record names a certificate chain the archive does not hold',
  'record.signature': "a detached signature that does not verify with the named certificate's key",
  'document.metadata-missing': 'a PDF without its metadata',
  'document.sha256': "a PDF whose SHA-256 or size is not its metadata's",
  'document.signature': 'a PDF whose PAdES signature is missing, does not cover the whole file, or does not verify',
  'document.signer': "a PDF signed by another certificate than its metadata's",
  'metadata.key': 'metadata that describes another object than the PDF beside it',
  'metadata.document-missing': 'metadata without its PDF',
  'cancellation.key': 'a cancellation record under another key than its document’s',
  'cancellation.document': 'a cancellation naming a document that is not archived with that SHA-256',
  'manifest.key': 'an entry under another key than its sequence',
  'manifest.gap': 'entries missing from the sequence 1, 2, 3 …',
  'manifest.hash': 'an entry whose hash is not the hash of its body (edited)',
  'manifest.previous-hash': "an entry whose previousHash is not the entry before's hash",
  'manifest.recorded-at': 'an entry recorded earlier than the entry before',
  'manifest.entry': 'an entry whose keys do not fit its type, or that cancels a document no earlier entry archived',
  'manifest.object-missing': 'an entry names an object the archive does not hold',
  'manifest.object-sha256': 'an object whose SHA-256 is not the one its entry recorded',
  'manifest.not-recorded': 'an archived object that no entry names',
  'manifest.recorded-twice': 'an object named by more than one entry',
  'seal.key': 'a daily seal under another key than its day',
  'seal.sequence': 'a seal that does not start where the previous one ended, or ends before it starts',
  'seal.previous-seal': "a seal whose previousSealHash is not the previous seal's hash",
  'seal.last-hash': 'a seal whose lastHash is not the hash of its last entry',
  'seal.entry-day': "an entry sealed by another day's seal, or recorded after its seal",
  'seal.pending': 'entries of a past day that no seal covers yet',
  'legacy.unsigned-result': 'an e-copy from before signatures (results/): unsigned, no metadata, in no manifest',
} as const;
export type AuditCheck = keyof typeof AUDIT_CHECKS;

export interface AuditFinding {
  readonly objectKey: string;
  readonly check: AuditCheck;
  readonly detail: string;
}

export interface AuditCounts {
  /** Every object listed in the bucket. */
  objects: number;
  /** PDFs under documents/ and registers/. */
  documents: number;
  registers: number;
  metadata: number;
  cancellations: number;
  manifestEntries: number;
  dailySeals: number;
  certificateChains: number;
  legacyResults: number;
  unknownObjects: number;
  /** Entries after the last seal (today's, normally). */
  unsealedEntries: number;
  bytesRead: number;
}

/** A chain the archive holds, for the auditor to compare with the CA they expect. */
export interface AuditedCertificate {
  readonly sha256: string;
  readonly subject: string;
  readonly rootSubject: string;
  readonly rootSha256: string;
  readonly chainLength: number;
  /** Named by its first certificate, each certified by the next, up to a self-signed root. */
  readonly chainValid: boolean;
  readonly notBefore: string;
  readonly notAfter: string;
  /** As the metadata of the documents signed with it say (SELF_ISSUED, CONFIGURED_CA, LOCAL_TEST_CA). */
  readonly authorities: string[];
  /** Documents and registers signed with it. */
  documents: number;
}

export interface AuditReport {
  readonly ward: string;
  readonly checkedAt: string;
  readonly counts: AuditCounts;
  readonly certificates: readonly AuditedCertificate[];
  readonly problems: readonly AuditFinding[];
  /** Not failures: legacy e-copies, entries waiting for a seal. */
  readonly warnings: readonly AuditFinding[];
  /** No problem found. */
  readonly ok: boolean;
}

export interface AuditOptions {
  /** The ward's slug: every record must name it. */
  readonly ward: string;
  /** Called after each object read; `total` is known after the first listing. */
  readonly onProgress?: (done: number, total?: number) => void;
  /** Objects read at once (default 8): each holds one object's bytes while it is checked. */
  readonly concurrency?: number;
  /** The audit's time (default now): `checkedAt`, and which days are past for pending seals. */
  readonly now?: Date;
  /** How PDFs' signatures are checked: by default in this thread; {@link pdfSignatureWorkerPool} spreads them over CPUs. */
  readonly checkPdfSignature?: CheckPdfSignature;
}

/**
 * Checks the whole archive and reports every problem found, each naming its object. Throws only
 * when the archive cannot be read at all (listing refused, network), never for what it finds.
 */
export async function auditArchive(reader: ArchiveReader, options: AuditOptions): Promise<AuditReport> {
  const audit = new ArchiveAudit(reader, options);
  await audit.inventory();
  await audit.certificates();
  await audit.dailySeals();
  await audit.manifestEntries();
  await audit.cancellations();
  await audit.documents(LAYOUT.documents);
  await audit.documents(LAYOUT.registers);
  await audit.legacyResults();
  return audit.finish();
}

const KNOWN_PREFIXES = [...Object.values(ARCHIVE_PREFIXES), LEGACY_RESULTS_PREFIX];
/** Single objects of the layout outside those prefixes. */
const KNOWN_KEYS: readonly string[] = [SELF_ISSUED_CERTIFICATE_KEY];

interface ArchivedChain {
  readonly publicKey: KeyObject;
  readonly summary: AuditedCertificate;
}

interface SealSpan {
  readonly key: string;
  readonly day: string;
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly lastHash: string;
  readonly sealedAt: number;
}

/** What an entry recorded about one object. */
interface Recorded {
  readonly sequence: number;
  readonly sha256: string;
}

/** A cancellation record's claim about a document, checked when the document is read. */
interface CancellationClaim {
  readonly cancellationKey: string;
  readonly documentSha256: string;
}

/** The part of a document's metadata its PDF is checked against. */
interface PendingMetadata {
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly certificateSha256: string;
  readonly authority: string;
}

/** An object as read: without bytes when it could not be read (reported already). */
type ReadObject<I> =
  | { readonly key: string; readonly bytes: Uint8Array; readonly sha256: string; readonly inspected?: I }
  | { readonly key: string; readonly bytes?: undefined; readonly sha256?: undefined; readonly inspected?: undefined };

/** An object of a part of the layout, with what the part's key pattern matched. */
type Read<I> = ReadObject<I> & { readonly match: RegExpExecArray };

/** Work on an object's bytes while others are read, for the keys it returns a function for. */
type Inspect<I> = (key: string) => ((bytes: Uint8Array) => Promise<I>) | undefined;

/** The keys each prefix may hold, as archive.ts names them. */
interface LayoutPart {
  readonly prefix: string;
  readonly pattern: RegExp;
  readonly expected: string;
}

const LAYOUT = {
  certificates: {
    prefix: ARCHIVE_PREFIXES.certificates,
    pattern: /^signing\/certificates\/([0-9a-f]{64})\.pem$/,
    expected: 'signing/certificates/<SHA-256 of the first certificate>.pem',
  },
  dailyManifests: { prefix: ARCHIVE_PREFIXES.dailyManifests, pattern: /^manifest\/daily\/(\d{4}-\d{2}-\d{2})\.json$/, expected: 'manifest/daily/<YYYY-MM-DD>.json' },
  manifestEntries: { prefix: ARCHIVE_PREFIXES.manifestEntries, pattern: /^manifest\/entries\/(\d{12})\.json$/, expected: 'manifest/entries/<sequence, 12 digits>.json' },
  cancellations: {
    prefix: ARCHIVE_PREFIXES.cancellations,
    pattern: /^cancellations\/((?:documents\/[^/]+|registers)\/[^/]+)\.json$/,
    expected: 'cancellations/<document key>.json',
  },
  documents: { prefix: ARCHIVE_PREFIXES.documents, pattern: /^documents\/[^/]+\/[^/]+\.(?:pdf|json)$/, expected: 'documents/<dossier code>/<document id>.pdf or .json' },
  registers: { prefix: ARCHIVE_PREFIXES.registers, pattern: /^registers\/[^/]+\.(?:pdf|json)$/, expected: 'registers/<document id>.pdf or .json' },
  legacyResults: { prefix: LEGACY_RESULTS_PREFIX, pattern: /^results\//, expected: 'results/…' },
} as const satisfies Record<string, LayoutPart>;

/** A PDF an entry may name (documents/ or registers/). */
const isDocumentKey = (key: string): boolean => key.endsWith('.pdf') && (LAYOUT.documents.pattern.test(key) || LAYOUT.registers.pattern.test(key));

class ArchiveAudit {
  private readonly problems: AuditFinding[] = [];
  private readonly warnings: AuditFinding[] = [];
  private readonly counts: AuditCounts = {
    objects: 0,
    documents: 0,
    registers: 0,
    metadata: 0,
    cancellations: 0,
    manifestEntries: 0,
    dailySeals: 0,
    certificateChains: 0,
    legacyResults: 0,
    unknownObjects: 0,
    unsealedEntries: 0,
    bytesRead: 0,
  };
  private readonly now: Date;
  private readonly concurrency: number;
  private readonly checkPdfSignature: CheckPdfSignature;
  private done = 0;
  private total: number | undefined;

  private readonly chains = new Map<string, ArchivedChain>();
  private readonly seals: SealSpan[] = [];
  /** Every object an entry names, until a pass finds it. */
  private readonly recorded = new Map<string, Recorded>();
  private readonly claims = new Map<string, CancellationClaim>();
  private readonly pendingMetadata = new Map<string, PendingMetadata>();
  private lastSequence = 0;
  /** The objects of {@link KNOWN_KEYS} the first listing found. */
  private readonly listedKeys = new Map<string, ArchiveListing>();

  constructor(
    private readonly reader: ArchiveReader,
    private readonly options: AuditOptions,
  ) {
    this.now = options.now ?? new Date();
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.checkPdfSignature = options.checkPdfSignature ?? checkPdfSignature;
  }

  private problem(objectKey: string, check: AuditCheck, detail: string): void {
    this.problems.push({ objectKey, check, detail });
  }

  async inventory(): Promise<void> {
    let total = 0;
    for await (const listing of this.reader.list('')) {
      const { key } = listing;
      this.counts.objects += 1;
      if (KNOWN_KEYS.includes(key)) this.listedKeys.set(key, listing);
      if (KNOWN_PREFIXES.some((prefix) => key.startsWith(prefix)) || KNOWN_KEYS.includes(key)) {
        total += 1;
      } else {
        this.counts.unknownObjects += 1;
        this.problem(key, 'archive.unknown-object', 'not part of the archive layout (shared/domain/archive.ts)');
      }
    }
    this.total = total;
    this.options.onProgress?.(0, total);
  }

  async certificates(): Promise<void> {
    for await (const { key, match, bytes } of this.readAll(LAYOUT.certificates)) {
      const named = match[1] ?? '';
      if (bytes === undefined) continue;
      this.counts.certificateChains += 1;
      let ders: Uint8Array[];
      try {
        ders = pemToDerChain(Buffer.from(bytes).toString('utf8'));
      } catch (error) {
        this.problem(key, 'certificate.format', messageOf(error));
        continue;
      }
      const [first] = ders;
      if (first === undefined) continue;
      const firstSha256 = certificateSha256(first);
      if (firstSha256 !== named) this.problem(key, 'certificate.name', `its first certificate's SHA-256 is ${firstSha256}`);
      const broken = brokenLink(ders);
      if (broken !== undefined) this.problem(key, 'certificate.chain', broken);
      const certificates = ders.map((der) => new X509Certificate(der));
      const root = ders[ders.length - 1] ?? first;
      this.chains.set(named, {
        publicKey: createPublicKey({ key: Buffer.from(certificatePublicKey(first)), format: 'der', type: 'spki' }),
        summary: {
          sha256: named,
          subject: certificateSubject(first),
          rootSubject: certificateSubject(root),
          rootSha256: certificateSha256(root),
          chainLength: ders.length,
          chainValid: broken === undefined && firstSha256 === named,
          notBefore: new Date(certificates[0]?.validFrom ?? 0).toISOString(),
          notAfter: new Date(certificates[0]?.validTo ?? 0).toISOString(),
          authorities: [],
          documents: 0,
        },
      });
    }
    await this.selfIssuedCertificate();
  }

  /** The ward's self-issued certificate, kept apart while it has no CA: its chain must be archived like any other. */
  private async selfIssuedCertificate(): Promise<void> {
    const object = await this.readListed(SELF_ISSUED_CERTIFICATE_KEY);
    if (object === undefined) return;
    try {
      const [certificate] = pemToDerChain(Buffer.from(object.bytes).toString('utf8'));
      const sha256 = certificate === undefined ? '' : certificateSha256(certificate);
      if (!this.chains.has(sha256)) this.problem(SELF_ISSUED_CERTIFICATE_KEY, 'record.chain-missing', `${certificateChainKey(sha256)} is not archived`);
    } catch (error) {
      this.problem(SELF_ISSUED_CERTIFICATE_KEY, 'certificate.format', messageOf(error));
    }
  }

  async dailySeals(): Promise<void> {
    let previous: { key: string; lastSequence: number; hash: string } | undefined;
    for await (const { key, bytes } of this.readAll(LAYOUT.dailyManifests)) {
      if (bytes === undefined) continue;
      const seal = this.parse(key, bytes, DailyManifestSchema);
      this.counts.dailySeals += 1;
      if (seal === undefined) {
        previous = undefined;
        continue;
      }
      const { facts } = seal;
      this.checkWard(key, facts.ward);
      if (dailyManifestKey(facts.day) !== key) this.problem(key, 'seal.key', `holds the seal of ${facts.day}`);
      this.checkDetachedSignature(key, facts, seal.signature);
      if (facts.lastSequence < facts.firstSequence) this.problem(key, 'seal.sequence', `ends at entry ${facts.lastSequence}, before it starts (${facts.firstSequence})`);
      const expectedFirst = previous === undefined ? (this.seals.length === 0 ? 1 : undefined) : previous.lastSequence + 1;
      if (expectedFirst !== undefined && facts.firstSequence !== expectedFirst) {
        this.problem(key, 'seal.sequence', `starts at entry ${facts.firstSequence}; the previous seal${previous ? ` (${previous.key})` : ''} ends at ${expectedFirst - 1}`);
      }
      const expectedPrevious = previous === undefined ? (this.seals.length === 0 ? GENESIS_HASH : undefined) : previous.hash;
      if (expectedPrevious !== undefined && facts.previousSealHash !== expectedPrevious) {
        this.problem(key, 'seal.previous-seal', previous ? `previousSealHash is not the hash of ${previous.key}` : 'the first seal must name the genesis hash');
      }
      this.seals.push({
        key,
        day: facts.day,
        firstSequence: facts.firstSequence,
        lastSequence: facts.lastSequence,
        lastHash: facts.lastHash,
        sealedAt: Date.parse(facts.sealedAt),
      });
      previous = { key, lastSequence: facts.lastSequence, hash: sha256Of(canonicalJson(seal)) };
    }
  }

  async manifestEntries(): Promise<void> {
    let previous: ManifestEntry | undefined;
    let expectedSequence = 1;
    let sealIndex = 0;
    const pendingDays = new Set<string>();
    const today = vietnamDate(this.now);
    for await (const { key, match, bytes } of this.readAll(LAYOUT.manifestEntries)) {
      const keySequence = Number(match[1]);
      if (keySequence > expectedSequence) {
        const missing = keySequence - 1 === expectedSequence ? `entry ${expectedSequence} is` : `entries ${expectedSequence}–${keySequence - 1} are`;
        this.problem(manifestEntryKey(expectedSequence), 'manifest.gap', `${missing} missing`);
        previous = undefined;
      }
      expectedSequence = keySequence + 1;
      this.lastSequence = keySequence;
      if (bytes === undefined) {
        previous = undefined;
        continue;
      }
      this.counts.manifestEntries += 1;
      const entry = this.parse(key, bytes, ManifestEntrySchema);
      if (entry === undefined) {
        previous = undefined;
        continue;
      }
      this.checkWard(key, entry.ward);
      if (entry.sequence !== keySequence) this.problem(key, 'manifest.key', `holds entry ${entry.sequence}`);
      if (!entryHashHolds(entry)) this.problem(key, 'manifest.hash', 'the entry was changed after it was hashed');
      if (previous !== undefined && entry.previousHash !== previous.hash) {
        this.problem(key, 'manifest.previous-hash', `previousHash is not the hash of ${manifestEntryKey(keySequence - 1)}`);
      } else if (keySequence === 1 && entry.previousHash !== GENESIS_HASH) {
        this.problem(key, 'manifest.previous-hash', 'the first entry must name the genesis hash');
      }
      if (previous !== undefined && Date.parse(entry.recordedAt) < Date.parse(previous.recordedAt)) {
        this.problem(key, 'manifest.recorded-at', `recorded at ${entry.recordedAt}, before the entry before (${previous.recordedAt})`);
      }
      this.recordObjects(key, entry);

      while (sealIndex < this.seals.length && (this.seals[sealIndex]?.lastSequence ?? 0) < keySequence) sealIndex += 1;
      const seal = this.seals[sealIndex];
      const day = vietnamDate(new Date(entry.recordedAt));
      if (seal !== undefined && seal.firstSequence <= keySequence) {
        if (day !== seal.day) this.problem(key, 'seal.entry-day', `recorded on ${day}, sealed by ${seal.key}`);
        if (Date.parse(entry.recordedAt) > seal.sealedAt) this.problem(key, 'seal.entry-day', `recorded at ${entry.recordedAt}, after its seal ${seal.key}`);
        if (seal.lastSequence === keySequence && seal.lastHash !== entry.hash) this.problem(seal.key, 'seal.last-hash', `lastHash is not the hash of ${key}`);
      } else if (seal === undefined) {
        this.counts.unsealedEntries += 1;
        if (day < today && !pendingDays.has(day)) {
          pendingDays.add(day);
          this.warnings.push({ objectKey: key, check: 'seal.pending', detail: `entries of ${day} from this one on have no daily seal` });
        }
      }
      previous = entry;
    }
    for (const seal of this.seals) {
      if (seal.lastSequence > this.lastSequence) this.problem(seal.key, 'seal.last-hash', `seals up to entry ${seal.lastSequence}; the manifest ends at ${this.lastSequence}`);
    }
  }

  /** What an entry says each object is; a second entry for one object is a problem. */
  private recordObjects(entryKey: string, entry: ManifestEntry): void {
    const named: [string, string | undefined][] = [[entry.objectKey, entry.objectSha256]];
    if (entry.type === 'DOCUMENT_ARCHIVED') {
      if (!isDocumentKey(entry.objectKey) || entry.metadataKey !== metadataKeyOf(entry.objectKey) || entry.metadataSha256 === undefined) {
        this.problem(entryKey, 'manifest.entry', `a DOCUMENT_ARCHIVED entry names ${entry.objectKey} with metadata ${entry.metadataKey ?? '(none)'}`);
      }
      if (entry.metadataKey !== undefined) named.push([entry.metadataKey, entry.metadataSha256]);
    } else {
      const documentKey = LAYOUT.cancellations.pattern.exec(entry.objectKey)?.[1];
      if (documentKey === undefined || entry.metadataKey !== undefined) {
        this.problem(entryKey, 'manifest.entry', `a DOCUMENT_CANCELLED entry names ${entry.objectKey}, not a cancellation record`);
      } else if (this.recorded.get(`${documentKey}.pdf`) === undefined) {
        this.problem(entryKey, 'manifest.entry', `cancels ${documentKey}.pdf, which no earlier entry archived`);
      }
    }
    for (const [objectKey, sha256] of named) {
      if (sha256 === undefined) continue;
      const earlier = this.recorded.get(objectKey);
      if (earlier !== undefined) {
        this.problem(objectKey, 'manifest.recorded-twice', `named by ${manifestEntryKey(earlier.sequence)} and ${entryKey}`);
        continue;
      }
      this.recorded.set(objectKey, { sequence: entry.sequence, sha256 });
    }
  }

  async cancellations(): Promise<void> {
    for await (const { key, bytes, sha256 } of this.readAll(LAYOUT.cancellations)) {
      if (bytes === undefined) continue;
      this.counts.cancellations += 1;
      this.checkRecorded(key, sha256);
      const record = this.parse(key, bytes, CancellationRecordSchema);
      if (record === undefined) continue;
      const { facts } = record;
      this.checkWard(key, facts.ward);
      if (cancellationKeyOf(facts.objectKey) !== key) this.problem(key, 'cancellation.key', `cancels ${facts.objectKey}`);
      this.checkDetachedSignature(key, facts, record.signature);
      this.claims.set(facts.objectKey, { cancellationKey: key, documentSha256: facts.documentSha256 });
    }
  }

  async documents(part: typeof LAYOUT.documents | typeof LAYOUT.registers): Promise<void> {
    for await (const { key, bytes, sha256, inspected } of this.readAll(part, (listed) => (listed.endsWith('.pdf') ? this.checkPdfSignature : undefined))) {
      const pdfKey = key.replace(/\.json$/, '.pdf');
      if (bytes === undefined) continue;
      this.checkRecorded(key, sha256);
      if (key.endsWith('.json')) {
        this.counts.metadata += 1;
        const metadata = this.parse(key, bytes, DocumentMetadataSchema);
        if (metadata !== undefined) this.acceptMetadata(key, pdfKey, metadata);
      } else {
        this.counts[part === LAYOUT.registers ? 'registers' : 'documents'] += 1;
        this.checkDocument(pdfKey, bytes.byteLength, sha256, inspected ?? (await this.checkPdfSignature(bytes)));
      }
    }
    for (const pdfKey of this.pendingMetadata.keys()) {
      if (pdfKey.startsWith(part.prefix)) {
        this.problem(metadataKeyOf(pdfKey), 'metadata.document-missing', `${pdfKey} is not archived`);
        this.pendingMetadata.delete(pdfKey);
      }
    }
  }

  private acceptMetadata(key: string, pdfKey: string, metadata: DocumentMetadata): void {
    this.checkWard(key, metadata.ward.slug);
    const owner = metadata.dossierCode === undefined ? ({ register: true } as const) : { dossierCode: metadata.dossierCode };
    const expected = documentObjectKey(owner, metadata.documentId, 'pdf');
    if (metadata.objectKey !== pdfKey || expected !== pdfKey) {
      this.problem(
        key,
        'metadata.key',
        `describes ${metadata.objectKey} (document ${metadata.documentId}${metadata.dossierCode ? ` of ${metadata.dossierCode}` : ''}), not ${pdfKey}`,
      );
    }
    this.pendingMetadata.set(pdfKey, {
      sha256: metadata.sha256,
      sizeBytes: metadata.sizeBytes,
      certificateSha256: metadata.signature.certificateSha256,
      authority: metadata.signature.authority,
    });
  }

  private checkDocument(pdfKey: string, sizeBytes: number, sha256: string, check: PdfSignatureFindings): void {
    const claim = this.claims.get(pdfKey);
    if (claim !== undefined) {
      this.claims.delete(pdfKey);
      if (claim.documentSha256 !== sha256)
        this.problem(claim.cancellationKey, 'cancellation.document', `names ${pdfKey} with SHA-256 ${claim.documentSha256}; the archived file's is ${sha256}`);
    }
    const metadata = this.pendingMetadata.get(pdfKey);
    this.pendingMetadata.delete(pdfKey);
    if (metadata === undefined) {
      this.problem(pdfKey, 'document.metadata-missing', `${metadataKeyOf(pdfKey)} is not archived (or not readable)`);
    } else if (metadata.sha256 !== sha256 || metadata.sizeBytes !== sizeBytes) {
      this.problem(pdfKey, 'document.sha256', `SHA-256 ${sha256}, ${sizeBytes} bytes; the metadata says ${metadata.sha256}, ${metadata.sizeBytes} bytes`);
    }
    if (!check.intact) {
      const failed = !check.present
        ? 'no signature'
        : [!check.coversWholeFile && 'does not cover the whole file', !check.digestMatches && 'digest differs', !check.signatureValid && 'signature does not verify']
            .filter(Boolean)
            .join(', ');
      this.problem(pdfKey, 'document.signature', failed);
    }
    if (metadata === undefined || !check.present) return;
    const chain = this.chains.get(metadata.certificateSha256);
    if (chain === undefined) {
      this.problem(pdfKey, 'record.chain-missing', `${certificateChainKey(metadata.certificateSha256)} is not archived`);
    } else {
      chain.summary.documents += 1;
      if (!chain.summary.authorities.includes(metadata.authority)) chain.summary.authorities.push(metadata.authority);
    }
    if (check.signerCertificateSha256 !== metadata.certificateSha256) {
      this.problem(
        pdfKey,
        'document.signer',
        `signed with certificate ${check.signerCertificateSha256 ?? '(none)'} (${check.signerSubject ?? 'unknown'}); the metadata names ${metadata.certificateSha256}`,
      );
    }
  }

  async legacyResults(): Promise<void> {
    for await (const { key, bytes, sha256 } of this.readAll(LAYOUT.legacyResults)) {
      if (bytes === undefined) continue;
      this.counts.legacyResults += 1;
      this.warnings.push({ objectKey: key, check: 'legacy.unsigned-result', detail: `SHA-256 ${sha256}, ${bytes.byteLength} bytes` });
    }
  }

  finish(): AuditReport {
    for (const [objectKey, recorded] of this.recorded) {
      this.problem(objectKey, 'manifest.object-missing', `${manifestEntryKey(recorded.sequence)} records it with SHA-256 ${recorded.sha256}`);
    }
    for (const [documentKey, claim] of this.claims) {
      this.problem(claim.cancellationKey, 'cancellation.document', `cancels ${documentKey}, which is not archived`);
    }
    return {
      ward: this.options.ward,
      checkedAt: toVietnamIso(this.now),
      counts: { ...this.counts },
      certificates: [...this.chains.values()].map((chain) => chain.summary),
      problems: this.problems,
      warnings: this.warnings,
      ok: this.problems.length === 0,
    };
  }

  /** The entry that records an archived object must exist and agree with its bytes; the object is then found. */
  private checkRecorded(key: string, sha256: string): void {
    const recorded = this.recorded.get(key);
    if (recorded === undefined) {
      this.problem(key, 'manifest.not-recorded', 'no manifest entry names it');
      return;
    }
    this.recorded.delete(key);
    if (recorded.sha256 !== sha256) this.problem(key, 'manifest.object-sha256', `SHA-256 ${sha256}; ${manifestEntryKey(recorded.sequence)} recorded ${recorded.sha256}`);
  }

  private checkWard(key: string, ward: string): void {
    if (ward !== this.options.ward) this.problem(key, 'record.ward', `a record of ward '${ward}'`);
  }

  /** ECDSA P-256 / SHA-256 over the canonical JSON of `facts`, with the key of the certificate named. */
  private checkDetachedSignature(key: string, facts: unknown, signature: DetachedSignature): void {
    const chain = this.chains.get(signature.certificateSha256);
    if (chain === undefined) {
      this.problem(key, 'record.chain-missing', `${certificateChainKey(signature.certificateSha256)} is not archived`);
      return;
    }
    const valid = verify('sha256', Buffer.from(canonicalJson(facts), 'utf8'), { key: chain.publicKey, dsaEncoding: 'der' }, Buffer.from(signature.value, 'base64'));
    if (!valid) this.problem(key, 'record.signature', `does not verify with the key of certificate ${signature.certificateSha256} (${chain.summary.subject})`);
  }

  private parse<T>(key: string, bytes: Uint8Array, schema: ZodType<T>): T | undefined {
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(bytes).toString('utf8'));
    } catch (error) {
      this.problem(key, 'record.format', `not JSON: ${messageOf(error)}`);
      return undefined;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      this.problem(key, 'record.format', parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '));
      return undefined;
    }
    return parsed.data;
  }

  /**
   * Every object under the part's prefix, read `concurrency` at a time and handed on in key order
   * with its SHA-256; a key the part does not name is reported, not read. `inspect` (when it
   * takes the key) runs on the bytes while the next objects are read; its result comes with them.
   * An object that cannot be read is reported and comes without bytes.
   */
  private async *readAll<I = never>(part: LayoutPart, inspect?: Inspect<I>): AsyncGenerator<Read<I>> {
    const named = async function* (this: ArchiveAudit): AsyncGenerator<{ listing: ArchiveListing; match: RegExpExecArray }> {
      for await (const listing of this.reader.list(part.prefix)) {
        const match = part.pattern.exec(listing.key);
        if (match !== null) {
          yield { listing, match };
        } else {
          this.problem(listing.key, 'archive.unexpected-key', `expected ${part.expected}`);
          this.counted(undefined);
        }
      }
    };
    for await (const result of mapInOrder(named.call(this), this.concurrency, async ({ listing, match }) => ({ match, ...(await this.read(listing, inspect)) }))) {
      yield result;
      this.counted(result.bytes);
    }
  }

  /** One object of {@link KNOWN_KEYS}, if the first listing found it. */
  private async readListed(key: string): Promise<{ bytes: Uint8Array; sha256: string } | undefined> {
    const listing = this.listedKeys.get(key);
    if (listing === undefined) return undefined;
    const result = await this.read(listing);
    this.counted(result.bytes);
    return result.bytes === undefined ? undefined : result;
  }

  private counted(bytes: Uint8Array | undefined): void {
    this.counts.bytesRead += bytes?.byteLength ?? 0;
    this.done += 1;
    this.options.onProgress?.(this.done, this.total);
  }

  private async read<I = never>(listing: ArchiveListing, inspect?: Inspect<I>): Promise<ReadObject<I>> {
    const { key } = listing;
    let object: ArchiveObject | undefined;
    try {
      object = await this.reader.get(key);
    } catch (error) {
      if (!(error instanceof ChecksumMismatchError)) throw error;
      this.problem(key, 'object.storage-checksum', error.message);
      return { key };
    }
    if (object === undefined) {
      this.problem(key, 'object.unreadable', 'listed, but no longer there when read');
      return { key };
    }
    const sha256 = sha256Of(object.bytes);
    const stored = object.checksumSha256 === undefined ? undefined : Buffer.from(object.checksumSha256, 'base64').toString('hex');
    if (stored !== undefined && stored !== sha256) this.problem(key, 'object.storage-checksum', `SHA-256 ${sha256}; the storage holds ${stored}`);
    const job = inspect?.(key);
    return { key, bytes: object.bytes, sha256, ...(job === undefined ? {} : { inspected: await job(object.bytes) }) };
  }
}

/**
 * Why a chain (signer first) does not hold, or undefined when each certificate is certified by the
 * next, up to a self-signed last one. A link needs the issuer to be a CA (`checkIssued` checks its
 * names and its key usage); the last certificate need only name itself as issuer and verify under
 * its own key: a CA's root, or the ward's self-issued certificate, which signs documents, not
 * certificates, and so has no certificate-signing key usage.
 */
function brokenLink(ders: readonly Uint8Array[]): string | undefined {
  const certificates = ders.map((der) => new X509Certificate(der));
  for (const [index, certificate] of certificates.entries()) {
    const issuer = certificates[index + 1];
    const holds =
      issuer === undefined
        ? certificate.issuer === certificate.subject && certificate.verify(certificate.publicKey)
        : certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
    const what = issuer === undefined ? 'the last certificate is not self-signed' : `certificate ${index + 1} is not certified by certificate ${index + 2}`;
    if (!holds) return `${what} (${certificate.subject.replaceAll('\n', ', ')})`;
  }
  return undefined;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
