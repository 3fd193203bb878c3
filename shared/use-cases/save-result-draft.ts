import type { ResultContent } from '../domain/actions';
import type { Dossier } from '../domain/dossier';
import { ForbiddenError, InvalidTransitionError, VersionConflictError } from '../domain/errors';
import { checkTransition, DRAFT_ACTION, TRANSITIONS } from '../domain/status';
import type { Clock, DossierStore } from './ports';
import { recordChange } from './record-change';
import { dossierNotFound } from './track-dossier';
import type { OfficerIdentity } from './transition-dossier';

/**
 * The specialist saves the wording of the result (`POST /officer/dossiers/{code}/result-draft`):
 * allowed by the transition table (IN_PROGRESS, specialist), guarded by the version the officer
 * saw, written with its history event (no outbox event: nobody outside the ward hears of a
 * draft, and no KPI counts it). The status does not change; the version does, as for every change.
 * A new draft replaces the previous one; the leader's `approve` issues the one saved last.
 *
 * @throws NotFoundError · ForbiddenError (not a specialist) · InvalidTransitionError (not IN_PROGRESS) · VersionConflictError
 */
export async function saveResultDraft(
  deps: { readonly dossiers: DossierStore; readonly clock: Clock },
  request: { readonly code: string; readonly officer: OfficerIdentity; readonly draft: ResultContent; readonly expectedVersion?: number },
): Promise<Dossier> {
  const { officer } = request;
  const role = officer.roles.find((candidate) => TRANSITIONS[DRAFT_ACTION].roles.includes(candidate));
  if (!role) {
    throw new ForbiddenError({ vi: 'Chỉ chuyên viên được soạn dự thảo kết quả.', en: 'Only a specialist may draft the result.' });
  }
  const before = await deps.dossiers.getDossier(request.code);
  if (!before) throw dossierNotFound();
  if (request.expectedVersion !== undefined && request.expectedVersion !== before.version) throw new VersionConflictError();
  const check = checkTransition(DRAFT_ACTION, role, before.status, before.statusBeforeSupplement);
  if (!check.ok) throw new InvalidTransitionError(DRAFT_ACTION, before.status);
  const now = deps.clock.now();
  const { title, content, documentNumber } = request.draft;
  return recordChange(deps.dossiers, {
    before,
    after: {
      ...before,
      status: check.to,
      resultDraft: { title, content, ...(documentNumber === undefined ? {} : { documentNumber }), savedAt: now, savedBy: { id: officer.id, name: officer.name } },
    },
    actor: { role, id: officer.id, name: officer.name },
    action: DRAFT_ACTION,
    note: title,
    at: now,
  });
}
