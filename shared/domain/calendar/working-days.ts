import { addDays, weekday } from '../time';
import { OFFICIAL_CALENDARS } from './official-holidays';
import { statutoryCalendarOf } from './statutory-holidays';
import type { CalendarEntry, WorkingDayOptions } from './types';

const LOCAL_DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function yearOf(date: string): number {
  const match = LOCAL_DATE.exec(date);
  if (!match) throw new RangeError(`Expected a local day as YYYY-MM-DD, got "${date}"`);
  return Number(match[1]);
}

// Statutory years are derived on demand and kept: the result is pure and a Lambda may ask for the
// same year thousands of times while computing deadlines.
const calendarCache = new Map<number, { entries: readonly CalendarEntry[]; byDate: ReadonlyMap<string, CalendarEntry> }>();

function calendarOf(year: number): { entries: readonly CalendarEntry[]; byDate: ReadonlyMap<string, CalendarEntry> } {
  const cached = calendarCache.get(year);
  if (cached) return cached;
  const entries = OFFICIAL_CALENDARS.get(year) ?? statutoryCalendarOf(year);
  const calendar = { entries, byDate: new Map(entries.map((entry) => [entry.date, entry])) };
  calendarCache.set(year, calendar);
  return calendar;
}

/**
 * The year's holidays, substitute days off and make-up working days, in date order: the official
 * table where the year has been decided (2025, 2026), the Labour Code's rules otherwise.
 * @throws CalendarOutOfRangeError outside 1990–2100.
 */
export function holidaysOf(year: number): readonly CalendarEntry[] {
  return calendarOf(year).entries;
}

/**
 * Monday to Friday, minus holidays and substitute days off, plus make-up working days; every day
 * for a procedure that works on holidays.
 */
export function isWorkingDay(date: string, options: WorkingDayOptions = {}): boolean {
  const year = yearOf(date);
  if (options.worksOnHolidays) return true;
  const entry = calendarOf(year).byDate.get(date);
  if (entry) return entry.kind === 'make-up-working-day';
  const day = weekday(date);
  return day !== 0 && day !== 6;
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: string, options: WorkingDayOptions = {}): string {
  let candidate = addDays(date, 1);
  while (!isWorkingDay(candidate, options)) candidate = addDays(candidate, 1);
  return candidate;
}

/** The last working day strictly before `date`. */
export function previousWorkingDay(date: string, options: WorkingDayOptions = {}): string {
  let candidate = addDays(date, -1);
  while (!isWorkingDay(candidate, options)) candidate = addDays(candidate, -1);
  return candidate;
}

/** The `count`-th working day after `date` (`date` itself for 0). */
export function addWorkingDays(date: string, count: number, options: WorkingDayOptions = {}): string {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`Expected a whole number of working days ≥ 0, got ${count}`);
  let day = date;
  for (let step = 0; step < count; step++) day = nextWorkingDay(day, options);
  return day;
}
