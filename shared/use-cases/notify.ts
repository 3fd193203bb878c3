import { setTimeout as sleep } from 'node:timers/promises';
import type { DomainEvent } from '../domain/events';
import { citizenSms, notificationFacts, officerAlert } from '../domain/notifications';
import { vietnamDate } from '../domain/time';
import type { WardConfig } from '../domain/ward-config';

// ---------------------------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------------------------

export type Channel = 'SMS' | 'ALERT';

/** Where the event is from, for logs and the local outbox (SNS does not carry it). */
export interface MessageReference {
  readonly eventId: string;
  readonly eventType: DomainEvent['type'];
  readonly dossierCode: string;
}

export interface OutgoingSms extends MessageReference {
  /** E.164, `+84…`. */
  readonly phone: string;
  /** The whole text, sender name included: one GSM-7 segment. */
  readonly text: string;
  readonly senderId: string;
  readonly maxPriceUsd: number;
}

export interface OutgoingAlert extends MessageReference {
  readonly subject: string;
  readonly body: string;
}

/** SNS in AWS; a local outbox file in local mode. A failure throws (nothing may be assumed sent). */
export interface NotificationSender {
  sendSms(sms: OutgoingSms): Promise<{ readonly messageId: string }>;
  sendAlert(alert: OutgoingAlert): Promise<{ readonly messageId: string }>;
}

export type ClaimResult =
  /** This delivery is ours until the claim expires. */
  | { readonly outcome: 'CLAIMED'; readonly token: string }
  /** Settled earlier: sent, or refused over a cap. Nothing more to do. */
  | { readonly outcome: 'DONE'; readonly state: 'SENT' | 'OVER_CAP' }
  /** Another delivery of the same event holds a live claim. */
  | { readonly outcome: 'BUSY'; readonly until: Date };

export type SmsCap = 'PHONE_PER_DAY' | 'WARD_PER_DAY' | 'WARD_PER_MONTH';

export interface OverCapRecord extends MessageReference {
  readonly phone: string;
  readonly cap: SmsCap;
  readonly limit: number;
  /** The counted day (Vietnam date) of the event. */
  readonly day: string;
  readonly at: Date;
}

/**
 * One record per event and channel: who is delivering it (a claim that expires), and whether it
 * was sent or refused over a cap. See {@link notify} for the order of the writes.
 */
export interface DeliveryLedger {
  /** Claims the delivery until `until`, unless it is settled or claimed by someone else until later than now. */
  claim(eventId: string, channel: Channel, now: Date, until: Date): Promise<ClaimResult>;
  /** Records the delivery as sent (final), whoever holds the claim by now. */
  markSent(eventId: string, channel: Channel, sent: { readonly messageId: string; readonly at: Date }): Promise<void>;
  /** Records the SMS as refused over a cap (final), with what was refused and why. */
  markOverCap(record: OverCapRecord): Promise<void>;
  /** Gives the claim up (the send failed), if it is still the one with this token. */
  release(eventId: string, channel: Channel, token: string): Promise<void>;
}

/** A cap's counter: SMS to one phone number on one day, or of the whole ward in one day or one month (Vietnam time). */
export type SmsCounter =
  | { readonly kind: 'PHONE_DAY'; readonly phone: string; readonly day: string }
  | { readonly kind: 'WARD_DAY'; readonly day: string }
  | { readonly kind: 'WARD_MONTH'; readonly month: string };

/**
 * Counters of SMS against the ward's caps, each one atomic (concurrent takes never count past the
 * cap) and idempotent per event (a counter remembers the ids it counted until they are settled).
 */
export interface SmsQuotaStore {
  /**
   * Counts the event's SMS unless the counter is at `cap`; an event counted already is `TAKEN`
   * again, and counted once. `count`: the counter's value with this SMS counted.
   */
  take(counter: SmsCounter, eventId: string, cap: number): Promise<{ readonly outcome: 'TAKEN'; readonly count: number } | { readonly outcome: 'FULL' }>;
  /** Uncounts the event's SMS (it will not be sent), if it was counted. */
  giveBack(counter: SmsCounter, eventId: string): Promise<void>;
  /** The SMS went out: the counter may forget the event id (the ledger now stops any recount). */
  settle(counter: SmsCounter, eventId: string): Promise<void>;
}

export type DeliveryOutcome =
  | { readonly channel: Channel; readonly outcome: 'SENT'; readonly messageId: string }
  | { readonly channel: Channel; readonly outcome: 'ALREADY_DONE' }
  | { readonly channel: 'SMS'; readonly outcome: 'OVER_CAP'; readonly cap: SmsCap };

/**
 * The metric the notifier's handler emits for each outcome; the stack alarms on `SmsOverCap`
 * (namespace and `service` dimension: Powertools', from the function's environment).
 */
export const NOTIFIER_METRICS = {
  SMS: { SENT: 'SmsSent', ALREADY_DONE: 'SmsAlreadyDone', OVER_CAP: 'SmsOverCap' },
  ALERT: { SENT: 'AlertsSent', ALREADY_DONE: 'AlertsAlreadyDone', OVER_CAP: 'AlertsOverCap' },
} as const satisfies Record<Channel, Record<DeliveryOutcome['outcome'], string>>;

/**
 * The ward's SMS of the (Vietnam) day so far, emitted by the notifier each time one is counted:
 * the stack's alarms at 50, 80 and 100 % of the daily budget watch its maximum.
 */
export const SMS_DAILY_BUDGET_METRIC = 'SmsDailyBudgetUsed';

export interface NotifyDeps {
  readonly ward: WardConfig;
  readonly publicBaseUrl: string;
  readonly ledger: DeliveryLedger;
  readonly quota: SmsQuotaStore;
  readonly sender: NotificationSender;
  readonly now: () => Date;
  /** Each delivery's outcome, for metrics (`SmsOverCap`). */
  readonly observe?: (outcome: DeliveryOutcome) => void;
  /** The ward's SMS of the day so far, each time one is counted, for the daily budget's alarms (`SmsDailyBudgetUsed`). */
  readonly observeDailyBudget?: (usage: { readonly day: string; readonly used: number; readonly budget: number }) => void;
  /** A step that failed without failing the event (forgetting a settled id on a counter). */
  readonly warn?: (message: string, error: unknown) => void;
}

export interface NotifyOptions {
  /**
   * Until when this delivery attempt may run (the Lambda invocation's deadline): the claim lasts
   * that long plus {@link CLAIM_MARGIN_MS}, so a redelivery, which comes after the attempt ended,
   * finds it expired or about to.
   */
  readonly deadline: Date;
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** The event's SMS cannot be addressed (no valid phone number): a poison event, for the dead-letter queue. */
export class UnaddressableSmsError extends Error {
  constructor(readonly eventId: string) {
    super(`event ${eventId} has an SMS but no valid applicant phone number (data.phone, E.164 +84…)`);
    this.name = 'UnaddressableSmsError';
  }
}

/** Another delivery of the same event is under way: retry later, by then it is settled or its claim expired. */
export class DeliveryInProgressError extends Error {
  constructor(
    readonly eventId: string,
    readonly channel: Channel,
    readonly until: Date,
  ) {
    super(`the ${channel} of event ${eventId} is being delivered by another attempt (claimed until ${until.toISOString()})`);
    this.name = 'DeliveryInProgressError';
  }
}

// ---------------------------------------------------------------------------------------------
// The use case
// ---------------------------------------------------------------------------------------------

/** Clock skew and the time Lambda takes to notice an ended invocation. */
export const CLAIM_MARGIN_MS = 5_000;

/** A claim that expires this soon is waited for, rather than failing the event for another retry. */
const MAX_WAIT_FOR_CLAIM_MS = 10_000;

const PHONE_E164 = /^\+84\d{9}$/;

/**
 * Sends what one outbox event calls for: the citizen's SMS (`citizenSms`) and the officers' alert
 * (`officerAlert`), each at most once however often the event is delivered, and the SMS only
 * within the ward's caps. The two are independent: a failed SMS does not hold the alert back.
 *
 * Each delivery: **claim → (SMS: take quota) → send → mark sent**.
 * - The claim is a conditional write on the event's ledger record (one per event and channel):
 *   it fails when the delivery is settled (a redelivered event sends nothing) or claimed by a live
 *   attempt (two concurrent deliveries never both send).
 * - The quota is taken after the claim, from counters that remember the event ids they counted:
 *   a retried event is not counted twice. Over a cap, the SMS is recorded as refused (final), not
 *   sent, and reported (`SmsOverCap`).
 * - If the send throws (SNS down), the claim is released and the error fails the event: the
 *   stream retries it and the SMS goes out on the first attempt after SNS recovers. The counted
 *   quota stays counted for that retry (and is lost, conservatively, if the event ends in the DLQ).
 * - "Sent" is recorded only after a successful send. At-least-once window: an attempt that dies
 *   between the send and that write (or a send that SNS accepted but answered with an error)
 *   leaves a claim that expires at its deadline + {@link CLAIM_MARGIN_MS}; the retry after that
 *   sends again. SNS has no idempotency key for SMS, so this window can be narrowed, not closed.
 *
 * @throws UnaddressableSmsError (poison: no valid phone), DeliveryInProgressError (retry later),
 *   or the sender's / the store's error; any of them fails the event, after both deliveries ran.
 */
export async function notify(event: DomainEvent, deps: NotifyDeps, options: NotifyOptions): Promise<DeliveryOutcome[]> {
  const context = { ward: deps.ward, publicBaseUrl: deps.publicBaseUrl };
  const facts = notificationFacts(event);
  const sms = citizenSms(facts, context);
  const alert = officerAlert(facts, context);
  const reference: MessageReference = { eventId: event.id, eventType: event.type, dossierCode: event.dossierCode };

  const deliveries: Promise<DeliveryOutcome>[] = [];
  if (sms !== undefined) deliveries.push(deliverSms(event, { ...reference, text: sms }, deps, options));
  if (alert !== undefined) {
    deliveries.push(
      deliverOnce('ALERT', event.id, deps, options, async () => {
        const { messageId } = await deps.sender.sendAlert({ ...reference, ...alert });
        return { messageId };
      }),
    );
  }
  const settled = await Promise.allSettled(deliveries);
  const outcomes = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  for (const outcome of outcomes) deps.observe?.(outcome);
  const failures = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `both deliveries of event ${event.id} failed`);
  return outcomes;
}

async function deliverSms(event: DomainEvent, message: MessageReference & { readonly text: string }, deps: NotifyDeps, options: NotifyOptions): Promise<DeliveryOutcome> {
  const phone = event.data.phone;
  // Checked before anything is written: a poison event leaves no claim or count behind.
  if (typeof phone !== 'string' || !PHONE_E164.test(phone)) throw new UnaddressableSmsError(event.id);
  // The event's own day and month, not the delivery's: a retry counts against the same counters.
  const day = vietnamDate(event.at);
  const counters: SmsCounter[] = [
    { kind: 'PHONE_DAY', phone, day },
    { kind: 'WARD_DAY', day },
    { kind: 'WARD_MONTH', month: day.slice(0, 7) },
  ];

  const outcome = await deliverOnce('SMS', event.id, deps, options, async () => {
    const refused = await takeQuota(deps, counters, event.id);
    if (refused !== undefined) {
      await deps.ledger.markOverCap({ ...message, phone, cap: refused.cap, limit: refused.limit, day, at: deps.now() });
      return { overCap: refused.cap };
    }
    const { messageId } = await deps.sender.sendSms({ ...message, phone, senderId: deps.ward.smsSenderName, maxPriceUsd: deps.ward.sms.maxPriceUsd });
    return { messageId };
  });
  if (outcome.outcome === 'SENT') await forget(deps, counters, event.id);
  return outcome;
}

/** What one claimed attempt did: sent (its last step), or refused the SMS over a cap (recorded). */
type AttemptResult = { readonly messageId: string } | { readonly overCap: SmsCap };

/**
 * claim → `attempt` → mark sent. Whatever throws inside `attempt` happened before anything was
 * sent (sending is its last step), so the claim is released for the retry to start afresh.
 */
async function deliverOnce(channel: Channel, eventId: string, deps: NotifyDeps, options: NotifyOptions, attempt: () => Promise<AttemptResult>): Promise<DeliveryOutcome> {
  const claim = await claimOrWait(channel, eventId, deps, options);
  if (claim.outcome === 'DONE') return { channel, outcome: 'ALREADY_DONE' };

  let result: AttemptResult;
  try {
    result = await attempt();
  } catch (error) {
    // If the release fails too, the claim expires on its own after the attempt's deadline.
    await deps.ledger.release(eventId, channel, claim.token).catch((releaseError: unknown) => deps.warn?.('could not release a delivery claim', releaseError));
    throw error;
  }
  if ('overCap' in result) return { channel: 'SMS', outcome: 'OVER_CAP', cap: result.overCap };
  // Not conditional on the claim: whoever holds it by now, the message did go out.
  await deps.ledger.markSent(eventId, channel, { messageId: result.messageId, at: deps.now() });
  return { channel, outcome: 'SENT', messageId: result.messageId };
}

/** A claim, waiting for one that expires very soon (what an attempt that timed out leaves) rather than failing. */
async function claimOrWait(channel: Channel, eventId: string, deps: NotifyDeps, options: NotifyOptions): Promise<Exclude<ClaimResult, { outcome: 'BUSY' }>> {
  const until = new Date(options.deadline.getTime() + CLAIM_MARGIN_MS);
  const claim = await deps.ledger.claim(eventId, channel, deps.now(), until);
  if (claim.outcome !== 'BUSY') return claim;
  const wait = claim.until.getTime() - deps.now().getTime() + 50;
  if (wait > MAX_WAIT_FOR_CLAIM_MS || deps.now().getTime() + wait > options.deadline.getTime() - 1_000) {
    throw new DeliveryInProgressError(eventId, channel, claim.until);
  }
  await sleep(Math.max(0, wait));
  const again = await deps.ledger.claim(eventId, channel, deps.now(), until);
  if (again.outcome === 'BUSY') throw new DeliveryInProgressError(eventId, channel, again.until);
  return again;
}

/** Each counter's cap, and its name in refusals and metrics. */
const CAPS = {
  PHONE_DAY: { cap: 'PHONE_PER_DAY', limit: (sms) => sms.perPhonePerDay },
  WARD_DAY: { cap: 'WARD_PER_DAY', limit: (sms) => sms.perWardPerDay },
  WARD_MONTH: { cap: 'WARD_PER_MONTH', limit: (sms) => sms.perWardPerMonth },
} as const satisfies Record<SmsCounter['kind'], { cap: SmsCap; limit: (sms: WardConfig['sms']) => number }>;

/**
 * Takes one unit of every counter, in order (the phone's first: a flood to one number stops there
 * without touching the ward's budgets; then the day's, so that a flood stops within the day's
 * budget and leaves the rest of the month's); if one is full, gives back those already taken.
 */
async function takeQuota(deps: NotifyDeps, counters: readonly SmsCounter[], eventId: string): Promise<{ cap: SmsCap; limit: number } | undefined> {
  const taken: SmsCounter[] = [];
  for (const counter of counters) {
    const { cap, limit: limitOf } = CAPS[counter.kind];
    const limit = limitOf(deps.ward.sms);
    const result = await deps.quota.take(counter, eventId, limit);
    if (result.outcome === 'FULL') {
      for (const earlier of taken) await deps.quota.giveBack(earlier, eventId);
      return { cap, limit };
    }
    if (counter.kind === 'WARD_DAY') deps.observeDailyBudget?.({ day: counter.day, used: result.count, budget: limit });
    taken.push(counter);
  }
  return undefined;
}

/** After the ledger says SENT: a failure here costs nothing but a stale id on a counter. */
async function forget(deps: NotifyDeps, counters: readonly SmsCounter[], eventId: string): Promise<void> {
  await Promise.all(counters.map((counter) => deps.quota.settle(counter, eventId).catch((error: unknown) => deps.warn?.('could not settle an SMS counter', error))));
}
