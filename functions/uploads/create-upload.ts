import { contract } from '../../shared/api/contract';
import { UPLOAD_LIMITS } from '../../shared/domain/dossier';
import { toVietnamIso } from '../../shared/domain/time';
import { httpRoute } from '../../shared/runtime/http';
import { uploadPresigner } from '../../shared/runtime/s3';
import { createUpload } from '../../shared/use-cases/create-upload';

const uploads = uploadPresigner();

export const handler = httpRoute({ body: contract.CreateUpload.body }, async ({ body }) => {
  const upload = await createUpload(uploads, body);
  return {
    status: 201,
    body: { uploadId: upload.uploadId, method: upload.method, url: upload.url, fields: upload.fields, expiresAt: toVietnamIso(upload.expiresAt), maxBytes: UPLOAD_LIMITS.maxBytes },
  };
});
