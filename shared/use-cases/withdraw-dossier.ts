import type { Dossier } from '../domain/dossier';
import { InvalidTransitionError } from '../domain/errors';
import { checkTransition } from '../domain/status';
import { issueDossierDocument } from './dossier-documents';
import type { IssuingDeps } from './issue-document';
import { stopCounters } from './kpi-counters';
import type { DossierStore } from './ports';
import { recordChange } from './record-change';
import { openDossier, type DossierKey } from './track-dossier';

/**
 * The citizen withdraws a dossier ("rút hồ sơ"): one still SUBMITTED is stopped at once (code 8);
 * otherwise reception is asked to stop it (WITHDRAWAL_REQUESTED, code 7). A dossier stopped at once
 * gets its notice (form 05), signed and archived with the change, as when reception stops one.
 *
 * @throws NotFoundError (unknown code, wrong secret, or another citizen's sign-in)
 * @throws InvalidTransitionError when the dossier is final or withdrawal is already requested
 * @throws VersionConflictError when it changed while we decided
 */
export async function withdrawDossier(deps: IssuingDeps & { dossiers: DossierStore }, code: string, key: DossierKey, reason?: string): Promise<Dossier> {
  const before = await openDossier(deps.dossiers, code, key);
  const check = checkTransition('withdraw', 'citizen', before.status);
  if (!check.ok) throw new InvalidTransitionError('withdraw', before.status);

  const stopsAtOnce = check.to === 'STOPPED';
  const after: Dossier = { ...before, status: check.to, ...(stopsAtOnce && reason ? { closingReason: reason } : {}) };
  const notice = stopsAtOnce
    ? await issueDossierDocument(deps, { order: { kind: 'FORM_05', signer: { name: deps.ward.name, position: 'BỘ PHẬN MỘT CỬA' } }, before, after, officerId: 'system' })
    : undefined;
  return recordChange(deps.dossiers, {
    before,
    after,
    ...(notice ? { records: { archived: [notice] }, publish: deps } : {}),
    actor: { role: 'citizen' },
    action: 'withdraw',
    event: { type: stopsAtOnce ? 'DOSSIER_STOPPED' : 'DOSSIER_WITHDRAWAL_REQUESTED', data: { reason: reason ?? null, clockGeneration: before.clockGeneration ?? null } },
    ...(stopsAtOnce ? { kpi: stopCounters(before) } : {}),
    note: reason,
    at: deps.clock.now(),
  });
}
