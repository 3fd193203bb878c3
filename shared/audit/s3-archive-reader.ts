import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { ChecksumMismatchError, type ArchiveListing, type ArchiveObject, type ArchiveReader } from './archive-reader';

/**
 * The archive bucket through S3 (or s3rver): ListObjectsV2 page by page (1,000 keys each, in key
 * order), GetObject with `ChecksumMode: ENABLED`, so that S3 returns the SHA-256 it stored when
 * the writer sent one; the SDK checks the bytes against any checksum it receives, and a mismatch
 * becomes a {@link ChecksumMismatchError}. Needs only `s3:ListBucket` and `s3:GetObject`
 * (and `kms:Decrypt` on the bucket's key).
 */
export function s3ArchiveReader(client: S3Client, bucket: string): ArchiveReader {
  return {
    async *list(prefix: string): AsyncIterable<ArchiveListing> {
      let continuationToken: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, ...(prefix ? { Prefix: prefix } : {}), ...(continuationToken ? { ContinuationToken: continuationToken } : {}) }),
        );
        for (const object of page.Contents ?? []) {
          if (object.Key !== undefined) yield { key: object.Key, sizeBytes: object.Size ?? 0 };
        }
        continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (continuationToken !== undefined);
    },

    async get(key: string): Promise<ArchiveObject | undefined> {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
        if (object.Body === undefined) return { bytes: new Uint8Array() };
        const bytes = await object.Body.transformToByteArray();
        // A checksum of parts ("…-3") is not the SHA-256 of the object; only a whole-object one is.
        const wholeObject = object.ChecksumSHA256 !== undefined && object.ChecksumType !== 'COMPOSITE' && !/-\d+$/.test(object.ChecksumSHA256);
        return { bytes, ...(wholeObject ? { checksumSha256: object.ChecksumSHA256 } : {}) };
      } catch (error) {
        if (error instanceof NoSuchKey || (error instanceof Error && error.name === 'NoSuchKey')) return undefined;
        if (error instanceof Error && /checksum mismatch/i.test(error.message)) throw new ChecksumMismatchError(key, error.message);
        throw error;
      }
    },
  };
}
