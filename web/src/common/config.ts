import type { PortalConfig } from '../../../shared/api/portal-config';
// From the page paths, not the schema's module: that one would bring zod into the pages' first load.
import { PORTAL_CONFIG_PATH } from '../../../shared/api/portal-paths';

let loaded: Promise<PortalConfig> | undefined;

/** The ward's run-time configuration (`/config.json`), fetched once per page load. */
export function portalConfig(): Promise<PortalConfig> {
  loaded ??= fetch(PORTAL_CONFIG_PATH, { headers: { Accept: 'application/json' } }).then(async (response) => {
    if (!response.ok) throw new Error(`${PORTAL_CONFIG_PATH}: ${response.status}`);
    return (await response.json()) as PortalConfig;
  });
  return loaded;
}
