import { isDeepStrictEqual } from 'node:util';
import { messageKey } from './dossier';
import type { FieldIssue } from './errors';
import type { Procedure } from './procedure';

/**
 * What a request to complete or supplement a dossier ("yêu cầu bổ sung, hoàn thiện hồ sơ") lets
 * the citizen change, and what a supplement changed: form fields by their name in the procedure's
 * catalog entry, required documents by their id. Names and ids only, never values: this is what
 * the history keeps, and the history is shown to every officer of the ward.
 */
export interface ChangeScope {
  readonly fields: readonly string[];
  readonly documents: readonly string[];
}

/** A request that names nothing: the citizen may answer with a note, and change nothing. */
export const NOTHING_REQUESTED: ChangeScope = { fields: [], documents: [] };

/** Each name once, in the order first given. */
export const scopeOf = (fields: readonly string[] = [], documents: readonly string[] = []): ChangeScope => ({
  fields: [...new Set(fields)],
  documents: [...new Set(documents)],
});

/**
 * The targets of a request that the dossier's procedure version does not have, as issues under
 * `body.fields.<n>` and `body.documents.<n>`.
 */
export function targetsOutsideProcedure(
  procedure: Pick<Procedure, 'formFields' | 'documents'>,
  requested: { readonly fields?: readonly string[]; readonly documents?: readonly string[] },
): FieldIssue[] {
  const fieldNames = new Set(procedure.formFields.map((field) => field.name));
  const documentIds = new Set(procedure.documents.map((document) => document.id));
  return [
    ...(requested.fields ?? []).flatMap((name, index) => (fieldNames.has(name) ? [] : [{ path: `body.fields.${index}`, message: messageKey('FIELD_NOT_IN_PROCEDURE') }])),
    ...(requested.documents ?? []).flatMap((id, index) => (documentIds.has(id) ? [] : [{ path: `body.documents.${index}`, message: messageKey('DOCUMENT_NOT_IN_PROCEDURE') }])),
  ];
}

/** What a citizen's supplement sends, already checked against the procedure. */
export interface SupplementContent {
  /** The form fields as sent (only these may have changed). */
  readonly sentFormData?: Readonly<Record<string, unknown>>;
  /** The whole form after the supplement, as the procedure's schema parsed it (normalised values). */
  readonly formDataAfter: Readonly<Record<string, unknown>>;
  readonly attachments: readonly { readonly documentId: string }[];
}

/**
 * What a supplement changes — the form fields whose value differs from the dossier's, the
 * documents it adds files for — and, as issues, every change the request did not name. A field
 * sent again with the value it has is no change (a portal may send the whole form back).
 */
export function supplementChanges(
  requested: ChangeScope,
  formDataBefore: Readonly<Record<string, unknown>>,
  content: SupplementContent,
): { changed: ChangeScope; issues: FieldIssue[] } {
  const changedFields = Object.keys(content.sentFormData ?? {}).filter((name) => !isDeepStrictEqual(content.formDataAfter[name], formDataBefore[name]));
  const issues: FieldIssue[] = [
    ...changedFields.filter((name) => !requested.fields.includes(name)).map((name) => ({ path: `body.formData.${name}`, message: messageKey('FIELD_NOT_REQUESTED') })),
    ...content.attachments.flatMap((attachment, index) =>
      requested.documents.includes(attachment.documentId) ? [] : [{ path: `body.attachments.${index}.documentId`, message: messageKey('DOCUMENT_NOT_REQUESTED') }],
    ),
  ];
  return {
    changed: scopeOf(
      changedFields,
      content.attachments.map((attachment) => attachment.documentId),
    ),
    issues,
  };
}
