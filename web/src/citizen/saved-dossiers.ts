/**
 * The dossiers this device knows, with their secrets (given once, at submission or on the
 * receipt): kept in localStorage so that the receipt, the tracking page and "my dossiers" open
 * the full dossier again on this device without the citizen typing the secret.
 */
export interface SavedDossier {
  readonly code: string;
  readonly secret: string;
  readonly procedureName?: string;
  readonly submittedAt?: string;
}

const KEY = 'mcs.dossiers';

export function savedDossiers(): SavedDossier[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as SavedDossier[]).filter((item) => typeof item.code === 'string' && typeof item.secret === 'string') : [];
  } catch {
    return [];
  }
}

export const savedSecret = (code: string): string | undefined => savedDossiers().find((item) => item.code === code)?.secret;

export function saveDossier(dossier: SavedDossier): void {
  const others = savedDossiers().filter((item) => item.code !== dossier.code);
  const previous = savedDossiers().find((item) => item.code === dossier.code);
  localStorage.setItem(KEY, JSON.stringify([{ ...previous, ...dossier }, ...others]));
}

export function forgetDossier(code: string): void {
  localStorage.setItem(KEY, JSON.stringify(savedDossiers().filter((item) => item.code !== code)));
}

/** What opens a dossier's own routes: its secret, or the signed-in citizen's ID token (their own dossiers). */
export type DossierKey = { readonly secret: string } | { readonly idToken: string };

/** The headers a dossier key sends: `X-Dossier-Secret`, or the ID token as `Authorization: Bearer`. */
export const keyHeaders = (key: DossierKey): Record<string, string> => ('secret' in key ? { 'X-Dossier-Secret': key.secret } : { Authorization: `Bearer ${key.idToken}` });
