import { registerIdOf } from '../domain/archive';
import type { IssuedDocument } from '../domain/dossier';
import { ValidationError } from '../domain/errors';
import { addDays, vietnamDate, vietnamInstant } from '../domain/time';
import { DOCUMENT_TITLES } from '../documents/document-types';
import { registerDocumentOf, registerRowOf } from '../documents/forms-from-dossier';
import type { RegisterRow } from '../documents/register';
import { LEADER_POSITION, RECEPTION_POSITION, renderOrRefuse } from './dossier-documents';
import { issueDocument, publishManifestEntries, type IssuingDeps } from './issue-document';
import { reportDays } from './kpi-report';
import type { Clock, DocumentStore, WorklistStore } from './ports';
import type { OfficerIdentity } from './transition-dossier';

/** A register covers at most a month: the desk keeps it month by month, and its PDF stays printable. */
export const MAX_REGISTER_DAYS = 31;

/** Local days (Vietnam), `YYYY-MM-DD`, both included. */
export interface RegisterPeriod {
  readonly from: string;
  readonly to: string;
}

/**
 * The register's rows: every dossier received in the period, in order of receipt, as it stands
 * now (its status, dates and notes). The period may not end after today.
 *
 * @throws ValidationError when the period is reversed, longer than {@link MAX_REGISTER_DAYS} or ends in the future
 */
export async function registerRows(deps: { readonly worklist: WorklistStore; readonly clock: Clock }, period: RegisterPeriod): Promise<RegisterRow[]> {
  reportDays(period.from, period.to, MAX_REGISTER_DAYS);
  if (period.to > vietnamDate(deps.clock.now())) {
    throw new ValidationError([{ path: 'query.to', message: { vi: 'Sổ theo dõi không thể ghi ngày trong tương lai.', en: 'A register cannot cover days still to come.' } }]);
  }
  const received = await deps.worklist.listReceived({ from: vietnamInstant(period.from, 0), to: vietnamInstant(addDays(period.to, 1), 0) });
  return received.map(registerRowOf);
}

/**
 * Form 07, the dossier register of a period: its rows as {@link registerRows} reads them,
 * rendered, signed by the ward key in the name of the officer who asked, archived under
 * `registers/` and recorded with its manifest entry. Each call issues a new register (its id
 * names the instant): the register is the desk's record of the dossiers at that moment.
 *
 * @throws ValidationError · VersionConflictError (see issueDocument)
 */
export async function issueRegister(
  deps: IssuingDeps & { readonly worklist: WorklistStore; readonly documents: DocumentStore },
  period: RegisterPeriod,
  officer: OfficerIdentity,
): Promise<{ readonly document: IssuedDocument; readonly rows: number }> {
  const rows = await registerRows(deps, period);
  const issuedAt = deps.clock.now();
  const documentId = registerIdOf(period, issuedAt);
  const documentNumber = `${documentId.slice(-17)}/STD-BPMC`;
  const archived = await issueDocument(deps, {
    kind: 'FORM_07',
    documentId,
    issuedAt,
    title: DOCUMENT_TITLES.FORM_07,
    documentNumber,
    signer: { name: officer.name, position: officer.roles.includes('leader') ? LEADER_POSITION : RECEPTION_POSITION, officerId: officer.id },
    period,
    render: (context) => renderOrRefuse(registerDocumentOf(rows, period, { ward: { name: deps.ward.name, province: deps.ward.province }, documentNumber, ...context })),
  });
  // issueDocument hands back a register already archived under this id when the same officer's
  // other request of the same millisecond got there first; if that one recorded it, it is not recorded twice.
  if ((await deps.documents.getRegisterDocument(archived.document.id)) === undefined) {
    const entries = await deps.documents.recordDocuments({ archived: [archived], at: deps.clock.now() });
    await publishManifestEntries(deps, entries);
  }
  return { document: archived.document, rows: rows.length };
}
