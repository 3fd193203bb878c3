/**
 * What the audit needs from the archive bucket, and nothing more: the auditor's role may list and
 * read, never write. `s3ArchiveReader` is the implementation over S3 (and s3rver locally).
 */

/** One listed object. */
export interface ArchiveListing {
  readonly key: string;
  readonly sizeBytes: number;
}

/** An object's bytes, with the SHA-256 that S3 holds for it when it has a whole-object one. */
export interface ArchiveObject {
  readonly bytes: Uint8Array;
  /** Base64, as S3's `x-amz-checksum-sha256`; absent when S3 holds none (or only a checksum of parts). */
  readonly checksumSha256?: string;
}

export interface ArchiveReader {
  /** Every object whose key starts with `prefix` (`''`: the whole bucket), in key order (UTF-8 bytes, as S3 lists). */
  list(prefix: string): AsyncIterable<ArchiveListing>;
  /**
   * The object's bytes; undefined when no object has that key (deleted since it was listed).
   * Throws {@link ChecksumMismatchError} when the storage's own checksum disagrees with the bytes.
   */
  get(key: string): Promise<ArchiveObject | undefined>;
}

/** The bytes read are not the bytes the storage's checksum was computed over. */
export class ChecksumMismatchError extends Error {
  readonly code = 'CHECKSUM_MISMATCH';
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`${key}: ${detail}`);
    this.name = 'ChecksumMismatchError';
  }
}
