import { canonicalJson, cancellationKeyOf, sha256Of, type CancellationFacts, type CancellationRecord } from '../domain/archive';
import type { Dossier } from '../domain/dossier';
import { RuleViolationError, VersionConflictError } from '../domain/errors';
import { toVietnamIso } from '../domain/time';
import { signFacts, type IssuingDeps } from './issue-document';
import type { DossierStore } from './ports';
import { recordChange } from './record-change';
import { dossierNotFound } from './track-dossier';
import type { OfficerIdentity } from './transition-dossier';

/**
 * The leader cancels the dossier's e-result (`POST /officer/dossiers/{code}/result/cancel`). The
 * PDF stays archived as it was; a cancellation record — which file (its SHA-256), when, why, by
 * whom — is signed by the ward's key and archived beside it (written once), then recorded in one
 * transaction: the result marked cancelled, the document marked cancelled, the manifest entry
 * that chains the record, the history event and the outbox event that sends the citizen an SMS.
 * The status does not change. Verification then says "cancelled", and still "authentic".
 *
 * @throws NotFoundError · RuleViolationError (NO_RESULT, RESULT_ALREADY_CANCELLED) · VersionConflictError
 */
export async function cancelResult(
  deps: IssuingDeps & { readonly dossiers: DossierStore },
  request: { code: string; officer: OfficerIdentity; reason: string; expectedVersion?: number },
): Promise<Dossier> {
  const found = await deps.dossiers.getDossierWithHistory(request.code);
  if (!found) throw dossierNotFound();
  const before = found.dossier;
  if (request.expectedVersion !== undefined && request.expectedVersion !== before.version) throw new VersionConflictError();
  const result = before.result;
  const document = found.documents.find((candidate) => candidate.id === result?.documentId);
  if (!result || !document) {
    throw new RuleViolationError('NO_RESULT', { vi: 'Hồ sơ chưa có kết quả điện tử đã ký để hủy.', en: 'The dossier has no signed e-result to cancel.' });
  }
  if (result.cancellation || document.cancellation) {
    throw new RuleViolationError('RESULT_ALREADY_CANCELLED', { vi: 'Kết quả điện tử của hồ sơ đã bị hủy.', en: "The dossier's e-result is cancelled already." });
  }
  const now = deps.clock.now();
  const facts: CancellationFacts = {
    format: 'mot-cua-so/cancellation@1',
    ward: deps.ward.slug,
    dossierCode: before.code,
    documentId: document.id,
    objectKey: document.objectKey,
    documentSha256: document.sha256,
    cancelledAt: toVietnamIso(now),
    reason: request.reason,
    cancelledBy: { name: request.officer.name, officerId: request.officer.id },
  };
  const record: CancellationRecord = { facts, signature: await signFacts(await deps.signingIdentity(), facts) };
  const recordKey = cancellationKeyOf(document.objectKey);
  const recordJson = canonicalJson(record);
  // One cancellation per document: a record already there is another leader's, at the same time.
  if ((await deps.archive.putJson(recordKey, recordJson)) === 'EXISTS') throw new VersionConflictError();
  const cancellation = { at: now, reason: request.reason, by: { name: request.officer.name, officerId: request.officer.id }, recordKey };
  return recordChange(deps.dossiers, {
    before,
    after: { ...before, result: { ...result, cancellation } },
    actor: { role: 'leader', id: request.officer.id, name: request.officer.name },
    action: 'cancel-result',
    event: { type: 'RESULT_CANCELLED', data: { documentId: document.id } },
    note: request.reason,
    at: now,
    records: { cancelled: { dossierCode: before.code, documentId: document.id, cancellation, recordSha256: sha256Of(recordJson) } },
    publish: deps,
  });
}
