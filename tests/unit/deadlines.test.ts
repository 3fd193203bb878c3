import 'aws-sdk-client-mock-vitest/extend';
import { ExecutionAlreadyExists, ExecutionDoesNotExist, ExecutionLimitExceeded, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { deadlineExecutionName, executionArn, sfnDeadlineScheduler } from '../../shared/adapters/sfn/deadline-scheduler';
import type { Dossier } from '../../shared/domain/dossier';
import type { DomainEvent, DomainEventType } from '../../shared/domain/events';
import { DOSSIER_STATUSES, type DossierStatus } from '../../shared/domain/status';
import { decideDeadline, startDeadlines, stepFunctionsInstant, type DeadlineExecutionInput, type DeadlineScheduler, type DeadlineWakeUp } from '../../shared/use-cases/deadlines';
import { receivedDossier } from '../fixtures/dossier';
import { sampleEvent, type SampleOverrides } from '../fixtures/events';
import { testWard } from '../fixtures/ward';

const OFFICE_HOURS = testWard.officeHours;
const CODE = '000.A0.01.H26-260105-0001';

/** Received Monday 5 January 2026 at 10:00 (Hanoi), due Thursday 8 January at 17:00, first clock generation. */
const runningDossier = (overrides: Partial<Dossier> = {}): Dossier =>
  receivedDossier({ appointmentAt: new Date('2026-01-08T10:00:00Z'), firstAppointmentAt: new Date('2026-01-08T10:00:00Z'), clockGeneration: 1, ...overrides });

const wakeUp = (step: DeadlineWakeUp['step'], generation = 1): DeadlineWakeUp => ({ step, dossierCode: CODE, generation });

describe('decideDeadline', () => {
  const running: readonly DossierStatus[] = ['RECEIVED', 'IN_PROGRESS', 'PAYMENT_REQUESTED', 'WITHDRAWAL_REQUESTED'];
  const stopped: readonly DossierStatus[] = ['SUPPLEMENT_REQUESTED', 'RESOLVED', 'RETURNED', 'STOPPED', 'NOT_RECEIVED'];

  it('covers every status as running or stopped (SUBMITTED has no clock)', () => {
    expect([...running, ...stopped, 'SUBMITTED'].sort()).toEqual([...DOSSIER_STATUSES].sort());
  });

  it.each(running)('alerts the day before and marks overdue at the appointment while %s', (status) => {
    const dossier = runningDossier({ status });

    expect(decideDeadline(dossier, wakeUp('DUE_TOMORROW'), OFFICE_HOURS)).toEqual({ action: 'ALERT_DUE_TOMORROW' });
    expect(decideDeadline(dossier, wakeUp('OVERDUE'), OFFICE_HOURS)).toEqual({ action: 'MARK_OVERDUE' });
  });

  it.each(stopped)('does nothing while %s: the clock is stopped or over', (status) => {
    const dossier = runningDossier({ status });

    expect(decideDeadline(dossier, wakeUp('DUE_TOMORROW'), OFFICE_HOURS)).toEqual({ action: 'SKIP', reason: 'CLOCK_STOPPED' });
    expect(decideDeadline(dossier, wakeUp('OVERDUE'), OFFICE_HOURS)).toEqual({ action: 'SKIP', reason: 'CLOCK_STOPPED' });
  });

  it('does nothing when a dossier waiting for its supplement asks to withdraw: its clock stays stopped', () => {
    const dossier = runningDossier({ status: 'WITHDRAWAL_REQUESTED', clockStoppedAt: new Date('2026-01-06T03:00:00Z') });

    expect(decideDeadline(dossier, wakeUp('OVERDUE'), OFFICE_HOURS)).toEqual({ action: 'SKIP', reason: 'CLOCK_STOPPED' });
  });

  it('does nothing on a wake-up of an older generation, nor of a newer one delivered out of order', () => {
    const dossier = runningDossier({ clockGeneration: 2 });

    for (const generation of [1, 3]) {
      expect(decideDeadline(dossier, wakeUp('DUE_TOMORROW', generation), OFFICE_HOURS)).toEqual({ action: 'SKIP', reason: 'OTHER_GENERATION' });
      expect(decideDeadline(dossier, wakeUp('OVERDUE', generation), OFFICE_HOURS)).toEqual({ action: 'SKIP', reason: 'OTHER_GENERATION' });
    }
    expect(decideDeadline(dossier, wakeUp('OVERDUE', 2), OFFICE_HOURS)).toEqual({ action: 'MARK_OVERDUE' });
  });

  it('does nothing on a dossier never received (no clock generation)', () => {
    const dossier = runningDossier({ status: 'SUBMITTED', clockGeneration: undefined, appointmentAt: undefined });

    expect(decideDeadline(dossier, wakeUp('OVERDUE'), OFFICE_HOURS)).toEqual({ action: 'SKIP', reason: 'OTHER_GENERATION' });
  });

  it('marks a dossier overdue once: a later generation finds it marked (an apology date missed again)', () => {
    const dossier = runningDossier({ overdue: true, clockGeneration: 2 });

    expect(decideDeadline(dossier, wakeUp('OVERDUE', 2), OFFICE_HOURS)).toEqual({ action: 'SKIP', reason: 'ALREADY_OVERDUE' });
    expect(decideDeadline(dossier, wakeUp('DUE_TOMORROW', 2), OFFICE_HOURS)).toEqual({ action: 'ALERT_DUE_TOMORROW' });
  });

  it('skips the due-tomorrow alert of a same-day procedure, whose reminder falls before the clock started', () => {
    // Received Monday 10:00, due Monday 17:00: the reminder would be Friday 17:00.
    const dossier = runningDossier({ appointmentAt: new Date('2026-01-05T10:00:00Z') });

    expect(decideDeadline(dossier, wakeUp('DUE_TOMORROW'), OFFICE_HOURS)).toEqual({ action: 'SKIP', reason: 'NO_DAY_BEFORE' });
    expect(decideDeadline(dossier, wakeUp('OVERDUE'), OFFICE_HOURS)).toEqual({ action: 'MARK_OVERDUE' });
  });
});

/** A scheduler that records what it was asked. */
function recordingScheduler(): DeadlineScheduler & { calls: string[]; started: DeadlineExecutionInput[] } {
  const calls: string[] = [];
  const started: DeadlineExecutionInput[] = [];
  return {
    calls,
    started,
    start: (input) => {
      calls.push(`start g${input.generation}`);
      started.push(input);
      return Promise.resolve('STARTED');
    },
    stop: (_code, generation) => {
      calls.push(`stop g${generation}`);
      return Promise.resolve('STOPPED');
    },
  };
}

const event = <T extends DomainEventType>(type: T, data: SampleOverrides<T>['data']): DomainEvent =>
  sampleEvent(type, { id: `event-${type}`, dossierCode: CODE, at: new Date('2026-01-05T03:00:00Z'), data });

describe('startDeadlines (the deadline starter)', () => {
  it("starts the first generation at receipt, waking one working day before the appointment, at the appointment's time of day", async () => {
    const scheduler = recordingScheduler();

    // Monday 12 January 17:00 (Hanoi): the working day before is Saturday 10 January, made up for Friday 2 January.
    const outcome = await startDeadlines(
      { scheduler, officeHours: OFFICE_HOURS },
      event('DOSSIER_RECEIVED', { appointmentAt: '2026-01-12T10:00:00.000Z', clockGeneration: 1, worksOnHolidays: false }),
    );

    expect(outcome).toEqual({ action: 'STARTED', generation: 1, start: 'STARTED' });
    expect(scheduler.started).toEqual([{ dossierCode: CODE, generation: 1, dueReminderAt: '2026-01-10T10:00:00Z', appointmentAt: '2026-01-12T10:00:00Z' }]);
    expect(scheduler.calls).toEqual(['start g1']);
  });

  it('counts the reminder on the calendar of a procedure that works on holidays (the day before is a Sunday)', async () => {
    const scheduler = recordingScheduler();

    await startDeadlines(
      { scheduler, officeHours: OFFICE_HOURS },
      event('DOSSIER_RECEIVED', { appointmentAt: '2026-01-19T10:00:00.000Z', clockGeneration: 1, worksOnHolidays: true }),
    );

    expect(scheduler.started[0]?.dueReminderAt).toBe('2026-01-18T10:00:00Z');
  });

  it.each([
    ['DOSSIER_SUPPLEMENTED', 2],
    ['APPOINTMENT_RESCHEDULED', 3],
  ] as const)('on %s starts the new generation, then stops the one before it', async (type, generation) => {
    const scheduler = recordingScheduler();

    const outcome = await startDeadlines(
      { scheduler, officeHours: OFFICE_HOURS },
      event(type, { appointmentAt: '2026-01-12T10:00:00.000Z', clockGeneration: generation, worksOnHolidays: false }),
    );

    expect(scheduler.calls).toEqual([`start g${generation}`, `stop g${generation - 1}`]);
    expect(outcome).toMatchObject({ action: 'STARTED', generation, stoppedPrevious: 'STOPPED' });
  });

  it('starts nothing when a completion before receipt is supplemented (no clock yet)', async () => {
    const scheduler = recordingScheduler();

    const outcome = await startDeadlines(
      { scheduler, officeHours: OFFICE_HOURS },
      event('DOSSIER_SUPPLEMENTED', { appointmentAt: undefined, clockGeneration: undefined, worksOnHolidays: undefined, clockMode: undefined }),
    );

    expect(outcome).toEqual({ action: 'NOTHING', reason: 'NO_CLOCK' });
    expect(scheduler.calls).toEqual([]);
  });

  it.each(['SUPPLEMENT_REQUESTED', 'RESULT_APPROVED', 'RESULT_REFUSED', 'DOSSIER_STOPPED'] as const)('on %s stops the generation the event names', async (type) => {
    const scheduler = recordingScheduler();

    const outcome = await startDeadlines({ scheduler, officeHours: OFFICE_HOURS }, event(type, { clockGeneration: 2 }));

    expect(outcome).toEqual({ action: 'STOPPED', generation: 2, stop: 'STOPPED' });
    expect(scheduler.calls).toEqual(['stop g2']);
  });

  it('stops nothing when a stopping event is of a dossier whose clock never ran (generation null; the wake-up check keeps that harmless)', async () => {
    const scheduler = recordingScheduler();

    const outcome = await startDeadlines({ scheduler, officeHours: OFFICE_HOURS }, event('RESULT_APPROVED', { clockGeneration: null }));

    expect(outcome).toEqual({ action: 'NOTHING', reason: 'NO_GENERATION' });
    expect(scheduler.calls).toEqual([]);
  });
});

describe('stepFunctionsInstant', () => {
  it('writes whole seconds in UTC, rounding up so a wake-up is never early', () => {
    expect(stepFunctionsInstant(new Date('2026-01-12T10:00:00.000Z'))).toBe('2026-01-12T10:00:00Z');
    expect(stepFunctionsInstant(new Date('2026-01-12T10:00:00.001Z'))).toBe('2026-01-12T10:00:01Z');
  });
});

describe('the Step Functions deadline scheduler', () => {
  const sfn = mockClient(SFNClient);
  const STATE_MACHINE = 'arn:aws:states:ap-southeast-1:111122223333:stateMachine:Deadlines-abc';
  const scheduler = sfnDeadlineScheduler(new SFNClient({ region: 'ap-southeast-1' }), STATE_MACHINE);
  const input: DeadlineExecutionInput = { dossierCode: CODE, generation: 2, dueReminderAt: '2026-01-09T10:00:00Z', appointmentAt: '2026-01-12T10:00:00Z' };
  const alreadyExists = new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} });
  const doesNotExist = new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} });

  beforeEach(() => sfn.reset());

  it('names executions after the dossier code and generation, in the characters Step Functions logs accept', () => {
    expect(deadlineExecutionName(CODE, 2)).toBe('000_A0_01_H26-260105-0001-g2');
    expect(deadlineExecutionName('x'.repeat(100), 1)).toHaveLength(80);
    expect(deadlineExecutionName('x'.repeat(100), 1)).not.toBe(deadlineExecutionName(`${'x'.repeat(99)}y`, 1));
  });

  it("derives an execution's ARN from the state machine's", () => {
    expect(executionArn(STATE_MACHINE, 'n-g1')).toBe('arn:aws:states:ap-southeast-1:111122223333:execution:Deadlines-abc:n-g1');
    expect(() => executionArn('arn:aws:lambda:ap-southeast-1:111122223333:function:f', 'n')).toThrow();
  });

  it('starts the named execution with the input as JSON', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: new Date() });

    expect(await scheduler.start(input)).toBe('STARTED');
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE,
      name: '000_A0_01_H26-260105-0001-g2',
      input: JSON.stringify(input),
    });
  });

  it('takes an execution that exists already as started', async () => {
    sfn.on(StartExecutionCommand).rejects(alreadyExists);

    expect(await scheduler.start(input)).toBe('ALREADY_STARTED');
  });

  it('lets any other failure through, for the stream to retry', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionLimitExceeded({ message: 'limit', $metadata: {} }));

    await expect(scheduler.start(input)).rejects.toBeInstanceOf(ExecutionLimitExceeded);
  });

  it('stops the execution by its ARN, without error or cause (which would need KMS rights)', async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });

    expect(await scheduler.stop(CODE, 1)).toBe('STOPPED');
    expect(sfn).toHaveReceivedCommandWith(StopExecutionCommand, {
      executionArn: 'arn:aws:states:ap-southeast-1:111122223333:execution:Deadlines-abc:000_A0_01_H26-260105-0001-g1',
    });
    expect(sfn.commandCalls(StopExecutionCommand)[0]?.args[0].input).not.toHaveProperty('error');
  });

  it('takes an execution that does not exist as not running', async () => {
    sfn.on(StopExecutionCommand).rejects(doesNotExist);

    expect(await scheduler.stop(CODE, 1)).toBe('NOT_RUNNING');
  });
});
