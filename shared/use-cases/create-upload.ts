import { randomUUID } from 'node:crypto';
import { messageKey } from '../domain/dossier';
import { ValidationError } from '../domain/errors';
import { safeFileName } from '../domain/uploads';
import type { UploadPresigner } from './ports';

/**
 * A presigned upload for one attachment; S3 enforces the size (exactly the declared one) and the
 * type the policy states, and the claim checks the content. The file name is made safe first
 * (see safeFileName). @throws ValidationError when nothing printable is left of the name.
 */
export function createUpload(uploads: UploadPresigner, request: { fileName: string; contentType: string; size: number }) {
  const fileName = safeFileName(request.fileName);
  if (fileName === '') throw new ValidationError([{ path: 'body.fileName', message: messageKey('FILE_NAME_EMPTY') }]);
  return uploads.presignUpload({ uploadId: randomUUID(), ...request, fileName });
}
