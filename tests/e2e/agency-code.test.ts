import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officerToken, startLocalWard, suiteWard, type LocalWard } from '../support/local-ward';
import { call, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile } from './citizen-client';

/**
 * A ward deployed as every ward of the data file is until its agency code is confirmed: the code
 * a placeholder, and no override. It serves everything but a new dossier, whose code would begin
 * with the placeholder for good.
 */
let ward: LocalWard;

beforeAll(async () => {
  ward = await startLocalWard({ ward: { ...suiteWard(), agencyCodeConfirmed: false, allowUnconfirmedAgencyCode: false } });
});

afterAll(async () => {
  await ward.stop();
});

type Problem = { code: string; status: number; detail: string };

const dossierKeys = async () => (await ward.tableKeys()).filter((key) => key.includes('DOSSIER'));

describe('a ward whose agency code is unconfirmed', () => {
  it('refuses an online submission with 409 AGENCY_CODE_UNCONFIRMED, writing no dossier', async () => {
    const before = await dossierKeys();
    const upload = await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });

    const response = await call<Problem>(ward.baseUrl, 'POST', '/dossiers', {
      body: maritalStatusSubmission(upload),
      headers: { 'Idempotency-Key': newIdempotencyKey(), 'Accept-Language': 'en' },
    });

    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ code: 'AGENCY_CODE_UNCONFIRMED', status: 409 });
    expect(response.body.detail).toContain(ward.ward.agencyCode);
    expect(await dossierKeys()).toEqual(before);
  });

  it('refuses a dossier taken at the counter the same way, in Vietnamese by default', async () => {
    const before = await dossierKeys();
    const reception = await officerToken({ roles: ['reception'], name: 'Lê Thị Tiếp Nhận' });

    const response = await call<Problem>(ward.baseUrl, 'POST', '/officer/dossiers', {
      body: { ...maritalStatusSubmission('unused'), fullyOnline: undefined, attachments: [], documentsReceived: ['to-khai-xac-nhan-tthn'] },
      headers: { Authorization: `Bearer ${reception}`, 'Idempotency-Key': newIdempotencyKey() },
    });

    expect(response.status).toBe(409);
    expect(response.body.code).toBe('AGENCY_CODE_UNCONFIRMED');
    expect(response.body.detail).toContain('chưa được xác nhận');
    expect(await dossierKeys()).toEqual(before);
  });

  it('still serves its catalog and its API description, which lists the refusal on both routes', async () => {
    const catalog = await call<{ count: number }>(ward.baseUrl, 'GET', '/procedures');
    const openapi = await call<{ paths: Record<string, Record<string, { responses: Record<string, { 'x-problem-codes'?: string[] }> }>> }>(ward.baseUrl, 'GET', '/openapi.json');

    expect(catalog.status).toBe(200);
    expect(catalog.body.count).toBeGreaterThan(0);
    expect(openapi.body.paths['/dossiers']?.post?.responses['409']?.['x-problem-codes']).toContain('AGENCY_CODE_UNCONFIRMED');
    expect(openapi.body.paths['/officer/dossiers']?.post?.responses['409']?.['x-problem-codes']).toContain('AGENCY_CODE_UNCONFIRMED');
  });
});
