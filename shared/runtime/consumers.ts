import { CLOCK_START_EVENTS, CLOCK_STOP_EVENTS, DOMAIN_EVENT_TYPES, DOSSIER_CHANGE_EVENTS, HANDED_AWAY_EVENTS, type DomainEventType } from '../domain/events';
import { CITIZEN_SMS_EVENTS, OFFICER_ALERT_EVENTS } from '../domain/notifications';
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
  /**
   * Outbox event types it receives: derived from what its use case handles (never listed by
   * hand), so that it is subscribed to every event it has a branch for and to no other.
   */
  readonly events: readonly DomainEventType[];
  readonly access: RouteAccess & {
    /** Sends SMS to citizens and alerts to the ward's officers (SNS). */
    readonly notify?: boolean;
    /** Starts and stops the deadline workflow's executions. */
    readonly deadlines?: boolean;
    /** Sends dossier-sync records to the national portal: reads the ward's sync secret (endpoint and token). */
    readonly nationalSync?: boolean;
    /** Puts events on the city bus, with the ward's source (reception without boundaries). */
    readonly cityBus?: boolean;
    /** Sends to the ward's queue of hand-overs awaiting acknowledgement (HANDOVER_QUEUE_URL). */
    readonly handOverQueue?: boolean;
  };
}

export const STREAM_CONSUMERS: readonly StreamConsumer[] = [
  {
    id: 'Notifier',
    handler: 'events/notify',
    // The events with a citizen SMS template or an officer alert template (shared/domain/notifications.ts).
    events: [...new Set([...CITIZEN_SMS_EVENTS, ...OFFICER_ALERT_EVENTS])],
    access: { table: 'readWrite', notify: true },
  },
  {
    id: 'DeadlineStarter',
    handler: 'events/start-deadlines',
    // The events that start or stop the deadline clock (shared/domain/events.ts), as startDeadlines narrows them.
    events: [...CLOCK_START_EVENTS, ...CLOCK_STOP_EVENTS],
    access: { deadlines: true },
  },
  {
    id: 'NationalSync',
    handler: 'events/sync-national',
    // Every event written with a change of a dossier (shared/domain/events.ts): each change is one national record.
    events: DOSSIER_CHANGE_EVENTS,
    access: { table: 'readWrite', nationalSync: true },
  },
  {
    id: 'CityHandOver',
    handler: 'events/hand-over',
    // A dossier filed here for another ward's procedure (shared/use-cases/city-handover.ts).
    events: HANDED_AWAY_EVENTS,
    access: { handOverQueue: true },
  },
  {
    id: 'CityReturn',
    handler: 'events/send-to-receiving-ward',
    // Every change of a dossier may be one another ward handed in: all but the receiving ward's own hand-over event.
    events: DOMAIN_EVENT_TYPES.filter((type) => !(HANDED_AWAY_EVENTS as readonly DomainEventType[]).includes(type)),
    access: { table: 'read', archive: ['read'], cityBus: true },
  },
];
