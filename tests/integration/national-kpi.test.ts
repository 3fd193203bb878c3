import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionLocalWard } from '../../local/provision';
import { dynamoCatalogStore } from '../../shared/adapters/dynamodb/catalog-store';
import { dynamoDeadlineStore } from '../../shared/adapters/dynamodb/deadline-store';
import { dynamoDossierStore } from '../../shared/adapters/dynamodb/dossier-store';
import { dynamoKpiStore } from '../../shared/adapters/dynamodb/kpi-store';
import { dynamoNationalSyncCounter } from '../../shared/adapters/dynamodb/national-sync-counter';
import { KpiReportView, kpiReportView } from '../../shared/api/views';
import { CATALOG } from '../../shared/catalog/procedures';
import { SubmissionSchema } from '../../shared/domain/dossier';
import type { OfficerActionInput } from '../../shared/domain/actions';
import { getCityReport } from '../../shared/use-cases/city-report';
import { checkDeadline } from '../../shared/use-cases/deadlines';
import { getKpiReport } from '../../shared/use-cases/kpi-report';
import { loadCatalog } from '../../shared/use-cases/load-catalog';
import { countNationalSync } from '../../shared/use-cases/national-sync-kpi';
import type { Clock } from '../../shared/use-cases/ports';
import { rateDossier } from '../../shared/use-cases/rate-dossier';
import { createDossier, submitDossier } from '../../shared/use-cases/submit-dossier';
import { supplementDossier } from '../../shared/use-cases/supplement-dossier';
import { transitionDossier } from '../../shared/use-cases/transition-dossier';
import { withdrawDossier } from '../../shared/use-cases/withdraw-dossier';
import { noUploads, pdfUploads } from '../fixtures/attachments';
import { testWard } from '../fixtures/ward';
import { testIssuingDeps } from '../support/issuing';
import { useLocalAws } from '../support/local-ward';

/**
 * Decision 766/QĐ-TTg's figures (kpi-report.ts, nationalIndicatorsOf) for a scripted month,
 * November 2026, of dossiers made by the real use cases on DynamoDB Local with a clock the test
 * sets: receipts, supplements, payments, deadline wake-ups that mark dossiers overdue,
 * resolutions, a withdrawal, ratings and the national portal's acknowledgements. Every expected
 * figure is the arithmetic of the outcomes written out below, not a call to the code under test.
 */
const aws = useLocalAws();
const raw = new DynamoDBClient(aws.dynamodbClientConfig);
const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
afterAll(() => raw.destroy());

const MARITAL_STATUS = '1.004873'; // 3 working days
const officer = { id: 'officer-1', name: 'Trần Văn Nam', roles: ['reception', 'specialist', 'leader'] as const };
const idHasher = { hash: (id: string) => Promise.resolve(`hmac-${id}`) };
const vn = (localDateTime: string) => new Date(`${localDateTime}:00+07:00`);
const HOUR = 3_600_000;

/** A version of the procedure in force from October 2026 that allows two supplement requests (the seed allows one). */
const maritalStatusV1 =
  CATALOG.find((procedure) => procedure.code === MARITAL_STATUS) ??
  (() => {
    throw new Error(`no ${MARITAL_STATUS} in the catalog`);
  })();
const TWO_SUPPLEMENTS = { ...maritalStatusV1, version: maritalStatusV1.version + 1, effectiveFrom: '2026-10-01', maxSupplementRequests: 2 };

async function newWardTable(prefix: string): Promise<string> {
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  await provisionLocalWard({ ...aws, tableName, uploadsBucket: `${prefix}-uploads-${randomUUID().slice(0, 8)}` });
  await loadCatalog(dynamoCatalogStore(client, tableName), [...CATALOG, TWO_SUPPLEMENTS], '2026-10-15');
  return tableName;
}

/** The use cases of one ward on its table, on a clock the test sets. */
function wardOn(tableName: string) {
  let now = new Date();
  const clock: Clock = { now: () => now };
  const at = (instant: Date | string) => {
    now = typeof instant === 'string' ? vn(instant) : instant;
  };
  const dossiers = dynamoDossierStore(client, tableName, testWard.slug);
  const catalog = dynamoCatalogStore(client, tableName);
  const submitDeps = { dossiers, attachments: pdfUploads(), idHasher, clock, ward: testWard };
  const transitionDeps = { ...testIssuingDeps(testWard, clock), dossiers, catalog };
  const deadlineDeps = { dossiers, events: dynamoDeadlineStore(client, tableName), clock, officeHours: testWard.officeHours };
  const syncDeps = { dossiers, synced: dynamoNationalSyncCounter(client, tableName), clock };
  const submission = (fullyOnline = false) =>
    SubmissionSchema.parse({
      procedureCode: MARITAL_STATUS,
      applicant: { fullName: 'Nguyễn Thị Hoa', idNumber: '001190012345', phone: '0912345678' },
      formData: { purpose: 'Đăng ký kết hôn', maritalStatus: 'Chưa kết hôn' },
      attachments: [{ uploadId: randomUUID(), documentId: 'to-khai-xac-nhan-tthn' }],
      fullyOnline,
    });
  const dueOf = async (code: string) => {
    const due = (await dossiers.getDossier(code))?.appointmentAt;
    if (!due) throw new Error(`${code} has no appointment`);
    return due;
  };

  const ward = {
    dossiers,
    async counter(when: string) {
      at(when);
      const base = submission();
      const { dossier, secret } = await createDossier(submitDeps, { ...base, attachments: [] }, randomUUID(), {
        channel: 'COUNTER',
        officer,
        documentsReceived: ['to-khai-xac-nhan-tthn'],
      });
      return { code: dossier.code, secret };
    },
    async online(when: string, fullyOnline = false) {
      at(when);
      const { dossier, secret } = await submitDossier(submitDeps, submission(fullyOnline), randomUUID());
      return { code: dossier.code, secret };
    },
    act(code: string, when: Date | string, input: OfficerActionInput) {
      at(when);
      return transitionDossier(transitionDeps, { code, officer, input });
    },
    /** Approves (or refuses) early (the day before the appointment), on time (2 hours before it) or late (a day after it, never marked overdue). */
    async resolve(code: string, when: 'early' | 'onTime' | 'late', outcome: 'approve' | 'refuse' = 'approve') {
      const due = await dueOf(code);
      const instant = new Date(due.getTime() + { early: -31 * HOUR, onTime: -2 * HOUR, late: 24 * HOUR }[when]);
      return ward.act(
        code,
        instant,
        outcome === 'approve'
          ? { action: 'approve', result: { title: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN', content: 'Chưa đăng ký kết hôn với ai.' } }
          : { action: 'refuse', reason: 'Người yêu cầu đang có vợ.' },
      );
    },
    /** The deadline workflow's wake-up at the appointment: marks the dossier overdue. */
    async markOverdue(code: string) {
      const dossier = await dossiers.getDossier(code);
      if (!dossier?.appointmentAt || dossier.clockGeneration === undefined) throw new Error(`${code} has no running clock`);
      at(dossier.appointmentAt);
      return checkDeadline(deadlineDeps, { step: 'OVERDUE', dossierCode: code, generation: dossier.clockGeneration });
    },
    async pay(code: string, when: string, method: 'ONLINE' | 'COUNTER') {
      await ward.act(code, vn(when), { action: 'request-payment', amountVnd: 8_000 });
      await ward.act(code, new Date(vn(when).getTime() + HOUR), { action: 'record-payment', receiptNumber: `BL-${code}`, method });
    },
    async supplement(code: string, secret: string, when: string) {
      at(when);
      return supplementDossier({ dossiers, catalog, attachments: noUploads, clock, ward: testWard }, code, secret, { attachments: [], note: 'Đã bổ sung' });
    },
    async rate(code: string, secret: string, overall: 'VERY_SATISFIED' | 'SATISFIED' | 'DISSATISFIED') {
      const resolvedAt = (await dossiers.getDossier(code))?.resolvedAt;
      if (!resolvedAt) throw new Error(`${code} is not resolved`);
      at(new Date(resolvedAt.getTime() + HOUR));
      return rateDossier({ dossiers, clock }, code, secret, { overall });
    },
    withdraw(code: string, secret: string, when: string) {
      at(when);
      return withdrawDossier(transitionDeps, code, secret);
    },
    /** What the national-sync consumer calls once the portal acknowledged one of the dossier's records. */
    synced(code: string, when: string) {
      at(when);
      return countNationalSync(syncDeps, code);
    },
  };
  return ward;
}

const reportOn = (tableName: string, range: { from: string; to: string; interval?: 'day' | 'week' | 'month' }, asOf = vn('2026-12-03T10:00')) =>
  getKpiReport({ kpis: dynamoKpiStore(client, tableName), clock: { now: () => asOf }, targets: testWard.targets }, range);

/**
 * Ward A's script. November 2026 (no public holiday; 1/11 is a Sunday), counter dossiers of a
 * 3-working-day procedure received at 09:00 (due the third working day after, 17:00) unless said:
 *
 * | dossier | story                                                                  | Nov: 766 counts it as            |
 * |---------|------------------------------------------------------------------------|----------------------------------|
 * | D1      | Mon 2/11, paid ONLINE, approved early, rated very satisfied, synced (twice) | resolved, on time                |
 * | D2      | Tue 3/11, paid at the COUNTER, approved on time, rated satisfied, synced | resolved, on time              |
 * | D3      | Wed 4/11, approved a day after its appointment, rated dissatisfied     | resolved, late; a complaint      |
 * | D4      | Thu 5/11, marked overdue at its appointment, approved later            | resolved, late                   |
 * | D5      | Mon 9/11, marked overdue, still open on 3/12                            | open overdue at the end: late    |
 * | D6      | Tue 10/11, two supplement requests, approved on time by its appointment, rated satisfied | resolved, late (>1 supplement) |
 * | D7      | Wed 11/11, refused on time, rated dissatisfied                         | resolved, on time; a complaint   |
 * | D8      | online, fully online, Thu 12/11, paid ONLINE, approved early, synced (not before receipt) | resolved, on time   |
 * | D9      | Mon 16/11, marked overdue, withdrawn and stopped                       | neither (stopped)                |
 * | D10     | Wed 25/11, open, due 30/11 17:00 (the report's end is that day)         | neither (open, in time)          |
 * | D11     | Mon 26/10, marked overdue 29/10, synced, approved 2/12                  | open overdue at the end: late    |
 * | S1      | online, submitted 20/11, never received, its record acknowledged       | neither (not received)           |
 */
async function scriptWardA(tableName: string) {
  const ward = wardOn(tableName);

  const d11 = await ward.counter('2026-10-26T09:00');
  await ward.act(d11.code, '2026-10-26T10:00', { action: 'transfer' });
  await ward.markOverdue(d11.code);
  const syncedInOctober = await ward.synced(d11.code, '2026-10-27T08:00');

  const d1 = await ward.counter('2026-11-02T09:00');
  await ward.act(d1.code, '2026-11-02T10:00', { action: 'transfer' });
  await ward.pay(d1.code, '2026-11-02T11:00', 'ONLINE');
  await ward.resolve(d1.code, 'early');
  await ward.rate(d1.code, d1.secret, 'VERY_SATISFIED');
  const syncedD1 = [await ward.synced(d1.code, '2026-11-02T09:05'), await ward.synced(d1.code, '2026-11-04T09:05')];

  const d2 = await ward.counter('2026-11-03T09:00');
  await ward.act(d2.code, '2026-11-03T10:00', { action: 'transfer' });
  await ward.pay(d2.code, '2026-11-03T11:00', 'COUNTER');
  await ward.resolve(d2.code, 'onTime');
  await ward.rate(d2.code, d2.secret, 'SATISFIED');
  await ward.synced(d2.code, '2026-11-03T09:05');

  const d3 = await ward.counter('2026-11-04T09:00');
  await ward.act(d3.code, '2026-11-04T10:00', { action: 'transfer' });
  await ward.resolve(d3.code, 'late');
  await ward.rate(d3.code, d3.secret, 'DISSATISFIED');

  const d4 = await ward.counter('2026-11-05T09:00');
  await ward.act(d4.code, '2026-11-05T10:00', { action: 'transfer' });
  await ward.markOverdue(d4.code);
  await ward.act(d4.code, '2026-11-12T10:00', { action: 'approve', result: { title: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN', content: 'Chưa đăng ký kết hôn với ai.' } });

  const d5 = await ward.counter('2026-11-09T09:00');
  await ward.act(d5.code, '2026-11-09T10:00', { action: 'transfer' });
  await ward.markOverdue(d5.code);

  const d6 = await ward.counter('2026-11-10T09:00');
  await ward.act(d6.code, '2026-11-10T10:00', { action: 'transfer' });
  await ward.act(d6.code, '2026-11-10T11:00', { action: 'request-supplement', items: ['Bản sao trích lục ly hôn'] });
  await ward.supplement(d6.code, d6.secret, '2026-11-10T14:00');
  await ward.act(d6.code, '2026-11-11T09:00', { action: 'request-supplement', items: ['Bản sao quyết định ly hôn có chứng thực'] });
  await ward.supplement(d6.code, d6.secret, '2026-11-11T10:00');
  const d6Resolved = await ward.resolve(d6.code, 'onTime');
  await ward.rate(d6.code, d6.secret, 'SATISFIED');

  const d7 = await ward.counter('2026-11-11T09:00');
  await ward.act(d7.code, '2026-11-11T10:00', { action: 'transfer' });
  await ward.resolve(d7.code, 'onTime', 'refuse');
  await ward.rate(d7.code, d7.secret, 'DISSATISFIED');

  const d8 = await ward.online('2026-11-12T08:00', true);
  const syncedBeforeReceipt = await ward.synced(d8.code, '2026-11-12T08:05');
  await ward.act(d8.code, '2026-11-12T09:00', { action: 'receive' });
  await ward.act(d8.code, '2026-11-12T10:00', { action: 'transfer' });
  await ward.pay(d8.code, '2026-11-12T11:00', 'ONLINE');
  await ward.resolve(d8.code, 'early');
  const syncedD8 = await ward.synced(d8.code, '2026-11-12T09:05');

  const d9 = await ward.counter('2026-11-16T09:00');
  await ward.act(d9.code, '2026-11-16T10:00', { action: 'transfer' });
  await ward.markOverdue(d9.code);
  await ward.withdraw(d9.code, d9.secret, '2026-11-20T08:00');
  await ward.act(d9.code, '2026-11-20T10:00', { action: 'stop', reason: 'Công dân rút hồ sơ.' });

  const d10 = await ward.counter('2026-11-25T09:00');
  await ward.act(d10.code, '2026-11-25T10:00', { action: 'transfer' });

  const s1 = await ward.online('2026-11-20T08:00');
  const syncedS1 = await ward.synced(s1.code, '2026-11-20T08:05');

  // December: D11 resolved (late); D5 still open.
  await ward.act(d11.code, '2026-12-02T10:00', { action: 'approve', result: { title: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN', content: 'Chưa đăng ký kết hôn với ai.' } });

  return { syncedInOctober, syncedD1, syncedBeforeReceipt, syncedD8, syncedS1, d6Resolved, d10Due: (await ward.dossiers.getDossier(d10.code))?.appointmentAt };
}

/**
 * Ward B's script, November 2026:
 * | E1 | Mon 2/11, paid at the COUNTER, approved on time, rated satisfied, synced | resolved, on time |
 * | E2 | Tue 3/11, marked overdue, still open                                      | open overdue: late |
 * | E3 | Wed 4/11, approved early, synced                                          | resolved, on time |
 */
async function scriptWardB(tableName: string) {
  const ward = wardOn(tableName);
  const e1 = await ward.counter('2026-11-02T09:00');
  await ward.act(e1.code, '2026-11-02T10:00', { action: 'transfer' });
  await ward.pay(e1.code, '2026-11-02T11:00', 'COUNTER');
  await ward.resolve(e1.code, 'onTime');
  await ward.rate(e1.code, e1.secret, 'SATISFIED');
  await ward.synced(e1.code, '2026-11-02T09:05');
  const e2 = await ward.counter('2026-11-03T09:00');
  await ward.act(e2.code, '2026-11-03T10:00', { action: 'transfer' });
  await ward.markOverdue(e2.code);
  const e3 = await ward.counter('2026-11-04T09:00');
  await ward.act(e3.code, '2026-11-04T10:00', { action: 'transfer' });
  await ward.resolve(e3.code, 'early');
  await ward.synced(e3.code, '2026-11-04T09:05');
}

describe('Decision 766 figures of a scripted month', () => {
  let tableA: string;
  let tableB: string;
  let script: Awaited<ReturnType<typeof scriptWardA>>;

  beforeAll(async () => {
    [tableA, tableB] = await Promise.all([newWardTable('kpi766-a'), newWardTable('kpi766-b')]);
    script = await scriptWardA(tableA);
    await scriptWardB(tableB);
  });

  it('ran the script as written', () => {
    expect(script.syncedInOctober).toBe('COUNTED');
    expect(script.syncedD1).toEqual(['COUNTED', 'ALREADY_COUNTED']);
    expect(script.syncedBeforeReceipt).toBe('NOT_RECEIVED');
    expect(script.syncedD8).toBe('COUNTED');
    expect(script.syncedS1).toBe('NOT_RECEIVED');
    expect(script.d6Resolved.supplementRequests).toBe(2);
    expect(script.d10Due?.toISOString()).toBe(vn('2026-11-30T17:00').toISOString());
  });

  it('matches the figures counted by hand for November, each with its formula and terms', async () => {
    const report = await reportOn(tableA, { from: '2026-11-01', to: '2026-11-30' });

    // By hand, from the table of scriptWardA:
    const received = 10; // D1–D10
    const resolvedEarly = 2; // D1, D8
    const resolvedOnTime = 3; // D2, D6, D7
    const resolvedLate = 2; // D3, D4
    const resolved = resolvedEarly + resolvedOnTime + resolvedLate; // 7
    const resolvedOnTimeWithSupplements = 1; // D6
    const openOverdueAtEnd = 2; // D5 and D11 (D11 resolved on 2/12, after the month; D4 resolved and D9 stopped within it)
    const handled = resolved + openOverdueAtEnd; // 9
    const onTime = resolvedEarly + resolvedOnTime - resolvedOnTimeWithSupplements; // 4
    const ratedDissatisfied = 2; // D3, D7
    const synced = 3; // D1, D2, D8 (D11 counts in October, S1 was never received)
    const paymentsRecorded = 3; // D1, D2, D8
    const paidOnline = 2; // D1, D8
    const resolvedWithECopy = 7; // every resolution archived its e-result or refusal notice

    expect(report.counters).toMatchObject({
      received,
      resolved,
      resolvedEarly,
      resolvedOnTime,
      resolvedLate,
      resolvedOnTimeWithSupplements,
      ratedDissatisfied,
      synced,
      paymentsRecorded,
      paidOnline,
    });
    expect(report.counters).toMatchObject({ overdueMarked: 3, overdueClosed: 2 }); // D4, D5, D9 marked; D4 resolved, D9 stopped
    const { national } = report;
    expect(national.openOverdueAtEnd).toBe(openOverdueAtEnd);
    expect(national.onTimeShare).toEqual({
      value: 4 / 9,
      target: testWard.targets.onTimeShare,
      met: false,
      formula: '(resolvedEarly + resolvedOnTime - resolvedOnTimeWithSupplements) / (resolved + openOverdueAtEnd)',
      numerator: onTime,
      denominator: handled,
      terms: { resolvedEarly, resolvedOnTime, resolvedOnTimeWithSupplements, resolved, openOverdueAtEnd },
    });
    expect(national.lateShare).toMatchObject({ value: 5 / 9, numerator: handled - onTime, denominator: handled });
    expect(national.complaintShare).toMatchObject({ value: 2 / 9, numerator: ratedDissatisfied, denominator: handled, terms: { ratedDissatisfied, resolved, openOverdueAtEnd } });
    // 100% − 5/9 − 2/9 = 2/9, as one fraction.
    expect(national.satisfaction).toMatchObject({ value: 2 / 9, numerator: onTime - ratedDissatisfied, denominator: handled, target: null, met: null });
    expect(1 - (national.lateShare.value ?? 0) - (national.complaintShare.value ?? 0)).toBeCloseTo(2 / 9, 12);
    expect(national.syncedShare).toEqual({
      value: 0.3,
      target: null,
      met: null,
      formula: 'synced / received',
      numerator: synced,
      denominator: received,
      terms: { synced, received },
    });
    expect(national.eResultShare).toMatchObject({ value: 1, target: 1, met: true, numerator: resolvedWithECopy, denominator: resolved });
    expect(national.paidOnlineShare).toMatchObject({ value: 2 / 3, formula: 'paidOnline / paymentsRecorded', numerator: paidOnline, denominator: paymentsRecorded });

    // The city's own on-time share counts D6 on time and knows nothing of open dossiers: 5/7.
    expect(report.indicators.onTimeShare).toMatchObject({ numerator: resolvedEarly + resolvedOnTime, denominator: resolved });
    // The answer the API gives is the same, in its schema.
    expect(KpiReportView.parse(JSON.parse(JSON.stringify(kpiReportView(report)))).national.onTimeShare.terms).toEqual(national.onTimeShare.terms);
  });

  it('counts the open overdue dossiers at the end of each period, undoing what came after from the daily counters', async () => {
    const october = await reportOn(tableA, { from: '2026-10-01', to: '2026-10-31' });
    const december = await reportOn(tableA, { from: '2026-12-01', to: '2026-12-31' });
    const weekly = await reportOn(tableA, { from: '2026-11-02', to: '2026-11-29', interval: 'week' }); // four Monday–Sunday weeks
    const daily = await reportOn(tableA, { from: '2026-11-01', to: '2026-11-30' });

    // End of October: D11. Now (3/12): D5 only, D11 resolved on 2/12.
    expect(october.national.openOverdueAtEnd).toBe(1);
    expect(october.national.onTimeShare).toMatchObject({ numerator: 0, denominator: 0 + 1, value: 0 });
    expect(october.national.syncedShare).toMatchObject({ numerator: 1, denominator: 1 });
    expect(december.national.openOverdueAtEnd).toBe(1);
    expect(december.national.onTimeShare).toMatchObject({ numerator: 0, denominator: 1 + 1 }); // D11 resolved late, D5 open
    // Week ends: 8/11 D11 · 15/11 D11, D5 (D4 marked 10/11, resolved 12/11) · 22/11 D11, D5 (D9 marked 19/11, stopped 20/11) · 29/11 D11, D5.
    expect(weekly.series.map((week) => week.national.openOverdueAtEnd)).toEqual([1, 2, 2, 2]);
    // Day by day: D11 alone from 1/11; D4 marked 10/11; D4 resolved and D5 marked 12/11; D9 marked 19/11, stopped 20/11.
    const byDay = Object.fromEntries(daily.series.map((day) => [day.period, day.national.openOverdueAtEnd]));
    expect([byDay['2026-11-01'], byDay['2026-11-09'], byDay['2026-11-10'], byDay['2026-11-12'], byDay['2026-11-19'], byDay['2026-11-20'], byDay['2026-11-30']]).toEqual([
      1, 1, 2, 2, 3, 2, 2,
    ]);
    // Week 2 (9–15/11): resolved D3 (10/11) and D4 (12/11), both late, and 2 open overdue at its end.
    expect(weekly.series[1]?.national.onTimeShare).toMatchObject({ numerator: 0, denominator: 2 + 2 });
    // Week 3 (16–22/11): resolved D6 (due 16/11 after its second supplement; late for 766), D7 and D8 on time, 2 open overdue.
    expect(weekly.series[2]?.national.onTimeShare).toMatchObject({ numerator: 2, denominator: 3 + 2 });
  });

  it('sums two wards into the city’s figures from their counters, recomputing each share from the summed terms', async () => {
    const report = await getCityReport(
      {
        wards: [
          { slug: 'ward-a', name: 'Phường A', targets: testWard.targets, kpis: dynamoKpiStore(client, tableA) },
          { slug: 'ward-b', name: 'Phường B', targets: testWard.targets, kpis: dynamoKpiStore(client, tableB) },
        ],
        clock: { now: () => vn('2026-12-03T10:00') },
      },
      { from: '2026-11-01', to: '2026-11-30' },
    );

    // Ward B by hand: received 3; resolved E1 (on time), E3 (early); E2 open overdue; one rating, satisfied; synced 2; one payment, at the counter.
    const b = { received: 3, resolved: 2, onTime: 2, openOverdueAtEnd: 1, ratedDissatisfied: 0, synced: 2, payments: 1, paidOnline: 0 };
    const a = { received: 10, resolved: 7, onTime: 4, openOverdueAtEnd: 2, ratedDissatisfied: 2, synced: 3, payments: 3, paidOnline: 2 };
    const handled = a.resolved + a.openOverdueAtEnd + (b.resolved + b.openOverdueAtEnd); // 9 + 3 = 12

    expect(report.wards.map((ward) => [ward.slug, ward.national.onTimeShare.numerator, ward.national.onTimeShare.denominator])).toEqual([
      ['ward-a', 4, 9],
      ['ward-b', 2, 3],
    ]);
    expect(report.national.openOverdueAtEnd).toBe(3);
    expect(report.national.onTimeShare).toMatchObject({ numerator: a.onTime + b.onTime, denominator: handled, value: 6 / 12 });
    // Not the average of the wards' shares, (4/9 + 2/3) / 2 = 5/9.
    expect(report.national.onTimeShare.value).not.toBeCloseTo((4 / 9 + 2 / 3) / 2, 6);
    expect(report.national.satisfaction).toMatchObject({ numerator: 6 - 2, denominator: 12, value: 4 / 12 });
    expect(report.national.syncedShare).toMatchObject({ numerator: 5, denominator: 13, value: 5 / 13 });
    expect(report.national.paidOnlineShare).toMatchObject({ numerator: 2, denominator: 4, value: 0.5 });
    expect(report.counts).toMatchObject({ received: a.received + b.received, resolved: a.resolved + b.resolved });
    expect(report.targets).toEqual(testWard.targets);
  });
});
