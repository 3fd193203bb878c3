import { formDataSchema, messageKey, type Attachment } from '../domain/dossier';
import { ValidationError, type FieldIssue } from '../domain/errors';
import type { Procedure } from '../domain/procedure';
import type { AttachmentStore } from './ports';

/** An attachment as a request names it: an upload, and which of the procedure's documents it is. */
export interface AttachmentRef {
  readonly uploadId: string;
  readonly documentId: string;
}

/** Form data checked against the procedure's fields: the parsed data, or the issues (under `body.formData`). */
export function checkFormData(procedure: Procedure, formData: unknown): { data?: Record<string, unknown>; issues: FieldIssue[] } {
  const form = formDataSchema(procedure).safeParse(formData);
  if (form.success) return { data: form.data, issues: [] };
  return { issues: form.error.issues.map((issue) => ({ path: ['body', 'formData', ...issue.path.map(String)].join('.'), message: issue.message })) };
}

/** Each attachment is one of the procedure's documents, and no upload is attached twice. */
export function checkAttachmentRefs(procedure: Procedure, attachments: readonly AttachmentRef[]): FieldIssue[] {
  const documentIds = new Set(procedure.documents.map((d) => d.id));
  const seenUploads = new Set<string>();
  const issues: FieldIssue[] = [];
  attachments.forEach((attachment, index) => {
    if (!documentIds.has(attachment.documentId)) issues.push({ path: `body.attachments.${index}.documentId`, message: messageKey('DOCUMENT_NOT_IN_PROCEDURE') });
    if (seenUploads.has(attachment.uploadId)) issues.push({ path: `body.attachments.${index}.uploadId`, message: messageKey('UPLOAD_DUPLICATED') });
    seenUploads.add(attachment.uploadId);
  });
  return issues;
}

/**
 * Claims every attachment (in parallel; a claim is idempotent), so that a dossier never points at
 * a file that expires. @throws ValidationError UNKNOWN_UPLOAD when an upload does not exist.
 */
export async function claimAttachments(store: AttachmentStore, references: readonly AttachmentRef[]): Promise<Attachment[]> {
  const claimed = await Promise.all(references.map((reference) => store.claim(reference.uploadId)));
  const issues: FieldIssue[] = [];
  const attachments: Attachment[] = [];
  references.forEach((reference, index) => {
    const object = claimed[index];
    if (!object) issues.push({ path: `body.attachments.${index}.uploadId`, message: messageKey('UPLOAD_NOT_FOUND') });
    else attachments.push({ ...object, documentId: reference.documentId });
  });
  if (issues.length > 0) throw new ValidationError(issues, { vi: 'Có tệp đính kèm không tồn tại.', en: 'Some attachments do not exist.' }, 'UNKNOWN_UPLOAD');
  return attachments;
}
