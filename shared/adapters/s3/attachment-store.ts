import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, NotFound, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { AttachmentStore, DownloadLink, UploadedObject } from '../../use-cases/ports';
import { attachmentKey, incomingKey } from './layout';

export const ATTACHMENT_LINK_TTL_SECONDS = 5 * 60;

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

    async claimed(uploadId) {
      const object = await head(attachmentKey(uploadId));
      return object ? described(uploadId, object) : undefined;
    },

    async downloadLink(uploadId, fileName): Promise<DownloadLink> {
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: attachmentKey(uploadId),
        ResponseContentDisposition: `inline; filename="${fileName.replace(/[^\w.-]/g, '_')}"`,
      });
      const url = await getSignedUrl(client, command, { expiresIn: ATTACHMENT_LINK_TTL_SECONDS });
      return { url, expiresAt: new Date(Date.now() + ATTACHMENT_LINK_TTL_SECONDS * 1000) };
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
