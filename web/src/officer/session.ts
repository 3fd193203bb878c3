import createClient, { type Middleware } from 'openapi-fetch';
import type { OidcClientConfig } from '../../../shared/api/portal-config';
import { OFFICER_ROLES, type OfficerRole } from '../../../shared/domain/status';
import type { paths } from '../generated/api';
import { language } from '../common/api';
import { currentSession, signOut } from '../common/auth';

/**
 * The signed-in officer: the ID token of the ward's user pool (Cognito in AWS, the local provider
 * of `npm start`), sent as `Authorization: Bearer` on every officer route. The roles are the
 * token's `cognito:groups`; the API decides on its own, they only choose what the console offers.
 */
export interface Officer {
  readonly name: string;
  readonly roles: readonly OfficerRole[];
  readonly idToken: string;
}

let client: OidcClientConfig | undefined;
/** Called when the API refuses the token (401): the session is over, the console asks to sign in again. */
let onExpired: () => void = () => undefined;

export function useOfficerClient(config: OidcClientConfig, expired: () => void): void {
  client = config;
  onExpired = expired;
}

const isRole = (value: unknown): value is OfficerRole => typeof value === 'string' && (OFFICER_ROLES as readonly string[]).includes(value);

export function currentOfficer(): Officer | undefined {
  if (client === undefined) return undefined;
  const session = currentSession(client);
  if (session === undefined) return undefined;
  const groups = session.claims['cognito:groups'];
  const roles = (Array.isArray(groups) ? groups : typeof groups === 'string' ? groups.split(',') : []).filter(isRole);
  const name = [session.claims.name, session.claims.email, session.claims['cognito:username'], session.claims.sub].find(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  return { name: name ?? '', roles, idToken: session.idToken };
}

export function endSession(): void {
  if (client !== undefined) signOut(client);
}

const bearer: Middleware = {
  onRequest({ request }) {
    const officer = currentOfficer();
    if (officer !== undefined) request.headers.set('Authorization', `Bearer ${officer.idToken}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) {
      endSession();
      onExpired();
    }
    return response;
  },
};

/** The ward API as an officer calls it: the same generated types, the token added. */
export const officerApi = createClient<paths>({ baseUrl: '' });
officerApi.use(language, bearer);

/** A new key per dossier typed at the counter; a retry of the same form reuses it. */
export const newIdempotencyKey = (): string => crypto.randomUUID();
