import { randomUUID } from 'node:crypto';
import { citizenToken } from '../support/local-ward';

/** A citizen's side of the API, over real HTTP, for end-to-end tests. */
export interface ApiResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/**
 * One request. An online submission (`POST /dossiers` with an applicant and no `Authorization`
 * header) is sent signed in as its applicant, as the portal sends it once the citizen signed in
 * at the (local) identity provider; `signIn: false` sends it unsigned.
 */
export async function call<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; signIn?: boolean } = {},
): Promise<ApiResponse<T>> {
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  const signIn = options.signIn !== false && method === 'POST' && path === '/dossiers' ? await applicantSignIn(options) : {};
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(hasBody ? { 'Content-Type': 'application/json' } : {}), ...signIn, ...options.headers },
    ...(hasBody ? { body: options.rawBody ?? JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as T };
}

/** `Authorization` of the citizen signed in at the local provider as `person`. */
export async function signedInAs(person: { idNumber: string; fullName: string; phone?: string }): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await citizenToken(person)}` };
}

/** `Authorization` for the applicant of a submission body, when it names one and has no `Authorization` of its own. */
async function applicantSignIn(options: { body?: unknown; headers?: Record<string, string> }): Promise<Record<string, string>> {
  if (Object.keys(options.headers ?? {}).some((name) => name.toLowerCase() === 'authorization')) return {};
  const applicant: unknown = typeof options.body === 'object' && options.body !== null ? (options.body as { applicant?: unknown }).applicant : undefined;
  if (typeof applicant !== 'object' || applicant === null) return {};
  const { idNumber, fullName, phone } = applicant as Record<string, unknown>;
  if (typeof idNumber !== 'string' || typeof fullName !== 'string') return {};
  return signedInAs({ idNumber, fullName, ...(typeof phone === 'string' ? { phone } : {}) });
}

/** A tiny but real PDF: enough for S3 and for a content-type check. */
export const SAMPLE_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** Asks for a presigned upload and posts the file to it, as a browser would. Returns the upload id. */
export async function uploadFile(baseUrl: string, file: { name: string; type: string; bytes: Buffer }): Promise<string> {
  const presigned = await call<{ uploadId: string; url: string; fields: Record<string, string> }>(baseUrl, 'POST', '/uploads', {
    body: { fileName: file.name, contentType: file.type, size: file.bytes.length },
  });
  if (presigned.status !== 201) throw new Error(`POST /uploads answered ${presigned.status}: ${JSON.stringify(presigned.body)}`);
  const form = new FormData();
  for (const [name, value] of Object.entries(presigned.body.fields)) form.append(name, value);
  form.append('file', new Blob([file.bytes], { type: file.type }), file.name);
  const stored = await fetch(presigned.body.url, { method: 'POST', body: form });
  if (stored.status >= 300) throw new Error(`the presigned POST answered ${stored.status}: ${await stored.text()}`);
  return presigned.body.uploadId;
}

/** The marital-status certificate (1.004873, fully online, 3 working days): one required form. */
export const MARITAL_STATUS_CODE = '1.004873';

export function maritalStatusSubmission(uploadId: string, overrides: Record<string, unknown> = {}) {
  return {
    procedureCode: MARITAL_STATUS_CODE,
    applicant: {
      fullName: 'Nguyễn Thị Hoa',
      idNumber: '001190012345',
      phone: '0912345678',
      email: 'hoa.nguyen@example.vn',
      address: 'Số 12 phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội',
    },
    formData: { purpose: 'Đăng ký kết hôn', maritalStatus: 'Chưa kết hôn' },
    attachments: [{ uploadId, documentId: 'to-khai-xac-nhan-tthn' }],
    fullyOnline: true,
    ...overrides,
  };
}

export const newIdempotencyKey = () => randomUUID();
