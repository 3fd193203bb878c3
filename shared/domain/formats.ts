/**
 * Formats of domain.md: personal ID numbers, phone numbers, text normalisation, name masking and
 * the dossier code. Pure functions, no I/O.
 */

/**
 * Province codes of the 12-digit personal ID number ("số định danh cá nhân"), as assigned by the
 * Ministry of Public Security (Circular 59/2021/TT-BCA, appendix): the 63 provinces before the
 * 2025 merger. Numbers issued before and after the merger keep these codes.
 */
const PROVINCE_CODES: ReadonlySet<string> = new Set(
  [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70,
    72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
  ].map((n) => String(n).padStart(3, '0')),
);

/** The 4th digit encodes century and sex: even = male, odd = female; 0–1 the 1900s, 2–3 the 2000s … */
const CENTURY_BY_DIGIT: Readonly<Record<string, number>> = { '0': 1900, '1': 1900, '2': 2000, '3': 2000, '4': 2100, '5': 2100, '6': 2200, '7': 2200, '8': 1800, '9': 1800 };

export type IdNumberProblem = 'FORMAT' | 'PROVINCE' | 'BIRTH_YEAR';

/**
 * Checks a personal ID number: 12 digits, a known province code, and a birth year (century digit
 * plus two year digits) that is neither in the future nor implausibly old.
 */
export function checkIdNumber(value: string, today: Date = new Date()): IdNumberProblem | undefined {
  if (!/^\d{12}$/.test(value)) return 'FORMAT';
  if (!PROVINCE_CODES.has(value.slice(0, 3))) return 'PROVINCE';
  const century = CENTURY_BY_DIGIT[value.charAt(3)] ?? 0;
  const birthYear = century + Number(value.slice(4, 6));
  if (birthYear > today.getUTCFullYear() || birthYear < today.getUTCFullYear() - 130) return 'BIRTH_YEAR';
  return undefined;
}

/**
 * Vietnamese mobile number, `0` + 9 digits or `+84` + 9 digits (spaces, dots and dashes allowed
 * between digits), to E.164 (`+84…`). Mobile numbers start with 3, 5, 7, 8 or 9 after the prefix.
 * Returns undefined when it is not one.
 */
export function toE164Mobile(value: string): string | undefined {
  const compact = value.replace(/[\s.-]/g, '');
  const match = /^(?:0|\+84|84)([35789]\d{8})$/.exec(compact);
  return match ? `+84${match[1]}` : undefined;
}

/** Unicode NFC, trimmed, inner runs of white space folded to one space (NFD input is accepted). */
/** Half of a surrogate pair without its other half: no character at all, and no UTF-8 encoding of it exists. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `value` is well-formed UTF-16 (every character has a UTF-8 encoding: URLs, S3 metadata and PDFs can carry it). */
export const isWellFormedText = (value: string): boolean => !LONE_SURROGATE.test(value);

export function normalizeText(value: string): string {
  return value.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/**
 * A person's name as the worklist's name search compares it: without diacritics (đ is d), lower
 * case, every run of other characters one space. "Nguyễn Thị Hoà" → "nguyen thi hoa"; a search
 * for "NGUYEN thi h" matches it as a prefix.
 */
export function nameSearchKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * A name masked for public views: the family name whole, every other word as its initial, e.g.
 * "Nguyễn Thị Hoa" → "Nguyễn T. H.". A one-word name is its initial alone ("Hoa" → "H."): shown
 * whole, it would be the whole name. Words are runs of letters (any space, hyphen, dot or
 * invisible character between them separates them, so none hides a given name inside the family
 * name); the result is NFC, with the family name capitalised and the initials in upper case.
 */
export function maskName(fullName: string): string {
  const words = fullName
    .normalize('NFC')
    .split(/[^\p{L}\p{M}]+/u)
    .filter((word) => /\p{L}/u.test(word));
  // A letter with its marks (a Vietnamese vowel may carry two, and not every pair has a composed form).
  const initial = (word: string): string => `${(/\p{L}\p{M}*/u.exec(word)?.[0] ?? '').toLocaleUpperCase('vi')}.`;
  const [family, ...rest] = words;
  if (family === undefined) return '';
  if (rest.length === 0) return initial(family);
  const capitalised = Array.from(family.toLocaleLowerCase('vi'));
  return [`${(capitalised[0] ?? '').toLocaleUpperCase('vi')}${capitalised.slice(1).join('')}`, ...rest.map(initial)].join(' ');
}

/** Dossier code `<agency code>-<YYMMDD>-<NNNN>` (the sequence has at least 4 digits). */
export function formatDossierCode(agencyCode: string, localDate: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`sequence must be a positive integer, got ${sequence}`);
  const yymmdd = localDate.slice(2, 4) + localDate.slice(5, 7) + localDate.slice(8, 10);
  return `${agencyCode}-${yymmdd}-${String(sequence).padStart(4, '0')}`;
}

export const DOSSIER_CODE_PATTERN = /^[0-9A-Z]{2,3}(?:\.[0-9A-Z]{2,3}){3}-\d{6}-\d{4,}$/;

export const isDossierCode = (value: string): boolean => DOSSIER_CODE_PATTERN.test(value);
