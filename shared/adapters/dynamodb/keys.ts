/**
 * Key shapes of the single table. Nothing outside shared/adapters/dynamodb sees them.
 *
 * | item                      | PK                       | SK                  |
 * |---------------------------|--------------------------|---------------------|
 * | dossier                   | DOSSIER#<code>           | DOSSIER             |
 * | dossier history event     | DOSSIER#<code>           | HISTORY#<000001>    |
 * | day's dossier sequence    | SEQUENCE#<YYYY-MM-DD>    | SEQUENCE            |
 * | idempotency record (TTL)  | IDEMPOTENCY#<sha256>     | IDEMPOTENCY         |
 * | upload's claim by a dossier | UPLOAD#<upload id>     | CLAIM               |
 * | outbox event (TTL)        | OUTBOX#<event id>        | EVENT               |
 * | KPI counters of a day     | KPI                      | DAY#<YYYY-MM-DD>#<shard> |
 * | open overdue dossiers now | KPI                      | OPEN_OVERDUE#<shard> |
 * | national sync counted     | DOSSIER#<code>           | NATIONAL_SYNC       |
 * | catalog: current version  | CATALOG                  | PROCEDURE#<code>    |
 * | catalog: every version    | PROCEDURE#<code>         | VERSION#<0001>      |
 * | document of a dossier     | DOSSIER#<code>           | DOCUMENT#<id>       |
 * | register (form 07)        | REGISTER                 | DOCUMENT#<id>       |
 * | document by its SHA-256   | DOCHASH#<sha256>         | DOCUMENT            |
 * | archive manifest: head    | MANIFEST                 | HEAD                |
 * | archive manifest: sealed  | MANIFEST                 | SEAL                |
 * | archive manifest: entry   | MANIFEST                 | ENTRY#<12 digits>   |
 * | officer's read of a dossier | ACCESS#<code>          | AT#<instant>#<id>   |
 * | data-subject export record | SUBJECTEXPORT           | <instant>#<id>      |
 * | personal data erasure due | ERASURE                  | <due instant>#<code> |
 */
export const keys = {
  dossier: (code: string) => ({ PK: `DOSSIER#${code}`, SK: 'DOSSIER' }),
  dossierPartition: (code: string) => `DOSSIER#${code}`,
  history: (code: string, sequence: number) => ({ PK: `DOSSIER#${code}`, SK: `HISTORY#${String(sequence).padStart(6, '0')}` }),
  sequence: (day: string) => ({ PK: `SEQUENCE#${day}`, SK: 'SEQUENCE' }),
  idempotency: (keyHash: string) => ({ PK: `IDEMPOTENCY#${keyHash}`, SK: 'IDEMPOTENCY' }),
  outbox: (eventId: string) => ({ PK: `OUTBOX#${eventId}`, SK: 'EVENT' }),
  uploadClaim: (uploadId: string) => ({ PK: `UPLOAD#${uploadId}`, SK: 'CLAIM' }),
  /** One of the day's KPI shards (see kpi.ts); without `shard`, the start of the day's items. */
  kpiDay: (day: string, shard?: number) => ({ PK: 'KPI', SK: shard === undefined ? `DAY#${day}` : `DAY#${day}#${String(shard).padStart(2, '0')}` }),
  /** The day of a KPI shard's sort key (`DAY#<YYYY-MM-DD>#<shard>`), undefined for any other. */
  kpiDayOf: (sortKey: string): string | undefined => /^DAY#(\d{4}-\d{2}-\d{2})#\d{2}$/.exec(sortKey)?.[1],
  /** After every shard of the day, for the end of a range. */
  kpiDayEnd: (day: string) => ({ PK: 'KPI', SK: `DAY#${day}#~` }),
  /** The partition of every KPI item: the only one the city's report may read (its IAM condition on dynamodb:LeadingKeys). */
  kpiPartition: 'KPI',
  /** One shard of the running number of open overdue dossiers (see kpi.ts). */
  openOverdue: (shard: number) => ({ PK: 'KPI', SK: `OPEN_OVERDUE#${String(shard).padStart(2, '0')}` }),
  openOverduePrefix: 'OPEN_OVERDUE#',
  /** That a dossier's acknowledgement by the national portal was counted (once per dossier). */
  nationalSync: (code: string) => ({ PK: `DOSSIER#${code}`, SK: 'NATIONAL_SYNC' }),
  catalogPartition: 'CATALOG',
  catalogEntry: (code: string) => ({ PK: 'CATALOG', SK: `PROCEDURE#${code}` }),
  procedureVersion: (code: string, version: number) => ({ PK: `PROCEDURE#${code}`, SK: `VERSION#${String(version).padStart(4, '0')}` }),
  document: (owner: { readonly dossierCode?: string }, documentId: string) => ({
    PK: owner.dossierCode === undefined ? 'REGISTER' : `DOSSIER#${owner.dossierCode}`,
    SK: `DOCUMENT#${documentId}`,
  }),
  documentByHash: (sha256: string) => ({ PK: `DOCHASH#${sha256}`, SK: 'DOCUMENT' }),
  manifestHead: { PK: 'MANIFEST', SK: 'HEAD' },
  manifestSeal: { PK: 'MANIFEST', SK: 'SEAL' },
  manifestPartition: 'MANIFEST',
  manifestEntry: (sequence: number) => ({ PK: 'MANIFEST', SK: `ENTRY#${String(sequence).padStart(12, '0')}` }),
  /** Instants as UTC ISO strings, so that the sort key orders the reads in time. */
  accessEntry: (code: string, at: Date, id: string) => ({ PK: `ACCESS#${code}`, SK: `AT#${at.toISOString()}#${id}` }),
  accessPartition: (code: string) => `ACCESS#${code}`,
  subjectExportPartition: 'SUBJECTEXPORT',
  subjectExport: (at: Date, id: string) => ({ PK: 'SUBJECTEXPORT', SK: `${at.toISOString()}#${id}` }),
  erasurePartition: 'ERASURE',
  erasure: (dueAt: Date, code: string) => ({ PK: 'ERASURE', SK: `${dueAt.toISOString()}#${code}` }),
  /** After every entry due at or before `at`, for the end of a range. */
  erasureDueEnd: (at: Date) => `${at.toISOString()}#~`,
} as const;

/**
 * The partitions the ward's auditor may Query (IAM `dynamodb:LeadingKeys` patterns): every
 * dossier's access log and the data-subject export records, nothing else of the table.
 */
export const AUDITOR_READABLE_PARTITIONS = ['ACCESS#*', 'SUBJECTEXPORT'] as const;

export const DOCUMENT_PREFIX = 'DOCUMENT#';
export const MANIFEST_ENTRY_PREFIX = 'ENTRY#';

export const HISTORY_PREFIX = 'HISTORY#';
export const DOSSIER_SK = 'DOSSIER';

/** Index attributes of a dossier item (see table-definition.ts). */
export const dossierIndexKeys = {
  byStatus: (status: string, sortInstant: string, code: string) => ({ byStatusPK: `STATUS#${status}`, byStatusSK: `${sortInstant}#${code}` }),
  openByDue: (appointmentAt: string, code: string) => ({ openByDuePK: 'OPEN', openByDueSK: `${appointmentAt}#${code}` }),
  byApplicant: (applicantKey: string, submittedAt: string, code: string) => ({
    byApplicantPK: `APPLICANT#${applicantKey}`,
    byApplicantSK: `${submittedAt}#${code}`,
  }),
  /**
   * `searchName`: the applicant's name as nameSearchKey (shared/domain/formats.ts) writes it,
   * `[a-z0-9 ]`, never empty. The partition is its first character (a name search gives at least
   * it), the sort key starts with the whole name, so a prefix of it is `begins_with`.
   */
  byName: (searchName: string, submittedAt: string, code: string) => ({
    byNamePK: `NAME#${searchName.charAt(0)}`,
    byNameSK: `${searchName}#${submittedAt}#${code}`,
  }),
  /** `month`: the Vietnam month of receipt, `YYYY-MM`; `receivedAt`: the UTC ISO instant. */
  byReceived: (month: string, receivedAt: string, code: string) => ({ byReceivedPK: `RECEIVED#${month}`, byReceivedSK: `${receivedAt}#${code}` }),
} as const;
