/**
 * Local mode's stand-in for the city's identity provider for citizens (VNeID): its issuer, the
 * portal's client, the claims it gives, and ID tokens signed with its key, as the local provider
 * (local/identity-providers.ts) issues them after sign-in and `npm run citizen-token` prints them.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { CITIZEN_PAGES } from '../shared/api/portal-paths';
import type { CitizenSignIn } from '../shared/domain/ward-config';
import { DEFAULT_LOCAL_TOKEN_LIFETIME, parseDuration, uuidFrom, type OfficerSigningKey } from './officer-tokens';

/** The local provider's mount on the ward's server, and its issuer (no port: one issuer whatever the port). */
export const LOCAL_CITIZEN_PROVIDER_PATH = '/local-vneid';
export const LOCAL_CITIZEN_ISSUER = `http://127.0.0.1${LOCAL_CITIZEN_PROVIDER_PATH}`;
export const LOCAL_CITIZEN_CLIENT_ID = 'local-citizen-portal';
/** Under `.local/`: the provider's key pair (ES256), kept so that printed tokens survive a restart. */
export const CITIZEN_SIGNING_KEY_FILE_NAME = 'citizen-signing-key.json';

const ALGORITHM = 'ES256';
const CLAIMS = { idNumber: 'id_number', fullName: 'name', phone: 'phone_number' } as const;

/** The ward configuration's `citizenSignIn` for the local provider served by the ward's own server at `serverUrl`. */
export function localCitizenSignIn(serverUrl: string): CitizenSignIn {
  const base = `${serverUrl}${LOCAL_CITIZEN_PROVIDER_PATH}`;
  return {
    issuer: LOCAL_CITIZEN_ISSUER,
    jwksUri: `${base}/jwks`,
    clientId: LOCAL_CITIZEN_CLIENT_ID,
    authorizationEndpoint: `${base}/auth`,
    tokenEndpoint: `${base}/token`,
    endSessionEndpoint: `${base}/session/end`,
    scope: 'openid profile phone',
    algorithms: [ALGORITHM],
    claims: { ...CLAIMS },
  };
}

/** The citizen's redirect URI at the ward's server. */
export const localCitizenRedirectUri = (serverUrl: string): string => `${serverUrl}${CITIZEN_PAGES.signInDone}`;

/** The provider's `sub` for a person: one per ID number, not the number itself. */
export const localCitizenSubject = (idNumber: string): string => uuidFrom(`citizen|${idNumber}`);

/** The claims the local provider gives about a person, under the names of {@link localCitizenSignIn}. */
export function localCitizenClaims(person: { readonly idNumber: string; readonly fullName: string; readonly phone?: string }): Record<string, string> {
  return {
    sub: localCitizenSubject(person.idNumber),
    [CLAIMS.idNumber]: person.idNumber,
    [CLAIMS.fullName]: person.fullName,
    ...(person.phone === undefined ? {} : { [CLAIMS.phone]: person.phone }),
  };
}

export interface CitizenTokenRequest {
  readonly idNumber: string;
  readonly fullName: string;
  readonly phone?: string;
  /** `8h`, `30m`, seconds…; negative for a token that has already expired. */
  readonly expiresIn?: string | number;
  /** Defaults to {@link LOCAL_CITIZEN_ISSUER}. */
  readonly issuer?: string;
  /** Defaults to {@link LOCAL_CITIZEN_CLIENT_ID}. */
  readonly audience?: string;
  readonly now?: Date;
}

/** A citizen's ID token, as the local provider issues it after sign-in. */
export async function issueCitizenToken(key: OfficerSigningKey, request: CitizenTokenRequest): Promise<string> {
  const now = Math.floor((request.now ?? new Date()).getTime() / 1000);
  const expiresAt = now + parseDuration(request.expiresIn ?? DEFAULT_LOCAL_TOKEN_LIFETIME);
  const issuedAt = Math.min(now, expiresAt - 3600);
  return new SignJWT({ ...localCitizenClaims(request), auth_time: issuedAt })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setIssuer(request.issuer ?? LOCAL_CITIZEN_ISSUER)
    .setAudience(request.audience ?? LOCAL_CITIZEN_CLIENT_ID)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(randomUUID())
    .sign(key.privateKey);
}
