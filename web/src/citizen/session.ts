import { useEffect, useState } from 'preact/hooks';
import type { PortalConfig } from '../../../shared/api/portal-config';
import { portalConfig } from '../common/config';

/**
 * The citizen's sign-in at the city's identity provider (VNeID; locally `/local-vneid`): the ID
 * token goes to the API as `Authorization: Bearer`, which takes the applicant's ID number, name
 * and phone from it. What the page shows of the person comes from the token's standard claims.
 * The OIDC client (oauth4webapi) is loaded only by the pages that use it, out of the first load.
 */
const auth = () => import('../common/auth');

export interface CitizenSession {
  readonly config: PortalConfig;
  readonly idToken: string;
  readonly name: string | undefined;
}

export function useCitizenSession(): { readonly ready: boolean; readonly session: CitizenSession | undefined; readonly config: PortalConfig | undefined } {
  const [state, setState] = useState<{ ready: boolean; session: CitizenSession | undefined; config: PortalConfig | undefined }>({
    ready: false,
    session: undefined,
    config: undefined,
  });
  useEffect(() => {
    void Promise.all([portalConfig(), auth()])
      .then(([config, { currentSession }]) => {
        const session = currentSession(config.citizenSignIn);
        const name = session?.claims.name;
        setState({ ready: true, config, session: session ? { config, idToken: session.idToken, name: typeof name === 'string' ? name : undefined } : undefined });
      })
      .catch(() => setState({ ready: true, session: undefined, config: undefined }));
  }, []);
  return state;
}

export const bearer = (session: CitizenSession) => ({ Authorization: `Bearer ${session.idToken}` });

/** Leaves for the identity provider; comes back to this page (`/dang-nhap/xong` first). */
export const signInHere = async (config: PortalConfig) => (await auth()).beginSignIn(config.citizenSignIn, `${location.pathname}${location.search}`);

export const signOutHere = async (config: PortalConfig) => {
  (await auth()).signOut(config.citizenSignIn);
  location.reload();
};
