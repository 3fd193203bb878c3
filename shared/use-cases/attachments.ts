import en from 'zod/v4/locales/en.js';
import vi from 'zod/v4/locales/vi.js';
import { formDataSchema, messageKey, type Attachment } from '../domain/dossier';
import { UploadAlreadyAttachedError, UploadScanPendingError, ValidationError, type FieldIssue } from '../domain/errors';
import type { Procedure } from '../domain/procedure';
import { detectContentType, refusalOf } from '../domain/uploads';
import type { AttachmentStore, InspectedUpload } from './ports';

/** An attachment as a request names it: an upload, and which of the procedure's documents it is. */
export interface AttachmentRef {
  readonly uploadId: string;
  readonly documentId: string;
}

/** zod's own messages in the two languages of the API (not every locale zod knows). */
const ZOD_LOCALES = { vi: vi().localeError, en: en().localeError } as const;

/**
 * Form data checked against the procedure's fields: the parsed data, or the issues (under
 * `body.formData`), each in Vietnamese and English and naming the field by its label.
 */
export function checkFormData(procedure: Procedure, formData: unknown): { data?: Record<string, unknown>; issues: FieldIssue[] } {
  const schema = formDataSchema(procedure);
  const inVietnamese = schema.safeParse(formData, { error: ZOD_LOCALES.vi });
  if (inVietnamese.success) return { data: inVietnamese.data, issues: [] };
  // The same schema on the same data reports the same issues in the same order.
  const inEnglish = schema.safeParse(formData, { error: ZOD_LOCALES.en }).error?.issues ?? [];
  const labels = new Map(procedure.formFields.map((field) => [field.name, field.label]));
  return {
    issues: inVietnamese.error.issues.flatMap((issue, index): FieldIssue[] => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({ path: ['body', 'formData', key].join('.'), message: messageKey('FIELD_NOT_IN_PROCEDURE') }));
      }
      const label = labels.get(String(issue.path[0]));
      // Our own messages are keys (`@KEY`), translated when the problem is written.
      const message = issue.message.startsWith('@') ? issue.message : { vi: issue.message, en: inEnglish[index]?.message ?? issue.message };
      return [{ path: ['body', 'formData', ...issue.path.map(String)].join('.'), message, ...(label === undefined ? {} : { label }) }];
    }),
  };
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

/** Waits between inspections of an upload the malware scanner has not finished with, before answering 503 (about 3.5 s in all). */
export const SCAN_WAITS_MS: readonly number[] = [500, 1000, 2000];

/**
 * Checks every attachment's upload and keeps it (copies it out of the expiring incoming area),
 * so that a dossier never points at a file that expires; the dossier's transaction then claims
 * each for that dossier, once (DossierStore). Nothing is claimed here, so that concurrent
 * retries of one submission all come this far and the transaction decides between them.
 *
 * An upload is accepted when its first bytes are of the declared type, its size is the declared
 * size and the malware scanner found it clean (local mode has no scanner: see MalwareScan).
 *
 * @throws ValidationError UNKNOWN_UPLOAD when an upload does not exist (or expired), UPLOAD_REFUSED
 *   when one is not what it claims to be or is infected (field by field)
 * @throws UploadAlreadyAttachedError (409) when an upload is gone from the incoming area because a dossier kept it
 * @throws UploadScanPendingError (503, Retry-After) when the scanner has not finished after `scanWaitsMs`
 */
export async function keepAttachments(store: AttachmentStore, references: readonly AttachmentRef[], scanWaitsMs: readonly number[] = SCAN_WAITS_MS): Promise<Attachment[]> {
  const issues: FieldIssue[] = [];
  const attachedElsewhere: string[] = [];
  let pending = false;
  const accepted = await Promise.all(
    references.map(async (reference, index): Promise<{ upload: InspectedUpload; documentId: string } | undefined> => {
      const upload = await inspectWhenScanned(store, reference.uploadId, scanWaitsMs);
      const path = `body.attachments.${index}.uploadId`;
      if (!upload) {
        if (await store.claimed(reference.uploadId)) attachedElsewhere.push(reference.uploadId);
        else issues.push({ path, message: messageKey('UPLOAD_NOT_FOUND') });
        return undefined;
      }
      if (upload.scan === 'PENDING') {
        pending = true;
        return undefined;
      }
      const refusal = refusalOf({
        declaredType: upload.object.contentType,
        declaredSize: upload.declaredSize,
        size: upload.object.size,
        detectedType: await detectContentType(upload.firstBytes),
        scan: upload.scan,
      });
      if (!refusal) return { upload, documentId: reference.documentId };
      issues.push({ path, message: messageKey(refusal) });
      return undefined;
    }),
  );
  if (issues.length > 0) {
    issues.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
    if (issues.every((issue) => issue.message === messageKey('UPLOAD_NOT_FOUND'))) {
      throw new ValidationError(issues, { vi: 'Có tệp đính kèm không tồn tại.', en: 'Some attachments do not exist.' }, 'UNKNOWN_UPLOAD');
    }
    throw new ValidationError(issues, { vi: 'Có tệp đính kèm không được chấp nhận.', en: 'Some attachments are refused.' }, 'UPLOAD_REFUSED');
  }
  if (attachedElsewhere.length > 0) throw new UploadAlreadyAttachedError(attachedElsewhere);
  if (pending) throw new UploadScanPendingError();

  const ready = accepted.filter((entry) => entry !== undefined);
  await Promise.all(ready.map(({ upload }) => store.keep(upload)));
  return ready.map(({ upload, documentId }) => ({ ...upload.object, documentId }));
}

async function inspectWhenScanned(store: AttachmentStore, uploadId: string, waitsMs: readonly number[]): Promise<InspectedUpload | undefined> {
  let upload = await store.inspect(uploadId);
  for (const wait of waitsMs) {
    if (upload?.scan !== 'PENDING') break;
    await new Promise((resolve) => setTimeout(resolve, wait));
    upload = await store.inspect(uploadId);
  }
  return upload;
}
