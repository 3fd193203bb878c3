import { fileVerificationView } from '../../shared/api/views';
import { httpRoute } from '../../shared/runtime/http';
import { verifyDeps } from '../../shared/runtime/verifying';
import { verifyFile } from '../../shared/use-cases/verify-documents';

const deps = verifyDeps();

/** The bank's or agency's question: is this very file one the ward issued? (the body: the PDF, up to 4 MiB). */
// 4 MiB: API Gateway hands a PDF over as base64 (a third larger), and a Lambda request is capped at 6 MB.
export const handler = httpRoute({ binaryBody: { contentTypes: ['application/pdf'], maxBytes: 4 * 1024 * 1024 } }, async ({ bytes }) => {
  return { status: 200, body: fileVerificationView(await verifyFile(deps, bytes)) };
});
