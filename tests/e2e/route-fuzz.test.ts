import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import * as z from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/api/contract';
import { PROBLEM_CONTENT_TYPE } from '../../shared/runtime/problem';
import { ROUTES, type RouteDefinition } from '../../shared/runtime/routes';
import { RECORDED_REQUEST_HEADER, recordAwsWrites, type WriteRecorder } from '../support/aws-writes';
import { fromSchema, hostileJson, hostileText, mutated, PROTOTYPE_KEYS, rawBodies, type JsonSchema, type KnownValues } from '../support/fuzz-arbitraries';
import { officerToken, startLocalWard, type LocalWard } from '../support/local-ward';
import { closeRawConnections, headerValue, percentEncode, sendRaw, type RawRequest, type RawResponse } from '../support/raw-http';
import { call, MARITAL_STATUS_CODE, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile } from './citizen-client';

/**
 * Property-based fuzzing of every route of the route table, over HTTP against the local ward (the
 * real handlers, DynamoDB Local, the local S3 server, local officer tokens): requests shaped by
 * each route's own contract (so that many pass validation and reach the handlers' logic) and
 * mutated, hostile JSON, broken bodies, odd headers, paths and query strings. Whatever comes in,
 * the ward answers no 5xx, every 4xx is problem+json, and a refused request writes nothing.
 */
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 1000);
/** fast-check's seed: a fixed one by default, so that a finding reproduces; FUZZ_SEED explores others. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_101);
/** Requests in flight at once: enough to overlap DynamoDB Local's latency on two cores. */
const CONCURRENCY = 4;

let ward: LocalWard;
let writes: WriteRecorder;
let known: KnownValues;
/** Officer tokens by role, plus tokens the authorizer or the handlers refuse. */
const tokens: Record<string, string> = {};

interface Dossier {
  readonly code: string;
  readonly secret: string;
}

beforeAll(async () => {
  ward = await startLocalWard();
  for (const role of ['reception', 'specialist', 'leader']) tokens[role] = await officerToken({ roles: [role] });
  tokens.noRole = await officerToken({ roles: ['citizen'] });
  tokens.otherWard = await officerToken({ roles: ['leader'], wardClaim: 'another-ward' });
  tokens.expired = await officerToken({ roles: ['leader'], expiresIn: -3600 });
  tokens.otherKey = await officerToken({ roles: ['leader'], signWithOtherKey: true });

  const uploads = await Promise.all([0, 1, 2].map((index) => uploadFile(ward.baseUrl, { name: `to-khai-${index}.pdf`, type: 'application/pdf', bytes: SAMPLE_PDF })));
  const submit = async (uploadId: string): Promise<Dossier> => {
    const response = await call<Dossier>(ward.baseUrl, 'POST', '/dossiers', {
      body: maritalStatusSubmission(uploadId, { fullyOnline: false }),
      headers: { 'Idempotency-Key': newIdempotencyKey() },
    });
    expect(response.status).toBe(201);
    return response.body;
  };
  const submitted = await submit(uploads[0] as string);
  const resolved = await submit(uploads[1] as string);
  const officer = (action: Record<string, unknown>, role: string) =>
    call(ward.baseUrl, 'POST', `/officer/dossiers/${resolved.code}/transitions`, { body: action, headers: { Authorization: `Bearer ${tokens[role]}` } });
  for (const [action, role] of [
    [{ action: 'receive' }, 'reception'],
    [{ action: 'transfer' }, 'reception'],
    [{ action: 'approve', result: { title: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN', content: 'Bà Nguyễn Thị Hoa hiện chưa đăng ký kết hôn với ai.' } }, 'leader'],
  ] as const) {
    expect((await officer(action, role)).status).toBe(200);
  }
  const example = maritalStatusSubmission(uploads[2] as string);

  known = {
    code: [submitted.code, resolved.code, `${resolved.code.slice(0, -1)}9`],
    'x-dossier-secret': [submitted.secret, resolved.secret],
    procedureCode: [MARITAL_STATUS_CODE, '1.001193'],
    id: ['result-v1', 'form-01-v1', 'form-05-v1', ...uploads],
    uploadId: uploads,
    documentId: ['to-khai-xac-nhan-tthn'],
    fullName: [example.applicant.fullName, example.applicant.fullName.normalize('NFD')],
    idNumber: [example.applicant.idNumber, '079203004567'],
    phone: [example.applicant.phone, '+84987654321'],
    email: [example.applicant.email],
    address: [example.applicant.address],
    formData: [example.formData],
    attachments: [example.attachments],
    fileName: ['to-khai.pdf', 'ảnh căn cước.png'],
    size: [1024],
    // A few fixed keys: valid bodies then mostly meet a key already used with another body (422),
    // which keeps the number of dossiers (and PDFs rendered) created by the fuzzing small.
    'idempotency-key': ['fuzz-key-00000001', 'fuzz-key-00000002', 'fuzz-key-00000003'],
    'if-match': ['"1"', 'W/"3"', '4', '"999999999"'],
  };
  writes = recordAwsWrites();
}, 120_000);

afterAll(async () => {
  writes?.restore();
  closeRawConnections();
  await ward?.stop();
});

type Part = { body?: z.ZodType; query?: z.ZodType; headers?: z.ZodType; params?: z.ZodType };
const partOf = (route: RouteDefinition): Part => (contract as Readonly<Record<string, Part>>)[route.id] ?? {};

function jsonSchemaOf(schema: z.ZodType | undefined): JsonSchema | undefined {
  return schema === undefined ? undefined : (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
}

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=latin1',
  'text/plain',
  'application/pdf',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  '',
];
const LANGUAGES = ['vi', 'en', 'vi-VN,vi;q=0.9,en;q=0.8', 'fr', '*', 'en;q=abc', ',,,', 'x'.repeat(300)];
const ACCEPTS = ['application/json', 'text/html', '*/*', 'application/problem+json', 'image/png'];
/** Path segments that are not a value at all: traversal, broken or encoded separators. */
const PATH_TRICKS = ['..', '.', '%2e%2e', '%2F', '%', '%zz', '%E0%A4%A', 'a/b', '%00', ';', '%3Bx=1', '~', '%20'];

/** `arbitrary`'s value in about `percent` % of the cases, undefined otherwise. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 100 - percent, arbitrary: fc.constant(undefined) }, { weight: percent, arbitrary });

/** One request to `route`: shaped by its contract most of the time, hostile in every part. */
function requestFor(route: RouteDefinition): fc.Arbitrary<RawRequest> {
  const part = partOf(route);
  const paramsSchema = jsonSchemaOf(part.params);
  const querySchema = jsonSchemaOf(part.query);
  const headersSchema = jsonSchemaOf(part.headers);
  const bodySchema = jsonSchemaOf(part.body);
  const parameterNames = [...route.path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1] as string);

  const segment = (name: string) =>
    fc.oneof(
      { weight: 6, arbitrary: fromSchema(paramsSchema?.properties?.[name] ?? { type: 'string' }, known, name).map((value) => percentEncode(String(value))) },
      { weight: 3, arbitrary: hostileText.map(percentEncode) },
      { weight: 1, arbitrary: fc.constantFrom(...PATH_TRICKS) },
    );
  const path = fc.tuple(fc.tuple(...parameterNames.map(segment)), sometimes(fc.constantFrom('/', '//', '/extra', 'UPPER', '/%2e%2e/procedures'), 10)).map(([values, trick]) => {
    let index = 0;
    const filled = route.path.replace(/\{[A-Za-z0-9_]+\}/g, () => values[index++] ?? '');
    if (trick === 'UPPER') return filled.toUpperCase();
    return trick === undefined ? filled : trick === '//' ? filled.replace('/', '//') : `${filled}${trick}`;
  });

  const queryEntries = fc.tuple(
    querySchema ? sometimes(fromSchema(querySchema, known), 70) : fc.constant(undefined),
    sometimes(
      fc.array(
        fc.tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, 'a[b]', 'a[]', '', 'limit', 'from', 'to'), hostileText), fc.oneof(hostileText, fc.constantFrom(...PROTOTYPE_KEYS))),
        { minLength: 1, maxLength: 4 },
      ),
      30,
    ),
    sometimes(fc.constantFrom('&&&', '=', '==x', 'a=%', 'a=%E0%A4%A', 'a', '&a=1&a=2', `x=${'y'.repeat(4000)}`), 10),
  );
  const query = queryEntries.map(([shaped, extra, broken]) => {
    const pairs: [string, string][] = [];
    if (typeof shaped === 'object' && shaped !== null)
      for (const [key, value] of Object.entries(shaped)) pairs.push([key, typeof value === 'string' ? value : JSON.stringify(value)]);
    for (const [key, value] of extra ?? []) pairs.push([key, value]);
    const encoded = pairs.map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`);
    if (broken !== undefined) encoded.push(broken);
    return encoded.length === 0 ? '' : `?${encoded.join('&')}`;
  });

  const authorization = fc.oneof(
    { weight: route.auth === 'officer' ? 14 : 1, arbitrary: fc.constantFrom(...(route.roles ?? ['leader'])).map((role) => `Bearer ${tokens[role]}`) },
    { weight: 1, arbitrary: fc.constantFrom('reception', 'specialist', 'leader', 'noRole', 'otherWard', 'expired', 'otherKey').map((name) => `Bearer ${tokens[name]}`) },
    { weight: 1, arbitrary: fc.constantFrom('Bearer ', 'Basic YWRtaW46YWRtaW4=', 'Bearer a.b.c', `Bearer ${'x'.repeat(3000)}`, 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.') },
    { weight: route.auth === 'officer' ? 2 : 12, arbitrary: fc.constant(undefined) },
  );
  const contractHeaders = headersSchema ? sometimes(fromSchema(headersSchema, known), 85) : fc.constant(undefined);
  const extraHeaders = sometimes(
    fc.array(fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS, 'X-Forwarded-For', 'X-Dossier-Secret', 'If-Match', 'Idempotency-Key'), hostileText), { minLength: 1, maxLength: 3 }),
    20,
  );
  const headers = fc
    .tuple(
      sometimes(fc.constantFrom(...CONTENT_TYPES), 25),
      sometimes(fc.constantFrom(...LANGUAGES), 50),
      sometimes(fc.constantFrom(...ACCEPTS), 50),
      authorization,
      contractHeaders,
      extraHeaders,
    )
    .map(([contentType, language, accept, auth, shaped, extra]) => {
      const list: [string, string][] = [['Content-Type', contentType ?? 'application/json']];
      if (language !== undefined) list.push(['Accept-Language', language]);
      if (accept !== undefined) list.push(['Accept', accept]);
      if (auth !== undefined) list.push(['Authorization', auth]);
      if (typeof shaped === 'object' && shaped !== null) for (const [name, value] of Object.entries(shaped)) list.push([name, String(value)]);
      for (const [name, value] of extra ?? []) list.push([name, value]);
      return list.map(([name, value]) => [name, headerValue(value)] as const);
    });

  const json = (value: fc.Arbitrary<unknown>) => value.map((body) => Buffer.from(JSON.stringify(body) ?? 'null', 'utf8'));
  const body: fc.Arbitrary<Buffer | undefined> = bodySchema
    ? fc.oneof(
        { weight: 4, arbitrary: json(fromSchema(bodySchema, known)) },
        { weight: 4, arbitrary: json(mutated(fromSchema(bodySchema, known))) },
        { weight: 2, arbitrary: json(hostileJson) },
        { weight: 2, arbitrary: rawBodies },
        { weight: 1, arbitrary: fc.constant(undefined) },
      )
    : fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: json(hostileJson) },
        { weight: 2, arbitrary: rawBodies },
        { weight: route.method === 'POST' ? 1 : 0, arbitrary: fc.constant(SAMPLE_PDF) },
      );

  return fc.tuple(sometimes(fc.constantFrom(...OTHER_METHODS), 8), path, query, headers, body).map(([method, target, search, headerList, payload]) => ({
    method: method ?? route.method,
    target: `${target}${search}`,
    headers: headerList,
    ...(payload ? { body: payload } : {}),
  }));
}

interface Finding {
  readonly route: string;
  readonly problem: string;
  readonly request: RawRequest;
  readonly response: { status: number; contentType: string | undefined; body: string };
}

/** What is wrong with this answer to a request, if anything. */
function checkAnswer(request: RawRequest, response: RawResponse, written: readonly string[]): string | undefined {
  if (response.status >= 500) return `${response.status}`;
  if (response.status >= 400) {
    const contentType = String(response.headers['content-type'] ?? '');
    if (!contentType.startsWith(PROBLEM_CONTENT_TYPE.split(';')[0] as string)) return `${response.status} with Content-Type ${contentType || '(none)'}`;
    let problem: { type?: unknown; title?: unknown; status?: unknown };
    try {
      problem = JSON.parse(response.body.toString('utf8')) as typeof problem;
    } catch {
      return `${response.status} whose body is not JSON`;
    }
    if (typeof problem.type !== 'string' || typeof problem.title !== 'string' || problem.status !== response.status)
      return `${response.status} whose problem lacks type, title or status`;
    if (written.length > 0) return `${response.status} after writing ${written.join(', ')}`;
  }
  return undefined;
}

const counts = new Map<string, { requests: number; statuses: Map<number, number>; serverErrors: number; findings: number }>();
const findings: Finding[] = [];

describe('fuzzing every route of the route table', () => {
  it.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: no 5xx, every 4xx problem+json, nothing written on refusal',
    async (_name, route) => {
      const tally = { requests: 0, statuses: new Map<number, number>(), serverErrors: 0, findings: 0 };
      counts.set(route.id, tally);
      // Generated up front and sent a few at a time; the recorder tells each request's writes apart.
      const requests = fc.sample(requestFor(route), { numRuns: RUNS_PER_ROUTE, seed: SEED });
      let next = 0;
      const worker = async () => {
        while (next < requests.length) {
          const index = next++;
          const generated = requests[index] as RawRequest;
          const requestId = `${route.id}-${index}`;
          const request = { ...generated, headers: [...generated.headers, [RECORDED_REQUEST_HEADER, requestId] as const] };
          const response = await sendRaw(ward.baseUrl, request);
          const written = writes.writesOf(requestId);
          writes.commandsOf(requestId);
          tally.requests += 1;
          tally.statuses.set(response.status, (tally.statuses.get(response.status) ?? 0) + 1);
          if (response.status >= 500) tally.serverErrors += 1;
          const problem = checkAnswer(request, response, written);
          if (problem !== undefined) {
            tally.findings += 1;
            findings.push({
              route: route.id,
              problem,
              request: generated,
              response: { status: response.status, contentType: response.headers['content-type'] as string | undefined, body: response.body.toString('utf8').slice(0, 300) },
            });
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const mine = findings.filter((finding) => finding.route === route.id);
      expect(tally.requests).toBeGreaterThanOrEqual(RUNS_PER_ROUTE);
      expect(
        mine.slice(0, 5).map(({ problem, request, response }) => ({ problem, request: { ...request, body: request.body?.toString('utf8').slice(0, 400) }, response })),
        `${mine.length} bad answers (seed ${SEED})`,
      ).toEqual([]);
    },
    600_000,
  );

  afterAll(() => {
    const rows = [...counts].map(([id, tally]) => {
      const statuses = [...tally.statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${status}×${count}`)
        .join(' ');
      return `  ${id.padEnd(24)} ${String(tally.requests).padStart(5)} requests  ${String(tally.serverErrors).padStart(3)} × 5xx  ${String(tally.findings).padStart(3)} bad  ${statuses}`;
    });
    const total = [...counts.values()].reduce((sum, tally) => sum + tally.requests, 0);
    const serverErrors = [...counts.values()].reduce((sum, tally) => sum + tally.serverErrors, 0);
    if (process.env.FUZZ_FINDINGS_FILE) {
      const serializable = findings.map((finding) => ({ ...finding, request: { ...finding.request, body: finding.request.body?.toString('base64') } }));
      writeFileSync(process.env.FUZZ_FINDINGS_FILE, `${JSON.stringify(serializable, null, 2)}\n`);
    }
    // The summary CI's log shows (the lint allows warn and error only: it goes to stderr).
    console.warn(`Route fuzzing: ${counts.size} routes, ${total} requests, ${serverErrors} × 5xx, ${findings.length} bad answers\n${rows.join('\n')}`);
  });
});

it('the write recorder sees the handlers write', async () => {
  const upload = await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
  const headers = { 'Idempotency-Key': newIdempotencyKey(), [RECORDED_REQUEST_HEADER]: 'recorder-check' };
  const response = await call(ward.baseUrl, 'POST', '/dossiers', { body: maritalStatusSubmission(upload), headers });
  expect(response.status).toBe(201);
  expect(writes.writesOf('recorder-check')).toContain('TransactWriteCommand');
  const refused = await call(ward.baseUrl, 'GET', '/dossiers/000.00.70.H26-000101-0001/status', { headers: { [RECORDED_REQUEST_HEADER]: 'recorder-read' } });
  expect(refused.status).toBe(404);
  expect(writes.commandsOf('recorder-read')).toBeGreaterThan(0);
  expect(writes.writesOf('recorder-read')).toEqual([]);
});
