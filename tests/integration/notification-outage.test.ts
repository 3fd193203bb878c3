import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventFromOutboxItem } from '../../shared/adapters/dynamodb/items';
import type { LocalNotification } from '../../shared/adapters/local/notification-outbox';
import type { DomainEvent } from '../../shared/domain/events';
import { citizenSms, notificationFacts } from '../../shared/domain/notifications';
import { NOTIFICATION_RETRY_DELAYS_SECONDS } from '../../shared/use-cases/notification-retries';
import { call, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile } from '../e2e/citizen-client';
import { startLocalWard, type LocalWard } from '../support/local-ward';

/**
 * SNS outages against the local ward: the real notifier and retry worker modules, the local SQS
 * (its clock moved by the test: hours of retries pass in seconds) and the local outbox, switched
 * to fail every send as SNS does while it is down.
 */
let ward: LocalWard;
let documents: DynamoDBDocumentClient;

const PROJECT_DIRECTORY = fileURLToPath(new URL('../..', import.meta.url));
const MINUTE = 60_000;

beforeAll(async () => {
  ward = await startLocalWard({ streams: { consumers: ['Notifier'] } });
  // The failures this file provokes on purpose would each log a warning.
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  documents = DynamoDBDocumentClient.from(new DynamoDBClient(ward.aws.dynamodbClientConfig));
});

afterAll(async () => {
  documents.destroy();
  await ward.stop();
});

beforeEach(async () => {
  await ward.notificationRetries.setOutage(false);
});

// ---------------------------------------------------------------------------------------------
// Prepare
// ---------------------------------------------------------------------------------------------

const phones = new Map<string, string>();

/** Submits a dossier online from a phone of its own, and waits until the notifier has tried its event. */
async function submitOnline(): Promise<string> {
  // An upload belongs to one dossier: a fresh one each.
  const submission = maritalStatusSubmission(await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF }), { fullyOnline: false });
  const phone = `09${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const response = await call<{ code: string }>(ward.baseUrl, 'POST', '/dossiers', {
    body: { ...submission, applicant: { ...submission.applicant, phone } },
    headers: { 'Idempotency-Key': newIdempotencyKey() },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  phones.set(response.body.code, `+84${phone.slice(1)}`);
  await ward.drainStreams();
  return response.body.code;
}

/** Lets `ms` of the local SQS's time pass in steps, the retry worker taking what falls due at each. */
async function letTimePass(ms: number, stepMs = 5 * MINUTE): Promise<void> {
  for (let passed = 0; passed < ms; passed += stepMs) {
    ward.notificationRetries.advanceClock(Math.min(stepMs, ms - passed));
    await ward.notificationRetries.drain();
  }
}

async function outboxEvent(code: string): Promise<DomainEvent> {
  const page = await documents.send(
    new ScanCommand({
      TableName: ward.tableName,
      FilterExpression: 'begins_with(PK, :outbox) AND dossierCode = :code',
      ExpressionAttributeValues: { ':outbox': 'OUTBOX#', ':code': code },
    }),
  );
  const [item] = page.Items ?? [];
  if (item === undefined) throw new Error(`no outbox event of ${code}`);
  return eventFromOutboxItem(item);
}

const smsOf = async (codes: readonly string[]) =>
  (await ward.notifications()).filter((n): n is Extract<LocalNotification, { kind: 'SMS' }> => n.kind === 'SMS' && codes.includes(n.dossierCode));
/** The officers' alerts about `codes` in the digests that went out (the notifier's alerts wait for the digest). */
const alertsOf = async (codes: readonly string[]) =>
  (await ward.notifications()).flatMap((n) => (n.kind === 'DIGEST' ? n.alerts : [])).filter((alert) => codes.includes(alert.dossierCode));

const execFileAsync = promisify(execFile);

/** `npm run redrive -- --ward <slug> --endpoint <local SQS>`, as an operator runs it. */
async function redrive(): Promise<string> {
  const { stdout } = await execFileAsync('npm', ['run', '--silent', 'redrive', '--', '--ward', ward.ward.slug, '--endpoint', ward.notificationRetries.sqsEndpoint], {
    cwd: PROJECT_DIRECTORY,
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' },
  });
  return stdout;
}

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

describe('an SNS outage', () => {
  it('delays the SMS and alerts of two hours of outage, and sends every one of them exactly once when SNS is back', async () => {
    await ward.notificationRetries.setOutage(true);
    const early = [await submitOnline(), await submitOnline()];
    await letTimePass(60 * MINUTE);
    const midway = [await submitOnline()];
    await letTimePass(60 * MINUTE);
    const codes = [...early, ...midway];

    // Two hours down: nothing went out, nothing was given up on, everything waits for its next attempt.
    expect(await smsOf(codes)).toEqual([]);
    expect(await ward.notificationRetries.depth('retries')).toBe(codes.length);
    expect(await ward.notificationRetries.depth('deadLetters')).toBe(0);
    // The officers' digest cannot go out either; its alerts stay pending.
    await expect(ward.sendAlertDigest()).rejects.toThrow();
    expect(await alertsOf(codes)).toEqual([]);

    await ward.notificationRetries.setOutage(false);
    // The longest wait an event of those two hours can have before its next attempt.
    await letTimePass(Math.max(...NOTIFICATION_RETRY_DELAYS_SECONDS.slice(0, 8)) * 1000);

    const sent = await smsOf(codes);
    expect(sent.map((sms) => sms.dossierCode).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      const sms = sent.find((candidate) => candidate.dossierCode === code);
      expect(sms).toMatchObject({ phone: phones.get(code), text: citizenSms(notificationFacts(await outboxEvent(code)), { ward: ward.ward, publicBaseUrl: ward.baseUrl }) });
    }
    expect(await ward.sendAlertDigest()).toMatchObject({ outcome: 'SENT', alerts: codes.length });
    expect((await alertsOf(codes)).map((alert) => alert.dossierCode).sort()).toEqual([...codes].sort());
    expect(await ward.notificationRetries.depth('retries')).toBe(0);
    expect(await ward.notificationRetries.depth('deadLetters')).toBe(0);

    // A day more passes: nothing is sent again.
    await letTimePass(24 * 60 * MINUTE, 60 * MINUTE);
    expect(await smsOf(codes)).toHaveLength(codes.length);
    expect(await ward.sendAlertDigest()).not.toMatchObject({ outcome: 'SENT' });
    expect(await alertsOf(codes)).toHaveLength(codes.length);
  });

  it('dead-letters an event whose retries all failed, and the redrive command delivers it once; a second run sends nothing', async () => {
    await ward.notificationRetries.setOutage(true);
    const code = await submitOnline();
    const retrySpan = NOTIFICATION_RETRY_DELAYS_SECONDS.reduce((sum, seconds) => sum + seconds, 0) * 1000;
    await letTimePass(retrySpan + 60 * MINUTE, 15 * MINUTE);

    expect(await ward.notificationRetries.depth('retries')).toBe(0);
    expect(await ward.notificationRetries.depth('deadLetters')).toBe(1);
    expect(await smsOf([code])).toEqual([]);

    await ward.notificationRetries.setOutage(false);
    expect(await redrive()).toMatch(/1 notification\(s\) moved/);
    await ward.notificationRetries.drain();

    expect(await smsOf([code])).toHaveLength(1);
    expect(await ward.notificationRetries.depth('deadLetters')).toBe(0);
    expect(await ward.notificationRetries.depth('retries')).toBe(0);

    expect(await redrive()).toMatch(/holds no notification to redrive/);
    await letTimePass(60 * MINUTE);
    expect(await smsOf([code])).toHaveLength(1);
  });
});
