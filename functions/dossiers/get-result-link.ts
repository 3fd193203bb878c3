import { contract } from '../../shared/api/contract';
import { toVietnamIso } from '../../shared/domain/time';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { dossierKeyOf, signedInApplicantOf } from '../../shared/runtime/citizen';
import { ward } from '../../shared/runtime/env';
import { httpRoute } from '../../shared/runtime/http';
import { documentArchive } from '../../shared/runtime/s3';
import { getResultLink } from '../../shared/use-cases/get-result-link';
import { systemClock } from '../../shared/use-cases/ports';

const deps = { dossiers: dossierStore(), archive: documentArchive(), clock: systemClock, ward };

export const handler = httpRoute(
  { params: contract.GetResultLink.params, headers: contract.GetResultLink.headers },
  async ({ params, headers }, applicant) => {
    const link = await getResultLink(deps, params.code, dossierKeyOf(headers['x-dossier-secret'], applicant));
    return { status: 200, body: { url: link.url, expiresAt: toVietnamIso(link.expiresAt), sha256: link.sha256 } };
  },
  signedInApplicantOf,
);
