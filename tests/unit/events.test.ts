import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { outboxItem } from '../../shared/adapters/dynamodb/items';
import type { Dossier } from '../../shared/domain/dossier';
import { DOMAIN_EVENT_TYPES, DomainEventSchema, domainEvent, type DomainEvent, type DomainEventType } from '../../shared/domain/events';
import { citizenSms, notificationFacts, officerAlert } from '../../shared/domain/notifications';
import { STREAM_CONSUMERS } from '../../shared/runtime/consumers';
import { domainEventFromRecord, MalformedStreamRecordError } from '../../shared/runtime/stream';
import { checkDeadline, startDeadlines, type DeadlineEventStore, type DeadlineScheduler } from '../../shared/use-cases/deadlines';
import type { DossierChange, DossierStore } from '../../shared/use-cases/ports';
import { rateDossier } from '../../shared/use-cases/rate-dossier';
import { receiptOf } from '../../shared/use-cases/receipt';
import { recordChange } from '../../shared/use-cases/record-change';
import { hashSecret } from '../../shared/use-cases/secrets';
import { withdrawDossier } from '../../shared/use-cases/withdraw-dossier';
import { receivedDossier } from '../fixtures/dossier';
import { SAMPLE_EVENT_DATA, sampleEvent } from '../fixtures/events';
import { testWard } from '../fixtures/ward';

// ---------------------------------------------------------------------------------------------
// Prepare
// ---------------------------------------------------------------------------------------------

const NOW = new Date('2026-01-06T02:00:00.000Z');
const SECRET = 'K7Q2-M4XP-9RWD';

/** The outbox insert of an item, as Lambda delivers it. */
const insert = (item: Record<string, unknown>): DynamoDBRecord => ({
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  dynamodb: { SequenceNumber: '100', NewImage: marshall(item, { removeUndefinedValues: true }) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'] },
});

/** A dossier store that holds one dossier and keeps the changes written to it (the events are what these tests read). */
function capturingStore(dossier: Dossier) {
  const changes: DossierChange[] = [];
  const store: Pick<DossierStore, 'getDossier' | 'applyChange'> = {
    getDossier: (code) => Promise.resolve(code === dossier.code ? dossier : undefined),
    applyChange: (change) => {
      changes.push(change);
      return Promise.resolve({ manifest: [] });
    },
  };
  // The use cases here read and change the dossier only; any other call fails the test.
  return { dossiers: store as DossierStore, events: () => changes.flatMap((change) => (change.event ? [change.event] : [])) };
}

const clock = { now: () => NOW };
const runningDossier = (overrides: Partial<Dossier> = {}) =>
  receivedDossier({
    appointmentAt: new Date('2026-01-08T10:00:00.000Z'),
    firstAppointmentAt: new Date('2026-01-08T10:00:00.000Z'),
    clockGeneration: 1,
    secretHash: hashSecret(SECRET),
    ...overrides,
  });

const withoutField = (data: object, field: string): Record<string, unknown> => Object.fromEntries(Object.entries(data).filter(([key]) => key !== field));

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

describe('the schema of each outbox event type', () => {
  it('has one schema per type, and one type per schema', () => {
    expect(new Set(DOMAIN_EVENT_TYPES).size).toBe(DOMAIN_EVENT_TYPES.length);
    expect([...DOMAIN_EVENT_TYPES].sort()).toEqual(Object.keys(SAMPLE_EVENT_DATA).sort());
  });

  it.each(DOMAIN_EVENT_TYPES)('%s: accepts the data its producer writes', (type) => {
    const event = sampleEvent(type);

    expect(domainEvent(event)).toEqual(event);
  });

  it.each(DOMAIN_EVENT_TYPES.flatMap((type) => Object.keys(SAMPLE_EVENT_DATA[type]).map((field) => [type, field] as const)))('%s: refuses the event without %s', (type, field) => {
    const event = sampleEvent(type);

    const parsed = DomainEventSchema.safeParse({ ...event, data: withoutField(event.data, field) });

    expect(parsed.success).toBe(false);
  });

  it('refuses a value of the wrong form: a local phone number, an instant that is no ISO date, a generation of 0, an empty list of requests', () => {
    const refuses = (event: DomainEvent) => expect(() => domainEvent(event)).toThrow();

    refuses(sampleEvent('DOSSIER_RECEIVED', { data: { phone: '0912345678' } }));
    refuses(sampleEvent('DOSSIER_RECEIVED', { data: { appointmentAt: 'tomorrow' } }));
    refuses(sampleEvent('DOSSIER_STOPPED', { data: { clockGeneration: 0 } }));
    refuses(sampleEvent('SUPPLEMENT_REQUESTED', { data: { items: [] } }));
    refuses({ ...sampleEvent('DOSSIER_RATED'), type: 'DOSSIER_RATED_TWICE' } as unknown as DomainEvent);
  });

  it('takes a supplement with its whole clock or with none, never half of one', () => {
    const { appointmentAt: _a, clockGeneration: _g, worksOnHolidays: _w, clockMode: _m, ...noClock } = SAMPLE_EVENT_DATA.DOSSIER_SUPPLEMENTED as Record<string, unknown>;
    const supplemented = sampleEvent('DOSSIER_SUPPLEMENTED');

    expect(DomainEventSchema.safeParse({ ...supplemented, data: noClock }).success).toBe(true);
    expect(DomainEventSchema.safeParse({ ...supplemented, data: { ...noClock, appointmentAt: '2026-03-13T10:00:00.000Z' } }).success).toBe(false);
  });
});

describe('outbox items', () => {
  it('read back as the event that was written, through the stream', () => {
    for (const type of DOMAIN_EVENT_TYPES) {
      const event = sampleEvent(type);

      expect(domainEventFromRecord(insert(outboxItem(event))), type).toEqual(event);
    }
  });

  it('written before a field was dropped still parse (unknown fields are left out, not refused)', () => {
    const event = sampleEvent('RESULT_APPROVED');

    expect(domainEventFromRecord(insert({ ...outboxItem(event), data: { ...event.data, sha256: 'ab'.repeat(32) } }))).toEqual(event);
  });

  it('of a known type without a field it requires fail loudly, into the dead-letter path', () => {
    const event = sampleEvent('APPOINTMENT_RESCHEDULED');

    expect(() => domainEventFromRecord(insert({ ...outboxItem(event), data: withoutField(event.data, 'clockGeneration') }))).toThrow(MalformedStreamRecordError);
    expect(() => domainEventFromRecord(insert({ ...outboxItem(event), data: withoutField(event.data, 'clockGeneration') }))).toThrow(/clockGeneration/);
  });
});

describe('producers', () => {
  it("write the dossier's phone and procedure with the change's own data (a rating)", async () => {
    const { dossiers, events } = capturingStore(runningDossier({ status: 'RESOLVED' }));

    await rateDossier({ dossiers, clock }, runningDossier().code, SECRET, { overall: 'VERY_SATISFIED' });

    expect(events()).toEqual([
      {
        id: expect.any(String) as string,
        type: 'DOSSIER_RATED',
        dossierCode: runningDossier().code,
        at: NOW,
        data: { phone: '+84912345678', procedureName: runningDossier().procedure.name, overall: 'VERY_SATISFIED' },
      },
    ]);
    expect(DomainEventSchema.safeParse(events()[0]).success).toBe(true);
  });

  it("write a withdrawal request with the citizen's reason (or null) and the generation to stop", async () => {
    const { dossiers, events } = capturingStore(runningDossier());

    // A dossier already received is not stopped at once: nothing is issued, so no issuing dependency is called.
    await withdrawDossier({ dossiers, clock } as unknown as Parameters<typeof withdrawDossier>[0], runningDossier().code, SECRET);

    expect(events()[0]).toMatchObject({ type: 'DOSSIER_WITHDRAWAL_REQUESTED', data: { reason: null, clockGeneration: 1 } });
    expect(DomainEventSchema.safeParse(events()[0]).success).toBe(true);
  });

  it("write the receipt's clock in the event the deadline starter reads", () => {
    const receipt = receiptOf(NOW, runningDossier().procedure, testWard.officeHours);

    const event = domainEvent({ ...sampleEvent('DOSSIER_RECEIVED'), data: { phone: '+84912345678', procedureName: 'Khai sinh', ...receipt.eventData } });

    expect(event.data).toMatchObject({ clockGeneration: 1, appointmentAt: receipt.fields.appointmentAt.toISOString() });
  });

  it('write the deadline workflow’s due-tomorrow and overdue events by their schemas', async () => {
    const dossier = runningDossier({ status: 'IN_PROGRESS' });
    const { dossiers, events } = capturingStore(dossier);
    const written: DomainEvent[] = [];
    const eventStore: DeadlineEventStore = {
      recordEventOnce: (event) => {
        written.push(event);
        return Promise.resolve('WRITTEN');
      },
    };
    const deps = { dossiers, events: eventStore, clock, officeHours: testWard.officeHours };

    await checkDeadline(deps, { step: 'DUE_TOMORROW', dossierCode: dossier.code, generation: 1 });
    await checkDeadline(deps, { step: 'OVERDUE', dossierCode: dossier.code, generation: 1 });

    expect(written[0]).toMatchObject({ type: 'DOSSIER_DUE_TOMORROW', data: { status: 'IN_PROGRESS', appointmentAt: '2026-01-08T10:00:00.000Z', clockGeneration: 1 } });
    expect(events()[0]).toMatchObject({
      type: 'DOSSIER_OVERDUE',
      data: { appointmentAt: '2026-01-08T10:00:00.000Z', firstAppointmentAt: '2026-01-08T10:00:00.000Z', clockGeneration: 1 },
    });
    for (const event of [...written, ...events()]) expect(DomainEventSchema.safeParse(event).success, event.type).toBe(true);
  });

  it('write nothing when the event they built does not fit its schema', async () => {
    const dossier = runningDossier({ applicant: { ...runningDossier().applicant, phone: '0912345678' } });
    const { dossiers, events } = capturingStore(dossier);

    await expect(
      recordChange(dossiers, {
        before: dossier,
        after: dossier,
        actor: { role: 'system' },
        action: 'auto-return',
        event: { type: 'RESULT_RETURNED', data: { method: 'ONLINE' } },
        at: NOW,
      }),
    ).rejects.toThrow(/phone/);
    expect(events()).toEqual([]);
  });
});

describe("the stream consumers' event lists", () => {
  const consumer = (id: string) => STREAM_CONSUMERS.find((candidate) => candidate.id === id) ?? expect.fail(`no ${id} in STREAM_CONSUMERS`);
  const context = { ward: testWard, publicBaseUrl: 'https://dichvucong.example.vn' };
  const idleScheduler: DeadlineScheduler = { start: () => Promise.resolve('STARTED'), stop: () => Promise.resolve('STOPPED') };
  const clockOutcome = (type: DomainEventType) => startDeadlines({ scheduler: idleScheduler, officeHours: testWard.officeHours }, sampleEvent(type));

  it('list each type once', () => {
    for (const { id, events } of STREAM_CONSUMERS) expect(new Set(events).size, id).toBe(events.length);
  });

  it('subscribe the notifier to exactly the events it has an SMS or an alert for', () => {
    const events = consumer('Notifier').events;

    for (const type of DOMAIN_EVENT_TYPES) {
      const sends = citizenSms(notificationFacts(sampleEvent(type)), context) !== undefined || officerAlert(notificationFacts(sampleEvent(type)), context) !== undefined;
      expect(sends, type).toBe(events.includes(type));
    }
  });

  it('subscribe the deadline starter to exactly the events that start or stop a clock', async () => {
    const events = consumer('DeadlineStarter').events;

    for (const type of DOMAIN_EVENT_TYPES) {
      const outcome = await clockOutcome(type);
      expect(outcome.action !== 'NOTHING', type).toBe(events.includes(type));
    }
  });
});
