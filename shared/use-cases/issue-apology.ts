import type { ApologyInput } from '../domain/actions';
import { isWorkingDay } from '../domain/calendar';
import type { Dossier } from '../domain/dossier';
import { ForbiddenError, InvalidTransitionError, RuleViolationError, ValidationError, VersionConflictError } from '../domain/errors';
import { formatVietnamDate, vietnamDate, vietnamInstant } from '../domain/time';
import type { WardConfig } from '../domain/ward-config';
import { clockRuns } from './deadlines';
import { issueDossierDocument, LEADER_POSITION } from './dossier-documents';
import type { IssuingDeps } from './issue-document';
import type { DossierStore } from './ports';
import { recordChange } from './record-change';
import type { OfficerIdentity } from './transition-dossier';
import { dossierNotFound } from './track-dossier';

export interface IssueApologyDeps extends IssuingDeps {
  readonly dossiers: DossierStore;
}

/**
 * The leader's apology letter (form 04) for a dossier that is late, or that the leader sees will
 * be (`POST /officer/dossiers/{code}/apology`, before or after the due date, as Circular
 * 03/2025/TT-VPCP allows): once per dossier, with a reason and a new
 * appointment. The new appointment is the close of office hours of the day the leader chose,
 * which must be a working day of the procedure's calendar (a day is refused rather than moved:
 * the letter states the date the leader chose) and later than now and than the appointment in
 * force. The dossier keeps its overdue flag and its first appointment (it counts as late in every
 * statistic, against that first appointment, even when the letter came before it), gets the new appointment and a new clock generation, and the
 * `APPOINTMENT_RESCHEDULED` event makes the deadline starter run the new generation's clock (and
 * stop the old one) and the notifier send the citizen the new date. One transaction, conditional
 * on the version the leader saw (If-Match) or read: of two leaders at once, one wins.
 *
 * @throws NotFoundError (no such dossier)
 * @throws VersionConflictError (If-Match stale, or a concurrent change)
 * @throws ForbiddenError (not a leader)
 * @throws RuleViolationError `APOLOGY_ALREADY_ISSUED` (409)
 * @throws InvalidTransitionError (resolved, closed, or waiting on the citizen's supplement: no clock to move)
 * @throws ValidationError (the new appointment: not a working day, or not later than now and the current appointment)
 */
export async function issueApology(deps: IssueApologyDeps, request: { code: string; officer: OfficerIdentity; input: ApologyInput; expectedVersion?: number }): Promise<Dossier> {
  const before = await deps.dossiers.getDossier(request.code);
  if (!before) throw dossierNotFound();
  if (request.expectedVersion !== undefined && request.expectedVersion !== before.version) throw new VersionConflictError();
  if (!request.officer.roles.includes('leader')) {
    throw new ForbiddenError({ vi: 'Chỉ lãnh đạo được ký phiếu xin lỗi.', en: 'Only a leader may sign an apology letter.' });
  }
  if (before.apology) {
    throw new RuleViolationError('APOLOGY_ALREADY_ISSUED', {
      vi: `Hồ sơ đã có phiếu xin lỗi và hẹn lại ngày trả kết quả (ngày ${formatVietnamDate(before.apology.issuedAt)}); mỗi hồ sơ chỉ một lần.`,
      en: `An apology letter was issued for this dossier already (${formatVietnamDate(before.apology.issuedAt)}); once per dossier.`,
    });
  }
  if (!clockRuns(before) || before.appointmentAt === undefined) throw new InvalidTransitionError('apologize', before.status);

  const now = deps.clock.now();
  const newAppointmentAt = newAppointment(request.input.newAppointmentAt, before.appointmentAt, before.procedure.worksOnHolidays, now, deps.ward);
  const clockGeneration = (before.clockGeneration ?? 0) + 1;
  const after: Dossier = {
    ...before,
    appointmentAt: newAppointmentAt,
    clockGeneration,
    apology: {
      reason: request.input.reason,
      previousAppointmentAt: before.appointmentAt,
      newAppointmentAt,
      issuedAt: now,
      issuedBy: request.officer.name,
    },
  };
  // The letter itself (form 04), signed and archived with the change.
  const letter = await issueDossierDocument(deps, {
    order: { kind: 'FORM_04', signer: { name: request.officer.name, position: LEADER_POSITION } },
    before,
    after,
    officerId: request.officer.id,
  });
  return recordChange(deps.dossiers, {
    before,
    after,
    records: { archived: [letter] },
    publish: deps,
    actor: { role: 'leader', id: request.officer.id, name: request.officer.name },
    action: 'apologize',
    event: {
      type: 'APPOINTMENT_RESCHEDULED',
      data: {
        appointmentAt: newAppointmentAt.toISOString(),
        previousAppointmentAt: before.appointmentAt.toISOString(),
        clockGeneration,
        worksOnHolidays: before.procedure.worksOnHolidays,
        reason: request.input.reason,
      },
    },
    note: request.input.reason,
    at: now,
  });
}

/** The close of office hours of the chosen day, checked against the calendar, now and the current appointment. */
function newAppointment(chosen: string, current: Date, worksOnHolidays: boolean, now: Date, ward: WardConfig): Date {
  const day = vietnamDate(new Date(chosen));
  const path = 'body.newAppointmentAt';
  if (!isWorkingDay(day, { worksOnHolidays })) {
    throw new ValidationError([{ path, message: { vi: `Ngày ${formatVietnamDate(new Date(chosen))} không phải ngày làm việc.`, en: `${day} is not a working day.` } }]);
  }
  const appointment = vietnamInstant(day, ward.officeHours.close);
  if (appointment.getTime() <= now.getTime() || appointment.getTime() <= current.getTime()) {
    throw new ValidationError([
      {
        path,
        message: {
          vi: 'Ngày hẹn mới phải sau thời điểm hiện tại và sau ngày hẹn đang có hiệu lực.',
          en: 'The new appointment must be later than now and than the appointment in force.',
        },
      },
    ]);
  }
  return appointment;
}
