import { createHash } from 'node:crypto';
import { ExecutionAlreadyExists, ExecutionDoesNotExist, StartExecutionCommand, StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { DeadlineScheduler } from '../../use-cases/deadlines';

/** Step Functions' longest execution name. */
const MAX_NAME_LENGTH = 80;

/**
 * The execution of a dossier clock generation: `<code>-g<generation>`, the code with every
 * character outside `A-Z a-z 0-9 - _` as `_` (the characters CloudWatch logging accepts in names;
 * a dossier code's dots are the only ones it has): `000_A0_01_H26-260105-0001-g2`. The name is
 * what makes starting twice harmless: Step Functions keeps an execution's name for 90 days after
 * it ends and refuses to start another with it. A (never seen) code too long for the limit keeps
 * its start and gets a hash of the whole instead of its end.
 */
export function deadlineExecutionName(dossierCode: string, generation: number): string {
  const suffix = `-g${generation}`;
  const sanitised = dossierCode.replace(/[^A-Za-z0-9_-]/g, '_');
  if (sanitised.length + suffix.length <= MAX_NAME_LENGTH) return `${sanitised}${suffix}`;
  const hash = createHash('sha256').update(dossierCode).digest('hex').slice(0, 16);
  return `${sanitised.slice(0, MAX_NAME_LENGTH - suffix.length - hash.length - 1)}_${hash}${suffix}`;
}

/** `arn:aws:states:r:a:stateMachine:M` + name → `arn:aws:states:r:a:execution:M:name`. */
export function executionArn(stateMachineArn: string, executionName: string): string {
  const parts = stateMachineArn.split(':');
  if (parts.length !== 7 || parts[2] !== 'states' || parts[5] !== 'stateMachine') throw new Error(`not a state machine ARN: ${stateMachineArn}`);
  return [...parts.slice(0, 5), 'execution', parts[6], executionName].join(':');
}

/** The deadline scheduler on the ward's Standard state machine. */
export function sfnDeadlineScheduler(client: SFNClient, stateMachineArn: string): DeadlineScheduler {
  return {
    async start(input) {
      try {
        await client.send(
          new StartExecutionCommand({
            stateMachineArn,
            name: deadlineExecutionName(input.dossierCode, input.generation),
            input: JSON.stringify(input),
          }),
        );
        return 'STARTED';
      } catch (error) {
        // Running with another input, or ended: this generation was started before, which is all we want.
        if (error instanceof ExecutionAlreadyExists) return 'ALREADY_STARTED';
        throw error;
      }
    },

    async stop(dossierCode, generation) {
      try {
        // No error or cause: with them Step Functions would need KMS rights to encrypt them.
        await client.send(new StopExecutionCommand({ executionArn: executionArn(stateMachineArn, deadlineExecutionName(dossierCode, generation)) }));
        return 'STOPPED';
      } catch (error) {
        if (error instanceof ExecutionDoesNotExist) return 'NOT_RUNNING';
        throw error;
      }
    },
  };
}
