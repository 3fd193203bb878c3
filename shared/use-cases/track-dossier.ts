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
 * What opens a citizen's dossier: its secret (`X-Dossier-Secret`, possibly missing), or the
 * signed-in citizen's applicant key (the HMAC of the ID number in their verified ID token), which
 * opens the dossiers that citizen is the applicant of and no other.
 */
export type DossierKey = string | undefined | { readonly applicantKey: string };

const applicantKeyOf = (key: DossierKey): string | undefined => (typeof key === 'object' ? key.applicantKey : undefined);

/** Whether `key` opens a dossier read with it: the applicant key was checked by the read; a secret is compared here. */
const opens = (key: DossierKey, dossier: Dossier | undefined): boolean =>
  typeof key === 'object' ? dossier !== undefined : secretMatches(key, dossier?.secretHash) && dossier !== undefined;

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
 * The citizen's full view, opened by the dossier's secret or its applicant's sign-in. An unknown
 * code, a wrong secret and another citizen's sign-in take the same path (one read, one
 * constant-time comparison) and give the same error: nobody learns that someone else's dossier exists.
 * @throws NotFoundError
 */
export async function getCitizenDossier(dossiers: DossierStore, code: string, key: DossierKey): Promise<DossierWithHistory> {
  const found = isDossierCode(code) ? await dossiers.getDossierWithHistory(code, applicantKeyOf(key)) : undefined;
  if (!opens(key, found?.dossier) || !found) throw dossierNotFound();
  return found;
}

/**
 * The dossier, if the secret opens it; the same error otherwise (see getCitizenDossier).
 * @throws NotFoundError
 */
export async function openDossier(dossiers: DossierStore, code: string, key: DossierKey): Promise<Dossier> {
  const dossier = isDossierCode(code) ? await dossiers.getDossier(code, applicantKeyOf(key)) : undefined;
  if (!opens(key, dossier) || !dossier) throw dossierNotFound();
  return dossier;
}
