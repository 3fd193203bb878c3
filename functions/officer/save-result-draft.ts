import { contract } from '../../shared/api/contract';
import { resultDraftView, transitionResultView } from '../../shared/api/views';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { officerRoute } from '../../shared/runtime/officer';
import { systemClock } from '../../shared/use-cases/ports';
import { saveResultDraft } from '../../shared/use-cases/save-result-draft';

const deps = { dossiers: dossierStore(), clock: systemClock };

export const handler = officerRoute(
  'SaveResultDraft',
  { params: contract.SaveResultDraft.params, headers: contract.SaveResultDraft.headers, body: contract.SaveResultDraft.body },
  async ({ params, headers, body }, officer) => {
    const dossier = await saveResultDraft(deps, { code: params.code, officer, draft: body, expectedVersion: headers['if-match'] });
    if (!dossier.resultDraft) throw new Error(`result draft of ${dossier.code} not recorded`);
    return {
      status: 200,
      body: { ...transitionResultView(dossier), resultDraft: resultDraftView({ source: 'SAVED', ...dossier.resultDraft }) },
      headers: { ETag: `"${dossier.version}"` },
    };
  },
);
