import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CITY_BUS_NAME } from '../../shared/domain/city';
import type { WardConfig } from '../../shared/domain/ward-config';
import { CITY_INBOUND_DELIVERY, CITY_RECEIVER, cityQueueNames, HAND_OVER_DELIVERY, HAND_OVER_WORKER } from '../../shared/runtime/city-delivery';
import type { RouteAccess } from '../../shared/runtime/routes';
import { WardFunction, type ResourceUser } from './ward-function';

export interface CityHandOverProps {
  readonly ward: WardConfig;
  /** Encrypts the queues and the functions' log groups (the ward's data key: the messages hold dossiers). */
  readonly encryptionKey: kms.IKey;
  /** The stack's grants of an access (table, buckets, ID hashing). */
  readonly grantAccess: (user: ResourceUser, access: RouteAccess) => void;
  /** Where the dead-letter alarms go. */
  readonly alarmAction: cloudwatch.IAlarmAction;
}

/**
 * The ward's side of reception without boundaries (shared/use-cases/city-handover.ts), on the
 * city bus `mot-cua-so-city` (the city stack's; referenced by name):
 *
 * - a rule on the bus for the events whose `detail.toWard` is this ward → the inbound queue
 *   (encrypted, TLS only, with a dead-letter queue for EventBridge's failed deliveries and for
 *   messages the receiver failed five times) → the city receiver (takes dossiers over, records
 *   acknowledgements, updates the copies of dossiers handed away);
 * - the hand-over queue (with its dead-letter queue) and its worker, which puts each hand-over
 *   on the bus until it is acknowledged: a hand-over never acknowledged is dead-lettered;
 * - the PutEvents grants (the bus's policy lets a ward put only events of its own source);
 * - alarms on both dead-letter queues.
 */
export class CityHandOver extends Construct {
  readonly bus: events.IEventBus;
  readonly inbound: sqs.Queue;
  readonly handOvers: sqs.Queue;
  readonly receiver: WardFunction;
  readonly worker: WardFunction;

  constructor(scope: Construct, id: string, props: CityHandOverProps) {
    super(scope, id);
    const { ward } = props;
    const names = cityQueueNames(ward.slug);
    this.bus = events.EventBus.fromEventBusName(this, 'CityBus', CITY_BUS_NAME);

    const queue = (queueId: string, queueName: string, delivery: typeof CITY_INBOUND_DELIVERY | typeof HAND_OVER_DELIVERY, deadLetterQueue?: sqs.Queue) =>
      new sqs.Queue(this, queueId, {
        queueName,
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: props.encryptionKey,
        enforceSSL: true,
        retentionPeriod: Duration.days(delivery.retentionDays),
        ...(deadLetterQueue
          ? { visibilityTimeout: Duration.seconds(delivery.visibilityTimeoutSeconds), deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: delivery.maxReceiveCount } }
          : {}),
      });
    const inboundDeadLetters = queue('InboundDeadLetters', names.inboundDeadLetters, CITY_INBOUND_DELIVERY);
    this.inbound = queue('Inbound', names.inbound, CITY_INBOUND_DELIVERY, inboundDeadLetters);
    const handOverDeadLetters = queue('HandOverDeadLetters', names.handOverDeadLetters, HAND_OVER_DELIVERY);
    this.handOvers = queue('HandOvers', names.handOvers, HAND_OVER_DELIVERY, handOverDeadLetters);

    new events.Rule(this, 'InboundRule', {
      eventBus: this.bus,
      description: `Events of the city bus for ${ward.slug}: dossiers handed over to it, acknowledgements and changes of dossiers it handed over`,
      eventPattern: { detail: { toWard: [ward.slug] } },
      targets: [new targets.SqsQueue(this.inbound, { deadLetterQueue: inboundDeadLetters, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });

    this.receiver = new WardFunction(this, CITY_RECEIVER.id, {
      ward,
      handler: CITY_RECEIVER.handler,
      description: 'The city receiver: takes handed-over dossiers over once, records acknowledgements, updates the copies of dossiers handed away',
      timeout: Duration.seconds(CITY_INBOUND_DELIVERY.functionTimeoutSeconds),
      logKey: props.encryptionKey,
    });
    props.grantAccess(this.receiver, { table: 'readWrite', idHashKey: true, archive: ['write', 'read'] });
    this.grantBusTo(this.receiver);
    this.receiver.lambda.addEventSource(new SqsEventSource(this.inbound, { batchSize: CITY_INBOUND_DELIVERY.batchSize, reportBatchItemFailures: true }));

    this.worker = new WardFunction(this, HAND_OVER_WORKER.id, {
      ward,
      handler: HAND_OVER_WORKER.handler,
      description: 'The hand-over worker: puts each hand-over on the city bus until the competent ward acknowledges it',
      timeout: Duration.seconds(HAND_OVER_DELIVERY.functionTimeoutSeconds),
      logKey: props.encryptionKey,
    });
    props.grantAccess(this.worker, { table: 'read' });
    this.grantBusTo(this.worker);
    this.worker.lambda.addEventSource(new SqsEventSource(this.handOvers, { batchSize: HAND_OVER_DELIVERY.batchSize, reportBatchItemFailures: true }));

    const alarm = (alarmId: string, deadLetters: sqs.Queue, description: string) => {
      const deadLettersAlarm = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: description,
        metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      deadLettersAlarm.addAlarmAction(props.alarmAction);
      Validations.of(deadLetters).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself a dead-letter queue; it alarms on its first message.' });
    };
    alarm(
      'HandOverDeadLettersAlarm',
      handOverDeadLetters,
      `${ward.slug}: a dossier handed over to another ward was not acknowledged after ${HAND_OVER_DELIVERY.maxReceiveCount} attempts; ` +
        `its code is in ${names.handOverDeadLetters}, and the dossier shows no acknowledgement. Check the city bus and the competent ward's receiver.`,
    );
    alarm(
      'InboundDeadLettersAlarm',
      inboundDeadLetters,
      `${ward.slug}: a message of the city bus could not be applied after ${CITY_INBOUND_DELIVERY.maxReceiveCount} attempts (or EventBridge could not deliver it); it waits in ${names.inboundDeadLetters}.`,
    );
    const keyReason =
      "Sending to and receiving from the queues, encrypted with the ward's key, needs the key's actions that KMS names with wildcards " +
      '(GenerateDataKey*, ReEncrypt*); the statement names that one key only.';
    for (const fn of [this.receiver, this.worker]) {
      Validations.of(fn).acknowledge(
        { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: keyReason },
        { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: keyReason },
      );
    }
  }

  /** Lets `user` put events on the city bus (with the ward's source, as the bus's policy requires). */
  grantBusTo(user: ResourceUser): void {
    this.bus.grantPutEventsTo(user);
  }

  /** Lets `user` queue hand-overs, and tells it the queue's URL (HANDOVER_QUEUE_URL). */
  grantHandOverQueueTo(user: ResourceUser): void {
    this.handOvers.grantSendMessages(user);
    user.addEnvironment('HANDOVER_QUEUE_URL', this.handOvers.queueUrl);
  }
}
