import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CITIZEN_CLIENT_ID, LOCAL_CITIZEN_ISSUER } from '../../local/citizen-tokens';
import { localOfficerProviderPath } from '../../local/identity-providers';
import { LOCAL_OFFICER_CLIENT_ID, localOfficerIssuer } from '../../local/officer-tokens';
import { TEST_CITIZENS, TEST_OFFICERS } from '../../local/test-accounts';
import { CITIZEN_PAGES, OFFICER_PAGES } from '../../shared/api/portal-paths';
import { PortalConfigSchema } from '../../shared/api/portal-config';
import { OidcFlow } from '../support/oidc-flow';
import { citizenToken, startLocalWard, type LocalWard } from '../support/local-ward';
import { call, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile } from './citizen-client';

/**
 * Sign-in over HTTP against the local ward: the local identity providers (oidc-provider) for
 * citizens and officers, the authorization-code flow with PKCE as the front end runs it, and the
 * API's checks of the ID tokens it is sent.
 */
let ward: LocalWard;
let keyDirectory: string;

beforeAll(async () => {
  keyDirectory = await mkdtemp(join(tmpdir(), 'citizen-key-'));
  ward = await startLocalWard({ citizenSigningKeyFile: join(keyDirectory, 'citizen-signing-key.json') });
});

afterAll(async () => {
  await ward.stop();
  await rm(keyDirectory, { recursive: true, force: true });
});

const HOA = TEST_CITIZENS[0] ?? { idNumber: '001190012345', fullName: 'Nguyễn Thị Hoa', phone: '+84912345678' };
const MINH = TEST_CITIZENS[1] ?? { idNumber: '001085004321', fullName: 'Trần Văn Minh', phone: '+84987654321' };
const RECEPTION = TEST_OFFICERS.find((officer) => officer.roles.includes('reception'));

const citizenFlow = () =>
  new OidcFlow({
    providerUrl: `${ward.baseUrl}/local-vneid`,
    clientId: LOCAL_CITIZEN_CLIENT_ID,
    redirectUri: `${ward.baseUrl}${CITIZEN_PAGES.signInDone}`,
    scope: 'openid profile phone',
  });
const officerFlow = () =>
  new OidcFlow({
    providerUrl: `${ward.baseUrl}${localOfficerProviderPath(ward.ward.slug)}`,
    clientId: LOCAL_OFFICER_CLIENT_ID,
    redirectUri: `${ward.baseUrl}${OFFICER_PAGES.signInDone}`,
    scope: 'openid email profile',
  });

/** An online submission with only what a token lacks in its applicant block. */
async function submitSignedIn(token: string | undefined, applicant: Record<string, string> = { email: 'hoa.nguyen@example.vn' }) {
  const upload = await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
  return call<{ code: string; secret: string; errors?: { path: string }[] }>(ward.baseUrl, 'POST', '/dossiers', {
    body: maritalStatusSubmission(upload, { applicant }),
    headers: { 'Idempotency-Key': newIdempotencyKey(), ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }) },
    signIn: false,
  });
}

describe('the local citizen provider (authorization code with PKCE)', () => {
  it('signs a listed test citizen in and issues an ID token the API takes as the applicant', async () => {
    const token = await citizenFlow().signIn({ account: HOA.idNumber });

    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: LOCAL_CITIZEN_ISSUER, aud: LOCAL_CITIZEN_CLIENT_ID, id_number: HOA.idNumber, name: HOA.fullName, phone_number: HOA.phone });
    const submitted = await submitSignedIn(token);
    expect(submitted.status).toBe(201);
    const dossier = await call<{ applicant: Record<string, string> }>(ward.baseUrl, 'GET', `/dossiers/${submitted.body.code}`, {
      headers: { 'X-Dossier-Secret': submitted.body.secret },
    });
    expect(dossier.body.applicant).toMatchObject({ fullName: HOA.fullName, email: 'hoa.nguyen@example.vn' });
  });

  it('shows its sign-in page in Vietnamese, with labels and no script, and refuses a custom citizen with an invalid ID number', async () => {
    const started = await citizenFlow().start();
    if (started.kind !== 'page') throw new Error('no sign-in page');
    expect(started.page.status).toBe(200);
    expect(started.page.html).toContain('<html lang="vi">');
    expect(started.page.html).not.toMatch(/<script/i);
    for (const field of ['idNumber', 'fullName', 'phone']) expect(started.page.html).toContain(`<label for="${field}">`);
    for (const person of TEST_CITIZENS) expect(started.page.html).toContain(person.fullName);

    const refused = await started.page.submit({ idNumber: '000190012345', fullName: 'Phan Văn Khải', phone: '0912000111' });

    if (refused.kind !== 'page') throw new Error('an invalid ID number was accepted');
    expect(refused.page.status).toBe(400);
    expect(refused.page.html).toContain('href="#idNumber"');
    expect(refused.page.html).toContain('aria-invalid="true"');
  });

  it('signs a custom citizen in with the ID number, name and phone typed on its page', async () => {
    const token = await citizenFlow().signIn({ idNumber: '036095001122', fullName: 'Phan Văn Khải', phone: '0912 000 111' });

    expect(decodeJwt(token)).toMatchObject({ id_number: '036095001122', name: 'Phan Văn Khải', phone_number: '+84912000111' });
  });

  it('requires PKCE: an authorization request without a code challenge is sent back with an error', async () => {
    const flow = citizenFlow();
    const started = await flow.start({ code_challenge: undefined, code_challenge_method: undefined });

    if (started.kind !== 'redirected') throw new Error('the provider went on without PKCE');
    expect(started.location.searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses to exchange the code without the right PKCE verifier', async () => {
    const flow = citizenFlow();
    const started = await flow.start();
    if (started.kind !== 'page') throw new Error('no sign-in page');
    const signedIn = await started.page.submit({ account: HOA.idNumber });
    if (signedIn.kind !== 'redirected') throw new Error('not signed in');

    const exchanged = await flow.exchange(signedIn.location, 'x'.repeat(64));

    expect(exchanged.status).toBe(400);
    expect(exchanged.body.error).toBe('invalid_grant');
  });
});

describe('the local officer provider', () => {
  it("signs a test officer in with their password, an ID token shaped like Cognito's that opens the officer routes", async () => {
    if (RECEPTION === undefined) throw new Error('no reception officer among the test accounts');
    const token = await officerFlow().signIn({ username: RECEPTION.username, password: RECEPTION.password });

    expect(decodeJwt(token)).toMatchObject({
      iss: localOfficerIssuer(ward.ward.slug),
      aud: LOCAL_OFFICER_CLIENT_ID,
      token_use: 'id',
      'custom:ward': ward.ward.slug,
      'cognito:groups': ['reception'],
    });
    const worklist = await call(ward.baseUrl, 'GET', '/officer/dossiers', { headers: { Authorization: `Bearer ${token}` } });
    expect(worklist.status).toBe(200);
  });

  it('refuses a wrong password on its page', async () => {
    const started = await officerFlow().start();
    if (started.kind !== 'page') throw new Error('no sign-in page');

    const refused = await started.page.submit({ username: RECEPTION?.username ?? 'tiepnhan', password: 'wrong' });

    if (refused.kind !== 'page') throw new Error('a wrong password was accepted');
    expect(refused.page.status).toBe(400);
    expect(refused.page.html).toContain('role="alert"');
  });
});

describe('online submissions need a citizen sign-in', () => {
  const expectRefused = (response: { status: number; headers: Headers; body: Record<string, unknown> }, code: string) => {
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(response.body.code).toBe(code);
  };

  it('refuses an unsigned submission with 401 and writes nothing', async () => {
    const before = await ward.tableKeys();
    const response = await submitSignedIn(undefined, { fullName: HOA.fullName, idNumber: HOA.idNumber, phone: HOA.phone });

    expectRefused(response, 'SIGN_IN_REQUIRED');
    // Only the upload's own records may be new.
    expect((await ward.tableKeys()).filter((key) => key.startsWith('DOSSIER#'))).toEqual(before.filter((key) => key.startsWith('DOSSIER#')));
  });

  it.each([
    { name: 'another issuer', options: { issuer: 'https://vneid.example.vn' } },
    { name: 'another audience', options: { audience: 'someone-elses-app' } },
    { name: 'a bad signature', options: { signWithOtherKey: true } },
    { name: 'an expired token', options: { expiresIn: -60 } },
  ])('refuses a token with $name with 401', async ({ options }) => {
    const token = await citizenToken({ ...HOA, ...options });

    expectRefused(await submitSignedIn(token), 'SIGN_IN_INVALID');
  });

  it('refuses a token whose ID number is not a valid one, and a header that is not a bearer token', async () => {
    expectRefused(await submitSignedIn(await citizenToken({ ...HOA, idNumber: '000190012345' })), 'SIGN_IN_INVALID');
    const basic = await call(ward.baseUrl, 'POST', '/dossiers', { body: {}, headers: { Authorization: 'Basic YTpi', 'Idempotency-Key': newIdempotencyKey() }, signIn: false });
    expectRefused(basic, 'SIGN_IN_INVALID');
  });

  it("refuses a body whose applicant is someone else than the token's (400), naming the field", async () => {
    const token = await citizenToken(HOA);

    const response = await submitSignedIn(token, { idNumber: MINH.idNumber, email: 'hoa.nguyen@example.vn' });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'APPLICANT_NOT_SIGNED_IN_PERSON' });
    expect(response.body.errors?.map((error) => error.path)).toEqual(['body.applicant.idNumber']);
  });

  it('takes a body that repeats what the token says', async () => {
    const response = await submitSignedIn(await citizenToken(HOA), { idNumber: HOA.idNumber, fullName: HOA.fullName, phone: '0912345678' });

    expect(response.status).toBe(201);
  });

  it('asks for the phone in the body when the token has none', async () => {
    const token = await citizenToken({ idNumber: MINH.idNumber, fullName: MINH.fullName });

    const without = await submitSignedIn(token, {});
    const withPhone = await submitSignedIn(token, { phone: '0987654321' });

    expect(without.status).toBe(400);
    expect(without.body.errors?.map((error) => error.path)).toEqual(['body.applicant.phone']);
    expect(withPhone.status).toBe(201);
  });

  it('takes the token printed by npm run citizen-token', async () => {
    const { stdout } = await promisify(execFile)(
      'npx',
      [
        'tsx',
        'local/issue-citizen-token.ts',
        '--id-number',
        HOA.idNumber,
        '--name',
        HOA.fullName,
        '--phone',
        '0912345678',
        '--key-file',
        join(keyDirectory, 'citizen-signing-key.json'),
      ],
      { cwd: process.cwd() },
    );

    const response = await submitSignedIn(stdout.trim());

    expect(response.status).toBe(201);
  });
});

describe('/config.json', () => {
  it("gives the front end both providers' endpoints on this origin", async () => {
    const response = await fetch(`${ward.baseUrl}/config.json`);
    const config = PortalConfigSchema.parse(await response.json());

    expect(config.citizenSignIn).toMatchObject({ issuer: LOCAL_CITIZEN_ISSUER, clientId: LOCAL_CITIZEN_CLIENT_ID, redirectPath: CITIZEN_PAGES.signInDone });
    expect(config.officerSignIn).toMatchObject({ issuer: localOfficerIssuer(ward.ward.slug), clientId: LOCAL_OFFICER_CLIENT_ID, redirectPath: OFFICER_PAGES.signInDone });
    const discovery = (await (await fetch(`${ward.baseUrl}/local-vneid/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery.authorization_endpoint).toBe(config.citizenSignIn.authorizationEndpoint);
    expect(discovery.token_endpoint).toBe(config.citizenSignIn.tokenEndpoint);
  });
});
