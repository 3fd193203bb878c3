import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { contract } from '../../shared/api/contract';
import { submissionResultView } from '../../shared/api/views';
import { onlineSubmitterOf } from '../../shared/runtime/citizen';
import { dossierStore, requestCounterStore } from '../../shared/runtime/dynamodb';
import { publicBaseUrl, ward } from '../../shared/runtime/env';
import { httpRoute } from '../../shared/runtime/http';
import { cityWards } from '../../shared/runtime/city-wards';
import { idHasher } from '../../shared/runtime/kms';
import { metrics } from '../../shared/runtime/observability';
import { attachmentStore } from '../../shared/runtime/s3';
import { onlineApplicant } from '../../shared/use-cases/online-applicant';
import { systemClock } from '../../shared/use-cases/ports';
import { admitSubmission } from '../../shared/use-cases/request-limits';
import { submitDossier } from '../../shared/use-cases/submit-dossier';

const deps = { dossiers: dossierStore(), attachments: attachmentStore(), idHasher: idHasher(), clock: systemClock, ward, cityWards };
const limits = { counters: requestCounterStore(), idHasher: deps.idHasher, clock: systemClock, ward };

export const handler = httpRoute(
  { headers: contract.SubmitDossier.headers, body: contract.SubmitDossier.body },
  async ({ headers, body, sourceIp }, citizen) => {
    // The applicant is the signed-in citizen (unless the ward's pilot accepts unsigned submissions).
    const submission = { ...body, applicant: onlineApplicant(body.applicant, citizen) };
    // Over a limit, a 429 once the submission is checked, before anything of it is written.
    const result = await submitDossier(deps, submission, headers['idempotency-key'], () =>
      admitSubmission(limits, { idNumber: submission.applicant.idNumber, sourceIp, idempotencyKey: headers['idempotency-key'] }),
    );
    metrics.addMetric(result.created ? 'DossiersSubmitted' : 'SubmissionsReplayed', MetricUnit.Count, 1);
    return {
      status: result.created ? 201 : 200,
      body: submissionResultView(result.dossier, result.secret, publicBaseUrl),
      // Relative to the request's URL (RFC 9110 §10.2.2), so it holds under any base path (a stage, a prefix).
      headers: { Location: `dossiers/${encodeURIComponent(result.dossier.code)}` },
    };
  },
  onlineSubmitterOf,
);
