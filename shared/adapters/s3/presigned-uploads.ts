import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { UPLOAD_LIMITS } from '../../domain/dossier';
import type { UploadPresigner } from '../../use-cases/ports';
import { incomingKey } from './layout';

export const UPLOAD_URL_TTL_SECONDS = 15 * 60;

/** Presigned browser uploads (POST policy) into the incoming area of the uploads bucket. */
export function s3UploadPresigner(client: S3Client, bucket: string): UploadPresigner {
  return {
    async presignUpload({ uploadId, fileName, contentType }) {
      const expiresAt = new Date(Date.now() + UPLOAD_URL_TTL_SECONDS * 1000);
      // The policy, signed by us and checked by S3, is what enforces size, type and key; the
      // declared size in the request is only a first check.
      const { url, fields } = await createPresignedPost(client, {
        Bucket: bucket,
        Key: incomingKey(uploadId),
        Conditions: [
          ['content-length-range', 1, UPLOAD_LIMITS.maxBytes],
          ['eq', '$Content-Type', contentType],
          ['eq', '$x-amz-meta-filename', encodeURIComponent(fileName)],
        ],
        Fields: { 'Content-Type': contentType, 'x-amz-meta-filename': encodeURIComponent(fileName) },
        Expires: UPLOAD_URL_TTL_SECONDS,
      });
      return { uploadId, method: 'POST', url, fields, expiresAt };
    },
  };
}
