import { randomUUID } from 'node:crypto';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { DynamoDBRecord } from 'aws-lambda';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { outboxItem } from '../../shared/adapters/dynamodb/items';
import { DOMAIN_EVENT_TYPES, type DomainEvent, type DomainEventType } from '../../shared/domain/events';
import { citizenSms, notificationFacts } from '../../shared/domain/notifications';
import { STREAM_CONSUMERS } from '../../shared/runtime/consumers';
import { consumerFilterPattern, domainEventFromRecord, MalformedStreamRecordError, matchesFilterPattern, type FilterPattern } from '../../shared/runtime/stream';
import {
  DeliveryInProgressError,
  notify,
  UnaddressableSmsError,
  type Channel,
  type ClaimResult,
  type DeliveryLedger,
  type NotificationSender,
  type NotifyDeps,
  type OutgoingAlert,
  type OutgoingSms,
  type OverCapRecord,
  type SmsCounter,
  type SmsQuotaStore,
} from '../../shared/use-cases/notify';
import { sampleEvent } from '../fixtures/events';
import { testWard } from '../fixtures/ward';

// ---------------------------------------------------------------------------------------------
// Fakes with the stores' semantics (each operation atomic, as one conditional write is)
// ---------------------------------------------------------------------------------------------

class FakeLedger implements DeliveryLedger {
  readonly records = new Map<string, { state: 'CLAIMED' | 'SENT' | 'OVER_CAP'; token?: string; until?: number; messageId?: string }>();
  readonly overCap: OverCapRecord[] = [];

  claim(eventId: string, channel: Channel, now: Date, until: Date): Promise<ClaimResult> {
    const key = `${eventId}/${channel}`;
    const existing = this.records.get(key);
    if (existing?.state === 'SENT' || existing?.state === 'OVER_CAP') return Promise.resolve({ outcome: 'DONE', state: existing.state });
    if (existing?.state === 'CLAIMED' && (existing.until ?? 0) >= now.getTime()) return Promise.resolve({ outcome: 'BUSY', until: new Date(existing.until ?? 0) });
    const token = randomUUID();
    this.records.set(key, { state: 'CLAIMED', token, until: until.getTime() });
    return Promise.resolve({ outcome: 'CLAIMED', token });
  }
  markSent(eventId: string, channel: Channel, sent: { messageId: string }): Promise<void> {
    this.records.set(`${eventId}/${channel}`, { state: 'SENT', messageId: sent.messageId });
    return Promise.resolve();
  }
  markOverCap(record: OverCapRecord): Promise<void> {
    this.overCap.push(record);
    this.records.set(`${record.eventId}/SMS`, { state: 'OVER_CAP' });
    return Promise.resolve();
  }
  release(eventId: string, channel: Channel, token: string): Promise<void> {
    if (this.records.get(`${eventId}/${channel}`)?.token === token) this.records.delete(`${eventId}/${channel}`);
    return Promise.resolve();
  }
  stateOf(eventId: string, channel: Channel) {
    return this.records.get(`${eventId}/${channel}`)?.state;
  }
}

class FakeQuota implements SmsQuotaStore {
  readonly counters = new Map<string, { sent: number; pending: Set<string> }>();
  readonly calls: string[] = [];

  take(counter: SmsCounter, eventId: string, cap: number): ReturnType<SmsQuotaStore['take']> {
    this.calls.push(`take ${FakeQuota.key(counter)}`);
    const state = this.of(counter);
    if (state.pending.has(eventId)) return Promise.resolve({ outcome: 'TAKEN', count: state.sent });
    if (state.sent >= cap) return Promise.resolve({ outcome: 'FULL' });
    state.sent += 1;
    state.pending.add(eventId);
    return Promise.resolve({ outcome: 'TAKEN', count: state.sent });
  }
  giveBack(counter: SmsCounter, eventId: string): Promise<void> {
    this.calls.push(`giveBack ${FakeQuota.key(counter)}`);
    const state = this.of(counter);
    if (state.pending.delete(eventId)) state.sent -= 1;
    return Promise.resolve();
  }
  settle(counter: SmsCounter, eventId: string): Promise<void> {
    this.of(counter).pending.delete(eventId);
    return Promise.resolve();
  }
  sent(counter: SmsCounter): number {
    return this.of(counter).sent;
  }
  private of(counter: SmsCounter) {
    const key = FakeQuota.key(counter);
    const state = this.counters.get(key) ?? { sent: 0, pending: new Set<string>() };
    this.counters.set(key, state);
    return state;
  }
  static key(counter: SmsCounter): string {
    if (counter.kind === 'PHONE_DAY') return `phone ${counter.phone} ${counter.day}`;
    return counter.kind === 'WARD_DAY' ? `ward day ${counter.day}` : `ward ${counter.month}`;
  }
}

class FakeSender implements NotificationSender {
  readonly sms: OutgoingSms[] = [];
  readonly alerts: OutgoingAlert[] = [];
  failures = { sms: 0, alert: 0 };
  sendSms(sms: OutgoingSms): Promise<{ messageId: string }> {
    if (this.failures.sms > 0) {
      this.failures.sms -= 1;
      return Promise.reject(new Error('SNS: Service Unavailable'));
    }
    this.sms.push(sms);
    return Promise.resolve({ messageId: `sms-${this.sms.length}` });
  }
  sendAlert(alert: OutgoingAlert): Promise<{ messageId: string }> {
    if (this.failures.alert > 0) {
      this.failures.alert -= 1;
      return Promise.reject(new Error('SNS: Service Unavailable'));
    }
    this.alerts.push(alert);
    return Promise.resolve({ messageId: `alert-${this.alerts.length}` });
  }
}

// ---------------------------------------------------------------------------------------------
// Prepare
// ---------------------------------------------------------------------------------------------

const NOW = new Date('2026-03-10T02:00:00Z');
const PHONE = '+84912345678';
const BASE_URL = 'https://motcua.phuongthu.example.vn';

function setUp(sms: Partial<NotifyDeps['ward']['sms']> = {}) {
  const ledger = new FakeLedger();
  const quota = new FakeQuota();
  const sender = new FakeSender();
  let clock = NOW.getTime();
  const deps: NotifyDeps = {
    ward: { ...testWard, sms: { ...testWard.sms, ...sms } },
    publicBaseUrl: BASE_URL,
    ledger,
    quota,
    sender,
    now: () => new Date(clock),
  };
  const advance = (ms: number) => (clock += ms);
  return { deps, ledger, quota, sender, advance };
}

const options = (deps: NotifyDeps) => ({ deadline: new Date(deps.now().getTime() + 30_000) });

function event(type: DomainEventType, overrides: { readonly at?: Date; readonly data?: Readonly<Record<string, unknown>> } = {}): DomainEvent {
  const sample = sampleEvent(type, { id: randomUUID(), dossierCode: '000.A0.01.H26-260310-0007', at: overrides.at ?? NOW });
  // A few cases hand notify data that no schema admits (it must refuse them still): the cast is for them.
  return { ...sample, data: { ...sample.data, phone: PHONE, ...overrides.data } } as DomainEvent;
}

const phoneDay = (day = '2026-03-10', phone = PHONE): SmsCounter => ({ kind: 'PHONE_DAY', phone, day });
const wardMonth = (month = '2026-03'): SmsCounter => ({ kind: 'WARD_MONTH', month });

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

describe('notify', () => {
  it("sends the citizen's SMS from the ward's sender id at its maximum price, and alerts the officers of a new online dossier", async () => {
    const { deps, ledger, sender } = setUp();
    const submitted = event('DOSSIER_SUBMITTED');

    const outcomes = await notify(submitted, deps, options(deps));

    expect(sender.sms).toEqual([
      {
        eventId: submitted.id,
        eventType: 'DOSSIER_SUBMITTED',
        dossierCode: submitted.dossierCode,
        phone: PHONE,
        text: citizenSms(notificationFacts(submitted), { ward: testWard, publicBaseUrl: BASE_URL }),
        senderId: 'PHUONGTHU',
        maxPriceUsd: 0.05,
      },
    ]);
    expect(sender.alerts).toHaveLength(1);
    expect(outcomes).toEqual([
      { channel: 'SMS', outcome: 'SENT', messageId: 'sms-1' },
      { channel: 'ALERT', outcome: 'SENT', messageId: 'alert-1' },
    ]);
    expect([ledger.stateOf(submitted.id, 'SMS'), ledger.stateOf(submitted.id, 'ALERT')]).toEqual(['SENT', 'SENT']);
  });

  it('sends nothing for a redelivered event', async () => {
    const { deps, sender } = setUp();
    const received = event('DOSSIER_RECEIVED');
    await notify(received, deps, options(deps));

    const again = await notify(received, deps, options(deps));

    expect(again).toEqual([{ channel: 'SMS', outcome: 'ALREADY_DONE' }]);
    expect(sender.sms).toHaveLength(1);
  });

  it('sends nothing for an event the citizen and the officers are not told of', async () => {
    const { deps, sender, ledger } = setUp();

    expect(await notify(event('DOSSIER_TRANSFERRED'), deps, options(deps))).toEqual([]);
    expect(sender.sms).toEqual([]);
    expect(ledger.records.size).toBe(0);
  });

  it('fails the event while SNS is down, records nothing as sent, and sends the SMS once when SNS is back, counted once', async () => {
    const { deps, ledger, quota, sender } = setUp();
    const received = event('DOSSIER_RECEIVED');
    sender.failures.sms = 2;

    await expect(notify(received, deps, options(deps))).rejects.toThrow('Service Unavailable');
    expect(ledger.stateOf(received.id, 'SMS')).toBeUndefined();
    await expect(notify(received, deps, options(deps))).rejects.toThrow('Service Unavailable');
    await notify(received, deps, options(deps));
    await notify(received, deps, options(deps));

    expect(sender.sms).toHaveLength(1);
    expect(ledger.stateOf(received.id, 'SMS')).toBe('SENT');
    expect([quota.sent(phoneDay()), quota.sent(wardMonth())]).toEqual([1, 1]);
  });

  it("does not hold the officers' alert back when the SMS fails", async () => {
    const { deps, ledger, sender } = setUp();
    const submitted = event('DOSSIER_SUBMITTED');
    sender.failures.sms = 1;

    await expect(notify(submitted, deps, options(deps))).rejects.toThrow('Service Unavailable');
    await notify(submitted, deps, options(deps));

    expect(sender.alerts).toHaveLength(1);
    expect(sender.sms).toHaveLength(1);
    expect(ledger.stateOf(submitted.id, 'ALERT')).toBe('SENT');
  });

  it('refuses to deliver an event that another attempt is delivering, for a later retry', async () => {
    const { deps, ledger, sender } = setUp();
    const received = event('DOSSIER_RECEIVED');
    await ledger.claim(received.id, 'SMS', NOW, new Date(NOW.getTime() + 60_000));

    await expect(notify(received, deps, options(deps))).rejects.toBeInstanceOf(DeliveryInProgressError);
    expect(sender.sms).toEqual([]);
  });

  it('takes over the claim of an attempt that died, once it expires', async () => {
    const { deps, ledger, sender } = setUp();
    const received = event('DOSSIER_RECEIVED');
    await ledger.claim(received.id, 'SMS', NOW, new Date(NOW.getTime() - 1));

    await notify(received, deps, options(deps));

    expect(sender.sms).toHaveLength(1);
  });

  it('waits for a claim that expires within moments (what an attempt that timed out leaves) rather than failing', async () => {
    const { deps, ledger, sender } = setUp();
    const started = Date.now();
    const realClock = { ...deps, now: () => new Date(NOW.getTime() + Date.now() - started) };
    const received = event('DOSSIER_RECEIVED');
    await ledger.claim(received.id, 'SMS', NOW, new Date(NOW.getTime() + 200));

    await notify(received, realClock, options(realClock));

    expect(sender.sms).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it("stops at a phone's daily cap without touching the ward's, and records the refusal", async () => {
    const { deps, ledger, quota, sender } = setUp({ perPhonePerDay: 2 });
    const events = [event('DOSSIER_RECEIVED'), event('SUPPLEMENT_REQUESTED', { data: { phone: PHONE, items: ['Bản sao CCCD'] } }), event('DOSSIER_STOPPED')];

    for (const e of events) await notify(e, deps, options(deps));

    expect(sender.sms.map((sms) => sms.eventId)).toEqual([events[0]?.id, events[1]?.id]);
    expect(ledger.stateOf(events[2]?.id ?? '', 'SMS')).toBe('OVER_CAP');
    expect(ledger.overCap).toEqual([expect.objectContaining({ eventId: events[2]?.id, cap: 'PHONE_PER_DAY', limit: 2, day: '2026-03-10', phone: PHONE })]);
    expect(quota.sent(wardMonth())).toBe(2);
    expect(await notify(events[2] as DomainEvent, deps, options(deps))).toEqual([{ channel: 'SMS', outcome: 'ALREADY_DONE' }]);
  });

  it("stops at the ward's monthly cap and gives the phone its count back", async () => {
    const { deps, quota, ledger, sender } = setUp({ perWardPerMonth: 1 });
    const first = event('DOSSIER_RECEIVED', { data: { phone: '+84987000001' } });
    const second = event('DOSSIER_RECEIVED');

    await notify(first, deps, options(deps));
    const outcomes = await notify(second, deps, options(deps));

    expect(outcomes).toEqual([{ channel: 'SMS', outcome: 'OVER_CAP', cap: 'WARD_PER_MONTH' }]);
    expect(sender.sms).toHaveLength(1);
    expect(quota.sent(phoneDay())).toBe(0);
    expect(ledger.overCap).toEqual([expect.objectContaining({ eventId: second.id, cap: 'WARD_PER_MONTH', limit: 1 })]);
  });

  it("stops at the ward's daily budget, gives the phone its count back and leaves the month's budget untouched", async () => {
    const { deps, quota, ledger, sender } = setUp({ perWardPerDay: 1 });
    const first = event('DOSSIER_RECEIVED', { data: { phone: '+84987000001' } });
    const second = event('DOSSIER_RECEIVED');

    await notify(first, deps, options(deps));
    const outcomes = await notify(second, deps, options(deps));

    expect(outcomes).toEqual([{ channel: 'SMS', outcome: 'OVER_CAP', cap: 'WARD_PER_DAY' }]);
    expect(sender.sms).toHaveLength(1);
    expect(quota.sent(phoneDay())).toBe(0);
    expect(quota.sent(wardMonth())).toBe(1);
    expect(ledger.overCap).toEqual([expect.objectContaining({ eventId: second.id, cap: 'WARD_PER_DAY', limit: 1 })]);
  });

  it("reports the day's count against the daily budget each time an SMS is counted, once per event however often it is delivered", async () => {
    const usage: unknown[] = [];
    const { deps, sender } = setUp({ perWardPerDay: 4 });
    const observing: NotifyDeps = { ...deps, observeDailyBudget: (used) => usage.push(used) };
    const events = [event('DOSSIER_RECEIVED'), event('DOSSIER_RECEIVED', { data: { phone: '+84987000001' } })];
    sender.failures.sms = 1;

    await expect(notify(events[0] as DomainEvent, observing, options(deps))).rejects.toThrow('SNS');
    await notify(events[0] as DomainEvent, observing, options(deps));
    await notify(events[1] as DomainEvent, observing, options(deps));

    // The retry of the first event finds it counted already: the same count again, not one more.
    expect(usage).toEqual([
      { day: '2026-03-10', used: 1, budget: 4 },
      { day: '2026-03-10', used: 1, budget: 4 },
      { day: '2026-03-10', used: 2, budget: 4 },
    ]);
  });

  it('reports each outcome, for the SmsOverCap metric', async () => {
    const observed: unknown[] = [];
    const { deps } = setUp({ perPhonePerDay: 1 });
    const observing = { ...deps, observe: (outcome: unknown) => observed.push(outcome) };

    await notify(event('DOSSIER_RECEIVED'), observing, options(deps));
    await notify(event('DOSSIER_RECEIVED'), observing, options(deps));

    expect(observed).toEqual([expect.objectContaining({ outcome: 'SENT' }), { channel: 'SMS', outcome: 'OVER_CAP', cap: 'PHONE_PER_DAY' }]);
  });

  it('counts an SMS on the Vietnam day and month of its event, whenever it is delivered', async () => {
    const { deps, quota } = setUp();
    // 01:30 on 1 February in Hanoi is still 31 January in UTC.
    const lateEvening = event('DOSSIER_RECEIVED', { at: new Date('2026-01-31T18:30:00Z') });

    await notify(lateEvening, deps, options(deps));

    expect(quota.calls).toEqual(['take phone +84912345678 2026-02-01', 'take ward day 2026-02-01', 'take ward 2026-02']);
  });

  it('fails an event with an SMS but no valid phone number, before writing anything (a poison event)', async () => {
    const { deps, ledger, quota } = setUp();

    await expect(notify(event('DOSSIER_RECEIVED', { data: { phone: '0912345678' } }), deps, options(deps))).rejects.toBeInstanceOf(UnaddressableSmsError);
    await expect(notify(event('DOSSIER_RECEIVED', { data: { phone: undefined } }), deps, options(deps))).rejects.toBeInstanceOf(UnaddressableSmsError);
    expect(ledger.records.size).toBe(0);
    expect(quota.calls).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The stream filter and records
// ---------------------------------------------------------------------------------------------

/** A record as Lambda delivers it, of an item written to the table. */
function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', item: Record<string, unknown>): DynamoDBRecord {
  const image = marshall(item, { removeUndefinedValues: true }) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
  return {
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: { SequenceNumber: '100', ...(eventName === 'REMOVE' ? { OldImage: image } : { NewImage: image }) },
  };
}

/** The pattern exactly as the stack deploys it (CDK serializes it into FilterCriteria). */
const deployedPattern = (events: readonly DomainEventType[]) => JSON.parse(lambda.FilterCriteria.filter(consumerFilterPattern({ events })).pattern as string) as FilterPattern;

describe('the stream filter', () => {
  const notifier = STREAM_CONSUMERS.find((consumer) => consumer.id === 'Notifier');
  const pattern = deployedPattern(notifier?.events ?? []);
  const outbox = (type: DomainEventType) => outboxItem(event(type));

  it("matches new outbox items of the consumer's event types, and nothing else", () => {
    for (const type of DOMAIN_EVENT_TYPES) {
      expect(matchesFilterPattern(pattern, record('INSERT', outbox(type))), type).toBe(notifier?.events.includes(type));
    }
    expect(matchesFilterPattern(pattern, record('MODIFY', outbox('DOSSIER_RECEIVED')))).toBe(false);
    // The TTL deletion of an outbox item a week later.
    expect(matchesFilterPattern(pattern, record('REMOVE', outbox('DOSSIER_RECEIVED')))).toBe(false);
    expect(matchesFilterPattern(pattern, record('INSERT', { ...outbox('DOSSIER_RECEIVED'), PK: 'DOSSIER#000.A0.01.H26-260310-0007' }))).toBe(false);
    expect(matchesFilterPattern(pattern, record('INSERT', { PK: 'OUTBOX#x', SK: 'EVENT' }))).toBe(false);
  });

  it('evaluates the rules of Lambda event filtering it supports, and refuses the others', () => {
    const item = { eventName: 'INSERT', tags: ['a', 'b'], n: 3 };

    expect(matchesFilterPattern({ eventName: ['INSERT', 'MODIFY'] }, item)).toBe(true);
    expect(matchesFilterPattern({ eventName: [{ prefix: 'INS' }] }, item)).toBe(true);
    expect(matchesFilterPattern({ eventName: [{ 'anything-but': ['INSERT'] }] }, item)).toBe(false);
    expect(matchesFilterPattern({ tags: ['b'] }, item)).toBe(true);
    expect(matchesFilterPattern({ missing: [{ exists: false }] }, item)).toBe(true);
    expect(matchesFilterPattern({ missing: [{ exists: true }] }, item)).toBe(false);
    expect(matchesFilterPattern({ missing: ['x'] }, item)).toBe(false);
    expect(matchesFilterPattern({ n: [3] }, item)).toBe(true);
    const numeric = JSON.parse('{"n":[{"numeric":[">",1]}]}') as FilterPattern;
    expect(() => matchesFilterPattern(numeric, item)).toThrow(/unsupported filter rule/);
  });
});

describe('domainEventFromRecord', () => {
  it('reads the domain event of an outbox insert back as it was written', () => {
    const written = event('DOSSIER_RECEIVED');

    expect(domainEventFromRecord(record('INSERT', outboxItem(written)))).toEqual(written);
  });

  it('ignores what is not an outbox insert, and refuses a malformed outbox event', () => {
    expect(domainEventFromRecord(record('MODIFY', outboxItem(event('DOSSIER_RECEIVED'))))).toBeUndefined();
    expect(domainEventFromRecord(record('INSERT', { PK: 'DOSSIER#x', SK: 'DOSSIER' }))).toBeUndefined();
    expect(() => domainEventFromRecord(record('INSERT', { ...outboxItem(event('DOSSIER_RECEIVED')), type: 'NO_SUCH_EVENT' }))).toThrow(MalformedStreamRecordError);
    expect(() => domainEventFromRecord(record('INSERT', { ...outboxItem(event('DOSSIER_RECEIVED')), at: 'yesterday' }))).toThrow(MalformedStreamRecordError);
    // A known type without a field its schema requires: no default fills it in.
    const { appointmentAt: _dropped, ...withoutAppointment } = sampleEvent('DOSSIER_RECEIVED').data;
    expect(() => domainEventFromRecord(record('INSERT', { ...outboxItem(event('DOSSIER_RECEIVED')), data: withoutAppointment }))).toThrow(/appointmentAt/);
  });
});
