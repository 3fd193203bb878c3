import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { contract } from '../../shared/api/contract';
import { NotFoundError } from '../../shared/domain/errors';
import { VIEWER_ADDRESS_HEADER, type httpRoute as HttpRoute } from '../../shared/runtime/http';
import { negotiateLanguage } from '../../shared/runtime/messages';
import { apiEvent, jsonBody, JSON_HEADERS, lambdaContext } from '../fixtures/lambda';
import { birthRegistrationBody } from '../fixtures/submission';
import { setLambdaEnvironment } from '../fixtures/ward';

type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';
const REQUEST_ID = 'c0ffee00-1234-4abc-9def-000000000042';
const IDEMPOTENCY = { 'Idempotency-Key': 'key-0001-abcdef' };
const ENGLISH = { 'Accept-Language': 'en-US,en;q=0.9' };
const INTERNALS = 'connect ECONNREFUSED 10.0.12.7:8000 arn:aws:dynamodb:ap-southeast-1:123456789012:table/ward-table';

let httpRoute: typeof HttpRoute;
const submitted = vi.fn();

/** Builds a middy handler and calls it the way Lambda does, with a context. */
const invoker =
  (handler: ReturnType<typeof HttpRoute>): Handler =>
  (event) =>
    handler(event, lambdaContext(REQUEST_ID));

let submitRoute: Handler;
let optionalBodyRoute: Handler;
let failingRoute: (error: unknown) => Handler;

beforeAll(async () => {
  setLambdaEnvironment();
  ({ httpRoute } = await import('../../shared/runtime/http'));

  submitRoute = invoker(
    // The submission's own schemas, so that paths and messages are the ones citizens meet.
    httpRoute({ body: contract.SubmitDossier.body, headers: contract.SubmitDossier.headers }, (request) => {
      submitted(request);
      return Promise.resolve({
        status: 201,
        body: { procedureCode: request.body.procedureCode, phone: request.body.applicant.phone },
        headers: { Location: '/dossiers/X' },
      });
    }),
  );
  optionalBodyRoute = invoker(
    httpRoute(
      {
        body: z
          .object({ reason: z.string().max(100_000) })
          .strict()
          .optional(),
      },
      ({ body }) => Promise.resolve({ status: 200, body: { reason: body?.reason ?? null } }),
    ),
  );
  failingRoute = (error) =>
    invoker(
      httpRoute({}, () => {
        throw error;
      }),
    );
});

const header = (response: APIGatewayProxyResult, name: string) => response.headers?.[name];

function submitEvent(body: unknown, headers: Record<string, string> = {}) {
  return apiEvent({ method: 'POST', path: '/dossiers', headers: { ...JSON_HEADERS, ...IDEMPOTENCY, ...headers }, body });
}

describe('httpRoute: a valid request', () => {
  it('hands the handler the validated body and answers JSON with its status and headers', async () => {
    submitted.mockClear();

    const response = await submitRoute(submitEvent(birthRegistrationBody()));

    expect(response.statusCode).toBe(201);
    expect(header(response, 'Content-Type')).toBe('application/json; charset=utf-8');
    expect(header(response, 'Location')).toBe('/dossiers/X');
    expect(jsonBody(response)).toEqual({ procedureCode: '1.001193', phone: '+84912345678' });
    expect(submitted).toHaveBeenCalledWith(expect.objectContaining({ requestId: REQUEST_ID, lang: 'vi', headers: { 'idempotency-key': 'key-0001-abcdef' } }));
  });

  it("hands the handler the viewer address the distribution forwards as sourceIp, else the connection's (local mode)", async () => {
    submitted.mockClear();
    await submitRoute(submitEvent(birthRegistrationBody(), { 'X-Mot-Cua-So-Viewer-Address': '203.0.113.77' }));
    await submitRoute(submitEvent(birthRegistrationBody()));
    await submitRoute(submitEvent(birthRegistrationBody(), { [VIEWER_ADDRESS_HEADER]: '  ' }));

    const connection = submitEvent(birthRegistrationBody()).requestContext.identity.sourceIp;
    expect(connection).not.toBe('203.0.113.77');
    expect(submitted.mock.calls.map(([request]) => (request as { sourceIp: string }).sourceIp)).toEqual(['203.0.113.77', connection, connection]);
  });

  it('reads header names whatever their case', async () => {
    const event = apiEvent({ headers: { 'content-type': 'application/json', 'IDEMPOTENCY-KEY': 'key-0001-abcdef' }, body: birthRegistrationBody() });

    const response = await submitRoute(event);

    expect(response.statusCode).toBe(201);
  });

  it.each(['application/json; charset=utf-8', 'Application/JSON; Charset=UTF-8', 'application/json;charset="utf-8"'])('accepts the content type %j', async (contentType) => {
    const response = await submitRoute(submitEvent(birthRegistrationBody(), { 'Content-Type': contentType }));

    expect(response.statusCode).toBe(201);
  });

  it('decodes a base64-encoded body', async () => {
    const event = submitEvent(null);
    event.body = Buffer.from(JSON.stringify(birthRegistrationBody()), 'utf8').toString('base64');
    event.isBase64Encoded = true;

    const response = await submitRoute(event);

    expect(response.statusCode).toBe(201);
  });

  it('accepts an empty body when the body schema is optional', async () => {
    const noBody = await optionalBodyRoute(apiEvent({ body: null }));
    const emptyBody = await optionalBodyRoute(apiEvent({ body: '' }));

    expect(noBody.statusCode).toBe(200);
    expect(jsonBody(noBody)).toEqual({ reason: null });
    expect(emptyBody.statusCode).toBe(200);
  });
});

describe('httpRoute: refused requests', () => {
  it.each([
    ['text/plain', { 'Content-Type': 'text/plain' }],
    ['application/x-www-form-urlencoded', { 'Content-Type': 'application/x-www-form-urlencoded' }],
    ['a JSON type in another charset', { 'Content-Type': 'application/json; charset=iso-8859-1' }],
  ])('answers 415 to a body sent as %s, without calling the handler', async (_label, headers) => {
    submitted.mockClear();

    const response = await submitRoute(submitEvent(birthRegistrationBody(), headers));

    expect(response.statusCode).toBe(415);
    expect(jsonBody(response)).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(submitted).not.toHaveBeenCalled();
  });

  it('answers 415 to a body without a content type', async () => {
    const event = apiEvent({ headers: IDEMPOTENCY, body: birthRegistrationBody() });

    const response = await submitRoute(event);

    expect(response.statusCode).toBe(415);
  });

  it('answers 413 to a body over 64 KB, without calling the handler', async () => {
    submitted.mockClear();
    const body = { ...birthRegistrationBody(), formData: { padding: 'x'.repeat(65 * 1024) } };

    const response = await submitRoute(submitEvent(body));

    expect(response.statusCode).toBe(413);
    expect(jsonBody(response)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(submitted).not.toHaveBeenCalled();
  });

  it('counts the limit in UTF-8 bytes, not characters', async () => {
    const threeBytesEach = 'ế'.repeat(25_000); // 25 000 characters, 75 000 bytes

    const response = await optionalBodyRoute(apiEvent({ headers: JSON_HEADERS, body: { reason: threeBytesEach } }));

    expect(response.statusCode).toBe(413);
  });

  it('accepts a body of exactly 64 KB and refuses one byte more', async () => {
    const bodyOfSize = (bytes: number) => {
      const frame = JSON.stringify({ reason: '' });
      return JSON.stringify({ reason: 'a'.repeat(bytes - Buffer.byteLength(frame)) });
    };

    const atLimit = await optionalBodyRoute(apiEvent({ headers: JSON_HEADERS, body: bodyOfSize(64 * 1024) }));
    const overLimit = await optionalBodyRoute(apiEvent({ headers: JSON_HEADERS, body: bodyOfSize(64 * 1024 + 1) }));

    expect(atLimit.statusCode).toBe(200);
    expect(overLimit.statusCode).toBe(413);
  });

  it('answers 400 MALFORMED_JSON to a body that is not JSON', async () => {
    submitted.mockClear();

    const response = await submitRoute(submitEvent('{bad'));

    expect(response.statusCode).toBe(400);
    expect(jsonBody(response)).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    expect(submitted).not.toHaveBeenCalled();
  });

  it('answers 400 VALIDATION_FAILED, not 500, to JSON of the wrong shape', async () => {
    const response = await submitRoute(submitEvent('[]'));

    expect(response.statusCode).toBe(400);
    expect(jsonBody(response)).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'body' })] });
  });

  it('answers 400 VALIDATION_FAILED to a missing body the schema requires', async () => {
    const response = await submitRoute(apiEvent({ headers: IDEMPOTENCY, body: null }));

    expect(response.statusCode).toBe(400);
    expect(jsonBody(response)).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('httpRoute: validation problems', () => {
  const badApplicant = () => birthRegistrationBody({ applicant: { fullName: 'Nguyễn Thị Hoa', idNumber: '0011900123', phone: '0912345678' } });

  it('lists each field problem with a path rooted at body, in Vietnamese by default', async () => {
    const response = await submitRoute(submitEvent(badApplicant()));

    expect(response.statusCode).toBe(400);
    expect(header(response, 'Content-Language')).toBe('vi');
    expect(jsonBody(response)).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      title: 'Dữ liệu không hợp lệ',
      errors: [{ path: 'body.applicant.idNumber', message: 'Số định danh cá nhân phải gồm đúng 12 chữ số.' }],
    });
  });

  it('speaks English when Accept-Language prefers it', async () => {
    const response = await submitRoute(submitEvent(badApplicant(), ENGLISH));

    expect(header(response, 'Content-Language')).toBe('en');
    expect(jsonBody(response)).toMatchObject({
      title: 'Validation failed',
      errors: [{ path: 'body.applicant.idNumber', message: 'The personal ID number must be exactly 12 digits.' }],
    });
  });

  it("translates zod's own messages too", async () => {
    const withoutCode: Record<string, unknown> = { ...birthRegistrationBody() };
    delete withoutCode.procedureCode;

    const vi = jsonBody(await submitRoute(submitEvent(withoutCode)));
    const en = jsonBody(await submitRoute(submitEvent(withoutCode, ENGLISH)));

    const messageAt = (problem: Record<string, unknown>) => (problem.errors as { path: string; message: string }[]).find((e) => e.path === 'body.procedureCode')?.message;
    expect(messageAt(en)).toMatch(/expected string/i);
    expect(messageAt(vi)).toMatch(/mong đợi/);
  });

  it('reports every problem of the request at once', async () => {
    const body = birthRegistrationBody({ applicant: { fullName: 'Nguyễn Thị Hoa', idNumber: '000190012345', phone: '0212345678' } });

    const response = await submitRoute(submitEvent(body, ENGLISH));

    const paths = (jsonBody(response).errors as { path: string }[]).map((e) => e.path);
    expect(paths.sort()).toEqual(['body.applicant.idNumber', 'body.applicant.phone']);
  });

  it('refuses members the schema does not know', async () => {
    const response = await submitRoute(submitEvent({ ...birthRegistrationBody(), status: 'RESOLVED' }));

    expect(response.statusCode).toBe(400);
    expect(jsonBody(response)).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('roots header problems at header, by their lower-case name', async () => {
    const event = apiEvent({ headers: JSON_HEADERS, body: birthRegistrationBody() });

    const response = await submitRoute(event);

    expect(response.statusCode).toBe(400);
    expect(jsonBody(response).errors).toEqual([{ path: 'header.idempotency-key', message: expect.any(String) as string }]);
  });

  it('explains a malformed Idempotency-Key with the project message', async () => {
    const response = await submitRoute(submitEvent(birthRegistrationBody(), { 'Idempotency-Key': 'short' }));

    expect(jsonBody(response).errors).toEqual([{ path: 'header.idempotency-key', message: 'Cần header Idempotency-Key (8–128 ký tự: chữ, số, - _ . :).' }]);
  });

  it('explains a missing Idempotency-Key with the project message, not a type error', async () => {
    const event = apiEvent({ headers: JSON_HEADERS, body: birthRegistrationBody() });

    const response = await submitRoute(event);

    expect(jsonBody(response).errors).toEqual([{ path: 'header.idempotency-key', message: 'Cần header Idempotency-Key (8–128 ký tự: chữ, số, - _ . :).' }]);
  });
});

describe('httpRoute: problem responses', () => {
  it('sends every problem as application/problem+json with the CORS headers', async () => {
    const response = await submitRoute(submitEvent('{bad'));

    expect(header(response, 'Content-Type')).toBe(PROBLEM_JSON);
    expect(header(response, 'Access-Control-Allow-Origin')).toBe('*');
    expect(jsonBody(response)).toEqual(
      expect.objectContaining({ type: expect.stringMatching(/^https:\/\//) as string, title: expect.any(String) as string, detail: expect.any(String) as string }),
    );
  });

  it('answers a domain error with its own status, code and localized detail', async () => {
    const route = failingRoute(new NotFoundError({ vi: 'Không thấy hồ sơ.', en: 'No such dossier.' }));

    const vi = await route(apiEvent());
    const en = await route(apiEvent({ headers: ENGLISH }));

    expect(vi.statusCode).toBe(404);
    expect(jsonBody(vi)).toMatchObject({ code: 'NOT_FOUND', detail: 'Không thấy hồ sơ.' });
    expect(jsonBody(en)).toMatchObject({ code: 'NOT_FOUND', detail: 'No such dossier.' });
  });

  it('answers an unexpected error with a bare 500 that reveals no internals', async () => {
    const error = new Error(INTERNALS);

    const response = await failingRoute(error)(apiEvent());

    expect(response.statusCode).toBe(500);
    expect(header(response, 'Content-Type')).toBe(PROBLEM_JSON);
    expect(jsonBody(response)).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', instance: `urn:request:${REQUEST_ID}` });
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(response.body).not.toContain('arn:aws');
    expect(response.body).not.toContain('ward-table');
    expect(response.body).not.toMatch(/stack|at .*\.ts/i);
  });

  it('answers something thrown that is not an Error with a 500 too', async () => {
    const response = await failingRoute({ secret: 'internal' })(apiEvent());

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret');
  });

  it.each(['ThrottlingException', 'ProvisionedThroughputExceededException'])('answers AWS throttling (%s) with 503 and Retry-After', async (name) => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name });

    const response = await failingRoute(throttled)(apiEvent());

    expect(response.statusCode).toBe(503);
    expect(header(response, 'Content-Type')).toBe(PROBLEM_JSON);
    expect(String(header(response, 'Retry-After'))).toMatch(/^[1-9]\d*$/);
    expect(jsonBody(response)).toMatchObject({ status: 503, code: 'SERVICE_BUSY' });
  });
});

describe('negotiateLanguage', () => {
  it.each([
    ['vi', 'vi'],
    ['en', 'en'],
    ['EN', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7', 'vi'],
    ['fr, en;q=0.5', 'en'],
    ['vi;q=0.4, en;q=0.8', 'en'],
    ['en;q=0.4, vi;q=0.8', 'vi'],
    ['fr', 'vi'],
    ['*', 'vi'],
    ['en;q=0', 'vi'],
    ['en;q=abc', 'vi'],
    ['', 'vi'],
    [undefined, 'vi'],
  ])('reads %j as %s', (acceptLanguage, expected) => {
    expect(negotiateLanguage(acceptLanguage)).toBe(expected);
  });
});
