import { CalendarOutOfRangeError } from './types';
import { LUNAR_DATES, LUNAR_TABLE_FIRST_YEAR } from './lunar-dates';

/**
 * The two lunar holidays of a Gregorian year, as local days. Read from a table generated once
 * (see generate-lunar-dates.ts) because a lunar calendar library would not fit a Lambda bundle.
 */
export function lunarHolidaysOf(year: number): { lunarNewYear: string; hungKingsDay: string } {
  const row = Number.isInteger(year) ? LUNAR_DATES[year - LUNAR_TABLE_FIRST_YEAR] : undefined;
  if (!row) throw new CalendarOutOfRangeError(year);
  const [lunarNewYear, hungKingsDay] = row;
  return { lunarNewYear: `${year}-${lunarNewYear}`, hungKingsDay: `${year}-${hungKingsDay}` };
}
