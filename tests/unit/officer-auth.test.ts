import { stat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import {
  createOfficerSigningKey,
  issueOfficerToken,
  localOfficerAuthorizer,
  LOCAL_OFFICER_CLIENT_ID,
  localOfficerIssuer,
  OfficerTokenRefused,
  parseDuration,
  readOrCreateOfficerSigningKey,
  verifyOfficerToken,
  type OfficerSigningKey,
} from '../../local/officer-tokens';
import { ForbiddenError, UnauthorizedError } from '../../shared/domain/errors';
import type * as OfficerModule from '../../shared/runtime/officer';
import type { RouteDefinition } from '../../shared/runtime/routes';
import { apiEvent, jsonBody, JSON_HEADERS, lambdaContext } from '../fixtures/lambda';
import { setLambdaEnvironment, testWard } from '../fixtures/ward';

const WARD = testWard.slug;
const OTHER_WARD = 'hoan-kiem';
const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/** Claims as API Gateway's REST Cognito authorizer passes them: every value a string, groups joined by commas. */
const restClaims = (overrides: Record<string, string | undefined> = {}): Record<string, string> =>
  Object.fromEntries(
    Object.entries({
      sub: '3f6b2c1e-8d4a-4b7e-9c2f-1a5d6e7f8a9b',
      'cognito:groups': 'reception,leader',
      email_verified: 'true',
      iss: 'https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_AbCdEfGhI',
      'cognito:username': '3f6b2c1e-8d4a-4b7e-9c2f-1a5d6e7f8a9b',
      aud: '4p1ab2cd3ef4gh5ij6kl7mn8op',
      token_use: 'id',
      auth_time: '1767578400',
      name: 'Nguyễn Văn An',
      'custom:ward': WARD,
      exp: 'Mon Jan 05 03:00:00 UTC 2026',
      iat: 'Mon Jan 05 02:00:00 UTC 2026',
      email: 'an.nguyen@example.vn',
      ...overrides,
    }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );

const withClaims = (event: APIGatewayProxyEvent, claims: unknown): APIGatewayProxyEvent => ({
  ...event,
  requestContext: { ...event.requestContext, authorizer: claims === undefined ? null : { claims } },
});

let officerOf: typeof OfficerModule.officerOf;
let officerRoute: typeof OfficerModule.officerRoute;

beforeAll(async () => {
  // officer.ts reads the function's ward from the environment at import, as a Lambda does at cold start.
  setLambdaEnvironment();
  ({ officerOf, officerRoute } = await import('../../shared/runtime/officer'));
});

describe('officerOf', () => {
  it('reads the officer from the REST authorizer claims, with comma-separated groups', () => {
    const officer = officerOf(withClaims(apiEvent(), restClaims()), testWard, ['leader']);

    expect(officer).toEqual({ id: '3f6b2c1e-8d4a-4b7e-9c2f-1a5d6e7f8a9b', name: 'Nguyễn Văn An', ward: WARD, roles: ['reception', 'leader'] });
  });

  it.each([
    ['one group', 'specialist', ['specialist']],
    ['the HTTP API bracketed form', '[reception specialist]', ['reception', 'specialist']],
    ['a JSON array string', '["specialist","leader"]', ['specialist', 'leader']],
    ['commas with spaces', 'reception, specialist', ['reception', 'specialist']],
    ['groups that are no officer role, ignored', 'admins,specialist,auditors', ['specialist']],
  ])('reads cognito:groups as %s', (_form, groups, roles) => {
    const officer = officerOf(withClaims(apiEvent(), restClaims({ 'cognito:groups': groups })), testWard, ['specialist']);

    expect(officer.roles).toEqual(roles);
  });

  it('reads groups passed as a real array (a Lambda authorizer or a test may pass one)', () => {
    const officer = officerOf(withClaims(apiEvent(), { ...restClaims(), 'cognito:groups': ['leader'] }), testWard, ['leader']);

    expect(officer.roles).toEqual(['leader']);
  });

  it('names the officer by e-mail when the token has no name', () => {
    const officer = officerOf(withClaims(apiEvent(), restClaims({ name: undefined })), testWard, ['reception']);

    expect(officer.name).toBe('an.nguyen@example.vn');
  });

  it.each([
    ['no authorizer context', null],
    ['an authorizer without claims', { principalId: 'x' }],
    ['claims without sub', { claims: restClaims({ sub: undefined }) }],
    ['an empty sub', { claims: restClaims({ sub: '' }) }],
    ['an access token', { claims: restClaims({ token_use: 'access' }) }],
  ])('refuses %s with 401', (_case, authorizer) => {
    const event = apiEvent();

    expect(() => officerOf({ ...event, requestContext: { ...event.requestContext, authorizer } }, testWard, ['reception'])).toThrow(UnauthorizedError);
  });

  it("refuses a citizen's X-Dossier-Secret without a login with 401: the secret is never looked at", () => {
    const event = apiEvent({ method: 'GET', headers: { 'X-Dossier-Secret': 'ABCD-EFGH-JKMN-PQRS-TVWX' } });

    expect(() => officerOf(event, testWard, ['reception', 'specialist', 'leader'])).toThrow(UnauthorizedError);
  });

  it.each([
    ["another ward's officer", restClaims({ 'custom:ward': OTHER_WARD })],
    ['a token without a ward', restClaims({ 'custom:ward': undefined })],
    ['an officer without any group', restClaims({ 'cognito:groups': undefined })],
    ['an officer whose roles may not call the route', restClaims({ 'cognito:groups': 'reception,specialist' })],
  ])('refuses %s with 403', (_case, claims) => {
    expect(() => officerOf(withClaims(apiEvent(), claims), testWard, ['leader'])).toThrow(ForbiddenError);
  });
});

describe('officerRoute', () => {
  const ROUTES: readonly RouteDefinition[] = [
    { id: 'ApproveThing', method: 'POST', path: '/officer/things/{id}', handler: 'x', auth: 'officer', roles: ['leader'], access: {} },
    { id: 'PublicThing', method: 'GET', path: '/things', handler: 'x', auth: 'public', access: {} },
    { id: 'RolelessThing', method: 'GET', path: '/officer/things', handler: 'x', auth: 'officer', access: {} },
  ];
  const received = vi.fn();
  let approve: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

  beforeAll(() => {
    const handler = officerRoute(
      'ApproveThing',
      { body: z.object({ reason: z.string().min(3) }).strict(), params: z.object({ id: z.string().regex(/^\d+$/) }) },
      (request, officer) => {
        received({ body: request.body, params: request.params, officer });
        return Promise.resolve({ status: 200, body: { by: officer.name } });
      },
      ROUTES,
    );
    approve = (event) => handler(event, lambdaContext());
  });

  const badRequest = (headers: Record<string, string> = JSON_HEADERS) => apiEvent({ path: '/officer/things/abc', headers, body: '{"reason": 12', pathParameters: { id: 'abc' } });

  it('answers 401 before reading the request, so validation says nothing to a caller without a login', async () => {
    received.mockClear();
    const response = await approve(badRequest());

    expect(response.statusCode).toBe(401);
    expect(response.headers?.['Content-Type']).toBe(PROBLEM_JSON);
    expect(jsonBody(response)).toMatchObject({ status: 401, code: 'UNAUTHORIZED', title: 'Chưa đăng nhập' });
    expect(received).not.toHaveBeenCalled();
  });

  it('answers 403 before reading the request to an officer without the route role, or of another ward', async () => {
    received.mockClear();
    const wrongRole = await approve(withClaims(badRequest(), restClaims({ 'cognito:groups': 'reception,specialist' })));
    const otherWard = await approve(withClaims(badRequest(), restClaims({ 'custom:ward': OTHER_WARD })));

    expect([wrongRole.statusCode, otherWard.statusCode]).toEqual([403, 403]);
    expect(jsonBody(wrongRole)).toMatchObject({ code: 'FORBIDDEN' });
    expect(jsonBody(otherWard)).toMatchObject({ code: 'FORBIDDEN' });
    expect(received).not.toHaveBeenCalled();
  });

  it("ignores a citizen's X-Dossier-Secret: without a login it is 401", async () => {
    const response = await approve(badRequest({ ...JSON_HEADERS, 'X-Dossier-Secret': 'ABCD-EFGH-JKMN-PQRS-TVWX' }));

    expect(response.statusCode).toBe(401);
  });

  it('validates the request of an allowed officer, then passes the officer with the parsed request', async () => {
    received.mockClear();
    const invalid = await approve(withClaims(badRequest(), restClaims()));
    const valid = await approve(
      withClaims(apiEvent({ path: '/officer/things/42', headers: JSON_HEADERS, body: { reason: 'đủ điều kiện' }, pathParameters: { id: '42' } }), restClaims()),
    );

    expect(invalid.statusCode).toBe(400);
    expect(valid.statusCode).toBe(200);
    expect(received).toHaveBeenCalledOnce();
    expect(received).toHaveBeenCalledWith({
      body: { reason: 'đủ điều kiện' },
      params: { id: '42' },
      officer: { id: '3f6b2c1e-8d4a-4b7e-9c2f-1a5d6e7f8a9b', name: 'Nguyễn Văn An', ward: WARD, roles: ['reception', 'leader'] },
    });
  });

  it('refuses to build a handler for a route that is unknown, public, or declares no roles', () => {
    const build = (id: string) => () => officerRoute(id, {}, () => Promise.resolve({ status: 204 }), ROUTES);

    expect(build('NoSuchThing')).toThrow(/no route NoSuchThing/);
    expect(build('PublicThing')).toThrow(/not an officer route/);
    expect(build('RolelessThing')).toThrow(/declares no roles/);
  });
});

describe('local officer tokens', () => {
  let key: OfficerSigningKey;
  let otherKey: OfficerSigningKey;
  let keyDirectory: string;

  beforeAll(async () => {
    [key, otherKey] = await Promise.all([createOfficerSigningKey(), createOfficerSigningKey()]);
    keyDirectory = await mkdtemp(join(tmpdir(), 'officer-key-'));
  });

  afterAll(async () => {
    await rm(keyDirectory, { recursive: true, force: true });
  });

  const refusal = async (token: string, expected: { ward: string; audience?: string } = { ward: WARD }) => {
    const error: unknown = await verifyOfficerToken(key, token, expected).catch((caught: unknown) => caught);
    return error instanceof OfficerTokenRefused ? error.message : `not refused: ${JSON.stringify(error)}`;
  };

  it('issues an ID token that verifies into the claims map of the REST authorizer, which officerOf reads', async () => {
    const now = new Date('2026-01-05T02:00:00Z');
    const token = await issueOfficerToken(key, { ward: WARD, roles: ['reception', 'leader'], name: 'Trần Thị Bích', now, expiresIn: '8h' });

    const claims = await verifyOfficerToken(key, token, { ward: WARD, now: new Date('2026-01-05T09:59:00Z') });
    const officer = officerOf(withClaims(apiEvent(), claims), testWard, ['leader']);

    expect(claims).toMatchObject({
      iss: localOfficerIssuer(WARD),
      aud: LOCAL_OFFICER_CLIENT_ID,
      token_use: 'id',
      'custom:ward': WARD,
      'cognito:groups': 'reception,leader',
      name: 'Trần Thị Bích',
      email_verified: 'true',
      iat: 'Mon Jan 05 02:00:00 UTC 2026',
      exp: 'Mon Jan 05 10:00:00 UTC 2026',
    });
    expect(Object.values(claims).every((value) => typeof value === 'string')).toBe(true);
    expect(officer).toMatchObject({ name: 'Trần Thị Bích', ward: WARD, roles: ['reception', 'leader'], id: claims.sub });
  });

  it('keeps cognito:groups an array in the token itself, as Cognito ID tokens have it', async () => {
    const token = await issueOfficerToken(key, { ward: WARD, roles: ['specialist'] });
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

    expect(payload['cognito:groups']).toEqual(['specialist']);
    expect(payload.exp).toEqual(expect.any(Number));
  });

  it('refuses an expired token', async () => {
    expect(await refusal(await issueOfficerToken(key, { ward: WARD, roles: ['leader'], expiresIn: '-1m' }))).toMatch(/exp/);
  });

  it('refuses a token signed by another key', async () => {
    expect(await refusal(await issueOfficerToken(otherKey, { ward: WARD, roles: ['leader'] }))).toMatch(/signature/i);
  });

  it("refuses a token of another ward's pool (its issuer)", async () => {
    expect(await refusal(await issueOfficerToken(key, { ward: OTHER_WARD, roles: ['leader'] }))).toMatch(/iss/);
  });

  it('refuses a token for another app client (its audience)', async () => {
    expect(await refusal(await issueOfficerToken(key, { ward: WARD, roles: ['leader'], audience: 'another-client' }))).toMatch(/aud/);
  });

  it('refuses an access token: only ID tokens name the officer', async () => {
    expect(await refusal(await issueOfficerToken(key, { ward: WARD, roles: ['leader'], tokenUse: 'access' }))).toMatch(/not an ID token/);
  });

  it('refuses an unsigned token and a string that is no token', async () => {
    const unsigned = new UnsecuredJWT({ sub: 'x', token_use: 'id', 'custom:ward': WARD, 'cognito:groups': ['leader'] })
      .setIssuer(localOfficerIssuer(WARD))
      .setAudience(LOCAL_OFFICER_CLIENT_ID)
      .setIssuedAt()
      .setExpirationTime('1h')
      .encode();

    expect(await refusal(unsigned)).not.toMatch(/^not refused/);
    expect(await refusal('not-a-token')).not.toMatch(/^not refused/);
  });

  it('authorizes from the Authorization header with or without Bearer, and refuses a missing or bad one', async () => {
    const refused = vi.fn();
    const authorize = localOfficerAuthorizer({ key, ward: WARD, onRefused: refused });
    const token = await issueOfficerToken(key, { ward: WARD, roles: ['reception'] });
    const route: RouteDefinition = { id: 'X', method: 'GET', path: '/officer/x', handler: 'x', auth: 'officer', roles: ['reception'], access: {} };

    const bearer = await authorize({ route, headers: { Authorization: `Bearer ${token}` } });
    const raw = await authorize({ route, headers: { authorization: token } });
    const missing = await authorize({ route, headers: { 'X-Dossier-Secret': 'ABCD-EFGH-JKMN-PQRS-TVWX' } });
    const forged = await authorize({ route, headers: { Authorization: `Bearer ${await issueOfficerToken(otherKey, { ward: WARD, roles: ['reception'] })}` } });

    expect(bearer?.['cognito:groups']).toBe('reception');
    expect(raw).toEqual(bearer && { ...bearer });
    expect(missing).toBeUndefined();
    expect(forged).toBeUndefined();
    expect(refused).toHaveBeenCalledTimes(2);
  });

  it('keeps the key pair in a file only its owner can read, and reuses it', async () => {
    const path = join(keyDirectory, '.local', 'officer-signing-key.json');
    const first = await readOrCreateOfficerSigningKey(path);
    const token = await issueOfficerToken(first, { ward: WARD, roles: ['leader'] });
    const again = await readOrCreateOfficerSigningKey(path);

    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(again.kid).toBe(first.kid);
    await expect(verifyOfficerToken(again, token, { ward: WARD })).resolves.toMatchObject({ 'custom:ward': WARD });
  });

  it('reads lifetimes like 8h, 30m, 90s, 2d, -1h and seconds', () => {
    expect(['8h', '30m', '90s', '2d', '-1h', 600].map(parseDuration)).toEqual([28_800, 1_800, 90, 172_800, -3_600, 600]);
    expect(() => parseDuration('eight hours')).toThrow(/not a duration/);
  });
});
