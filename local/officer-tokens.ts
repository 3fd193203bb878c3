/**
 * Local mode's stand-in for a ward's Cognito user pool and API Gateway's Cognito authorizer:
 * officers' ID tokens signed with a local ES256 key, shaped like the pool's (issuer per ward,
 * audience = the app client, `token_use: 'id'`, `custom:ward`, `cognito:groups` as an array), and
 * a verifier that checks them as the authorizer does and hands the handlers the same claims map.
 */
import { createHash, randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import type { OfficerAuthorizer } from './http-server';

const ALGORITHM = 'ES256';

/** The app client id of the officers' web app in local mode (the token's `aud`). */
export const LOCAL_OFFICER_CLIENT_ID = 'local-officer-web';

/** Like a pool's `https://cognito-idp.<region>.amazonaws.com/<pool id>`: one issuer per ward, as each ward has its own pool. */
export const localOfficerIssuer = (wardSlug: string): string => `http://127.0.0.1/local-cognito/${wardSlug}`;

/** Where `npm start` and `npm run officer-token` keep the key pair, under `.local/`. */
export const OFFICER_SIGNING_KEY_FILE_NAME = 'officer-signing-key.json';

/** Cognito ID tokens last one hour; a local one lasts a working day unless asked otherwise. */
export const DEFAULT_LOCAL_TOKEN_LIFETIME = '8h';

export interface OfficerSigningKey {
  readonly kid: string;
  /** The private key as a JWK (with `kid`), for the local identity provider's key set. */
  readonly privateJwk: JWK;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

interface StoredSigningKey {
  readonly alg: typeof ALGORITHM;
  readonly kid: string;
  readonly privateJwk: JWK;
}

/** A new key pair, kept in memory only (tests). */
export async function createOfficerSigningKey(): Promise<OfficerSigningKey> {
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  return signingKeyFromJwk(await exportJWK(privateKey));
}

/**
 * The key pair kept in `path` (mode 600), created on first use, so that tokens issued by
 * `npm run officer-token` stay valid across restarts of `npm start`.
 */
export async function readOrCreateOfficerSigningKey(path: string): Promise<OfficerSigningKey> {
  try {
    return await readSigningKey(path);
  } catch (error) {
    if (!isErrorCode(error, 'ENOENT')) throw error;
  }
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const stored: StoredSigningKey = { alg: ALGORITHM, kid: await calculateJwkThumbprint(privateJwk), privateJwk };
  await mkdir(dirname(path), { recursive: true });
  try {
    // `wx`: if `npm start` and the CLI race to create it, the second one reads the first one's key.
    await writeFile(path, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (isErrorCode(error, 'EEXIST')) return readSigningKey(path);
    throw error;
  }
  await chmod(path, 0o600);
  return signingKeyFromJwk(privateJwk);
}

async function readSigningKey(path: string): Promise<OfficerSigningKey> {
  const stored = JSON.parse(await readFile(path, 'utf8')) as Partial<StoredSigningKey>;
  if (stored.alg !== ALGORITHM || typeof stored.privateJwk !== 'object' || typeof stored.privateJwk.d !== 'string') {
    throw new Error(`${path} is not an ${ALGORITHM} officer signing key; delete it to create a new one (tokens issued before stop working)`);
  }
  return signingKeyFromJwk(stored.privateJwk);
}

async function signingKeyFromJwk(privateJwk: JWK): Promise<OfficerSigningKey> {
  const { d: _private, ...publicJwk } = privateJwk;
  const [privateKey, publicKey] = await Promise.all([importJWK(privateJwk, ALGORITHM), importJWK(publicJwk, ALGORITHM)]);
  if (privateKey instanceof Uint8Array || publicKey instanceof Uint8Array) throw new Error('the officer signing key is not an asymmetric key');
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, privateJwk: { ...privateJwk, kid, alg: ALGORITHM, use: 'sig' }, privateKey, publicKey };
}

export interface OfficerTokenRequest {
  /** The ward whose pool issues the token (its issuer), and its `custom:ward` unless `wardClaim` says otherwise. */
  readonly ward: string;
  /** `cognito:groups`. Any strings, so that tests can send groups that are no officer role. */
  readonly roles: readonly string[];
  readonly name?: string;
  readonly email?: string;
  /** Defaults to a UUID derived from the ward and e-mail, so one officer keeps one id. */
  readonly sub?: string;
  /** `custom:ward`, when it must differ from the issuing pool's ward. */
  readonly wardClaim?: string;
  /** `8h`, `30m`, `90s`, `2d`, or seconds; negative for a token that has already expired. */
  readonly expiresIn?: string | number;
  /** Defaults to {@link LOCAL_OFFICER_CLIENT_ID}. */
  readonly audience?: string;
  /** Defaults to `id`; an access token carries neither the ward nor the name. */
  readonly tokenUse?: 'id' | 'access';
  readonly now?: Date;
}

const DEFAULT_NAMES: Readonly<Record<string, string>> = {
  reception: 'Cán bộ một cửa (thử nghiệm)',
  specialist: 'Chuyên viên (thử nghiệm)',
  leader: 'Lãnh đạo phường (thử nghiệm)',
};

/** The `sub` of a local officer: one per ward and e-mail address, as a pool keeps one per user. */
export const localOfficerSubject = (ward: string, email: string): string => uuidFrom(`${ward}|${email.toLowerCase()}`);

/** An officer's ID token, as the ward's user pool would issue it after sign-in. */
export async function issueOfficerToken(key: OfficerSigningKey, request: OfficerTokenRequest): Promise<string> {
  const now = Math.floor((request.now ?? new Date()).getTime() / 1000);
  const expiresAt = now + parseDuration(request.expiresIn ?? DEFAULT_LOCAL_TOKEN_LIFETIME);
  const issuedAt = Math.min(now, expiresAt - 3600);
  const email = request.email ?? `${request.roles.join('-') || 'officer'}@${request.ward}.local`;
  const sub = request.sub ?? localOfficerSubject(request.ward, email);
  const claims: JWTPayload = {
    sub,
    'cognito:groups': [...request.roles],
    email_verified: true,
    'cognito:username': sub,
    name: request.name ?? DEFAULT_NAMES[request.roles[0] ?? ''] ?? 'Cán bộ (thử nghiệm)',
    email,
    'custom:ward': request.wardClaim ?? request.ward,
    token_use: request.tokenUse ?? 'id',
    auth_time: issuedAt,
    origin_jti: randomUUID(),
    event_id: randomUUID(),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setIssuer(localOfficerIssuer(request.ward))
    .setAudience(request.audience ?? LOCAL_OFFICER_CLIENT_ID)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(randomUUID())
    .sign(key.privateKey);
}

/** Why a token was refused; the client only ever sees the gateway's 401. */
export class OfficerTokenRefused extends Error {
  override readonly name = 'OfficerTokenRefused';
}

/**
 * Checks a token as the ward API's Cognito authorizer does (signature by the pool's key, issuer
 * = this ward's pool, audience = the app client, not expired, an ID token), and returns the
 * claims as the REST authorizer passes them to the function: every value a string,
 * `cognito:groups` joined by commas, `exp` and `iat` as dates (`Tue Apr 04 18:39:39 UTC 2023`).
 *
 * @throws OfficerTokenRefused
 */
export async function verifyOfficerToken(
  key: OfficerSigningKey,
  token: string,
  expected: { readonly ward: string; readonly audience?: string; readonly now?: Date },
): Promise<Record<string, string>> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key.publicKey, {
      algorithms: [ALGORITHM],
      issuer: localOfficerIssuer(expected.ward),
      audience: expected.audience ?? LOCAL_OFFICER_CLIENT_ID,
      requiredClaims: ['sub', 'exp', 'iat'],
      ...(expected.now ? { currentDate: expected.now } : {}),
    }));
  } catch (error) {
    throw new OfficerTokenRefused(error instanceof Error ? `${error.name}: ${error.message}` : 'unreadable token');
  }
  if (payload.token_use !== 'id') throw new OfficerTokenRefused(`not an ID token (token_use: ${String(payload.token_use)})`);
  return authorizerClaims(payload);
}

/** A verified payload as API Gateway's REST Cognito authorizer writes it in `requestContext.authorizer.claims`. */
export function authorizerClaims(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') claims[name] = javaDateString(value);
    else if (Array.isArray(value)) claims[name] = value.map(String).join(',');
    else if (typeof value === 'string') claims[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') claims[name] = String(value);
    else if (typeof value === 'object' && value !== null) claims[name] = JSON.stringify(value);
  }
  return claims;
}

export interface LocalOfficerAuthorizerOptions {
  readonly key: OfficerSigningKey;
  /** The ward this server runs: only its pool's tokens pass. */
  readonly ward: string;
  /** Why a token was refused, for the developer's eyes. */
  readonly onRefused?: (reason: string) => void;
}

/**
 * The local HTTP server's officer authorizer: the token from the `Authorization` header, with or
 * without `Bearer `, as API Gateway reads it; the claims of a valid one, undefined (401) otherwise.
 */
export function localOfficerAuthorizer(options: LocalOfficerAuthorizerOptions): OfficerAuthorizer {
  return async ({ headers }) => {
    const token = bearerToken(headers);
    if (token === undefined) {
      options.onRefused?.('no Authorization header');
      return undefined;
    }
    try {
      return await verifyOfficerToken(options.key, token, { ward: options.ward });
    } catch (error) {
      if (!(error instanceof OfficerTokenRefused)) throw error;
      options.onRefused?.(error.message);
      return undefined;
    }
  };
}

function bearerToken(headers: Readonly<Record<string, string | undefined>>): string | undefined {
  const name = Object.keys(headers).find((candidate) => candidate.toLowerCase() === 'authorization');
  const value = name === undefined ? undefined : headers[name]?.trim().replace(/^Bearer\s+/i, '');
  return value === undefined || value === '' ? undefined : value;
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** `8h`, `-1h`, `30m`, `90s`, `2d` or a number of seconds, in seconds. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`a duration in seconds must be an integer, not ${value}`);
    return value;
  }
  const match = /^(-?\d+)\s*([smhd]?)$/.exec(value.trim());
  if (match === null) throw new Error(`'${value}' is not a duration like 8h, 30m, 90s or 2d`);
  return Number(match[1]) * UNIT_SECONDS[(match[2] || 's') as keyof typeof UNIT_SECONDS];
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** How the REST authorizer writes `exp` and `iat`: Java's `Date.toString()` in UTC. */
function javaDateString(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[date.getUTCDay()] ?? ''} ${MONTHS[date.getUTCMonth()] ?? ''} ${two(date.getUTCDate())} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
  );
}

/** A UUID-shaped id derived from `seed`, like the `sub` a pool gives each user. */
export function uuidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function isErrorCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
