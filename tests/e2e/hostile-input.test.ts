import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officerToken, startLocalWard, type LocalWard } from '../support/local-ward';
import { call, MARITAL_STATUS_CODE, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, signedInAs, uploadFile } from './citizen-client';

/** Bad input over HTTP against the local ward: always a problem+json 4xx, and nothing written. */
let ward: LocalWard;
let leader: string;
let reception: string;

beforeAll(async () => {
  ward = await startLocalWard();
  leader = await officerToken({ roles: ['leader'], name: 'Trần Văn Nam' });
  reception = await officerToken({ roles: ['reception'], name: 'Lê Thị Tiếp Nhận' });
});

afterAll(async () => {
  await ward.stop();
});

const PROBLEM_JSON = /^application\/problem\+json\b/;

function expectProblem(response: { status: number; headers: Headers; body: Record<string, unknown> }, status: number, code?: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
  expect(response.body.status).toBe(status);
  if (code) expect(response.body.code).toBe(code);
}

describe("dates at and beyond the calendar's edges", () => {
  it.each(['2101-01-01T00:00:00+07:00', '2100-12-31T20:00:00-05:00', '1989-12-31T23:00:00+07:00', '0001-01-01T00:00:00Z'])('previews at %s: 400', async (at) => {
    const response = await call(ward.baseUrl, 'GET', `/procedures/${MARITAL_STATUS_CODE}/appointment?at=${encodeURIComponent(at)}`);

    expectProblem(response, 400);
  });

  it("previews on the calendar's last day, whose appointment would fall after it: 400, not 500", async () => {
    const response = await call(ward.baseUrl, 'GET', `/procedures/${MARITAL_STATUS_CODE}/appointment?at=${encodeURIComponent('2100-12-31T09:00:00+07:00')}`);

    expectProblem(response, 400, 'DATE_OUT_OF_RANGE');
  });

  it('filters the worklist by a due date beyond the calendar in Vietnam time: 400, whatever the offset says', async () => {
    const dueBefore = (value: string) =>
      call(ward.baseUrl, 'GET', `/officer/dossiers?dueBefore=${encodeURIComponent(value)}`, { headers: { Authorization: `Bearer ${reception}` } });

    expectProblem(await dueBefore('2101-01-01T00:00:00-07:00'), 400);
    // 2101 in Kiribati's offset is still 31 December 2100 in Vietnam.
    expect((await dueBefore('2101-01-01T00:00:00+14:00')).status).toBe(200);
  });

  it('asks for a register or KPIs of a period beyond the calendar: 400', async () => {
    const register = await call(ward.baseUrl, 'GET', '/officer/register?from=2101-01-01&to=2101-01-02', { headers: { Authorization: `Bearer ${reception}` } });
    const kpis = await call(ward.baseUrl, 'GET', '/officer/kpis?from=1989-12-01&to=1989-12-31', { headers: { Authorization: `Bearer ${leader}` } });

    expectProblem(register, 400);
    expectProblem(kpis, 400);
  });

  it('issues an apology with a new appointment beyond the calendar: 400, and the dossier is unchanged', async () => {
    const uploadId = await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
    const created = await call<{ code: string }>(ward.baseUrl, 'POST', '/officer/dossiers', {
      body: { ...maritalStatusSubmission(uploadId), fullyOnline: undefined, attachments: [], documentsReceived: ['to-khai-xac-nhan-tthn'] },
      headers: { Authorization: `Bearer ${reception}`, 'Idempotency-Key': newIdempotencyKey() },
    });
    expect(created.status).toBe(201);
    const before = await ward.tableKeys();

    for (const newAppointmentAt of ['2101-01-02T17:00:00+07:00', '2100-12-31T20:00:00-12:00', '1989-06-01T17:00:00+07:00']) {
      const response = await call(ward.baseUrl, 'POST', `/officer/dossiers/${created.body.code}/apology`, {
        body: { reason: 'Hồ sơ chậm do thiếu cán bộ.', newAppointmentAt },
        headers: { Authorization: `Bearer ${leader}` },
      });
      expectProblem(response, 400);
    }
    expect(await ward.tableKeys()).toEqual(before);
  });
});

describe('bodies, query strings and headers an attacker writes', () => {
  it('refuses a submission nested 5,000 levels deep with 400, and writes nothing', async () => {
    const before = await ward.tableKeys();
    const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;

    const response = await call(ward.baseUrl, 'POST', '/dossiers', {
      rawBody: `{"procedureCode":"${MARITAL_STATUS_CODE}","formData":${deep}}`,
      headers: { ...(await signedInAs(maritalStatusSubmission('').applicant)), 'Idempotency-Key': newIdempotencyKey() },
    });

    expectProblem(response, 400, 'BODY_TOO_COMPLEX');
    expect(await ward.tableKeys()).toEqual(before);
  });

  it('reads `__proto__`, `constructor` and `toString` in a query string as plain parameters', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const response = await call(ward.baseUrl, 'GET', `/procedures?${name}=1&${name}=2&field=${name}`);

      expect(response.status, `${name}: ${JSON.stringify(response.body)}`).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
    }
    const plain = await call(ward.baseUrl, 'GET', '/procedures?__proto__=1&constructor=2');
    expect(plain.status).toBe(200);
  });

  it('takes headers named like Object.prototype members as headers', async () => {
    const response = await fetch(`${ward.baseUrl}/procedures`, { headers: { constructor: 'x', __proto__: 'y', toString: 'z' } as unknown as Record<string, string> });

    expect(response.status).toBe(200);
  });

  it('answers headers larger than API Gateway takes with 431 problem+json', async () => {
    const { status, headers, body } = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const url = new URL(`${ward.baseUrl}/procedures`);
      const request = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, headers: { 'X-Padding': 'a'.repeat(16_000) } }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      });
      request.on('error', reject);
      request.end();
    });

    expect(status).toBe(431);
    expect(headers['content-type']).toMatch(PROBLEM_JSON);
    expect(JSON.parse(body)).toMatchObject({ status: 431, code: 'REQUEST_HEADER_FIELDS_TOO_LARGE' });
  });

  it('answers a request Node cannot parse with 400 problem+json', async () => {
    const url = new URL(ward.baseUrl);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write('GET /procedures HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });

    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
  });
});
