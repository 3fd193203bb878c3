/**
 * Vietnam time (Asia/Ho_Chi_Minh, UTC+07:00 all year, no daylight saving). Instants are `Date`s;
 * local calendar days are `YYYY-MM-DD` strings.
 */
export const VIETNAM_OFFSET_MINUTES = 7 * 60;
const OFFSET_MS = VIETNAM_OFFSET_MINUTES * 60_000;

/** The Vietnam wall-clock fields of an instant. */
export function vietnamParts(instant: Date): { date: string; year: number; month: number; day: number; minutes: number } {
  const shifted = new Date(instant.getTime() + OFFSET_MS);
  const year = shifted.getUTCFullYear();
  const month = shifted.getUTCMonth() + 1;
  const day = shifted.getUTCDate();
  return {
    date: `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`,
    year,
    month,
    day,
    minutes: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
  };
}

/** The local calendar day of an instant, `YYYY-MM-DD`. */
export const vietnamDate = (instant: Date): string => vietnamParts(instant).date;

/** The month (`YYYY-MM`) of an instant in Vietnam. */
export const vietnamMonth = (instant: Date): string => vietnamDate(instant).slice(0, 7);

/** The instant at `HH:mm` (or minutes after midnight) on a local day. */
export function vietnamInstant(date: string, time: string | number): Date {
  const minutes = typeof time === 'number' ? time : clockMinutes(time);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + minutes * 60_000 - OFFSET_MS);
}

/** `HH:mm` → minutes after midnight. */
export function clockMinutes(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** ISO 8601 with the `+07:00` offset, to the second: `2026-01-05T17:00:00+07:00`. */
export function toVietnamIso(instant: Date): string {
  const shifted = new Date(instant.getTime() + OFFSET_MS);
  return `${shifted.toISOString().slice(0, 19)}+07:00`;
}

/** dd/MM/yyyy in Vietnam time, as shown to people. */
export function formatVietnamDate(instant: Date): string {
  const { year, month, day } = vietnamParts(instant);
  return `${pad2(day)}/${pad2(month)}/${year}`;
}

/** Adds whole days to a local day. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday, of a local day. */
export function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
