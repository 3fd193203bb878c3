import type { DocumentKind } from '../domain/archive';
import type { Dossier, HistoryEvent } from '../domain/dossier';
import { messageKey } from '../domain/dossier';
import { ValidationError } from '../domain/errors';
import { DOCUMENT_TITLES, titleOfKind, type OfficialDocument } from '../documents/document-types';
import { loadRenderer } from '../documents/load-renderer';
import { formDocumentOf } from '../documents/forms-from-dossier';
import { issueDocument, publishManifestEntries, type IssuingDeps } from './issue-document';
import type { ArchivedDocument, DocumentStore, DossierStore } from './ports';

/** The position printed under a reception officer's name on the forms of the one-stop desk. */
export const RECEPTION_POSITION = 'CÔNG CHỨC TIẾP NHẬN HỒ SƠ';

/** The position printed under a leader's name when the leader names none. */
export const LEADER_POSITION = 'CHỦ TỊCH';

/** What a change asks to issue: the kind, who signs, and what only the officer's input says. */
export interface DocumentOrder {
  readonly kind: DocumentKind;
  readonly signer: { readonly name: string; readonly position: string };
  readonly documentNumber?: string;
  /** A RESULT's own name (printed upper-case as its title). */
  readonly title?: string;
  /** A RESULT's or REFUSAL's body text. */
  readonly content?: string;
}

/**
 * Issues the document a change of `before` into `after` asks for: built from the dossier as the
 * change leaves it (the receipt shows the new appointment, form 02 the items asked for), signed,
 * archived. Text the document's fonts cannot print is the officer's to fix: 400.
 *
 * @throws ValidationError (TEXT_NOT_PRINTABLE) · VersionConflictError (see issueDocument)
 */
export async function issueDossierDocument(
  deps: IssuingDeps,
  request: { readonly order: DocumentOrder; readonly before: Dossier; readonly after: Dossier; readonly officerId: string; readonly history?: readonly HistoryEvent[] },
): Promise<ArchivedDocument> {
  const { order, after } = request;
  const documentNumber = order.documentNumber ?? after.code;
  return issueDocument(deps, {
    kind: order.kind,
    dossier: after,
    decidedOnVersion: request.before.version,
    title: titleOfKind(order.kind, resultNameOf(order, after)),
    documentNumber,
    signer: { ...order.signer, officerId: request.officerId },
    render: (context) =>
      renderOrRefuse(documentOf(order, after, request.history ?? [], { ward: { name: deps.ward.name, province: deps.ward.province }, documentNumber, ...context })),
  });
}

type DocumentContext = Pick<OfficialDocument, 'ward' | 'documentNumber' | 'issuedAt' | 'verifyUrl' | 'signature'>;

function documentOf(order: DocumentOrder, dossier: Dossier, history: readonly HistoryEvent[], context: DocumentContext): OfficialDocument {
  const common = {
    ...context,
    dossierCode: dossier.code,
    procedureName: dossier.procedure.name,
    applicant: {
      fullName: dossier.applicant.fullName,
      idNumber: dossier.applicant.idNumber,
      ...(dossier.applicant.address ? { address: dossier.applicant.address } : {}),
    },
  };
  switch (order.kind) {
    case 'RESULT':
      return { ...common, kind: 'RESULT', title: resultNameOf(order, dossier), content: order.content ?? '' };
    case 'REFUSAL':
      return { ...common, kind: 'REFUSAL', subject: dossier.result?.title ?? DOCUMENT_TITLES.REFUSAL, content: order.content ?? '' };
    case 'FORM_07':
      throw new Error('a register (form 07) belongs to no dossier: see issueRegister');
    default:
      return formDocumentOf(order.kind, dossier, history, context);
  }
}

/** A RESULT's own name: the leader's, or the procedure's result type. */
const resultNameOf = (order: DocumentOrder, dossier: Dossier): string => order.title ?? dossier.procedure.resultType;

/** Renders a document; text its fonts cannot print is the officer's to fix: 400 (TEXT_NOT_PRINTABLE). */
export async function renderOrRefuse(document: OfficialDocument): Promise<Uint8Array> {
  try {
    const { renderOfficialDocument } = await loadRenderer();
    return await renderOfficialDocument(document);
  } catch (error) {
    if (error instanceof Error && (error as { code?: unknown }).code === 'UNRENDERABLE_TEXT') {
      throw new ValidationError([{ path: 'body', message: messageKey('TEXT_NOT_PRINTABLE') }], { vi: error.message, en: error.message });
    }
    throw error;
  }
}

/**
 * The receipt (form 01) of a counter dossier, issued right after the dossier is created (its code
 * is only final then) and recorded with its manifest entry. A retried counter submission finds the
 * dossier with its receipt and issues nothing; one whose first attempt stopped in between gets it now.
 * Answers the receipt's document id (undefined for an online dossier, which has none, or no dossier).
 */
export async function ensureCounterReceipt(
  deps: IssuingDeps & { readonly dossiers: DossierStore; readonly documents: DocumentStore },
  code: string,
  officer: { readonly id: string; readonly name: string },
): Promise<string | undefined> {
  const found = await deps.dossiers.getDossierWithHistory(code);
  if (!found || found.dossier.channel === 'ONLINE') return undefined;
  const issued = found.documents.find((document) => document.kind === 'FORM_01');
  if (issued) return issued.id;
  const receipt = await issueDossierDocument(deps, {
    order: { kind: 'FORM_01', signer: { name: officer.name, position: RECEPTION_POSITION } },
    before: found.dossier,
    after: found.dossier,
    officerId: officer.id,
    history: found.history,
  });
  const entries = await deps.documents.recordDocuments({ archived: [receipt], at: deps.clock.now() });
  await publishManifestEntries(deps, entries);
  return receipt.document.id;
}
