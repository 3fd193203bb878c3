import * as z from 'zod';
import type { CitizenSignIn } from '../domain/ward-config';
import { CITIZEN_PAGES } from './portal-paths';

/** One OpenID Connect client of the front end: the authorization-code flow with PKCE, a public client. */
const OidcClientSchema = z
  .object({
    /** The `iss` of its ID tokens. */
    issuer: z.string().min(1),
    authorizationEndpoint: z.url(),
    tokenEndpoint: z.url(),
    /** Where the browser goes to sign out at the provider, if it has such an endpoint. */
    endSessionEndpoint: z.url().optional(),
    clientId: z.string().min(1),
    scope: z.string().min(1),
    /** A path of this origin (shared/api/portal-paths.ts); the provider knows it as origin + path. */
    redirectPath: z.string().startsWith('/'),
  })
  .strict();
export type OidcClientConfig = z.infer<typeof OidcClientSchema>;

/**
 * `GET /config.json`: what the built front end learns at run time, per ward (one build serves
 * every ward). Local mode serves it; the stack writes it into the site bucket beside the build.
 */
export const PortalConfigSchema = z
  .object({
    ward: z.object({ slug: z.string(), name: z.string(), province: z.string() }).strict(),
    /** The API's origin and base path; '' when the API is served from the same origin at `/`. */
    apiBaseUrl: z.string(),
    citizenSignIn: OidcClientSchema,
    officerSignIn: OidcClientSchema,
  })
  .strict();
export type PortalConfig = z.infer<typeof PortalConfigSchema>;

/** Defined beside the page paths (plain TypeScript, no zod): the front end reads it without this schema. */
export { PORTAL_CONFIG_PATH } from './portal-paths';

/** The portal's client of the city's identity provider, from the ward's configuration of it (the API checks its tokens with the same). */
export function citizenSignInClient(signIn: CitizenSignIn): OidcClientConfig {
  return {
    issuer: signIn.issuer,
    authorizationEndpoint: signIn.authorizationEndpoint,
    tokenEndpoint: signIn.tokenEndpoint,
    ...(signIn.endSessionEndpoint === undefined ? {} : { endSessionEndpoint: signIn.endSessionEndpoint }),
    clientId: signIn.clientId,
    scope: signIn.scope,
    redirectPath: CITIZEN_PAGES.signInDone,
  };
}
