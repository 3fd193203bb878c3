import { contract } from '../../shared/api/contract';
import { toVietnamIso } from '../../shared/domain/time';
import { registerCsv } from '../../shared/documents/register';
import { documentStore, worklistStore } from '../../shared/runtime/dynamodb';
import { publicBaseUrl } from '../../shared/runtime/env';
import { issuingDeps } from '../../shared/runtime/issuing';
import { officerRoute } from '../../shared/runtime/officer';
import { issueRegister, registerRows } from '../../shared/use-cases/dossier-register';
import { verifyUrlOf } from '../../shared/use-cases/issue-document';

const deps = { ...issuingDeps(), worklist: worklistStore(), documents: documentStore() };

export const handler = officerRoute('GetRegister', { query: contract.GetRegister.query }, async ({ query }, officer) => {
  const period = { from: query.from, to: query.to };
  if (query.format === 'csv') {
    return {
      status: 200,
      contentType: 'text/csv; charset=utf-8',
      body: registerCsv(await registerRows(deps, period)),
      headers: { 'Content-Disposition': `attachment; filename="so-theo-doi-ho-so-${period.from}-${period.to}.csv"` },
    };
  }
  const { document, rows } = await issueRegister(deps, period, officer);
  const link = await deps.archive.downloadLink(document.objectKey, `${document.id}.pdf`);
  return {
    status: 200,
    body: {
      url: link.url,
      expiresAt: toVietnamIso(link.expiresAt),
      sha256: document.sha256,
      documentId: document.id,
      documentNumber: document.documentNumber,
      period,
      rows,
      verifyUrl: verifyUrlOf(publicBaseUrl, document.id),
    },
  };
});
