import { randomUUID } from 'node:crypto';
import type { UploadStore } from './ports';

/** A presigned upload for one attachment; S3 enforces the size and type limits the policy states. */
export function createUpload(uploads: UploadStore, request: { fileName: string; contentType: string; size: number }) {
  return uploads.presignUpload({ uploadId: randomUUID(), ...request });
}
