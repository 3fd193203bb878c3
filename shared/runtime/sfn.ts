import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { sfnDeadlineScheduler } from '../adapters/sfn/deadline-scheduler';
import type { DeadlineScheduler } from '../use-cases/deadlines';
import { required } from './env';
import { logger, metrics, tracer } from './observability';

/**
 * The deadline state machine's scheduler, for the function that starts and stops its executions.
 * Call it once, at module scope: the client is created here, so that functions that never call
 * it (the task below) do not carry a Step Functions client. In local mode the standard
 * AWS_ENDPOINT_URL_SFN variable points the same calls at local/deadline-runner.ts.
 */
export function deadlineScheduler(): DeadlineScheduler {
  return sfnDeadlineScheduler(tracer.captureAWSv3Client(new SFNClient({})), required('DEADLINE_STATE_MACHINE_ARN'));
}

/**
 * The middleware chain of a Task state's function (a state machine invokes it with a JSON
 * payload): Powertools logger, tracer and metrics; the payload is validated with `schema`, and a
 * bad one fails the task (a defect of the definition, not something a retry mends). Errors are
 * left to propagate: the state machine's Retry decides.
 */
export function stateMachineTask<S extends z.ZodType, R>(schema: S, fn: (input: z.output<S>) => Promise<R>) {
  return middy<unknown, R, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer))
    .use(logMetrics(metrics))
    .handler(async (payload) => {
      const result = await fn(schema.parse(payload));
      logger.info('task done', { result });
      return result;
    });
}
