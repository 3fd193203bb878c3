import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenToken, startLocalWard, type LocalWard } from '../support/local-ward';
import { call, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile } from './citizen-client';

/** A ward whose pilot switch accepts unsigned online submissions; a token that is sent must still be valid. */
let ward: LocalWard;

beforeAll(async () => {
  ward = await startLocalWard({ unsignedOnlineSubmissions: true });
});

afterAll(async () => {
  await ward.stop();
});

async function submit(headers: Record<string, string>, applicant: Record<string, string>) {
  const upload = await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
  return call<{ code: string; errors?: { path: string }[] }>(ward.baseUrl, 'POST', '/dossiers', {
    body: maritalStatusSubmission(upload, { applicant }),
    headers: { 'Idempotency-Key': newIdempotencyKey(), ...headers },
    signIn: false,
  });
}

const HOA = { fullName: 'Nguyễn Thị Hoa', idNumber: '001190012345', phone: '0912345678' };

describe("a ward's unsigned pilot", () => {
  it('takes an unsigned submission whose applicant block is complete (201)', async () => {
    const response = await submit({}, HOA);

    expect(response.status).toBe(201);
  });

  it('still wants the whole applicant block from an unsigned submission', async () => {
    const response = await submit({}, { fullName: HOA.fullName });

    expect(response.status).toBe(400);
    expect(response.body.errors?.map((error) => error.path).sort()).toEqual(['body.applicant.idNumber', 'body.applicant.phone']);
  });

  it('still refuses a token that does not verify (401)', async () => {
    const token = await citizenToken({ ...HOA, expiresIn: -60 });

    const response = await submit({ Authorization: `Bearer ${token}` }, HOA);

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('takes a signed-in submission as well', async () => {
    const response = await submit({ Authorization: `Bearer ${await citizenToken(HOA)}` }, { email: 'hoa.nguyen@example.vn' });

    expect(response.status).toBe(201);
  });
});
