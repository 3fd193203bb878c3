/**
 * What a dated calendar entry does to the working week:
 * - `holiday`: a public holiday of the Labour Code 2019, art. 112 ("ngày nghỉ lễ, tết");
 * - `substitute`: a weekday off in place of something else, either a holiday that fell on a
 *   weekly rest day ("nghỉ bù", art. 111.3) or a weekday swapped for a make-up Saturday
 *   ("hoán đổi ngày làm việc"); the entry's name says which;
 * - `make-up-working-day`: a Saturday or Sunday worked in exchange ("ngày làm bù").
 */
export const CALENDAR_ENTRY_KINDS = ['holiday', 'substitute', 'make-up-working-day'] as const;
export type CalendarEntryKind = (typeof CALENDAR_ENTRY_KINDS)[number];

export interface CalendarEntry {
  /** Local day, `YYYY-MM-DD`. */
  readonly date: string;
  /** Vietnamese name, as the decision words it. */
  readonly name: string;
  /** The decision, notice or article the entry comes from. */
  readonly source: string;
  readonly kind: CalendarEntryKind;
}

export interface WorkingDayOptions {
  /** The procedure counts and returns on weekends and public holidays too (e.g. death registration). */
  readonly worksOnHolidays?: boolean;
}

/** A date outside the years the calendar knows (the lunar table covers 1990–2100). */
export class CalendarOutOfRangeError extends RangeError {
  readonly code = 'CALENDAR_OUT_OF_RANGE';
  constructor(readonly year: number) {
    super(`The working-day calendar covers 1990–2100, not ${year}`);
    this.name = 'CalendarOutOfRangeError';
  }
}
