import { randomUUID } from 'node:crypto';
import { alertDigest, type AlertDigest } from '../domain/notifications';
import type { WardConfig } from '../domain/ward-config';
import type { OutgoingAlert } from './notify';

/**
 * Officers' alerts go out as a digest: the notifier adds each event's alert to the pending ones
 * (instead of mailing it), and a job that runs every minute mails what is pending as one message,
 * at most once every `alertDigestMinutes` of the ward. A flood of online dossiers is then one mail
 * a quarter of an hour, not one a dossier; no alert is lost (it stays pending until a digest that
 * holds it was sent) and none is mailed twice (see {@link sendAlertDigest}).
 */

/** An alert waiting for the next digest. */
export interface PendingAlert extends OutgoingAlert {
  /** When the event happened: the digest lists its alerts oldest first. */
  readonly at: Date;
}

/** The digest's claim: who is sending the next digest, until when. */
export interface DigestClaim {
  readonly token: string;
}

export interface AlertDigestStore {
  /** Adds an event's alert to the pending ones; adding it again (a redelivered event) changes nothing. */
  add(alert: PendingAlert): Promise<void>;
  /**
   * Claims the sending of the next digest until `until`: only if no digest was sent after
   * `sentNotAfter` (the interval has passed) and no live claim is held. Undefined otherwise.
   */
  claim(now: Date, until: Date, sentNotAfter: Date): Promise<DigestClaim | undefined>;
  /** The oldest pending alerts, at most `limit`. */
  pending(limit: number): Promise<PendingAlert[]>;
  /** In one transaction: removes these alerts from the pending ones and records the digest sent at `sentAt`, ending the claim. */
  complete(claim: DigestClaim, alerts: readonly PendingAlert[], sent: { readonly messageId: string; readonly sentAt: Date }): Promise<void>;
  /** Gives the claim up (nothing was sent), if it is still this one. */
  release(claim: DigestClaim): Promise<void>;
}

export interface OutgoingDigest extends AlertDigest {
  /** Identifies this digest (in the outbox and the logs). */
  readonly digestId: string;
  /** The alerts it holds. */
  readonly alerts: readonly Pick<PendingAlert, 'eventId' | 'eventType' | 'dossierCode'>[];
}

export interface DigestSender {
  /** Publishes the digest to the ward's officers' topic. */
  sendDigest(digest: OutgoingDigest): Promise<{ readonly messageId: string }>;
}

export interface AlertDigestDeps {
  readonly ward: Pick<WardConfig, 'name' | 'alertDigestMinutes'>;
  readonly store: AlertDigestStore;
  readonly sender: DigestSender;
  readonly now: () => Date;
}

export type AlertDigestOutcome =
  | { readonly outcome: 'SENT'; readonly alerts: number; readonly messageId: string }
  /** A digest went out less than the interval ago, or another run is sending one. */
  | { readonly outcome: 'NOT_YET' }
  | { readonly outcome: 'NOTHING_PENDING' };

/**
 * At most this many alerts a digest: one transaction removes them with the digest's record (100
 * items at most), and a mail stays readable. What is left waits for the next digest.
 */
export const MAX_ALERTS_PER_DIGEST = 99;

/**
 * Mails the pending alerts as one digest, if the ward's interval has passed since the last one:
 * **claim → read pending → send → remove them and record the digest, in one transaction**.
 * - The claim is a conditional write on the digest's record: two runs never both send, and none
 *   sends within the interval of the last digest.
 * - An alert leaves the pending ones only in the transaction that records its digest as sent:
 *   a failed send (SNS down) releases the claim and the alerts wait for the next run.
 * - At-least-once window, as for the notifier's SMS: a run that dies between the send and that
 *   transaction leaves a claim that expires at its deadline; the next run mails the same alerts
 *   again. SNS has no idempotency key for a standard topic, so this window can be narrowed, not closed.
 */
export async function sendAlertDigest(deps: AlertDigestDeps, options: { readonly deadline: Date }): Promise<AlertDigestOutcome> {
  const now = deps.now();
  const claim = await deps.store.claim(now, options.deadline, new Date(now.getTime() - deps.ward.alertDigestMinutes * 60_000));
  if (claim === undefined) return { outcome: 'NOT_YET' };
  let pending: PendingAlert[];
  let sent: { messageId: string };
  try {
    pending = await deps.store.pending(MAX_ALERTS_PER_DIGEST);
    if (pending.length === 0) {
      await deps.store.release(claim);
      return { outcome: 'NOTHING_PENDING' };
    }
    const digest = alertDigest(pending, deps.ward);
    sent = await deps.sender.sendDigest({
      ...digest,
      digestId: randomUUID(),
      alerts: pending.map(({ eventId, eventType, dossierCode }) => ({ eventId, eventType, dossierCode })),
    });
  } catch (error) {
    await deps.store.release(claim).catch(() => undefined);
    throw error;
  }
  await deps.store.complete(claim, pending, { messageId: sent.messageId, sentAt: deps.now() });
  return { outcome: 'SENT', alerts: pending.length, messageId: sent.messageId };
}
