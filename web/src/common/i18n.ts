/**
 * Vietnamese first, English on request. Each interface keeps its own dictionary (citizen, officer)
 * with the same keys in both languages, enforced by the type `Dictionary`. The choice is kept in
 * localStorage and set on <html lang>.
 */
export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'mcs.language';

export function currentLanguage(): Language {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  return stored === 'en' ? 'en' : 'vi';
}

export function setLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
}

/** A dictionary: the Vietnamese text is the reference, the English one must have every key. */
export type Dictionary<K extends string> = Readonly<Record<Language, Readonly<Record<K, string>>>>;

/** `t('key', { n: 3 })`: the text in the current language, `{n}` replaced. */
export function translator<K extends string>(dictionary: Dictionary<K>) {
  return (key: K, values: Readonly<Record<string, string | number>> = {}): string =>
    dictionary[currentLanguage()][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

const VIETNAM = 'Asia/Ho_Chi_Minh';

/** dd/MM/yyyy in Vietnam time, whatever the device's zone. */
export const formatDate = (iso: string): string => new Intl.DateTimeFormat('vi-VN', { timeZone: VIETNAM, day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(iso));

/** dd/MM/yyyy HH:mm in Vietnam time. */
export const formatDateTime = (iso: string): string =>
  `${formatDate(iso)} ${new Intl.DateTimeFormat('vi-VN', { timeZone: VIETNAM, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso))}`;

/** "50.000 đồng". */
export const formatVnd = (amount: number): string => `${new Intl.NumberFormat('vi-VN').format(amount)} đồng`;
