import * as oauth from 'oauth4webapi';
import type { OidcClientConfig } from '../../../shared/api/portal-config';

/**
 * OpenID Connect sign-in in the browser: the authorization-code flow with PKCE (S256), a public
 * client, as the city's identity provider (citizens) and the ward's Cognito user pool (officers)
 * expect, and as the local providers of `npm start` speak. The ID token is what the API checks; it
 * is kept in sessionStorage (gone when the tab closes) under a key per audience.
 */

interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** Where to go back to once signed in: a path of this origin. */
  readonly returnTo: string;
}

interface Session {
  readonly idToken: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
  readonly claims: Readonly<Record<string, unknown>>;
}

const pendingKey = (client: OidcClientConfig) => `mcs.signin.pending.${client.clientId}`;
const sessionKey = (client: OidcClientConfig) => `mcs.signin.session.${client.clientId}`;

/** A session this close to expiry is treated as gone, so that no request leaves with a token about to lapse. */
const EXPIRY_MARGIN_SECONDS = 60;

/**
 * The ID token's signature algorithms accepted from the provider: Cognito signs with RS256, the
 * local providers with ES256. The browser only reads the token it got from the token endpoint
 * (TLS, PKCE); the API verifies its signature against the issuer's keys on every request.
 */
const ID_TOKEN_ALGORITHMS = ['RS256', 'ES256'];

const authorizationServer = (client: OidcClientConfig): oauth.AuthorizationServer => ({
  issuer: client.issuer,
  id_token_signing_alg_values_supported: ID_TOKEN_ALGORITHMS,
  authorization_endpoint: client.authorizationEndpoint,
  token_endpoint: client.tokenEndpoint,
  ...(client.endSessionEndpoint ? { end_session_endpoint: client.endSessionEndpoint } : {}),
});

const oauthClient = (client: OidcClientConfig): oauth.Client => ({ client_id: client.clientId });

const redirectUri = (client: OidcClientConfig) => new URL(client.redirectPath, location.origin).href;

/** Plain HTTP is allowed only for the local providers on the loopback address (`npm start`). */
const insecureIfLoopback = (url: string) => (new URL(url).hostname === '127.0.0.1' ? { [oauth.allowInsecureRequests]: true } : {});

/** Leaves for the provider's sign-in page; comes back to `client.redirectPath`. */
export async function beginSignIn(client: OidcClientConfig, returnTo: string): Promise<never> {
  const pending: PendingSignIn = {
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    codeVerifier: oauth.generateRandomCodeVerifier(),
    returnTo: safeReturnPath(returnTo),
  };
  sessionStorage.setItem(pendingKey(client), JSON.stringify(pending));
  const url = new URL(client.authorizationEndpoint);
  url.searchParams.set('client_id', client.clientId);
  url.searchParams.set('redirect_uri', redirectUri(client));
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', client.scope);
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(pending.codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  location.assign(url.href);
  return new Promise<never>(() => undefined);
}

/**
 * On the redirect page: checks the answer against the pending sign-in (state), exchanges the code
 * (PKCE verifier), checks the ID token's issuer, audience, nonce and expiry, keeps the session,
 * and returns the path to go back to.
 *
 * @throws Error the provider refused, or the answer does not belong to a sign-in of this tab
 */
export async function completeSignIn(client: OidcClientConfig): Promise<string> {
  const stored = sessionStorage.getItem(pendingKey(client));
  if (stored === null) throw new Error('no sign-in is in progress in this tab');
  sessionStorage.removeItem(pendingKey(client));
  const pending = JSON.parse(stored) as PendingSignIn;
  const as = authorizationServer(client);
  const params = oauth.validateAuthResponse(as, oauthClient(client), new URL(location.href), pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    oauthClient(client),
    oauth.None(),
    params,
    redirectUri(client),
    pending.codeVerifier,
    insecureIfLoopback(client.tokenEndpoint),
  );
  const result = await oauth.processAuthorizationCodeResponse(as, oauthClient(client), response, { expectedNonce: pending.nonce, requireIdToken: true });
  const claims = oauth.getValidatedIdTokenClaims(result);
  if (result.id_token === undefined || claims === undefined) throw new Error('the provider sent no ID token');
  const session: Session = { idToken: result.id_token, expiresAt: claims.exp, claims: { ...claims } };
  sessionStorage.setItem(sessionKey(client), JSON.stringify(session));
  return pending.returnTo;
}

/** The signed-in session, or undefined when there is none or it has (nearly) expired. */
export function currentSession(client: OidcClientConfig): Session | undefined {
  const stored = sessionStorage.getItem(sessionKey(client));
  if (stored === null) return undefined;
  const session = JSON.parse(stored) as Session;
  if (session.expiresAt - EXPIRY_MARGIN_SECONDS <= Date.now() / 1000) {
    sessionStorage.removeItem(sessionKey(client));
    return undefined;
  }
  return session;
}

export function signOut(client: OidcClientConfig): void {
  sessionStorage.removeItem(sessionKey(client));
}

/** Only a path of this origin, never `//elsewhere` or `https://elsewhere`: an open redirect otherwise. */
function safeReturnPath(path: string): string {
  return path.startsWith('/') && !path.startsWith('//') ? path : '/';
}
