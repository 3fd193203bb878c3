import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localWard } from '../../local/ward-environment';
import type { WardConfig } from '../../shared/domain/ward-config';
import { startLocalWard, type LocalWard } from '../support/local-ward';
import { call, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile } from './citizen-client';

/**
 * The ward's request limits over HTTP against the local ward: a ward whose limits are small
 * enough to reach (every request comes from 127.0.0.1).
 */
const LIMITS: WardConfig['limits'] = {
  ...localWard(undefined).limits,
  submissionsPerIdNumberPerDay: 3,
  submissionsPerSourcePerHour: 100,
  uploadsPerSourcePerHour: 8,
};
const ID_NUMBER = '001190012345';
const OTHER_ID_NUMBER = '001190054321';

let ward: LocalWard;

beforeAll(async () => {
  ward = await startLocalWard({ ward: { ...localWard(undefined), limits: LIMITS } });
});

afterAll(async () => {
  await ward.stop();
});

const upload = () => uploadFile(ward.baseUrl, { name: 'tờ khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });

function submission(uploadId: string, idNumber: string) {
  const body = maritalStatusSubmission(uploadId);
  return { ...body, applicant: { ...body.applicant, idNumber } };
}

const submit = (body: unknown, key = newIdempotencyKey()) =>
  call<{ code: string; status: number; detail: string }>(ward.baseUrl, 'POST', '/dossiers', { body, headers: { 'Idempotency-Key': key, 'Accept-Language': 'en' } });

const isProblem = (headers: Headers) => (headers.get('content-type') ?? '').startsWith('application/problem+json');

describe('the limits of the public write routes', () => {
  it("refuses the submission after the day's limit for one ID number with 429 and Retry-After, writing nothing, and still takes another ID number and retries", async () => {
    const uploads = [await upload(), await upload(), await upload(), await upload()];
    const first = { body: submission(uploads[0] ?? '', ID_NUMBER), key: newIdempotencyKey() };
    const accepted = [await submit(first.body, first.key), await submit(submission(uploads[1] ?? '', ID_NUMBER)), await submit(submission(uploads[2] ?? '', ID_NUMBER))];
    expect(accepted.map((response) => response.status)).toEqual([201, 201, 201]);
    const before = await ward.tableKeys();

    const refused = await submit(submission(uploads[3] ?? '', ID_NUMBER));

    expect(refused.status).toBe(429);
    expect(isProblem(refused.headers)).toBe(true);
    expect(refused.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(24 * 3600);
    expect(refused.body.detail).toContain(String(retryAfter));
    expect(await ward.tableKeys()).toEqual(before);

    // A retry of an accepted submission is the same submission: answered, not refused.
    const retried = await submit(first.body, first.key);
    expect(retried.status).toBe(200);
    expect(retried.body.code).toBe(accepted[0]?.body.code);

    // Another person, with the very upload the refused submission named: accepted.
    const other = await submit(submission(uploads[3] ?? '', OTHER_ID_NUMBER));
    expect(other.status).toBe(201);
  });

  it("refuses presigned uploads past the hour's limit for one client address with 429 and Retry-After, writing nothing", async () => {
    // The test above asked for four.
    for (let index = 0; index < LIMITS.uploadsPerSourcePerHour - 4; index += 1) await upload();
    const before = await ward.tableKeys();

    const refused = await call(ward.baseUrl, 'POST', '/uploads', { body: { fileName: 'tờ khai.pdf', contentType: 'application/pdf', size: SAMPLE_PDF.length } });

    expect(refused.status).toBe(429);
    expect(isProblem(refused.headers)).toBe(true);
    expect(refused.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(await ward.tableKeys()).toEqual(before);
  });
});
