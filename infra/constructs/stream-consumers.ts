import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { WardConfig } from '../../shared/domain/ward-config';
import { STREAM_CONSUMERS, type StreamConsumer } from '../../shared/runtime/consumers';
import type { RouteAccess } from '../../shared/runtime/routes';
import { consumerFilterPattern, STREAM_DELIVERY } from '../../shared/runtime/stream';
import type { WardNotifications } from './notifications';
import { WardFunction, type ResourceUser } from './ward-function';
import type { WardTable } from './ward-table';

/** A consumer handles up to STREAM_DELIVERY.batchSize events one after the other, each a few requests. */
export const CONSUMER_TIMEOUT = Duration.seconds(60);

export interface StreamConsumersProps {
  readonly ward: WardConfig;
  readonly table: WardTable;
  /** Encrypts the functions' log groups and the dead-letter queues (the ward's data key). */
  readonly encryptionKey: kms.IKey;
  /** The stack's grants of a route's access (table, buckets, ID hashing), applied to each consumer's `access`. */
  readonly grantAccess: (user: ResourceUser, access: RouteAccess) => void;
  /** The SMS and alert grants (`access.notify`), and where the alarms go. */
  readonly notifications: WardNotifications;
  /** Links in SMS and alerts. */
  readonly publicBaseUrl: string;
  /** Grants of the accesses this construct does not own, by name: `deadlines` for consumers with `access.deadlines`, and so on. */
  readonly grantFor?: {
    readonly deadlines?: (user: ResourceUser) => void;
    /** For consumers with `access.nationalSync`: the ward's national sync secret. */
    readonly nationalSync?: (user: ResourceUser) => void;
    /** For consumers with `access.cityBus`: PutEvents on the city bus. */
    readonly cityBus?: (user: ResourceUser) => void;
    /** For consumers with `access.handOverQueue`: the ward's queue of hand-overs. */
    readonly handOverQueue?: (user: ResourceUser) => void;
  };
}

export interface DeployedConsumer {
  readonly consumer: StreamConsumer;
  readonly fn: WardFunction;
  readonly deadLetters: sqs.Queue;
  readonly deadLettersAlarm: cloudwatch.Alarm;
}

/**
 * One function per entry of STREAM_CONSUMERS, fed by its own event source mapping on the table's
 * stream: only new outbox items of the consumer's event types (the filter local mode evaluates
 * too), in batches, with failed records reported one by one, the batch bisected on an error,
 * retried a bounded number of times, then described in an encrypted dead-letter queue that
 * alarms as soon as it holds a message. (A stream's dead-letter message names the shard and
 * sequence numbers of the failed records, not their content: the outbox item, kept a week,
 * holds the event.)
 */
export class StreamConsumers extends Construct {
  readonly consumers: readonly DeployedConsumer[];

  constructor(scope: Construct, id: string, props: StreamConsumersProps) {
    super(scope, id);
    this.consumers = STREAM_CONSUMERS.map((consumer) => this.deploy(consumer, props));
  }

  private deploy(consumer: StreamConsumer, props: StreamConsumersProps): DeployedConsumer {
    const { ward, table } = props;
    const fn = new WardFunction(this, consumer.id, {
      ward,
      handler: consumer.handler,
      description: `Stream consumer ${consumer.id}: ${consumer.events.join(', ')}`.slice(0, 256),
      timeout: CONSUMER_TIMEOUT,
      logKey: props.encryptionKey,
    });
    props.grantAccess(fn, consumer.access);
    if (consumer.access.notify) props.notifications.grantTo(fn);
    if (consumer.access.deadlines) {
      const grantDeadlines = props.grantFor?.deadlines;
      if (grantDeadlines === undefined) throw new Error(`stream consumer ${consumer.id} needs access.deadlines: give StreamConsumers grantFor.deadlines`);
      grantDeadlines(fn);
    }
    for (const access of ['nationalSync', 'cityBus', 'handOverQueue'] as const) {
      if (!consumer.access[access]) continue;
      const grant = props.grantFor?.[access];
      if (grant === undefined) throw new Error(`stream consumer ${consumer.id} needs access.${access}: give StreamConsumers grantFor.${access}`);
      grant(fn);
    }
    fn.addEnvironment('PUBLIC_BASE_URL', props.publicBaseUrl);

    const deadLetters = new sqs.Queue(this, `${consumer.id}DeadLetters`, {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // Also grants the function the reads of the table's stream, and the send to the queue.
    fn.lambda.addEventSource(
      new DynamoEventSource(table.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: STREAM_DELIVERY.batchSize,
        bisectBatchOnError: true,
        retryAttempts: STREAM_DELIVERY.retryAttempts,
        maxRecordAge: Duration.hours(STREAM_DELIVERY.maxRecordAgeHours),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(deadLetters),
        filters: [lambda.FilterCriteria.filter(consumerFilterPattern(consumer))],
      }),
    );

    const deadLettersAlarm = new cloudwatch.Alarm(this, `${consumer.id}DeadLettersAlarm`, {
      alarmDescription:
        `${ward.slug}: ${consumer.id} gave up on stream records after its retries. Each message names the shard and sequence numbers; ` +
        'the events are the OUTBOX# items of the table (kept a week).',
      metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    deadLettersAlarm.addAlarmAction(props.notifications.alarmAction);

    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself the dead-letter destination of the stream consumer's event source mapping; it alarms on its first message.",
    });
    const keyReason =
      "Sending to the dead-letter queue, encrypted with the ward's key, needs the key's encrypt actions, which KMS names with wildcards " +
      '(GenerateDataKey*, ReEncrypt*); the statement names that one key only.';
    Validations.of(fn).acknowledge(
      { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: keyReason },
      { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: keyReason },
    );
    return { consumer, fn, deadLetters, deadLettersAlarm };
  }
}
