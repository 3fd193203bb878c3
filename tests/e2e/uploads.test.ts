import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalWard, type LocalWard } from '../support/local-ward';
import { call, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile } from './citizen-client';

/**
 * Uploads over HTTP against the local ward: an upload belongs to one dossier, and is attached
 * only when it is what it claims to be (local mode has no malware scanner: type and size only).
 */
let ward: LocalWard;

beforeAll(async () => {
  ward = await startLocalWard();
});

afterAll(async () => {
  await ward.stop();
});

async function submit(uploadId: string, key = newIdempotencyKey()) {
  return call<{ code: string; status: number; errors?: { path: string; message: string }[] }>(ward.baseUrl, 'POST', '/dossiers', {
    body: maritalStatusSubmission(uploadId),
    headers: { 'Idempotency-Key': key, 'Accept-Language': 'en' },
  });
}

/** A Windows executable's head: the MZ header pointing at a PE signature. */
const WINDOWS_EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(0x3a), Buffer.from([0x40, 0, 0, 0]), Buffer.from('PE\0\0'), Buffer.alloc(200)]);
const HTML_PAGE = Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>');

describe('an upload belongs to one dossier', () => {
  it('refuses a second dossier the upload of the first with a 409 problem, and writes nothing', async () => {
    const file = await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
    const first = await submit(file);
    const before = await ward.tableKeys();

    const second = await submit(file);

    expect(first.status).toBe(201);
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toContain('application/problem+json');
    expect(second.body).toMatchObject({ status: 409, code: 'UPLOAD_ALREADY_ATTACHED' });
    expect(await ward.tableKeys()).toEqual(before);
  });

  it('answers a retry of the same submission with the same dossier', async () => {
    const file = await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
    const key = newIdempotencyKey();

    const first = await submit(file, key);
    const retry = await submit(file, key);

    expect([first.status, retry.status]).toEqual([201, 200]);
    expect(retry.body.code).toBe(first.body.code);
  });
});

describe('an upload is what it claims to be', () => {
  const refusals = [
    { name: 'a Windows executable declared as a PDF', file: { name: 'to-khai.pdf', type: 'application/pdf', bytes: WINDOWS_EXE } },
    { name: 'HTML declared as a PNG', file: { name: 'anh-chup.png', type: 'image/png', bytes: HTML_PAGE } },
  ];

  it.each(refusals)('refuses $name with a 400 problem naming the attachment, and writes nothing', async ({ file }) => {
    const uploadId = await uploadFile(ward.baseUrl, file);
    const before = await ward.tableKeys();

    const response = await submit(uploadId);

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code: 'UPLOAD_REFUSED', errors: [{ path: 'body.attachments.0.uploadId' }] });
    expect(response.body.errors?.[0]?.message).toMatch(/not of the declared type/);
    expect(await ward.tableKeys()).toEqual(before);
  });

  it('refuses a file whose size is not the declared one: S3 takes no such file, and its upload id attaches nothing', async () => {
    const presigned = await call<{ uploadId: string; url: string; fields: Record<string, string> }>(ward.baseUrl, 'POST', '/uploads', {
      body: { fileName: 'to-khai.pdf', contentType: 'application/pdf', size: SAMPLE_PDF.length - 10 },
    });
    const form = new FormData();
    for (const [name, value] of Object.entries(presigned.body.fields)) form.append(name, value);
    form.append('file', new Blob([SAMPLE_PDF], { type: 'application/pdf' }), 'to-khai.pdf');
    const before = await ward.tableKeys();

    const stored = await fetch(presigned.body.url, { method: 'POST', body: form });
    const response = await submit(presigned.body.uploadId);

    expect(stored.status).toBe(400);
    expect(await stored.text()).toContain('EntityTooLarge');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'UNKNOWN_UPLOAD' });
    expect(await ward.tableKeys()).toEqual(before);
  });

  it('keeps a safe file name: no control or bidirectional-override characters, NFC, bounded length', async () => {
    const name = `ho\u0301a-\u202Efdp.exe\u0007-${'x'.repeat(300)}.pdf`.slice(0, 199);
    const uploadId = await uploadFile(ward.baseUrl, { name: `${name.slice(0, 190)}.pdf`, type: 'application/pdf', bytes: SAMPLE_PDF });
    const submitted = await call<{ code: string; secret: string }>(ward.baseUrl, 'POST', '/dossiers', {
      body: maritalStatusSubmission(uploadId),
      headers: { 'Idempotency-Key': newIdempotencyKey() },
    });

    const view = await call<{ attachments: { fileName: string }[] }>(ward.baseUrl, 'GET', `/dossiers/${submitted.body.code}`, {
      headers: { 'X-Dossier-Secret': submitted.body.secret },
    });

    const fileName = view.body.attachments[0]?.fileName ?? '';
    expect(fileName.startsWith('hóa-fdp.exe-xxx')).toBe(true);
    expect(fileName.endsWith('.pdf')).toBe(true);
    expect(Array.from(fileName).length).toBe(120);
    expect(fileName).not.toMatch(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u);
  });
});
