import type { DomainEvent } from '../domain/events';
import { notify, UnaddressableSmsError, type DeliveryOutcome, type NotifyDeps, type NotifyOptions } from './notify';

/**
 * How long an event whose delivery failed (SNS or the alert e-mail down) waits before each next
 * attempt: the first wait follows the notifier's own attempt, each later one a failed retry. The
 * waits grow from a minute to six hours, so that retries span some fourteen hours: an outage of
 * minutes costs a minute's delay, one of hours a few more attempts. After the last attempt the
 * event goes to the retry queue's dead-letter queue, which alarms; `npm run redrive` gives it back.
 * Every attempt calls the same `notify`, whose ledger sends each SMS and alert at most once.
 */
export const NOTIFICATION_RETRY_DELAYS_SECONDS = [60, 120, 300, 600, 1200, 1800, 3600, 7200, 14_400, 21_600] as const;

/** Attempts of the retry worker (deliveries of one retry message) before the message is dead-lettered. */
export const NOTIFICATION_RETRY_ATTEMPTS = NOTIFICATION_RETRY_DELAYS_SECONDS.length;

/** The first wait, set when the notifier hands an event over: SQS delays a new message by 15 minutes at most. */
export const FIRST_RETRY_DELAY_SECONDS = NOTIFICATION_RETRY_DELAYS_SECONDS[0];

/**
 * The wait after the retry worker's attempt number `attempt` (1 for its first) failed; 0 after
 * the last one, whose message then goes to the dead-letter queue at once.
 */
export function retryDelayAfterAttempt(attempt: number): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`a retry attempt is counted from 1, not ${attempt}`);
  return attempt >= NOTIFICATION_RETRY_ATTEMPTS ? 0 : (NOTIFICATION_RETRY_DELAYS_SECONDS[attempt] ?? 0);
}

/** The notifier's retry queue (SQS in AWS and in local mode). */
export interface NotificationRetryQueue {
  /** Hands the event to the retry worker, to be delivered again in `delaySeconds` (at most 900). A failure throws: nothing was queued. */
  retryLater(event: DomainEvent, delaySeconds: number): Promise<void>;
}

export type NotifyAttempt =
  | { readonly status: 'DELIVERED'; readonly outcomes: readonly DeliveryOutcome[] }
  /** A delivery failed; the event waits in the retry queue for `delaySeconds`. */
  | { readonly status: 'RETRYING_LATER'; readonly delaySeconds: number; readonly cause: unknown };

/**
 * The notifier's attempt at an outbox event: `notify`, and when a delivery fails (SNS, the e-mail
 * topic or the table out of reach, another attempt holding the claim), the event handed to the
 * retry queue instead of failing it. The stream moves on; the retries wait for hours if need be.
 * What went out already stays settled in the ledger, so a retry sends only what is missing.
 *
 * @throws UnaddressableSmsError, alone or among the failures: a poison event, which no retry can
 *   deliver, fails the stream record (to the stream's dead-letter queue); or, when the retry queue
 *   is out of reach too, an AggregateError of the delivery's and the queue's errors (the stream
 *   retries the record then).
 */
export async function notifyOrRetryLater(event: DomainEvent, deps: NotifyDeps, options: NotifyOptions, retries: NotificationRetryQueue): Promise<NotifyAttempt> {
  try {
    return { status: 'DELIVERED', outcomes: await notify(event, deps, options) };
  } catch (error) {
    if (isPoison(error)) throw error;
    try {
      await retries.retryLater(event, FIRST_RETRY_DELAY_SECONDS);
    } catch (queueError) {
      throw new AggregateError([error, queueError], `event ${event.id}: a delivery failed and the retry queue could not take the event`, { cause: queueError });
    }
    return { status: 'RETRYING_LATER', delaySeconds: FIRST_RETRY_DELAY_SECONDS, cause: error };
  }
}

/** Whether `notify`'s error is one no retry can help (an SMS without a valid phone number). */
export function isPoison(error: unknown): boolean {
  if (error instanceof UnaddressableSmsError) return true;
  return error instanceof AggregateError && error.errors.some((inner) => inner instanceof UnaddressableSmsError);
}
