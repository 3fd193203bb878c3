import type { DomainEvent, Dossier, DossierWithHistory, HistoryEvent, KpiIncrements } from '../domain/dossier';
import type { Procedure } from '../domain/procedure';
import type { ResultDocument } from '../documents/result-pdf';
import type { KpiCounter } from '../domain/dossier';
import type { DossierStatus } from '../domain/status';

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
  /** The day (`YYYY-MM-DD`, Vietnam time) whose sequence the code takes, and the sequence it expects to follow. */
  readonly sequenceDay: string;
  readonly expectedLastSequence: number;
  readonly idempotency?: IdempotencyRecord & { readonly keyHash: string; readonly expiresAt: Date };
}

export type CreateDossierOutcome =
  | { readonly outcome: 'CREATED' }
  /** Another submission took the sequence number first; `lastSequence` is the current one. */
  | { readonly outcome: 'SEQUENCE_TAKEN'; readonly lastSequence: number }
  /** The Idempotency-Key was used already, by this or another request. */
  | { readonly outcome: 'IDEMPOTENCY_KEY_TAKEN'; readonly record: IdempotencyRecord };

/** A change to an existing dossier, written with its history event, outbox event and KPI counters at once. */
export interface DossierChange {
  /** The version the change was decided on; the write fails with VersionConflictError if it moved. */
  readonly expectedVersion: number;
  readonly dossier: Dossier;
  readonly history: HistoryEvent;
  readonly event: DomainEvent;
  readonly kpi?: { readonly date: string; readonly increments: KpiIncrements };
}

export interface DossierStore {
  /** The idempotency record (if any), the day's last sequence number and the current procedure, in one request. */
  prepareSubmission(
    keyHash: string | undefined,
    sequenceDay: string,
    procedureCode: string,
  ): Promise<{ idempotency?: IdempotencyRecord; lastSequence: number; procedure?: Procedure }>;
  createDossier(write: NewDossier): Promise<CreateDossierOutcome>;
  getDossier(code: string): Promise<Dossier | undefined>;
  getDossierWithHistory(code: string): Promise<DossierWithHistory | undefined>;
  /** @throws VersionConflictError when the dossier is no longer at `expectedVersion`. */
  applyChange(change: DossierChange): Promise<void>;
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

export interface AttachmentStore {
  /**
   * Makes an uploaded file part of a dossier: it is kept (no longer expires with unclaimed uploads).
   * Idempotent. Returns undefined when no such upload exists (or it expired).
   */
  claim(uploadId: string): Promise<UploadedObject | undefined>;
  /** A file a dossier claimed, or undefined. */
  claimed(uploadId: string): Promise<UploadedObject | undefined>;
  /** A short-lived link to a claimed attachment, for officers. */
  downloadLink(uploadId: string, fileName: string): Promise<DownloadLink>;
}

/** Keyed hash of personal ID numbers, so the raw number never becomes an index key. */
export interface IdHasher {
  hash(idNumber: string): Promise<string>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Renders an e-result (or refusal notice) as its PDF e-copy. */
export type RenderResult = (document: ResultDocument) => Promise<Uint8Array>;

export interface DownloadLink {
  readonly url: string;
  readonly expiresAt: Date;
}

/** The write-once archive of e-results. */
export interface ResultArchive {
  /** Stores a new e-copy under a key never used before; never overwrites. */
  store(entry: { key: string; bytes: Uint8Array; sha256: string; dossierCode: string; outcome: string }): Promise<void>;
  /** A short-lived link to download an archived e-copy. */
  downloadLink(key: string, fileName: string): Promise<DownloadLink>;
}

/** What page of a list to read. */
export interface PageRequest {
  /** Items per page, 1–100. */
  readonly limit: number;
  /** The `nextCursor` of the previous page of the same list (same filters). */
  readonly cursor?: string;
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
   * Dossiers of one status. `dueBefore`: only those whose appointment is strictly before it;
   * `runningClockOnly`: only those whose clock runs (received, not resolved, not waiting on a supplement).
   */
  listByStatus(status: DossierStatus, page: PageRequest & { readonly dueBefore?: Date; readonly runningClockOnly?: boolean }): Promise<WorklistPage>;
  /** Open dossiers whose clock runs; `dueBefore`: only those whose appointment is strictly before it. */
  listOpenByDue(page: PageRequest & { readonly dueBefore?: Date }): Promise<WorklistPage>;
}

/** The daily KPI counters summed over a range of days; 0 for a counter nothing added to. */
export type KpiTotals = Readonly<Record<KpiCounter, number>>;

/** What the KPI report reads. */
export interface KpiStore {
  /** Every counter summed over the days `from`..`to` (`YYYY-MM-DD`, Vietnam time, both included). */
  sumDays(from: string, to: string): Promise<KpiTotals>;
  /** How many open dossiers whose clock runs have an appointment strictly before `now`. */
  countOpenPastDue(now: Date): Promise<number>;
}
