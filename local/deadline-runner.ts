/**
 * Local mode's Step Functions: the deadline state machine the stack deploys, executed by a local
 * Amazon States Language interpreter (aws-local-stepfunctions), behind a small HTTP endpoint that
 * speaks the Step Functions API (StartExecution, StopExecution, DescribeExecution,
 * ListExecutions), so the deadline starter makes the very SDK calls it makes in AWS
 * (AWS_ENDPOINT_URL_SFN points them here).
 *
 * - The definition is the DefinitionString of the synthesized WardStack (in-process, bundling
 *   skipped), its intrinsics resolved with local placeholder ARNs: not a copy, so it cannot drift
 *   (tests/infra/deadline-workflow.test.ts checks it against an independent synthesis).
 * - Its Task states (`arn:aws:states:::lambda:invoke`) are bound by their FunctionName to the real
 *   handler modules (functions/deadlines/check-deadline.ts), called with the Payload and answered
 *   like the Lambda integration answers (`{ StatusCode, Payload, ExecutedVersion }`).
 * - `clockSpeedup` (LOCAL_CLOCK_SPEEDUP in `npm start`; 3600 = an hour a second): each execution
 *   computes, when it starts, how long each Wait state would wait on the real clock, divided by
 *   the speed-up, and passes those as the interpreter's `waitTimeOverrides` (retry intervals are
 *   sped up the same way). The execution input stays the real one, as in AWS. At 1, nothing is
 *   overridden: the interpreter reads the timestamps itself.
 * - Node's timers hold at most ~24.8 days; a longer first wait (a long time limit) is held by the
 *   runner, in steps, until the interpreter's timer can take the rest.
 * - Executions live in memory, by name (kept after they end, as Step Functions keeps names);
 *   `close()` aborts the running ones. `restartOpenClocks` starts them again after a restart.
 */
import { installPromiseWithResolvers } from './promise-with-resolvers';
import { randomUUID } from 'node:crypto';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { CHECK_DEADLINE_HANDLER, DEADLINE_STATES, DeadlineWorkflow } from '../infra/constructs/deadline-workflow';
import { WardStack } from '../infra/stacks/ward-stack';
import type { Dossier } from '../shared/domain/dossier';
import type { WardConfig } from '../shared/domain/ward-config';
import { clockRuns, executionInput } from '../shared/use-cases/deadlines';
import type { WorklistStore } from '../shared/use-cases/ports';
import { dynamoWorklistStore } from '../shared/adapters/dynamodb/worklist-store';
import { deadlineExecutionName } from '../shared/adapters/sfn/deadline-scheduler';
import { LOOPBACK_HOST } from './free-port';
import { localLambdaContext } from './lambda-event';
import { LOCAL_ACCOUNT_ID, LOCAL_AWS_REGION, localDynamoDbClientConfig, type LocalAwsEndpoints } from './local-aws';

installPromiseWithResolvers();

const PROJECT_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
const FUNCTIONS_DIRECTORY = join(PROJECT_DIRECTORY, 'functions');

/** Node's setTimeout fires at once beyond 2^31 - 1 ms; waits are handed to it in steps below this. */
const MAX_TIMER_MS = 20 * 24 * 3600 * 1000;

/** The Lambda integration of a Task state, and the only resource this runner binds. */
const LAMBDA_INVOKE = /^arn:aws[a-z-]*:states:::lambda:invoke$/;

// ---------------------------------------------------------------------------------------------
// The definition, from the synthesized template
// ---------------------------------------------------------------------------------------------

/** The deadline state machine as the synthesized WardStack deploys it. */
export interface SynthesizedDeadlineDefinition {
  /** The template's `DefinitionString`, intrinsics and all: what CloudFormation receives. */
  readonly definitionString: unknown;
  /** It resolved with this local ward's placeholder ARNs: the JSON the local interpreter runs. */
  readonly definition: StateMachineDefinition;
  /** A placeholder ARN named after the state machine's logical id. */
  readonly stateMachineArn: string;
  /** Placeholder ARN of each function the definition invokes → its entry under `functions/`. */
  readonly taskFunctions: ReadonlyMap<string, string>;
}

/** What the placeholder ARNs are made of: region, account and partition of the local ward. */
export interface LocalArnParts {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

const LOCAL_ARN_PARTS: LocalArnParts = { partition: 'aws', region: LOCAL_AWS_REGION, account: LOCAL_ACCOUNT_ID };

/** The feature flags of `cdk synth` (cdk.json), so that the synthesized stack is the deployed one. */
function cdkContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_DIRECTORY, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/**
 * Synthesizes the ward's stack as `cdk synth` does (infra/app.ts: same stack id, ward props and
 * feature flags), without bundling the functions, which the definition does not depend on, and
 * takes the deadline state machine's DefinitionString out of the template. About 3 s.
 */
export function synthesizeDeadlineDefinition(ward: WardConfig, arnParts: LocalArnParts = LOCAL_ARN_PARTS): SynthesizedDeadlineDefinition {
  const outdir = mkdtempSync(join(tmpdir(), 'mot-cua-so-synth-'));
  try {
    const app = new App({ outdir, context: { ...cdkContext(), 'aws:cdk:bundling-stacks': [] } });
    const stack = new WardStack(app, `MotCuaSo-${ward.slug}`, { ward, env: { account: ward.env.account, region: ward.env.region } });
    const workflow = stack.node.findAll().find((construct): construct is DeadlineWorkflow => construct instanceof DeadlineWorkflow);
    if (workflow === undefined) throw new Error('the ward stack has no DeadlineWorkflow');
    const logicalId = (element: unknown): string => Stack.of(workflow).getLogicalId(element as CfnElement);
    const stateMachineId = logicalId(workflow.stateMachine.node.defaultChild);
    const checkDeadlineId = logicalId(workflow.checkDeadline.lambda.node.defaultChild);

    const template = app.synth().getStackArtifact(stack.artifactId).template as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
    const definitionString = template.Resources[stateMachineId]?.Properties?.DefinitionString;
    if (definitionString === undefined) throw new Error(`no DefinitionString on ${stateMachineId}`);

    const placeholderArn = (id: string): string => {
      const type = template.Resources[id]?.Type;
      if (type !== 'AWS::Lambda::Function') throw new Error(`the deadline definition refers to ${id} (${type ?? 'unknown'}), which local mode cannot stand in for`);
      return `arn:${arnParts.partition}:lambda:${arnParts.region}:${arnParts.account}:function:${id}`;
    };
    const resolved = resolveIntrinsics(definitionString, arnParts, placeholderArn);
    if (typeof resolved !== 'string') throw new Error('DefinitionString did not resolve to a string');
    return {
      definitionString,
      definition: JSON.parse(resolved) as StateMachineDefinition,
      stateMachineArn: `arn:${arnParts.partition}:states:${arnParts.region}:${arnParts.account}:stateMachine:${stateMachineId}`,
      taskFunctions: new Map([[placeholderArn(checkDeadlineId), CHECK_DEADLINE_HANDLER]]),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Resolves the CloudFormation intrinsics a DefinitionString uses: `Fn::Join`, `Ref` to a pseudo
 * parameter, `Fn::GetAtt [id, Arn]` (to `arnOf(id)`). Anything else throws: a definition that
 * needs more is one local mode would run differently.
 */
export function resolveIntrinsics(value: unknown, parts: LocalArnParts, arnOf: (logicalId: string) => string): unknown {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, parts, arnOf));
  const entries = Object.entries(value as Record<string, unknown>);
  const [name, argument] = entries[0] ?? [];
  if (entries.length === 1 && name === 'Fn::Join' && Array.isArray(argument) && typeof argument[0] === 'string' && Array.isArray(argument[1])) {
    return argument[1].map((item) => String(resolveIntrinsics(item, parts, arnOf))).join(argument[0]);
  }
  if (entries.length === 1 && name === 'Ref' && typeof argument === 'string') {
    const pseudo: Record<string, string> = {
      'AWS::Partition': parts.partition,
      'AWS::Region': parts.region,
      'AWS::AccountId': parts.account,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    const resolved = pseudo[argument];
    if (resolved === undefined) throw new Error(`cannot resolve { Ref: ${argument} } locally`);
    return resolved;
  }
  if (entries.length === 1 && name === 'Fn::GetAtt' && Array.isArray(argument) && argument[1] === 'Arn' && typeof argument[0] === 'string') {
    return arnOf(argument[0]);
  }
  throw new Error(`cannot resolve ${JSON.stringify(value).slice(0, 200)} locally`);
}

// ---------------------------------------------------------------------------------------------
// The runner
// ---------------------------------------------------------------------------------------------

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** One call of a Task state's function, as the runner saw it. */
export interface TaskCall {
  readonly state: string;
  readonly at: Date;
  readonly payload: unknown;
  readonly result?: unknown;
  readonly error?: string;
}

export interface LocalExecution {
  readonly name: string;
  readonly executionArn: string;
  readonly input: string;
  readonly startDate: Date;
  readonly status: ExecutionStatus;
  readonly stopDate?: Date;
  readonly error?: string;
  readonly taskCalls: readonly TaskCall[];
}

/** A Lambda handler as the stack deploys it: `(payload, context) => result`. */
export type TaskHandler = (payload: unknown, context: Context) => Promise<unknown>;

export interface LocalDeadlineRunnerOptions {
  readonly ward: WardConfig;
  /** Waits pass this many times faster than the real clock; default 1. */
  readonly clockSpeedup?: number;
  /**
   * The handler of a function entry under `functions/` (the Task states' functions). Defaults to
   * importing the module, on first use: the handler environment must be set by then.
   */
  readonly loadHandler?: (entry: string) => Promise<TaskHandler>;
  /** A task or execution failure, for the developer's eyes; defaults to stderr. */
  readonly logFailure?: (message: string, error?: unknown) => void;
}

export interface LocalDeadlineRunner {
  /** The Step Functions endpoint (`AWS_ENDPOINT_URL_SFN`), on 127.0.0.1. */
  readonly endpoint: string;
  /** `DEADLINE_STATE_MACHINE_ARN` for the handlers. */
  readonly stateMachineArn: string;
  /** The definition handed to the interpreter (the synthesized one, resolved), as it was handed over. */
  readonly definition: StateMachineDefinition;
  readonly clockSpeedup: number;
  /** Starts an execution, as StartExecution does (same name and input while running: the same execution). */
  start(name: string, input: string): LocalExecution;
  /** Stops an execution, as StopExecution does (one that has ended stays as it was). */
  stop(name: string): LocalExecution;
  execution(name: string): LocalExecution | undefined;
  executions(): LocalExecution[];
  /** Aborts every running execution and closes the endpoint. */
  close(): Promise<void>;
}

/** A Step Functions API error, answered as the service answers it (400, `__type`). */
export class StepFunctionsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

interface ExecutionRecord {
  readonly name: string;
  readonly executionArn: string;
  readonly input: string;
  readonly startDate: Date;
  status: ExecutionStatus;
  stopDate?: Date;
  error?: string;
  readonly taskCalls: TaskCall[];
  /** Aborts the run, or the hold before it. */
  abort: () => void;
}

export async function startLocalDeadlineRunner(options: LocalDeadlineRunnerOptions): Promise<LocalDeadlineRunner> {
  const speedup = options.clockSpeedup ?? 1;
  if (!Number.isFinite(speedup) || speedup < 1) throw new Error(`the clock speed-up must be a number ≥ 1, not ${speedup}`);
  const synthesized = synthesizeDeadlineDefinition(options.ward);
  const { definition, stateMachineArn } = synthesized;
  const logFailure = options.logFailure ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));
  const loadHandler = memoize(options.loadHandler ?? importHandler);
  // A copy: the interpreter's validator writes its defaults (QueryLanguage) into what it is given.
  const machine = new StateMachine(structuredClone(definition));
  const records = new Map<string, ExecutionRecord>();

  const taskStates = Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');
  for (const [name, state] of taskStates) {
    const functionName = functionNameOf(state);
    if (!('Resource' in state) || !LAMBDA_INVOKE.test(state.Resource) || functionName === undefined || !synthesized.taskFunctions.has(functionName)) {
      throw new Error(`Task state ${name} calls something local mode does not run (${JSON.stringify(state).slice(0, 200)})`);
    }
  }

  const run = (record: ExecutionRecord, parsedInput: DeadlineTimes): void => {
    const overrides =
      speedup === 1
        ? {}
        : spedUpOverrides(
            parsedInput,
            record.startDate,
            speedup,
            taskStates.map(([name]) => name),
          );
    const execution = machine.run(JSON.parse(record.input) as never, {
      noThrowOnAbort: true,
      context: {
        Execution: { Id: record.executionArn, Name: record.name, Input: JSON.parse(record.input) as never, StartTime: record.startDate.toISOString() },
        StateMachine: { Id: stateMachineArn },
      },
      overrides: {
        ...overrides,
        taskResourceLocalHandlers: Object.fromEntries(taskStates.map(([stateName]) => [stateName, lambdaInvoke(record, stateName)])),
      },
    });
    record.abort = execution.abort;
    execution.result.then(
      () => {
        if (record.status === 'RUNNING') finish(record, 'SUCCEEDED');
      },
      (error: unknown) => {
        if (record.status !== 'RUNNING') return;
        finish(record, 'FAILED', error instanceof Error ? `${error.name}: ${error.message}` : String(error));
        logFailure(`deadline execution ${record.name} failed`, error);
      },
    );
  };

  /** The Lambda service integration: `{ FunctionName, Payload }` in, `{ StatusCode, Payload }` out. */
  const lambdaInvoke = (record: ExecutionRecord, stateName: string) => async (parameters: unknown) => {
    const { FunctionName, Payload } = parameters as { FunctionName: string; Payload: unknown };
    const entry = synthesized.taskFunctions.get(FunctionName);
    if (entry === undefined) throw new Error(`no local function for ${FunctionName}`);
    const at = new Date();
    try {
      const handler = await loadHandler(entry);
      const result = await handler(Payload, localLambdaContext({ functionName: entry.replace(/\W+/g, '-'), deadline: Date.now() + 60_000 }));
      record.taskCalls.push({ state: stateName, at, payload: Payload, result });
      return { ExecutedVersion: '$LATEST', StatusCode: 200, Payload: result ?? null } as never;
    } catch (error) {
      record.taskCalls.push({ state: stateName, at, payload: Payload, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      logFailure(`${stateName} of ${record.name} failed (the state's Retry decides)`, error);
      throw error;
    }
  };

  const finish = (record: ExecutionRecord, status: Exclude<ExecutionStatus, 'RUNNING'>, error?: string): void => {
    record.status = status;
    record.stopDate = new Date();
    if (error !== undefined) record.error = error;
  };

  const start = (name: string, input: string): LocalExecution => {
    if (!/^[A-Za-z0-9_.-]{1,80}$/.test(name)) throw new StepFunctionsError('InvalidName', `Invalid Name: '${name}'`);
    const existing = records.get(name);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return view(existing);
      throw new StepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`);
    }
    const parsedInput = parseTimes(input);
    const record: ExecutionRecord = {
      name,
      executionArn: executionArnOf(stateMachineArn, name),
      input,
      startDate: new Date(),
      status: 'RUNNING',
      taskCalls: [],
      abort: () => undefined,
    };
    records.set(name, record);
    hold(record, parsedInput);
    return view(record);
  };

  /** Runs the execution once its first wait fits in a timer; holds it (stoppable) until then. */
  const hold = (record: ExecutionRecord, times: DeadlineTimes): void => {
    const firstWaitMs = firstWaitRealMs(times, record.startDate, speedup);
    if (firstWaitMs <= MAX_TIMER_MS) {
      run(record, times);
      return;
    }
    const timer = setTimeout(() => {
      if (record.status === 'RUNNING') hold(record, times);
    }, MAX_TIMER_MS / 2);
    timer.unref();
    record.abort = () => clearTimeout(timer);
  };

  const stop = (name: string): LocalExecution => {
    const record = records.get(name);
    if (!record) throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArnOf(stateMachineArn, name)}'`);
    if (record.status === 'RUNNING') {
      finish(record, 'ABORTED');
      record.abort();
    }
    return view(record);
  };

  const server = createServer((request, response) => {
    serveApi(request, response, { stateMachineArn, start, stop, records }).catch((error: unknown) => {
      logFailure('the local Step Functions endpoint failed', error);
      if (!response.headersSent) writeJson(response, 500, { __type: 'InternalFailure', message: 'local failure' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the local Step Functions endpoint has no TCP address');

  return {
    endpoint: `http://${LOOPBACK_HOST}:${address.port}`,
    stateMachineArn,
    definition,
    clockSpeedup: speedup,
    start,
    stop,
    execution: (name) => {
      const record = records.get(name);
      return record ? view(record) : undefined;
    },
    executions: () => [...records.values()].map(view),
    close: async () => {
      for (const record of records.values()) {
        if (record.status === 'RUNNING') {
          finish(record, 'ABORTED');
          record.abort();
        }
      }
      await closeServer(server);
    },
  };
}

/**
 * Starts the clock of every open dossier whose clock runs (executions live in memory, so after a
 * restart of the local ward there are none): the executions the deadline starter would have
 * running. Appointments that passed while the ward was down wake up at once, as they would have.
 */
export async function restartOpenClocks(runner: Pick<LocalDeadlineRunner, 'start'>, ward: WardConfig, table: LocalAwsEndpoints & { readonly tableName: string }): Promise<number> {
  const client = new DynamoDBClient(localDynamoDbClientConfig(table));
  try {
    return await restartClocksOf(runner, dynamoWorklistStore(DynamoDBDocumentClient.from(client), table.tableName), ward);
  } finally {
    client.destroy();
  }
}

async function restartClocksOf(runner: Pick<LocalDeadlineRunner, 'start'>, worklist: WorklistStore, ward: WardConfig): Promise<number> {
  let started = 0;
  let cursor: string | undefined;
  do {
    const page = await worklist.listOpenByDue({ limit: 100, ...(cursor ? { cursor } : {}) });
    for (const dossier of page.items) started += restartClock(runner, dossier, ward) ? 1 : 0;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return started;
}

function restartClock(runner: Pick<LocalDeadlineRunner, 'start'>, dossier: Dossier, ward: WardConfig): boolean {
  if (!clockRuns(dossier) || dossier.appointmentAt === undefined || dossier.clockGeneration === undefined) return false;
  const input = executionInput(dossier.code, dossier.clockGeneration, dossier.appointmentAt, ward.officeHours, dossier.procedure.worksOnHolidays);
  try {
    runner.start(deadlineExecutionName(dossier.code, dossier.clockGeneration), JSON.stringify(input));
    return true;
  } catch (error) {
    if (error instanceof StepFunctionsError && error.type === 'ExecutionAlreadyExists') return false;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Clock speed-up
// ---------------------------------------------------------------------------------------------

interface DeadlineTimes {
  readonly dueReminderAt: number;
  readonly appointmentAt: number;
}

function parseTimes(input: string): DeadlineTimes {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch {
    throw new StepFunctionsError('InvalidExecutionInput', 'The execution input is not JSON');
  }
  const { dueReminderAt, appointmentAt } = (parsed ?? {}) as Record<string, unknown>;
  const reminder = typeof dueReminderAt === 'string' ? Date.parse(dueReminderAt) : NaN;
  const appointment = typeof appointmentAt === 'string' ? Date.parse(appointmentAt) : NaN;
  // Step Functions accepts any input and fails the Wait later; locally that is a caller's defect, said at once.
  if (Number.isNaN(reminder) || Number.isNaN(appointment)) throw new StepFunctionsError('InvalidExecutionInput', 'dueReminderAt and appointmentAt must be timestamps');
  return { dueReminderAt: reminder, appointmentAt: appointment };
}

/**
 * Where the execution's real instants fall on the sped-up clock: an instant `t` of the real
 * clock is reached `(t - start) / speedup` after the start.
 */
const spedUp = (instant: number, start: number, speedup: number): number => start + Math.max(0, instant - start) / speedup;

function firstWaitRealMs(times: DeadlineTimes, startDate: Date, speedup: number): number {
  return spedUp(times.dueReminderAt, startDate.getTime(), speedup) - Date.now();
}

/** The interpreter's overrides for one execution: each Wait until its sped-up instant; retries sped up too. */
function spedUpOverrides(times: DeadlineTimes, startDate: Date, speedup: number, taskStates: readonly string[]) {
  const start = startDate.getTime();
  const reminder = spedUp(times.dueReminderAt, start, speedup);
  const appointment = Math.max(reminder, spedUp(times.appointmentAt, start, speedup));
  return {
    waitTimeOverrides: {
      [DEADLINE_STATES.waitForReminder]: Math.max(0, Math.round(reminder - Date.now())),
      // Counted from the reminder, where the execution will be when this Wait begins.
      [DEADLINE_STATES.waitForAppointment]: Math.max(0, Math.round(appointment - reminder)),
    },
    // The definition's retriers wait 2 s and 10 s (and more, backing off); sped up, a fixed short pause.
    retryIntervalOverrides: Object.fromEntries(taskStates.map((state) => [state, Math.max(10, Math.round(2000 / speedup))])),
  };
}

// ---------------------------------------------------------------------------------------------
// The Step Functions API (JSON 1.0 protocol)
// ---------------------------------------------------------------------------------------------

interface ApiTarget {
  readonly stateMachineArn: string;
  readonly start: (name: string, input: string) => LocalExecution;
  readonly stop: (name: string) => LocalExecution;
  readonly records: ReadonlyMap<string, ExecutionRecord>;
}

async function serveApi(request: IncomingMessage, response: ServerResponse, target: ApiTarget): Promise<void> {
  const body = await readJson(request);
  const operation = String(request.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
  try {
    writeJson(response, 200, answer(operation, body, target));
  } catch (error) {
    if (!(error instanceof StepFunctionsError)) throw error;
    writeJson(response, 400, { __type: error.type, message: error.message });
  }
}

function answer(operation: string, body: Record<string, unknown>, target: ApiTarget): unknown {
  const epochSeconds = (date: Date | undefined) => (date ? date.getTime() / 1000 : undefined);
  const describe = (execution: LocalExecution) => ({
    executionArn: execution.executionArn,
    stateMachineArn: target.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: epochSeconds(execution.startDate),
    stopDate: epochSeconds(execution.stopDate),
    input: execution.input,
    ...(execution.error ? { error: execution.error } : {}),
  });
  const nameOfExecution = (arn: unknown): string => {
    const prefix = `${executionArnOf(target.stateMachineArn, '')}`;
    if (typeof arn !== 'string' || !arn.startsWith(prefix)) throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(arn)}'`);
    return arn.slice(prefix.length);
  };
  const checkStateMachine = (arn: unknown): void => {
    if (arn !== target.stateMachineArn) throw new StepFunctionsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
  };
  switch (operation) {
    case 'StartExecution': {
      checkStateMachine(body.stateMachineArn);
      const execution = target.start(typeof body.name === 'string' ? body.name : randomUUID(), typeof body.input === 'string' ? body.input : '{}');
      return { executionArn: execution.executionArn, startDate: epochSeconds(execution.startDate) };
    }
    case 'StopExecution':
      return { stopDate: epochSeconds(target.stop(nameOfExecution(body.executionArn)).stopDate ?? new Date()) };
    case 'DescribeExecution': {
      const record = target.records.get(nameOfExecution(body.executionArn));
      if (!record) throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(body.executionArn)}'`);
      return describe(view(record));
    }
    case 'ListExecutions': {
      checkStateMachine(body.stateMachineArn);
      const executions = [...target.records.values()].map(view).filter((e) => body.statusFilter === undefined || e.status === body.statusFilter);
      return {
        executions: executions.reverse().map(({ executionArn, name, status, startDate, stopDate }) => ({
          executionArn,
          stateMachineArn: target.stateMachineArn,
          name,
          status,
          startDate: epochSeconds(startDate),
          stopDate: epochSeconds(stopDate),
        })),
      };
    }
    default:
      throw new StepFunctionsError('UnknownOperationException', `local mode does not implement ${operation || '(no X-Amz-Target)'}`);
  }
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  const parsed: unknown = JSON.parse(text);
  return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}

function writeJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...(status >= 400 && body !== null && typeof body === 'object' && '__type' in body ? { 'x-amzn-ErrorType': String(body.__type) } : {}),
  });
  response.end(text);
}

async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

function functionNameOf(state: unknown): string | undefined {
  const parameters = (state as { Parameters?: { FunctionName?: unknown } }).Parameters;
  return typeof parameters?.FunctionName === 'string' ? parameters.FunctionName : undefined;
}

function view(record: ExecutionRecord): LocalExecution {
  const { abort: _abort, taskCalls, ...rest } = record;
  return { ...rest, taskCalls: [...taskCalls] };
}

async function importHandler(entry: string): Promise<TaskHandler> {
  const module = (await import(pathToFileURL(join(FUNCTIONS_DIRECTORY, `${entry}.ts`)).href)) as { handler?: TaskHandler };
  if (typeof module.handler !== 'function') throw new Error(`functions/${entry}.ts exports no handler`);
  return module.handler;
}

function memoize(load: (entry: string) => Promise<TaskHandler>): (entry: string) => Promise<TaskHandler> {
  const loaded = new Map<string, Promise<TaskHandler>>();
  return (entry) => {
    let handler = loaded.get(entry);
    if (handler === undefined) {
      handler = load(entry);
      loaded.set(entry, handler);
      // A failed import (a syntax error being fixed) is tried again on the next call.
      handler.catch(() => loaded.delete(entry));
    }
    return handler;
  };
}
