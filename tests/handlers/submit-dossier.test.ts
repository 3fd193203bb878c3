import 'aws-sdk-client-mock-vitest/extend';
import { ConditionalCheckFailedException, ProvisionedThroughputExceededException, TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import {
  CopyObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  NotFound,
  S3Client,
  S3ServiceException,
  type GetObjectCommandOutput,
  type HeadObjectCommandInput,
} from '@aws-sdk/client-s3';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { handler as SubmitHandler } from '../../functions/dossiers/submit-dossier';
import { dossierItem } from '../../shared/adapters/dynamodb/items';
import { SubmissionSchema } from '../../shared/domain/dossier';
import { hashSecret, idempotencyKeyHash, sealSecret, unsealSecret } from '../../shared/use-cases/secrets';
import { submissionFingerprint } from '../../shared/use-cases/submit-dossier';
import { submittedDossier } from '../fixtures/dossier';
import { apiEvent, jsonBody, JSON_HEADERS, lambdaContext } from '../fixtures/lambda';
import { birthRegistrationBody, BIRTH_REGISTRATION_CODE, catalogItem, catalogProcedure, UPLOAD_IDS, type SubmissionBody } from '../fixtures/submission';
import { setLambdaEnvironment, TEST_BUCKET, TEST_TABLE, UNSIGNED_PILOT_WARD_CONFIG } from '../fixtures/ward';

const dynamo = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);

/** 09:30 in Hanoi on Monday 5 January 2026. */
const NOW = new Date('2026-01-05T02:30:00.000Z');
const DAY = '2026-01-05';
const FIRST_CODE = '000.A0.01.H26-260105-0001';
const IDEMPOTENCY_KEY = 'idem-0001-3f9a2c7e';
const KEY_HASH = idempotencyKeyHash(IDEMPOTENCY_KEY);
const SEQUENCE_KEY = { PK: `SEQUENCE#${DAY}`, SK: 'SEQUENCE' };
const CATALOG_KEY = { PK: 'CATALOG', SK: `PROCEDURE#${BIRTH_REGISTRATION_CODE}` };
const IDEMPOTENCY_ITEM_KEY = { PK: `IDEMPOTENCY#${KEY_HASH}`, SK: 'IDEMPOTENCY' };
const ONE_DAY_LATER = NOW.getTime() / 1000 + 24 * 3600;

let handler: typeof SubmitHandler;

beforeAll(async () => {
  setLambdaEnvironment({ WARD_CONFIG: UNSIGNED_PILOT_WARD_CONFIG });
  ({ handler } = await import('../../functions/dossiers/submit-dossier'));
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  dynamo.reset();
  s3.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

// ---------------------------------------------------------------------------------------------
// Prepare
// ---------------------------------------------------------------------------------------------

interface Stored {
  readonly lastSequence?: number;
  /** Numbers given back to the day's sequence. */
  readonly free?: readonly number[];
  readonly catalog?: boolean;
  readonly idempotency?: Record<string, unknown>;
}

/** What the BatchGet finds: the day's sequence, the catalog entry and the idempotency record, when they exist. */
function givenTable({ lastSequence, free, catalog = true, idempotency }: Stored = {}) {
  const items: Record<string, unknown>[] = [
    ...(lastSequence === undefined ? [] : [{ ...SEQUENCE_KEY, lastSequence, ...(free ? { free: new Set(free) } : {}) }]),
    ...(catalog ? [catalogItem(catalogProcedure(BIRTH_REGISTRATION_CODE))] : []),
    ...(idempotency ? [{ ...IDEMPOTENCY_ITEM_KEY, ...idempotency }] : []),
  ];
  dynamo.on(BatchGetCommand).resolves({ Responses: { [TEST_TABLE]: items } });
  dynamo.on(TransactWriteCommand).resolves({});
  // The day's counter: ADD answers the number taken; taking a free number or giving one back answers nothing.
  dynamo.on(UpdateCommand, { UpdateExpression: 'ADD lastSequence :one' }).resolves({ Attributes: { lastSequence: (lastSequence ?? 0) + 1 } });
  dynamo.on(UpdateCommand, { UpdateExpression: 'DELETE #free :number' }).resolves({});
  dynamo.on(UpdateCommand, { UpdateExpression: 'ADD #free :number' }).resolves({});
}

/** The sequence updates sent, by expression. */
const sequenceUpdates = () =>
  dynamo
    .commandCalls(UpdateCommand)
    .map((call) => call.args[0].input)
    .filter((input) => !String(input.Key?.PK).startsWith('LIMIT#'));
/** The request limits' counter updates sent (LIMIT# items). */
const limitUpdates = () =>
  dynamo
    .commandCalls(UpdateCommand)
    .map((call) => call.args[0].input)
    .filter((input) => String(input.Key?.PK).startsWith('LIMIT#'));

const notFound = () => new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } });

/**
 * The bucket holds exactly these keys (by default both uploads of the body, fresh in `incoming/`,
 * as the presigned POST left them); HEAD of any other key is a 404, as S3 answers.
 */
function givenUploads(existing: readonly string[] = Object.values(UPLOAD_IDS).map((id) => `incoming/${id}`), options: { scan?: string; firstBytes?: string } = {}) {
  const found = {
    ContentType: 'application/pdf',
    ContentLength: 48_213,
    VersionId: 'v1',
    ETag: '"etag-1"',
    Metadata: { filename: encodeURIComponent('tờ khai khai sinh.pdf'), 'declared-size': '48213' },
  };
  s3.on(HeadObjectCommand).callsFake((input: HeadObjectCommandInput) => (existing.includes(String(input.Key)) ? Promise.resolve(found) : Promise.reject(notFound())));
  // The ranged GET's body, as the SDK's stream mixin exposes it.
  const body = { transformToByteArray: () => Promise.resolve(new Uint8Array(Buffer.from(options.firstBytes ?? '%PDF-1.7\n%âãÏÓ\n'))) } as unknown as GetObjectCommandOutput['Body'];
  s3.on(GetObjectCommand).callsFake(() => Promise.resolve({ Body: body }));
  s3.on(GetObjectTaggingCommand).resolves({
    TagSet:
      options.scan === undefined
        ? [{ Key: 'GuardDutyMalwareScanStatus', Value: 'NO_THREATS_FOUND' }]
        : options.scan === ''
          ? []
          : [{ Key: 'GuardDutyMalwareScanStatus', Value: options.scan }],
  });
  s3.on(CopyObjectCommand).resolves({});
}

/** The request hash the use case computes: of the validated (normalised, defaulted) body. */
const requestHashOf = (body: SubmissionBody) => submissionFingerprint(SubmissionSchema.parse(body), []);

/**
 * A TransactionCanceledException as DynamoDB builds it: one reason per item of the request, in
 * order, `None` except where `reasonFor` says otherwise; `Item` in raw AttributeValue form.
 */
function cancelled(input: TransactWriteCommandInput, reasonFor: (item: NonNullable<TransactWriteCommandInput['TransactItems']>[number]) => CancellationReason | undefined) {
  const reasons = (input.TransactItems ?? []).map((item) => reasonFor(item) ?? { Code: 'None' });
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    $metadata: {},
    CancellationReasons: reasons,
  });
}

const isIdempotencyPut = (item: NonNullable<TransactWriteCommandInput['TransactItems']>[number]) => String(item.Put?.Item?.PK).startsWith('IDEMPOTENCY#');

// ---------------------------------------------------------------------------------------------
// Act
// ---------------------------------------------------------------------------------------------

async function submit(body: unknown = birthRegistrationBody(), headers: Record<string, string> = {}): Promise<APIGatewayProxyResult> {
  const event = apiEvent({ method: 'POST', path: '/dossiers', headers: { ...JSON_HEADERS, 'Idempotency-Key': IDEMPOTENCY_KEY, ...headers }, body });
  return handler(event, lambdaContext());
}

function transactItems(call = 0) {
  const input = dynamo.commandCalls(TransactWriteCommand)[call]?.args[0].input;
  return input?.TransactItems ?? [];
}

// ---------------------------------------------------------------------------------------------
// Assess
// ---------------------------------------------------------------------------------------------

describe('POST /dossiers: a new submission', () => {
  it('answers 201 with the first code of the day, the status and the secret', async () => {
    givenTable();
    givenUploads();

    const response = await submit();

    expect(response.statusCode).toBe(201);
    expect(response.headers?.Location).toBe(`dossiers/${FIRST_CODE}`);
    expect(jsonBody(response)).toMatchObject({
      code: FIRST_CODE,
      status: 'SUBMITTED',
      statusCode: 1,
      submittedAt: '2026-01-05T09:30:00+07:00',
      appointmentAt: null,
      secret: expect.stringMatching(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/) as string,
      trackingUrl: `https://motcua.phuongthu.example.vn/ho-so/${FIRST_CODE}`,
    });
  });

  it("reads the sequence, the catalog entry, the idempotency record and the uploads' claims in one consistent BatchGet", async () => {
    givenTable();
    givenUploads();

    await submit();

    expect(dynamo).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    const request = dynamo.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.[TEST_TABLE];
    expect(request?.ConsistentRead).toBe(true);
    const claims = Object.values(UPLOAD_IDS).map((uploadId) => ({ PK: `UPLOAD#${uploadId}`, SK: 'CLAIM' }));
    expect(request?.Keys).toHaveLength(3 + claims.length);
    expect(request?.Keys).toEqual(expect.arrayContaining([SEQUENCE_KEY, CATALOG_KEY, IDEMPOTENCY_ITEM_KEY, ...claims]));
  });

  it('checks each upload (first bytes, scan tag, of the version it read) and copies that version out of incoming/, only if no copy is there', async () => {
    givenTable();
    givenUploads();

    await submit();

    for (const uploadId of Object.values(UPLOAD_IDS)) {
      expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, { Bucket: TEST_BUCKET, Key: `incoming/${uploadId}` });
      expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: TEST_BUCKET, Key: `incoming/${uploadId}`, Range: 'bytes=0-4099', VersionId: 'v1' });
      expect(s3).toHaveReceivedCommandWith(GetObjectTaggingCommand, { Bucket: TEST_BUCKET, Key: `incoming/${uploadId}`, VersionId: 'v1' });
      expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, {
        Bucket: TEST_BUCKET,
        Key: `attachments/${uploadId}`,
        CopySource: `${TEST_BUCKET}/incoming/${uploadId}?versionId=v1`,
        IfNoneMatch: '*',
      });
    }
  });

  it('writes the six items of a submission (its place in the erasure schedule included) and a claim per upload in one transaction, each claim only if none exists', async () => {
    givenTable();
    givenUploads();

    await submit();

    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const items = transactItems();
    expect(items).toHaveLength(8);
    expect(items.map((i) => String(i.Put?.Item?.PK ?? i.Update?.Key?.PK).split('#')[0]).sort()).toEqual(
      ['DOSSIER', 'DOSSIER', 'ERASURE', 'IDEMPOTENCY', 'KPI', 'OUTBOX', 'UPLOAD', 'UPLOAD'].sort(),
    );
    const claims = items.filter((i) => String(i.Put?.Item?.PK).startsWith('UPLOAD#'));
    expect(claims.map((c) => String(c.Put?.Item?.PK)).sort()).toEqual(
      Object.values(UPLOAD_IDS)
        .map((id) => `UPLOAD#${id}`)
        .sort(),
    );
    for (const claim of claims) expect(claim.Put).toMatchObject({ ConditionExpression: 'attribute_not_exists(PK)', Item: { SK: 'CLAIM', dossierCode: FIRST_CODE } });
  });

  it('answers 409 UPLOAD_ALREADY_ATTACHED when another dossier claimed an upload first, and gives its number back', async () => {
    givenTable({ lastSequence: 4 });
    givenUploads();
    dynamo
      .on(TransactWriteCommand)
      .callsFake((input: TransactWriteCommandInput) =>
        Promise.reject(cancelled(input, (item) => (String(item.Put?.Item?.PK) === `UPLOAD#${UPLOAD_IDS.birthCertificate}` ? { Code: 'ConditionalCheckFailed' } : undefined))),
      );

    const response = await submit();

    expect(response.statusCode).toBe(409);
    expect(jsonBody(response)).toMatchObject({ code: 'UPLOAD_ALREADY_ATTACHED' });
    expect(sequenceUpdates()).toContainEqual(expect.objectContaining({ UpdateExpression: 'ADD #free :number' }));
  });

  it.each([
    ['a file whose first bytes are an executable', { firstBytes: 'MZ\u0090\u0000' }, 'UPLOAD_REFUSED'],
    ['a file GuardDuty found a threat in', { scan: 'THREATS_FOUND' }, 'UPLOAD_REFUSED'],
    ['a file GuardDuty could not scan', { scan: 'UNSUPPORTED' }, 'UPLOAD_REFUSED'],
  ])('answers 400 for %s, and copies and writes nothing', async (_name, options, code) => {
    givenTable();
    givenUploads(undefined, options);

    const response = await submit();

    expect(response.statusCode).toBe(400);
    expect(jsonBody(response)).toMatchObject({ code });
    expect(s3).not.toHaveReceivedCommand(CopyObjectCommand);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('answers 503 with Retry-After while GuardDuty has not tagged an upload, after waiting for it', async () => {
    givenTable();
    givenUploads(undefined, { scan: '' });
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
    vi.setSystemTime(NOW);

    const pending = submit();
    await vi.runAllTimersAsync();
    const response = await pending;

    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toBe('10');
    expect(jsonBody(response)).toMatchObject({ code: 'UPLOAD_SCAN_PENDING' });
    expect(s3.commandCalls(GetObjectTaggingCommand).length).toBeGreaterThan(2);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it("takes the day's next number from its atomic counter before the transaction, which no contention can fail", async () => {
    givenTable({ lastSequence: 41 });
    givenUploads();

    const response = await submit();

    expect(jsonBody(response).code).toBe('000.A0.01.H26-260105-0042');
    expect(sequenceUpdates()).toEqual([
      expect.objectContaining({ TableName: TEST_TABLE, Key: SEQUENCE_KEY, UpdateExpression: 'ADD lastSequence :one', ReturnValues: 'UPDATED_NEW' }) as unknown,
    ]);
  });

  it('takes a number given back before a new one, on condition that it is still free', async () => {
    givenTable({ lastSequence: 41, free: [7] });
    givenUploads();

    const response = await submit();

    expect(jsonBody(response).code).toBe('000.A0.01.H26-260105-0007');
    expect(sequenceUpdates()).toEqual([
      expect.objectContaining({
        UpdateExpression: 'DELETE #free :number',
        ConditionExpression: 'contains(#free, :one)',
        ExpressionAttributeValues: { ':number': new Set([7]), ':one': 7 },
      }) as unknown,
    ]);
  });

  it('stores the dossier SUBMITTED, with a hash of the secret and the applicant indexed by a keyed hash', async () => {
    givenTable();
    givenUploads();

    const response = await submit();

    const secret = String(jsonBody(response).secret);
    const put = transactItems().find((i) => i.Put?.Item?.SK === 'DOSSIER')?.Put;
    expect(put?.ConditionExpression).toBe('attribute_not_exists(PK)');
    expect(put?.Item).toMatchObject({
      PK: `DOSSIER#${FIRST_CODE}`,
      code: FIRST_CODE,
      status: 'SUBMITTED',
      channel: 'ONLINE',
      fullyOnline: true,
      byStatusPK: 'STATUS#SUBMITTED',
      secretHash: hashSecret(secret),
      version: 1,
      procedure: { code: BIRTH_REGISTRATION_CODE, version: catalogProcedure(BIRTH_REGISTRATION_CODE).version },
      applicant: { fullName: 'Nguyễn Thị Hoa', idNumber: '001190012345', phone: '+84912345678' },
      attachments: [
        { uploadId: UPLOAD_IDS.declaration, documentId: 'to-khai-khai-sinh', fileName: 'tờ khai khai sinh.pdf', contentType: 'application/pdf', size: 48_213 },
        { uploadId: UPLOAD_IDS.birthCertificate, documentId: 'giay-chung-sinh', fileName: 'tờ khai khai sinh.pdf', contentType: 'application/pdf', size: 48_213 },
      ],
    });
    expect(String(put?.Item?.byApplicantPK)).toMatch(/^APPLICANT#/);
    expect(String(put?.Item?.byApplicantPK)).not.toContain('001190012345');
  });

  it('never writes the secret itself', async () => {
    givenTable();
    givenUploads();

    const response = await submit();

    const secret = String(jsonBody(response).secret);
    const written = JSON.stringify(dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input);
    expect(written).not.toContain(secret);
    expect(written).not.toContain(secret.replaceAll('-', ''));
  });

  it('records the first history event, the outbox event and the day KPI counters', async () => {
    givenTable();
    givenUploads();

    await submit();

    const items = transactItems();
    expect(items.find((i) => String(i.Put?.Item?.SK).startsWith('HISTORY#'))?.Put?.Item).toMatchObject({
      PK: `DOSSIER#${FIRST_CODE}`,
      SK: 'HISTORY#000001',
      action: 'submit',
      to: 'SUBMITTED',
      actor: { role: 'citizen' },
    });
    expect(items.find((i) => String(i.Put?.Item?.PK).startsWith('OUTBOX#'))?.Put?.Item).toMatchObject({ type: 'DOSSIER_SUBMITTED', dossierCode: FIRST_CODE });
    const kpi = items.find((i) => i.Update?.Key?.PK === 'KPI')?.Update;
    expect(kpi?.Key?.PK).toBe('KPI');
    expect(String(kpi?.Key?.SK)).toMatch(new RegExp(`^DAY#${DAY}#0[0-7]$`));
    expect(Object.values(kpi?.ExpressionAttributeNames ?? {})).toEqual(expect.arrayContaining(['submitted', 'submittedOnline', 'submittedFullyOnline']));
  });

  it('keeps an idempotency record for a day, with the secret sealed under the Idempotency-Key', async () => {
    givenTable();
    givenUploads();
    const body = birthRegistrationBody();

    const response = await submit(body);

    const put = transactItems().find(isIdempotencyPut)?.Put;
    expect(put).toMatchObject({
      Item: { ...IDEMPOTENCY_ITEM_KEY, requestHash: requestHashOf(body), dossierCode: FIRST_CODE, expiresAt: ONE_DAY_LATER },
      ConditionExpression: expect.stringContaining('attribute_not_exists(PK)') as string,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(unsealSecret(String(put?.Item?.sealedSecret), IDEMPOTENCY_KEY)).toBe(jsonBody(response).secret);
  });

  it('tries its transaction again with the same number when another transaction held the KPI counters', async () => {
    givenTable();
    givenUploads();
    dynamo
      .on(TransactWriteCommand)
      .callsFakeOnce((input: TransactWriteCommandInput) =>
        Promise.reject(cancelled(input, (item) => (item.Update?.Key?.PK === 'KPI' ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : undefined))),
      )
      .resolves({});

    const response = await submit();

    expect(response.statusCode).toBe(201);
    expect(jsonBody(response).code).toBe(FIRST_CODE);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
    expect(sequenceUpdates().map((input) => input.UpdateExpression)).toEqual(['ADD lastSequence :one']);
  });
});

describe('POST /dossiers: retries with the same Idempotency-Key', () => {
  it('answers a retry of the same body with the same dossier and secret, 200, without writing', async () => {
    const body = birthRegistrationBody();
    const secret = 'ABCD-EFGH-JKMN-PQRS-TVWX';
    givenTable({ idempotency: { requestHash: requestHashOf(body), dossierCode: FIRST_CODE, sealedSecret: sealSecret(secret, IDEMPOTENCY_KEY), expiresAt: ONE_DAY_LATER } });
    dynamo.on(GetCommand).resolves({ Item: dossierItem(submittedDossier({ secretHash: hashSecret(secret) }), 'applicant-key') });

    const response = await submit(body);

    expect(response.statusCode).toBe(200);
    expect(jsonBody(response)).toMatchObject({ code: FIRST_CODE, secret });
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { TableName: TEST_TABLE, Key: { PK: `DOSSIER#${FIRST_CODE}`, SK: 'DOSSIER' } });
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(s3).not.toHaveReceivedAnyCommand();
  });

  it('refuses the same key with another body (422) before any upload or write', async () => {
    givenTable({ idempotency: { requestHash: 'f'.repeat(64), dossierCode: FIRST_CODE, sealedSecret: 'x.y.z', expiresAt: ONE_DAY_LATER } });

    const response = await submit();

    expect(response.statusCode).toBe(422);
    expect(jsonBody(response)).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(s3).not.toHaveReceivedAnyCommand();
  });

  it('refuses (422) when another body took the key between the read and the write', async () => {
    givenTable();
    givenUploads();
    const otherRecord = { ...IDEMPOTENCY_ITEM_KEY, requestHash: 'e'.repeat(64), dossierCode: '000.A0.01.H26-260105-0007', sealedSecret: 'a.b.c', expiresAt: ONE_DAY_LATER };
    dynamo
      .on(TransactWriteCommand)
      .callsFake((input: TransactWriteCommandInput) =>
        Promise.reject(
          cancelled(input, (item) =>
            isIdempotencyPut(item) ? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: marshall(otherRecord) } : undefined,
          ),
        ),
      );

    const response = await submit();

    expect(response.statusCode).toBe(422);
    expect(jsonBody(response)).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(dynamo).not.toHaveReceivedCommand(GetCommand);
  });

  it('treats an expired idempotency record that TTL has not swept yet as absent', async () => {
    givenTable({ idempotency: { requestHash: 'f'.repeat(64), dossierCode: '000.A0.01.H26-260104-0003', sealedSecret: 'x.y.z', expiresAt: NOW.getTime() / 1000 - 60 } });
    givenUploads();

    const response = await submit();

    expect(response.statusCode).toBe(201);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });
});

describe('POST /dossiers: refused submissions write nothing', () => {
  it("answers 429 RATE_LIMITED with Retry-After when the ID number's counter is full, once the submission is checked and before any of it is written", async () => {
    givenTable();
    givenUploads();
    const full = new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: {},
      Item: marshall({ taken: 10, counted: new Set(['another-request']) }),
    });
    dynamo
      .on(UpdateCommand, { UpdateExpression: 'ADD taken :one, counted :keys SET expiresAt = if_not_exists(expiresAt, :expiresAt)' })
      .callsFake((input: { Key: { PK: string } }) => (input.Key.PK.startsWith('LIMIT#SUBMIT#ID#') ? Promise.reject(full) : Promise.resolve({})));

    const response = await submit();

    expect(response.statusCode).toBe(429);
    expect(response.headers?.['Content-Type']).toMatch(/^application\/problem\+json/);
    // 09:30 in Hanoi: 14.5 hours to midnight.
    expect(response.headers?.['Retry-After']).toBe(String(14.5 * 3600));
    expect(jsonBody(response)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    // The client address's count was taken first, then given back.
    expect(limitUpdates().map((input) => [String(input.Key?.PK).split('#').slice(0, 3).join('#'), input.UpdateExpression])).toEqual([
      ['LIMIT#SUBMIT#SOURCE', 'ADD taken :one, counted :keys SET expiresAt = if_not_exists(expiresAt, :expiresAt)'],
      ['LIMIT#SUBMIT#ID', 'ADD taken :one, counted :keys SET expiresAt = if_not_exists(expiresAt, :expiresAt)'],
      ['LIMIT#SUBMIT#SOURCE', 'ADD taken :minusOne DELETE counted :keys'],
    ]);
    // Counted once the submission is checked (one read), before anything of it is written.
    expect(dynamo).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(sequenceUpdates()).toEqual([]);
    expect(s3).not.toHaveReceivedAnyCommand();
  });

  it('answers 400 UNKNOWN_PROCEDURE when the catalog has no such procedure', async () => {
    givenTable({ catalog: false });

    const response = await submit(birthRegistrationBody({ procedureCode: '9.999999' }));

    expect(response.statusCode).toBe(400);
    expect(jsonBody(response)).toMatchObject({ code: 'UNKNOWN_PROCEDURE', errors: [{ path: 'body.procedureCode' }] });
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(s3).not.toHaveReceivedAnyCommand();
  });

  it('answers 400 UNKNOWN_UPLOAD when an upload is in neither incoming/ nor attachments/', async () => {
    givenTable();
    const missing = UPLOAD_IDS.birthCertificate;
    givenUploads([`incoming/${UPLOAD_IDS.declaration}`]);

    const response = await submit();

    expect(response.statusCode).toBe(400);
    expect(jsonBody(response)).toMatchObject({
      code: 'UNKNOWN_UPLOAD',
      errors: [{ path: 'body.attachments.1.uploadId', message: 'Không tìm thấy tệp đã tải lên (hoặc tệp đã hết hạn).' }],
    });
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, { Key: `incoming/${missing}` });
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, { Key: `attachments/${missing}` });
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('accepts an upload a previous attempt already copied into attachments/ (the copy answers 412)', async () => {
    givenTable();
    const copied = UPLOAD_IDS.birthCertificate;
    givenUploads([...Object.values(UPLOAD_IDS).map((id) => `incoming/${id}`), `attachments/${copied}`]);
    s3.on(CopyObjectCommand, { Key: `attachments/${copied}` }).rejects(
      new S3ServiceException({ name: 'PreconditionFailed', $fault: 'client', $metadata: { httpStatusCode: 412 } }),
    );

    const response = await submit();

    expect(response.statusCode).toBe(201);
  });

  it('answers 409 UPLOAD_ALREADY_ATTACHED for an upload gone from incoming/ because a dossier kept it', async () => {
    givenTable();
    givenUploads([`incoming/${UPLOAD_IDS.declaration}`, `attachments/${UPLOAD_IDS.birthCertificate}`]);

    const response = await submit();

    expect(response.statusCode).toBe(409);
    expect(jsonBody(response)).toMatchObject({ code: 'UPLOAD_ALREADY_ATTACHED' });
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('answers 400 MISSING_DOCUMENTS when a required document is not attached', async () => {
    givenTable();
    givenUploads();
    const body = birthRegistrationBody({ attachments: [{ uploadId: UPLOAD_IDS.declaration, documentId: 'to-khai-khai-sinh' }] });

    const response = await submit(body);

    expect(response.statusCode).toBe(400);
    expect(jsonBody(response)).toMatchObject({ code: 'MISSING_DOCUMENTS' });
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(s3).not.toHaveReceivedAnyCommand();
  });

  it("answers 400 VALIDATION_FAILED for form data the procedure's form does not allow", async () => {
    givenTable();
    givenUploads();
    const body = birthRegistrationBody();
    delete body.formData.childFullName;
    body.formData.childSex = 'Khác';

    const response = await submit(body, { 'Accept-Language': 'en' });

    expect(response.statusCode).toBe(400);
    const paths = (jsonBody(response).errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['body.formData.childFullName', 'body.formData.childSex']);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('answers 400 without touching AWS when the Idempotency-Key header is missing', async () => {
    givenTable();
    const event = apiEvent({ method: 'POST', path: '/dossiers', headers: JSON_HEADERS, body: birthRegistrationBody() });

    const response = await handler(event, lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(jsonBody(response)).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'header.idempotency-key' }] });
    expect(dynamo).not.toHaveReceivedAnyCommand();
    expect(s3).not.toHaveReceivedAnyCommand();
  });
});

describe('POST /dossiers: AWS faults', () => {
  it('answers 503 with Retry-After, and writes nothing, when DynamoDB throttles the read', async () => {
    dynamo
      .on(BatchGetCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata: {} }));

    const response = await submit();

    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toMatch(/^[1-9]\d*$/);
    expect(jsonBody(response)).toMatchObject({ code: 'SERVICE_BUSY' });
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(s3).not.toHaveReceivedAnyCommand();
  });

  it('answers 503 with Retry-After when DynamoDB throttles the transaction, and gives its number back', async () => {
    givenTable({ lastSequence: 4 });
    givenUploads();
    dynamo.on(TransactWriteCommand).rejects(new ProvisionedThroughputExceededException({ message: 'Throughput exceeded', $metadata: {} }));

    const response = await submit();

    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toMatch(/^[1-9]\d*$/);
    expect(sequenceUpdates().at(-1)).toMatchObject({ Key: SEQUENCE_KEY, UpdateExpression: 'ADD #free :number', ExpressionAttributeValues: { ':number': new Set([5]) } });
  });

  it('answers 503 with Retry-After when the transaction is cancelled because DynamoDB throttled one of its items', async () => {
    givenTable();
    givenUploads();
    dynamo
      .on(TransactWriteCommand)
      .callsFake((input: TransactWriteCommandInput) =>
        Promise.reject(
          cancelled(input, (item) =>
            item.Update?.Key?.PK === 'KPI' ? { Code: 'ThrottlingError', Message: 'Throughput exceeds the current capacity for one or more global secondary indexes.' } : undefined,
          ),
        ),
      );

    const response = await submit();

    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toMatch(/^[1-9]\d*$/);
  });

  it('answers a bare 500 when S3 fails for another reason, without writing', async () => {
    givenTable();
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('We encountered an internal error. Please try again.'), { name: 'InternalError' }));

    const response = await submit();

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('internal error. Please');
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });
});
