import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ResultArchive } from '../../use-cases/ports';

export const DOWNLOAD_LINK_TTL_SECONDS = 10 * 60;

/**
 * The archive bucket of e-results: versioned, Object Lock in compliance mode with the ward's
 * retention as the default (set by the stack), so no one can overwrite or delete an e-copy
 * before its retention ends. A key is written once (`If-None-Match: *`); each object carries its
 * SHA-256 (checked by S3 on upload) and what it is in its metadata.
 */
export function s3ResultArchive(client: S3Client, bucket: string): ResultArchive {
  return {
    async store({ key, bytes, sha256, dossierCode, outcome }) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: bytes,
          ContentType: 'application/pdf',
          IfNoneMatch: '*',
          ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
          Metadata: { 'dossier-code': dossierCode, outcome, sha256 },
        }),
      );
    },

    async downloadLink(key, fileName) {
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ResponseContentType: 'application/pdf',
        ResponseContentDisposition: `inline; filename="${fileName.replace(/[^\w.-]/g, '_')}"`,
      });
      const url = await getSignedUrl(client, command, { expiresIn: DOWNLOAD_LINK_TTL_SECONDS });
      return { url, expiresAt: new Date(Date.now() + DOWNLOAD_LINK_TTL_SECONDS * 1000) };
    },
  };
}
