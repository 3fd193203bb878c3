/**
 * Working time is the part of the timeline inside office hours (open–close) on working days. An
 * instant exactly at closing time still belongs to that day, so an appointment "at the end of
 * office hours" is a working instant and adding zero minutes to it leaves it where it is.
 */

import type { OfficeHours } from '../ward-config';
import { addDays, vietnamDate, vietnamInstant } from '../time';
import { isWorkingDay, nextWorkingDay } from './working-days';

const MINUTE_MS = 60_000;

/** The first working instant at or after `instant`: itself when inside office hours, else the next opening. */
export function firstWorkingInstantAtOrAfter(instant: Date, officeHours: OfficeHours, worksOnHolidays: boolean): Date {
  const options = { worksOnHolidays };
  const day = vietnamDate(instant);
  if (isWorkingDay(day, options)) {
    const opensAt = vietnamInstant(day, officeHours.open);
    if (instant.getTime() < opensAt.getTime()) return opensAt;
    if (instant.getTime() <= vietnamInstant(day, officeHours.close).getTime()) return instant;
  }
  return vietnamInstant(nextWorkingDay(day, options), officeHours.open);
}

/**
 * Whole minutes of working time between two instants; 0 if `to` is not after `from`. A partial
 * minute is dropped, so the result is what a desk clock showing hh:mm would count at most.
 */
export function workingMinutesBetween(from: Date, to: Date, officeHours: OfficeHours, worksOnHolidays: boolean): number {
  if (to.getTime() <= from.getTime()) return 0;
  const options = { worksOnHolidays };
  const lastDay = vietnamDate(to);
  let workingMs = 0;
  // YYYY-MM-DD strings compare in calendar order.
  for (let day = vietnamDate(from); day <= lastDay; day = addDays(day, 1)) {
    if (!isWorkingDay(day, options)) continue;
    const start = Math.max(from.getTime(), vietnamInstant(day, officeHours.open).getTime());
    const end = Math.min(to.getTime(), vietnamInstant(day, officeHours.close).getTime());
    if (end > start) workingMs += end - start;
  }
  return Math.floor(workingMs / MINUTE_MS);
}

/**
 * The instant `minutes` of working time after `from`. Starts from the first working instant at or
 * after `from`; when the amount runs out exactly at closing time the result is that closing time,
 * not the next opening. The result may be mid-day: the national on-time indicator counts working
 * time, not whole days.
 */
export function addWorkingMinutes(from: Date, minutes: number, officeHours: OfficeHours, worksOnHolidays: boolean): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`Expected minutes ≥ 0, got ${minutes}`);
  const options = { worksOnHolidays };
  let remainingMs = minutes * MINUTE_MS;
  let cursor = firstWorkingInstantAtOrAfter(from, officeHours, worksOnHolidays);
  for (;;) {
    const day = vietnamDate(cursor);
    const availableMs = vietnamInstant(day, officeHours.close).getTime() - cursor.getTime();
    if (remainingMs <= availableMs) return new Date(cursor.getTime() + remainingMs);
    remainingMs -= availableMs;
    cursor = vietnamInstant(nextWorkingDay(day, options), officeHours.open);
  }
}
