import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { dossierFromItem, dossierItem, dossierUpdate, historyFromItem, historyItem, outboxItem } from '../../shared/adapters/dynamodb/items';
import { dossierIndexKeys, keys } from '../../shared/adapters/dynamodb/keys';
import type { Dossier, HistoryEvent } from '../../shared/domain/dossier';
import { receivedDossier, submittedDossier } from '../fixtures/dossier';
import { sampleEvent } from '../fixtures/events';

const APPLICANT_KEY = 'hmac-of-the-id-number';
const TABLE = 'ward-table';

/** What DynamoDB gives back: the item through the wire format, undefined members dropped as the document client does. */
const throughDynamo = (item: Record<string, unknown>) => unmarshall(marshall(item, { removeUndefinedValues: true }));

interface Update {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

/** The attribute names an update sets, and those it removes. */
function parseUpdate({ UpdateExpression, ExpressionAttributeNames }: Update) {
  const [, setPart = '', removePart = ''] = /^SET (.*?)(?: REMOVE (.*))?$/.exec(UpdateExpression) ?? [];
  const nameOf = (placeholder: string) => ExpressionAttributeNames[placeholder.trim()] ?? `?${placeholder}`;
  return {
    set: setPart.split(', ').map((assignment) => nameOf(assignment.split(' = ')[0] ?? '')),
    removed: removePart === '' ? [] : removePart.split(', ').map(nameOf),
  };
}

describe('dossierItem and dossierFromItem', () => {
  it.each([
    ['a submitted dossier', submittedDossier()],
    ['a received dossier with every optional field', receivedDossier({ statusBeforeSupplement: 'IN_PROGRESS' })],
    ['a counter dossier without secret', receivedDossier({ channel: 'COUNTER', secretHash: undefined })],
    [
      'a dossier waiting for a supplement, with what the request lets change',
      receivedDossier({
        status: 'SUPPLEMENT_REQUESTED',
        statusBeforeSupplement: 'IN_PROGRESS',
        pending: { kind: 'SUPPLEMENT', items: ['Tờ khai có chữ ký'], requested: { fields: ['purpose'], documents: [] }, requestedAt: new Date('2026-01-06T02:00:00.000Z') },
      }),
    ],
  ])('give back %s as it was, dates included, through DynamoDB', (_label, dossier: Dossier) => {
    const stored = throughDynamo(dossierItem(dossier, APPLICANT_KEY));

    const read = dossierFromItem(stored);

    expect(read).toEqual(dossier);
    expect(read.submittedAt).toBeInstanceOf(Date);
    expect(read.submittedAt.getTime()).toBe(dossier.submittedAt.getTime());
    expect(read.appointmentAt?.getTime()).toBe(dossier.appointmentAt?.getTime());
  });

  it('stores instants as UTC ISO strings, so that sort keys order them', () => {
    const item = dossierItem(receivedDossier(), APPLICANT_KEY);

    expect(item.submittedAt).toBe('2026-01-05T02:30:00.000Z');
    expect(item.appointmentAt).toBe('2026-01-05T10:00:00.000Z');
    expect(item.updatedAt).toBe('2026-01-05T03:00:00.000Z');
  });

  it('keys the item by the dossier code', () => {
    const item = dossierItem(submittedDossier(), APPLICANT_KEY);

    expect(item).toMatchObject({ PK: 'DOSSIER#000.A0.01.H26-260105-0001', SK: 'DOSSIER' });
  });

  it('indexes a submitted dossier by status, in submission order', () => {
    const item = dossierItem(submittedDossier(), APPLICANT_KEY);

    expect(item).toMatchObject({ byStatusPK: 'STATUS#SUBMITTED', byStatusSK: '2026-01-05T02:30:00.000Z#000.A0.01.H26-260105-0001' });
  });

  it('indexes a received dossier by status in appointment order', () => {
    const item = dossierItem(receivedDossier(), APPLICANT_KEY);

    expect(item).toMatchObject({ byStatusPK: 'STATUS#RECEIVED', byStatusSK: '2026-01-05T10:00:00.000Z#000.A0.01.H26-260105-0001' });
  });

  it('indexes the applicant by the keyed hash, never by the ID number', () => {
    const item = dossierItem(submittedDossier(), APPLICANT_KEY);

    expect(item).toMatchObject({
      applicantKey: APPLICANT_KEY,
      byApplicantPK: `APPLICANT#${APPLICANT_KEY}`,
      byApplicantSK: '2026-01-05T02:30:00.000Z#000.A0.01.H26-260105-0001',
    });
    expect(String(item.byApplicantPK)).not.toContain('001190012345');
  });

  it('leaves a dossier without a clock out of the due index', () => {
    const item = dossierItem(submittedDossier(), APPLICANT_KEY);

    expect(item).not.toHaveProperty('openByDuePK');
    expect(item).not.toHaveProperty('openByDueSK');
  });

  it.each(['RECEIVED', 'IN_PROGRESS', 'PAYMENT_REQUESTED'] as const)('puts a %s dossier, whose clock runs, in the due index by appointment', (status) => {
    const item = dossierItem(receivedDossier({ status }), APPLICANT_KEY);

    expect(item).toMatchObject({ openByDuePK: 'OPEN', openByDueSK: '2026-01-05T10:00:00.000Z#000.A0.01.H26-260105-0001' });
  });

  it.each(['RESOLVED', 'RETURNED', 'STOPPED'] as const)('takes a %s dossier out of the due index, though it keeps its appointment', (status) => {
    const item = dossierItem(receivedDossier({ status }), APPLICANT_KEY);

    expect(item).not.toHaveProperty('openByDuePK');
    expect(item.appointmentAt).toBe('2026-01-05T10:00:00.000Z');
  });

  it('takes a dossier waiting for a supplement out of the due index (its clock is stopped)', () => {
    const waiting = receivedDossier({ status: 'SUPPLEMENT_REQUESTED', statusBeforeSupplement: 'IN_PROGRESS', supplementRequests: 1 });

    const item = dossierItem(waiting, APPLICANT_KEY);

    expect(item).not.toHaveProperty('openByDuePK');
  });
});

describe('the name index of a dossier item', () => {
  it('keys the applicant name without diacritics or case, partitioned by its first letter, then the submission and the code', () => {
    const item = dossierItem(receivedDossier({ applicant: { ...receivedDossier().applicant, fullName: 'Đặng Thị Hoà' } }), APPLICANT_KEY);

    expect(item.byNamePK).toBe('NAME#d');
    expect(item.byNameSK).toMatch(/^dang thi hoa#\d{4}-\d{2}-\d{2}T[\d:.]+Z#000\.A0\.01\.H26-260105-0001$/);
  });

  it('is set again by every update, so that a dossier written before the index enters it at its next change', () => {
    const { set } = parseUpdate(dossierUpdate(TABLE, receivedDossier({ version: 3 }), 2));

    expect(set).toEqual(expect.arrayContaining(['byNamePK', 'byNameSK']));
  });
});

describe('dossierUpdate', () => {
  const update = (dossier: Dossier, expectedVersion = dossier.version - 1) => dossierUpdate(TABLE, dossier, expectedVersion);

  it('updates the dossier item of the table on condition that it is still at the expected version', () => {
    const command = update(receivedDossier({ version: 3 }), 2);

    expect(command).toMatchObject({ TableName: TABLE, Key: keys.dossier('000.A0.01.H26-260105-0001'), ConditionExpression: '#version = :expected' });
    expect(command.ExpressionAttributeNames['#version']).toBe('version');
    expect(command.ExpressionAttributeValues[':expected']).toBe(2);
  });

  it('sets the new status, version and status index', () => {
    const command = update(receivedDossier({ status: 'IN_PROGRESS', version: 3 }));

    const { set } = parseUpdate(command);
    const valueOf = (name: string) => {
      const placeholder = Object.entries(command.ExpressionAttributeNames).find(([p, n]) => n === name && p !== '#version')?.[0] ?? '';
      return command.ExpressionAttributeValues[placeholder.replace('#', ':')];
    };
    expect(set).toEqual(expect.arrayContaining(['status', 'version', 'byStatusPK', 'byStatusSK', 'updatedAt']));
    expect(valueOf('status')).toBe('IN_PROGRESS');
    expect(valueOf('version')).toBe(3);
    expect(valueOf('byStatusPK')).toBe('STATUS#IN_PROGRESS');
  });

  it('never touches the keys or the applicant index, fixed at submission', () => {
    const { set, removed } = parseUpdate(update(receivedDossier()));

    for (const fixed of ['PK', 'SK', 'applicantKey', 'byApplicantPK', 'byApplicantSK']) {
      expect(set, fixed).not.toContain(fixed);
      expect(removed, fixed).not.toContain(fixed);
    }
  });

  it('removes the optional attributes the dossier no longer has, and the due index of a stopped clock', () => {
    const stopped = submittedDossier({ status: 'STOPPED', secretHash: undefined, version: 2 });

    const { set, removed } = parseUpdate(update(stopped));

    expect(removed.sort()).toEqual(
      [
        'appointmentAt',
        'clockStartsAt',
        'openByDuePK',
        'openByDueSK',
        'receivedAt',
        'byReceivedPK',
        'byReceivedSK',
        'secretHash',
        'statusBeforeSupplement',
        // Fields of later steps the submitted dossier never had:
        'firstAppointmentAt',
        'clockStoppedAt',
        'pending',
        'payment',
        'result',
        'resultDraft',
        'closingReason',
        'transferredAt',
        'resolvedAt',
        'returnedAt',
        'returnMethod',
        'rating',
        'documentsReceived',
        'clockGeneration',
        'handOver',
        'apology',
        'personalDataErasedAt',
      ].sort(),
    );
    expect(set.filter((name) => removed.includes(name))).toEqual([]);
  });

  it('sets the due index of a dossier whose clock runs', () => {
    const { set, removed } = parseUpdate(update(receivedDossier({ status: 'IN_PROGRESS', version: 3 })));

    expect(set).toEqual(expect.arrayContaining(['openByDuePK', 'openByDueSK', 'appointmentAt', 'receivedAt']));
    expect(removed).not.toContain('openByDuePK');
  });

  it('indexes a received dossier under the Vietnam month of its receipt, in order of receipt', () => {
    // 23:30 on 31 January in Hanoi is 16:30Z; 00:10 on 1 February there is still 31 January in UTC.
    const item = dossierItem(receivedDossier({ receivedAt: new Date('2026-01-31T16:30:00Z') }), 'key');
    const february = dossierItem(receivedDossier({ receivedAt: new Date('2026-01-31T17:10:00Z') }), 'key');

    expect(item.byReceivedPK).toBe('RECEIVED#2026-01');
    expect(item.byReceivedSK).toMatch(/^2026-01-31T16:30:00\.000Z#/);
    expect(february).toMatchObject({ byReceivedPK: 'RECEIVED#2026-02' });
    expect(dossierItem(submittedDossier(), 'key')).not.toHaveProperty('byReceivedPK');
  });

  it('uses every placeholder it declares and declares every placeholder it uses (DynamoDB refuses either mistake)', () => {
    const command = update(receivedDossier({ status: 'IN_PROGRESS', version: 3 }));
    const expressions = `${command.UpdateExpression} ${command.ConditionExpression}`;

    const usedNames = new Set(expressions.match(/#\w+/g));
    const usedValues = new Set(expressions.match(/:\w+/g));

    expect(new Set(Object.keys(command.ExpressionAttributeNames))).toEqual(usedNames);
    expect(new Set(Object.keys(command.ExpressionAttributeValues))).toEqual(usedValues);
    expect(Object.values(command.ExpressionAttributeValues)).not.toContain(undefined);
  });

  it('writes values DynamoDB can store (no Date objects, no undefined)', () => {
    const command = update(receivedDossier({ status: 'IN_PROGRESS', version: 3 }));

    expect(() => marshall(command.ExpressionAttributeValues)).not.toThrow();
  });
});

describe('history and outbox items', () => {
  const event: HistoryEvent = {
    sequence: 2,
    at: new Date('2026-01-05T03:00:00.000Z'),
    actor: { role: 'reception', id: 'officer-7', name: 'Lê Văn Bình' },
    action: 'receive',
    from: 'SUBMITTED',
    to: 'RECEIVED',
    note: 'Đủ hồ sơ',
  };

  it('keys a history event under its dossier, numbered so that events sort in order', () => {
    const item = historyItem('000.A0.01.H26-260105-0001', event);

    expect(item).toMatchObject({ PK: 'DOSSIER#000.A0.01.H26-260105-0001', SK: 'HISTORY#000002' });
    expect(keys.history('X', 10).SK > keys.history('X', 9).SK).toBe(true);
  });

  it('gives a history event back as it was, through DynamoDB', () => {
    const read = historyFromItem(throughDynamo(historyItem('000.A0.01.H26-260105-0001', event)));

    expect(read).toEqual(event);
  });

  it('gives back what a request let change and what a supplement changed, empty lists included', () => {
    const requested: HistoryEvent = { ...event, sequence: 4, action: 'request-supplement', requested: { fields: ['purpose'], documents: ['to-khai'] } };
    const supplemented: HistoryEvent = { ...event, sequence: 5, actor: { role: 'citizen' }, action: 'supplement', changed: { fields: [], documents: ['to-khai'] } };

    const read = [requested, supplemented].map((history) => historyFromItem(throughDynamo(historyItem('000.A0.01.H26-260105-0001', history))));

    expect(read).toEqual([requested, supplemented]);
  });

  it('lets an outbox event expire a week after it happened', () => {
    const item = outboxItem(sampleEvent('DOSSIER_SUBMITTED', { id: 'evt-1', dossierCode: 'X', at: new Date('2026-01-05T00:00:00Z') }));

    expect(item).toMatchObject({ PK: 'OUTBOX#evt-1', SK: 'EVENT', at: '2026-01-05T00:00:00.000Z', expiresAt: Date.UTC(2026, 0, 12) / 1000 });
  });
});

describe('dossierIndexKeys', () => {
  it('prefixes the partitions so that indexes never mix', () => {
    expect(dossierIndexKeys.byStatus('SUBMITTED', 't', 'c').byStatusPK).toBe('STATUS#SUBMITTED');
    expect(dossierIndexKeys.openByDue('t', 'c').openByDuePK).toBe('OPEN');
    expect(dossierIndexKeys.byApplicant('k', 't', 'c').byApplicantPK).toBe('APPLICANT#k');
  });
});
