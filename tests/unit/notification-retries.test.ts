import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../shared/domain/events';
import {
  FIRST_RETRY_DELAY_SECONDS,
  NOTIFICATION_RETRY_ATTEMPTS,
  NOTIFICATION_RETRY_DELAYS_SECONDS,
  notifyOrRetryLater,
  retryDelayAfterAttempt,
  type NotificationRetryQueue,
} from '../../shared/use-cases/notification-retries';
import { UnaddressableSmsError, type NotifyDeps } from '../../shared/use-cases/notify';
import { sampleEvent } from '../fixtures/events';
import { testWard } from '../fixtures/ward';

const event: DomainEvent = sampleEvent('DOSSIER_RECEIVED', {
  id: '5b0e1c5e-7f0e-4a41-9d2b-000000000001',
  dossierCode: '000.A0.01.H26-260105-0042',
  at: new Date('2026-01-05T02:30:00Z'),
});

/** A notifier whose every send fails as SNS does in an outage, or whose event has no phone. */
function deps(failure: 'SNS_DOWN' | 'NO_PHONE'): NotifyDeps {
  const down = () => Promise.reject(Object.assign(new Error('Service Unavailable'), { name: 'InternalErrorException', $fault: 'server' }));
  return {
    ward: testWard,
    publicBaseUrl: 'https://motcua.phuongthu.example.vn',
    ledger: {
      claim: () => Promise.resolve({ outcome: 'CLAIMED', token: 't' }),
      markSent: () => Promise.resolve(),
      markOverCap: () => Promise.resolve(),
      release: () => Promise.resolve(),
    },
    quota: { take: () => Promise.resolve({ outcome: 'TAKEN', count: 1 }), giveBack: () => Promise.resolve(), settle: () => Promise.resolve() },
    sender:
      failure === 'SNS_DOWN' ? { sendSms: down, sendAlert: down } : { sendSms: () => Promise.resolve({ messageId: 'm' }), sendAlert: () => Promise.resolve({ messageId: 'm' }) },
    now: () => new Date(),
  };
}

function queue(fails = false): NotificationRetryQueue & { queued: { event: DomainEvent; delaySeconds: number }[] } {
  const queued: { event: DomainEvent; delaySeconds: number }[] = [];
  return {
    queued,
    retryLater: (retried, delaySeconds) => (fails ? Promise.reject(new Error('SQS down')) : Promise.resolve(void queued.push({ event: retried, delaySeconds }))),
  };
}

const options = () => ({ deadline: new Date(Date.now() + 30_000) });

describe('the retry schedule', () => {
  it('waits longer after each failed attempt, for hours in all, within what SQS can delay and hide', () => {
    const waits = Array.from({ length: NOTIFICATION_RETRY_ATTEMPTS }, (_, index) => retryDelayAfterAttempt(index + 1));
    expect(FIRST_RETRY_DELAY_SECONDS).toBeLessThanOrEqual(15 * 60);
    expect(waits.slice(0, -1).every((wait, index) => wait > (index === 0 ? FIRST_RETRY_DELAY_SECONDS : (waits[index - 1] ?? 0)))).toBe(true);
    expect(Math.max(...waits)).toBeLessThanOrEqual(12 * 3600);
    expect(NOTIFICATION_RETRY_DELAYS_SECONDS.reduce((sum, wait) => sum + wait, 0)).toBeGreaterThan(12 * 3600);
    // After the last attempt, at once to the dead-letter queue.
    expect(waits.at(-1)).toBe(0);
    expect(() => retryDelayAfterAttempt(0)).toThrow();
  });
});

describe('notifyOrRetryLater', () => {
  it('hands an event whose delivery failed to the retry queue, with the first wait, instead of failing it', async () => {
    const retries = queue();

    const attempt = await notifyOrRetryLater(event, deps('SNS_DOWN'), options(), retries);

    expect(attempt).toMatchObject({ status: 'RETRYING_LATER', delaySeconds: FIRST_RETRY_DELAY_SECONDS });
    expect(retries.queued).toEqual([{ event, delaySeconds: FIRST_RETRY_DELAY_SECONDS }]);
  });

  it('fails the event when the retry queue cannot take it either, so that the stream retries it', async () => {
    await expect(notifyOrRetryLater(event, deps('SNS_DOWN'), options(), queue(true))).rejects.toBeInstanceOf(AggregateError);
  });

  it('fails a poison event (an SMS without a phone number) rather than retrying it for hours', async () => {
    const retries = queue();
    // An event that never went through its schema (which requires the phone): the notifier checks it again.
    const noPhone = { ...event, data: { procedureName: 'Khai sinh' } } as unknown as DomainEvent;

    await expect(notifyOrRetryLater(noPhone, deps('NO_PHONE'), options(), retries)).rejects.toBeInstanceOf(UnaddressableSmsError);
    expect(retries.queued).toEqual([]);
  });
});
