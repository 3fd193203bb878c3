import type { OidcClientConfig } from '../../shared/api/portal-config';
import { CITIZEN_PAGES } from '../../shared/api/portal-paths';
import type { WardConfig } from '../../shared/domain/ward-config';

/** The citizens' identity provider as the portal's `/config.json` names it. */
export type CitizenProvider = Omit<OidcClientConfig, 'redirectPath'>;

/**
 * The city's identity provider for citizens, until the ward configuration carries its own
 * (`citizenSignIn`, with the citizen sign-in's API checks): PLACEHOLDERS under the reserved
 * `.invalid` domain, which no browser can reach, so a stack deployed with them signs no citizen in.
 */
const CITY_CITIZEN_PROVIDER: CitizenProvider = {
  issuer: 'https://citizen-idp.hanoi.invalid',
  authorizationEndpoint: 'https://citizen-idp.hanoi.invalid/authorize',
  tokenEndpoint: 'https://citizen-idp.hanoi.invalid/token',
  clientId: 'mot-cua-so-portal',
  scope: 'openid profile phone',
};

/** `/config.json`'s `citizenSignIn` for a ward: its configured provider when it has one, else the city's placeholder above. */
export function citizenSignInOf(ward: WardConfig): OidcClientConfig {
  const configured = (ward as WardConfig & { readonly citizenSignIn?: CitizenProvider }).citizenSignIn;
  const provider = configured ?? CITY_CITIZEN_PROVIDER;
  return {
    issuer: provider.issuer,
    authorizationEndpoint: provider.authorizationEndpoint,
    tokenEndpoint: provider.tokenEndpoint,
    ...(provider.endSessionEndpoint === undefined ? {} : { endSessionEndpoint: provider.endSessionEndpoint }),
    clientId: provider.clientId,
    scope: provider.scope,
    redirectPath: CITIZEN_PAGES.signInDone,
  };
}
