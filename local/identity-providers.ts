/**
 * Local mode's identity providers, real OpenID providers (`oidc-provider`) mounted on the ward's
 * own server: the city's provider for citizens at `/local-vneid` (standing in for VNeID) and the
 * ward's Cognito user pool for officers at `/local-cognito/<ward>` (its hosted sign-in). Both run
 * the authorization-code flow with PKCE (S256) for one public client each, whose redirect URI is
 * the portal's or the console's sign-in page on this origin, and sign ES256 ID tokens with the keys
 * `npm run citizen-token` and `npm run officer-token` use, so that either kind of token passes the
 * same checks. Their sign-in pages are plain server-rendered HTML, in Vietnamese, without script.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { OFFICER_PAGES } from '../shared/api/portal-paths';
import { ApplicantSchema, IdNumberSchema, PhoneSchema } from '../shared/domain/dossier';
import { fieldMessage } from '../shared/runtime/messages';
import { LOCAL_CITIZEN_CLIENT_ID, LOCAL_CITIZEN_ISSUER, LOCAL_CITIZEN_PROVIDER_PATH, localCitizenClaims, localCitizenRedirectUri, localCitizenSubject } from './citizen-tokens';
import type { LocalMount } from './http-server';
import { memoryStore } from './oidc-memory-store';
import { LOCAL_OFFICER_CLIENT_ID, localOfficerIssuer, localOfficerSubject, type OfficerSigningKey } from './officer-tokens';
import { TEST_CITIZENS, TEST_OFFICERS, testOfficerEmail, type TestCitizen, type TestOfficer } from './test-accounts';

export interface LocalIdentityProvidersOptions {
  /** The ward whose officers' pool is served (its issuer is `localOfficerIssuer(ward)`). */
  readonly ward: string;
  /** The local citizen provider's signing key (`.local/citizen-signing-key.json` in `npm start`). */
  readonly citizenKey: OfficerSigningKey;
  /** The ward pool's officer signing key, the one `localOfficerAuthorizer` checks with. */
  readonly officerKey: OfficerSigningKey;
}

/** Where the officers' provider of a ward is mounted. */
export const localOfficerProviderPath = (ward: string): string => new URL(localOfficerIssuer(ward)).pathname;

/** The officers' redirect URI at the ward's server. */
export const localOfficerRedirectUri = (serverUrl: string): string => `${serverUrl}${OFFICER_PAGES.signInDone}`;

/** Both providers as mounts of the ward's local server (`startLocalHttpServer({ mounts })`). */
export function localIdentityProviderMounts(options: LocalIdentityProvidersOptions): LocalMount[] {
  return [citizenProviderMount(options.citizenKey), officerProviderMount(options.ward, options.officerKey)];
}

interface Page {
  readonly status: number;
  readonly title: string;
  readonly html: string;
}

interface ProviderSite {
  readonly prefix: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
  readonly key: OfficerSigningKey;
  readonly claims: Configuration['claims'];
  readonly redirectUri: (serverUrl: string) => string;
  readonly findAccount: (accountId: string) => Record<string, unknown> | undefined;
  /** The sign-in page; `errors` and `values` from a refused attempt. */
  readonly signInPage: (action: string, errors: readonly FieldError[], values: Readonly<Record<string, string>>) => Page;
  /** The account id of a submitted form, or the errors to show. */
  readonly signIn: (form: URLSearchParams) => { readonly accountId: string } | { readonly errors: readonly FieldError[] };
}

interface FieldError {
  /** The id of the field it is about (the error summary links to it). */
  readonly field: string;
  readonly message: string;
}

function citizenProviderMount(key: OfficerSigningKey): LocalMount {
  /** People who signed in with the custom form, by account id (the provider's `sub`). */
  const people = new Map<string, TestCitizen>(TEST_CITIZENS.map((person) => [localCitizenSubject(person.idNumber), person]));
  return providerMount({
    prefix: LOCAL_CITIZEN_PROVIDER_PATH,
    issuer: LOCAL_CITIZEN_ISSUER,
    clientId: LOCAL_CITIZEN_CLIENT_ID,
    scope: 'openid profile phone',
    key,
    claims: { openid: ['sub', 'id_number'], profile: ['name'], phone: ['phone_number'] },
    redirectUri: localCitizenRedirectUri,
    findAccount: (accountId) => {
      const person = people.get(accountId);
      return person && localCitizenClaims(person);
    },
    signInPage: citizenSignInPage,
    signIn: (form) => {
      const listed = TEST_CITIZENS.find((person) => person.idNumber === form.get('account'));
      if (listed !== undefined) return { accountId: localCitizenSubject(listed.idNumber) };
      const idNumber = IdNumberSchema.safeParse(form.get('idNumber') ?? '');
      const fullName = ApplicantSchema.shape.fullName.safeParse(form.get('fullName') ?? '');
      const phone = PhoneSchema.safeParse(form.get('phone') ?? '');
      const errors: FieldError[] = [
        ...(idNumber.success ? [] : [{ field: 'idNumber', message: viMessage(idNumber.error.issues[0]?.message, 'Nhập số định danh cá nhân gồm 12 chữ số.') }]),
        ...(fullName.success ? [] : [{ field: 'fullName', message: viMessage(fullName.error.issues[0]?.message, 'Nhập họ và tên (2 đến 100 ký tự).') }]),
        ...(phone.success ? [] : [{ field: 'phone', message: viMessage(phone.error.issues[0]?.message, 'Nhập số điện thoại di động.') }]),
      ];
      if (!idNumber.success || !fullName.success || !phone.success) return { errors };
      const accountId = localCitizenSubject(idNumber.data);
      people.set(accountId, { idNumber: idNumber.data, fullName: fullName.data, phone: phone.data });
      return { accountId };
    },
  });
}

function officerProviderMount(ward: string, key: OfficerSigningKey): LocalMount {
  const officers = new Map<string, TestOfficer>(TEST_OFFICERS.map((officer) => [localOfficerSubject(ward, testOfficerEmail(officer, ward)), officer]));
  return providerMount({
    prefix: localOfficerProviderPath(ward),
    issuer: localOfficerIssuer(ward),
    clientId: LOCAL_OFFICER_CLIENT_ID,
    scope: 'openid email profile',
    key,
    claims: { openid: ['sub', 'cognito:groups', 'cognito:username', 'custom:ward', 'token_use'], email: ['email', 'email_verified'], profile: ['name'] },
    redirectUri: localOfficerRedirectUri,
    findAccount: (accountId) => {
      const officer = officers.get(accountId);
      // As the pool's ID tokens: groups as an array, the ward as a custom attribute, `token_use: 'id'`.
      return (
        officer && {
          sub: accountId,
          'cognito:groups': [...officer.roles],
          'cognito:username': officer.username,
          'custom:ward': ward,
          token_use: 'id',
          email: testOfficerEmail(officer, ward),
          email_verified: true,
          name: officer.name,
        }
      );
    },
    signInPage: (action, errors, values) => officerSignInPage(ward, action, errors, values),
    signIn: (form) => {
      const officer = TEST_OFFICERS.find((candidate) => candidate.username === (form.get('username') ?? '').trim());
      if (officer === undefined || officer.password !== form.get('password')) {
        return { errors: [{ field: 'username', message: 'Tên đăng nhập hoặc mật khẩu không đúng.' }] };
      }
      return { accountId: localOfficerSubject(ward, testOfficerEmail(officer, ward)) };
    },
  });
}

/** A zod message key (`@ID_NUMBER_FORMAT`) in Vietnamese, or `fallback` for zod's own messages. */
const viMessage = (message: string | undefined, fallback: string): string => (message?.startsWith('@') ? fieldMessage(message, 'vi') : fallback);

/**
 * One provider as a mount: built on its first request, when the server's URL (hence the client's
 * redirect URI) is known. Its own sign-in pages answer under `<prefix>/interaction/`; the rest is
 * `oidc-provider`'s, mounted the way Express mounts it (the prefix moved to `originalUrl`), so that
 * the endpoints it advertises are built from the request: `<server>/<prefix>/auth`, …
 */
function providerMount(site: ProviderSite): LocalMount {
  let provider: Provider | undefined;
  const providerOf = (serverUrl: string): Provider => (provider ??= createProvider(site, serverUrl));
  return {
    prefix: site.prefix,
    handle: async (request, response, serverUrl) => {
      const oidc = providerOf(serverUrl);
      const url = new URL(request.url ?? '/', serverUrl);
      const rest = url.pathname.slice(site.prefix.length);
      if (rest === '/sign-in.css') return sendCss(response);
      const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(rest);
      if (interaction !== null) return serveInteraction(site, oidc, request, response, `${site.prefix}/interaction/${interaction[1] ?? ''}/login`, interaction[2] !== undefined);
      Object.assign(request, { originalUrl: request.url, url: `${rest || '/'}${url.search}` });
      await oidc.callback()(request, response);
    },
  };
}

function createProvider(site: ProviderSite, serverUrl: string): Provider {
  const configuration: Configuration = {
    clients: [
      {
        client_id: site.clientId,
        token_endpoint_auth_method: 'none',
        redirect_uris: [site.redirectUri(serverUrl)],
        post_logout_redirect_uris: [`${serverUrl}/`],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        id_token_signed_response_alg: 'ES256',
        scope: site.scope,
      },
    ],
    jwks: { keys: [site.key.privateJwk] },
    claims: site.claims,
    // The claims of the scopes asked for go into the ID token, which is all the API sees.
    conformIdTokenClaims: false,
    // Every public client must use PKCE; oidc-provider takes S256 only.
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `${site.prefix}/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    adapter: memoryStore(),
    // Cognito's ID tokens last an hour; a sign-in page left open, a session and its grant a working day.
    ttl: { AuthorizationCode: 60, IdToken: 3600, AccessToken: 3600, Interaction: 3600, Session: 8 * 3600, Grant: 8 * 3600 },
    findAccount: (_ctx, accountId) => {
      const claims = site.findAccount(accountId);
      return claims && { accountId, claims: () => ({ sub: accountId, ...claims }) };
    },
    renderError: (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'html';
      ctx.body = pageHtml(site.prefix, { status: 400, title: 'Không đăng nhập được', html: `<p>${escapeHtml(String(out.error_description ?? out.error))}</p>` });
    },
  };
  const provider = new Provider(site.issuer, configuration);
  return provider;
}

async function serveInteraction(site: ProviderSite, provider: Provider, request: IncomingMessage, response: ServerResponse, action: string, submitted: boolean): Promise<void> {
  const details = await provider.interactionDetails(request, response);
  if (details.prompt.name === 'consent') {
    // First-party clients: what they ask for is granted without a consent page.
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId: details.session?.accountId, clientId: site.clientId }))
      : new provider.Grant({ accountId: details.session?.accountId, clientId: site.clientId });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  if (!submitted || request.method !== 'POST') {
    sendPage(response, site.prefix, site.signInPage(action, [], {}));
    return;
  }
  const form = new URLSearchParams(await readText(request));
  const outcome = site.signIn(form);
  if ('errors' in outcome) {
    const values = Object.fromEntries([...form.entries()].filter(([name]) => name !== 'password'));
    sendPage(response, site.prefix, { ...site.signInPage(action, outcome.errors, values), status: 400 });
    return;
  }
  await provider.interactionFinished(request, response, { login: { accountId: outcome.accountId } }, { mergeWithLastSubmission: false });
}

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += bytes.length;
    if (size > 16 * 1024) throw new Error('sign-in form too large');
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function citizenSignInPage(action: string, errors: readonly FieldError[], values: Readonly<Record<string, string>>): Page {
  const listed = TEST_CITIZENS.map(
    (person) => `<li><form method="post" action="${escapeHtml(action)}">
      <input type="hidden" name="account" value="${escapeHtml(person.idNumber)}">
      <button type="submit">Đăng nhập là ${escapeHtml(person.fullName)}</button>
      <span class="hint">Số định danh ${escapeHtml(person.idNumber)}, điện thoại ${escapeHtml(person.phone)}</span>
    </form></li>`,
  );
  return {
    status: 200,
    title: 'Đăng nhập bằng tài khoản định danh điện tử (thử nghiệm)',
    html: `<p>Đây là nhà cung cấp định danh thử nghiệm của môi trường cục bộ, thay cho VNeID. Chọn một công dân thử nghiệm hoặc nhập một người khác.</p>
${errorSummary(errors)}
<h2>Công dân thử nghiệm</h2>
<ul class="accounts">${listed.join('\n')}</ul>
<h2>Người khác</h2>
<form method="post" action="${escapeHtml(action)}" novalidate>
  ${field('idNumber', 'Số định danh cá nhân', '12 chữ số, ví dụ 001190012345', errors, values, 'inputmode="numeric" autocomplete="off"')}
  ${field('fullName', 'Họ và tên', 'Như trên căn cước', errors, values, 'autocomplete="name"')}
  ${field('phone', 'Số điện thoại di động', 'Ví dụ 0912345678', errors, values, 'type="tel" autocomplete="tel"')}
  <button type="submit">Đăng nhập</button>
</form>`,
  };
}

function officerSignInPage(ward: string, action: string, errors: readonly FieldError[], values: Readonly<Record<string, string>>): Page {
  const rows = TEST_OFFICERS.map(
    (officer) =>
      `<tr><td>${escapeHtml(officer.username)}</td><td>${escapeHtml(officer.password)}</td><td>${escapeHtml(officer.name)}</td><td>${escapeHtml(officer.roles.join(', '))}</td></tr>`,
  );
  return {
    status: 200,
    title: 'Đăng nhập cán bộ (thử nghiệm)',
    html: `<p>Nhóm người dùng thử nghiệm của phường ${escapeHtml(ward)} trên máy này, thay cho Amazon Cognito.</p>
${errorSummary(errors)}
<form method="post" action="${escapeHtml(action)}" novalidate>
  ${field('username', 'Tên đăng nhập', '', errors, values, 'autocomplete="username"')}
  <div class="field"><label for="password">Mật khẩu</label><input id="password" name="password" type="password" autocomplete="current-password"></div>
  <button type="submit">Đăng nhập</button>
</form>
<h2>Tài khoản thử nghiệm</h2>
<table><caption>Cán bộ thử nghiệm của mọi phường (chỉ có trên máy này)</caption>
<thead><tr><th scope="col">Tên đăng nhập</th><th scope="col">Mật khẩu</th><th scope="col">Họ và tên</th><th scope="col">Vai trò</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`,
  };
}

function errorSummary(errors: readonly FieldError[]): string {
  if (errors.length === 0) return '';
  const items = errors.map((error) => `<li><a href="#${escapeHtml(error.field)}">${escapeHtml(error.message)}</a></li>`).join('');
  return `<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1"><h2 id="error-summary-title">Có lỗi cần sửa</h2><ul>${items}</ul></div>`;
}

function field(name: string, label: string, hint: string, errors: readonly FieldError[], values: Readonly<Record<string, string>>, attributes: string): string {
  const error = errors.find((candidate) => candidate.field === name);
  const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
  return `<div class="field${error ? ' field-error' : ''}">
    <label for="${name}">${escapeHtml(label)}</label>
    ${hint ? `<p class="hint" id="${name}-hint">${escapeHtml(hint)}</p>` : ''}
    ${error ? `<p class="error" id="${name}-error">${escapeHtml(error.message)}</p>` : ''}
    <input id="${name}" name="${name}" value="${escapeHtml(values[name] ?? '')}" ${attributes}${describedBy ? ` aria-describedby="${describedBy}"` : ''}${error ? ' aria-invalid="true"' : ''}>
  </div>`;
}

function pageHtml(prefix: string, page: Page): string {
  return `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<link rel="stylesheet" href="${prefix}/sign-in.css">
</head>
<body>
<main>
<h1>${escapeHtml(page.title)}</h1>
${page.html}
</main>
</body>
</html>
`;
}

function sendPage(response: ServerResponse, prefix: string, page: Page): void {
  const body = Buffer.from(pageHtml(prefix, page), 'utf8');
  response.writeHead(page.status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  });
  response.end(body);
}

const CSS = `body{font-family:system-ui,sans-serif;font-size:1.1875rem;line-height:1.5;color:#0b0c0c;margin:0;padding:1rem}
main{max-width:40rem;margin:0 auto}label{display:block;font-weight:700}.hint{color:#505a5f;margin:.25rem 0}
input{font:inherit;width:100%;max-width:24rem;padding:.4rem;border:2px solid #0b0c0c;box-sizing:border-box}
input:focus,button:focus,a:focus{outline:3px solid #fd0;outline-offset:0}.field{margin-bottom:1.25rem}
.field-error{border-left:5px solid #d4351c;padding-left:.75rem}.error{color:#d4351c;font-weight:700;margin:.25rem 0}
.error-summary{border:5px solid #d4351c;padding:1rem;margin-bottom:1.5rem}.error-summary a{color:#d4351c}
button{font:inherit;background:#00703c;color:#fff;border:0;padding:.5rem 1rem;cursor:pointer;box-shadow:0 2px 0 #002d18}
ul.accounts{list-style:none;padding:0}ul.accounts li{margin-bottom:.75rem}table{border-collapse:collapse}th,td{border-bottom:1px solid #b1b4b6;padding:.4rem;text-align:left}
`;

function sendCss(response: ServerResponse): void {
  response.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Content-Length': Buffer.byteLength(CSS), 'Cache-Control': 'max-age=3600' });
  response.end(CSS);
}

function escapeHtml(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}
