import { CopyObjectCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, NotFound, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ServiceBusyError } from '../../domain/errors';
import { CONTENT_SAMPLE_BYTES, safeFileName, type MalwareScan } from '../../domain/uploads';
import type { AttachmentStore, DownloadLink, InspectedUpload, UploadedObject } from '../../use-cases/ports';
import { attachmentKey, DECLARED_SIZE_METADATA, FILE_NAME_METADATA, incomingKey } from './layout';

export const ATTACHMENT_LINK_TTL_SECONDS = 5 * 60;

/** The object tag GuardDuty Malware Protection for S3 writes on each object it scanned, and its values. */
export const MALWARE_SCAN_TAG = 'GuardDutyMalwareScanStatus';
const SCAN_RESULTS: Readonly<Record<string, MalwareScan>> = {
  NO_THREATS_FOUND: 'CLEAN',
  THREATS_FOUND: 'INFECTED',
  // UNSUPPORTED (e.g. password-protected), ACCESS_DENIED and FAILED: never scanned, never accepted.
  UNSUPPORTED: 'UNSCANNABLE',
  ACCESS_DENIED: 'UNSCANNABLE',
  FAILED: 'UNSCANNABLE',
};

/**
 * `GUARDDUTY`: the stack's malware protection plan scans every new object under incoming/ and
 * tags it; an object without the tag is not scanned yet. `OFF`: no scanner (local mode, which
 * has no GuardDuty); uploads are checked for type and size only.
 */
export type MalwareScanning = 'GUARDDUTY' | 'OFF';

/** Attempts at the copy while S3 answers 409 ConditionalRequestConflict (another copy of the same upload in flight). */
const MAX_COPY_ATTEMPTS = 5;

/**
 * The uploads bucket's attachments: inspects fresh uploads (one version: its head, its first
 * bytes, its scan tag) and copies them out of the expiring incoming area.
 */
export function s3AttachmentStore(client: S3Client, bucket: string, options: { readonly malwareScanning: MalwareScanning }): AttachmentStore {
  async function head(key: string) {
    try {
      return await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      if (error instanceof NotFound || errorName(error) === 'NotFound') return undefined;
      throw error;
    }
  }

  async function scanOf(key: string, versionId: string | undefined): Promise<MalwareScan> {
    if (options.malwareScanning === 'OFF') return 'SCANNING_OFF';
    const { TagSet } = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
    const status = TagSet?.find((tag) => tag.Key === MALWARE_SCAN_TAG)?.Value;
    return status === undefined ? 'PENDING' : (SCAN_RESULTS[status] ?? 'UNSCANNABLE');
  }

  async function firstBytes(key: string, size: number, revision: InspectedUpload['revision']): Promise<Uint8Array> {
    if (size === 0) return new Uint8Array();
    const object = await client.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        Range: `bytes=0-${Math.min(size, CONTENT_SAMPLE_BYTES) - 1}`,
        ...(revision.versionId ? { VersionId: revision.versionId } : revision.etag ? { IfMatch: revision.etag } : {}),
      }),
    );
    return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
  }

  return {
    async inspect(uploadId): Promise<InspectedUpload | undefined> {
      const key = incomingKey(uploadId);
      const object = await head(key);
      if (!object) return undefined;
      const revision = { ...(object.VersionId && object.VersionId !== 'null' ? { versionId: object.VersionId } : {}), ...(object.ETag ? { etag: object.ETag } : {}) };
      const size = object.ContentLength ?? 0;
      const [bytes, scan] = await Promise.all([firstBytes(key, size, revision), scanOf(key, revision.versionId)]);
      const declared = Number(object.Metadata?.[DECLARED_SIZE_METADATA]);
      return {
        object: described(uploadId, object),
        declaredSize: Number.isSafeInteger(declared) ? declared : undefined,
        firstBytes: bytes,
        scan,
        revision,
      };
    },

    async keep(upload) {
      const { uploadId } = upload.object;
      const source = `${bucket}/${incomingKey(uploadId)}${upload.revision.versionId ? `?versionId=${encodeURIComponent(upload.revision.versionId)}` : ''}`;
      for (let attempt = 1; ; attempt += 1) {
        try {
          // Only if no copy is there yet: concurrent retries of one submission all get here, and
          // S3 (s3rver too, see local/s3-conditional-writes.ts) lets exactly one of them write.
          await client.send(
            new CopyObjectCommand({
              Bucket: bucket,
              Key: attachmentKey(uploadId),
              CopySource: source,
              ...(upload.revision.versionId || !upload.revision.etag ? {} : { CopySourceIfMatch: upload.revision.etag }),
              IfNoneMatch: '*',
              MetadataDirective: 'COPY',
            }),
          );
          return;
        } catch (error) {
          const name = errorName(error);
          if (name === 'PreconditionFailed') {
            // A copy is there already (or, without versions, the upload changed since it was inspected).
            if (await head(attachmentKey(uploadId))) return;
            throw new ServiceBusyError(1);
          }
          if (name !== 'ConditionalRequestConflict') throw error;
          if (attempt >= MAX_COPY_ATTEMPTS) throw new ServiceBusyError(1);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
        }
      }
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

const errorName = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

function described(uploadId: string, object: { ContentType?: string; ContentLength?: number; Metadata?: Record<string, string> }): UploadedObject {
  const encodedName = object.Metadata?.[FILE_NAME_METADATA] ?? uploadId;
  let fileName = encodedName;
  try {
    fileName = decodeURIComponent(encodedName);
  } catch {
    // A name that is not valid percent-encoding is shown as stored.
  }
  // The name was made safe when the upload was asked for; an upload from before that is made safe here.
  return { uploadId, fileName: safeFileName(fileName) || uploadId, contentType: object.ContentType ?? 'application/octet-stream', size: object.ContentLength ?? 0 };
}
