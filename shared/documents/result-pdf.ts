/**
 * Results and refusal notices, under the names the transition use case has used since before the
 * official forms: a thin alias of ./official-document.ts, which renders every document the ward
 * issues (the RESULT and REFUSAL kinds of {@link OfficialDocument}).
 */
import { renderOfficialDocument, type RefusalDocument, type ResultDocument as ApprovedResult } from './official-document';

export { DOCUMENT_TITLES, NATIONAL_MOTTO, NATIONAL_NAME, QR_CAPTION, UnrenderableTextError, dateLineOf, placeNameOf } from './official-document';
export type { OfficialDocument, SignatureAppearance } from './official-document';

/** An approved result, or a refusal notice ("văn bản từ chối"). */
export type ResultDocument = ApprovedResult | RefusalDocument;

export function renderResultPdf(document: ResultDocument): Promise<Uint8Array> {
  return renderOfficialDocument(document);
}
