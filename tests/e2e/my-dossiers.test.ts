import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenToken, startLocalWard, type LocalWard } from '../support/local-ward';
import { call, maritalStatusSubmission, MARITAL_STATUS_CODE, newIdempotencyKey, SAMPLE_PDF, uploadFile } from './citizen-client';

/**
 * A signed-in citizen's own dossiers over HTTP: opened without the secret, listed from the
 * byApplicant index, and prefilled from earlier dossiers; never another citizen's.
 */
let ward: LocalWard;

const HOA = { idNumber: '001190012345', fullName: 'Nguyễn Thị Hoa', phone: '0912345678' };
const MINH = { idNumber: '001085004321', fullName: 'Trần Văn Minh', phone: '0987654321' };
const bearer = async (person: typeof HOA) => ({ Authorization: `Bearer ${await citizenToken(person)}` });

/** Codes of the dossiers each citizen submitted here, oldest first. */
const submitted: Record<string, { code: string; secret: string }[]> = { hoa: [], minh: [] };

async function submitAs(person: typeof HOA, applicant: Record<string, string>, formData: Record<string, string>) {
  const upload = await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
  const response = await call<{ code: string; secret: string }>(ward.baseUrl, 'POST', '/dossiers', {
    body: maritalStatusSubmission(upload, { applicant, formData }),
    headers: { ...(await bearer(person)), 'Idempotency-Key': newIdempotencyKey() },
  });
  if (response.status !== 201) throw new Error(`submission answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

beforeAll(async () => {
  ward = await startLocalWard();
  submitted.hoa?.push(await submitAs(HOA, { email: 'hoa.cu@example.vn' }, { purpose: 'Đăng ký kết hôn', maritalStatus: 'Chưa kết hôn' }));
  submitted.hoa?.push(
    await submitAs(HOA, { email: 'hoa.nguyen@example.vn', address: 'Số 12 phố Hàng Bạc, Hà Nội' }, { purpose: 'Bổ túc hồ sơ vay vốn', maritalStatus: 'Chưa kết hôn' }),
  );
  submitted.hoa?.push(await submitAs(HOA, {}, { purpose: 'Mua bán nhà đất', maritalStatus: 'Chưa kết hôn' }));
  submitted.minh?.push(await submitAs(MINH, {}, { purpose: 'Đăng ký kết hôn', maritalStatus: 'Đã ly hôn' }));
});

afterAll(async () => {
  await ward.stop();
});

const codes = (list: { code: string; secret: string }[] | undefined) => (list ?? []).map((dossier) => dossier.code);

describe('GET /me/dossiers', () => {
  it("lists only the caller's dossiers, newest first", async () => {
    const response = await call<{ items: { code: string; procedureCode: string; status: string }[]; nextCursor: string | null }>(ward.baseUrl, 'GET', '/me/dossiers', {
      headers: await bearer(HOA),
    });

    expect(response.status).toBe(200);
    expect(response.body.items.map((item) => item.code)).toEqual(codes(submitted.hoa).reverse());
    expect(response.body.items[0]).toMatchObject({ procedureCode: MARITAL_STATUS_CODE, status: 'SUBMITTED' });
    expect(response.body.nextCursor).toBeNull();
  });

  it('pages with an opaque cursor, each dossier once', async () => {
    const headers = await bearer(HOA);
    const first = await call<{ items: { code: string }[]; nextCursor: string | null }>(ward.baseUrl, 'GET', '/me/dossiers?limit=2', { headers });
    const second = await call<{ items: { code: string }[]; nextCursor: string | null }>(ward.baseUrl, 'GET', `/me/dossiers?limit=2&cursor=${first.body.nextCursor ?? ''}`, {
      headers,
    });

    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect([...first.body.items, ...second.body.items].map((item) => item.code)).toEqual(codes(submitted.hoa).reverse());
    expect(second.body.nextCursor).toBeNull();
  });

  it("refuses another citizen's cursor (400) rather than continuing their list", async () => {
    const theirs = await call<{ nextCursor: string | null }>(ward.baseUrl, 'GET', '/me/dossiers?limit=1', { headers: await bearer(HOA) });

    const response = await call(ward.baseUrl, 'GET', `/me/dossiers?cursor=${theirs.body.nextCursor ?? ''}`, { headers: await bearer(MINH) });

    expect(response.status).toBe(400);
  });

  it('wants a sign-in (401 with WWW-Authenticate)', async () => {
    const response = await call(ward.baseUrl, 'GET', '/me/dossiers');

    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'SIGN_IN_REQUIRED' });
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});

describe('GET /me/prefill', () => {
  it('gives the applicant block from the token and the latest contact details and form values of earlier dossiers', async () => {
    const response = await call<{ applicant: Record<string, string>; formData: Record<string, string>; sources: Record<string, string> }>(
      ward.baseUrl,
      'GET',
      `/me/prefill?procedureCode=${MARITAL_STATUS_CODE}`,
      { headers: await bearer(HOA) },
    );

    expect(response.status).toBe(200);
    expect(response.body.applicant).toEqual({
      idNumber: HOA.idNumber,
      fullName: HOA.fullName,
      phone: '+84912345678',
      email: 'hoa.nguyen@example.vn',
      address: 'Số 12 phố Hàng Bạc, Hà Nội',
    });
    expect(response.body.formData).toEqual({ purpose: 'Mua bán nhà đất', maritalStatus: 'Chưa kết hôn' });
    expect(response.body.sources.purpose).toBe(codes(submitted.hoa).at(-1));
  });

  it("never mixes in another citizen's values", async () => {
    const response = await call<{ formData: Record<string, string>; applicant: Record<string, string> }>(ward.baseUrl, 'GET', `/me/prefill?procedureCode=${MARITAL_STATUS_CODE}`, {
      headers: await bearer(MINH),
    });

    expect(response.body.formData).toEqual({ purpose: 'Đăng ký kết hôn', maritalStatus: 'Đã ly hôn' });
    expect(response.body.applicant.email).toBeUndefined();
  });

  it('answers 404 for a procedure not in the catalog', async () => {
    const response = await call(ward.baseUrl, 'GET', '/me/prefill?procedureCode=9.999999', { headers: await bearer(HOA) });

    expect(response.status).toBe(404);
  });
});

describe("the citizen's dossier routes with a sign-in instead of the secret", () => {
  it("open the applicant's own dossier and its documents without X-Dossier-Secret", async () => {
    const code = codes(submitted.hoa)[0] ?? '';
    const headers = await bearer(HOA);

    const dossier = await call<{ code: string }>(ward.baseUrl, 'GET', `/dossiers/${code}`, { headers });
    const documents = await call(ward.baseUrl, 'GET', `/dossiers/${code}/documents`, { headers });

    expect(dossier.status).toBe(200);
    expect(dossier.body.code).toBe(code);
    expect(documents.status).toBe(200);
  });

  it("answer another citizen's sign-in as an unknown dossier (404), and change nothing", async () => {
    const code = codes(submitted.hoa)[1] ?? '';
    const headers = await bearer(MINH);
    const before = await call<{ status: string }>(ward.baseUrl, 'GET', `/dossiers/${code}/status`);

    const read = await call(ward.baseUrl, 'GET', `/dossiers/${code}`, { headers });
    const withdrawn = await call<{ code: string }>(ward.baseUrl, 'POST', `/dossiers/${code}/withdraw`, { headers });
    const unknown = await call(ward.baseUrl, 'GET', `/dossiers/${code.replace(/\d{4}$/, '9999')}`, { headers });

    expect(read.status).toBe(404);
    expect(withdrawn.status).toBe(404);
    expect(read.body).toEqual({ ...unknown.body, instance: read.body.instance });
    expect((await call<{ status: string }>(ward.baseUrl, 'GET', `/dossiers/${code}/status`)).body.status).toBe(before.body.status);
  });

  it('let the applicant withdraw with the sign-in alone', async () => {
    const code = codes(submitted.hoa)[2] ?? '';

    const withdrawn = await call<{ status: string }>(ward.baseUrl, 'POST', `/dossiers/${code}/withdraw`, { headers: await bearer(HOA) });

    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('STOPPED');
  });

  it('still open with the secret alone, and refuse an invalid token even beside it', async () => {
    const { code, secret } = submitted.minh?.[0] ?? { code: '', secret: '' };

    const bySecret = await call(ward.baseUrl, 'GET', `/dossiers/${code}`, { headers: { 'X-Dossier-Secret': secret } });
    const expired = await call(ward.baseUrl, 'GET', `/dossiers/${code}`, {
      headers: { 'X-Dossier-Secret': secret, Authorization: `Bearer ${await citizenToken({ ...MINH, expiresIn: -60 })}` },
    });

    expect(bySecret.status).toBe(200);
    expect(expired.status).toBe(401);
  });
});
