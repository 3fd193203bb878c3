import { computeAppointment } from '../domain/calendar';
import type { ProcedureSnapshot } from '../domain/dossier';
import type { OfficeHours } from '../domain/ward-config';

/**
 * What receiving a dossier sets, at the counter or by `receive`: the start of its clock, its
 * appointment (also the one on-time counts against) and the clock's first generation; and the
 * data of the DOSSIER_RECEIVED event the deadline starter and the notifier read.
 */
export function receiptOf(now: Date, procedure: Pick<ProcedureSnapshot, 'timeLimitDays' | 'worksOnHolidays'>, officeHours: OfficeHours) {
  const appointment = computeAppointment({
    receivedAt: now,
    timeLimitDays: procedure.timeLimitDays,
    officeHours,
    worksOnHolidays: procedure.worksOnHolidays,
  });
  return {
    fields: {
      receivedAt: now,
      clockStartsAt: appointment.clockStartsAt,
      appointmentAt: appointment.appointmentAt,
      firstAppointmentAt: appointment.appointmentAt,
      clockGeneration: 1,
    },
    eventData: { appointmentAt: appointment.appointmentAt.toISOString(), clockGeneration: 1, worksOnHolidays: procedure.worksOnHolidays },
  };
}
