import type { DossierWithHistory, IssuedDocument } from '../domain/dossier';
import { fillResultTemplate } from '../domain/result-template';
import { allowedTransitions, type ConsoleAction, type OfficerRole } from '../domain/status';
import type { WardConfig } from '../domain/ward-config';
import { clockRuns } from './deadlines';
import type { CatalogStore, DossierStore } from './ports';
import { documentsOf } from './list-documents';
import { dossierNotFound } from './track-dossier';

/** The result as the console shows it for editing: the specialist's saved draft, or the procedure's template filled in. */
export type ResultDraftProposal =
  | {
      readonly source: 'SAVED';
      readonly title: string;
      readonly content: string;
      readonly documentNumber?: string;
      readonly savedAt: Date;
      readonly savedBy: { id: string; name: string };
    }
  | { readonly source: 'TEMPLATE'; readonly title: string; readonly content: string };

export interface OfficerDossier {
  readonly found: DossierWithHistory;
  /** Every document issued for it, e-copies issued before documents were signed included (documentsOf). */
  readonly documents: readonly IssuedDocument[];
  /** What an officer with these roles may do now, in CONSOLE_ACTIONS order (shared/domain/status.ts). */
  readonly allowedActions: readonly ConsoleAction[];
  /** While the dossier is processed (IN_PROGRESS), or whenever a draft is saved; undefined otherwise. */
  readonly resultDraft?: ResultDraftProposal;
}

/**
 * The leader may issue one apology letter while the dossier's clock runs
 * (the rule issueApology enforces, shared/use-cases/issue-apology.ts).
 */
export const mayApologize = (found: DossierWithHistory): boolean => found.dossier.apology === undefined && clockRuns(found.dossier);

/** The leader may cancel a signed e-result not cancelled yet (the rule of cancelResult). */
export function mayCancelResult(found: DossierWithHistory): boolean {
  const { result } = found.dossier;
  const document = found.documents.find((candidate) => candidate.id === result?.documentId);
  return result !== undefined && document !== undefined && result.cancellation === undefined && document.cancellation === undefined;
}

/** The actions an officer holding `roles` may take on the dossier now: each is one the API then accepts (given the right fields and version). */
export function allowedActionsOf(found: DossierWithHistory, roles: readonly OfficerRole[]): ConsoleAction[] {
  const { dossier } = found;
  const leader = roles.includes('leader');
  return [
    ...allowedTransitions(roles, dossier.status, dossier.statusBeforeSupplement),
    ...(leader && mayApologize(found) ? (['issue-apology'] as const) : []),
    ...(leader && mayCancelResult(found) ? (['cancel-result'] as const) : []),
  ];
}

/**
 * `GET /officer/dossiers/{code}`: the dossier with its history and documents (one Query), what the
 * caller may do with it, and the result to edit: the saved draft, else (while IN_PROGRESS) the
 * template of the dossier's procedure version filled from the dossier (one GetItem of the catalog).
 *
 * @throws NotFoundError (no such dossier)
 */
export async function getOfficerDossier(
  deps: { readonly dossiers: DossierStore; readonly catalog: CatalogStore; readonly ward: Pick<WardConfig, 'name'> },
  request: { readonly code: string; readonly roles: readonly OfficerRole[] },
): Promise<OfficerDossier> {
  const found = await deps.dossiers.getDossierWithHistory(request.code);
  if (!found) throw dossierNotFound();
  const { dossier } = found;
  const view = { found, documents: documentsOf(found), allowedActions: allowedActionsOf(found, request.roles) };
  if (dossier.resultDraft) return { ...view, resultDraft: { source: 'SAVED', ...dossier.resultDraft } };
  if (dossier.status !== 'IN_PROGRESS') return view;
  const procedure = await deps.catalog.getVersion(dossier.procedure.code, dossier.procedure.version);
  if (!procedure) throw new Error(`procedure ${dossier.procedure.code}@${dossier.procedure.version} of ${dossier.code} is not in the table`);
  return { ...view, resultDraft: { source: 'TEMPLATE', ...fillResultTemplate(procedure, dossier, deps.ward) } };
}
