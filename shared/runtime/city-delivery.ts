/**
 * The queues of reception without boundaries, as the stack deploys them
 * (infra/constructs/city-handover.ts) and local mode runs them (local/city.ts): their names, how
 * each delivers to its worker, and the workers' entries. Nothing here creates a client or a
 * Powertools instance: the stack and local mode import it.
 */

/** The queues of one ward, named after it. */
export function cityQueueNames(wardSlug: string) {
  return {
    /** What the city bus's rule for this ward delivers (messages from other wards). */
    inbound: `mot-cua-so-${wardSlug}-city-inbound`,
    inboundDeadLetters: `mot-cua-so-${wardSlug}-city-inbound-dead-letters`,
    /** This ward's hand-overs not yet acknowledged. */
    handOvers: `mot-cua-so-${wardSlug}-hand-overs`,
    handOverDeadLetters: `mot-cua-so-${wardSlug}-hand-over-dead-letters`,
  } as const;
}

/** The worker of the inbound queue: takes dossiers over, records acknowledgements, updates copies. */
export const CITY_RECEIVER = { id: 'CityReceiver', handler: 'events/receive-city-messages' } as const;
/** The worker of the hand-over queue: puts a hand-over on the bus until it is acknowledged. */
export const HAND_OVER_WORKER = { id: 'CityHandOverWorker', handler: 'events/hand-over-worker' } as const;

/** The inbound queue: a failed message (a store outage, a gap) comes back after the visibility timeout; five deliveries, then the dead-letter queue. */
export const CITY_INBOUND_DELIVERY = {
  batchSize: 10,
  maxReceiveCount: 5,
  functionTimeoutSeconds: 30,
  visibilityTimeoutSeconds: 180,
  retentionDays: 14,
} as const;

/**
 * The hand-over queue: each delivery of a dossier's message checks the acknowledgement and, if
 * none came, puts the hand-over on the bus again; the message comes back after the visibility
 * timeout (the wait between attempts). After `maxReceiveCount` deliveries (some two hours)
 * without an acknowledgement it is dead-lettered, which alarms the operators.
 */
export const HAND_OVER_DELIVERY = {
  batchSize: 10,
  maxReceiveCount: 12,
  functionTimeoutSeconds: 30,
  visibilityTimeoutSeconds: 600,
  retentionDays: 14,
} as const;
