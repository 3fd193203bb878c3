import type { Dossier, DossierWithHistory } from '../domain/dossier';
import { NotFoundError } from '../domain/errors';
import { isDossierCode } from '../domain/formats';
import type { DossierStore } from './ports';
import { secretMatches } from './secrets';

/** One answer for "no such dossier" and "wrong secret", so codes cannot be probed. */
export const dossierNotFound = () =>
  new NotFoundError({
    vi: 'Không tìm thấy hồ sơ với mã và mã bí mật này.',
    en: 'No dossier matches this code and secret.',
  });

/**
 * Public tracking by code alone (the view shows no personal data but a masked name).
 * @throws NotFoundError
 */
export async function getPublicStatus(dossiers: DossierStore, code: string): Promise<Dossier> {
  const dossier = isDossierCode(code) ? await dossiers.getDossier(code) : undefined;
  if (!dossier) throw dossierNotFound();
  return dossier;
}

/**
 * The citizen's full view, opened by the dossier's secret. An unknown code and a wrong secret
 * take the same path (one read, one constant-time comparison) and give the same error.
 * @throws NotFoundError
 */
export async function getCitizenDossier(dossiers: DossierStore, code: string, secret: string | undefined): Promise<DossierWithHistory> {
  const found = isDossierCode(code) ? await dossiers.getDossierWithHistory(code) : undefined;
  if (!secretMatches(secret, found?.dossier.secretHash) || !found) throw dossierNotFound();
  return found;
}

/**
 * The dossier, if the secret opens it; the same error otherwise (see getCitizenDossier).
 * @throws NotFoundError
 */
export async function openDossier(dossiers: DossierStore, code: string, secret: string | undefined): Promise<Dossier> {
  const dossier = isDossierCode(code) ? await dossiers.getDossier(code) : undefined;
  if (!secretMatches(secret, dossier?.secretHash) || !dossier) throw dossierNotFound();
  return dossier;
}
