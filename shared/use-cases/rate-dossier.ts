import type { RatingInput } from '../domain/actions';
import type { Dossier } from '../domain/dossier';
import { RuleViolationError } from '../domain/errors';
import type { Clock, DossierStore } from './ports';
import { ratingCounters } from './kpi-counters';
import { recordChange } from './record-change';
import { openDossier, type DossierKey } from './track-dossier';

/**
 * The citizen rates the service once, after the dossier is resolved (`POST /dossiers/{code}/rating`).
 * @throws NotFoundError · RuleViolationError (NOT_RESOLVED, ALREADY_RATED) · VersionConflictError
 */
export async function rateDossier(deps: { dossiers: DossierStore; clock: Clock }, code: string, key: DossierKey, input: RatingInput): Promise<Dossier> {
  const before = await openDossier(deps.dossiers, code, key);
  if (before.status !== 'RESOLVED' && before.status !== 'RETURNED') {
    throw new RuleViolationError('NOT_RESOLVED', {
      vi: 'Chỉ đánh giá được khi hồ sơ đã có kết quả.',
      en: 'A dossier can be rated only once it is resolved.',
    });
  }
  if (before.rating) throw new RuleViolationError('ALREADY_RATED', { vi: 'Hồ sơ này đã được đánh giá.', en: 'This dossier is rated already.' });
  const now = deps.clock.now();
  return recordChange(deps.dossiers, {
    before,
    after: { ...before, rating: { overall: input.overall, ...(input.comment ? { comment: input.comment } : {}), ratedAt: now } },
    actor: { role: 'citizen' },
    action: 'rate',
    event: { type: 'DOSSIER_RATED', data: { overall: input.overall } },
    kpi: ratingCounters(input.overall),
    note: input.comment,
    at: now,
  });
}
