import { describe, expect, it } from 'vitest';
import { alertDigest } from '../../shared/domain/notifications';
import {
  MAX_ALERTS_PER_DIGEST,
  sendAlertDigest,
  type AlertDigestDeps,
  type AlertDigestStore,
  type DigestClaim,
  type OutgoingDigest,
  type PendingAlert,
} from '../../shared/use-cases/alert-digest';
import { testWard } from '../fixtures/ward';

/** The table's digest items, with the conditions of the DynamoDB store. */
class MemoryDigestStore implements AlertDigestStore {
  readonly pendingAlerts = new Map<string, PendingAlert>();
  sentAt: number | undefined;
  claimed: { token: string; until: number } | undefined;
  private tokens = 0;

  add(alert: PendingAlert): Promise<void> {
    if (!this.pendingAlerts.has(alert.eventId)) this.pendingAlerts.set(alert.eventId, alert);
    return Promise.resolve();
  }
  claim(now: Date, until: Date, sentNotAfter: Date): Promise<DigestClaim | undefined> {
    if (this.claimed && this.claimed.until >= now.getTime()) return Promise.resolve(undefined);
    if (this.sentAt !== undefined && this.sentAt > sentNotAfter.getTime()) return Promise.resolve(undefined);
    this.claimed = { token: `claim-${++this.tokens}`, until: until.getTime() };
    return Promise.resolve({ token: this.claimed.token });
  }
  pending(limit: number): Promise<PendingAlert[]> {
    return Promise.resolve([...this.pendingAlerts.values()].sort((a, b) => a.at.getTime() - b.at.getTime()).slice(0, limit));
  }
  complete(claim: DigestClaim, alerts: readonly PendingAlert[], sent: { messageId: string; sentAt: Date }): Promise<void> {
    if (this.claimed?.token !== claim.token) return Promise.reject(new Error('TransactionCanceled: the claim is not ours'));
    for (const alert of alerts) this.pendingAlerts.delete(alert.eventId);
    this.sentAt = sent.sentAt.getTime();
    this.claimed = undefined;
    return Promise.resolve();
  }
  release(claim: DigestClaim): Promise<void> {
    if (this.claimed?.token === claim.token) this.claimed = undefined;
    return Promise.resolve();
  }
}

const T0 = new Date('2026-11-23T02:00:00Z').getTime();
const MINUTE = 60_000;

function harness(digestMinutes = 15) {
  let now = T0;
  const store = new MemoryDigestStore();
  const mails: OutgoingDigest[] = [];
  let failures = 0;
  const deps: AlertDigestDeps = {
    ward: { ...testWard, alertDigestMinutes: digestMinutes },
    store,
    sender: {
      sendDigest: (digest) => {
        if (failures > 0) {
          failures -= 1;
          return Promise.reject(new Error('SNS: Service Unavailable'));
        }
        mails.push(digest);
        return Promise.resolve({ messageId: `mail-${mails.length}` });
      },
    },
    now: () => new Date(now),
  };
  const run = () => sendAlertDigest(deps, { deadline: new Date(now + 5 * MINUTE) });
  return {
    store,
    mails,
    run,
    advance: (ms: number) => (now += ms),
    failNext: (count: number) => (failures = count),
    add: (n: number, type: PendingAlert['eventType'] = 'DOSSIER_SUBMITTED') =>
      Promise.all(
        Array.from({ length: n }, (_, i) => {
          const id = `${now}-${store.pendingAlerts.size + i}`;
          return store.add({
            eventId: id,
            eventType: type,
            dossierCode: `000.00.70.H26-261123-${String(i + 1).padStart(4, '0')}`,
            subject: `[Phường] alert ${id}`,
            body: `body ${id}`,
            at: new Date(now + i),
          });
        }),
      ),
  };
}

const mailedIds = (mails: readonly OutgoingDigest[]) => mails.flatMap((mail) => mail.alerts.map((alert) => alert.eventId));

describe('sendAlertDigest', () => {
  it('mails every pending alert in one digest, oldest first, and leaves none pending', async () => {
    const h = harness();
    await h.add(3);
    await h.add(1, 'DOSSIER_OVERDUE');

    const outcome = await h.run();

    expect(outcome).toEqual({ outcome: 'SENT', alerts: 4, messageId: 'mail-1' });
    expect(h.mails).toHaveLength(1);
    expect(h.mails[0]?.subject).toContain('4 thông báo: 3 hồ sơ mới, 1 quá hạn');
    expect(h.store.pendingAlerts.size).toBe(0);
  });

  it('mails at most once per interval, however many alerts arrive, and sends the waiting ones after it', async () => {
    const h = harness(15);
    await h.add(1);
    await h.run();

    const during: string[] = [];
    for (let minute = 1; minute < 15; minute += 1) {
      h.advance(MINUTE);
      await h.add(10);
      during.push((await h.run()).outcome);
    }
    h.advance(MINUTE);
    const after = await h.run();

    expect(during.every((outcome) => outcome === 'NOT_YET')).toBe(true);
    expect(h.mails).toHaveLength(2);
    expect(after).toMatchObject({ outcome: 'SENT', alerts: 99 });
    // More than a digest holds: the rest waits for the next interval, none lost.
    expect(h.store.pendingAlerts.size).toBe(140 - MAX_ALERTS_PER_DIGEST);
    h.advance(15 * MINUTE);
    await h.run();
    expect(new Set(mailedIds(h.mails)).size).toBe(141);
    expect(mailedIds(h.mails)).toHaveLength(141);
  });

  it('sends nothing and takes no interval when nothing is pending: the next alert goes out at the next run', async () => {
    const h = harness();

    expect(await h.run()).toEqual({ outcome: 'NOTHING_PENDING' });
    await h.add(1);
    expect(await h.run()).toMatchObject({ outcome: 'SENT', alerts: 1 });
  });

  it('keeps the alerts of a failed send pending, and mails them once when the topic is back', async () => {
    const h = harness();
    await h.add(5);
    h.failNext(3);

    const failed: unknown[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      failed.push(await h.run().catch((error: unknown) => error));
      h.advance(MINUTE);
    }
    const recovered = await h.run();

    expect(failed.every((error) => error instanceof Error)).toBe(true);
    expect(recovered).toMatchObject({ outcome: 'SENT', alerts: 5 });
    expect(mailedIds(h.mails)).toHaveLength(5);
    expect(h.store.pendingAlerts.size).toBe(0);
  });

  it('lets one of two concurrent runs send, and the other send nothing', async () => {
    const h = harness();
    await h.add(4);

    const outcomes = await Promise.all([h.run(), h.run(), h.run()]);

    expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual(['NOT_YET', 'NOT_YET', 'SENT']);
    expect(mailedIds(h.mails)).toHaveLength(4);
  });

  it('adds an alert once, however often its event is delivered', async () => {
    const h = harness();
    const alert: PendingAlert = { eventId: 'e-1', eventType: 'DOSSIER_SUBMITTED', dossierCode: '000.00.70.H26-261123-0001', subject: 's', body: 'b', at: new Date(T0) };
    await Promise.all([h.store.add(alert), h.store.add(alert)]);

    await h.run();

    expect(mailedIds(h.mails)).toEqual(['e-1']);
  });
});

describe('alertDigest', () => {
  it('sends a single alert as it is', () => {
    expect(alertDigest([{ eventType: 'DOSSIER_OVERDUE', subject: '[Phường Thử] QUÁ HẠN: hồ sơ X', body: 'nội dung' }], testWard)).toEqual({
      subject: '[Phường Thử] QUÁ HẠN: hồ sơ X',
      body: 'nội dung',
    });
  });

  it('counts the alerts by kind in a one-line subject under 100 characters, with each alert in the body', () => {
    const alerts = [
      ...Array.from({ length: 97 }, (_, i) => ({ eventType: 'DOSSIER_SUBMITTED' as const, subject: `mới ${i}`, body: `thân ${i}` })),
      { eventType: 'DOSSIER_DUE_TOMORROW' as const, subject: 'sắp', body: 'thân sắp' },
      { eventType: 'DOSSIER_OVERDUE' as const, subject: 'quá', body: 'thân quá' },
    ];

    const digest = alertDigest(alerts, { name: 'Phường Nguyễn Trung Trực Đông Ngạc Thượng Thanh Khương Đình Hoàng Liệt Mở Rộng X' });

    expect(digest.subject).toMatch(/99 thông báo: 97 hồ sơ mới, 1 sắp đến hạn, 1 quá hạn$/);
    expect(digest.subject.length).toBeLessThan(100);
    expect(digest.subject).not.toMatch(/[\r\n]/);
    for (const alert of alerts) expect(digest.body).toContain(`${alert.subject}\n\n${alert.body}`);
  });
});
