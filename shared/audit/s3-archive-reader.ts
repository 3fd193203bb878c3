import { GetObjectCommand, ListObjectsCommand, ListObjectsV2Command, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { ChecksumMismatchError, type ArchiveListing, type ArchiveObject, type ArchiveReader } from './archive-reader';

export interface S3ArchiveReaderOptions {
  /**
   * `v2` (default): ListObjectsV2 with continuation tokens, as S3 recommends. `v1`: ListObjects
   * with markers, for s3rver: it makes its V2 continuation tokens with DES, which OpenSSL 3
   * (Node 17 and later) refuses, so it cannot list past the first 1,000 keys with V2.
   */
  readonly listApi?: 'v1' | 'v2';
}

/**
 * The archive bucket through S3 (or s3rver): listed page by page (1,000 keys each, in key order),
 * read with GetObject and `ChecksumMode: ENABLED`, so that S3 returns the SHA-256 it stored when
 * the writer sent one; the SDK checks the bytes against any checksum it receives, and a mismatch
 * becomes a {@link ChecksumMismatchError}. Needs only `s3:ListBucket` and `s3:GetObject`
 * (and `kms:Decrypt` on the bucket's key).
 */
export function s3ArchiveReader(client: S3Client, bucket: string, options: S3ArchiveReaderOptions = {}): ArchiveReader {
  const listPage = options.listApi === 'v1' ? listPageV1 : listPageV2;
  return {
    async *list(prefix: string): AsyncIterable<ArchiveListing> {
      let after: string | undefined;
      do {
        const page = await listPage(client, bucket, prefix, after);
        yield* page.listings;
        after = page.next;
      } while (after !== undefined);
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

/** One page of keys, and what to ask for the next (undefined: none). */
type ListPage = (client: S3Client, bucket: string, prefix: string, after: string | undefined) => Promise<{ listings: ArchiveListing[]; next?: string }>;

const listingsOf = (contents: readonly { Key?: string; Size?: number }[] | undefined): ArchiveListing[] =>
  (contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [{ key: object.Key, sizeBytes: object.Size ?? 0 }]));

const listPageV2: ListPage = async (client, bucket, prefix, continuationToken) => {
  const page = await client.send(
    new ListObjectsV2Command({ Bucket: bucket, ...(prefix ? { Prefix: prefix } : {}), ...(continuationToken ? { ContinuationToken: continuationToken } : {}) }),
  );
  return { listings: listingsOf(page.Contents), ...(page.IsTruncated && page.NextContinuationToken ? { next: page.NextContinuationToken } : {}) };
};

const listPageV1: ListPage = async (client, bucket, prefix, marker) => {
  const page = await client.send(new ListObjectsCommand({ Bucket: bucket, ...(prefix ? { Prefix: prefix } : {}), ...(marker ? { Marker: marker } : {}) }));
  const listings = listingsOf(page.Contents);
  // Without a delimiter, S3 gives no NextMarker: the next page starts after the last key.
  const next = page.IsTruncated ? (page.NextMarker ?? listings[listings.length - 1]?.key) : undefined;
  return { listings, ...(next ? { next } : {}) };
};
