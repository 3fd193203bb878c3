import type { components } from '../generated/api';
import { api, isProblem, type Problem } from './api';

type ContentType = components['schemas']['CreateUploadRequest']['contentType'];

/**
 * One attachment's way to the ward: `POST /uploads` asks for a short-lived presigned POST (the
 * server checks the name, type and size, and S3 enforces them again through the policy), then the
 * browser posts the file straight to storage. XMLHttpRequest rather than fetch, because only it
 * reports the upload's progress (for a `<progress>` bar).
 */
export type UploadOutcome = { readonly ok: true; readonly uploadId: string } | { readonly ok: false; readonly problem?: Problem; readonly status: number };

export async function uploadFile(file: File, onProgress: (fraction: number) => void): Promise<UploadOutcome> {
  const { data, error, response } = await api.POST('/uploads', {
    body: { fileName: file.name, contentType: file.type as ContentType /* any other type: the server answers 400 */, size: file.size },
  });
  if (data === undefined) return { ok: false, status: response.status, ...(isProblem(error) ? { problem: error } : {}) };
  const form = new FormData();
  for (const [name, value] of Object.entries(data.fields)) form.append(name, value);
  form.append('file', file, file.name);
  const status = await new Promise<number>((resolve) => {
    const request = new XMLHttpRequest();
    request.open(data.method, data.url);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener('load', () => resolve(request.status));
    request.addEventListener('error', () => resolve(0));
    request.addEventListener('abort', () => resolve(0));
    request.send(form);
  });
  if (status < 200 || status >= 300) return { ok: false, status };
  onProgress(1);
  return { ok: true, uploadId: data.uploadId };
}
