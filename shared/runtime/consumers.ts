import type { DomainEventType } from '../domain/dossier';
import type { RouteAccess } from './routes';

/**
 * The consumers of the table's stream: the CDK stack builds one event source mapping per
 * consumer (filtered to new outbox events of the listed types), and local mode's stream poller
 * dispatches the same records to the same handlers with the same filter, so the two can never
 * drift. Each consumer is idempotent on the event id: a redelivered event changes nothing twice.
 */
export interface StreamConsumer {
  readonly id: string;
  /** Entry point under `functions/`, without extension; exports `handler(DynamoDBStreamEvent)` returning partial batch failures. */
  readonly handler: string;
  /** Outbox event types it receives. */
  readonly events: readonly DomainEventType[];
  readonly access: RouteAccess & {
    /** Sends SMS to citizens and alerts to the ward's officers (SNS). */
    readonly notify?: boolean;
    /** Starts and stops the deadline workflow's executions. */
    readonly deadlines?: boolean;
  };
}

export const STREAM_CONSUMERS: readonly StreamConsumer[] = [
  {
    id: 'Notifier',
    handler: 'events/notify',
    events: [
      'DOSSIER_SUBMITTED',
      'DOSSIER_RECEIVED',
      'DOSSIER_NOT_RECEIVED',
      'COMPLETION_REQUESTED',
      'SUPPLEMENT_REQUESTED',
      'PAYMENT_REQUESTED',
      'RESULT_APPROVED',
      'RESULT_REFUSED',
      'DOSSIER_STOPPED',
      'DOSSIER_DUE_TOMORROW',
      'DOSSIER_OVERDUE',
      'APPOINTMENT_RESCHEDULED',
      'RESULT_CANCELLED',
    ],
    access: { table: 'readWrite', notify: true },
  },
  {
    id: 'DeadlineStarter',
    handler: 'events/start-deadlines',
    events: [
      'DOSSIER_RECEIVED',
      'DOSSIER_SUPPLEMENTED',
      'APPOINTMENT_RESCHEDULED',
      'SUPPLEMENT_REQUESTED',
      'RESULT_APPROVED',
      'RESULT_REFUSED',
      'DOSSIER_STOPPED',
    ],
    access: { deadlines: true },
  },
];
