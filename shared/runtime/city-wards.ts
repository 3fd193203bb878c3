import { WARDS } from '../../infra/config/wards';

/** The slugs of the city's wards (infra/config/wards.ts): a hand-over must name one. */
export const cityWards: ReadonlySet<string> = new Set(WARDS.map((configured) => configured.slug));
