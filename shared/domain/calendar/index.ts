/**
 * The Vietnamese working-day calendar of a ward's one-stop desk and the deadline rules built on it
 * (spec: domain.md, "Deadlines"). Pure: no I/O, no clock, no AWS; times are `Date` instants, local
 * days are `YYYY-MM-DD` in Asia/Ho_Chi_Minh.
 */
export { CALENDAR_ENTRY_KINDS, CalendarOutOfRangeError } from './types';
export type { CalendarEntry, CalendarEntryKind, WorkingDayOptions } from './types';
export { addWorkingDays, holidaysOf, isWorkingDay, nextWorkingDay, previousWorkingDay } from './working-days';
export { addWorkingMinutes, firstWorkingInstantAtOrAfter, workingMinutesBetween } from './working-time';
export { clockStartFor, computeAppointment, dueReminderAt, resumeAppointment } from './appointment';
export type { Appointment, AppointmentInput, ResumeInput } from './appointment';
