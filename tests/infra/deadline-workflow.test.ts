import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEADLINE_STATES } from '../../infra/constructs/deadline-workflow';
import { WardStack } from '../../infra/stacks/ward-stack';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { resolveIntrinsics, startLocalDeadlineRunner, type LocalDeadlineRunner } from '../../local/deadline-runner';
import { LOCAL_ACCOUNT_ID, LOCAL_AWS_CREDENTIALS, LOCAL_AWS_REGION } from '../../local/local-aws';
import { executionArn, sfnDeadlineScheduler } from '../../shared/adapters/sfn/deadline-scheduler';
import { WardConfigSchema } from '../../shared/domain/ward-config';
import { testWard } from '../fixtures/ward';

/** asl-validator ships no types; what this file uses of it. */
const validateAsl = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };

const WARD = WardConfigSchema.parse({ ...testWard, slug: 'thu-nghiem', env: { account: '111122223333', region: 'ap-southeast-1' } });

/** The feature flags `cdk synth` runs with, so the tested stack is the deployed one. */
const CDK_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

// Synthesized once for the file, as `cdk synth` does for this ward (bundling skipped: the
// definition does not depend on the bundles).
const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
const stack = new WardStack(app, `MotCuaSo-${WARD.slug}`, { ward: WARD, env: WARD.env });
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;

const onlyId = (type: string, prefix: string): string => {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids, `${type} ${prefix}*`).toHaveLength(1);
  return ids[0] ?? '';
};
const stateMachineId = onlyId('AWS::StepFunctions::StateMachine', 'Deadlines');
const checkDeadlineId = onlyId('AWS::Lambda::Function', 'DeadlinesCheckDeadline');
const deployedDefinitionString = resources[stateMachineId]?.Properties.DefinitionString;

/**
 * The deployed DefinitionString with its intrinsics replaced by what local mode names them: this
 * test's own substitution, independent of the runner's resolver.
 */
function substituted(value: unknown): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as Record<string, unknown>;
  if (Array.isArray(intrinsic['Fn::Join'])) {
    const [separator, parts] = intrinsic['Fn::Join'] as [string, unknown[]];
    return parts.map(substituted).join(separator);
  }
  if (intrinsic.Ref === 'AWS::Partition') return 'aws';
  const getAtt = intrinsic['Fn::GetAtt'] as [string, string] | undefined;
  if (getAtt?.[1] === 'Arn') return `arn:aws:lambda:${LOCAL_AWS_REGION}:${LOCAL_ACCOUNT_ID}:function:${getAtt[0]}`;
  throw new Error(`unexpected intrinsic ${JSON.stringify(value)}`);
}
const deployedJson = substituted(deployedDefinitionString);
const deployed = JSON.parse(deployedJson) as { StartAt: string; States: Record<string, Record<string, unknown>> };

let runner: LocalDeadlineRunner;
beforeAll(async () => {
  runner = await startLocalDeadlineRunner({ ward: WARD, loadHandler: () => Promise.reject(new Error('nothing runs in this file')) });
});
afterAll(() => runner.close());

describe('the deadline workflow', () => {
  it('is a Standard state machine logging every event, with execution data, to its encrypted log group, and traced by X-Ray', () => {
    const logGroup = onlyId('AWS::Logs::LogGroup', 'DeadlinesLogs');
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroup, 'Arn'] } } }],
      },
      TracingConfiguration: { Enabled: true },
    });
    expect(resources[logGroup]?.Properties).toMatchObject({
      KmsKeyId: { 'Fn::GetAtt': [onlyId('AWS::KMS::Key', 'DataKey'), 'Arn'] },
      RetentionInDays: 90,
      LogGroupName: `/aws/vendedlogs/states/mot-cua-so-${WARD.slug}-deadlines`,
    });
  });

  it('waits for the reminder, checks, waits for the appointment, checks again, and succeeds', () => {
    const { waitForReminder, dueTomorrow, waitForAppointment, overdue, done } = DEADLINE_STATES;
    const checkDeadlineArn = `arn:aws:lambda:${LOCAL_AWS_REGION}:${LOCAL_ACCOUNT_ID}:function:${checkDeadlineId}`;
    const task = (step: string, next: string): unknown =>
      expect.objectContaining({
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: checkDeadlineArn, Payload: { step, 'dossierCode.$': '$.dossierCode', 'generation.$': '$.generation' } },
        ResultPath: null,
        Next: next,
      });

    expect(deployed.StartAt).toBe(waitForReminder);
    expect(deployed.States).toEqual({
      [waitForReminder]: expect.objectContaining({ Type: 'Wait', TimestampPath: '$.dueReminderAt', Next: dueTomorrow }) as unknown,
      [dueTomorrow]: task('DUE_TOMORROW', waitForAppointment),
      [waitForAppointment]: expect.objectContaining({ Type: 'Wait', TimestampPath: '$.appointmentAt', Next: overdue }) as unknown,
      [overdue]: task('OVERDUE', done),
      [done]: { Type: 'Succeed' },
    });
  });

  it("retries each check on the Lambda service's errors, then on any error, since a check is idempotent", () => {
    for (const state of [DEADLINE_STATES.dueTomorrow, DEADLINE_STATES.overdue]) {
      expect(deployed.States[state]?.Retry).toEqual([
        expect.objectContaining({ ErrorEquals: expect.arrayContaining(['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException']) as unknown }),
        expect.objectContaining({ ErrorEquals: ['States.ALL'], MaxAttempts: 8, BackoffRate: 2 }),
      ]);
    }
  });

  it('lets the state machine invoke its check-deadline function and nothing else, and that function use the table', () => {
    const machinePolicy = resources[onlyId('AWS::IAM::Policy', 'DeadlinesStateMachineRoleDefaultPolicy')]?.Properties as {
      PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] };
    };
    const invoke = machinePolicy.PolicyDocument.Statement.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('lambda:')));
    expect(invoke).toEqual([
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Resource: [{ 'Fn::GetAtt': [checkDeadlineId, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [checkDeadlineId, 'Arn'] }, ':*']] }],
      }),
    ]);
    expect(resources[checkDeadlineId]?.Properties).toMatchObject({
      Environment: { Variables: expect.objectContaining({ TABLE_NAME: expect.anything() as unknown }) as unknown },
      TracingConfig: { Mode: 'Active' },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: onlyId('AWS::IAM::Role', 'DeadlinesCheckDeadlineRole') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem']) })]) },
    });
  });

  it('lets the deadline starter start and stop executions of this state machine only, and tells it the ARN', () => {
    const starterId = onlyId('AWS::Lambda::Function', 'StreamConsumersDeadlineStarterFunction');
    const starterPolicy = resources[onlyId('AWS::IAM::Policy', 'StreamConsumersDeadlineStarterRoleDefaultPolicy')]?.Properties as {
      PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] };
    };
    const states = starterPolicy.PolicyDocument.Statement.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('states:')));

    expect(resources[starterId]?.Properties).toMatchObject({ Environment: { Variables: { DEADLINE_STATE_MACHINE_ARN: { Ref: stateMachineId } } } });
    expect(states).toEqual([
      expect.objectContaining({ Action: 'states:StartExecution', Resource: { Ref: stateMachineId } }),
      expect.objectContaining({ Action: 'states:StopExecution', Resource: expect.objectContaining({ 'Fn::Join': expect.anything() as unknown }) as unknown }),
    ]);
    expect(JSON.stringify(states[1]?.Resource)).toContain(':execution:');
  });

  it('is valid Amazon States Language (asl-validator, paths and ARNs checked)', () => {
    const result = validateAsl(structuredClone(deployed), { checkPaths: true, checkArn: true });

    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('is executed locally as the very JSON the stack deploys, only its ARNs named locally', () => {
    expect(JSON.stringify(runner.definition)).toBe(deployedJson);
    expect(runner.stateMachineArn).toBe(`arn:aws:states:${LOCAL_AWS_REGION}:${LOCAL_ACCOUNT_ID}:stateMachine:${stateMachineId}`);
  });
});

describe("local mode's Step Functions endpoint", () => {
  const code = '000.A0.01.H26-260105-0042';
  /** Ten days ahead: nothing wakes up during the test. */
  const input = (generation: number, days = 10) => ({
    dossierCode: code,
    generation,
    dueReminderAt: new Date(Date.now() + (days - 1) * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    appointmentAt: new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
  const client = () => new SFNClient({ endpoint: runner.endpoint, region: LOCAL_AWS_REGION, credentials: LOCAL_AWS_CREDENTIALS });

  it('answers the deadline starter as Step Functions does: a start twice is one execution, a stop of what has ended or never was is no error', async () => {
    const sfn = client();
    const scheduler = sfnDeadlineScheduler(sfn, runner.stateMachineArn);
    const first = input(1);

    const outcomes = [
      await scheduler.start(first),
      await scheduler.start(first),
      await scheduler.start({ ...first, appointmentAt: input(1, 12).appointmentAt }),
      await scheduler.stop(code, 1),
      await scheduler.stop(code, 1),
      await scheduler.stop(code, 2),
      await scheduler.start(first),
    ];
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(runner.stateMachineArn, '000_A0_01_H26-260105-0042-g1') }));
    sfn.destroy();

    expect(outcomes).toEqual(['STARTED', 'STARTED', 'ALREADY_STARTED', 'STOPPED', 'STOPPED', 'NOT_RUNNING', 'ALREADY_STARTED']);
    expect(described).toMatchObject({ status: 'ABORTED', name: '000_A0_01_H26-260105-0042-g1', input: JSON.stringify(first) });
    expect(runner.executions().map((execution) => [execution.name, execution.status, execution.taskCalls.length])).toEqual([['000_A0_01_H26-260105-0042-g1', 'ABORTED', 0]]);
  });

  it('refuses a definition whose intrinsics it cannot stand in for', () => {
    const parts = { partition: 'aws', region: LOCAL_AWS_REGION, account: LOCAL_ACCOUNT_ID };
    const arnOf = (id: string) => `arn:aws:lambda:${LOCAL_AWS_REGION}:${LOCAL_ACCOUNT_ID}:function:${id}`;

    expect(resolveIntrinsics({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':', { 'Fn::GetAtt': ['Fn', 'Arn'] }]] }, parts, arnOf)).toBe(`arn:aws:${arnOf('Fn')}`);
    expect(() => resolveIntrinsics({ 'Fn::ImportValue': 'Other' }, parts, arnOf)).toThrow(/cannot resolve/);
    expect(() => resolveIntrinsics({ Ref: 'SomeQueue' }, parts, arnOf)).toThrow(/cannot resolve/);
  });
});
