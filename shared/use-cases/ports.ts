import type { DocumentMetadata, ManifestEntry } from '../domain/archive';
import type { Cancellation, Dossier, DossierWithHistory, HistoryEvent, IssuedDocument, KpiIncrements } from '../domain/dossier';
import type { DomainEvent } from '../domain/events';
import type { Procedure } from '../domain/procedure';
import type { KpiCounter } from '../domain/dossier';
import type { DossierStatus } from '../domain/status';
import type { MalwareScan } from '../domain/uploads';
import type { NationalSyncRecord } from '../domain/national-sync';
import type { AccessEntry, ErasureEntry, SubjectExportRecord } from '../domain/personal-data';

/** The published catalog. */
export interface CatalogStore {
  /** Current published version of every procedure (one request). */
  listCurrent(): Promise<Procedure[]>;
  /** Current published version of one procedure (one request). */
  getCurrent(code: string): Promise<Procedure | undefined>;
  getVersion(code: string, version: number): Promise<Procedure | undefined>;
  /** Writes every version, makes `current` the published catalog, and unpublishes procedures not in it. */
  replaceCatalog(versions: readonly Procedure[], current: readonly Procedure[]): Promise<{ versions: number; current: number; unpublished: number }>;
}

export interface IdempotencyRecord {
  readonly requestHash: string;
  readonly dossierCode: string;
  /** The dossier's secret, sealed with a key derived from the Idempotency-Key (the server cannot open it alone). */
  readonly sealedSecret?: string;
}

/** What a new dossier writes, all in one transaction. */
export interface NewDossier {
  readonly dossier: Dossier;
  readonly history: HistoryEvent;
  readonly event: DomainEvent;
  readonly kpi: { readonly date: string; readonly increments: KpiIncrements };
  /** HMAC of the applicant's personal ID number. */
  readonly applicantKey: string;
  readonly idempotency?: IdempotencyRecord & { readonly keyHash: string; readonly expiresAt: Date };
  /** The receipt (form 01) of a counter dossier, archived before the dossier is written. */
  readonly records?: ArchiveRecords;
}

export type CreateDossierOutcome =
  | { readonly outcome: 'CREATED'; readonly manifest: readonly ManifestEntry[] }
  /** Another transaction was writing a shared item (the day's KPI counters) at that instant: try again. */
  | { readonly outcome: 'CONTENDED' }
  /** The Idempotency-Key was used already, by this or another request. */
  | { readonly outcome: 'IDEMPOTENCY_KEY_TAKEN'; readonly record: IdempotencyRecord };

/** A change to an existing dossier, written with its history event, outbox event and KPI counters at once. */
export interface DossierChange {
  /** The version the change was decided on; the write fails with VersionConflictError if it moved. */
  readonly expectedVersion: number;
  readonly dossier: Dossier;
  readonly history: HistoryEvent;
  /** Absent for a change that publishes nothing (a result draft). */
  readonly event?: DomainEvent;
  readonly kpi?: { readonly date: string; readonly increments: KpiIncrements };
  readonly records?: ArchiveRecords;
  /** Uploads the change attaches: each is claimed for this dossier in the change's transaction (UploadAlreadyAttachedError if another has it). */
  readonly claims?: readonly string[];
}

/**
 * A document archived for a change (already in the archive bucket): the change records it in the
 * dossier's partition, appends its manifest entry, and indexes it by SHA-256, all in its transaction.
 */
export interface ArchivedDocument {
  /** Absent for a register (form 07), which belongs to no dossier. */
  readonly dossierCode?: string;
  readonly document: IssuedDocument;
  readonly metadataKey: string;
  readonly metadataSha256: string;
}

/** A cancellation (its signed record already archived), recorded on the document and in the manifest. */
export interface ArchivedCancellation {
  readonly dossierCode: string;
  readonly documentId: string;
  readonly cancellation: Cancellation;
  readonly recordSha256: string;
}

/** What a change adds to the archive's records; the manifest entries it appended come back. */
export interface ArchiveRecords {
  readonly archived?: readonly ArchivedDocument[];
  readonly cancelled?: ArchivedCancellation;
}

/** Where a document issued by the ward is, found by the SHA-256 of its file. */
export interface DocumentLocation {
  readonly dossierCode?: string;
  readonly documentId: string;
}

/** The archive's records in the table: the documents of dossiers and registers, and the manifest's chain. */
export interface DocumentStore {
  /** Records documents that no dossier change accompanies (a control sheet, a register), with their manifest entries. */
  recordDocuments(records: ArchiveRecords & { readonly at: Date }): Promise<readonly ManifestEntry[]>;
  findBySha256(sha256: string): Promise<DocumentLocation | undefined>;
  getRegisterDocument(documentId: string): Promise<IssuedDocument | undefined>;
  /** Manifest entries after `sequence`, in order (one Query a page). */
  manifestEntriesAfter(sequence: number, limit: number): Promise<readonly ManifestEntry[]>;
  /** How far the daily seals go: the last sealed entry and the SHA-256 of the last seal. */
  lastSeal(): Promise<{ readonly lastSequence: number; readonly sealHash: string; readonly day: string } | undefined>;
  /** Moves the seal state on, on condition that it is still at `previousLastSequence` (false if another run moved it). */
  recordSeal(seal: { readonly lastSequence: number; readonly sealHash: string; readonly day: string }, previousLastSequence: number): Promise<boolean>;
}

export interface DossierStore {
  /** The idempotency record (if any), the day's free sequence numbers and the current procedure, in one request. */
  prepareSubmission(
    keyHash: string | undefined,
    sequenceDay: string,
    procedureCode: string,
    /** The uploads the submission attaches: those some dossier has claimed already come back in `claimedUploads`. */
    uploadIds?: readonly string[],
  ): Promise<{ idempotency?: IdempotencyRecord; freeSequences: readonly number[]; procedure?: Procedure; claimedUploads: readonly string[] }>;
  /**
   * A number of the day's sequence for a new dossier: one of `free` (numbers given back, read by
   * prepareSubmission) that another submission did not take first, else the next of the counter.
   */
  takeSequence(day: string, free: readonly number[]): Promise<number>;
  /** Gives back a number whose dossier was not written, for the next submission to take. */
  releaseSequence(day: string, sequence: number): Promise<void>;
  /**
   * Writes a new dossier; every upload among its attachments is claimed for it in the same
   * transaction. @throws UploadAlreadyAttachedError when another dossier claimed one of them first.
   */
  createDossier(write: NewDossier): Promise<CreateDossierOutcome>;
  /** With `ofApplicant` (the HMAC of an ID number): undefined unless the dossier is that applicant's. */
  getDossier(code: string, ofApplicant?: string): Promise<Dossier | undefined>;
  getDossierWithHistory(code: string, ofApplicant?: string): Promise<DossierWithHistory | undefined>;
  /**
   * @throws VersionConflictError when the dossier is no longer at `expectedVersion`
   * @throws UploadAlreadyAttachedError when another dossier claimed one of `claims` first
   */
  applyChange(change: DossierChange): Promise<{ readonly manifest: readonly ManifestEntry[] }>;
}

/** What a citizen uploaded, as the uploads bucket knows it. */
export interface UploadedObject {
  readonly uploadId: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
}

export interface PresignedUpload {
  readonly uploadId: string;
  readonly method: 'POST';
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly expiresAt: Date;
}

export interface UploadPresigner {
  presignUpload(request: { uploadId: string; fileName: string; contentType: string; size: number }): Promise<PresignedUpload>;
}

/** Which stored version of an upload was inspected (the adapter's: an S3 version id, else the ETag). */
export interface UploadRevision {
  readonly versionId?: string;
  readonly etag?: string;
}

/** An upload in the incoming area, as read before it is attached: nothing is changed by reading it. */
export interface InspectedUpload {
  /** Its name (safe, see safeFileName), declared type and stored size. */
  readonly object: UploadedObject;
  /** The size declared when the upload was asked for (undefined: none recorded). */
  readonly declaredSize: number | undefined;
  /** The first CONTENT_SAMPLE_BYTES bytes (fewer for a smaller file), read with a ranged GET. */
  readonly firstBytes: Uint8Array;
  readonly scan: MalwareScan;
  readonly revision: UploadRevision;
}

/**
 * The uploads bucket's side of attachments. Which dossier an upload belongs to is not decided
 * here: the dossier's transaction claims it (DossierStore), once.
 */
export interface AttachmentStore {
  /** The upload in the incoming area (head, first bytes and malware scan result, all of one version), or undefined when there is none (never uploaded, or expired). */
  inspect(uploadId: string): Promise<InspectedUpload | undefined>;
  /**
   * Copies the inspected version out of the expiring incoming area, so that a dossier never points
   * at a file that expires. Idempotent and safe under concurrency: a copy already there stays.
   */
  keep(upload: InspectedUpload): Promise<void>;
  /** A file kept for a dossier, or undefined. */
  claimed(uploadId: string): Promise<UploadedObject | undefined>;
  /** A short-lived link to a claimed attachment, for officers. */
  downloadLink(uploadId: string, fileName: string): Promise<DownloadLink>;
}

/** Keyed hash of personal ID numbers, so the raw number never becomes an index key. */
/** What prefill reads of one of a citizen's earlier dossiers. */
export interface EarlierSubmission {
  readonly code: string;
  readonly procedureCode: string;
  readonly email?: string;
  readonly address?: string;
  readonly formData: Readonly<Record<string, unknown>>;
  readonly submittedAt: Date;
}

/** A citizen's own dossiers, by the HMAC of their ID number (the `byApplicant` index). */
export interface ApplicantStore {
  /** One page of the applicant's dossiers, newest first (one request). */
  listApplicantDossiers(applicantKey: string, request: PageRequest): Promise<WorklistPage>;
  /** The applicant's latest `count` dossiers, newest first, with only what prefill needs (one request). */
  latestApplicantSubmissions(applicantKey: string, count: number): Promise<EarlierSubmission[]>;
}

export interface IdHasher {
  hash(idNumber: string): Promise<string>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface DownloadLink {
  readonly url: string;
  readonly expiresAt: Date;
}

/**
 * The write-once archive (layout and formats: shared/domain/archive.ts). Every put is conditional
 * (`If-None-Match: *`): `EXISTS` says the key was taken, by another attempt or before.
 */
export interface DocumentArchive {
  putPdf(key: string, bytes: Uint8Array, sha256: string): Promise<'STORED' | 'EXISTS'>;
  /** A JSON record (metadata, cancellation, manifest entry, daily seal), stored as the exact text given. */
  putJson(key: string, json: string): Promise<'STORED' | 'EXISTS'>;
  putText(key: string, text: string, contentType: string): Promise<'STORED' | 'EXISTS'>;
  get(key: string): Promise<Uint8Array | undefined>;
  getMetadata(pdfKey: string): Promise<DocumentMetadata | undefined>;
  /** A short-lived link to download an archived file. */
  downloadLink(key: string, fileName: string): Promise<DownloadLink>;
}

/**
 * The ward's signing key: ECDSA P-256 with SHA-256. In AWS a KMS asymmetric key (the private key
 * never leaves KMS: the adapter sends the SHA-256 digest of `message`); in local mode a key under
 * `.local/signing/`. Every signature of the ward (PDF documents, cancellation records, daily
 * manifests) goes through this port.
 */
export interface DocumentSigner {
  /** An identifier of the key (the KMS key ARN, or `local:<fingerprint>`), recorded with each signature. */
  readonly keyId: string;
  /** ECDSA P-256 over SHA-256(message), DER-encoded (`Ecdsa-Sig-Value`, as KMS returns it). */
  sign(message: Uint8Array): Promise<Uint8Array>;
  /** The key's public key, DER SubjectPublicKeyInfo. */
  publicKey(): Promise<Uint8Array>;
}

/** Who vouches for the ward's signing key, as the documents and the verify page say plainly. */
export const SIGNING_AUTHORITIES = ['CONFIGURED_CA', 'SELF_ISSUED', 'LOCAL_TEST_CA'] as const;
export type SigningAuthority = (typeof SIGNING_AUTHORITIES)[number];

/** The signer together with the certificate chain that names its key. */
export interface SigningIdentity {
  readonly signer: DocumentSigner;
  /** DER certificates, the signer's own first, then its issuers up to (and including) the root. */
  readonly chain: readonly Uint8Array[];
  /**
   * `CONFIGURED_CA`: a chain from the ward configuration (the official-use CA or a licensed CA);
   * `SELF_ISSUED`: no chain configured yet, the ward certifies its own key (no legal value as a
   * digital signature under Decree 23/2025, said plainly); `LOCAL_TEST_CA`: local mode's CA.
   */
  readonly authority: SigningAuthority;
}

/** What page of a list to read. */
export interface PageRequest {
  /** Items per page, 1–100. */
  readonly limit: number;
  /** The `nextCursor` of the previous page of the same list (same filters). */
  readonly cursor?: string;
}

/** An appointment range: `dueFrom` ≤ appointment < `dueBefore`. */
export interface DueRange {
  readonly dueFrom?: Date;
  readonly dueBefore?: Date;
}

/** One page of the officers' worklist, in appointment order; `nextCursor` is opaque, null on the last page. */
export interface WorklistPage {
  readonly items: readonly Dossier[];
  readonly nextCursor: string | null;
}

/**
 * The officers' worklist: each page is one Query of an index, in appointment order (a dossier
 * never received, which has no appointment, by its submission time); two dossiers with one
 * appointment come in code order.
 *
 * Both methods throw ValidationError (400, `query.cursor`) when the cursor is not one the same
 * list produced.
 */
export interface WorklistStore {
  /**
   * Dossiers of one status. `dueFrom` ≤ appointment < `dueBefore` (each bound optional);
   * `runningClockOnly`: only those whose clock runs (received, not resolved, not waiting on a supplement).
   */
  listByStatus(status: DossierStatus, page: PageRequest & DueRange & { readonly runningClockOnly?: boolean }): Promise<WorklistPage>;
  /** Open dossiers whose clock runs; `dueFrom` ≤ appointment < `dueBefore` (each bound optional). */
  listOpenByDue(page: PageRequest & DueRange): Promise<WorklistPage>;
  /** The dossier of that code, as a page of one (or none): one GetItem. */
  findByCode(code: string): Promise<WorklistPage>;
  /** The dossiers of one applicant, by the HMAC of their ID number (IdHasher), newest submission first. */
  listByApplicant(applicantKey: string, page: PageRequest): Promise<WorklistPage>;
  /** The dossiers whose applicant's name (as nameSearchKey writes it) starts with `prefix`, in name order, then submission order. */
  listByName(prefix: string, page: PageRequest): Promise<WorklistPage>;
  /** Every dossier received at an instant `from ≤ t < to`, in order of receipt (the register, form 07). */
  listReceived(period: { readonly from: Date; readonly to: Date }): Promise<readonly Dossier[]>;
}

/** The daily KPI counters summed over a range of days; 0 for a counter nothing added to. */
export type KpiTotals = Readonly<Record<KpiCounter, number>>;

export interface DayTotals {
  /** `YYYY-MM-DD`, Vietnam time. */
  readonly day: string;
  readonly totals: KpiTotals;
}

/** What the KPI report reads. */
export interface KpiStore {
  /** Every counter summed over the days `from`..`to` (`YYYY-MM-DD`, Vietnam time, both included). */
  sumDays(from: string, to: string): Promise<KpiTotals>;
  /**
   * The same read, day by day: the totals of each day of `from`..`to` that had any change, in day
   * order (a day with none is absent). One Query (paged past 1 MB), as sumDays.
   */
  dailyTotals(from: string, to: string): Promise<readonly DayTotals[]>;
  /**
   * How many dossiers marked overdue were still open (not resolved nor stopped) at the end of
   * `day` (Vietnam time), `today` being the current day: from the running number of open
   * overdue dossiers and the days after `day`, never from the dossiers, so its cost grows with
   * the days between `day` and `today` only (nothing to read after `day` when `day` ≥ `today`).
   */
  openOverdueAtEndOf(day: string, today: string): Promise<number>;
}

/** What the city's report reads of one ward: its KPI counter items only (never a dossier). */
export type WardKpiReader = Pick<KpiStore, 'dailyTotals' | 'openOverdueAtEndOf'>;

/** Counts a dossier as synchronised with the national portal, once (see countNationalSync). */
export interface NationalSyncCounter {
  /**
   * Records that the dossier's acknowledgement was counted and adds `kpi` to the counters of its
   * day, in one transaction; ALREADY_COUNTED (and nothing written) when it was counted before.
   */
  countOnce(code: string, kpi: { readonly date: string; readonly increments: KpiIncrements }, at: Date): Promise<'COUNTED' | 'ALREADY_COUNTED'>;
}

/**
 * The national public-service portal's (or the city TTHC system's) dossier-sync endpoint: in AWS
 * an HTTPS endpoint whose address and token are in the ward's secret; locally local/sync-receiver.ts.
 */
export interface NationalSync {
  /**
   * Delivers one change's record. `idempotencyKey` is the change's (the same on every attempt), so
   * a repeat is recognised by the receiver.
   *
   * @throws NationalSyncDeliveryError when the receiver is out of reach or does not accept it (nothing is known to be delivered)
   */
  send(record: NationalSyncRecord, idempotencyKey: string, options?: { readonly timeoutMs?: number }): Promise<void>;
}

/** Where a dossier's sync stands: the last change delivered, and its failed attempts while it is behind. */
export interface DossierSyncState {
  /** 0 when nothing of the dossier was delivered yet. */
  readonly lastSyncedSequence: number;
  /** Present while the dossier has changes not delivered after a failed attempt (its backlog entry). */
  readonly backlog?: SyncBacklogEntry;
}

export interface SyncBacklogEntry {
  readonly dossierCode: string;
  /** Changes not yet delivered, at the last attempt. */
  readonly unsent: number;
  /** Failed attempts in a row. */
  readonly attempts: number;
  readonly since: Date;
  readonly nextAttemptAt: Date;
  readonly lastError: string;
  /** The retries are used up: it waits for the dossier's next change or an operator. */
  readonly deadLettered: boolean;
}

/** The ward's sync counters, for the operator. */
export interface WardSyncStatus {
  readonly recordsSent: number;
  readonly failures: number;
  readonly lastSynced?: { readonly at: Date; readonly dossierCode: string; readonly sequence: number };
  readonly lastError?: { readonly at: Date; readonly dossierCode: string; readonly message: string };
}

/** The ward's ledger of what was delivered to the national portal (the table). */
export interface NationalSyncLedger {
  state(dossierCode: string): Promise<DossierSyncState>;
  /**
   * Records change `sequence` of the dossier as delivered (only moving forward: false when the
   * ledger was already at or past it), and counts it in the ward's status.
   */
  recordSynced(dossierCode: string, sequence: number, at: Date): Promise<boolean>;
  /** Records a failed attempt: the dossier's backlog entry (created or updated) and the ward's failure count. */
  recordFailure(entry: SyncBacklogEntry, at: Date): Promise<void>;
  /** Removes the dossier's backlog entry once it is caught up. */
  clearBacklog(dossierCode: string): Promise<void>;
  /** Backlog entries not dead-lettered whose next attempt is due at `now`, oldest first, at most `limit`. */
  dueBacklog(now: Date, limit: number): Promise<readonly SyncBacklogEntry[]>;
  /** Every backlog entry (dead-lettered ones too), at most `limit`. */
  backlog(limit: number): Promise<readonly SyncBacklogEntry[]>;
  wardStatus(): Promise<WardSyncStatus>;
}

/** One page of the access log or of the export records, newest first. */
export interface PersonalDataPage<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** The erasure of one dossier's personal data (erasePersonalData's output and what it replaces). */
export interface Erasure {
  readonly dossier: Dossier;
  readonly history: HistoryEvent;
  readonly expectedVersion: number;
  /** Sequences of the earlier history events whose note goes. */
  readonly notedHistory: readonly number[];
}

/** The personal-data duties' side of the table: access log, export records, erasure schedule. */
export interface PersonalDataStore {
  /** Records an officer's read (one write); a failure is the read's failure. */
  recordAccess(entry: AccessEntry): Promise<void>;
  listAccess(dossierCode: string, page: PageRequest): Promise<PersonalDataPage<AccessEntry>>;
  /** The export record and the access entries of its reads, in one transaction. */
  recordExport(record: SubjectExportRecord, reads: readonly AccessEntry[]): Promise<void>;
  listExports(page: PageRequest): Promise<PersonalDataPage<SubjectExportRecord>>;
  /** Every dossier of the applicant with this ID-number HMAC (the byApplicant index), newest first. */
  applicantDossiers(applicantKey: string): Promise<Dossier[]>;
  /** The dossier that claimed an upload, if any. */
  dossierOfUpload(uploadId: string): Promise<string | undefined>;
  /** Entries of the erasure schedule due at or before `now`, earliest first, at most `limit`. */
  dueErasures(now: Date, limit: number): Promise<ErasureEntry[]>;
  postponeErasure(entry: ErasureEntry, dueAt: Date): Promise<void>;
  dropErasure(entry: ErasureEntry): Promise<void>;
  /** Erases, on condition that the dossier is still at `expectedVersion`; `CONFLICT` when it changed meanwhile. */
  erase(entry: ErasureEntry, erasure: Erasure): Promise<'ERASED' | 'CONFLICT'>;
}

/**
 * A message between wards on the city bus, as the use cases see it (the wire form, one schema per
 * type, is CityEventSchema in shared/domain/events.ts): dossiers and history as domain objects.
 */
interface CityMessageBase {
  readonly id: string;
  readonly toWard: string;
  readonly fromWard: string;
  readonly dossierCode: string;
}
export type CityMessage =
  | (CityMessageBase & { readonly type: 'DOSSIER_HANDED_OVER'; readonly dossier: Dossier; readonly history: readonly HistoryEvent[] })
  | (CityMessageBase & { readonly type: 'HANDOVER_ACKNOWLEDGED'; readonly acknowledgedAt: Date })
  | (CityMessageBase & {
      readonly type: 'DOSSIER_UPDATED';
      readonly dossier: Dossier;
      readonly history: readonly HistoryEvent[];
      readonly resultPdf?: { readonly bytes: Uint8Array; readonly sha256: string };
    });

/** The city's event bus (EventBridge `mot-cua-so-city`; locally local/city-bus.ts): puts this ward's messages, with its own source. */
export interface CityBus {
  /** @throws when the bus refuses the message (it is then put again by the caller's retry). */
  publish(message: CityMessage): Promise<void>;
}

/** The queue of this ward's hand-overs not yet acknowledged: each message is checked, and the hand-over put again, until acknowledged or dead-lettered. */
export interface HandOverQueue {
  enqueue(dossierCode: string): Promise<void>;
}

/** The competent ward's dossier, as the receiving ward takes it over (one transaction, written once). */
export interface TakenOverDossier {
  readonly dossier: Dossier;
  /** The receiving ward's history, then the take-over's own entry. */
  readonly history: readonly HistoryEvent[];
  readonly event: DomainEvent;
  readonly kpi: { readonly date: string; readonly increments: KpiIncrements };
  readonly applicantKey: string;
}

/** The writes of reception without boundaries (shared/domain/handover.ts), on the ward's table. */
export interface HandOverStore {
  /** Writes the dossier with its history, outbox event and KPI counters, unless a dossier of that code exists ('EXISTS': a redelivery). */
  takeOver(write: TakenOverDossier): Promise<'CREATED' | 'EXISTS'>;
  /** Records the competent ward's acknowledgement on the receiving ward's copy, once (a later one changes nothing). */
  recordAcknowledgement(dossierCode: string, acknowledgedAt: Date): Promise<void>;
  /**
   * Replaces the receiving ward's copy with the competent ward's dossier and history, on condition
   * that the copy is at an earlier version ('STALE' otherwise: a redelivered or overtaken update).
   */
  updateCopy(dossier: Dossier, history: readonly HistoryEvent[]): Promise<'UPDATED' | 'STALE'>;
}
