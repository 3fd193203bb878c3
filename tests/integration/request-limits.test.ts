import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionLocalWard } from '../../local/provision';
import { dynamoRequestCounterStore, requestCounterKey } from '../../shared/adapters/dynamodb/request-limits';
import { localIdHasher } from '../../shared/adapters/kms/id-hasher';
import { RateLimitedError } from '../../shared/domain/errors';
import type { WardConfig } from '../../shared/domain/ward-config';
import { admitSubmission, admitUpload, type RequestCounter, type RequestLimitsDeps } from '../../shared/use-cases/request-limits';
import { testWard } from '../fixtures/ward';
import { useLocalAws } from '../support/local-ward';

/** The request limits' counters against DynamoDB Local: their conditions are only real on a real engine. */
const aws = useLocalAws();
const suffix = randomUUID().slice(0, 8);
const tables = { first: `limits-a-${suffix}`, second: `limits-b-${suffix}` };
const raw = new DynamoDBClient(aws.dynamodbClientConfig);
const client = DynamoDBDocumentClient.from(raw);
const store = dynamoRequestCounterStore(client, tables.first);
const hasher = localIdHasher('test-only-hmac-secret-of-at-least-32-characters');

/** 22:15 in Hanoi on 10 March 2026: 6 300 s to the Vietnam midnight, 2 700 s to the next full hour. */
const NOW = new Date('2026-03-10T15:15:00Z');
const ID_NUMBER = '001190012345';

const limitsOf = (limits: Partial<Omit<WardConfig['limits'], 'firewallPer5Minutes'>>): Pick<WardConfig, 'limits'> => ({ limits: { ...testWard.limits, ...limits } });
const deps = (limits: Partial<Omit<WardConfig['limits'], 'firewallPer5Minutes'>>, table = tables.first): RequestLimitsDeps => ({
  counters: table === tables.first ? store : dynamoRequestCounterStore(client, table),
  idHasher: hasher,
  clock: { now: () => NOW },
  ward: limitsOf(limits),
});

async function refusal(promise: Promise<unknown>): Promise<RateLimitedError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(RateLimitedError);
  return error as RateLimitedError;
}

async function itemsOf(table: string): Promise<{ PK: string; taken: number; counted: number }[]> {
  const page = await raw.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return (page.Items ?? [])
    .filter((item) => item.PK?.S?.startsWith('LIMIT#'))
    .map((item) => ({ PK: item.PK?.S ?? '', taken: Number(item.taken?.N ?? 0), counted: item.counted?.SS?.length ?? 0 }));
}

beforeAll(async () => {
  for (const table of Object.values(tables)) await provisionLocalWard({ ...aws, tableName: table, uploadsBucket: `limits-uploads-${randomUUID().slice(0, 8)}` });
});

afterAll(() => raw.destroy());

describe('a request counter', () => {
  const counter = (): RequestCounter => ({ kind: 'SUBMISSIONS_PER_SOURCE', sourceKey: randomUUID(), hour: '2026-03-10T15' });
  const expiresAt = new Date('2026-03-11T16:00:00Z');

  it('never counts past its limit, however many requests take it at once', async () => {
    const shared = counter();
    const results = await Promise.all(Array.from({ length: 40 }, () => store.take(shared, randomUUID(), 10, expiresAt)));

    expect(results.filter((r) => r === 'TAKEN')).toHaveLength(10);
    const item = await client.send(new GetCommand({ TableName: tables.first, Key: requestCounterKey(shared), ConsistentRead: true }));
    expect(item.Item).toMatchObject({ taken: 10, expiresAt: Math.floor(expiresAt.getTime() / 1000) });
    expect((item.Item?.counted as Set<string>).size).toBe(10);
  });

  it('counts one request once, however often and however concurrently it comes, and a full counter still takes a request it counted', async () => {
    const shared = counter();
    const retried = await Promise.all(Array.from({ length: 20 }, () => store.take(shared, 'request-1', 2, expiresAt)));
    await store.take(shared, 'request-2', 2, expiresAt);

    expect(retried.every((r) => r === 'TAKEN')).toBe(true);
    expect(await store.take(shared, 'request-3', 2, expiresAt)).toBe('FULL');
    expect(await store.take(shared, 'request-1', 2, expiresAt)).toBe('TAKEN');
    const item = await client.send(new GetCommand({ TableName: tables.first, Key: requestCounterKey(shared), ConsistentRead: true }));
    expect(item.Item?.taken).toBe(2);
  });

  it('counts every take of requests without a key, never past its limit, and a give-back undoes one', async () => {
    const shared = counter();
    const results = await Promise.all(Array.from({ length: 25 }, () => store.take(shared, undefined, 7, expiresAt)));

    expect(results.filter((r) => r === 'TAKEN')).toHaveLength(7);
    await store.giveBack(shared, undefined);
    expect(await store.take(shared, undefined, 7, expiresAt)).toBe('TAKEN');
    expect(await store.take(shared, undefined, 7, expiresAt)).toBe('FULL');
    const item = await client.send(new GetCommand({ TableName: tables.first, Key: requestCounterKey(shared), ConsistentRead: true }));
    expect(item.Item).toEqual({ ...requestCounterKey(shared), taken: 7, expiresAt: Math.floor(expiresAt.getTime() / 1000) });
  });

  it('gives back a counted request once, and nothing for a request it never counted', async () => {
    const shared = counter();
    await store.take(shared, 'request-1', 1, expiresAt);

    await store.giveBack(shared, 'request-2');
    expect(await store.take(shared, 'request-2', 1, expiresAt)).toBe('FULL');
    await Promise.all([store.giveBack(shared, 'request-1'), store.giveBack(shared, 'request-1')]);
    const item = await client.send(new GetCommand({ TableName: tables.first, Key: requestCounterKey(shared), ConsistentRead: true }));
    expect(item.Item?.taken).toBe(0);
    expect(await store.take(shared, 'request-2', 1, expiresAt)).toBe('TAKEN');
  });
});

describe('admitting online submissions', () => {
  it('admits so many a day per ID number, then refuses until the Vietnam midnight, while other ID numbers still get through', async () => {
    const limits = deps({ submissionsPerIdNumberPerDay: 3, submissionsPerSourcePerHour: 100 });
    for (let index = 0; index < 3; index += 1) await admitSubmission(limits, { idNumber: ID_NUMBER, sourceIp: `198.51.100.${index}`, idempotencyKey: randomUUID() });

    const refused = await refusal(admitSubmission(limits, { idNumber: ID_NUMBER, sourceIp: '198.51.100.99', idempotencyKey: randomUUID() }));
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 6300 });
    await admitSubmission(limits, { idNumber: '001190054321', sourceIp: '198.51.100.99', idempotencyKey: randomUUID() });
  });

  it('admits a retry of an admitted submission (its Idempotency-Key) at the limit, without counting it again', async () => {
    const limits = deps({ submissionsPerIdNumberPerDay: 1, submissionsPerSourcePerHour: 100 });
    const request = { idNumber: '001090000007', sourceIp: '198.51.100.7', idempotencyKey: randomUUID() };
    await Promise.all(Array.from({ length: 10 }, () => admitSubmission(limits, request)));

    await admitSubmission(limits, request);
    await refusal(admitSubmission(limits, { ...request, idempotencyKey: randomUUID() }));
  });

  it('admits so many an hour per client address, refusing until the full hour, and a refusal leaves no count on the ID number', async () => {
    const limits = deps({ submissionsPerIdNumberPerDay: 2, submissionsPerSourcePerHour: 2 });
    const sourceIp = '2001:db8:aa:1::10';
    await admitSubmission(limits, { idNumber: '001090000001', sourceIp, idempotencyKey: randomUUID() });
    // Another address of the same /64 is the same client.
    await admitSubmission(limits, { idNumber: '001090000002', sourceIp: '2001:db8:aa:1::ffff', idempotencyKey: randomUUID() });

    const refused = await refusal(admitSubmission(limits, { idNumber: '001090000003', sourceIp, idempotencyKey: randomUUID() }));
    expect(refused.retryAfterSeconds).toBe(2700);
    // The refused request's ID number was not counted: it has its whole day left elsewhere.
    await admitSubmission(limits, { idNumber: '001090000003', sourceIp: '2001:db8:aa:2::1', idempotencyKey: randomUUID() });
    await admitSubmission(limits, { idNumber: '001090000003', sourceIp: '2001:db8:aa:3::1', idempotencyKey: randomUUID() });
  });

  it("gives the client address its count back when the ID number's limit refuses the submission", async () => {
    const limits = deps({ submissionsPerIdNumberPerDay: 1, submissionsPerSourcePerHour: 2 });
    const sourceIp = '203.0.113.77';
    await admitSubmission(limits, { idNumber: '001090000011', sourceIp: '203.0.113.78', idempotencyKey: randomUUID() });

    for (let index = 0; index < 5; index += 1) await refusal(admitSubmission(limits, { idNumber: '001090000011', sourceIp, idempotencyKey: randomUUID() }));
    await admitSubmission(limits, { idNumber: '001090000012', sourceIp, idempotencyKey: randomUUID() });
    await admitSubmission(limits, { idNumber: '001090000013', sourceIp, idempotencyKey: randomUUID() });
    await refusal(admitSubmission(limits, { idNumber: '001090000014', sourceIp, idempotencyKey: randomUUID() }));
  });

  it("keeps ID numbers and addresses out of the keys, and each ward's counts in its own table", async () => {
    const request = { idNumber: '001090000021', sourceIp: '192.0.2.21', idempotencyKey: randomUUID() };
    await admitSubmission(deps({ submissionsPerIdNumberPerDay: 1 }), request);
    await refusal(admitSubmission(deps({ submissionsPerIdNumberPerDay: 1 }), { ...request, idempotencyKey: randomUUID() }));

    // The other ward, full in the first one: admitted.
    await admitSubmission(deps({ submissionsPerIdNumberPerDay: 1 }, tables.second), { ...request, idempotencyKey: randomUUID() });
    const first = await itemsOf(tables.first);
    expect(first.length).toBeGreaterThan(0);
    expect(JSON.stringify(first)).not.toMatch(/001090000021|192\.0\.2\.21/);
    expect((await itemsOf(tables.second)).map((item) => item.taken)).toEqual([1, 1]);
  });
});

describe('admitting uploads', () => {
  it('admits so many an hour per client address, each upload counting', async () => {
    const limits = deps({ uploadsPerSourcePerHour: 3 });
    for (let index = 0; index < 3; index += 1) await admitUpload(limits, { sourceIp: '198.51.100.200' });

    expect((await refusal(admitUpload(limits, { sourceIp: '198.51.100.200' }))).retryAfterSeconds).toBe(2700);
    await admitUpload(limits, { sourceIp: '198.51.100.201' });
    // Uploads and submissions are counted apart.
    await admitSubmission(deps({ submissionsPerSourcePerHour: 1 }), { idNumber: '001090000031', sourceIp: '198.51.100.200', idempotencyKey: randomUUID() });
  });
});
