/**
 * Text as the ward's documents print it: NFC normalisation, Vietnamese upper case, the ward's name
 * in the date line and in running text, and dates and times in Vietnam time.
 */
import { formatVietnamDate, vietnamParts } from '../domain/time';

/**
 * Every string of a document, deeply: NFC (the fonts map precomposed Vietnamese letters to their
 * own glyphs; pdf-lib does not position combining marks, so NFD input would misplace them), line
 * breaks unified, tabs and other control characters turned into spaces, runs of spaces collapsed,
 * trimmed. Dates and numbers are kept as they are.
 */
export function normaliseStrings<T>(value: T): T {
  if (typeof value === 'string') return multiLine(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => normaliseStrings(item)) as T;
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normaliseStrings(item)])) as T;
}

/** NFC, line breaks unified, tabs and other control characters turned into spaces, runs of spaces collapsed. */
export function multiLine(text: string): string {
  const unified = text.normalize('NFC').replace(/\r\n?/g, '\n');
  return Array.from(unified, (character) => (character !== '\n' && isSpaceOrControl(character) ? ' ' : character))
    .join('')
    .replace(/ {2,}/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

/** As {@link multiLine}, on one line. */
export const singleLine = (text: string): string => multiLine(text).replace(/\n/g, ' ');

function isSpaceOrControl(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return /\s/u.test(character) || code < 0x20 || (code >= 0x7f && code < 0xa0);
}

export const upper = (text: string): string => text.toLocaleUpperCase('vi').normalize('NFC');

const UNIT_TYPE_WORD = /^(?:Phường|Xã|Đặc khu|Thị trấn)\s+/iu;

/**
 * The place in the date line: as Decree 30/2020/NĐ-CP asks for a body of a commune-level unit, the
 * ward's own name without "Phường"/"Xã"/"Đặc khu"/"Thị trấn" ("Hoàn Kiếm"), kept whole when the
 * rest is a number ("Phường 1").
 */
export function placeNameOf(wardName: string): string {
  const name = singleLine(wardName);
  const bare = name.replace(UNIT_TYPE_WORD, '');
  return /^\d+$/.test(bare) ? name : bare;
}

/**
 * The ward as running text names it, its type word in lower case after a common noun ("Ủy ban
 * nhân dân phường Hoàn Kiếm", Decree 30's rule for the names of administrative units).
 */
export function wardInText(wardName: string): string {
  return wardName.replace(UNIT_TYPE_WORD, (typeWord) => typeWord.toLocaleLowerCase('vi'));
}

/**
 * "<place>, ngày dd tháng m năm yyyy" in Vietnam time. Decree 30 pads the day below 10 and the
 * months January and February (so that nobody can add a digit), and no other month.
 */
export function dateLineOf(placeName: string, issuedAt: Date): string {
  const { day, month, year } = vietnamParts(issuedAt);
  const monthText = month <= 2 ? String(month).padStart(2, '0') : String(month);
  return `${placeName}, ngày ${String(day).padStart(2, '0')} tháng ${monthText} năm ${year}`;
}

/** `HH:mm, dd/MM/yyyy` in Vietnam time, e.g. `14:05, 05/01/2026`. */
export function formatTimeAndDate(instant: Date): string {
  const { hours, minutes } = clockOf(instant);
  return `${hours}:${minutes}, ${formatVietnamDate(instant)}`;
}

/** `dd/MM/yyyy HH:mm` in Vietnam time (a table cell, a CSV field). */
export function formatDateAndTime(instant: Date): string {
  const { hours, minutes } = clockOf(instant);
  return `${formatVietnamDate(instant)} ${hours}:${minutes}`;
}

/** The official forms' wording: `10 giờ 00 phút, ngày 05/01/2026`. */
export function formatFormDateTime(instant: Date): string {
  const { hours, minutes } = clockOf(instant);
  return `${hours} giờ ${minutes} phút, ngày ${formatVietnamDate(instant)}`;
}

/** A local day `YYYY-MM-DD` as `dd/MM/yyyy`. */
export function formatLocalDay(day: string): string {
  const [year = '', month = '', date = ''] = day.split('-');
  return `${date}/${month}/${year}`;
}

/** Two digits, as the forms write counts ("01 bản"). */
export const twoDigits = (count: number): string => String(count).padStart(2, '0');

function clockOf(instant: Date): { hours: string; minutes: string } {
  const { minutes } = vietnamParts(instant);
  return { hours: twoDigits(Math.floor(minutes / 60)), minutes: twoDigits(minutes % 60) };
}
