import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as LambdaAttributeValue, Context, DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localSqsClientConfig } from '../../local/local-aws';
import { startStreamPoller, type StreamBatchHandler } from '../../local/stream-poller';
import { eventFromOutboxItem, outboxItem } from '../../shared/adapters/dynamodb/items';
import { dynamoDeliveryLedger, dynamoSmsQuotaStore, notificationKeys } from '../../shared/adapters/dynamodb/sms-quota';
import { localNotificationOutbox, type LocalNotification } from '../../shared/adapters/local/notification-outbox';
import { sqsNotificationRetryQueue } from '../../shared/adapters/sqs/notification-retry-queue';
import type { DomainEvent } from '../../shared/domain/events';
import { citizenSms, notificationFacts, officerAlert } from '../../shared/domain/notifications';
import { WardConfigSchema, type WardConfig } from '../../shared/domain/ward-config';
import { STREAM_CONSUMERS } from '../../shared/runtime/consumers';
import { FIRST_RETRY_DELAY_SECONDS, notifyOrRetryLater } from '../../shared/use-cases/notification-retries';
import { notify, type DeliveryOutcome, type NotificationSender, type NotifyDeps } from '../../shared/use-cases/notify';
import { call, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile } from '../e2e/citizen-client';
import { officerToken, startLocalWard, type LocalWard } from '../support/local-ward';
import { sampleEvent } from '../fixtures/events';

/**
 * The notifier on DynamoDB Local: the outbox events that real requests write reach it through
 * the table's stream (local mode's poller, with the very filter the stack deploys), and SMS and
 * alerts land in the local outbox file. Claims, quotas and concurrency are only real here.
 */
let ward: LocalWard;
let documents: DynamoDBDocumentClient;
const tokens = { reception: '', specialist: '', leader: '' };

/** What the Notifier's event source mapping calls: the real module, or a notifier whose SNS fails on demand. */
let notifierHandler: StreamBatchHandler;
let realHandler: StreamBatchHandler;
/** SNS calls that will fail before it recovers. */
let snsFailuresLeft = 0;
let snsCalls = 0;

beforeAll(async () => {
  ward = await startLocalWard({ streams: { consumers: ['Notifier'], handlers: { Notifier: (event, context) => notifierHandler(event, context) } } });
  // The failures this file provokes on purpose would each log an error (handlers read this when first imported, below).
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  documents = DynamoDBDocumentClient.from(new DynamoDBClient(ward.aws.dynamodbClientConfig), { marshallOptions: { removeUndefinedValues: true } });
  ({ handler: realHandler } = await import('../../functions/events/notify'));
  tokens.reception = await officerToken({ roles: ['reception'], name: 'Lê Thị Tiếp Nhận' });
  tokens.specialist = await officerToken({ roles: ['specialist'], name: 'Phạm Văn Chuyên' });
  tokens.leader = await officerToken({ roles: ['leader'], name: 'Trần Văn Nam' });
});

afterAll(async () => {
  documents.destroy();
  await ward.stop();
});

beforeEach(async () => {
  // What an earlier case left in the stream is delivered before this one changes the handler.
  await ward.drainStreams();
  notifierHandler = realHandler;
  snsFailuresLeft = 0;
  snsCalls = 0;
});

// ---------------------------------------------------------------------------------------------
// Prepare
// ---------------------------------------------------------------------------------------------

const tableName = () => ward.tableName;
const NOTIFIER = STREAM_CONSUMERS.find((consumer) => consumer.id === 'Notifier') ?? expect.fail('no Notifier in STREAM_CONSUMERS');

/** The notifier's dependencies on this ward's table, with the local outbox behind a switchable SNS outage. */
function notifierDeps(overrides: Partial<NotifyDeps> = {}): NotifyDeps {
  const outbox = localNotificationOutbox(ward.env.NOTIFICATIONS_OUTBOX_FILE ?? '');
  const flaky = async <T>(send: () => Promise<T>): Promise<T> => {
    snsCalls += 1;
    if (snsFailuresLeft > 0) {
      snsFailuresLeft -= 1;
      throw Object.assign(new Error('Service Unavailable'), { name: 'InternalErrorException', $fault: 'server' });
    }
    return send();
  };
  // Alerts never reach SNS from the notifier (in the stack they wait for the officers' digest): only the SMS is behind the outage.
  const sender: NotificationSender = { sendSms: (sms) => flaky(() => outbox.sendSms(sms)), sendAlert: (alert) => outbox.sendAlert(alert) };
  return {
    ward: ward.ward,
    publicBaseUrl: ward.baseUrl,
    ledger: dynamoDeliveryLedger(documents, tableName()),
    quota: dynamoSmsQuotaStore(documents, tableName()),
    sender,
    now: () => new Date(),
    ...overrides,
  };
}

/** The Notifier handler built like functions/events/notify.ts (failures to the local retry queue), on the switchable SNS. */
async function flakyNotifierHandler(): Promise<StreamBatchHandler> {
  const { streamHandler } = await import('../../shared/runtime/stream');
  const deps = notifierDeps();
  const retries = sqsNotificationRetryQueue(new SQSClient(localSqsClientConfig(ward.notificationRetries.sqsEndpoint)), ward.notificationRetries.retryQueueUrl);
  return streamHandler('Notifier', async (event, context) => {
    await notifyOrRetryLater(event, deps, { deadline: new Date(Date.now() + context.getRemainingTimeInMillis()) }, retries);
  });
}

/** Submits a dossier online, each from a phone of its own (so that no daily cap interferes). */
async function submitOnline(): Promise<string> {
  // An upload belongs to one dossier: a fresh one each.
  const submission = maritalStatusSubmission(await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF }), { fullyOnline: false });
  const phone = `09${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const response = await call<{ code: string; secret: string }>(ward.baseUrl, 'POST', '/dossiers', {
    body: { ...submission, applicant: { ...submission.applicant, phone } },
    headers: { 'Idempotency-Key': newIdempotencyKey() },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  secrets.set(response.body.code, response.body.secret);
  phones.set(response.body.code, `+84${phone.slice(1)}`);
  return response.body.code;
}

const secrets = new Map<string, string>();
const phones = new Map<string, string>();

/** A dossier still SUBMITTED is stopped at once. */
async function withdrawAsCitizen(code: string): Promise<void> {
  const response = await call(ward.baseUrl, 'POST', `/dossiers/${code}/withdraw`, {
    body: { reason: 'Không còn nhu cầu' },
    headers: { 'X-Dossier-Secret': secrets.get(code) ?? '' },
  });
  expect(response.body, JSON.stringify(response.body)).toMatchObject({ status: 'STOPPED' });
}

async function completeAsCitizen(code: string): Promise<void> {
  const response = await call(ward.baseUrl, 'POST', `/dossiers/${code}/supplement`, { body: { note: 'Đã ký tờ khai' }, headers: { 'X-Dossier-Secret': secrets.get(code) ?? '' } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

const ACTION_BODIES: Readonly<Record<string, Record<string, unknown>>> = {
  receive: {},
  'refuse-intake': { reason: 'Tờ khai không có chữ ký của người yêu cầu.' },
  'request-completion': { items: ['Tờ khai có chữ ký của người yêu cầu'] },
  transfer: {},
  'request-supplement': { items: ['Bản sao giấy xác nhận cư trú'] },
  'request-payment': { amountVnd: 3000 },
  'record-payment': { receiptNumber: 'BL-2026-000123' },
  refuse: { reason: 'Người yêu cầu đang có đăng ký kết hôn chưa chấm dứt.' },
};

async function act(code: string, action: string, role: keyof typeof tokens): Promise<void> {
  const response = await call(ward.baseUrl, 'POST', `/officer/dossiers/${code}/transitions`, {
    body: { action, ...ACTION_BODIES[action] },
    headers: { Authorization: `Bearer ${tokens[role]}` },
  });
  expect(response.status, `${action}: ${JSON.stringify(response.body)}`).toBe(200);
}

/** The outbox events of some dossiers, oldest first (a test may scan; the functions never do). */
async function outboxEvents(codes: readonly string[]): Promise<DomainEvent[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: tableName(), FilterExpression: 'begins_with(PK, :outbox)', ExpressionAttributeValues: { ':outbox': 'OUTBOX#' }, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items
    .filter((item) => codes.includes(String(item.dossierCode)))
    .map((item) => eventFromOutboxItem(item))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

const smsOf = async (eventIds: readonly string[]) => (await ward.notifications()).filter(isSms).filter((n) => eventIds.includes(n.eventId));
const alertsOf = async (eventIds: readonly string[]) => (await ward.notifications()).filter((n) => n.kind === 'ALERT' && eventIds.includes(n.eventId));

/** A Lambda stream record of an outbox event, as the stream (and local mode's poller) delivers it. */
function streamRecord(event: DomainEvent, sequenceNumber: string): DynamoDBRecord {
  const image = marshall(outboxItem(event)) as Record<string, LambdaAttributeValue>;
  return { eventID: randomUUID(), eventName: 'INSERT', eventSource: 'aws:dynamodb', dynamodb: { NewImage: image, SequenceNumber: sequenceNumber } };
}

type SentSms = Extract<LocalNotification, { kind: 'SMS' }>;
const isSms = (notification: LocalNotification): notification is SentSms => notification.kind === 'SMS';

const context = { getRemainingTimeInMillis: () => 30_000, awsRequestId: 'integration', functionName: 'Notifier' } as unknown as Context;

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

describe('the notifier on the stream', () => {
  it('sends each lifecycle event exactly one SMS to the applicant, with its text, even when the stream delivers the events twice', async () => {
    const approvedOne = await submitOnline();
    for (const [action, role] of [
      ['receive', 'reception'],
      ['transfer', 'reception'],
      ['request-payment', 'specialist'],
      ['record-payment', 'reception'],
      ['refuse', 'leader'],
    ] as const) {
      await act(approvedOne, action, role);
    }
    const refusedAtIntake = await submitOnline();
    await act(refusedAtIntake, 'refuse-intake', 'reception');
    const completed = await submitOnline();
    await act(completed, 'request-completion', 'reception');
    await completeAsCitizen(completed);
    await act(completed, 'receive', 'reception');
    await act(completed, 'transfer', 'reception');
    await act(completed, 'request-supplement', 'specialist');
    const stopped = await submitOnline();
    await withdrawAsCitizen(stopped);
    const codes = [approvedOne, refusedAtIntake, completed, stopped];

    await ward.drainStreams();
    const events = await outboxEvents(codes);
    const notified = events.filter((event) => NOTIFIER.events.includes(event.type));
    const expected = events.flatMap((event) => {
      const text = citizenSms(notificationFacts(event), { ward: ward.ward, publicBaseUrl: ward.baseUrl });
      return text === undefined ? [] : [{ eventId: event.id, phone: phones.get(event.dossierCode), text }];
    });
    const sent = await smsOf(events.map((event) => event.id));

    // submitted ×4, received ×2, payment requested, refused, not received, completion and supplement requested, stopped
    expect(expected.map((sms) => events.find((event) => event.id === sms.eventId)?.type).sort()).toEqual(
      [
        ...Array<string>(4).fill('DOSSIER_SUBMITTED'),
        'DOSSIER_RECEIVED',
        'DOSSIER_RECEIVED',
        'PAYMENT_REQUESTED',
        'RESULT_REFUSED',
        'DOSSIER_NOT_RECEIVED',
        'COMPLETION_REQUESTED',
        'SUPPLEMENT_REQUESTED',
        'DOSSIER_STOPPED',
      ].sort(),
    );
    expect(sent.map(({ eventId, phone, text }) => ({ eventId, phone, text })).sort(byEventId)).toEqual([...expected].sort(byEventId));
    expect(sent.every((sms) => sms.senderId === ward.ward.smsSenderName && sms.maxPriceUsd === ward.ward.sms.maxPriceUsd)).toBe(true);
    const submissions = events.filter((event) => event.type === 'DOSSIER_SUBMITTED');
    // The officers' alerts wait for the digest, which mails them together.
    expect(await alertsOf(submissions.map((event) => event.id))).toEqual([]);
    expect(await ward.sendAlertDigest()).toMatchObject({ outcome: 'SENT', alerts: submissions.length });
    const digest = (await ward.notifications()).find((notification) => notification.kind === 'DIGEST');
    expect(digest?.kind === 'DIGEST' ? digest.alerts.map((alert) => alert.eventId).sort() : []).toEqual(submissions.map((event) => event.id).sort());
    for (const event of submissions)
      expect(digest?.kind === 'DIGEST' ? digest.body : '').toContain(officerAlert(notificationFacts(event), { ward: ward.ward, publicBaseUrl: ward.baseUrl })?.body);

    // The stream again, from its oldest record (a second poller), and every record twice in one batch.
    const deadLetterFile = join(tmpdir(), `notifier-replay-${randomUUID()}.jsonl`);
    const replay = await startStreamPoller({
      clientConfig: ward.aws.dynamodbClientConfig,
      tableName: tableName(),
      deadLetterFile,
      pollIntervalMs: 50,
      consumers: [NOTIFIER],
      handlers: { Notifier: realHandler },
      log: () => undefined,
    });
    await replay.drain();
    await replay.stop();
    await rm(deadLetterFile, { force: true });
    const twice = notified.flatMap((event, index) => [streamRecord(event, `${index}1`), streamRecord(event, `${index}2`)]);
    const response = await realHandler({ Records: twice }, context);

    expect(response?.batchItemFailures).toEqual([]);
    expect(await smsOf(events.map((event) => event.id))).toHaveLength(expected.length);
    // No alert is added to the digest again: nothing is pending, and the one digest stays the only one.
    expect((await ward.tableKeys()).filter((key) => key.startsWith('ALERTDIGEST|PENDING#'))).toEqual([]);
    expect((await ward.notifications()).filter((notification) => notification.kind === 'DIGEST')).toHaveLength(1);
  });

  it('never fails or rolls back the dossier change during an SNS outage, and sends the SMS once when SNS is back', async () => {
    notifierHandler = await flakyNotifierHandler();
    // One failed call: the SMS of the notifier's attempt; the retry worker's (real SNS: the outbox) succeeds.
    snsFailuresLeft = 1;

    const code = await submitOnline();

    const status = await call<{ status: string; version: number }>(ward.baseUrl, 'GET', `/dossiers/${code}/status`);
    expect(status.body).toMatchObject({ status: 'SUBMITTED' });
    await ward.drainStreams();
    const [event] = await outboxEvents([code]);
    expect(await smsOf([event?.id ?? ''])).toEqual([]);
    expect(await ward.notificationRetries.depth('retries')).toBe(1);
    ward.notificationRetries.advanceClock(FIRST_RETRY_DELAY_SECONDS * 1000);
    await ward.notificationRetries.drain();
    const sent = await smsOf([event?.id ?? '']);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ phone: phones.get(code), text: citizenSms(notificationFacts(event as DomainEvent), { ward: ward.ward, publicBaseUrl: ward.baseUrl }) });
    expect(await alertsOf([event?.id ?? ''])).toHaveLength(1);
    expect(snsCalls).toBe(1);
    expect(await ward.notificationRetries.depth('retries')).toBe(0);
    expect((await ward.deadLetters()).filter((letter) => letter.record.dynamodb?.NewImage?.dossierCode?.S === code)).toEqual([]);
    const ledger = await documents.send(new GetCommand({ TableName: tableName(), Key: notificationKeys.delivery(event?.id ?? '', 'SMS'), ConsistentRead: true }));
    expect(ledger.Item).toMatchObject({ state: 'SENT', messageId: sent[0]?.messageId });
    // The dossier change stood all along, untouched by the failed deliveries.
    expect((await call<{ status: string; version: number }>(ward.baseUrl, 'GET', `/dossiers/${code}/status`)).body).toEqual(status.body);
  });

  it('sends a poison event to the dead-letter queue after the retries, and delivers the events around it', async () => {
    const noPhone = sampleEvent('DOSSIER_RECEIVED', { dossierCode: '000.A0.01.H26-260105-9001', at: new Date() });
    const { phone: _phone, ...withoutPhone } = noPhone.data;
    const before = await submitOnline();
    await documents.send(new PutCommand({ TableName: tableName(), Item: { ...outboxItem(noPhone), data: withoutPhone } }));
    await documents.send(new PutCommand({ TableName: tableName(), Item: { ...outboxItem({ ...noPhone, id: randomUUID() }), at: 'yesterday' } }));
    const after = await submitOnline();

    await ward.drainStreams();

    const letters = (await ward.deadLetters()).filter((letter) => letter.record.dynamodb?.NewImage?.dossierCode?.S === noPhone.dossierCode);
    expect(letters).toHaveLength(2);
    expect(letters.every((letter) => letter.consumer === 'Notifier' && letter.attempts === 4)).toBe(true);
    const events = await outboxEvents([before, after]);
    expect(await smsOf(events.map((event) => event.id))).toHaveLength(2);
    const ledger = await documents.send(new GetCommand({ TableName: tableName(), Key: notificationKeys.delivery(noPhone.id, 'SMS'), ConsistentRead: true }));
    expect(ledger.Item).toBeUndefined();
  });
});

describe('the SMS caps under concurrency', () => {
  const smsWard = (sms: Partial<WardConfig['sms']>): WardConfig => WardConfigSchema.parse({ ...ward.ward, sms: { ...ward.ward.sms, ...sms } });
  const received = (phone: string, at: Date): DomainEvent => ({
    id: randomUUID(),
    type: 'DOSSIER_RECEIVED',
    dossierCode: `000.A0.01.H26-${at.toISOString().slice(2, 10).replaceAll('-', '')}-${String(Math.floor(Math.random() * 9999)).padStart(4, '0')}`,
    at,
    data: {
      phone,
      procedureName: 'Cấp bản sao trích lục hộ tịch',
      appointmentAt: new Date(at.getTime() + 3 * 24 * 3600_000).toISOString(),
      clockGeneration: 1,
      worksOnHolidays: false,
    },
  });
  const run = (events: readonly DomainEvent[], deps: NotifyDeps) => Promise.allSettled(events.map((event) => notify(event, deps, { deadline: new Date(Date.now() + 30_000) })));
  const sentOf = (results: PromiseSettledResult<DeliveryOutcome[]>[]) =>
    results.filter((r) => r.status === 'fulfilled' && r.value.some((o) => o.channel === 'SMS' && o.outcome === 'SENT')).length;
  const overCapRecords = async (day: string) =>
    (await documents.send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': notificationKeys.overCapDay(day) } })))
      .Items ?? [];

  it('sends one phone exactly its daily cap out of 200 concurrent events, each triggered twice, and records the rest as over the cap', async () => {
    const phone = '+84987654321';
    const at = new Date('2031-05-14T03:00:00Z');
    const events = Array.from({ length: 200 }, () => received(phone, at));
    const deps = notifierDeps({ ward: smsWard({ perPhonePerDay: 10, perWardPerMonth: 20_000 }) });

    // Every event twice at once: the duplicates find the claim taken (and fail, to be retried) or the delivery done.
    const results = await run([...events, ...events], deps);
    const retried = await run(events, deps);

    expect(sentOf(results)).toBe(10);
    expect(sentOf(retried)).toBe(0);
    expect(retried.every((r) => r.status === 'fulfilled' && r.value.every((o) => o.outcome === 'ALREADY_DONE'))).toBe(true);
    const sms = (await ward.notifications()).filter(isSms).filter((n) => n.phone === phone);
    expect(sms).toHaveLength(10);
    expect(new Set(sms.map((n) => n.eventId)).size).toBe(10);
    const refused = await overCapRecords('2031-05-14');
    expect(refused).toHaveLength(190);
    expect(refused.every((item) => item.cap === 'PHONE_PER_DAY' && item.limit === 10)).toBe(true);
    const counter = await documents.send(new GetCommand({ TableName: tableName(), Key: notificationKeys.phoneDay(phone, '2031-05-14'), ConsistentRead: true }));
    expect(counter.Item).toMatchObject({ sent: 10 });
    expect(counter.Item?.pending).toBeUndefined();
    // 400 notifications at once against one DynamoDB Local: more than the default when the suite loads it.
  }, 120_000);

  it("holds the ward's monthly cap over 200 concurrent events to 200 phones, giving the phones their count back", async () => {
    const at = new Date('2031-07-02T03:00:00Z');
    const phones = Array.from({ length: 200 }, (_, index) => `+8490${String(index).padStart(7, '0')}`);
    const events = phones.map((phone) => received(phone, at));
    const deps = notifierDeps({ ward: smsWard({ perPhonePerDay: 10, perWardPerMonth: 15 }) });

    const results = await run(events, deps);

    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(sentOf(results)).toBe(15);
    expect((await ward.notifications()).filter(isSms).filter((n) => phones.includes(n.phone))).toHaveLength(15);
    const refused = await overCapRecords('2031-07-02');
    expect(refused).toHaveLength(185);
    expect(refused.every((item) => item.cap === 'WARD_PER_MONTH')).toBe(true);
    const wardCounter = await documents.send(new GetCommand({ TableName: tableName(), Key: notificationKeys.wardMonth('2031-07'), ConsistentRead: true }));
    expect(wardCounter.Item).toMatchObject({ sent: 15 });
    const phoneCounts = await Promise.all(
      phones.map(async (phone) => (await documents.send(new GetCommand({ TableName: tableName(), Key: notificationKeys.phoneDay(phone, '2031-07-02') }))).Item?.sent as number),
    );
    expect(phoneCounts.reduce((sum, count) => sum + count, 0)).toBe(15);
  }, 120_000);

  it("holds the ward's daily budget over 60 concurrent events to 60 phones, reporting each count up to the budget, and leaves the month the rest", async () => {
    const at = new Date('2031-08-05T03:00:00Z');
    const phones = Array.from({ length: 60 }, (_, index) => `+8491${String(index).padStart(7, '0')}`);
    const usage: number[] = [];
    const deps = notifierDeps({
      ward: smsWard({ perPhonePerDay: 10, perWardPerDay: 12, perWardPerMonth: 20_000 }),
      observeDailyBudget: ({ used, budget }) => usage.push(used / budget),
    });

    const results = await run(
      phones.map((phone) => received(phone, at)),
      deps,
    );

    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(sentOf(results)).toBe(12);
    const refused = await overCapRecords('2031-08-05');
    expect(refused).toHaveLength(48);
    expect(refused.every((item) => item.cap === 'WARD_PER_DAY')).toBe(true);
    // Every count from 1 to the budget was reported once: the alarms see 50, 80 and 100 %.
    expect(usage.map((share) => Math.round(share * 12)).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
    const dayCounter = await documents.send(new GetCommand({ TableName: tableName(), Key: notificationKeys.wardDay('2031-08-05'), ConsistentRead: true }));
    const monthCounter = await documents.send(new GetCommand({ TableName: tableName(), Key: notificationKeys.wardMonth('2031-08'), ConsistentRead: true }));
    expect(dayCounter.Item).toMatchObject({ sent: 12 });
    expect(monthCounter.Item).toMatchObject({ sent: 12 });
  }, 120_000);
});

function byEventId(a: { eventId: string }, b: { eventId: string }): number {
  return a.eventId.localeCompare(b.eventId);
}
