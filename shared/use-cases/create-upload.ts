import { randomUUID } from 'node:crypto';
import type { UploadPresigner } from './ports';

/** A presigned upload for one attachment; S3 enforces the size and type limits the policy states. */
export function createUpload(uploads: UploadPresigner, request: { fileName: string; contentType: string; size: number }) {
  return uploads.presignUpload({ uploadId: randomUUID(), ...request });
}
