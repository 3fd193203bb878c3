import { CopyObjectCommand, HeadObjectCommand, NotFound, type S3Client } from '@aws-sdk/client-s3';
import type { AttachmentStore, UploadedObject } from '../../use-cases/ports';
import { attachmentKey, incomingKey } from './layout';

/** Claims uploaded files for dossiers: copies them out of the expiring incoming area, once. */
export function s3AttachmentStore(client: S3Client, bucket: string): AttachmentStore {
  async function head(key: string) {
    try {
      return await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      if (error instanceof NotFound || (error instanceof Error && error.name === 'NotFound')) return undefined;
      throw error;
    }
  }

  return {
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
