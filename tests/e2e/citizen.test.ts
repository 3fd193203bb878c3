import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalWard, type LocalWard } from '../support/local-ward';
import { call, maritalStatusSubmission, MARITAL_STATUS_CODE, newIdempotencyKey, SAMPLE_PDF, signedInAs, uploadFile } from './citizen-client';

/**
 * A citizen's journey over HTTP against the local ward: the same handlers, DynamoDB Local and
 * the local S3 server, as `npm start` runs them.
 */
let ward: LocalWard;
/** An upload for the cases that are refused before any upload is claimed. */
let uploadId: string;

beforeAll(async () => {
  ward = await startLocalWard();
  uploadId = await uploadFile(ward.baseUrl, { name: 'tờ khai xác nhận.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
});

afterAll(async () => {
  await ward.stop();
});

async function submit(body: unknown, key = newIdempotencyKey()) {
  return call<{ code: string; secret: string; status: string; statusCode: number }>(ward.baseUrl, 'POST', '/dossiers', {
    body,
    headers: { 'Idempotency-Key': key },
  });
}

/** A fresh upload: an upload belongs to one dossier. */
const freshUpload = (name = 'tờ khai xác nhận.pdf') => uploadFile(ward.baseUrl, { name, type: 'application/pdf', bytes: SAMPLE_PDF });

const sequenceOf = (code: string) => Number(code.split('-').at(-1));

describe('the catalog', () => {
  it('lists at least ten published procedures, filterable by online level', async () => {
    const all = await call<{ items: { code: string; onlineLevel: string }[]; count: number }>(ward.baseUrl, 'GET', '/procedures');
    const full = await call<{ items: { onlineLevel: string }[] }>(ward.baseUrl, 'GET', '/procedures?onlineLevel=FULL');

    expect(all.status).toBe(200);
    expect(all.body.count).toBeGreaterThanOrEqual(10);
    expect(new Set(all.body.items.map((p) => p.code)).size).toBe(all.body.count);
    expect(full.body.items.length).toBeGreaterThan(0);
    expect(full.body.items.length).toBeLessThan(all.body.count);
    expect(full.body.items.every((p) => p.onlineLevel === 'FULL')).toBe(true);
  });

  it('shows one procedure with its documents, and 404 for an unknown code', async () => {
    const found = await call<{ code: string; documents: unknown[]; timeLimitDays: number }>(ward.baseUrl, 'GET', `/procedures/${MARITAL_STATUS_CODE}`);
    const missing = await call(ward.baseUrl, 'GET', '/procedures/9.999999');

    expect(found.status).toBe(200);
    expect(found.body.documents.length).toBeGreaterThan(0);
    expect(found.body.timeLimitDays).toBe(3);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(missing.body.code).toBe('NOT_FOUND');
  });

  it('previews appointments on the official calendar: Tết 2026 and the 15:00 cut-off', async () => {
    // Received Friday 13/02/2026 at 10:00; Tết holidays run 16–20/02 (weekend 14–15 and 21–22):
    // 3 working days are 23, 24, 25/02.
    const beforeTet = await call<{ appointmentAt: string }>(ward.baseUrl, 'GET', `/procedures/${MARITAL_STATUS_CODE}/appointment?at=2026-02-13T10:00:00%2B07:00`);
    // Received Thursday 05/03/2026 at 15:30, after the cut-off: the clock starts Friday 06/03.
    const afterCutoff = await call<{ clockStartsAt: string; appointmentAt: string }>(
      ward.baseUrl,
      'GET',
      `/procedures/${MARITAL_STATUS_CODE}/appointment?at=2026-03-05T15:30:00%2B07:00`,
    );
    const badInstant = await call(ward.baseUrl, 'GET', `/procedures/${MARITAL_STATUS_CODE}/appointment?at=tomorrow`);

    expect(beforeTet.body.appointmentAt).toBe('2026-02-25T17:00:00+07:00');
    expect(afterCutoff.body.clockStartsAt).toBe('2026-03-06T08:00:00+07:00');
    expect(afterCutoff.body.appointmentAt).toBe('2026-03-11T17:00:00+07:00');
    expect(badInstant.status).toBe(400);
  });
});

describe('submitting and tracking a dossier', () => {
  it('gives a dossier code of the ward and a secret, and tracks it publicly with a masked name only', async () => {
    const submitted = await submit(maritalStatusSubmission(await freshUpload()));
    const code = submitted.body.code;
    const status = await call<Record<string, unknown>>(ward.baseUrl, 'GET', `/dossiers/${code}/status`);

    expect(submitted.status).toBe(201);
    expect(code).toMatch(new RegExp(`^${ward.ward.agencyCode.replaceAll('.', '\\.')}-\\d{6}-\\d{4}$`));
    expect(submitted.body.secret).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    expect(submitted.body.statusCode).toBe(1);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ code, status: 'SUBMITTED', statusCode: 1, applicantName: 'Nguyễn T. H.', overdue: false });
    const publicText = JSON.stringify(status.body);
    for (const personal of ['001190012345', '912345678', 'hoa.nguyen', 'Hàng Bạc', 'Hoa']) expect(publicText).not.toContain(personal);
  });

  it('opens the full view only with the secret; a wrong secret and an unknown code get identical 404s', async () => {
    const { body } = await submit(maritalStatusSubmission(await freshUpload()));
    const unknownCode = `${ward.ward.agencyCode}-991231-9999`;

    const withSecret = await call<{ applicant: { idNumber: string; phone: string }; history: unknown[]; attachments: { fileName: string }[] }>(
      ward.baseUrl,
      'GET',
      `/dossiers/${body.code}`,
      { headers: { 'X-Dossier-Secret': body.secret.toLowerCase() } },
    );
    const wrongSecret = await call(ward.baseUrl, 'GET', `/dossiers/${body.code}`, { headers: { 'X-Dossier-Secret': 'AAAA-BBBB-CCCC-DDDD-EEEE' } });
    const noSecret = await call(ward.baseUrl, 'GET', `/dossiers/${body.code}`);
    const unknown = await call(ward.baseUrl, 'GET', `/dossiers/${unknownCode}`, { headers: { 'X-Dossier-Secret': body.secret } });

    expect(withSecret.status).toBe(200);
    expect(withSecret.body.applicant).toMatchObject({ idNumber: '001190012345', phone: '+84912345678' });
    expect(withSecret.body.history).toHaveLength(1);
    expect(withSecret.body.attachments[0]?.fileName).toBe('tờ khai xác nhận.pdf');
    for (const refused of [wrongSecret, noSecret, unknown]) {
      expect(refused.status).toBe(404);
      const { instance: _instance, ...rest } = refused.body;
      const { instance: _other, ...expected } = wrongSecret.body;
      expect(rest).toEqual(expected);
    }
  });

  it('stops a submitted dossier at once when the citizen withdraws it (national code 8)', async () => {
    const { body } = await submit(maritalStatusSubmission(await freshUpload()));

    const withdrawn = await call<{ status: string; statusCode: number }>(ward.baseUrl, 'POST', `/dossiers/${body.code}/withdraw`, {
      headers: { 'X-Dossier-Secret': body.secret },
    });
    const again = await call(ward.baseUrl, 'POST', `/dossiers/${body.code}/withdraw`, { headers: { 'X-Dossier-Secret': body.secret } });
    const status = await call<{ statusCode: number }>(ward.baseUrl, 'GET', `/dossiers/${body.code}/status`);

    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'STOPPED', statusCode: 8 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INVALID_TRANSITION');
    expect(status.body.statusCode).toBe(8);
  });
});

describe('idempotency and the daily sequence under concurrency', () => {
  it('makes exactly one dossier from 30 concurrent submissions with one Idempotency-Key, with no 5xx', async () => {
    const key = newIdempotencyKey();
    const body = maritalStatusSubmission(await freshUpload());
    const before = await ward.tableKeys();

    const responses = await Promise.all(Array.from({ length: 30 }, () => submit(body, key)));

    const after = await ward.tableKeys();
    const newDossiers = after.filter((k) => k.endsWith('|DOSSIER') && !before.includes(k));
    expect(responses.map((r) => r.status).filter((s) => s >= 500)).toEqual([]);
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(new Set(responses.map((r) => r.body.code)).size).toBe(1);
    expect(new Set(responses.map((r) => r.body.secret)).size).toBe(1);
    expect(newDossiers).toHaveLength(1);
  });

  it('makes one dossier per round from 10 rounds of 30 concurrent same-key submissions, each with a fresh upload, with no 5xx', async () => {
    for (let round = 1; round <= 10; round += 1) {
      const key = newIdempotencyKey();
      const body = maritalStatusSubmission(await freshUpload(`to-khai-${round}.pdf`));
      const before = await ward.tableKeys();

      const responses = await Promise.all(Array.from({ length: 30 }, () => submit(body, key)));

      const newDossiers = (await ward.tableKeys()).filter((k) => k.endsWith('|DOSSIER') && !before.includes(k));
      expect(responses.filter((r) => r.status >= 500).map((r) => [r.status, r.body])).toEqual([]);
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      expect(responses.filter((r) => r.status === 200)).toHaveLength(29);
      expect(new Set(responses.map((r) => r.body.code)).size).toBe(1);
      expect(newDossiers).toHaveLength(1);
    }
  }, 300_000);

  it('refuses the same Idempotency-Key with another body (422) and writes nothing', async () => {
    const key = newIdempotencyKey();
    const file = await freshUpload();
    await submit(maritalStatusSubmission(file), key);
    const before = await ward.tableKeys();

    const reused = await submit(maritalStatusSubmission(file, { fullyOnline: false }), key);

    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await ward.tableKeys()).toEqual(before);
  });

  it("gives 40 concurrent distinct submissions 40 distinct numbers, the day's numbers staying gapless", async () => {
    const files = await Promise.all(Array.from({ length: 40 }, (_, i) => freshUpload(`to-khai-${i}.pdf`)));

    const responses = await Promise.all(files.map((file) => submit(maritalStatusSubmission(file))));

    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 40 }, () => 201));
    const sequences = responses.map((r) => sequenceOf(r.body.code));
    expect(new Set(sequences).size).toBe(40);
    // The numbers given back by earlier requests (the concurrent retries above) are taken first, so
    // the forty fill those and continue the counter: the day's dossiers are 1..N, each number once.
    const day = responses[0]?.body.code.split('-').slice(0, -1).join('-') ?? '';
    const ofTheDay = (await ward.tableKeys()).filter((key) => key.startsWith(`DOSSIER#${day}-`) && key.endsWith('|DOSSIER')).map((key) => sequenceOf(key.split('|')[0] ?? ''));
    expect(ofTheDay.sort((a, b) => a - b)).toEqual(Array.from({ length: ofTheDay.length }, (_, i) => i + 1));
    expect(ofTheDay).toEqual(expect.arrayContaining(sequences));
  });
});

describe('bad input', () => {
  const valid = () => maritalStatusSubmission(uploadId);
  const cases: { name: string; request: () => { body?: unknown; rawBody?: string; headers?: Record<string, string> }; status: number; code: string }[] = [
    { name: 'malformed JSON', request: () => ({ rawBody: '{"procedureCode": ' }), status: 400, code: 'MALFORMED_JSON' },
    {
      name: 'a wrong content type',
      request: () => ({ rawBody: JSON.stringify(valid()), headers: { 'Content-Type': 'text/plain' } }),
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    {
      name: 'an invalid personal ID number',
      request: () => ({ body: { ...valid(), applicant: { ...valid().applicant, idNumber: '12345' } } }),
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'an invalid phone',
      request: () => ({ body: { ...valid(), applicant: { ...valid().applicant, phone: '0241234567' } } }),
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    { name: 'an empty name', request: () => ({ body: { ...valid(), applicant: { ...valid().applicant, fullName: '   ' } } }), status: 400, code: 'VALIDATION_FAILED' },
    {
      name: 'a name the e-copy could not print',
      request: () => ({ body: { ...valid(), applicant: { ...valid().applicant, fullName: 'Nguyễn Thị Hoa 🌸' } } }),
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    { name: 'an unknown procedure', request: () => ({ body: { ...valid(), procedureCode: '9.999999' } }), status: 400, code: 'UNKNOWN_PROCEDURE' },
    {
      name: 'an unknown upload',
      request: () => ({ body: { ...valid(), attachments: [{ uploadId: '00000000-0000-4000-8000-000000000000', documentId: 'to-khai-xac-nhan-tthn' }] } }),
      status: 400,
      code: 'UNKNOWN_UPLOAD',
    },
    { name: 'a field the citizen may not set', request: () => ({ body: { ...valid(), status: 'RESOLVED' } }), status: 400, code: 'VALIDATION_FAILED' },
    { name: 'a missing required document', request: () => ({ body: { ...valid(), attachments: [] } }), status: 400, code: 'MISSING_DOCUMENTS' },
    {
      name: 'a 2 MB body',
      request: () => ({ body: { ...valid(), formData: { purpose: 'x'.repeat(2 * 1024 * 1024), maritalStatus: 'Chưa kết hôn' } } }),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    { name: 'a missing Idempotency-Key', request: () => ({ body: valid(), headers: { 'Idempotency-Key': '' } }), status: 400, code: 'VALIDATION_FAILED' },
  ];

  it.each(cases)('answers $name with a $status problem and writes nothing', async ({ request, status, code }) => {
    const before = await ward.tableKeys();
    const { headers, ...rest } = request();

    // Signed in as the valid applicant: the body's own values are what is refused.
    const response = await call(ward.baseUrl, 'POST', '/dossiers', {
      ...rest,
      headers: { ...(await signedInAs(valid().applicant)), 'Idempotency-Key': newIdempotencyKey(), ...headers },
    });

    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status, code });
    expect(typeof response.body.title).toBe('string');
    expect(await ward.tableKeys()).toEqual(before);
  });

  it('explains a validation failure field by field, in English when asked', async () => {
    const body = { ...valid(), applicant: { ...valid().applicant, idNumber: '000190012345', phone: 'abc' } };

    const response = await call<{ errors: { path: string; message: string }[]; detail: string }>(ward.baseUrl, 'POST', '/dossiers', {
      body,
      headers: { ...(await signedInAs(valid().applicant)), 'Idempotency-Key': newIdempotencyKey(), 'Accept-Language': 'en-US,en;q=0.9' },
    });

    expect(response.status).toBe(400);
    expect(response.body.errors.map((e) => e.path).sort()).toEqual(['body.applicant.idNumber', 'body.applicant.phone']);
    expect(response.body.errors.find((e) => e.path === 'body.applicant.idNumber')?.message).toMatch(/province/i);
    expect(response.body.detail).toMatch(/not valid/);
  });

  it('refuses an upload of a type or size the ward does not accept', async () => {
    const exe = await call(ward.baseUrl, 'POST', '/uploads', { body: { fileName: 'virus.exe', contentType: 'application/x-msdownload', size: 10 } });
    const huge = await call(ward.baseUrl, 'POST', '/uploads', { body: { fileName: 'scan.pdf', contentType: 'application/pdf', size: 11 * 1024 * 1024 } });

    expect(exe.status).toBe(400);
    expect(huge.status).toBe(400);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await call(ward.baseUrl, 'GET', '/no-such-route');

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('the API document', () => {
  it('is served as OpenAPI 3 with every citizen route', async () => {
    const response = await call<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(ward.baseUrl, 'GET', '/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/procedures', '/procedures/{procedureCode}', '/dossiers', '/dossiers/{code}/status', '/dossiers/{code}', '/uploads']),
    );
  });
});
