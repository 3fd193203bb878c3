import { randomUUID } from 'node:crypto';
import { DynamoDBClient, type ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionLocalWard } from '../../local/provision';
import { dynamoCatalogStore } from '../../shared/adapters/dynamodb/catalog-store';
import { dynamoDeadlineStore } from '../../shared/adapters/dynamodb/deadline-store';
import { dynamoDossierStore } from '../../shared/adapters/dynamodb/dossier-store';
import { KPI_SHARDS, kpiUpdate } from '../../shared/adapters/dynamodb/kpi';
import { dynamoKpiStore } from '../../shared/adapters/dynamodb/kpi-store';
import { dynamoWorklistStore } from '../../shared/adapters/dynamodb/worklist-store';
import { KpiReportView } from '../../shared/api/views';
import { SubmissionSchema, type Dossier, type KpiIncrements } from '../../shared/domain/dossier';
import { ValidationError } from '../../shared/domain/errors';
import type { DossierStatus } from '../../shared/domain/status';
import { addDays, vietnamDate, vietnamInstant, weekday } from '../../shared/domain/time';
import { checkDeadline } from '../../shared/use-cases/deadlines';
import { registerRows } from '../../shared/use-cases/dossier-register';
import { getKpiReport } from '../../shared/use-cases/kpi-report';
import { listDossiers, type WorklistFilters } from '../../shared/use-cases/list-dossiers';
import type { Clock, DossierStore, WorklistPage } from '../../shared/use-cases/ports';
import { testIssuingDeps } from '../support/issuing';
import { rateDossier } from '../../shared/use-cases/rate-dossier';
import { createDossier, submitDossier } from '../../shared/use-cases/submit-dossier';
import { transitionDossier } from '../../shared/use-cases/transition-dossier';
import { withdrawDossier } from '../../shared/use-cases/withdraw-dossier';
import { call } from '../e2e/citizen-client';
import { testWard } from '../fixtures/ward';
import { officerToken, startLocalWard, useLocalAws, type LocalWard } from '../support/local-ward';
import { pdfUploads } from '../fixtures/attachments';
import { copyDossiers } from '../support/dossier-copies';

/**
 * The worklist and the KPI report against DynamoDB Local, with dossiers made by the real use cases
 * (submission, officers' transitions, withdrawal, rating) on a clock the test moves, so that
 * appointments, early / on-time / late resolutions and the days the counters land on are known.
 */
const aws = useLocalAws();
const MARITAL_STATUS = '1.004873'; // 3 working days, fully online possible
const officer = { id: 'officer-1', name: 'Trần Văn Nam', roles: ['reception', 'specialist', 'leader'] as const };

/** A DynamoDB client that records each request, the items a Query returned and the capacity it consumed. */
function meteredClient() {
  const calls: { command: string; count: number; capacity: number }[] = [];
  const raw = new DynamoDBClient(aws.dynamodbClientConfig);
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const output = result.output as { Count?: number; ConsumedCapacity?: ConsumedCapacity };
      calls.push({
        command: context.commandName ?? 'unknown',
        count: output.Count ?? 0,
        capacity: output.ConsumedCapacity?.ReadCapacityUnits ?? output.ConsumedCapacity?.CapacityUnits ?? 0,
      });
      return result;
    },
    { step: 'initialize', name: 'requestMeter' },
  );
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  /** The requests `run` sent. */
  const measure = async <T>(run: () => Promise<T>) => {
    const start = calls.length;
    const value = await run();
    return { value, calls: calls.slice(start) };
  };
  return { raw, client, measure };
}

/** A clock the test sets; instants in Vietnam time. */
function testClock() {
  let now = new Date();
  return {
    clock: { now: () => now } satisfies Clock,
    at(instant: Date | string) {
      now = typeof instant === 'string' ? vn(instant) : instant;
    },
  };
}

const vn = (localDateTime: string) => new Date(`${localDateTime}:00+07:00`);

/** The applicant index's key of an ID number (the ward's HMAC in production). */
const idHasher = { hash: (id: string) => Promise.resolve(`hmac-${id}`) };

/** The use cases on one table, with ports that need no S3 (attachments and the archive). */
function wardOn(client: DynamoDBDocumentClient, tableName: string) {
  const dossiers: DossierStore = dynamoDossierStore(client, tableName, testWard.slug);
  const time = testClock();
  const attachments = pdfUploads();
  const submitDeps = { dossiers, attachments, idHasher, clock: time.clock, ward: testWard };
  const transitionDeps = { ...testIssuingDeps(testWard, time.clock), dossiers, catalog: dynamoCatalogStore(client, tableName) };
  const submission = (fullyOnline = false) =>
    SubmissionSchema.parse({
      procedureCode: MARITAL_STATUS,
      applicant: { fullName: 'Nguyễn Thị Hoa', idNumber: '001190012345', phone: '0912345678' },
      formData: { purpose: 'Đăng ký kết hôn', maritalStatus: 'Chưa kết hôn' },
      attachments: [{ uploadId: randomUUID(), documentId: 'to-khai-xac-nhan-tthn' }],
      fullyOnline,
    });

  return {
    time,
    dossiers,
    async online(at: string, fullyOnline = false) {
      time.at(at);
      const { dossier, secret } = await submitDossier(submitDeps, submission(fullyOnline), randomUUID());
      return { code: dossier.code, secret };
    },
    async counter(at: string, applicant?: { fullName: string; idNumber: string }) {
      time.at(at);
      const base = submission();
      const { dossier, secret } = await createDossier(submitDeps, { ...base, applicant: { ...base.applicant, ...applicant }, attachments: [] }, randomUUID(), {
        channel: 'COUNTER',
        officer,
        documentsReceived: ['to-khai-xac-nhan-tthn'],
      });
      return { code: dossier.code, secret };
    },
    act(code: string, at: Date | string, input: Parameters<typeof transitionDossier>[1]['input']) {
      time.at(at);
      return transitionDossier(transitionDeps, { code, officer, input });
    },
    rate(code: string, secret: string, at: Date, overall: 'VERY_SATISFIED' | 'SATISFIED' | 'DISSATISFIED') {
      time.at(at);
      return rateDossier({ dossiers, clock: time.clock }, code, secret, { overall });
    },
    /** The deadline workflow's OVERDUE step, at the appointment. */
    async markOverdue(code: string) {
      const dossier = await dossiers.getDossier(code);
      if (dossier?.appointmentAt === undefined || dossier.clockGeneration === undefined) throw new Error(`${code} has no running clock`);
      time.at(dossier.appointmentAt);
      const outcome = await checkDeadline(
        { dossiers, events: dynamoDeadlineStore(client, tableName), clock: time.clock, officeHours: testWard.officeHours },
        { step: 'OVERDUE', dossierCode: code, generation: dossier.clockGeneration },
      );
      if (outcome.outcome !== 'MARKED_OVERDUE') throw new Error(`${code} not marked overdue: ${JSON.stringify(outcome)}`);
    },
    withdraw(code: string, secret: string, at: string) {
      time.at(at);
      return withdrawDossier(transitionDeps, code, secret);
    },
    /** Approves or refuses, early (the day before the appointment), on time (its day, before it) or late (a day after it). */
    async resolve(code: string, when: 'early' | 'onTime' | 'late', outcome: 'approve' | 'refuse' = 'approve') {
      const dossier = await dossiers.getDossier(code);
      const due = dossier?.appointmentAt;
      if (!due) throw new Error(`${code} has no appointment`);
      const hour = 3_600_000;
      const at = new Date(due.getTime() + { early: -31 * hour, onTime: -2 * hour, late: 24 * hour }[when]);
      return this.act(
        code,
        at,
        outcome === 'approve'
          ? { action: 'approve', result: { title: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN', content: 'Chưa đăng ký kết hôn với ai.' } }
          : { action: 'refuse', reason: 'Người yêu cầu đang có vợ.' },
      );
    },
  };
}

const sortKey = (d: Dossier) => `${(d.appointmentAt ?? d.submittedAt).toISOString()}#${d.code}`;
const inAppointmentOrder = (dossiers: Iterable<Dossier>) => [...dossiers].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1)).map((d) => d.code);
const codes = (page: WorklistPage) => page.items.map((d) => d.code);

describe('the officers’ worklist', () => {
  let localWard: LocalWard;
  const metered = meteredClient();
  let ward: ReturnType<typeof wardOn>;
  const worklist = () => dynamoWorklistStore(metered.client, localWard.tableName);
  /** Every dossier the test made, as it is now. */
  const made = new Map<string, Dossier>();
  let completionRequested: string;

  const list = (filters: Partial<WorklistFilters>, now = new Date()) => listDossiers({ worklist: worklist(), clock: { now: () => now }, idHasher }, { limit: 100, ...filters });
  /** Received, not resolved, not waiting on the citizen: the dossiers whose clock runs. */
  const open = () => [...made.values()].filter((d) => d.appointmentAt !== undefined && ['RECEIVED', 'IN_PROGRESS', 'PAYMENT_REQUESTED', 'WITHDRAWAL_REQUESTED'].includes(d.status));
  const ofStatus = (status: DossierStatus) => [...made.values()].filter((d) => d.status === status);

  beforeAll(async () => {
    localWard = await startLocalWard();
    ward = wardOn(metered.client, localWard.tableName);
    const keep = async (code: string) => {
      const dossier = await ward.dossiers.getDossier(code);
      if (dossier) made.set(code, dossier);
    };
    // 23 counter dossiers on the 20 working days of January 2026, in an order unlike their
    // appointments', three days with two (one appointment, so code order decides).
    const januaryWorkingDays = Array.from({ length: 26 }, (_, i) => `2026-01-${String(i + 5).padStart(2, '0')}`).filter((day) => ![0, 6].includes(new Date(day).getUTCDay()));
    for (let i = 0; i < 23; i += 1) await keep((await ward.counter(`${januaryWorkingDays[(i * 7) % 20] ?? ''}T09:${String(10 + i).padStart(2, '0')}`)).code);
    // In progress, waiting on a supplement (clock stopped), resolved, submitted online, asked to
    // complete before receipt (SUPPLEMENT_REQUESTED without an appointment).
    for (const day of ['2026-01-06', '2026-01-20', '2026-02-02']) {
      const { code } = await ward.counter(`${day}T10:00`);
      await ward.act(code, `${day}T11:00`, { action: 'transfer' });
      await keep(code);
    }
    const waiting = await ward.counter('2026-01-07T10:30');
    await ward.act(waiting.code, '2026-01-07T11:00', { action: 'transfer' });
    await ward.act(waiting.code, '2026-01-07T14:00', { action: 'request-supplement', items: ['Bản sao trích lục ly hôn'] });
    await keep(waiting.code);
    const resolved = await ward.counter('2026-01-08T10:30');
    await ward.act(resolved.code, '2026-01-08T11:00', { action: 'transfer' });
    await ward.resolve(resolved.code, 'onTime');
    await keep(resolved.code);
    for (const at of ['2026-01-09T08:00', '2026-01-12T08:00']) await keep((await ward.online(at)).code);
    const incomplete = await ward.online('2026-01-02T08:00');
    await ward.act(incomplete.code, '2026-01-02T09:00', { action: 'request-completion', items: ['Tờ khai có chữ ký'] });
    await keep(incomplete.code);
    completionRequested = incomplete.code;
    // Withdrawal requested before receipt (no appointment, no clock) and after it (clock running).
    const withdrawnEarly = await ward.online('2026-01-05T08:00');
    await ward.act(withdrawnEarly.code, '2026-01-05T08:30', { action: 'request-completion', items: ['Tờ khai có chữ ký'] });
    await ward.withdraw(withdrawnEarly.code, withdrawnEarly.secret, '2026-01-05T10:00');
    await keep(withdrawnEarly.code);
    const withdrawnLate = await ward.counter('2026-01-13T10:45');
    await ward.withdraw(withdrawnLate.code, withdrawnLate.secret, '2026-01-14T08:00');
    await keep(withdrawnLate.code);
  });

  afterAll(async () => {
    metered.raw.destroy();
    await localWard.stop();
  });

  it('made the dossiers the cases below rely on', () => {
    expect(ofStatus('RECEIVED')).toHaveLength(23);
    expect(ofStatus('IN_PROGRESS')).toHaveLength(3);
    expect(ofStatus('SUPPLEMENT_REQUESTED')).toHaveLength(2);
    expect(ofStatus('WITHDRAWAL_REQUESTED').map((d) => d.appointmentAt !== undefined)).toEqual([false, true]);
    expect(made.get(completionRequested)?.appointmentAt).toBeUndefined();
    expect(new Set(ofStatus('RECEIVED').map((d) => d.appointmentAt?.getTime())).size).toBe(20);
  });

  it('pages through a status in appointment order, 10 + 10 + 3, one Query per page, no duplicate or gap', async () => {
    const pages: WorklistPage[] = [];
    const queriesPerPage: string[][] = [];
    let cursor: string | undefined;
    do {
      const { value, calls } = await metered.measure(() => list({ status: 'RECEIVED', limit: 10, cursor }));
      pages.push(value);
      queriesPerPage.push(calls.map((c) => c.command));
      cursor = value.nextCursor ?? undefined;
    } while (cursor);

    expect(pages.map((p) => p.items.length)).toEqual([10, 10, 3]);
    expect(pages.map((p) => p.nextCursor === null)).toEqual([false, false, true]);
    expect(queriesPerPage).toEqual([['QueryCommand'], ['QueryCommand'], ['QueryCommand']]);
    expect(pages.flatMap(codes)).toEqual(inAppointmentOrder(ofStatus('RECEIVED')));
  });

  it('ends with the last full page rather than an empty one when the count is a multiple of the limit', async () => {
    const first = await list({ status: 'IN_PROGRESS', limit: 3 });

    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toBeNull();
  });

  it('lists the open dossiers with a running clock due strictly before an instant, in appointment order', async () => {
    const bound =
      ofStatus('RECEIVED')
        .map((d) => d.appointmentAt?.getTime() ?? 0)
        .sort((a, b) => a - b)[9] ?? 0;
    const dueBefore = new Date(bound);

    const page = await list({ dueBefore });

    const expected = open().filter((d) => (d.appointmentAt?.getTime() ?? Infinity) < bound);
    expect(expected.length).toBeGreaterThan(5);
    expect(codes(page)).toEqual(inAppointmentOrder(expected));
    expect(page.items.some((d) => d.appointmentAt?.getTime() === bound)).toBe(false);
  });

  it('lists a status due before an instant with a key condition, leaving out its never-received dossiers', async () => {
    const bound = vn('2026-01-22T00:00');
    const received = await list({ status: 'RECEIVED', dueBefore: bound });
    const waiting = await list({ status: 'SUPPLEMENT_REQUESTED', dueBefore: vn('2027-01-01T00:00') });
    const everyWaiting = await list({ status: 'SUPPLEMENT_REQUESTED' });

    expect(codes(received)).toEqual(inAppointmentOrder(ofStatus('RECEIVED').filter((d) => (d.appointmentAt?.getTime() ?? Infinity) < bound.getTime())));
    expect(codes(waiting)).toEqual(
      ofStatus('SUPPLEMENT_REQUESTED')
        .filter((d) => d.appointmentAt)
        .map((d) => d.code),
    );
    expect(codes(everyWaiting)).toEqual(inAppointmentOrder(ofStatus('SUPPLEMENT_REQUESTED')));
    expect(codes(everyWaiting)).toContain(completionRequested);
  });

  it('lists as overdue exactly the open dossiers whose appointment has passed while their clock runs', async () => {
    const now = vn('2026-01-20T12:00');

    const overdue = await list({ overdue: true }, now);
    const overdueInProgress = await list({ status: 'IN_PROGRESS', overdue: true }, now);
    const overdueWithdrawals = await list({ status: 'WITHDRAWAL_REQUESTED', overdue: true }, now);
    const waitingPastDue = await metered.measure(() => list({ status: 'SUPPLEMENT_REQUESTED', overdue: true }, now));

    const expected = open().filter((d) => (d.appointmentAt?.getTime() ?? Infinity) < now.getTime());
    expect(expected.length).toBeGreaterThan(3);
    expect(codes(overdue)).toEqual(inAppointmentOrder(expected));
    expect(codes(overdueInProgress)).toEqual(inAppointmentOrder(expected.filter((d) => d.status === 'IN_PROGRESS')));
    expect(codes(overdueWithdrawals)).toEqual(expected.filter((d) => d.status === 'WITHDRAWAL_REQUESTED').map((d) => d.code));
    expect(overdueWithdrawals.items).toHaveLength(1);
    expect(overdue.items.every((d) => d.overdue === false)).toBe(true); // the deadline workflow has flagged none yet
    // Waiting on the citizen stops the clock: nothing to read.
    expect(waitingPastDue.value.items).toEqual([]);
    expect(waitingPastDue.calls).toEqual([]);
  });

  it('lists every open dossier with a running clock when no filter is given', async () => {
    const page = await list({});

    expect(codes(page)).toEqual(inAppointmentOrder(open()));
  });

  it('lists the dossiers received in a period across a month boundary, in order of receipt, one Query a month (the register, form 07)', async () => {
    const period = { from: '2026-01-20', to: '2026-02-02' };
    const from = vn('2026-01-20T00:00').getTime();
    const to = vn('2026-02-03T00:00').getTime();
    const expected = [...made.values()]
      .filter((d) => d.receivedAt !== undefined && d.receivedAt.getTime() >= from && d.receivedAt.getTime() < to)
      .sort((a, b) => (a.receivedAt?.getTime() ?? 0) - (b.receivedAt?.getTime() ?? 0))
      .map((d) => d.code);

    const { value: rows, calls } = await metered.measure(() => registerRows({ worklist: worklist(), clock: { now: () => new Date() } }, period));

    expect(expected.length).toBeGreaterThanOrEqual(8);
    expect(expected.some((code) => (made.get(code)?.receivedAt?.getUTCMonth() ?? 0) === 1)).toBe(true);
    expect(rows.map((row) => row.dossierCode)).toEqual(expected);
    expect(calls.map((call) => call.command)).toEqual(['QueryCommand', 'QueryCommand']);
    await expect(registerRows({ worklist: worklist(), clock: { now: () => vn('2026-02-01T12:00') } }, period)).rejects.toBeInstanceOf(ValidationError);
    await expect(registerRows({ worklist: worklist(), clock: { now: () => new Date() } }, { from: '2026-01-01', to: '2026-02-01' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses a cursor it did not produce with a 400, never a 500', async () => {
    const first = await list({ status: 'RECEIVED', limit: 5 });
    const cursor = first.nextCursor ?? '';
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, string>;
    const reencode = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const tampered = [
      'not a cursor!',
      `${cursor.slice(0, -3)}xyz`,
      reencode({ ...decoded, extra: 'x' }),
      reencode({ ...decoded, byStatusPK: 'STATUS#RESOLVED' }),
      reencode({ ...decoded, PK: 'DOSSIER#someone-else' }),
      reencode({ ...decoded, byStatusSK: 'tomorrow' }),
      reencode(['PK', 'SK']),
    ];

    for (const bad of tampered) await expect(list({ status: 'RECEIVED', limit: 5, cursor: bad })).rejects.toBeInstanceOf(ValidationError);
    // A cursor of another list: another status, the open-dossier index, a bound it lies beyond.
    await expect(list({ status: 'IN_PROGRESS', cursor })).rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    await expect(list({ cursor })).rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    await expect(list({ status: 'RECEIVED', dueBefore: vn('2026-01-01T00:00'), cursor })).rejects.toMatchObject({ status: 400 });
  });

  it('lists the open dossiers due today, or from today to Sunday, in Vietnam time, one Query each', async () => {
    // "Today" is the appointment day of an open dossier (every appointment here is in January 2026).
    const appointments = open()
      .map((d) => d.appointmentAt?.getTime() ?? 0)
      .sort((a, b) => a - b);
    const today = vietnamDate(new Date(appointments[Math.floor(appointments.length / 2)] ?? 0));
    const sunday = addDays(today, (7 - weekday(today)) % 7);
    const now = vietnamInstant(today, 8 * 60);
    const dueBetween = (from: string, to: string) => open().filter((d) => d.appointmentAt && d.appointmentAt >= vietnamInstant(from, 0) && d.appointmentAt < vietnamInstant(to, 0));

    const dueToday = await metered.measure(() => list({ due: 'today' }, now));
    const week = await metered.measure(() => list({ due: 'week' }, now));
    const receivedThisWeek = await list({ due: 'week', status: 'RECEIVED' }, now);
    const overdueToday = await list({ due: 'today', overdue: true }, vietnamInstant(today, 23 * 60));
    const overdueAtDawn = await list({ due: 'today', overdue: true }, vietnamInstant(today, 60));

    expect(dueBetween(today, addDays(today, 1)).length).toBeGreaterThan(0);
    expect(codes(dueToday.value)).toEqual(inAppointmentOrder(dueBetween(today, addDays(today, 1))));
    expect(codes(week.value)).toEqual(inAppointmentOrder(dueBetween(today, addDays(sunday, 1))));
    expect(codes(receivedThisWeek)).toEqual(inAppointmentOrder(dueBetween(today, addDays(sunday, 1)).filter((d) => d.status === 'RECEIVED')));
    // Due today and past its appointment late in the evening: both filters hold; at 01:00, none is past yet.
    expect(codes(overdueToday)).toEqual(codes(dueToday.value));
    expect(overdueAtDawn.items).toEqual([]);
    expect([dueToday.calls, week.calls].map((calls) => calls.map((c) => c.command))).toEqual([['QueryCommand'], ['QueryCommand']]);
  });

  it('pages through the week with a cursor bound to the same range', async () => {
    const now = vn('2026-01-12T08:00'); // a Monday
    const all = await list({ due: 'week' }, now);
    const first = await list({ due: 'week', limit: 2 }, now);
    const second = await list({ due: 'week', limit: 2, cursor: first.nextCursor ?? '' }, now);

    expect(codes(all).length).toBeGreaterThan(3);
    expect([...codes(first), ...codes(second)]).toEqual(codes(all).slice(0, 4));
    // The same cursor in the range of another week lies outside it.
    await expect(list({ due: 'week', cursor: second.nextCursor ?? '' }, vn('2026-01-26T08:00'))).rejects.toBeInstanceOf(ValidationError);
  });

  describe('search', () => {
    const searched: Record<string, string> = {};

    beforeAll(async () => {
      // Four applicants besides the Nguyễn Thị Hoa of every other dossier here.
      searched.hang = (await ward.counter('2026-02-03T09:00', { fullName: 'Nguyễn Thị Hằng', idNumber: '001190054321' })).code;
      searched.hang2 = (await ward.counter('2026-02-04T09:00', { fullName: 'Nguyễn Thị Hằng', idNumber: '001190054321' })).code;
      searched.hang3 = (await ward.counter('2026-02-05T09:00', { fullName: 'Nguyễn Thị Hằng', idNumber: '001190054321' })).code;
      searched.hung = (await ward.counter('2026-02-03T09:30', { fullName: 'Nguyễn Văn Hùng', idNumber: '001085011111' })).code;
      searched.dang = (await ward.counter('2026-02-03T10:00', { fullName: 'Đặng Thu Trang', idNumber: '001190022222' })).code;
    });

    const search = (q: string, extra: Partial<WorklistFilters> = {}) => metered.measure(() => list({ q, ...extra }));

    it('finds a dossier by its exact code, in any letter case, with one GetItem', async () => {
      const exact = await search(searched.dang ?? '');
      const lower = await search((searched.dang ?? '').toLowerCase());
      const unknown = await search('000.A0.01.H26-991231-9999');

      expect(codes(exact.value)).toEqual([searched.dang]);
      expect(codes(lower.value)).toEqual([searched.dang]);
      expect(exact.value.nextCursor).toBeNull();
      expect(unknown.value.items).toEqual([]);
      expect([exact, lower, unknown].map((r) => r.calls.map((c) => c.command))).toEqual([['GetItemCommand'], ['GetItemCommand'], ['GetItemCommand']]);
    });

    it("finds an applicant's dossiers by ID number through the HMAC key, newest first, one Query a page", async () => {
      const first = await search('001190054321', { limit: 2 });
      const second = await search('001190054321', { limit: 2, cursor: first.value.nextCursor ?? '' });
      const nobody = await search('001199099999');

      expect([...codes(first.value), ...codes(second.value)]).toEqual([searched.hang3, searched.hang2, searched.hang]);
      expect(second.value.nextCursor).toBeNull();
      expect(nobody.value.items).toEqual([]);
      expect([first, second, nobody].map((r) => r.calls.map((c) => c.command))).toEqual([['QueryCommand'], ['QueryCommand'], ['QueryCommand']]);
    });

    it('finds dossiers by the start of the name, without regard to case or diacritics, one Query a page', async () => {
      const thiH = await search('nguyen thi h', { limit: 100 });
      const hang = await search('NGUYỄN THỊ HẰNG');
      const dang = await search('dang');
      const withD = await search('Đặng thu');
      const van = await search('nguyen van');

      // "nguyen thi h" is every Hằng and every Hoa; Hằng sorts before Hoa, then by submission.
      expect(codes(thiH.value).slice(0, 3)).toEqual([searched.hang, searched.hang2, searched.hang3]);
      expect(codes(thiH.value).slice(3).sort()).toEqual([...made.keys()].sort());
      expect(codes(hang.value)).toEqual([searched.hang, searched.hang2, searched.hang3]);
      expect(codes(dang.value)).toEqual([searched.dang]);
      expect(codes(withD.value)).toEqual([searched.dang]);
      expect(codes(van.value)).toEqual([searched.hung]);
      expect([thiH, hang, dang, withD, van].map((r) => r.calls.map((c) => c.command))).toEqual(Array.from({ length: 5 }, () => ['QueryCommand']));
    });

    it('pages through a name search with a cursor of that very search', async () => {
      const pages: WorklistPage[] = [];
      let cursor: string | undefined;
      do {
        const page = await list({ q: 'nguyen thi', limit: 10, cursor });
        pages.push(page);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      const all = await list({ q: 'nguyen thi' });
      const firstCursor = pages[0]?.nextCursor ?? '';

      expect(pages.length).toBeGreaterThan(2);
      expect(pages.flatMap(codes)).toEqual(codes(all));
      expect(new Set(pages.flatMap(codes)).size).toBe(pages.flatMap(codes).length);
      await expect(list({ q: 'dang', cursor: firstCursor })).rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      await expect(list({ q: '001190054321', cursor: firstCursor })).rejects.toMatchObject({ status: 400 });
      await expect(list({ status: 'RECEIVED', cursor: firstCursor })).rejects.toMatchObject({ status: 400 });
    });

    it('refuses a search with other filters, or too short to search, reading nothing', async () => {
      for (const filters of [{ q: 'nguyen', status: 'RECEIVED' as const }, { q: 'nguyen', due: 'today' as const }, { q: 'nguyen', overdue: true }, { q: '-.' }]) {
        const { value, calls } = await metered.measure(() =>
          list(filters).then(
            () => 'listed',
            (error: unknown) => error,
          ),
        );
        expect(value, JSON.stringify(filters)).toMatchObject({ status: 400, issues: [expect.objectContaining({ path: 'query.q' })] });
        expect(calls).toEqual([]);
      }
    });
  });

  describe('over HTTP', () => {
    const get = async (path: string, role: string) =>
      call<Record<string, unknown>>(localWard.baseUrl, 'GET', path, { headers: { Authorization: `Bearer ${await officerToken({ roles: [role] })}` } });

    it('serves the same pages as the use case, with the overdue flag of each item', async () => {
      const first = await get('/officer/dossiers?status=RECEIVED&limit=10', 'specialist');
      const second = await get(`/officer/dossiers?status=RECEIVED&limit=10&cursor=${String(first.body.nextCursor)}`, 'specialist');

      const expected = inAppointmentOrder(ofStatus('RECEIVED'));
      const items = [first, second].flatMap((r) => r.body.items as { code: string; overdue: boolean; appointmentAt: string }[]);
      expect(first.status).toBe(200);
      expect(items.map((i) => i.code)).toEqual(expected.slice(0, 20));
      expect(items.every((i) => typeof i.overdue === 'boolean' && i.appointmentAt.endsWith('+07:00'))).toBe(true);
    });

    it('answers a tampered cursor and a limit out of range with problem+json 400', async () => {
      const tampered = await get('/officer/dossiers?status=RECEIVED&cursor=eyJQSyI6MX0', 'reception');
      const tooMany = await get('/officer/dossiers?limit=101', 'reception');

      for (const response of [tampered, tooMany]) {
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      }
      expect(tampered.body.errors).toEqual([expect.objectContaining({ path: 'query.cursor' })]);
    });

    it('gives the KPI report to a leader only, for a valid range only', async () => {
      const report = await get('/officer/kpis?from=2026-01-01&to=2026-01-31', 'leader');
      const asReception = await get('/officer/kpis?from=2026-01-01&to=2026-01-31', 'reception');
      const reversed = await get('/officer/kpis?from=2026-02-01&to=2026-01-31', 'leader');
      const tooLong = await get('/officer/kpis?from=2025-01-01&to=2026-01-02', 'leader');

      const receivedInJanuary = [...made.values()].filter((d) => d.receivedAt && d.receivedAt < vn('2026-02-01T00:00')).length;
      expect(report.status).toBe(200);
      expect(KpiReportView.parse(report.body).counts.received).toBe(receivedInJanuary);
      expect(asReception.status).toBe(403);
      expect([reversed.status, tooLong.status]).toEqual([400, 400]);
    });
  });
});

describe('the KPI report', () => {
  const metered = meteredClient();

  async function newTable(prefix: string) {
    const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
    await provisionLocalWard({ ...aws, tableName, uploadsBucket: `${prefix}-uploads-${randomUUID().slice(0, 8)}` });
    return tableName;
  }

  afterAll(() => metered.raw.destroy());

  it('is exact for a scripted month of dossiers with known outcomes', async () => {
    const tableName = await newTable('kpi-mix');
    const ward = wardOn(metered.client, tableName);

    // Online: two fully online, resolved early and on time, one resolved late, one refused at
    // intake, one left submitted, one left in progress past its appointment.
    const o1 = await ward.online('2026-03-02T08:30', true);
    await ward.act(o1.code, '2026-03-02T09:00', { action: 'receive' });
    await ward.act(o1.code, '2026-03-02T10:00', { action: 'transfer' });
    const o1Resolved = await ward.resolve(o1.code, 'early');
    await ward.act(o1.code, new Date(o1Resolved.updatedAt.getTime() + 3_600_000), { action: 'return', method: 'ONLINE' });
    await ward.rate(o1.code, o1.secret, new Date(o1Resolved.updatedAt.getTime() + 7_200_000), 'VERY_SATISFIED');

    const o2 = await ward.online('2026-03-03T08:30', true);
    await ward.act(o2.code, '2026-03-03T09:00', { action: 'receive' });
    await ward.act(o2.code, '2026-03-03T10:00', { action: 'transfer' });
    const o2Resolved = await ward.resolve(o2.code, 'onTime');
    await ward.rate(o2.code, o2.secret, new Date(o2Resolved.updatedAt.getTime() + 3_600_000), 'SATISFIED');

    const o3 = await ward.online('2026-03-04T08:30');
    await ward.act(o3.code, '2026-03-04T09:00', { action: 'receive' });
    await ward.act(o3.code, '2026-03-04T10:00', { action: 'transfer' });
    const o3Resolved = await ward.resolve(o3.code, 'late');
    await ward.rate(o3.code, o3.secret, new Date(o3Resolved.updatedAt.getTime() + 3_600_000), 'DISSATISFIED');

    const o4 = await ward.online('2026-03-06T08:30');
    await ward.act(o4.code, '2026-03-06T09:00', { action: 'refuse-intake', reason: 'Không thuộc thẩm quyền của phường.' });
    await ward.online('2026-03-06T08:45');
    const o6 = await ward.online('2026-03-05T08:30');
    await ward.act(o6.code, '2026-03-05T09:00', { action: 'receive' });
    await ward.act(o6.code, '2026-03-05T10:00', { action: 'transfer' });

    // Counter: resolved on time (rated), refused early, left received past its appointment,
    // waiting on a supplement (clock stopped), received late in the month (not yet due), withdrawn.
    const c1 = await ward.counter('2026-03-09T09:00');
    await ward.act(c1.code, '2026-03-09T10:00', { action: 'transfer' });
    const c1Resolved = await ward.resolve(c1.code, 'onTime');
    await ward.rate(c1.code, c1.secret, new Date(c1Resolved.updatedAt.getTime() + 3_600_000), 'SATISFIED');
    const c2 = await ward.counter('2026-03-10T09:00');
    await ward.act(c2.code, '2026-03-10T10:00', { action: 'transfer' });
    await ward.resolve(c2.code, 'early', 'refuse');
    const c3 = await ward.counter('2026-03-11T09:00');
    const c4 = await ward.counter('2026-03-12T09:00');
    await ward.act(c4.code, '2026-03-12T10:00', { action: 'transfer' });
    await ward.act(c4.code, '2026-03-12T11:00', { action: 'request-supplement', items: ['Bản sao quyết định ly hôn'] });
    await ward.counter('2026-03-30T09:00');
    const c6 = await ward.counter('2026-03-13T09:00');
    await ward.withdraw(c6.code, c6.secret, '2026-03-16T08:00');
    await ward.act(c6.code, '2026-03-16T10:00', { action: 'stop', reason: 'Công dân rút hồ sơ.' });
    // The deadline workflow marks the two left past their appointment overdue.
    await ward.markOverdue(o6.code);
    await ward.markOverdue(c3.code);

    const report = await getKpiReport(
      { kpis: dynamoKpiStore(metered.client, tableName), clock: { now: () => vn('2026-03-31T12:00') }, targets: testWard.targets },
      { from: '2026-03-01', to: '2026-03-31' },
    );

    expect(report.indicators).toEqual({
      onlineShare: { value: 0.4, target: 0.6, met: false, numerator: 4, denominator: 10 },
      fullyOnlineShare: { value: 0.2, target: 0.2, met: true, numerator: 2, denominator: 10 },
      onTimeShare: { value: 0.8, target: 1, met: false, numerator: 4, denominator: 5 },
      eCopyShare: { value: 1, target: 1, met: true, numerator: 5, denominator: 5 },
      satisfiedShare: { value: 0.75, target: 0.85, met: false, numerator: 3, denominator: 4 },
      nationalSatisfaction: { value: 0.55, target: null, met: null, overdueShare: 0.2, complaintShare: 0.25 },
    });
    expect(report.counts).toEqual({
      submitted: 12,
      received: 10,
      notReceived: 1,
      resolved: 5,
      early: 2,
      onTime: 2,
      late: 1,
      returned: 1,
      stopped: 1,
      ratings: 4,
      openOverdue: 2,
    });
    expect(report.counters).toMatchObject({
      submittedOnline: 6,
      submittedFullyOnline: 2,
      receivedCounter: 6,
      receivedPostal: 0,
      resolvedApproved: 4,
      resolvedRefused: 1,
      ratedVerySatisfied: 1,
      ratedSatisfied: 2,
      ratedDissatisfied: 1,
    });
    // The days outside the month count for nothing; a day range inside it counts only its days.
    const firstWeek = await getKpiReport(
      { kpis: dynamoKpiStore(metered.client, tableName), clock: { now: () => vn('2026-03-31T12:00') }, targets: testWard.targets },
      { from: '2026-03-02', to: '2026-03-03' },
    );
    expect(firstWeek.counts).toMatchObject({ submitted: 2, received: 2, resolved: 0 });
  });

  it('reads at most one small item per day and KPI shard, in one Query, for a month of 100 and of 1,000 dossiers', async ({ annotate }) => {
    const tableName = await newTable('kpi-volume');
    const ward = wardOn(metered.client, tableName);
    // A few dossiers through the real transactions, past due and still open at the end of the month...
    for (const day of ['2026-05-04', '2026-05-05', '2026-05-06']) {
      const { code } = await ward.counter(`${day}T09:00`);
      await ward.act(code, `${day}T10:00`, { action: 'transfer' });
      await ward.markOverdue(code);
    }
    const online = await ward.online('2026-05-07T08:00', true);
    await ward.act(online.code, '2026-05-07T09:00', { action: 'receive' });
    await ward.act(online.code, '2026-05-07T10:00', { action: 'transfer' });
    await ward.resolve(online.code, 'onTime');
    // ...and the rest as the KPI Updates those transactions carry.
    await writeDossierCounters(metered.client, tableName, 4, 100);
    const kpis = dynamoKpiStore(metered.client, tableName, { returnConsumedCapacity: 'TOTAL' });
    const now = vn('2026-05-31T23:00');

    const hundred = await metered.measure(() => kpis.sumDays('2026-05-01', '2026-05-31'));
    const started = Date.now();
    await writeDossierCounters(metered.client, tableName, 100, 1000);
    const writeSeconds = (Date.now() - started) / 1000;
    const thousand = await metered.measure(() => kpis.sumDays('2026-05-01', '2026-05-31'));
    const openOverdue = await metered.measure(() => kpis.openOverdueAtEndOf(vietnamDate(now), vietnamDate(now)));

    const figures = (m: { calls: readonly { count: number; capacity: number }[] }) => ({
      requests: m.calls.length,
      items: m.calls.reduce((n, c) => n + c.count, 0),
      rcu: m.calls.reduce((n, c) => n + c.capacity, 0),
    });
    expect(hundred.value.submitted).toBe(100);
    expect(thousand.value.submitted).toBe(1000);
    // The cost is bounded by the days and the shards, not by the dossiers: ten times the dossiers
    // fill at most the shards the hundred left empty.
    const bound = 31 * KPI_SHARDS;
    expect(figures(hundred).requests).toBe(1);
    expect(figures(thousand).requests).toBe(1);
    expect(figures(hundred).items).toBeLessThanOrEqual(bound);
    expect(figures(thousand).items).toBeLessThanOrEqual(bound);
    expect(figures(thousand).items).toBeGreaterThanOrEqual(figures(hundred).items);
    expect(openOverdue.value).toBe(3);
    expect(openOverdue.calls.map((c) => c.command)).toEqual(['QueryCommand']);
    await annotate(
      `report Query: ${JSON.stringify(figures(hundred))} (100) vs ${JSON.stringify(figures(thousand))} (1,000); ` +
        `open overdue (running number): ${JSON.stringify(figures(openOverdue))} for ${openOverdue.value} dossiers; 900 dossiers' counters written in ${writeSeconds.toFixed(1)} s`,
    );
    // 2,700 counter updates and five signed documents: more than the default on a loaded machine.
  }, 120_000);

  it('reads the same units for the KPI report with 100 and with 10,000 open dossiers', async ({ annotate }) => {
    const tableName = await newTable('kpi-open');
    const ward = wardOn(metered.client, tableName);
    /** `count` more open dossiers received at the counter on 1 June (real transactions, a few at once). */
    const open = async (count: number) => {
      const codes: string[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (; next < count; ) {
            next += 1;
            codes.push((await ward.counter('2026-06-01T09:00')).code);
          }
        }),
      );
      return codes;
    };
    const kpis = dynamoKpiStore(metered.client, tableName, { returnConsumedCapacity: 'TOTAL' });
    const report = () =>
      metered.measure(() => getKpiReport({ kpis, clock: { now: () => vn('2026-06-30T12:00') }, targets: testWard.targets }, { from: '2026-06-01', to: '2026-06-29' }));
    const units = (m: { calls: readonly { capacity: number }[] }) => m.calls.reduce((sum, call) => sum + call.capacity, 0);

    const first = await open(100);
    for (const code of first.slice(0, 5)) await ward.markOverdue(code);
    const hundred = await report();
    // 9,900 more open dossiers: copies of the real ones' dossier items under new codes (their index
    // entries included, which a count of the open-dossier index would read), and the counters
    // their intake transactions would have added.
    await copyDossiers(metered.client, tableName, first.slice(5), 9_900);
    await metered.client.send(new UpdateCommand(kpiUpdate(tableName, '2026-06-01', { submitted: 9_900, received: 9_900, receivedCounter: 9_900 })));
    const tenThousand = await report();

    expect(hundred.value.counts.received).toBe(100);
    expect(tenThousand.value.counts.received).toBe(10_000);
    expect(hundred.value.counts.openOverdue).toBe(5);
    expect(tenThousand.value.counts.openOverdue).toBe(5);
    expect(tenThousand.value.national.openOverdueAtEnd).toBe(5);
    // No dossier read: the same requests, and the same units within 10 %.
    expect(tenThousand.calls.map((call) => call.command)).toEqual(hundred.calls.map((call) => call.command));
    expect(units(hundred)).toBeGreaterThan(0);
    expect(Math.abs(units(tenThousand) - units(hundred)) / units(hundred)).toBeLessThanOrEqual(0.1);
    await annotate(
      `KPI report: ${hundred.calls.length} requests, ${units(hundred)} read units at 100 open dossiers; ${tenThousand.calls.length} requests, ${units(tenThousand)} at 10,000`,
    );
  }, 300_000);
});

/**
 * The daily counter Updates of dossiers `from`..`to − 1` (the same `kpiUpdate` the dossier
 * transactions carry), spread over May 2026: submitted on day 1–28, received the same day,
 * resolved two days later (early, on time or late in turn), returned and rated the day after.
 */
async function writeDossierCounters(client: DynamoDBDocumentClient, tableName: string, from: number, to: number): Promise<void> {
  const updates: { day: string; increments: KpiIncrements }[] = [];
  const may = (day: number) => `2026-05-${String(day).padStart(2, '0')}`;
  for (let i = from; i < to; i += 1) {
    const start = (i % 28) + 1;
    const online = i % 3 !== 0;
    const timing = (['resolvedEarly', 'resolvedOnTime', 'resolvedOnTime', 'resolvedLate'] as const)[i % 4] ?? 'resolvedOnTime';
    updates.push(
      { day: may(start), increments: { submitted: 1, submittedOnline: online ? 1 : 0, received: 1, receivedOnline: online ? 1 : 0, receivedCounter: online ? 0 : 1 } },
      { day: may(start + 2), increments: { resolved: 1, resolvedApproved: 1, [timing]: 1, resolvedWithECopy: 1 } },
      { day: may(start + 3), increments: { returned: 1, ratings: 1, [i % 5 === 0 ? 'ratedDissatisfied' : 'ratedSatisfied']: 1 } },
    );
  }
  const CONCURRENCY = 16;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let index = next++; index < updates.length; index = next++) {
        const update = updates[index];
        if (update) await client.send(new UpdateCommand(kpiUpdate(tableName, update.day, update.increments)));
      }
    }),
  );
}
