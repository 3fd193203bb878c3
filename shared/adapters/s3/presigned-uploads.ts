import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { UploadPresigner } from '../../use-cases/ports';
import { DECLARED_SIZE_METADATA, FILE_NAME_METADATA, incomingKey } from './layout';

export const UPLOAD_URL_TTL_SECONDS = 15 * 60;

/** Presigned browser uploads (POST policy) into the incoming area of the uploads bucket. */
export function s3UploadPresigner(client: S3Client, bucket: string): UploadPresigner {
  return {
    async presignUpload({ uploadId, fileName, contentType, size }) {
      const expiresAt = new Date(Date.now() + UPLOAD_URL_TTL_SECONDS * 1000);
      // The policy, signed by us and checked by S3, is what enforces size, type and key: S3 takes
      // a file of exactly the declared size only. The name and the declared size are stored with
      // the object, and the claim checks the content against them again.
      const metadata = { [`x-amz-meta-${FILE_NAME_METADATA}`]: encodeURIComponent(fileName), [`x-amz-meta-${DECLARED_SIZE_METADATA}`]: String(size) };
      const { url, fields } = await createPresignedPost(client, {
        Bucket: bucket,
        Key: incomingKey(uploadId),
        Conditions: [
          ['content-length-range', size, size],
          ['eq', '$Content-Type', contentType],
          ...Object.entries(metadata).map(([name, value]) => ['eq', `$${name}`, value] as ['eq', string, string]),
        ],
        Fields: { 'Content-Type': contentType, ...metadata },
        Expires: UPLOAD_URL_TTL_SECONDS,
      });
      return { uploadId, method: 'POST', url, fields, expiresAt };
    },
  };
}
