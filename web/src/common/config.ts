import type { PortalConfig } from '../../../shared/api/portal-config';
import { PORTAL_CONFIG_PATH } from '../../../shared/api/portal-config';

let loaded: Promise<PortalConfig> | undefined;

/** The ward's run-time configuration (`/config.json`), fetched once per page load. */
export function portalConfig(): Promise<PortalConfig> {
  loaded ??= fetch(PORTAL_CONFIG_PATH, { headers: { Accept: 'application/json' } }).then(async (response) => {
    if (!response.ok) throw new Error(`${PORTAL_CONFIG_PATH}: ${response.status}`);
    return (await response.json()) as PortalConfig;
  });
  return loaded;
}
