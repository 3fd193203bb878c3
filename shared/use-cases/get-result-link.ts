import { VersionConflictError } from '../domain/errors';
import { RuleViolationError } from '../domain/errors';
import { isHandedAway } from '../domain/handover';
import { checkTransition } from '../domain/status';
import type { Clock, DocumentArchive, DossierStore, DownloadLink } from './ports';
import { recordChange } from './record-change';
import { openDossier, type DossierKey } from './track-dossier';

/**
 * A short-lived link to the dossier's e-result (`GET /dossiers/{code}/result`, with the secret).
 * Handing a fully-online result to its citizen is its return: the dossier becomes RETURNED
 * (by the system) the first time the link is given out.
 *
 * @throws NotFoundError · RuleViolationError (NOT_RESOLVED)
 */
export async function getResultLink(
  deps: { dossiers: DossierStore; archive: DocumentArchive; clock: Clock; ward?: { readonly slug: string } },
  code: string,
  key: DossierKey,
): Promise<DownloadLink & { sha256: string; returned: boolean }> {
  const dossier = await openDossier(deps.dossiers, code, key);
  const result = dossier.result;
  if (!result || result.cancellation || (dossier.status !== 'RESOLVED' && dossier.status !== 'RETURNED')) {
    throw new RuleViolationError('NOT_RESOLVED', { vi: 'Hồ sơ chưa có kết quả điện tử.', en: 'The dossier has no e-result yet.' });
  }
  const link = await deps.archive.downloadLink(result.archiveKey, `${dossier.code}.pdf`);
  let returned = dossier.status === 'RETURNED';
  // A copy of a dossier handed to another ward is that ward's to change: the link is all it gives.
  const handedAway = deps.ward !== undefined && isHandedAway(dossier, deps.ward.slug);
  if (!handedAway && dossier.fullyOnline && checkTransition('auto-return', 'system', dossier.status).ok) {
    const now = deps.clock.now();
    try {
      await recordChange(deps.dossiers, {
        before: dossier,
        after: { ...dossier, status: 'RETURNED', returnedAt: now, returnMethod: 'ONLINE' },
        actor: { role: 'system' },
        action: 'auto-return',
        event: { type: 'RESULT_RETURNED', data: { method: 'ONLINE' } },
        kpi: { returned: 1 },
        at: now,
      });
      returned = true;
    } catch (error) {
      // Another request returned it (or changed it) first; the link is good either way.
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }
  return { ...link, sha256: result.sha256, returned };
}
