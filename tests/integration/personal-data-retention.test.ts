import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoCatalogStore } from '../../shared/adapters/dynamodb/catalog-store';
import { dynamoDossierStore } from '../../shared/adapters/dynamodb/dossier-store';
import { dynamoKpiStore } from '../../shared/adapters/dynamodb/kpi-store';
import { dynamoPersonalDataStore } from '../../shared/adapters/dynamodb/personal-data-store';
import { dynamoWorklistStore } from '../../shared/adapters/dynamodb/worklist-store';
import { SubmissionSchema } from '../../shared/domain/dossier';
import { CATALOG } from '../../shared/catalog/procedures';
import { getKpiReport } from '../../shared/use-cases/kpi-report';
import { listDossiers } from '../../shared/use-cases/list-dossiers';
import { eraseExpiredPersonalData } from '../../shared/use-cases/personal-data';
import type { Clock } from '../../shared/use-cases/ports';
import { createDossier } from '../../shared/use-cases/submit-dossier';
import { transitionDossier } from '../../shared/use-cases/transition-dossier';
import { testWard } from '../fixtures/ward';
import { pdfUploads } from '../fixtures/attachments';
import { testIssuingDeps } from '../support/issuing';
import { startLocalWard, useLocalAws, type LocalWard } from '../support/local-ward';

/**
 * The erasure of personal data past its procedure's retention, against DynamoDB Local with the
 * real use cases on a clock the test sets: nothing goes before `personalDataRetention.years`
 * have passed since the dossier ended, an open dossier waits, an erased dossier keeps its code,
 * statuses and documents but no longer names its applicant or is found by ID number or name, and
 * the KPI counters say what they said before.
 */
const aws = useLocalAws();
const MARITAL_STATUS = '1.004873';
const RETENTION_YEARS = CATALOG.find((procedure) => procedure.code === MARITAL_STATUS)?.personalDataRetention.years ?? 0;
const officer = { id: 'officer-1', name: 'Trần Văn Nam', roles: ['reception', 'specialist', 'leader'] as const };
const APPLICANT = { fullName: 'Phạm Thị Quỳnh', idNumber: '001190077777', phone: '0912000777', email: 'quynh@example.vn', address: 'Số 5 phố Hàng Bạc' };
const idHasher = { hash: (id: string) => Promise.resolve(`hmac-${id}`) };

let now = new Date();
const clock: Clock = { now: () => now };
const at = (local: string) => {
  now = new Date(`${local}:00+07:00`);
  return now;
};

let ward: LocalWard;
let client: DynamoDBDocumentClient;

beforeAll(async () => {
  ward = await startLocalWard();
  client = DynamoDBDocumentClient.from(new DynamoDBClient(aws.dynamodbClientConfig), { marshallOptions: { removeUndefinedValues: true } });
});

afterAll(async () => {
  await ward?.stop();
});

const stores = () => ({
  dossiers: dynamoDossierStore(client, ward.tableName, testWard.slug),
  personalData: dynamoPersonalDataStore(client, ward.tableName),
  kpis: dynamoKpiStore(client, ward.tableName),
  worklist: dynamoWorklistStore(client, ward.tableName),
});

async function counterDossier(local: string) {
  at(local);
  const { dossiers } = stores();
  const submission = SubmissionSchema.parse({
    procedureCode: MARITAL_STATUS,
    applicant: APPLICANT,
    formData: { purpose: 'Đăng ký kết hôn', maritalStatus: 'Chưa kết hôn' },
    attachments: [],
    fullyOnline: false,
  });
  const { dossier } = await createDossier({ dossiers, attachments: pdfUploads(), idHasher, clock, ward: testWard }, submission, randomUUID(), {
    channel: 'COUNTER',
    officer,
    documentsReceived: ['to-khai-xac-nhan-tthn'],
  });
  return dossier.code;
}

const act = (code: string, local: string, input: Parameters<typeof transitionDossier>[1]['input']) => {
  at(local);
  const { dossiers } = stores();
  return transitionDossier({ ...testIssuingDeps(testWard, clock), dossiers, catalog: dynamoCatalogStore(client, ward.tableName) }, { code, officer, input });
};

const erasure = () => eraseExpiredPersonalData({ ...stores(), clock });
const report = () =>
  getKpiReport({ kpis: stores().kpis, clock: { now: () => new Date('2026-03-01T00:00:00Z') }, targets: testWard.targets }, { from: '2026-01-01', to: '2026-01-31' });
const schedule = async () =>
  (await client.send(new QueryCommand({ TableName: ward.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'ERASURE' } }))).Items ?? [];
const byIdNumber = async () => (await listDossiers({ worklist: stores().worklist, clock, idHasher }, { limit: 100, q: APPLICANT.idNumber })).items.map((dossier) => dossier.code);
const byName = async () => (await listDossiers({ worklist: stores().worklist, clock, idHasher }, { limit: 100, q: 'pham thi quynh' })).items.map((dossier) => dossier.code);

describe('the erasure of personal data past its retention', () => {
  let returned: string;
  let open: string;

  beforeAll(async () => {
    returned = await counterDossier('2026-01-05T09:00');
    await act(returned, '2026-01-05T10:00', { action: 'transfer', note: 'Gọi bà Quỳnh số 0912000777 nếu thiếu giấy tờ' });
    await act(returned, '2026-01-06T10:00', { action: 'refuse', reason: 'Bà Phạm Thị Quỳnh đang có chồng theo sổ hộ tịch' });
    open = await counterDossier('2026-01-07T09:00');
    await act(open, '2026-01-07T10:00', { action: 'transfer' });
  });

  it('schedules each new dossier a retention after its submission', async () => {
    const entries = await schedule();

    expect(RETENTION_YEARS).toBe(10);
    expect(entries.map((item) => String(item.SK))).toEqual([`2036-01-05T02:00:00.000Z#${returned}`, `2036-01-07T02:00:00.000Z#${open}`]);
  });

  it('erases nothing before the retention has passed since the end, and moves the entry to that end', async () => {
    // The refusal is handed over at the counter: the dossier ends on 2026-01-08.
    await act(returned, '2026-01-08T15:00', { action: 'return', method: 'COUNTER', note: 'Bà Quỳnh nhận tại quầy' });
    at('2035-12-31T12:00');
    expect(await erasure()).toEqual({ erased: [], postponed: 0, dropped: 0, conflicts: 0 });

    at('2036-01-06T12:00');
    const run = await erasure();

    expect(run).toEqual({ erased: [], postponed: 1, dropped: 0, conflicts: 0 });
    expect((await schedule()).map((item) => String(item.SK))).toEqual([`2036-01-07T02:00:00.000Z#${open}`, `2036-01-08T08:00:00.000Z#${returned}`]);
    expect((await stores().dossiers.getDossier(returned))?.applicant.fullName).toBe(APPLICANT.fullName);
  });

  it('erases the personal data once due, keeps the dossier, its history and documents, and leaves the KPI counters as they were', async () => {
    const before = await stores().dossiers.getDossierWithHistory(returned);
    const kpisBefore = await report();
    at('2036-01-08T16:00');

    const run = await erasure();

    // The open dossier was due too: it waits a retention more, counted from now.
    expect(run).toEqual({ erased: [returned], postponed: 1, dropped: 0, conflicts: 0 });
    const after = await stores().dossiers.getDossierWithHistory(returned);
    expect(after?.dossier).toMatchObject({
      code: returned,
      status: 'RETURNED',
      applicant: { fullName: '', idNumber: '', phone: '' },
      formData: {},
      personalDataErasedAt: now,
      version: (before?.dossier.version ?? 0) + 1,
    });
    expect(after?.dossier.applicant.email).toBeUndefined();
    expect(after?.dossier.applicant.address).toBeUndefined();
    expect(after?.dossier.result).toMatchObject({ outcome: 'REFUSED', archiveKey: before?.dossier.result?.archiveKey });
    expect(after?.dossier.result?.reason).toBeUndefined();
    expect(after?.history.map((event) => event.action)).toEqual([...(before?.history.map((event) => event.action) ?? []), 'erase-personal-data']);
    expect(after?.history.filter((event) => event.note !== undefined)).toEqual([]);
    expect(after?.documents.map((document) => document.id)).toEqual(before?.documents.map((document) => document.id));
    expect(JSON.stringify(after)).not.toMatch(/Quỳnh|0912000777|001190077777|Hàng Bạc|quynh@/);
    expect(await byIdNumber()).toEqual([open]);
    expect(await byName()).toEqual([open]);
    expect(await report()).toEqual(kpisBefore);
    expect((await schedule()).map((item) => String(item.SK))).toEqual([`2046-01-08T09:00:00.000Z#${open}`]);
  });

  it('does nothing more on the next run', async () => {
    at('2036-01-09T16:00');

    expect(await erasure()).toEqual({ erased: [], postponed: 0, dropped: 0, conflicts: 0 });
    expect((await stores().personalData.applicantDossiers(await idHasher.hash(APPLICANT.idNumber))).map((dossier) => dossier.code)).toEqual([open]);
  });
});
