import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restartOpenClocks } from '../../local/deadline-runner';
import { deadlineExecutionName } from '../../shared/adapters/sfn/deadline-scheduler';
import { addWorkingDays } from '../../shared/domain/calendar';
import { vietnamDate } from '../../shared/domain/time';
import { officerToken, startLocalWard, type LocalWard } from '../support/local-ward';
import { call, MARITAL_STATUS_CODE, newIdempotencyKey } from './citizen-client';

/**
 * Deadlines end to end, over HTTP against the local ward: the stream consumers (notifier,
 * deadline starter) on DynamoDB Local's stream, and the deployed deadline state machine run by the
 * local interpreter with the real check-deadline handler, its clock sped up so that days pass in
 * about a second. The dossiers get their appointments from the real clock (whatever day the test
 * runs on), so the test waits for outcomes rather than for fixed times.
 */

/** 200 000 times faster: a day in 0.43 s. A 3-working-day appointment comes in about 1–3 s, a 15-day one's reminder after 8 s or more. */
const CLOCK_SPEEDUP = 200_000;
/** Enough for the longest wait above, Tết included. */
const PATIENCE_MS = 20_000;

let ward: LocalWard;
const tokens = { reception: '', specialist: '', leader: '' };
type Role = keyof typeof tokens;

beforeAll(async () => {
  ward = await startLocalWard({ streams: true, deadlines: true, clockSpeedup: CLOCK_SPEEDUP });
  tokens.reception = await officerToken({ roles: ['reception'], name: 'Lê Thị Tiếp Nhận' });
  tokens.specialist = await officerToken({ roles: ['specialist'], name: 'Phạm Văn Chuyên' });
  tokens.leader = await officerToken({ roles: ['leader'], name: 'Trần Văn Nam' });
});

afterAll(async () => {
  await ward.stop();
});

interface Receipt {
  readonly code: string;
  readonly secret: string;
  readonly receipt: { readonly appointmentAt: string };
}

/** A counter dossier, received at once. Each dossier has its own phone, so that SMS quotas never interfere. */
async function counterDossier(kind: 'marital-status' | 'building-permit', phone: string): Promise<Receipt> {
  const applicant = { fullName: 'Nguyễn Thị Hoa', idNumber: '001190012345', phone };
  const body =
    kind === 'marital-status'
      ? { procedureCode: MARITAL_STATUS_CODE, applicant, formData: { purpose: 'Đăng ký kết hôn', maritalStatus: 'Chưa kết hôn' }, documentsReceived: ['to-khai-xac-nhan-tthn'] }
      : {
          procedureCode: '1.013225',
          applicant,
          formData: { constructionAddress: 'Số 5 ngõ 12 phố Lò Đúc', landParcelNumber: '125', mapSheetNumber: '18', floorCount: 4, groundFloorArea: 60, totalFloorArea: 240 },
          documentsReceived: ['don-de-nghi-cap-gpxd', 'giay-to-quyen-su-dung-dat', 'ban-ve-thiet-ke'],
        };
  const response = await call<Receipt>(ward.baseUrl, 'POST', '/officer/dossiers', {
    body,
    headers: { Authorization: `Bearer ${tokens.reception}`, 'Idempotency-Key': newIdempotencyKey() },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

const ACTIONS: Readonly<Record<string, Record<string, unknown>>> = {
  transfer: {},
  'request-supplement': { items: ['Bản sao giấy xác nhận cư trú'] },
  approve: { result: { title: 'GIẤY XÁC NHẬN', content: 'Ủy ban nhân dân phường xác nhận.' } },
};

async function act(code: string, action: keyof typeof ACTIONS, role: Role): Promise<void> {
  const response = await call(ward.baseUrl, 'POST', `/officer/dossiers/${code}/transitions`, {
    body: { action, ...ACTIONS[action] },
    headers: { Authorization: `Bearer ${tokens[role]}` },
  });
  expect(response.status, `${action}: ${JSON.stringify(response.body)}`).toBe(200);
}

type Status = { status: string; overdue: boolean; appointmentAt: string | null };
const publicStatus = async (code: string): Promise<Status> => (await call<Status>(ward.baseUrl, 'GET', `/dossiers/${code}/status`)).body;

type OfficerView = Status & { firstAppointmentAt: string | null; history: { action: string; from: string | null; to: string }[] };
const officerView = async (code: string): Promise<OfficerView> =>
  (await call<OfficerView>(ward.baseUrl, 'GET', `/officer/dossiers/${code}`, { headers: { Authorization: `Bearer ${tokens.leader}` } })).body;

/** The notifier's messages about one dossier, as `kind eventType` (e.g. `ALERT DOSSIER_OVERDUE`). */
async function messagesAbout(code: string): Promise<string[]> {
  return (await ward.notifications()).flatMap((message) =>
    message.kind === 'DIGEST'
      ? message.alerts.filter((alert) => alert.dossierCode === code).map((alert) => `ALERT ${alert.eventType}`)
      : message.dossierCode === code
        ? [`${message.kind} ${message.eventType}`]
        : [],
  );
}

const deadlines = () => {
  if (!ward.deadlines) throw new Error('the local ward runs no deadline state machine');
  return ward.deadlines;
};
const execution = (code: string, generation: number) => deadlines().execution(deadlineExecutionName(code, generation));

/** Polls `probe` until it returns something other than undefined. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = PATIENCE_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`still waiting for ${what} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

describe('deadlines, with the clock sped up', () => {
  let late: Receipt;
  let supplemented: Receipt;

  it('a received dossier left alone is announced due the day before, then marked overdue at its appointment', async () => {
    late = await counterDossier('marital-status', '0912000001');

    const ended = await eventually('the end of the execution', () => {
      const found = execution(late.code, 1);
      return found?.status === 'RUNNING' ? undefined : found;
    });
    await ward.drainStreams();

    expect(await publicStatus(late.code)).toMatchObject({ status: 'RECEIVED', overdue: true, appointmentAt: late.receipt.appointmentAt });
    expect(ended.status).toBe('SUCCEEDED');
    expect(ended.taskCalls.map((call) => [call.state, call.result])).toEqual([
      ['CheckDueTomorrow', { outcome: 'ALERTED' }],
      ['CheckOverdue', { outcome: 'MARKED_OVERDUE' }],
    ]);
    expect((await officerView(late.code)).history.filter((event) => event.action === 'mark-overdue')).toEqual([expect.objectContaining({ from: 'RECEIVED', to: 'RECEIVED' })]);
    // Officers are alerted the day before and at the appointment (in the digest); the citizen
    // gets the apology SMS: each exactly once.
    expect(await ward.sendAlertDigest()).toMatchObject({ outcome: 'SENT' });
    const messages = await messagesAbout(late.code);
    const count = (message: string) => messages.filter((m) => m === message).length;
    expect([count('ALERT DOSSIER_DUE_TOMORROW'), count('ALERT DOSSIER_OVERDUE'), count('SMS DOSSIER_OVERDUE')]).toEqual([1, 1, 1]);
  });

  it('a dossier resolved in time gets neither the due-tomorrow alert nor the overdue mark: its execution is stopped', async () => {
    const onTime = await counterDossier('building-permit', '0912000002');
    await eventually('the execution', () => execution(onTime.code, 1));

    await act(onTime.code, 'transfer', 'reception');
    await act(onTime.code, 'approve', 'leader');

    const stopped = await eventually('the stop', () => {
      const found = execution(onTime.code, 1);
      return found?.status === 'RUNNING' ? undefined : found;
    });
    expect(stopped).toMatchObject({ status: 'ABORTED', taskCalls: [] });
    expect(await publicStatus(onTime.code)).toMatchObject({ status: 'RESOLVED', overdue: false });
    expect(await messagesAbout(onTime.code)).not.toEqual(expect.arrayContaining([expect.stringMatching(/DUE_TOMORROW|OVERDUE/) as unknown]));
  });

  it('a supplement stops the clock and restarts it with a new appointment: only the newest generation acts', async () => {
    const dossier = await counterDossier('marital-status', '0912000003');
    supplemented = dossier;
    await act(dossier.code, 'transfer', 'reception');
    await act(dossier.code, 'request-supplement', 'specialist');
    const firstStopped = await eventually('the first clock to stop', () => {
      const found = execution(dossier.code, 1);
      return found?.status === 'ABORTED' ? found : undefined;
    });

    const completed = await call(ward.baseUrl, 'POST', `/dossiers/${dossier.code}/supplement`, {
      body: { note: 'Đã bổ sung giấy xác nhận cư trú' },
      headers: { 'X-Dossier-Secret': dossier.secret },
    });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    const newClock = await eventually('the end of the new clock', () => {
      const found = execution(dossier.code, 2);
      return found === undefined || found.status === 'RUNNING' ? undefined : found;
    });
    const marked = await publicStatus(dossier.code);

    expect(marked.overdue).toBe(true);
    expect(firstStopped.taskCalls.filter((call) => call.state === 'CheckOverdue')).toEqual([]);
    expect(newClock.taskCalls.map((call) => [call.state, call.result])).toEqual([
      ['CheckDueTomorrow', { outcome: 'ALERTED' }],
      ['CheckOverdue', { outcome: 'MARKED_OVERDUE' }],
    ]);
    const view = await officerView(dossier.code);
    expect(view.appointmentAt).toBe(marked.appointmentAt);
    expect(view.history.map((event) => event.action)).toEqual(['create-at-counter', 'transfer', 'request-supplement', 'supplement', 'mark-overdue']);
  });

  it("the leader's apology sets a new appointment and a new clock; the dossier still counts as late", async () => {
    const today = vietnamDate(new Date());
    // Overdue on the sped-up clock only: on the real one its appointment is still ahead, and the new one must follow it.
    const newDay = addWorkingDays(vietnamDate(new Date(late.receipt.appointmentAt)), 2, { worksOnHolidays: false });

    const apology = await call<{ overdue: boolean; clockGeneration: number; appointmentAt: string; firstAppointmentAt: string; apology: { newAppointmentAt: string } }>(
      ward.baseUrl,
      'POST',
      `/officer/dossiers/${late.code}/apology`,
      {
        body: { reason: 'Cần xác minh thêm thông tin cư trú tại nơi ở trước đây.', newAppointmentAt: `${newDay}T09:00:00+07:00` },
        headers: { Authorization: `Bearer ${tokens.leader}` },
      },
    );
    const byReception = await call<{ code: string }>(ward.baseUrl, 'POST', `/officer/dossiers/${late.code}/apology`, {
      body: { reason: 'Không phải lãnh đạo.', newAppointmentAt: `${newDay}T09:00:00+07:00` },
      headers: { Authorization: `Bearer ${tokens.reception}` },
    });
    const again = await call<{ code: string }>(ward.baseUrl, 'POST', `/officer/dossiers/${late.code}/apology`, {
      body: { reason: 'Lần thứ hai.', newAppointmentAt: `${newDay}T09:00:00+07:00` },
      headers: { Authorization: `Bearer ${tokens.leader}` },
    });
    expect(apology.status, JSON.stringify(apology.body)).toBe(200);
    const newClock = await eventually('the new clock', () => execution(late.code, 2));
    await ward.drainStreams();
    await act(late.code, 'transfer', 'reception');
    await act(late.code, 'approve', 'leader');
    const kpis = await call<{ counts: { resolved: number; late: number; early: number; onTime: number } }>(ward.baseUrl, 'GET', `/officer/kpis?from=${today}&to=${today}`, {
      headers: { Authorization: `Bearer ${tokens.leader}` },
    });

    expect(apology.body).toMatchObject({
      overdue: true,
      clockGeneration: 2,
      appointmentAt: `${newDay}T17:00:00+07:00`,
      firstAppointmentAt: late.receipt.appointmentAt,
      apology: { newAppointmentAt: `${newDay}T17:00:00+07:00` },
    });
    expect(byReception.status).toBe(403);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'APOLOGY_ALREADY_ISSUED' });
    expect(JSON.parse(newClock.input)).toMatchObject({ generation: 2, appointmentAt: new Date(`${newDay}T17:00:00+07:00`).toISOString().replace('.000Z', 'Z') });
    expect(await messagesAbout(late.code)).toContain('SMS APPOINTMENT_RESCHEDULED');
    expect(await publicStatus(late.code)).toMatchObject({ status: 'RESOLVED', overdue: true });
    // Resolved today: the dossier resolved in time above on time (or early), this one late.
    expect(kpis.status).toBe(200);
    expect(kpis.body.counts).toMatchObject({ resolved: 2, late: 1 });
    expect(kpis.body.counts.early + kpis.body.counts.onTime).toBe(1);
  });

  it('starts the clocks of the open dossiers again when the local ward restarts (executions live in memory)', async () => {
    const started: { name: string; input: Record<string, unknown> }[] = [];
    const freshRunner = {
      start: (name: string, input: string) => {
        started.push({ name, input: JSON.parse(input) as Record<string, unknown> });
        return { name, executionArn: `arn:${name}`, input, startDate: new Date(), status: 'RUNNING' as const, taskCalls: [] };
      },
    };

    const count = await restartOpenClocks(freshRunner, ward.ward, { ...ward.aws, tableName: ward.tableName });

    // Of the dossiers above only the supplemented one is still open: its second clock starts again.
    const view = await officerView(supplemented.code);
    expect(count).toBe(1);
    expect(started).toEqual([
      {
        name: deadlineExecutionName(supplemented.code, 2),
        input: expect.objectContaining({
          dossierCode: supplemented.code,
          generation: 2,
          appointmentAt: new Date(view.appointmentAt ?? '').toISOString().replace('.000Z', 'Z'),
        }) as unknown,
      },
    ]);
  });
});
