import type { DossierWithHistory, IssuedDocument } from '../domain/dossier';
import { NotFoundError } from '../domain/errors';
import type { DocumentArchive, DownloadLink } from './ports';
import { legacyResult } from './verify-documents';

/** Every document of a dossier, oldest first, with an e-copy issued before documents were signed. */
export function documentsOf(found: DossierWithHistory): IssuedDocument[] {
  return [...found.documents, ...legacyResult(found.dossier, found.documents)];
}

/** What the citizen holds with the secret: the e-result and forms 01–05 (the control sheet, 06, is the ward's). */
export function citizenDocuments(found: DossierWithHistory): IssuedDocument[] {
  return documentsOf(found).filter((document) => document.kind !== 'FORM_06');
}

/**
 * A short-lived link to one of `documents`.
 * @throws NotFoundError when the dossier has no such document
 */
export async function documentLink(archive: DocumentArchive, code: string, documents: readonly IssuedDocument[], id: string): Promise<DownloadLink & { sha256: string }> {
  const document = documents.find((candidate) => candidate.id === id);
  if (!document) throw new NotFoundError({ vi: 'Hồ sơ không có văn bản này.', en: 'The dossier has no such document.' });
  return { ...(await archive.downloadLink(document.objectKey, `${code}-${id}.pdf`)), sha256: document.sha256 };
}
