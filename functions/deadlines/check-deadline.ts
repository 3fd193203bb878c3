import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { dynamoDeadlineStore } from '../../shared/adapters/dynamodb/deadline-store';
import { dossierStore, dynamo } from '../../shared/runtime/dynamodb';
import { required, ward } from '../../shared/runtime/env';
import { metrics } from '../../shared/runtime/observability';
import { stateMachineTask } from '../../shared/runtime/sfn';
import { checkDeadline, DeadlineWakeUpSchema } from '../../shared/use-cases/deadlines';
import { systemClock } from '../../shared/use-cases/ports';

const deps = {
  dossiers: dossierStore(),
  events: dynamoDeadlineStore(dynamo, required('TABLE_NAME')),
  clock: systemClock,
  officeHours: ward.officeHours,
};

const METRIC_OF_OUTCOME = {
  ALERTED: 'DueTomorrowAlerts',
  MARKED_OVERDUE: 'DossiersMarkedOverdue',
  ALREADY_ALERTED: 'DeadlineWakeUpsRepeated',
  SKIPPED: 'DeadlineWakeUpsSkipped',
} as const;

/** A wake-up of the deadline state machine (infra/constructs/deadline-workflow.ts): `{ step, dossierCode, generation }`. */
export const handler = stateMachineTask(DeadlineWakeUpSchema, async (wakeUp) => {
  const result = await checkDeadline(deps, wakeUp);
  metrics.addMetric(METRIC_OF_OUTCOME[result.outcome], MetricUnit.Count, 1);
  return result;
});
