import { citizenSignInClient, type OidcClientConfig } from '../../shared/api/portal-config';
import type { WardConfig } from '../../shared/domain/ward-config';

/** `/config.json`'s `citizenSignIn` for a ward: the city's identity provider as the ward configures it (infra/config/wards.ts). */
export const citizenSignInOf = (ward: WardConfig): OidcClientConfig => citizenSignInClient(ward.citizenSignIn);
