import type { SupplementInput } from '../domain/actions';
import { resumeAppointment } from '../domain/calendar';
import type { Dossier } from '../domain/dossier';
import { InvalidTransitionError, ValidationError } from '../domain/errors';
import { NOTHING_REQUESTED, supplementChanges } from '../domain/requested-changes';
import { checkTransition } from '../domain/status';
import { checkAttachmentRefs, checkFormData, keepAttachments } from './attachments';
import type { WardConfig } from '../domain/ward-config';
import type { AttachmentStore, CatalogStore, Clock, DossierStore } from './ports';
import { recordChange } from './record-change';
import { openDossier, type DossierKey } from './track-dossier';

export interface SupplementDeps {
  readonly dossiers: DossierStore;
  readonly catalog: CatalogStore;
  readonly attachments: AttachmentStore;
  readonly clock: Clock;
  readonly ward: WardConfig;
}

/**
 * The citizen completes or supplements a dossier (`POST /dossiers/{code}/supplement`, with the
 * secret): the requested files and corrections are added, and the dossier goes back to where it
 * was. Only what the request named may change: a correction of another form field, or a file for
 * another document, refuses the whole supplement (nothing is claimed, nothing written). The
 * history event names the fields and documents the supplement changed. A supplement during processing resumes the clock by the procedure's clock mode: RESTART
 * counts the time limit again from now, SUBTRACT moves the appointment by the working time the
 * dossier waited on the citizen. A completion before receipt starts no clock (receipt will).
 *
 * @throws NotFoundError (unknown code, wrong secret, or another citizen's sign-in)
 * @throws InvalidTransitionError (nothing was requested)
 * @throws ValidationError (files or corrections that do not fit the procedure; CHANGE_NOT_REQUESTED
 *   for a change the request did not name)
 * @throws UploadAlreadyAttachedError, UploadScanPendingError (see keepAttachments)
 * @throws VersionConflictError
 */
export async function supplementDossier(deps: SupplementDeps, code: string, key: DossierKey, input: SupplementInput): Promise<Dossier> {
  const before = await openDossier(deps.dossiers, code, key);
  const check = checkTransition('supplement', 'citizen', before.status, before.statusBeforeSupplement);
  if (!check.ok) throw new InvalidTransitionError('supplement', before.status);

  const procedure = await deps.catalog.getVersion(before.procedure.code, before.procedure.version);
  if (!procedure) throw new Error(`procedure ${before.procedure.code}@${before.procedure.version} of ${code} is not in the table`);
  const formData = input.formData ? { ...before.formData, ...input.formData } : before.formData;
  const form = checkFormData(procedure, formData);
  const issues = [...checkAttachmentRefs(procedure, input.attachments), ...form.issues];
  if (issues.length > 0) throw new ValidationError(issues);
  const { changed, issues: unrequested } = supplementChanges(before.pending?.requested ?? NOTHING_REQUESTED, before.formData, {
    ...(input.formData ? { sentFormData: input.formData } : {}),
    formDataAfter: form.data ?? before.formData,
    attachments: input.attachments,
  });
  if (unrequested.length > 0) {
    throw new ValidationError(
      unrequested,
      { vi: 'Chỉ được bổ sung, sửa đổi những nội dung đã được yêu cầu.', en: 'A supplement may change only what was requested.' },
      'CHANGE_NOT_REQUESTED',
    );
  }
  const known = new Set(before.attachments.map((a) => a.uploadId));
  const added = (await keepAttachments(deps.attachments, input.attachments)).filter((a) => !known.has(a.uploadId));

  const now = deps.clock.now();
  const { pending: _answered, clockStoppedAt, statusBeforeSupplement: _returnsTo, ...rest } = before;
  const resumed =
    check.to === 'IN_PROGRESS' && clockStoppedAt && before.appointmentAt
      ? resumeAppointment({
          mode: before.procedure.clockMode,
          timeLimitDays: before.procedure.timeLimitDays,
          officeHours: deps.ward.officeHours,
          worksOnHolidays: before.procedure.worksOnHolidays,
          stoppedAt: clockStoppedAt,
          completedAt: now,
          previousAppointmentAt: before.appointmentAt,
        })
      : undefined;
  return recordChange(deps.dossiers, {
    before,
    after: {
      ...rest,
      status: check.to,
      formData: form.data ?? before.formData,
      attachments: [...before.attachments, ...added],
      ...(resumed
        ? {
            clockStartsAt: resumed.clockStartsAt,
            appointmentAt: resumed.appointmentAt,
            // On time counts against the appointment the clock mode gives (domain.md: SUBTRACT moves it
            // "as the national on-time indicator counts it"); only an apology's new date is not.
            firstAppointmentAt: resumed.appointmentAt,
            clockGeneration: (before.clockGeneration ?? 0) + 1,
          }
        : {}),
    },
    actor: { role: 'citizen' },
    action: 'supplement',
    event: {
      type: 'DOSSIER_SUPPLEMENTED',
      data: resumed
        ? {
            appointmentAt: resumed.appointmentAt.toISOString(),
            clockMode: before.procedure.clockMode,
            clockGeneration: (before.clockGeneration ?? 0) + 1,
            worksOnHolidays: before.procedure.worksOnHolidays,
          }
        : {},
    },
    note: input.note,
    scope: { changed },
    claims: added.map((a) => a.uploadId),
    at: now,
  });
}
