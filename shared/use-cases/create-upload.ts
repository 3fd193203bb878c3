import { randomUUID } from 'node:crypto';
import { messageKey } from '../domain/dossier';
import { ValidationError } from '../domain/errors';
import { safeFileName } from '../domain/uploads';
import type { UploadPresigner } from './ports';

/**
 * A presigned upload for one attachment; S3 enforces the size (exactly the declared one) and the
 * type the policy states, and the claim checks the content. The file name is made safe first
 * (see safeFileName), then `admit` counts the request against the ward's limits.
 * @throws ValidationError when nothing printable is left of the name; what `admit` throws (429)
 */
export async function createUpload(
  uploads: UploadPresigner,
  request: { fileName: string; contentType: string; size: number },
  admit: () => Promise<unknown> = () => Promise.resolve(),
) {
  const fileName = safeFileName(request.fileName);
  if (fileName === '') throw new ValidationError([{ path: 'body.fileName', message: messageKey('FILE_NAME_EMPTY') }]);
  // Counted against the ward's limits only once it is a request the ward accepts.
  await admit();
  return uploads.presignUpload({ uploadId: randomUUID(), ...request, fileName });
}
