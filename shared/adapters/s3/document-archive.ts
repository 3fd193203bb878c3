import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { DocumentMetadataSchema, metadataKeyOf } from '../../domain/archive';
import type { DocumentArchive } from '../../use-cases/ports';

export const DOWNLOAD_LINK_TTL_SECONDS = 10 * 60;

/**
 * The archive bucket: versioned, Object Lock in compliance mode with the ward's retention as the
 * default (set by the stack), so no one can overwrite or delete an archived version before its
 * retention ends. Every key is written once (`If-None-Match: *`): S3 answers 412 when the key is
 * taken, and this adapter says `EXISTS`. Each PDF carries its SHA-256, which S3 checks on upload.
 */
export function s3DocumentArchive(client: S3Client, bucket: string): DocumentArchive {
  const put = async (key: string, body: Uint8Array | string, contentType: string, sha256Base64?: string): Promise<'STORED' | 'EXISTS'> => {
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          IfNoneMatch: '*',
          ...(sha256Base64 ? { ChecksumSHA256: sha256Base64 } : {}),
        }),
      );
      return 'STORED';
    } catch (error) {
      // 412: the key is taken. 409 (ConditionalRequestConflict): another conditional write of the key is in flight.
      if (error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 412 || error.$metadata.httpStatusCode === 409)) return 'EXISTS';
      throw error;
    }
  };

  const get = async (key: string): Promise<Uint8Array | undefined> => {
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) return undefined;
      throw error;
    }
  };

  return {
    putPdf: (key, bytes, sha256) => put(key, bytes, 'application/pdf', Buffer.from(sha256, 'hex').toString('base64')),
    putJson: (key, json) => put(key, json, 'application/json; charset=utf-8'),
    putText: (key, text, contentType) => put(key, text, contentType),
    get,

    async getMetadata(pdfKey) {
      const bytes = await get(metadataKeyOf(pdfKey));
      return bytes === undefined ? undefined : DocumentMetadataSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    },

    async downloadLink(key, fileName) {
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ResponseContentDisposition: `inline; filename="${fileName.replace(/[^\w.-]/g, '_')}"`,
      });
      const url = await getSignedUrl(client, command, { expiresIn: DOWNLOAD_LINK_TTL_SECONDS });
      return { url, expiresAt: new Date(Date.now() + DOWNLOAD_LINK_TTL_SECONDS * 1000) };
    },
  };
}
