import { randomUUID } from 'node:crypto';
import type { Dossier, DomainEvent, HistoryEvent } from '../domain/dossier';
import { InvalidTransitionError } from '../domain/errors';
import { checkTransition } from '../domain/status';
import { vietnamDate } from '../domain/time';
import type { Clock, DossierStore } from './ports';
import { openDossier } from './track-dossier';

/**
 * The citizen withdraws a dossier ("rút hồ sơ"): one still SUBMITTED is stopped at once (code 8);
 * otherwise reception is asked to stop it (WITHDRAWAL_REQUESTED, code 7).
 *
 * @throws NotFoundError (unknown code or wrong secret)
 * @throws InvalidTransitionError when the dossier is final or withdrawal is already requested
 * @throws VersionConflictError when it changed while we decided
 */
export async function withdrawDossier(deps: { dossiers: DossierStore; clock: Clock }, code: string, secret: string | undefined, reason?: string): Promise<Dossier> {
  const before = await openDossier(deps.dossiers, code, secret);
  const check = checkTransition('withdraw', 'citizen', before.status);
  if (!check.ok) throw new InvalidTransitionError('withdraw', before.status);

  const now = deps.clock.now();
  const after: Dossier = { ...before, status: check.to, version: before.version + 1, updatedAt: now };
  const history: HistoryEvent = {
    sequence: after.version,
    at: now,
    actor: { role: 'citizen' },
    action: 'withdraw',
    from: before.status,
    to: check.to,
    ...(reason ? { note: reason } : {}),
  };
  const event: DomainEvent = {
    id: randomUUID(),
    type: check.to === 'STOPPED' ? 'DOSSIER_STOPPED' : 'DOSSIER_WITHDRAWAL_REQUESTED',
    dossierCode: code,
    at: now,
    data: { phone: before.applicant.phone, procedureName: before.procedure.name, reason: reason ?? null },
  };
  await deps.dossiers.applyChange({
    expectedVersion: before.version,
    dossier: after,
    history,
    event,
    ...(check.to === 'STOPPED' ? { kpi: { date: vietnamDate(now), increments: { stopped: 1 } } } : {}),
  });
  return after;
}
