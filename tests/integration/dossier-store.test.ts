import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoCatalogStore } from '../../shared/adapters/dynamodb/catalog-store';
import { dynamoKpiStore } from '../../shared/adapters/dynamodb/kpi-store';
import { dynamoDossierStore } from '../../shared/adapters/dynamodb/dossier-store';
import { CATALOG } from '../../shared/catalog/procedures';
import { snapshotOf, type Dossier, type HistoryEvent } from '../../shared/domain/dossier';
import { VersionConflictError } from '../../shared/domain/errors';
import type { Procedure } from '../../shared/domain/procedure';
import type { NewDossier } from '../../shared/use-cases/ports';
import { provisionLocalWard } from '../../local/provision';
import { sampleEvent } from '../fixtures/events';
import { useLocalAws } from '../support/local-ward';

/**
 * The data layer against DynamoDB Local: conditions, transactions and the sequence are only real
 * on a real engine.
 */
const aws = useLocalAws();
const tableName = `store-${randomUUID().slice(0, 8)}`;
const raw = new DynamoDBClient(aws.dynamodbClientConfig);
const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
const store = dynamoDossierStore(client, tableName, 'thu-nghiem');
const catalog = dynamoCatalogStore(client, tableName);

const procedure = CATALOG.find((p) => p.code === '1.004873') as Procedure;
const AGENCY = '000.00.70.H26';

beforeAll(async () => {
  await provisionLocalWard({ ...aws, tableName, uploadsBucket: `store-uploads-${randomUUID().slice(0, 8)}` });
});

afterAll(() => raw.destroy());

async function allKeys(): Promise<string[]> {
  const page = await raw.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
  return (page.Items ?? []).map((item) => `${item.PK?.S ?? ''}|${item.SK?.S ?? ''}`).sort();
}

function newDossier(day: string, sequence: number, options: { key?: string; requestHash?: string } = {}): NewDossier {
  const now = new Date();
  const code = `${AGENCY}-${day.slice(2).replaceAll('-', '')}-${String(sequence).padStart(4, '0')}`;
  const dossier: Dossier = {
    code,
    procedure: snapshotOf(procedure),
    applicant: { fullName: 'Trần Văn Nam', idNumber: '001085012345', phone: '+84912345678' },
    channel: 'ONLINE',
    fullyOnline: false,
    formData: { purpose: 'Vay vốn', maritalStatus: 'Chưa kết hôn' },
    attachments: [],
    status: 'SUBMITTED',
    submittedAt: now,
    overdue: false,
    supplementRequests: 0,
    secretHash: 'ab'.repeat(32),
    version: 1,
    updatedAt: now,
  };
  const history: HistoryEvent = { sequence: 1, at: now, actor: { role: 'citizen' }, action: 'submit', to: 'SUBMITTED' };
  const event = sampleEvent('DOSSIER_SUBMITTED', { dossierCode: code, at: now });
  return {
    dossier,
    history,
    event,
    kpi: { date: day, increments: { submitted: 1, submittedOnline: 1 } },
    applicantKey: 'hmac-of-id',
    ...(options.key
      ? { idempotency: { keyHash: options.key, requestHash: options.requestHash ?? 'hash-a', dossierCode: code, expiresAt: new Date(now.getTime() + 3_600_000) } }
      : {}),
  };
}

/** The day's KPI counters, summed over their shards as the report reads them. */
const kpiOf = async (day: string) => dynamoKpiStore(client, tableName).sumDays(day, day);

describe('creating a dossier', () => {
  it('writes the dossier, its history, its outbox event and the KPI counters together', async () => {
    const day = '2031-01-06';

    const outcome = await store.createDossier(newDossier(day, 1, { key: 'key-create' }));

    const prepared = await store.prepareSubmission('key-create', day, procedure.code);
    const stored = await store.getDossierWithHistory(`${AGENCY}-310106-0001`);
    expect(outcome).toEqual({ outcome: 'CREATED', manifest: [] });
    expect(prepared.freeSequences).toEqual([]);
    expect(prepared.idempotency).toMatchObject({ requestHash: 'hash-a', dossierCode: `${AGENCY}-310106-0001` });
    expect(prepared.procedure?.code).toBe(procedure.code);
    expect(stored?.history.map((h) => h.to)).toEqual(['SUBMITTED']);
    expect(await kpiOf(day)).toMatchObject({ submitted: 1, submittedOnline: 1 });
    expect((await allKeys()).filter((k) => k.startsWith('OUTBOX#')).length).toBeGreaterThan(0);
  });

  it('gives 40 concurrent takers 40 consecutive numbers, and a number given back to the next taker', async () => {
    const day = '2031-01-07';

    const taken = await Promise.all(Array.from({ length: 40 }, () => store.takeSequence(day, [])));
    await store.releaseSequence(day, 17);
    await store.releaseSequence(day, 5);
    const { freeSequences } = await store.prepareSubmission(undefined, day, procedure.code);
    const reused = await Promise.all([store.takeSequence(day, freeSequences), store.takeSequence(day, freeSequences), store.takeSequence(day, freeSequences)]);

    expect([...taken].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
    expect(freeSequences).toEqual([5, 17]);
    expect([...reused].sort((a, b) => a - b)).toEqual([5, 17, 41]);
    expect((await store.prepareSubmission(undefined, day, procedure.code)).freeSequences).toEqual([]);
  });

  it('writes nothing when the Idempotency-Key was used, and returns the earlier record', async () => {
    const day = '2031-01-08';
    await store.createDossier(newDossier(day, 1, { key: 'key-twice', requestHash: 'first' }));
    const before = await allKeys();

    const outcome = await store.createDossier(newDossier(day, 2, { key: 'key-twice', requestHash: 'second' }));

    expect(outcome).toEqual({ outcome: 'IDEMPOTENCY_KEY_TAKEN', record: expect.objectContaining({ requestHash: 'first', dossierCode: `${AGENCY}-310108-0001` }) as unknown });
    expect(await allKeys()).toEqual(before);
  });

  it('lets an expired idempotency record be reused even before TTL has swept it', async () => {
    const day = '2031-01-09';
    const expired = newDossier(day, 1, { key: 'key-expired' });
    await store.createDossier({ ...expired, idempotency: expired.idempotency && { ...expired.idempotency, expiresAt: new Date(Date.now() - 1000) } });

    const prepared = await store.prepareSubmission('key-expired', day, procedure.code);
    const outcome = await store.createDossier(newDossier(day, 2, { key: 'key-expired', requestHash: 'other' }));

    expect(prepared.idempotency).toBeUndefined();
    expect(outcome).toEqual({ outcome: 'CREATED', manifest: [] });
  });
});

describe('changing a dossier', () => {
  const change = (before: Dossier, note: string) => {
    const after: Dossier = { ...before, status: 'WITHDRAWAL_REQUESTED', version: before.version + 1, updatedAt: new Date() };
    return {
      expectedVersion: before.version,
      dossier: after,
      history: { sequence: after.version, at: new Date(), actor: { role: 'citizen' as const }, action: 'withdraw' as const, from: before.status, to: after.status, note },
      event: sampleEvent('DOSSIER_WITHDRAWAL_REQUESTED', { dossierCode: before.code, at: new Date() }),
    };
  };

  it('lets exactly one of 20 concurrent changes of one version through, with one history event', async () => {
    const day = '2031-02-03';
    await store.createDossier(newDossier(day, 1));
    const code = `${AGENCY}-310203-0001`;
    const before = await store.getDossier(code);
    if (!before) throw new Error('dossier not created');

    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.applyChange(change(before, `attempt ${i}`))));

    const after = await store.getDossierWithHistory(code);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => r.reason instanceof VersionConflictError)).toBe(true);
    expect(after?.history).toHaveLength(2);
    expect(after?.dossier.version).toBe(2);
  });

  it('refuses a change decided on a stale version and leaves the dossier as it was', async () => {
    const day = '2031-02-04';
    await store.createDossier(newDossier(day, 1));
    const code = `${AGENCY}-310204-0001`;
    const current = await store.getDossier(code);
    if (!current) throw new Error('dossier not created');
    await store.applyChange(change(current, 'first'));
    const before = await allKeys();

    await expect(store.applyChange(change(current, 'stale'))).rejects.toBeInstanceOf(VersionConflictError);

    expect(await allKeys()).toEqual(before);
    expect((await store.getDossier(code))?.version).toBe(2);
  });

  it('keeps the applicant index and removes attributes the new state no longer has', async () => {
    const day = '2031-02-05';
    const created = newDossier(day, 1);
    const withAppointment = { ...created, dossier: { ...created.dossier, status: 'RECEIVED' as const, appointmentAt: new Date('2031-02-10T10:00:00Z') } };
    await store.createDossier(withAppointment);
    const code = `${AGENCY}-310205-0001`;
    const key = { PK: `DOSSIER#${code}`, SK: 'DOSSIER' };
    const indexedBefore = (await client.send(new GetCommand({ TableName: tableName, Key: key }))).Item;

    const current = await store.getDossier(code);
    if (!current) throw new Error('dossier not created');
    const { appointmentAt: _dropped, ...withoutAppointment } = current;
    await store.applyChange({ ...change(current, 'x'), dossier: { ...withoutAppointment, status: 'STOPPED', version: 2, updatedAt: new Date() } });

    const item = (await client.send(new GetCommand({ TableName: tableName, Key: key }))).Item;
    expect(indexedBefore?.openByDuePK).toBe('OPEN');
    expect(item?.openByDuePK).toBeUndefined();
    expect(item?.appointmentAt).toBeUndefined();
    expect(item?.byStatusPK).toBe('STATUS#STOPPED');
    expect(item?.byApplicantPK).toBe('APPLICANT#hmac-of-id');
  });
});

describe('the catalog', () => {
  it('publishes the versions in force and keeps every version for the dossiers that hold one', async () => {
    const current = await catalog.listCurrent();
    const marriage = current.find((p) => p.code === '1.000894');

    expect(current.length).toBeGreaterThanOrEqual(10);
    expect(marriage?.version).toBe(2);
    expect((await catalog.getVersion('1.000894', 1))?.version).toBe(1);
  });

  it('unpublishes a procedure that leaves the catalog', async () => {
    const isolated = dynamoCatalogStore(client, tableName);
    const [first, second] = [CATALOG[0], CATALOG[4]] as [Procedure, Procedure];

    await isolated.replaceCatalog([first, second], [first, second]);
    const result = await isolated.replaceCatalog([first], [first]);

    expect(result.unpublished).toBeGreaterThanOrEqual(1);
    expect((await isolated.listCurrent()).map((p) => p.code)).toEqual([first.code]);
    expect(await isolated.getCurrent(second.code)).toBeUndefined();
  });
});
