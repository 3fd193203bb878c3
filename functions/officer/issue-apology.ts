import { contract } from '../../shared/api/contract';
import { transitionResultView } from '../../shared/api/views';
import type { Dossier } from '../../shared/domain/dossier';
import { toVietnamIso } from '../../shared/domain/time';
import { dossierStore } from '../../shared/runtime/dynamodb';
import { officerRoute } from '../../shared/runtime/officer';
import { issueApology } from '../../shared/use-cases/issue-apology';
import { issuingDeps } from '../../shared/runtime/issuing';

const deps = { ...issuingDeps(), dossiers: dossierStore() };

export const handler = officerRoute(
  'IssueApology',
  { params: contract.IssueApology.params, headers: contract.IssueApology.headers, body: contract.IssueApology.body },
  async ({ params, headers, body }, officer) => {
    const dossier = await issueApology(deps, { code: params.code, officer, input: body, expectedVersion: headers['if-match'] });
    return { status: 200, body: apologyView(dossier), headers: { ETag: `"${dossier.version}"` } };
  },
);

function apologyView(dossier: Dossier) {
  const { apology } = dossier;
  if (!apology) throw new Error(`apology of ${dossier.code} not recorded`);
  return {
    ...transitionResultView(dossier),
    overdue: dossier.overdue,
    firstAppointmentAt: dossier.firstAppointmentAt ? toVietnamIso(dossier.firstAppointmentAt) : null,
    clockGeneration: dossier.clockGeneration ?? 0,
    apology: {
      reason: apology.reason,
      previousAppointmentAt: toVietnamIso(apology.previousAppointmentAt),
      newAppointmentAt: toVietnamIso(apology.newAppointmentAt),
      issuedAt: toVietnamIso(apology.issuedAt),
      issuedBy: apology.issuedBy,
    },
  };
}
