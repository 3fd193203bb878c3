/**
 * The ward's documents as PDF pages: results, refusal notices and the one-stop desk's official
 * forms 01–07 (Circular 03/2025/TT-VPCP, Appendix I), in the look of Decree 30/2020/NĐ-CP. The
 * bytes rendered here are then signed inside the PDF (PAdES) and archived by other modules; the
 * visible signature block says what that signature is (see {@link SignatureAppearance}).
 *
 * - ./document-types.ts: the documents, field by field, and their titles ({@link DOCUMENT_TITLES});
 * - ./document-content.ts: what each kind prints, in its form's words;
 * - ./pdf-layout.ts: the shared page layout (header, title, blocks, tables, signature, QR, footer);
 * - ./register.ts: the register's rows, shared by its PDF table and its CSV export;
 * - ./forms-from-dossier.ts: the forms built from a dossier and its history.
 *
 * Text: every string is normalised to NFC, so NFD input prints the same. In multi-line fields a
 * blank line separates paragraphs and a single line break starts a new line within one. A
 * character the fonts cannot draw throws {@link UnrenderableTextError}. The same document always
 * gives the same bytes.
 *
 * No AWS here: the caller signs, hashes and archives the bytes.
 *
 * Seen as a person sees it: tests/fixtures/forms/form-0N.png (and tests/fixtures/result-sample.png
 * for a result) are page 1 at 110 dpi; the tests compare them with fresh renderings, and
 * `UPDATE_DOCUMENT_SAMPLES=1 npx vitest run tests/unit/official-documents.test.ts
 * tests/unit/result-pdf.test.ts` rewrites them after a deliberate layout change.
 */
import { layoutOf } from './document-content';
import type { OfficialDocument } from './document-types';
import { renderLayout } from './pdf-layout';

export type {
  ApologyForm,
  ApplicantDetails,
  ControlSheetForm,
  DossierDocument,
  DossierRegisterForm,
  Handover,
  IntakeRefusalForm,
  OfficialDocument,
  OfficialDocumentKind,
  ReceiptForm,
  ReceivedDocument,
  RefusalDocument,
  ResultDocument,
  SignatureAppearance,
  StopNoticeForm,
  SupplementRequestForm,
} from './document-types';
export { DOCUMENT_TITLES, titleOf, titleOfKind } from './document-types';
export { certificateStandingOf, signatureBoxLines } from './document-content';
export { NATIONAL_MOTTO, NATIONAL_NAME, QR_CAPTION, UnrenderableTextError } from './pdf-layout';
export { REGISTER_COLUMNS, registerCsv, type RegisterRow } from './register';
export { dateLineOf, placeNameOf } from './text';

/**
 * Renders a document as an A4 PDF (the register in landscape).
 *
 * @throws UnrenderableTextError when a text holds a character the fonts cannot draw.
 */
export async function renderOfficialDocument(document: OfficialDocument): Promise<Uint8Array> {
  return renderLayout(layoutOf(document));
}
