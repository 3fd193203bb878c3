import * as z from 'zod';
import { LUNAR_TABLE_FIRST_YEAR, LUNAR_TABLE_LAST_YEAR } from './calendar/lunar-dates';
import { messageKey } from './dossier';
import { vietnamParts } from './time';

/**
 * The years the working-day calendar knows (its lunar table, behind the statutory holidays). A
 * date the client sends that the calendar cannot place is refused here, at the edge, whatever
 * offset it is written in: what counts is its day in Vietnam.
 */
export const CALENDAR_YEARS = { first: LUNAR_TABLE_FIRST_YEAR, last: LUNAR_TABLE_LAST_YEAR } as const;

const inCalendarYears = (year: number): boolean => Number.isInteger(year) && year >= CALENDAR_YEARS.first && year <= CALENDAR_YEARS.last;

/** An ISO 8601 instant with its offset (`Z` or `±hh:mm`) whose day in Vietnam lies in the calendar's years. */
export const calendarInstant = () =>
  z.iso.datetime({ offset: true, error: messageKey('DATE_TIME_INVALID') }).refine((value) => {
    const instant = new Date(value);
    return !Number.isNaN(instant.getTime()) && inCalendarYears(vietnamParts(instant).year);
  }, messageKey('DATE_OUT_OF_RANGE'));

/** A local day `YYYY-MM-DD` in the calendar's years. */
export const calendarDate = () => z.iso.date({ error: messageKey('DATE_INVALID') }).refine((value) => inCalendarYears(Number(value.slice(0, 4))), messageKey('DATE_OUT_OF_RANGE'));
