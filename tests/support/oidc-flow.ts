import * as oauth from 'oauth4webapi';

/**
 * The OpenID Connect authorization-code flow with PKCE, driven over plain HTTP as a browser and
 * the front end would: the authorization request, the provider's sign-in page and its form, the
 * redirects (cookies kept), then the code exchanged for tokens at the token endpoint.
 */
export interface OidcClient {
  /** The provider's base, e.g. `<server>/local-vneid`; its discovery document is under it. */
  readonly providerUrl: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
}

export interface SignInPage {
  readonly status: number;
  readonly html: string;
  /** Submits the page's sign-in form (`action` of the first form) with these fields. */
  submit(fields: Record<string, string>): Promise<SignInOutcome>;
}

export type SignInOutcome = { readonly kind: 'page'; readonly page: SignInPage } | { readonly kind: 'redirected'; readonly location: URL };

/** A browser's cookies for one origin, path ignored. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export class OidcFlow {
  readonly jar = new CookieJar();
  readonly verifier = oauth.generateRandomCodeVerifier();
  readonly state = oauth.generateRandomState();
  readonly nonce = oauth.generateRandomNonce();

  constructor(readonly client: OidcClient) {}

  async discovery(): Promise<oauth.AuthorizationServer> {
    const response = await fetch(`${this.client.providerUrl}/.well-known/openid-configuration`);
    if (response.status !== 200) throw new Error(`discovery answered ${response.status}`);
    return (await response.json()) as oauth.AuthorizationServer;
  }

  /** The authorization request's URL; `overrides` replace or (with undefined) drop its parameters. */
  async authorizationUrl(overrides: Record<string, string | undefined> = {}): Promise<URL> {
    const server = await this.discovery();
    const url = new URL(server.authorization_endpoint ?? '');
    const parameters: Record<string, string | undefined> = {
      client_id: this.client.clientId,
      redirect_uri: this.client.redirectUri,
      response_type: 'code',
      scope: this.client.scope,
      state: this.state,
      nonce: this.nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(this.verifier),
      code_challenge_method: 'S256',
      ...overrides,
    };
    for (const [name, value] of Object.entries(parameters)) if (value !== undefined) url.searchParams.set(name, value);
    return url;
  }

  /** Starts the flow: follows the provider's redirects to its sign-in page (or straight back to the client). */
  async start(overrides: Record<string, string | undefined> = {}): Promise<SignInOutcome> {
    return this.follow(await this.authorizationUrl(overrides), { method: 'GET' });
  }

  /** Follows redirects until a page to show or a redirect to the client's redirect URI. */
  private async follow(url: URL, init: RequestInit): Promise<SignInOutcome> {
    let next = url;
    let request = init;
    for (let hop = 0; hop < 10; hop += 1) {
      if (next.href.startsWith(this.client.redirectUri)) return { kind: 'redirected', location: next };
      const response = await fetch(next, { ...request, redirect: 'manual', headers: { ...(request.headers as Record<string, string>), cookie: this.jar.header() } });
      this.jar.store(response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        next = new URL(location, next);
        request = { method: 'GET' };
        continue;
      }
      const html = await response.text();
      return { kind: 'page', page: this.page(next, response.status, html) };
    }
    throw new Error('too many redirects');
  }

  private page(url: URL, status: number, html: string): SignInPage {
    return {
      status,
      html,
      submit: async (fields) => {
        const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
        if (action === undefined) throw new Error(`no form on the page (${status}): ${html.slice(0, 300)}`);
        return this.follow(new URL(action, url), {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields).toString(),
        });
      },
    };
  }

  /** Checks the redirect (state, no error) and exchanges its code, with the PKCE verifier, for tokens. */
  async exchange(location: URL, verifier = this.verifier): Promise<{ status: number; body: Record<string, unknown> }> {
    const code = location.searchParams.get('code');
    if (location.searchParams.get('state') !== this.state || code === null) throw new Error(`unexpected redirect ${location.href}`);
    const server = await this.discovery();
    const response = await fetch(server.token_endpoint ?? '', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: this.client.redirectUri,
        client_id: this.client.clientId,
        code_verifier: verifier,
      }).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** The whole flow: sign in with `fields` on the first page, then the ID token. */
  async signIn(fields: Record<string, string>): Promise<string> {
    const started = await this.start();
    if (started.kind !== 'page') throw new Error('the provider did not show its sign-in page');
    const signedIn = await started.page.submit(fields);
    if (signedIn.kind !== 'redirected') throw new Error(`sign-in refused (${signedIn.page.status}): ${signedIn.page.html.slice(0, 500)}`);
    const tokens = await this.exchange(signedIn.location);
    if (tokens.status !== 200 || typeof tokens.body.id_token !== 'string') throw new Error(`token endpoint answered ${tokens.status}: ${JSON.stringify(tokens.body)}`);
    return tokens.body.id_token;
  }
}
