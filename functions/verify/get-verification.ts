import { contract } from '../../shared/api/contract';
import { VERIFY_PAGE_CSP, verifyPageHtml } from '../../shared/api/verify-page';
import { verificationView } from '../../shared/api/views';
import { httpRoute } from '../../shared/runtime/http';
import { verifyDeps } from '../../shared/runtime/verifying';
import { verifyCode } from '../../shared/use-cases/verify-documents';

const deps = verifyDeps();

/** HTML for the browser that followed a QR code; JSON for a client that asks for it (Accept or `?format=json`). */
export const handler = httpRoute({ params: contract.GetVerification.params, query: contract.GetVerification.query }, async ({ params, query, accept, lang }) => {
  const verification = await verifyCode(deps, params.code);
  const wantsJson = query.format === 'json' || (query.format === undefined && !accept.includes('text/html'));
  if (wantsJson) return { status: 200, body: verificationView(verification) };
  return {
    status: 200,
    contentType: 'text/html; charset=utf-8',
    body: verifyPageHtml(verification, query.lang ?? lang),
    headers: { 'Content-Security-Policy': VERIFY_PAGE_CSP },
  };
});
