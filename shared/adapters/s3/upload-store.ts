import { CopyObjectCommand, HeadObjectCommand, NotFound, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { UploadedObject, UploadStore } from '../../use-cases/ports';

/** Largest attachment S3 accepts through a presigned upload. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const ALLOWED_UPLOAD_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;

/**
 * Layout of the uploads bucket: `incoming/<uploadId>` for fresh uploads (expired by a lifecycle
 * rule after a day when nobody claims them), `attachments/<uploadId>` once a dossier claims them.
 */
const incomingKey = (uploadId: string) => `incoming/${uploadId}`;
const attachmentKey = (uploadId: string) => `attachments/${uploadId}`;

export function s3UploadStore(client: S3Client, bucket: string): UploadStore {
  async function head(key: string) {
    try {
      return await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      if (error instanceof NotFound || (error instanceof Error && error.name === 'NotFound')) return undefined;
      throw error;
    }
  }

  return {
    async presignUpload({ uploadId, fileName, contentType }) {
      const expiresAt = new Date(Date.now() + UPLOAD_URL_TTL_SECONDS * 1000);
      // The policy, signed by us and checked by S3, is what enforces size, type and key; the
      // declared size in the request is only a first check.
      const { url, fields } = await createPresignedPost(client, {
        Bucket: bucket,
        Key: incomingKey(uploadId),
        Conditions: [
          ['content-length-range', 1, MAX_UPLOAD_BYTES],
          ['eq', '$Content-Type', contentType],
          ['eq', '$x-amz-meta-filename', encodeURIComponent(fileName)],
        ],
        Fields: { 'Content-Type': contentType, 'x-amz-meta-filename': encodeURIComponent(fileName) },
        Expires: UPLOAD_URL_TTL_SECONDS,
      });
      return { uploadId, method: 'POST', url, fields, expiresAt };
    },

    async claim(uploadId): Promise<UploadedObject | undefined> {
      const claimed = await head(attachmentKey(uploadId));
      if (claimed) return described(uploadId, claimed);
      const incoming = await head(incomingKey(uploadId));
      if (!incoming) return undefined;
      try {
        await client.send(
          new CopyObjectCommand({ Bucket: bucket, Key: attachmentKey(uploadId), CopySource: `${bucket}/${incomingKey(uploadId)}`, MetadataDirective: 'COPY' }),
        );
      } catch (error) {
        // Concurrent claims of one upload (a retried submission) copy the same bytes to the same
        // key: if another claim's copy is there, this one has nothing left to do.
        if (!(await head(attachmentKey(uploadId)))) throw error;
      }
      return described(uploadId, incoming);
    },
  };
}

function described(uploadId: string, object: { ContentType?: string; ContentLength?: number; Metadata?: Record<string, string> }): UploadedObject {
  const encodedName = object.Metadata?.filename ?? uploadId;
  let fileName = encodedName;
  try {
    fileName = decodeURIComponent(encodedName);
  } catch {
    // A name that is not valid percent-encoding is shown as stored.
  }
  return { uploadId, fileName, contentType: object.ContentType ?? 'application/octet-stream', size: object.ContentLength ?? 0 };
}
