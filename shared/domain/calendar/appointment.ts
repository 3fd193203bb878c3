import type { ClockMode } from '../procedure';
import type { OfficeHours } from '../ward-config';
import { clockMinutes, vietnamDate, vietnamInstant, vietnamParts } from '../time';
import { addWorkingDays, isWorkingDay, nextWorkingDay, previousWorkingDay } from './working-days';
import { addWorkingMinutes, firstWorkingInstantAtOrAfter, workingMinutesBetween } from './working-time';

/** When the time limit starts counting, and the appointment date ("ngày hẹn trả kết quả") it leads to. */
export interface Appointment {
  readonly clockStartsAt: Date;
  readonly appointmentAt: Date;
}

export interface AppointmentInput {
  /** The moment the dossier became `RECEIVED`. */
  readonly receivedAt: Date;
  /** The procedure's time limit in working days; 0 means the same working day. */
  readonly timeLimitDays: number;
  readonly officeHours: OfficeHours;
  readonly worksOnHolidays: boolean;
}

/**
 * When the clock starts for a dossier received at `receivedAt`:
 * - on a working day, up to and including the cut-off (15:00:00 by default): the moment received,
 *   or the opening time if it came in before opening (an online submission at 06:00 counts that day);
 * - after the cut-off ("after 15:00" is read literally, so 15:00:00 is still the same day and
 *   15:00:01 is not), or on a non-working day: the opening of the next working day.
 */
export function clockStartFor(receivedAt: Date, officeHours: OfficeHours, worksOnHolidays: boolean): Date {
  const options = { worksOnHolidays };
  const day = vietnamDate(receivedAt);
  if (isWorkingDay(day, options)) {
    const opensAt = vietnamInstant(day, officeHours.open);
    if (receivedAt.getTime() < opensAt.getTime()) return opensAt;
    if (receivedAt.getTime() <= vietnamInstant(day, officeHours.cutoff).getTime()) return receivedAt;
  }
  return vietnamInstant(nextWorkingDay(day, options), officeHours.open);
}

/** The appointment: closing time of the N-th working day after the day the clock starts (that day itself for N = 0). */
export function computeAppointment({ receivedAt, timeLimitDays, officeHours, worksOnHolidays }: AppointmentInput): Appointment {
  const clockStartsAt = clockStartFor(receivedAt, officeHours, worksOnHolidays);
  const appointmentDay = addWorkingDays(vietnamDate(clockStartsAt), timeLimitDays, { worksOnHolidays });
  return { clockStartsAt, appointmentAt: vietnamInstant(appointmentDay, officeHours.close) };
}

export interface ResumeInput {
  readonly mode: ClockMode;
  readonly timeLimitDays: number;
  readonly officeHours: OfficeHours;
  readonly worksOnHolidays: boolean;
  /** When the supplement was requested (`SUPPLEMENT_REQUESTED`): the clock stopped. */
  readonly stoppedAt: Date;
  /** When the dossier was complete again: the clock resumes. */
  readonly completedAt: Date;
  /** The appointment in force when the clock stopped. */
  readonly previousAppointmentAt: Date;
}

/**
 * The new appointment after a supplement ("bổ sung hồ sơ"):
 * - `RESTART` (Decree 61 art. 19.4): the time limit counts again from zero, exactly as if the
 *   dossier had been received at `completedAt` (cut-off included);
 * - `SUBTRACT` (the national on-time indicator): the citizen's wait does not count, so the previous
 *   appointment moves later by the working time between `stoppedAt` and `completedAt`, in whole
 *   minutes (see workingMinutesBetween). The result may fall mid-day, e.g. 12:00, when the wait was
 *   not a whole number of working days. The clock resumes at the first working instant at or after
 *   `completedAt`; no cut-off applies, as this is not a new receipt.
 */
export function resumeAppointment(input: ResumeInput): Appointment {
  const { mode, timeLimitDays, officeHours, worksOnHolidays, stoppedAt, completedAt, previousAppointmentAt } = input;
  switch (mode) {
    case 'RESTART':
      return computeAppointment({ receivedAt: completedAt, timeLimitDays, officeHours, worksOnHolidays });
    case 'SUBTRACT': {
      if (completedAt.getTime() < stoppedAt.getTime()) throw new RangeError('A supplement cannot be completed before it was requested');
      const waitedMinutes = workingMinutesBetween(stoppedAt, completedAt, officeHours, worksOnHolidays);
      return {
        clockStartsAt: firstWorkingInstantAtOrAfter(completedAt, officeHours, worksOnHolidays),
        appointmentAt: addWorkingMinutes(previousAppointmentAt, waitedMinutes, officeHours, worksOnHolidays),
      };
    }
  }
}

/**
 * When officers are warned that an appointment is near: the same time of day on the working day
 * before the appointment's day (17:00 on Friday for a Monday 17:00 appointment; the Friday before
 * Tết for the Monday after it). A time of day outside office hours is brought back within them, so
 * the warning always reaches people at work. For a same-day procedure the reminder may lie before
 * the receipt; the caller decides whether to send it at once or skip it.
 */
export function dueReminderAt(appointmentAt: Date, officeHours: OfficeHours, worksOnHolidays: boolean): Date {
  const appointment = vietnamParts(appointmentAt);
  const reminderDay = previousWorkingDay(appointment.date, { worksOnHolidays });
  const opensAt = clockMinutes(officeHours.open);
  const closesAt = clockMinutes(officeHours.close);
  if (appointment.minutes < opensAt) return vietnamInstant(reminderDay, opensAt);
  if (appointment.minutes >= closesAt) return vietnamInstant(reminderDay, closesAt);
  // Inside office hours: keep the exact time of day, seconds included (Vietnam has no daylight saving).
  const dayShiftMs = vietnamInstant(appointment.date, 0).getTime() - vietnamInstant(reminderDay, 0).getTime();
  return new Date(appointmentAt.getTime() - dayShiftMs);
}
