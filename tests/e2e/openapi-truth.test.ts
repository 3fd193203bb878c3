import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractOf } from '../../shared/api/openapi';
import { ROUTES, type RouteDefinition } from '../../shared/runtime/routes';
import { citizenToken, officerToken, startLocalWard, suiteWard, type LocalWard } from '../support/local-ward';
import { MARITAL_STATUS_CODE, SAMPLE_PDF, call, maritalStatusSubmission, newIdempotencyKey, uploadFile, type ApiResponse } from './citizen-client';

/*
 * The document served at /openapi.json against the handlers' real answers: every status and
 * problem code met is documented for its operation, the documented response headers (ETag,
 * Location, Retry-After) are the ones sent, and documented triggers of problem codes answer them.
 */

interface DocumentedResponse {
  readonly 'x-problem-codes'?: readonly string[];
  readonly headers?: Readonly<Record<string, unknown>>;
}
interface Document {
  readonly paths: Readonly<Record<string, Readonly<Record<string, { responses: Readonly<Record<string, DocumentedResponse>> }>>>>;
}

/** Upload limit of this file's ward: the last test spends what the others leave of it. */
const UPLOADS_PER_HOUR = 4;
const HEADERS_OF_INTEREST = ['etag', 'location', 'retry-after'];

let ward: LocalWard;
let document: Document;
let allRoles: string;
/** A signed-in citizen, for the routes of citizens and the online submission. */
let citizen: string;

beforeAll(async () => {
  const base = suiteWard();
  ward = await startLocalWard({ ward: { ...base, limits: { ...base.limits, uploadsPerSourcePerHour: UPLOADS_PER_HOUR } } });
  document = (await call<Document>(ward.baseUrl, 'GET', '/openapi.json')).body;
  allRoles = `Bearer ${await officerToken({ roles: ['reception', 'specialist', 'leader'] })}`;
  citizen = `Bearer ${await citizenToken({ idNumber: '001190012345', fullName: 'Nguyễn Thị Hoa', phone: '0912345678' })}`;
}, 120_000);

afterAll(async () => {
  await ward?.stop();
});

const route = (id: string): RouteDefinition => {
  const found = ROUTES.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no route ${id}`);
  return found;
};

/** What the document says of `response` to a request to `route`: the mismatches, none when it tells the truth. */
function mismatches(of: RouteDefinition, response: ApiResponse): string[] {
  const documented = document.paths[of.path]?.[of.method.toLowerCase()]?.responses[String(response.status)];
  const at = `${of.id} ${response.status}`;
  if (!documented) return [`${at}: status not documented`];
  const found: string[] = [];
  const code = (response.body as { code?: unknown }).code;
  if (response.status >= 400 && !documented['x-problem-codes']?.includes(String(code))) found.push(`${at}: code ${String(code)} not documented`);
  const sent = HEADERS_OF_INTEREST.filter((name) => response.headers.has(name));
  const said = Object.keys(documented.headers ?? {}).map((name) => name.toLowerCase());
  if (sent.join() !== said.filter((name) => HEADERS_OF_INTEREST.includes(name)).join()) found.push(`${at}: headers sent ${sent.join(',')}, documented ${said.join(',')}`);
  return found;
}

const expectDocumented = (id: string, response: ApiResponse, status?: number, code?: string) => {
  if (status !== undefined) expect({ status: response.status, code: (response.body as { code?: string }).code }).toMatchObject({ status, ...(code ? { code } : {}) });
  expect(mismatches(route(id), response)).toEqual([]);
};

async function submitted(overrides: Record<string, unknown> = {}) {
  const uploadId = await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
  const body = maritalStatusSubmission(uploadId, overrides);
  const key = newIdempotencyKey();
  const response = await call<{ code: string; secret: string }>(ward.baseUrl, 'POST', '/dossiers', { body, headers: { 'Idempotency-Key': key } });
  return { response, body, key, code: response.body.code, secret: response.body.secret };
}

describe('a citizen’s dossier, against the document', () => {
  let dossier: Awaited<ReturnType<typeof submitted>>;
  beforeAll(async () => {
    dossier = await submitted();
  });

  it('answers a submission 201 with the documented Location, which resolves against the request’s URL to the dossier', async () => {
    expectDocumented('SubmitDossier', dossier.response, 201);
    const location = new URL(dossier.response.headers.get('location') ?? '', `${ward.baseUrl}/dossiers`);

    expect(location.href).toBe(`${ward.baseUrl}/dossiers/${encodeURIComponent(dossier.code)}`);
    const read = await call(ward.baseUrl, 'GET', location.pathname, { headers: { 'X-Dossier-Secret': dossier.secret } });
    expectDocumented('GetDossier', read, 200);
    expect(read.headers.get('etag')).toMatch(/^"[0-9]+"$/);
  });

  it('answers a retry 200 with the same Location, and a reused key with another body 422', async () => {
    const retry = await call(ward.baseUrl, 'POST', '/dossiers', { body: dossier.body, headers: { 'Idempotency-Key': dossier.key } });
    expectDocumented('SubmitDossier', retry, 200);
    expect(retry.headers.get('location')).toBe(dossier.response.headers.get('location'));

    const reused = await call(ward.baseUrl, 'POST', '/dossiers', { body: { ...dossier.body, fullyOnline: false }, headers: { 'Idempotency-Key': dossier.key } });
    expectDocumented('SubmitDossier', reused, 422, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('answers an unknown procedure 400 UNKNOWN_PROCEDURE', async () => {
    const response = await call(ward.baseUrl, 'POST', '/dossiers', {
      body: { ...maritalStatusSubmission(randomUUID()), procedureCode: '9.999999', attachments: [] },
      headers: { 'Idempotency-Key': newIdempotencyKey() },
    });
    expectDocumented('SubmitDossier', response, 400, 'UNKNOWN_PROCEDURE');
  });

  it('answers rating an unresolved dossier 409 NOT_RESOLVED', async () => {
    const response = await call(ward.baseUrl, 'POST', `/dossiers/${dossier.code}/rating`, { body: { overall: 'SATISFIED' }, headers: { 'X-Dossier-Secret': dossier.secret } });
    expectDocumented('RateDossier', response, 409, 'NOT_RESOLVED');
  });

  it('takes a withdrawal with no body at all, and answers a second one 409 INVALID_TRANSITION', async () => {
    const withdrawn = await call(ward.baseUrl, 'POST', `/dossiers/${dossier.code}/withdraw`, { headers: { 'X-Dossier-Secret': dossier.secret } });
    expectDocumented('WithdrawDossier', withdrawn, 200);

    const again = await call(ward.baseUrl, 'POST', `/dossiers/${dossier.code}/withdraw`, { headers: { 'X-Dossier-Secret': dossier.secret } });
    expectDocumented('WithdrawDossier', again, 409, 'INVALID_TRANSITION');
  });

  it('takes a withdrawal with an optional reason', async () => {
    const other = await submitted();
    const withdrawn = await call(ward.baseUrl, 'POST', `/dossiers/${other.code}/withdraw`, { body: { reason: 'Nộp nhầm thủ tục' }, headers: { 'X-Dossier-Secret': other.secret } });
    expectDocumented('WithdrawDossier', withdrawn, 200);
  });
});

describe("a procedure's form fields", () => {
  const badForm = async (lang?: string) => {
    const procedure = await call<{ formFields: { name: string; label: string; type: string }[] }>(ward.baseUrl, 'GET', `/procedures/${MARITAL_STATUS_CODE}`);
    const field = procedure.body.formFields.find((candidate) => candidate.type === 'text');
    if (!field) throw new Error('the procedure has no text field');
    const response = await call<{ code: string; errors: { path: string; message: string }[] }>(ward.baseUrl, 'POST', '/dossiers', {
      body: maritalStatusSubmission(randomUUID(), { formData: { purpose: 'Đăng ký kết hôn', maritalStatus: 'Chưa kết hôn', [field.name]: 12345 } }),
      headers: { 'Idempotency-Key': newIdempotencyKey(), ...(lang ? { 'Accept-Language': lang } : {}) },
    });
    return { response, field, error: response.body.errors?.find((candidate) => candidate.path === `body.formData.${field.name}`) };
  };

  it('are refused in Vietnamese by default, naming the field by its label', async () => {
    const { response, field, error } = await badForm();

    expectDocumented('SubmitDossier', response, 400, 'VALIDATION_FAILED');
    expect(error?.message.startsWith(`${field.label}: `)).toBe(true);
    expect(error?.message).toMatch(/[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/iu);
  });

  it('are refused in English when Accept-Language prefers it, still naming the field by its label', async () => {
    const [{ error: vietnamese }, { field, error: english }] = await Promise.all([badForm('vi'), badForm('en-GB,en;q=0.9,vi;q=0.5')]);

    expect(english?.message.startsWith(`${field.label}: `)).toBe(true);
    expect(english?.message).toMatch(/expected|invalid/i);
    expect(english?.message).not.toBe(vietnamese?.message);
  });
});

describe('an officer’s dossier, against the document', () => {
  let code: string;
  beforeAll(async () => {
    const counter = await call<{ code: string }>(ward.baseUrl, 'POST', '/officer/dossiers', {
      body: { ...maritalStatusSubmission(randomUUID()), attachments: [], fullyOnline: undefined, documentsReceived: ['to-khai-xac-nhan-tthn'] },
      headers: { 'Idempotency-Key': newIdempotencyKey(), Authorization: allRoles },
    });
    expectDocumented('CreateCounterDossier', counter, 201);
    code = counter.body.code;
    const location = new URL(counter.headers.get('location') ?? '', `${ward.baseUrl}/officer/dossiers`);
    expect(location.href).toBe(`${ward.baseUrl}/officer/dossiers/${encodeURIComponent(code)}`);
  });

  it('answers a read with its ETag, and an action with the new one', async () => {
    const online = await submitted();
    const read = await call(ward.baseUrl, 'GET', `/officer/dossiers/${online.code}`, { headers: { Authorization: allRoles } });
    expectDocumented('GetOfficerDossier', read, 200);
    const etag = read.headers.get('etag') ?? '';

    const stale = await call(ward.baseUrl, 'POST', `/officer/dossiers/${online.code}/transitions`, {
      body: { action: 'receive' },
      headers: { Authorization: allRoles, 'If-Match': '"999"' },
    });
    expectDocumented('TransitionDossier', stale, 409, 'VERSION_CONFLICT');

    const received = await call(ward.baseUrl, 'POST', `/officer/dossiers/${online.code}/transitions`, {
      body: { action: 'receive' },
      headers: { Authorization: allRoles, 'If-Match': etag },
    });
    expectDocumented('TransitionDossier', received, 200);
    expect(received.headers.get('etag')).toBe(`"${String(received.body.version)}"`);
    expect(received.headers.get('etag')).not.toBe(etag);
  });

  it('answers 401 without a token and 403 to a role that may not act', async () => {
    const anonymous = await call(ward.baseUrl, 'GET', `/officer/dossiers/${code}`);
    expectDocumented('GetOfficerDossier', anonymous, 401, 'UNAUTHORIZED');

    const reception = `Bearer ${await officerToken({ roles: ['reception'] })}`;
    const refused = await call(ward.baseUrl, 'POST', `/officer/dossiers/${code}/result/cancel`, { body: { reason: 'Sai thông tin' }, headers: { Authorization: reception } });
    expectDocumented('CancelResult', refused, 403, 'FORBIDDEN');
  });

  it('answers cancelling a result that was never issued 409 NO_RESULT', async () => {
    const leader = `Bearer ${await officerToken({ roles: ['leader'] })}`;
    const response = await call(ward.baseUrl, 'POST', `/officer/dossiers/${code}/result/cancel`, { body: { reason: 'Sai thông tin' }, headers: { Authorization: leader } });
    expectDocumented('CancelResult', response, 409, 'NO_RESULT');
  });
});

describe('every route, with hostile and well-formed requests', () => {
  /** Well-formed path parameters that name nothing. */
  const fill = (of: RouteDefinition) =>
    of.path
      .replace('{procedureCode}', '9.999999')
      .replace('{code}', '000.00.70.H26-260105-9999')
      .replace('{id}', of.path.startsWith('/officer/attachments') ? randomUUID() : 'result-v1');
  /** A body each route with a path parameter takes, so that the lookup is what refuses it. */
  const WELL_FORMED_BODIES: Readonly<Record<string, unknown>> = {
    WithdrawDossier: {},
    SupplementDossier: { note: 'Bổ sung giấy tờ' },
    RateDossier: { overall: 'SATISFIED' },
    TransitionDossier: { action: 'receive' },
    CancelResult: { reason: 'Sai thông tin' },
    IssueApology: { reason: 'Chậm xử lý', newAppointmentAt: '2026-12-31T17:00:00+07:00' },
    SaveResultDraft: { title: 'Giấy xác nhận', content: 'Nội dung kết quả' },
  };
  /**
   * `Authorization: ''` in a request below stands for the route's own sign-in: an officer's token
   * on officer routes, a citizen's on citizens' routes and the online submission, none elsewhere
   * (a public route opened by a secret would check a token it is given).
   */
  const signInOf = (of: RouteDefinition): Record<string, string> =>
    of.auth === 'officer' ? { Authorization: allRoles } : of.auth === 'citizen' || of.id === 'SubmitDossier' ? { Authorization: citizen } : {};
  const requests = (of: RouteDefinition): { name: string; query?: string; rawBody?: string; headers?: Record<string, string> }[] => [
    { name: 'bare', headers: { Authorization: '' } },
    { name: 'bad query', query: '?limit=0&status=NOPE&from=2026-13-01&to=x&at=yesterday&format=doc&field=x', headers: { Authorization: '' } },
    { name: 'long header', headers: { Authorization: '', 'X-Dossier-Secret': 'x'.repeat(65), 'If-Match': 'nope', 'Idempotency-Key': '?' } },
    ...(of.method === 'POST'
      ? [
          { name: 'malformed JSON', rawBody: '{"a":', headers: { Authorization: '', 'Content-Type': 'application/json' } },
          { name: 'not JSON', rawBody: 'a=b', headers: { Authorization: '', 'Content-Type': 'application/x-www-form-urlencoded' } },
          { name: 'wrong members', rawBody: '{"unexpected":true}', headers: { Authorization: '', 'Content-Type': 'application/json' } },
          { name: 'too large', rawBody: JSON.stringify({ note: 'x'.repeat(70 * 1024) }), headers: { Authorization: '', 'Content-Type': 'application/json' } },
          ...(contractOf(of).binaryBody
            ? [{ name: 'too large a file', rawBody: '%PDF-'.padEnd((contractOf(of).binaryBody?.maxBytes ?? 0) + 1, 'x'), headers: { 'Content-Type': 'application/pdf' } }]
            : []),
          { name: 'well-formed', rawBody: JSON.stringify(WELL_FORMED_BODIES[of.id] ?? {}), headers: { Authorization: '', 'Content-Type': 'application/json' } },
        ]
      : []),
  ];

  it.each(ROUTES.map((r) => [r.id, r] as const))('%s answers only what its operation documents, and the codes its shape implies', async (_id, of) => {
    const found: string[] = [];
    const met = new Set<string>();
    for (const request of requests(of)) {
      const { Authorization: placeholder, ...given } = request.headers ?? {};
      const headers = { ...given, ...(placeholder === '' ? signInOf(of) : placeholder === undefined ? {} : { Authorization: placeholder }) };
      const response = await fetch(`${ward.baseUrl}${fill(of)}${request.query ?? ''}`, {
        method: of.method,
        headers,
        ...(request.rawBody !== undefined ? { body: request.rawBody } : {}),
      });
      const text = await response.text();
      const body = response.headers.get('content-type')?.includes('json') && text ? (JSON.parse(text) as Record<string, unknown>) : {};
      if (typeof body.code === 'string') met.add(body.code);
      found.push(...mismatches(of, { status: response.status, headers: response.headers, body }).map((mismatch) => `${request.name}: ${mismatch}`));
    }
    // The codes the document derives from the route's shape are ones it really answers.
    const implied = [
      ...(of.path.includes('{') ? ['NOT_FOUND'] : []),
      ...(contractOf(of).body ? ['VALIDATION_FAILED', 'MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE'] : []),
      ...(contractOf(of).binaryBody ? ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'] : []),
    ];

    expect(found).toEqual([]);
    expect(implied.filter((code) => !met.has(code))).toEqual([]);
  });
});

describe('limits', () => {
  it('answers uploads over the ward’s limit 429 RATE_LIMITED with the documented Retry-After', async () => {
    let response: ApiResponse | undefined;
    for (let attempt = 0; attempt <= UPLOADS_PER_HOUR; attempt += 1) {
      response = await call(ward.baseUrl, 'POST', '/uploads', { body: { fileName: 'a.pdf', contentType: 'application/pdf', size: 10 } });
      if (response.status === 429) break;
    }

    expectDocumented('CreateUpload', response as ApiResponse, 429, 'RATE_LIMITED');
    expect(Number(response?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
