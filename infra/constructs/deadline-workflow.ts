import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { WardConfig } from '../../shared/domain/ward-config';
import { arnInFinding } from './nag-findings';
import { WardFunction, type ResourceUser } from './ward-function';
import type { WardTable } from './ward-table';

/** The task function's entry under `functions/` (local mode binds the Task states to it). */
export const CHECK_DEADLINE_HANDLER = 'deadlines/check-deadline';

/** State names of the definition: local mode overrides the Wait and Task states by name. */
export const DEADLINE_STATES = {
  waitForReminder: 'WaitUntilDueReminder',
  dueTomorrow: 'CheckDueTomorrow',
  waitForAppointment: 'WaitUntilAppointment',
  overdue: 'CheckOverdue',
  done: 'Done',
} as const;

/**
 * The deadline workflow of one dossier clock, as a chain of states. Its input, set by the
 * deadline starter (shared/use-cases/deadlines.ts), is
 * `{ dossierCode, generation, dueReminderAt, appointmentAt }` with UTC ISO instants:
 *
 *   wait until dueReminderAt → check-deadline DUE_TOMORROW → wait until appointmentAt
 *   → check-deadline OVERDUE → succeed
 *
 * The task decides everything from the dossier as it is when it wakes up (a resolved dossier or
 * another clock generation makes it a no-op), so the state machine itself has no Choice state.
 * Each check is idempotent, hence retried on any error (the Lambda service's own errors first,
 * fast, as CDK sets them; then anything, more slowly), so a transient failure never loses an
 * overdue mark.
 */
export function deadlineDefinition(scope: Construct, checkDeadline: lambda.IFunction): sfn.IChainable {
  const check = (id: string, step: 'DUE_TOMORROW' | 'OVERDUE'): sfn.TaskStateBase =>
    new tasks.LambdaInvoke(scope, id, {
      comment: `check-deadline ${step}: does nothing unless this clock generation still runs`,
      lambdaFunction: checkDeadline,
      payload: sfn.TaskInput.fromObject({
        step,
        dossierCode: sfn.JsonPath.stringAt('$.dossierCode'),
        generation: sfn.JsonPath.numberAt('$.generation'),
      }),
      // The state keeps its input (the two instants) for the next Wait.
      resultPath: sfn.JsonPath.DISCARD,
      retryOnServiceExceptions: true,
    }).addRetry({ errors: [sfn.Errors.ALL], interval: Duration.seconds(10), maxAttempts: 8, backoffRate: 2, maxDelay: Duration.minutes(10) });

  return new sfn.Wait(scope, DEADLINE_STATES.waitForReminder, {
    comment: 'One working day before the appointment (the starter computes it with the calendar)',
    time: sfn.WaitTime.timestampPath('$.dueReminderAt'),
  })
    .next(check(DEADLINE_STATES.dueTomorrow, 'DUE_TOMORROW'))
    .next(
      new sfn.Wait(scope, DEADLINE_STATES.waitForAppointment, {
        comment: 'The appointment ("ngày hẹn trả")',
        time: sfn.WaitTime.timestampPath('$.appointmentAt'),
      }),
    )
    .next(check(DEADLINE_STATES.overdue, 'OVERDUE'))
    .next(new sfn.Succeed(scope, DEADLINE_STATES.done));
}

export interface DeadlineWorkflowProps {
  readonly ward: WardConfig;
  readonly table: WardTable;
  /** Encrypts the log groups of the state machine and of the task function. */
  readonly logKey: kms.IKey;
}

/**
 * The ward's deadline state machine (Standard: executions wait for days; one per dossier clock
 * generation, named after it by the starter) and its `check-deadline` task function.
 *
 * Logging: level ALL with execution data. The data is only what the starter and the task put
 * there (dossier code, clock generation, two instants, the task's decision): no name, phone or ID
 * number ever enters an execution, so including it exposes nothing personal, and it is what
 * explains a wake-up that did nothing. The log group is encrypted with the ward's data key anyway.
 */
export class DeadlineWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly checkDeadline: WardFunction;

  constructor(scope: Construct, id: string, props: DeadlineWorkflowProps) {
    super(scope, id);

    this.checkDeadline = new WardFunction(this, 'CheckDeadline', {
      ward: props.ward,
      handler: CHECK_DEADLINE_HANDLER,
      description: 'Deadline workflow task: due-tomorrow alert and overdue mark of one dossier clock',
      logKey: props.logKey,
    });
    props.table.grantTo(this.checkDeadline, 'readWrite');

    const logGroup = new logs.LogGroup(this, 'Logs', {
      // The vended-logs prefix keeps CloudWatch Logs' resource policy small, as Step Functions advises.
      logGroupName: `/aws/vendedlogs/states/mot-cua-so-${props.ward.slug}-deadlines`,
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.logKey,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: `Một Cửa Số ${props.ward.slug}: the deadline of one dossier clock generation`,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(deadlineDefinition(this, this.checkDeadline.lambda)),
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });

    const role = this.stateMachine.role;
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Log delivery to CloudWatch Logs (logs:CreateLogDelivery, logs:DescribeResourcePolicies…) and X-Ray tracing ' +
          '(xray:PutTraceSegments…) support no resource-level permissions.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${arnInFinding(this.checkDeadline.lambda)}:*]`,
        reason: 'The state machine may invoke any version of its check-deadline function, and only that function.',
      },
    );
  }

  /**
   * Lets `user` start and stop this state machine's executions, and tells it the state machine's
   * ARN (`DEADLINE_STATE_MACHINE_ARN`); an execution's ARN follows from it and the execution name.
   */
  grantTo(user: ResourceUser): void {
    this.stateMachine.grantStartExecution(user);
    this.stateMachine.grantExecution(user, 'states:StopExecution');
    user.addEnvironment('DEADLINE_STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
    // How cdk-nag writes the executions' ARN: pseudo parameters as <AWS::…> unless the stack's env fixes them.
    const stack = Stack.of(this);
    const named = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    const stateMachineName = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${stack.getLogicalId(this.stateMachine.node.defaultChild as sfn.CfnStateMachine)}"}]}]}`;
    Validations.of(user).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:${named(stack.partition, 'Partition')}:states:${named(stack.region, 'Region')}:${named(stack.account, 'AccountId')}:execution:${stateMachineName}:*]`,
      reason: "Stopping a dossier's superseded execution needs the executions' ARNs: execution:<this state machine>:* names only this state machine's.",
    });
  }
}
