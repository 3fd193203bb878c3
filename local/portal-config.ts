import { OFFICER_PAGES } from '../shared/api/portal-paths';
import { PORTAL_CONFIG_PATH, PortalConfigSchema, citizenSignInClient, type PortalConfig } from '../shared/api/portal-config';
import type { WardConfig } from '../shared/domain/ward-config';
import { localCitizenSignIn } from './citizen-tokens';
import type { LocalMount } from './http-server';
import { localOfficerProviderPath } from './identity-providers';
import { LOCAL_OFFICER_CLIENT_ID, localOfficerIssuer } from './officer-tokens';

/** `/config.json` of a local ward: the API on the same origin, both sign-ins at the local providers of `serverUrl`. */
export function localPortalConfig(ward: WardConfig, serverUrl: string): PortalConfig {
  const citizen = localCitizenSignIn(serverUrl);
  const officerBase = `${serverUrl}${localOfficerProviderPath(ward.slug)}`;
  return PortalConfigSchema.parse({
    ward: { slug: ward.slug, name: ward.name, province: ward.province },
    apiBaseUrl: '',
    citizenSignIn: citizenSignInClient(citizen),
    officerSignIn: {
      issuer: localOfficerIssuer(ward.slug),
      authorizationEndpoint: `${officerBase}/auth`,
      tokenEndpoint: `${officerBase}/token`,
      endSessionEndpoint: `${officerBase}/session/end`,
      clientId: LOCAL_OFFICER_CLIENT_ID,
      scope: 'openid email profile',
      redirectPath: OFFICER_PAGES.signInDone,
    },
  });
}

/** Serves {@link localPortalConfig} at `/config.json`, as the site bucket does in the stack. */
export function portalConfigMount(ward: WardConfig): LocalMount {
  return {
    prefix: PORTAL_CONFIG_PATH,
    handle: (request, response, serverUrl) => {
      const body = Buffer.from(JSON.stringify(localPortalConfig(ward, serverUrl)), 'utf8');
      const allowed = request.method === 'GET' || request.method === 'HEAD';
      response.writeHead(allowed ? 200 : 405, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': allowed ? body.length : 0,
        'Cache-Control': 'no-cache',
        ...(allowed ? {} : { Allow: 'GET, HEAD' }),
      });
      response.end(allowed && request.method === 'GET' ? body : undefined);
      return Promise.resolve();
    },
  };
}
