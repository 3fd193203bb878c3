import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { WardConfig } from '../../shared/domain/ward-config';
import type { RouteAccess } from '../../shared/runtime/routes';
import { SCHEDULED_JOBS, type ScheduledJob } from '../../shared/runtime/schedules';
import { WardFunction, type ResourceUser } from './ward-function';

/** A job works through a day's worth of records (the day's manifest entries, say), not one request. */
export const JOB_TIMEOUT = Duration.minutes(5);

export interface ScheduledJobsProps {
  readonly ward: WardConfig;
  /** Encrypts the functions' log groups. */
  readonly logKey: kms.IKey;
  /** The stack's grants of an access (table, buckets, keys), applied to each job's `access`. */
  readonly grantAccess: (user: ResourceUser, access: RouteAccess) => void;
  /** Where a failed run is reported (the ward's alert topic). */
  readonly alarmAction: cloudwatch.IAlarmAction;
  /** Grants a job with `access.notify` publishing to the ward's alert topic (not SMS). */
  readonly grantNotify: (user: ResourceUser) => void;
  /** Grants a job with `access.nationalSync` the sync secret (and the links' base URL). */
  readonly grantNationalSync?: (user: ResourceUser) => void;
}

export interface DeployedJob {
  readonly job: ScheduledJob;
  readonly fn: WardFunction;
  readonly rule: events.Rule;
  readonly errorsAlarm: cloudwatch.Alarm;
}

/**
 * One function per entry of SCHEDULED_JOBS, started by its own EventBridge rule on the job's cron
 * (UTC). EventBridge invokes asynchronously: Lambda retries a failed run twice, and a run that
 * still fails raises the job's alarm on the ward's alert topic.
 */
export class ScheduledJobs extends Construct {
  readonly jobs: readonly DeployedJob[];

  constructor(scope: Construct, id: string, props: ScheduledJobsProps) {
    super(scope, id);
    this.jobs = SCHEDULED_JOBS.map((job) => this.deploy(job, props));
  }

  private deploy(job: ScheduledJob, props: ScheduledJobsProps): DeployedJob {
    const fn = new WardFunction(this, job.id, {
      ward: props.ward,
      handler: job.handler,
      description: `Scheduled ${job.id}: ${job.description}`.slice(0, 256),
      timeout: JOB_TIMEOUT,
      logKey: props.logKey,
    });
    props.grantAccess(fn, job.access);
    if (job.access.notify) props.grantNotify(fn);
    if (job.access.nationalSync) {
      if (props.grantNationalSync === undefined) throw new Error(`scheduled job ${job.id} needs access.nationalSync: give ScheduledJobs grantNationalSync`);
      props.grantNationalSync(fn);
    }

    const rule = new events.Rule(this, `${job.id}Schedule`, {
      description: `${props.ward.slug}: ${job.id}, cron(${job.cron.minute} ${job.cron.hour} * * ? *) UTC`,
      schedule: events.Schedule.cron({ minute: job.cron.minute, hour: job.cron.hour }),
      targets: [new targets.LambdaFunction(fn.lambda, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });

    const errorsAlarm = new cloudwatch.Alarm(this, `${job.id}Errors`, {
      alarmDescription: `${props.ward.slug}: scheduled job ${job.id} failed (${job.description}). Its log group has the error.`.slice(0, 1024),
      metric: fn.lambda.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    errorsAlarm.addAlarmAction(props.alarmAction);
    return { job, fn, rule, errorsAlarm };
  }
}
