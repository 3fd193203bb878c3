import { api, isProblem, type Problem } from './api';

/**
 * One attachment to the uploads bucket: a presigned POST from `POST /uploads` (the bucket's
 * policy enforces type and size), then the file itself with XMLHttpRequest, whose
 * `upload.onprogress` is what a progress bar needs (fetch has no upload progress).
 */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly problem?: Problem,
  ) {
    super(message);
  }
}

export async function uploadAttachment(file: File, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<string> {
  const { data, error } = await api.POST('/uploads', { body: { fileName: file.name, contentType: file.type as 'application/pdf', size: file.size } });
  if (data === undefined) throw new UploadError(isProblem(error) ? (error.errors?.[0]?.message ?? error.detail) : 'POST /uploads', isProblem(error) ? error : undefined);
  const form = new FormData();
  for (const [name, value] of Object.entries(data.fields)) form.append(name, value);
  form.append('file', file, file.name);
  await new Promise<void>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(data.method, data.url);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => (request.status >= 200 && request.status < 300 ? resolve() : reject(new UploadError(`upload: ${request.status}`)));
    request.onerror = () => reject(new UploadError('upload: network'));
    request.onabort = () => reject(new UploadError('upload: aborted'));
    signal?.addEventListener('abort', () => request.abort());
    request.send(form);
  });
  onProgress(1);
  return data.uploadId;
}
