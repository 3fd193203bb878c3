/**
 * The single table's physical shape, read by the CDK stack and by local mode's table creation.
 * Only `shared/adapters/dynamodb` knows what the keys contain.
 */
export const TABLE_KEYS = { partitionKey: 'PK', sortKey: 'SK' } as const;

/**
 * A ward's table name, the same in every account and in local mode: the city's report names each
 * ward's table in its IAM policy by it (infra/constructs/city-report.ts), so the city stack can be
 * deployed before any ward stack and needs no lookup.
 */
export const wardTableName = (slug: string): string => `mot-cua-so-${slug}`;

export const TTL_ATTRIBUTE = 'expiresAt';

/** Global secondary indexes, named for the queries they serve. All project every attribute. */
export const TABLE_INDEXES = [
  /** Worklist: dossiers of one status, in appointment (or submission) order. */
  { indexName: 'byStatus', partitionKey: 'byStatusPK', sortKey: 'byStatusSK' },
  /** Open dossiers with a running clock, in appointment order ("due before"). Sparse. */
  { indexName: 'openByDue', partitionKey: 'openByDuePK', sortKey: 'openByDueSK' },
  /** A citizen's dossiers, keyed by the HMAC of the personal ID number (never the number). */
  { indexName: 'byApplicant', partitionKey: 'byApplicantPK', sortKey: 'byApplicantSK' },
  /**
   * Search by the applicant's name: PK `NAME#<first letter>`, SK `<name without diacritics>#<submitted>#<code>`,
   * so that a name prefix is one Query with begins_with (see keys.ts).
   */
  { indexName: 'byApplicantName', partitionKey: 'byNamePK', sortKey: 'byNameSK' },
  /** Dossiers received in one month (Vietnam time), in order of receipt: the register (form 07). Sparse. */
  { indexName: 'byReceivedMonth', partitionKey: 'byReceivedPK', sortKey: 'byReceivedSK' },
] as const;
