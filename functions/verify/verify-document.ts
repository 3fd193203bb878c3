import { contract } from '../../shared/api/contract';
import { fileVerificationView } from '../../shared/api/views';
import { httpRoute } from '../../shared/runtime/http';
import { verifyDeps } from '../../shared/runtime/verifying';
import { verifyFile } from '../../shared/use-cases/verify-documents';

const deps = verifyDeps();

/** The bank's or agency's question: is this very file one the ward issued? (the body: the PDF, up to 4 MiB). */
export const handler = httpRoute({ binaryBody: contract.VerifyDocument.binaryBody }, async ({ bytes }) => {
  return { status: 200, body: fileVerificationView(await verifyFile(deps, bytes)) };
});
