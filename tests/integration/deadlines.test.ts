import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionLocalWard } from '../../local/provision';
import { localWard } from '../../local/ward-environment';
import { dynamoCatalogStore } from '../../shared/adapters/dynamodb/catalog-store';
import { dynamoDeadlineStore } from '../../shared/adapters/dynamodb/deadline-store';
import { dynamoDossierStore } from '../../shared/adapters/dynamodb/dossier-store';
import { dynamoKpiStore } from '../../shared/adapters/dynamodb/kpi-store';
import { localIdHasher } from '../../shared/adapters/kms/id-hasher';
import { SubmissionSchema } from '../../shared/domain/dossier';
import type { DomainEventType } from '../../shared/domain/events';
import { ForbiddenError, RuleViolationError, ValidationError, VersionConflictError } from '../../shared/domain/errors';
import { toVietnamIso, vietnamDate } from '../../shared/domain/time';
import { checkDeadline, dueTomorrowEventId, type DeadlineWakeUp } from '../../shared/use-cases/deadlines';
import { issueApology } from '../../shared/use-cases/issue-apology';
import type { Clock } from '../../shared/use-cases/ports';
import { testIssuingDeps } from '../support/issuing';
import { createDossier } from '../../shared/use-cases/submit-dossier';
import { supplementDossier } from '../../shared/use-cases/supplement-dossier';
import { transitionDossier, type OfficerIdentity } from '../../shared/use-cases/transition-dossier';
import { useLocalAws } from '../support/local-ward';
import { noUploads } from '../fixtures/attachments';

/**
 * The deadline task and the apology letter through the real use cases on DynamoDB Local, with a
 * controlled clock: what only a real engine shows (conditional writes, transactions, races).
 */
const aws = useLocalAws();
const tableName = `deadlines-${randomUUID().slice(0, 8)}`;
const raw = new DynamoDBClient(aws.dynamodbClientConfig);
const documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
// The local ward: the first configured, taking dossiers although its agency code is unconfirmed.
const ward = localWard(undefined);

let instant = new Date();
const clock: Clock = { now: () => instant };
const at = (iso: string) => {
  instant = new Date(iso);
};

const noFiles = noUploads;
const dossiers = dynamoDossierStore(documents, tableName, ward.slug);
const deadlineDeps = { dossiers, events: dynamoDeadlineStore(documents, tableName), clock, officeHours: ward.officeHours };
const reception: OfficerIdentity = { id: 'officer-1', name: 'Lê Thị Tiếp Nhận', roles: ['reception'] };
const specialist: OfficerIdentity = { id: 'officer-2', name: 'Phạm Văn Chuyên', roles: ['specialist'] };
const leader: OfficerIdentity = { id: 'officer-3', name: 'Trần Văn Lãnh Đạo', roles: ['leader'] };
const transitions = { ...testIssuingDeps(ward, clock), dossiers, catalog: dynamoCatalogStore(documents, tableName) };

beforeAll(async () => {
  await provisionLocalWard({ ...aws, tableName, uploadsBucket: `deadlines-uploads-${randomUUID().slice(0, 8)}` });
});
afterAll(() => raw.destroy());

/**
 * A counter dossier of a 3-working-day procedure received on Monday 2/3/2026 at 09:00: its
 * appointment is Thursday 5/3/2026 at 17:00, clock generation 1.
 */
async function receivedDossier() {
  at('2026-03-02T09:00:00+07:00');
  const submission = SubmissionSchema.parse({
    procedureCode: '1.004873',
    applicant: { fullName: 'Đỗ Văn Minh', idNumber: '001085012345', phone: '0987654321' },
    formData: { purpose: 'Đăng ký kết hôn', maritalStatus: 'Chưa kết hôn' },
  });
  const { dossier, secret } = await createDossier({ dossiers, attachments: noFiles, idHasher: localIdHasher('x'.repeat(32)), clock, ward }, submission, randomUUID(), {
    channel: 'COUNTER',
    officer: reception,
    documentsReceived: ['to-khai-xac-nhan-tthn'],
  });
  return { code: dossier.code, secret };
}

const wakeUp = (code: string, step: DeadlineWakeUp['step'], generation = 1): DeadlineWakeUp => ({ step, dossierCode: code, generation });

/** The outbox events of one dossier (a Scan of this file's own small table: tests only). */
async function outboxEvents(code: string, type: DomainEventType): Promise<Record<string, unknown>[]> {
  const result = await documents.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: 'begins_with(PK, :outbox) AND dossierCode = :code AND #type = :type',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':outbox': 'OUTBOX#', ':code': code, ':type': type },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

async function history(code: string) {
  const found = await dossiers.getDossierWithHistory(code);
  if (!found) throw new Error(`no dossier ${code}`);
  return found;
}

describe('the check-deadline task', () => {
  it('writes the due-tomorrow event once per generation, whatever the number of wake-ups, and leaves the dossier as it is', async () => {
    const { code } = await receivedDossier();
    const before = await history(code);
    at('2026-03-04T17:00:00+07:00');

    const outcomes = [await checkDeadline(deadlineDeps, wakeUp(code, 'DUE_TOMORROW')), await checkDeadline(deadlineDeps, wakeUp(code, 'DUE_TOMORROW'))];

    expect(outcomes).toEqual([{ outcome: 'ALERTED' }, { outcome: 'ALREADY_ALERTED' }]);
    const events = await outboxEvents(code, 'DOSSIER_DUE_TOMORROW');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      PK: `OUTBOX#${dueTomorrowEventId(code, 1)}`,
      data: { appointmentAt: '2026-03-05T10:00:00.000Z', clockGeneration: 1, phone: '+84987654321' },
    });
    expect(await history(code)).toEqual(before);
  });

  it('marks the dossier overdue once when the overdue wake-up runs twice: one history event, one outbox event', async () => {
    const { code } = await receivedDossier();
    at('2026-03-05T17:00:00+07:00');

    const first = await checkDeadline(deadlineDeps, wakeUp(code, 'OVERDUE'));
    const second = await checkDeadline(deadlineDeps, wakeUp(code, 'OVERDUE'));

    expect([first, second]).toEqual([{ outcome: 'MARKED_OVERDUE' }, { outcome: 'SKIPPED', reason: 'ALREADY_OVERDUE' }]);
    const { dossier, history: events } = await history(code);
    expect(dossier).toMatchObject({ overdue: true, status: 'RECEIVED', version: 2 });
    expect(events.filter((event) => event.action === 'mark-overdue')).toEqual([
      expect.objectContaining({ sequence: 2, actor: { role: 'system' }, from: 'RECEIVED', to: 'RECEIVED' }),
    ]);
    expect(await outboxEvents(code, 'DOSSIER_OVERDUE')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ appointmentAt: '2026-03-05T10:00:00.000Z', clockGeneration: 1 }) as unknown }),
    ]);
  });

  it('marks the dossier overdue once when eight overdue wake-ups run at the same time', async () => {
    const { code } = await receivedDossier();
    at('2026-03-05T17:00:00+07:00');

    const outcomes = await Promise.all(Array.from({ length: 8 }, () => checkDeadline(deadlineDeps, wakeUp(code, 'OVERDUE'))));

    expect(outcomes.filter((outcome) => outcome.outcome === 'MARKED_OVERDUE')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.outcome !== 'MARKED_OVERDUE')).toEqual(Array(7).fill({ outcome: 'SKIPPED', reason: 'ALREADY_OVERDUE' }));
    const { dossier, history: events } = await history(code);
    expect(dossier.version).toBe(2);
    expect(events.filter((event) => event.action === 'mark-overdue')).toHaveLength(1);
    expect(await outboxEvents(code, 'DOSSIER_OVERDUE')).toHaveLength(1);
  });

  it('writes the due-tomorrow event once when wake-ups race each other and an officer', async () => {
    const { code } = await receivedDossier();
    at('2026-03-04T17:00:00+07:00');

    const [officer, ...alerts] = await Promise.allSettled([
      transitionDossier(transitions, { code, officer: reception, input: { action: 'transfer' } }),
      ...Array.from({ length: 4 }, () => checkDeadline(deadlineDeps, wakeUp(code, 'DUE_TOMORROW'))),
    ]);

    expect(officer.status).toBe('fulfilled');
    expect(alerts.every((alert) => alert.status === 'fulfilled')).toBe(true);
    expect(await outboxEvents(code, 'DOSSIER_DUE_TOMORROW')).toHaveLength(1);
  });

  it("changes nothing on a wake-up of an old generation, nor while the clock waits for the citizen's supplement", async () => {
    const { code, secret } = await receivedDossier();
    await transitionDossier(transitions, { code, officer: reception, input: { action: 'transfer' } });
    at('2026-03-03T10:00:00+07:00');
    await transitionDossier(transitions, { code, officer: specialist, input: { action: 'request-supplement', items: ['Giấy xác nhận cư trú'] } });
    at('2026-03-05T17:00:00+07:00');
    const waiting = await history(code);

    const whileWaiting = await checkDeadline(deadlineDeps, wakeUp(code, 'OVERDUE', 1));
    at('2026-03-06T09:00:00+07:00');
    const supplemented = await supplementDossier({ dossiers, catalog: dynamoCatalogStore(documents, tableName), attachments: noFiles, clock, ward }, code, secret, {
      attachments: [],
      note: 'Đã bổ sung',
    });
    const restarted = await history(code);
    at('2026-03-12T09:00:00+07:00');
    const lateOldWakeUps = [await checkDeadline(deadlineDeps, wakeUp(code, 'DUE_TOMORROW', 1)), await checkDeadline(deadlineDeps, wakeUp(code, 'OVERDUE', 1))];

    expect(whileWaiting).toEqual({ outcome: 'SKIPPED', reason: 'CLOCK_STOPPED' });
    expect(supplemented.clockGeneration).toBe(2);
    expect(lateOldWakeUps).toEqual([
      { outcome: 'SKIPPED', reason: 'OTHER_GENERATION' },
      { outcome: 'SKIPPED', reason: 'OTHER_GENERATION' },
    ]);
    expect(await history(code)).toEqual(restarted);
    expect(restarted.history).toHaveLength(waiting.history.length + 1);
    expect(await outboxEvents(code, 'DOSSIER_OVERDUE')).toEqual([]);
    expect(await outboxEvents(code, 'DOSSIER_DUE_TOMORROW')).toEqual([]);
  });
});

describe('the apology letter', () => {
  /** A dossier the workflow marked overdue at its appointment, Thursday 5/3/2026 17:00. */
  async function overdueDossier() {
    const dossier = await receivedDossier();
    at('2026-03-05T17:00:00+07:00');
    await checkDeadline(deadlineDeps, wakeUp(dossier.code, 'OVERDUE'));
    at('2026-03-06T09:30:00+07:00');
    return dossier;
  }
  const apology = { reason: 'Hồ sơ cần xác minh thêm tại nơi cư trú trước đây.', newAppointmentAt: '2026-03-10T09:00:00+07:00' };

  it('may come before the due date: the new appointment is in force, the first one stays for the statistics', async () => {
    const { code } = await receivedDossier();

    const after = await issueApology(transitions, { code, officer: leader, input: apology });

    expect(after).toMatchObject({ overdue: false, clockGeneration: 2, status: 'RECEIVED' });
    expect(after.appointmentAt && toVietnamIso(after.appointmentAt)).toBe('2026-03-10T17:00:00+07:00');
    expect(after.firstAppointmentAt && toVietnamIso(after.firstAppointmentAt)).toBe('2026-03-05T17:00:00+07:00');
    expect(after.apology).toMatchObject({ previousAppointmentAt: new Date('2026-03-05T10:00:00Z') });
    await expect(issueApology(transitions, { code, officer: leader, input: apology })).rejects.toMatchObject({ code: 'APOLOGY_ALREADY_ISSUED', status: 409 });
  });

  it('sets the new appointment at the close of the chosen day with a new clock generation; the dossier stays overdue and late', async () => {
    const { code } = await overdueDossier();

    const after = await issueApology(transitions, { code, officer: leader, input: apology });

    expect(after).toMatchObject({ overdue: true, clockGeneration: 2, status: 'RECEIVED', version: 3 });
    expect(after.appointmentAt && toVietnamIso(after.appointmentAt)).toBe('2026-03-10T17:00:00+07:00');
    expect(after.firstAppointmentAt && toVietnamIso(after.firstAppointmentAt)).toBe('2026-03-05T17:00:00+07:00');
    expect(after.apology).toMatchObject({ reason: apology.reason, issuedBy: leader.name, previousAppointmentAt: new Date('2026-03-05T10:00:00Z') });
    const { history: events } = await history(code);
    expect(events.at(-1)).toMatchObject({ action: 'apologize', from: 'RECEIVED', to: 'RECEIVED', note: apology.reason, actor: { role: 'leader', id: leader.id } });
    expect(await outboxEvents(code, 'APPOINTMENT_RESCHEDULED')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          appointmentAt: '2026-03-10T10:00:00.000Z',
          previousAppointmentAt: '2026-03-05T10:00:00.000Z',
          clockGeneration: 2,
          worksOnHolidays: false,
          reason: apology.reason,
        }) as unknown,
      }),
    ]);
  });

  it('is issued once per dossier', async () => {
    const { code } = await overdueDossier();
    await issueApology(transitions, { code, officer: leader, input: apology });

    await expect(issueApology(transitions, { code, officer: leader, input: apology })).rejects.toMatchObject({
      code: 'APOLOGY_ALREADY_ISSUED',
      status: 409,
    });
  });

  it('is issued once when two leaders sign at the same time', async () => {
    const { code } = await overdueDossier();

    const outcomes = await Promise.allSettled([0, 1].map(() => issueApology(transitions, { code, officer: leader, input: apology })));

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refusal = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(refusal?.status === 'rejected' && (refusal.reason instanceof VersionConflictError || refusal.reason instanceof RuleViolationError)).toBe(true);
    expect((await history(code)).history.filter((event) => event.action === 'apologize')).toHaveLength(1);
  });

  it.each([
    ['a Sunday', '2026-03-08T10:00:00+07:00'],
    ['a day already past', '2026-03-05T10:00:00+07:00'],
  ])('refuses a new appointment on %s', async (_, newAppointmentAt) => {
    const { code } = await overdueDossier();

    const refusal = issueApology(transitions, { code, officer: leader, input: { ...apology, newAppointmentAt } });

    await expect(refusal).rejects.toBeInstanceOf(ValidationError);
    await expect(refusal).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'body.newAppointmentAt' })] });
  });

  it('is refused to an officer who is not a leader', async () => {
    const { code } = await overdueDossier();

    await expect(issueApology(transitions, { code, officer: specialist, input: apology })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('starts a clock that warns again but never marks the dossier overdue twice, and the dossier resolves late in the KPIs', async () => {
    const { code } = await overdueDossier();
    await issueApology(transitions, { code, officer: leader, input: apology });

    at('2026-03-09T17:00:00+07:00');
    const warned = await checkDeadline(deadlineDeps, wakeUp(code, 'DUE_TOMORROW', 2));
    at('2026-03-10T17:00:00+07:00');
    const missedAgain = await checkDeadline(deadlineDeps, wakeUp(code, 'OVERDUE', 2));
    at('2026-03-10T16:00:00+07:00');
    const kpis = dynamoKpiStore(documents, tableName);
    const lateBefore = (await kpis.sumDays(vietnamDate(instant), vietnamDate(instant))).resolvedLate;
    await transitionDossier(transitions, { code, officer: reception, input: { action: 'transfer' } });
    await transitionDossier(transitions, {
      code,
      officer: leader,
      input: { action: 'approve', result: { title: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN', content: 'Xác nhận.' } },
    });

    expect(warned).toEqual({ outcome: 'ALERTED' });
    expect(missedAgain).toEqual({ outcome: 'SKIPPED', reason: 'ALREADY_OVERDUE' });
    expect((await outboxEvents(code, 'DOSSIER_DUE_TOMORROW')).map((event) => event.PK)).toEqual([`OUTBOX#${dueTomorrowEventId(code, 2)}`]);
    expect(await outboxEvents(code, 'DOSSIER_OVERDUE')).toHaveLength(1);
    // Resolved before the apology's new date, yet late: it went overdue.
    const after = await kpis.sumDays(vietnamDate(instant), vietnamDate(instant));
    expect(after.resolvedLate - lateBefore).toBe(1);
    expect(await dossiers.getDossier(code)).toMatchObject({ status: 'RESOLVED', overdue: true });
  });
});
