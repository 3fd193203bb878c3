import { contract } from '../../shared/api/contract';
import { transitionResultView } from '../../shared/api/views';
import { renderResultPdf } from '../../shared/documents/result-pdf';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { publicBaseUrl, ward } from '../../shared/runtime/env';
import { officerRoute } from '../../shared/runtime/officer';
import { resultArchive } from '../../shared/runtime/s3';
import { systemClock } from '../../shared/use-cases/ports';
import { transitionDossier } from '../../shared/use-cases/transition-dossier';

const deps = { dossiers: dossierStore(), renderResult: renderResultPdf, archive: resultArchive(), clock: systemClock, ward, publicBaseUrl };

export const handler = officerRoute(
  'TransitionDossier',
  { params: contract.TransitionDossier.params, headers: contract.TransitionDossier.headers, body: contract.TransitionDossier.body },
  async ({ params, headers, body }, officer) => {
    const dossier = await transitionDossier(deps, { code: params.code, officer, input: body, expectedVersion: headers['if-match'] });
    return { status: 200, body: transitionResultView(dossier), headers: { ETag: `"${dossier.version}"` } };
  },
);
