import 'aws-sdk-client-mock-vitest/extend';
import { GetObjectCommand, ListObjectsCommand, ListObjectsV2Command, NoSuchKey, S3Client, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ChecksumMismatchError, type ArchiveListing } from '../../shared/audit/archive-reader';
import { s3ArchiveReader } from '../../shared/audit/s3-archive-reader';

const s3 = mockClient(S3Client);
const reader = s3ArchiveReader(new S3Client({ region: 'ap-southeast-1' }), 'mot-cua-so-hoan-kiem-archive');

/** A GetObject body as the SDK gives it, for what the reader uses of it. */
const body = (text: string) => ({ transformToByteArray: () => Promise.resolve(new TextEncoder().encode(text)) }) as unknown as GetObjectCommandOutput['Body'];

beforeEach(() => s3.reset());

describe('s3ArchiveReader', () => {
  it('lists every page of a prefix, in the order S3 gives, following the continuation token', async () => {
    s3.on(ListObjectsV2Command, { Prefix: 'manifest/entries/' })
      .resolvesOnce({ Contents: [{ Key: 'manifest/entries/000000000001.json', Size: 10 }], IsTruncated: true, NextContinuationToken: 'page-2' })
      .resolvesOnce({ Contents: [{ Key: 'manifest/entries/000000000002.json', Size: 12 }], IsTruncated: false });

    const listed: ArchiveListing[] = [];
    for await (const listing of reader.list('manifest/entries/')) listed.push(listing);

    expect(listed).toEqual([
      { key: 'manifest/entries/000000000001.json', sizeBytes: 10 },
      { key: 'manifest/entries/000000000002.json', sizeBytes: 12 },
    ]);
    expect(s3).toHaveReceivedCommandTimes(ListObjectsV2Command, 2);
    expect(s3).toHaveReceivedNthCommandWith(ListObjectsV2Command, 2, { Bucket: 'mot-cua-so-hoan-kiem-archive', Prefix: 'manifest/entries/', ContinuationToken: 'page-2' });
  });

  it('lists with ListObjects V1 when asked (s3rver), each page after the last key of the one before', async () => {
    s3.on(ListObjectsCommand)
      .resolvesOnce({
        Contents: [
          { Key: 'documents/A/result-v1.json', Size: 1 },
          { Key: 'documents/A/result-v1.pdf', Size: 2 },
        ],
        IsTruncated: true,
      })
      .resolvesOnce({ Contents: [{ Key: 'documents/B/result-v1.json', Size: 3 }], IsTruncated: false });
    const v1 = s3ArchiveReader(new S3Client({ region: 'ap-southeast-1' }), 'local-archive', { listApi: 'v1' });

    const listed: string[] = [];
    for await (const listing of v1.list('documents/')) listed.push(listing.key);

    expect(listed).toEqual(['documents/A/result-v1.json', 'documents/A/result-v1.pdf', 'documents/B/result-v1.json']);
    expect(s3).toHaveReceivedNthCommandWith(ListObjectsCommand, 2, { Bucket: 'local-archive', Prefix: 'documents/', Marker: 'documents/A/result-v1.pdf' });
    expect(s3).not.toHaveReceivedCommand(ListObjectsV2Command);
  });

  it("reads an object with S3's whole-object SHA-256, asking S3 for its checksum", async () => {
    s3.on(GetObjectCommand).resolves({ Body: body('pdf'), ChecksumSHA256: 'c2hh', ChecksumType: 'FULL_OBJECT' });

    const object = await reader.get('documents/X/result-v1.pdf');

    expect(object).toEqual({ bytes: new TextEncoder().encode('pdf'), checksumSha256: 'c2hh' });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'mot-cua-so-hoan-kiem-archive', Key: 'documents/X/result-v1.pdf', ChecksumMode: 'ENABLED' });
  });

  it('leaves out a checksum of parts, which is not the SHA-256 of the object', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body('pdf'), ChecksumSHA256: 'c2hh-3', ChecksumType: 'COMPOSITE' });

    expect(await reader.get('documents/X/result-v1.pdf')).toEqual({ bytes: new TextEncoder().encode('pdf') });
  });

  it('says undefined for an object that is not there', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } }));

    expect(await reader.get('documents/X/result-v1.pdf')).toBeUndefined();
  });

  it("turns the SDK's checksum mismatch into a ChecksumMismatchError naming the key", async () => {
    s3.on(GetObjectCommand).rejects(new Error('Checksum mismatch: expected "abc" but received "def" in response header "x-amz-checksum-sha256".'));

    await expect(reader.get('documents/X/result-v1.pdf')).rejects.toThrow(ChecksumMismatchError);
    await expect(reader.get('documents/X/result-v1.pdf')).rejects.toThrow(/^documents\/X\/result-v1\.pdf: Checksum mismatch/);
  });
});
