import { contract } from '../../shared/api/contract';
import { UPLOAD_LIMITS } from '../../shared/domain/dossier';
import { toVietnamIso } from '../../shared/domain/time';
import { requestCounterStore } from '../../shared/runtime/dynamodb';
import { ward } from '../../shared/runtime/env';
import { httpRoute } from '../../shared/runtime/http';
import { idHasher } from '../../shared/runtime/kms';
import { uploadPresigner } from '../../shared/runtime/s3';
import { createUpload } from '../../shared/use-cases/create-upload';
import { systemClock } from '../../shared/use-cases/ports';
import { admitUpload } from '../../shared/use-cases/request-limits';

const uploads = uploadPresigner();
const limits = { counters: requestCounterStore(), idHasher: idHasher(), clock: systemClock, ward };

export const handler = httpRoute({ body: contract.CreateUpload.body }, async ({ body, sourceIp }) => {
  const upload = await createUpload(uploads, body, () => admitUpload(limits, { sourceIp }));
  return {
    status: 201,
    body: { uploadId: upload.uploadId, method: upload.method, url: upload.url, fields: upload.fields, expiresAt: toVietnamIso(upload.expiresAt), maxBytes: UPLOAD_LIMITS.maxBytes },
  };
});
