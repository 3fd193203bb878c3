import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { MiddlewareStack } from '@smithy/types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../shared/api/openapi';
import { ROUTES, type RouteDefinition } from '../../shared/runtime/routes';
import { vietnamDate } from '../../shared/domain/time';
import { citizenToken, officerToken, startLocalWard, type LocalWard } from '../support/local-ward';
import { call, MARITAL_STATUS_CODE, maritalStatusSubmission, newIdempotencyKey, SAMPLE_PDF, uploadFile } from './citizen-client';

/**
 * Faults injected into the AWS clients the HTTP handlers use (DynamoDB and S3: in local mode KMS
 * is replaced by local keys), at the SDK's own middleware stack, against the local ward: every
 * route answers 503 problem+json with Retry-After to throttling, a 5xx and a timeout of a service
 * it calls, and leaves the table and the buckets exactly as they were.
 */
type Fault = 'throttling' | 'server error' | 'timeout';
type Service = 'dynamodb' | 's3';

/** The errors as the SDK delivers them after its retries: real names, `$metadata`, `$fault`. */
function faultError(fault: Fault, service: Service): Error {
  switch (fault) {
    case 'throttling':
      return service === 'dynamodb'
        ? Object.assign(new Error('The level of configured provisioned throughput for the table was exceeded.'), {
            name: 'ProvisionedThroughputExceededException',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
          })
        : Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $fault: 'client', $metadata: { httpStatusCode: 503 } });
    case 'server error':
      return Object.assign(new Error('Internal server error'), {
        name: service === 'dynamodb' ? 'InternalServerError' : 'InternalError',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
      });
    case 'timeout':
      return Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError' });
  }
}

/** Which commands fail, by service; undefined: none. A command matches by its name (`TransactWrite`, `PutObject`…). */
const injected: Partial<Record<Service, { readonly fault: Fault; readonly commands?: RegExp; failed: number }>> = {};

function injectInto(service: Service, stack: MiddlewareStack<object, object>): void {
  stack.add(
    (next, context) => (args) => {
      const injection = injected[service];
      if (injection && (injection.commands === undefined || injection.commands.test(context.commandName ?? ''))) {
        injection.failed += 1;
        return Promise.reject(faultError(injection.fault, service));
      }
      return next(args);
    },
    { step: 'initialize', name: `injectFault-${service}`, priority: 'high' },
  );
}

let ward: LocalWard;
let s3: S3Client;
const tokens = { reception: '', specialist: '', leader: '' };
let citizen: { code: string; secret: string };
let counter: { code: string; documentId: string; version: number };
let attachmentId: string;
/** The online dossiers' applicant, signed in. */
let signedIn: { Authorization: string };

async function submitOnline(): Promise<{ code: string; secret: string }> {
  const uploadId = await uploadFile(ward.baseUrl, { name: 'to-khai.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
  const response = await call<{ code: string; secret: string }>(ward.baseUrl, 'POST', '/dossiers', {
    body: maritalStatusSubmission(uploadId, { fullyOnline: false }),
    headers: { 'Idempotency-Key': newIdempotencyKey() },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

beforeAll(async () => {
  ward = await startLocalWard();
  signedIn = { Authorization: `Bearer ${await citizenToken({ idNumber: '001190012345', fullName: 'Nguyễn Thị Hoa', phone: '0912345678' })}` };
  s3 = new S3Client(ward.aws.s3ClientConfig);
  // The very clients the handlers use (module scope, once per process).
  const { dynamo } = await import('../../shared/runtime/dynamodb');
  const runtimeS3 = await import('../../shared/runtime/s3');
  injectInto('dynamodb', dynamo.middlewareStack as unknown as MiddlewareStack<object, object>);
  injectInto('s3', runtimeS3.s3.middlewareStack as unknown as MiddlewareStack<object, object>);
  tokens.reception = await officerToken({ roles: ['reception'], name: 'Lê Thị Tiếp Nhận' });
  tokens.specialist = await officerToken({ roles: ['specialist'], name: 'Phạm Văn Chuyên' });
  tokens.leader = await officerToken({ roles: ['leader'], name: 'Trần Văn Nam' });
  citizen = await submitOnline();
  attachmentId = await uploadFile(ward.baseUrl, { name: 'giay-to.pdf', type: 'application/pdf', bytes: SAMPLE_PDF });
  const created = await call<{ code: string; version: number }>(ward.baseUrl, 'POST', '/officer/dossiers', {
    body: { ...maritalStatusSubmission(attachmentId), fullyOnline: undefined, attachments: [], documentsReceived: ['to-khai-xac-nhan-tthn'] },
    headers: { Authorization: `Bearer ${tokens.reception}`, 'Idempotency-Key': newIdempotencyKey() },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const documents = await call<{ items: { id: string }[] }>(ward.baseUrl, 'GET', `/officer/dossiers/${created.body.code}/documents`, {
    headers: { Authorization: `Bearer ${tokens.reception}` },
  });
  counter = { code: created.body.code, documentId: documents.body.items[0]?.id ?? '', version: created.body.version };
  expect(counter.documentId).not.toBe('');
}, 120_000);

afterEach(() => {
  delete injected.dynamodb;
  delete injected.s3;
});

afterAll(async () => {
  s3.destroy();
  await ward.stop();
});

interface RouteRequest {
  readonly path: string;
  readonly body?: unknown;
  readonly rawPdf?: Buffer;
  readonly headers?: Record<string, string>;
}

const officer = (role: keyof typeof tokens) => ({ Authorization: `Bearer ${tokens[role]}` });

/** A request each route would accept (valid input, a caller allowed to make it). */
function requestFor(route: RouteDefinition): RouteRequest {
  const today = vietnamDate(new Date());
  const secret = { 'X-Dossier-Secret': citizen.secret };
  switch (route.id) {
    case 'ListProcedures':
      return { path: '/procedures' };
    case 'GetProcedure':
      return { path: `/procedures/${MARITAL_STATUS_CODE}` };
    case 'PreviewAppointment':
      return { path: `/procedures/${MARITAL_STATUS_CODE}/appointment?at=2026-01-05T09:30:00%2B07:00` };
    case 'CreateUpload':
      return { path: '/uploads', body: { fileName: 'to-khai.pdf', contentType: 'application/pdf', size: SAMPLE_PDF.length } };
    case 'SubmitDossier':
      return { path: '/dossiers', body: maritalStatusSubmission(attachmentId, { fullyOnline: false }), headers: { 'Idempotency-Key': newIdempotencyKey() } };
    case 'GetDossierStatus':
      return { path: `/dossiers/${citizen.code}/status` };
    case 'GetDossier':
      return { path: `/dossiers/${citizen.code}`, headers: secret };
    case 'WithdrawDossier':
      return { path: `/dossiers/${citizen.code}/withdraw`, body: { reason: 'Tôi nộp nhầm thủ tục.' }, headers: secret };
    case 'SupplementDossier':
      return { path: `/dossiers/${citizen.code}/supplement`, body: { note: 'Gửi bổ sung.' }, headers: secret };
    case 'GetResultLink':
      return { path: `/dossiers/${citizen.code}/result`, headers: secret };
    case 'RateDossier':
      return { path: `/dossiers/${citizen.code}/rating`, body: { overall: 'SATISFIED' }, headers: secret };
    case 'ListDossierDocuments':
      return { path: `/dossiers/${citizen.code}/documents`, headers: secret };
    case 'GetDossierDocumentLink':
      return { path: `/dossiers/${citizen.code}/documents/${counter.documentId}`, headers: secret };
    case 'GetVerification':
      return { path: `/verify/${counter.code}`, headers: { Accept: 'application/json' } };
    case 'VerifyDocument':
      return { path: '/verify', rawPdf: SAMPLE_PDF };
    case 'GetSigningKey':
      return { path: '/verify/public-key' };
    case 'GetOpenApi':
      return { path: '/openapi.json' };
    case 'CreateCounterDossier':
      return {
        path: '/officer/dossiers',
        body: { ...maritalStatusSubmission(attachmentId), fullyOnline: undefined, attachments: [], documentsReceived: ['to-khai-xac-nhan-tthn'] },
        headers: { ...officer('reception'), 'Idempotency-Key': newIdempotencyKey() },
      };
    case 'ListDossiers':
      return { path: '/officer/dossiers?status=SUBMITTED', headers: officer('reception') };
    case 'GetOfficerDossier':
      return { path: `/officer/dossiers/${citizen.code}`, headers: officer('reception') };
    case 'TransitionDossier':
      return { path: `/officer/dossiers/${citizen.code}/transitions`, body: { action: 'receive' }, headers: officer('reception') };
    case 'SaveResultDraft':
      return {
        path: `/officer/dossiers/${counter.code}/result-draft`,
        body: { title: 'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN', content: 'Bà Nguyễn Thị Hoa hiện chưa đăng ký kết hôn với ai.' },
        headers: officer('specialist'),
      };
    case 'CancelResult':
      return { path: `/officer/dossiers/${counter.code}/result/cancel`, body: { reason: 'Kết quả cấp nhầm người.' }, headers: officer('leader') };
    case 'ListOfficerDocuments':
      return { path: `/officer/dossiers/${counter.code}/documents`, headers: officer('reception') };
    case 'GetOfficerDocumentLink':
      return { path: `/officer/dossiers/${counter.code}/documents/${counter.documentId}`, headers: officer('reception') };
    case 'GetAttachmentLink':
      return { path: `/officer/attachments/${attachmentId}`, headers: officer('reception') };
    case 'IssueApology':
      return {
        path: `/officer/dossiers/${counter.code}/apology`,
        body: { reason: 'Hồ sơ chậm do thiếu cán bộ.', newAppointmentAt: '2099-01-05T17:00:00+07:00' },
        headers: officer('leader'),
      };
    case 'GetRegister':
      return { path: `/officer/register?from=${today}&to=${today}`, headers: officer('reception') };
    case 'ListMyDossiers':
      return { path: '/me/dossiers', headers: signedIn };
    case 'GetPrefill':
      return { path: `/me/prefill?procedureCode=${MARITAL_STATUS_CODE}`, headers: signedIn };
    case 'GetKpis':
      return { path: `/officer/kpis?from=${today}&to=${today}`, headers: officer('leader') };
    case 'GetSyncStatus':
      return { path: '/officer/sync-status', headers: officer('leader') };
    case 'CreateDataSubjectExport':
      return { path: '/officer/data-subject-exports', body: { idNumber: '001190012345', reason: 'Yêu cầu của chủ thể dữ liệu tại quầy' }, headers: officer('leader') };
    case 'ListDataSubjectExports':
      return { path: '/officer/data-subject-exports', headers: officer('leader') };
    case 'GetAccessLog':
      return { path: `/officer/access-log?code=${counter.code}`, headers: officer('leader') };
    default:
      throw new Error(`no request for route ${route.id}: add one`);
  }
}

async function send(route: RouteDefinition, request: RouteRequest) {
  if (request.rawPdf) {
    const response = await fetch(`${ward.baseUrl}${request.path}`, {
      method: route.method,
      headers: { 'Content-Type': 'application/pdf', ...request.headers },
      body: request.rawPdf,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  }
  return call(ward.baseUrl, route.method, request.path, {
    ...(request.body !== undefined ? { body: request.body } : {}),
    ...(request.headers ? { headers: request.headers } : {}),
  });
}

async function bucketKeys(bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

/** Everything written: the table's items and the objects of both buckets. */
async function writtenState() {
  return { table: await ward.tableKeys(), uploads: await bucketKeys(ward.uploadsBucket), archive: await bucketKeys(ward.archiveBucket) };
}

const SERVICES: readonly Service[] = ['dynamodb', 's3'];

/**
 * A counter dossier is committed before its receipt (form 01) is signed and archived: when S3
 * fails in between, the 503 leaves the dossier without its receipt, and the retry the 503 asks for
 * (same Idempotency-Key) issues it. There, the check is that the retry completes it, once.
 */
const COMPLETED_BY_RETRY: Readonly<Record<string, readonly Service[]>> = { CreateCounterDossier: ['s3'] };
const FAULTS: readonly Fault[] = ['throttling', 'server error', 'timeout'];

describe('every route under an AWS fault', () => {
  for (const route of ROUTES) {
    for (const service of SERVICES) {
      it(`${route.id} answers 503 problem+json with Retry-After to ${service} throttling, 5xx and timeouts, and writes nothing`, async () => {
        for (const fault of FAULTS) {
          const request = requestFor(route);
          const before = await writtenState();
          const injection = { fault, failed: 0 };
          injected[service] = injection;

          const response = await send(route, request);

          delete injected[service];
          const context = `${route.id}, ${service} ${fault}: ${response.status} ${JSON.stringify(response.body)}`;
          // Every route with a table reads it: the fault must have reached it.
          if (service === 'dynamodb' && route.access.table) expect(injection.failed, context).toBeGreaterThan(0);
          if (injection.failed === 0) {
            // The route does not call this service (with this input): its ordinary answer.
            expect(response.status, context).toBeLessThan(500);
            continue;
          }
          expect(response.status, context).toBe(503);
          expect(response.headers.get('content-type'), context).toMatch(/^application\/problem\+json/);
          expect(Number(response.headers.get('retry-after')), context).toBeGreaterThan(0);
          expect(response.body, context).toMatchObject({ status: 503, code: 'SERVICE_BUSY' });
          // What /openapi.json says of it.
          expect(documented503(route), context).toMatchObject({
            'x-problem-codes': expect.arrayContaining(['SERVICE_BUSY']) as unknown,
            headers: { 'Retry-After': expect.anything() as unknown },
          });
          if (COMPLETED_BY_RETRY[route.id]?.includes(service)) {
            await expectCompletedByRetry(route, request, before.table, context);
          } else {
            expect(await writtenState(), context).toEqual(before);
          }
        }
      });
    }
  }
});

/** The 503 response the API document gives the route. */
function documented503(route: RouteDefinition): unknown {
  const paths = buildOpenApiDocument(ward.ward).paths as Readonly<Record<string, Readonly<Record<string, { responses: Readonly<Record<string, unknown>> }>>>>;
  return paths[route.path]?.[route.method.toLowerCase()]?.responses['503'];
}

/** The retry of a counter dossier whose receipt failed: the same dossier, now with its receipt, and one dossier more than before the first try. */
async function expectCompletedByRetry(route: RouteDefinition, request: RouteRequest, tableBefore: readonly string[], context: string): Promise<void> {
  const retried = await send(route, request);
  expect(retried.status, `${context}; retried: ${JSON.stringify(retried.body)}`).toBe(200);
  const code = String(retried.body.code);
  const added = (await ward.tableKeys()).filter((key) => !tableBefore.includes(key));
  expect(
    added.filter((key) => key.endsWith('|DOSSIER')),
    context,
  ).toEqual([`DOSSIER#${code}|DOSSIER`]);
  expect(added, context).toContain(`DOSSIER#${code}|DOCUMENT#form-01-v1`);
}

describe('a route that writes more than once, when its last write fails', () => {
  it('a submission whose transaction is throttled leaves no dossier and gives its number back', async () => {
    const before = await writtenState();
    injected.dynamodb = { fault: 'throttling', commands: /^TransactWrite/, failed: 0 };

    const failed = await send(
      ROUTES.find((route) => route.id === 'SubmitDossier') as RouteDefinition,
      requestFor(ROUTES.find((route) => route.id === 'SubmitDossier') as RouteDefinition),
    );

    delete injected.dynamodb;
    expect(failed.status, JSON.stringify(failed.body)).toBe(503);
    expect(failed.headers.get('retry-after')).not.toBeNull();
    const after = await writtenState();
    expect(after.table).toEqual(before.table);
    expect(after.archive).toEqual(before.archive);
    // Claiming the attachment copied it under attachments/ before the transaction: a copy of the
    // citizen's own upload, which the retry claims again; no dossier points at it.
    expect(after.uploads.filter((key) => !before.uploads.includes(key)).every((key) => key.startsWith('attachments/'))).toBe(true);
    // The number it had taken went back: the next submission's leaves the day's numbers gapless.
    await submitOnline();
    const numbers = (await ward.tableKeys()).filter((key) => key.endsWith('|DOSSIER')).map((key) => Number(key.split('|')[0]?.split('-').at(-1)));
    expect(numbers.sort((a, b) => a - b)).toEqual(numbers.map((_, index) => index + 1));
  });

  it('a counter dossier whose transaction fails after its receipt was rendered and signed leaves nothing in the table', async () => {
    const route = ROUTES.find((candidate) => candidate.id === 'CreateCounterDossier') as RouteDefinition;
    const before = await writtenState();
    injected.dynamodb = { fault: 'server error', commands: /^TransactWrite/, failed: 0 };

    const failed = await send(route, requestFor(route));

    delete injected.dynamodb;
    expect(failed.status, JSON.stringify(failed.body)).toBe(503);
    expect((await writtenState()).table).toEqual(before.table);
  });

  it('a transition whose transaction times out leaves the dossier as it was', async () => {
    const route = ROUTES.find((candidate) => candidate.id === 'TransitionDossier') as RouteDefinition;
    const view = () => call<{ version: number; status: string }>(ward.baseUrl, 'GET', `/officer/dossiers/${citizen.code}`, { headers: officer('reception') });
    // The read first: it records an access entry, which is no part of what the transition writes.
    const dossier = (await view()).body;
    const before = { dossier, state: await writtenState() };
    injected.dynamodb = { fault: 'timeout', commands: /^TransactWrite/, failed: 0 };

    const failed = await send(route, requestFor(route));

    delete injected.dynamodb;
    expect(failed.status, JSON.stringify(failed.body)).toBe(503);
    expect((await writtenState()).table).toEqual(before.state.table);
    expect((await view()).body).toMatchObject({ version: before.dossier.version, status: before.dossier.status });
    // The receipt was signed and archived (write-once) before the transaction failed; the retry
    // takes that very document (same key, same version, same officer) rather than a second one.
    const retried = await send(route, requestFor(route));
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect((await view()).body).toMatchObject({ version: before.dossier.version + 1, status: 'RECEIVED' });
    const receipts = (await writtenState()).archive.filter((key) => key.startsWith(`documents/${citizen.code}/form-01`));
    expect(receipts).toEqual([`documents/${citizen.code}/form-01-v1.json`, `documents/${citizen.code}/form-01-v1.pdf`]);
  });
});
