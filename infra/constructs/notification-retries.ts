import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { WardConfig } from '../../shared/domain/ward-config';
import { STREAM_CONSUMERS } from '../../shared/runtime/consumers';
import { notificationQueueNames, RETRY_DELIVERY, RETRY_WORKER } from '../../shared/runtime/notification-retries';
import type { RouteAccess } from '../../shared/runtime/routes';
import type { WardNotifications } from './notifications';
import { WardFunction, type ResourceUser } from './ward-function';

export interface NotificationRetriesProps {
  readonly ward: WardConfig;
  /** Encrypts the queues and the worker's log group (the ward's data key: the events name dossiers and phones). */
  readonly encryptionKey: kms.IKey;
  /** The stack's grants of an access, applied to the worker with the notifier's own access. */
  readonly grantAccess: (user: ResourceUser, access: RouteAccess) => void;
  /** The SMS and alert grants, and where the dead-letter alarm goes. */
  readonly notifications: WardNotifications;
  /** Links in SMS and alerts. */
  readonly publicBaseUrl: string;
}

/**
 * The notifier's retries (shared/use-cases/notification-retries.ts): an encrypted, TLS-only SQS
 * queue where the notifier leaves an event whose delivery failed, the retry worker that delivers
 * it again (the notifier's access: table, SMS, alert topic) and postpones it after each failure
 * for hours if need be, and the dead-letter queue the queue's redrive policy moves it to after the
 * last attempt, which alarms on its first message (`npm run redrive` gives the messages back).
 * The queues are named after the ward, for the redrive command.
 */
export class NotificationRetries extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly worker: WardFunction;
  readonly deadLettersAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: NotificationRetriesProps) {
    super(scope, id);
    const { ward } = props;
    const names = notificationQueueNames(ward.slug);
    const notifier = STREAM_CONSUMERS.find((consumer) => consumer.access.notify);
    if (notifier === undefined) throw new Error('no stream consumer with access.notify: the retry worker takes its access');

    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      queueName: names.deadLetters,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(RETRY_DELIVERY.retentionDays),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: names.retries,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(RETRY_DELIVERY.retentionDays),
      visibilityTimeout: Duration.seconds(RETRY_DELIVERY.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: RETRY_DELIVERY.maxReceiveCount },
    });

    this.worker = new WardFunction(this, RETRY_WORKER.id, {
      ward,
      handler: RETRY_WORKER.handler,
      description: "The notifier's retry worker: SMS and alerts whose delivery failed, again after growing waits",
      timeout: Duration.seconds(RETRY_DELIVERY.functionTimeoutSeconds),
      logKey: props.encryptionKey,
    });
    props.grantAccess(this.worker, notifier.access);
    props.notifications.grantTo(this.worker);
    this.worker.addEnvironment('PUBLIC_BASE_URL', props.publicBaseUrl);
    // The worker's own module imports the notifier's, which hands failures over to this queue too.
    this.grantTo(this.worker);
    // Also grants the receive, delete and ChangeMessageVisibility (the worker's postponing) on the queue.
    this.worker.lambda.addEventSource(new SqsEventSource(this.queue, { batchSize: RETRY_DELIVERY.batchSize, reportBatchItemFailures: true }));

    this.deadLettersAlarm = new cloudwatch.Alarm(this, 'DeadLettersAlarm', {
      alarmDescription:
        `${ward.slug}: SMS or officer alerts could not be delivered after ${RETRY_DELIVERY.maxReceiveCount} retries over hours (SNS or e-mail down). ` +
        `They wait in ${names.deadLetters} (14 days): once SNS works, run npm run redrive -- --ward ${ward.slug}; each goes out once.`,
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.deadLettersAlarm.addAlarmAction(props.notifications.alarmAction);

    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself the dead-letter queue of the notifier's retry queue; it alarms on its first message.",
    });
    const keyReason =
      "Sending to and receiving from the queues, encrypted with the ward's key, needs the key's actions that KMS names with wildcards " +
      '(GenerateDataKey*, ReEncrypt*); the statement names that one key only.';
    Validations.of(this.worker).acknowledge(
      { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: keyReason },
      { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: keyReason },
    );
  }

  /** Lets `user` leave events in the retry queue, and tells it the queue's URL (NOTIFICATION_RETRY_QUEUE_URL). */
  grantTo(user: ResourceUser): void {
    this.queue.grantSendMessages(user);
    user.addEnvironment('NOTIFICATION_RETRY_QUEUE_URL', this.queue.queueUrl);
  }
}
