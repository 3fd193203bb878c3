import { ConditionalCheckFailedException, ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { S3ServiceException } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { contract } from '../../shared/api/contract';
import { CalendarOutOfRangeError } from '../../shared/domain/calendar';
import type { httpRoute as HttpRoute, JSON_BODY_LIMITS as Limits } from '../../shared/runtime/http';
import { awsRetryAfterSeconds, problemResponse, RETRY_AFTER_SECONDS } from '../../shared/runtime/problem';
import { apiEvent, jsonBody, JSON_HEADERS, lambdaContext } from '../fixtures/lambda';
import { setLambdaEnvironment } from '../fixtures/ward';

type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

let httpRoute: typeof HttpRoute;
let limits: typeof Limits;
const reached = vi.fn();
let anyJsonRoute: Handler;

beforeAll(async () => {
  setLambdaEnvironment();
  ({ httpRoute, JSON_BODY_LIMITS: limits } = await import('../../shared/runtime/http'));
  const handler = httpRoute({ body: z.unknown() }, (request) => {
    reached(request.rawBody);
    return Promise.resolve({ status: 200, body: {} });
  });
  anyJsonRoute = (event) => handler(event, lambdaContext());
});

const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('httpRoute: the shape of a JSON body is bounded before anything reads it', () => {
  it.each([
    ['nested deeper than the limit', () => nested(limits.depth + 1)],
    ['nested 30,000 levels deep', () => nested(30_000)],
    ['a list longer than the limit', () => JSON.stringify(Array.from({ length: limits.arrayItems + 1 }, () => 0))],
    ['an object with too many fields', () => JSON.stringify(Object.fromEntries(Array.from({ length: limits.objectKeys + 1 }, (_, i) => [`f${i}`, 0])))],
    ['a field name too long', () => JSON.stringify({ ['k'.repeat(limits.keyLength + 1)]: 1 })],
  ])('refuses a body %s with 400 BODY_TOO_COMPLEX problem+json, without calling the handler', async (_, body) => {
    reached.mockClear();

    const response = await anyJsonRoute(apiEvent({ headers: JSON_HEADERS, body: body() }));

    expect(response.statusCode).toBe(400);
    expect(response.headers?.['Content-Type']).toMatch(/^application\/problem\+json/);
    expect(jsonBody(response)).toMatchObject({ code: 'BODY_TOO_COMPLEX', status: 400 });
    expect(reached).not.toHaveBeenCalled();
  });

  it('accepts a body at every limit', async () => {
    const atLimits = { list: Array.from({ length: limits.arrayItems }, () => 1), deep: JSON.parse(nested(limits.depth - 1)) as unknown, ['k'.repeat(limits.keyLength)]: 'x' };

    const response = await anyJsonRoute(apiEvent({ headers: JSON_HEADERS, body: JSON.stringify(atLimits) }));

    expect(response.statusCode).toBe(200);
  });

  it('keeps `__proto__` and `constructor` keys of a body as data', async () => {
    const response = await anyJsonRoute(apiEvent({ headers: JSON_HEADERS, body: '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}' }));

    expect(response.statusCode).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('AWS faults are a 503 with Retry-After, as the SDK classifies them', () => {
  const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
  const cancelled = (...codes: string[]) => new TransactionCanceledException({ message: 'cancelled', ...meta(400), CancellationReasons: codes.map((Code) => ({ Code })) });

  it.each([
    ['DynamoDB throttling', new ProvisionedThroughputExceededException({ message: 'slow down', ...meta(400) }), RETRY_AFTER_SECONDS.throttled],
    ['S3 SlowDown', new S3ServiceException({ name: 'SlowDown', $fault: 'client', message: 'slow down', ...meta(503) }), RETRY_AFTER_SECONDS.throttled],
    ['HTTP 429', Object.assign(new Error('too many'), { name: 'TooManyRequestsException', ...meta(429) }), RETRY_AFTER_SECONDS.throttled],
    ['a transaction cancelled by throttling', cancelled('None', 'ThrottlingError'), RETRY_AFTER_SECONDS.throttled],
    ['a transaction cancelled by a conflicting transaction', cancelled('TransactionConflict', 'None'), RETRY_AFTER_SECONDS.throttled],
    ['a 500 of the service', Object.assign(new Error('internal'), { name: 'InternalServerError', $fault: 'server', ...meta(500) }), RETRY_AFTER_SECONDS.unavailable],
    [
      'a KMS dependency timeout (503)',
      Object.assign(new Error('dependency'), { name: 'DependencyTimeoutException', $fault: 'server', ...meta(503) }),
      RETRY_AFTER_SECONDS.unavailable,
    ],
    ['a socket timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), RETRY_AFTER_SECONDS.unavailable],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), RETRY_AFTER_SECONDS.unavailable],
    [
      'a fault wrapped as the cause of another error',
      new Error('signing failed', { cause: Object.assign(new Error('x'), { name: 'TimeoutError' }) }),
      RETRY_AFTER_SECONDS.unavailable,
    ],
  ])('%s', (_, error, seconds) => {
    const response = problemResponse(error, 'en', 'req-1');

    expect(awsRetryAfterSeconds(error)).toBe(seconds);
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toBe(String(seconds));
    expect(response.headers?.['Content-Type']).toMatch(/^application\/problem\+json/);
  });

  it.each([
    ['a failed condition', new ConditionalCheckFailedException({ message: 'condition', ...meta(400) })],
    ['a transaction cancelled by a condition', cancelled('ConditionalCheckFailed', 'TransactionConflict')],
    ['a defect of ours', new TypeError('x is undefined')],
  ])('is not a 503: %s', (_, error) => {
    expect(awsRetryAfterSeconds(error)).toBeUndefined();
    expect(problemResponse(error, 'en').statusCode).toBe(500);
  });

  it('answers a computation driven past the calendar by a client date as a 400', () => {
    const response = problemResponse(new CalendarOutOfRangeError(2101), 'en');

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'DATE_OUT_OF_RANGE' });
  });
});

describe("client dates outside the calendar's years, in any offset", () => {
  const at = contract.PreviewAppointment.query;
  const period = contract.GetRegister.query;

  it.each([
    '1989-12-31T23:59:59+07:00',
    '1989-12-31T16:59:59Z',
    '2101-01-01T00:00:00+07:00',
    '2100-12-31T17:00:00Z',
    '2100-12-31T10:00:00-07:00',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59-23:59',
  ])('refuses %s', (value) => {
    const result = at.safeParse({ at: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('@DATE_OUT_OF_RANGE');
    expect(contract.ListDossiers.query.safeParse({ dueBefore: value }).success).toBe(false);
    expect(contract.IssueApology.body.safeParse({ reason: 'Chậm do thiếu cán bộ.', newAppointmentAt: value }).success).toBe(false);
  });

  it.each(['1990-01-01T00:00:00+07:00', '1989-12-31T17:00:00Z', '2100-12-31T23:59:59+07:00', '2100-12-31T16:59:59Z'])('accepts %s, in the years in Vietnam time', (value) => {
    expect(at.safeParse({ at: value }).success).toBe(true);
  });

  it('refuses a register or KPI period outside the years', () => {
    expect(period.safeParse({ from: '1989-12-31', to: '1990-01-01' }).success).toBe(false);
    expect(period.safeParse({ from: '2100-12-31', to: '2101-01-01' }).success).toBe(false);
    expect(contract.GetKpis.query.safeParse({ from: '0000-01-01', to: '2026-01-01' }).success).toBe(false);
    expect(period.safeParse({ from: '1990-01-01', to: '2100-12-31' }).success).toBe(true);
  });
});
