import 'aws-sdk-client-mock-vitest/extend';
import { GenerateMacCommand, GetPublicKeyCommand, KMSClient, KMSInternalException, KMSServiceException, SignCommand } from '@aws-sdk/client-kms';
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchGetCommand, DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { handler as SubmitHandler } from '../../functions/dossiers/submit-dossier';
import type { handler as SigningKeyHandler } from '../../functions/verify/get-public-key';
import { apiEvent, jsonBody, JSON_HEADERS, lambdaContext } from '../fixtures/lambda';
import { birthRegistrationBody, BIRTH_REGISTRATION_CODE, catalogItem, catalogProcedure } from '../fixtures/submission';
import { setLambdaEnvironment, TEST_TABLE, UNSIGNED_PILOT_WARD_CONFIG } from '../fixtures/ward';

/**
 * KMS faults (local mode has no KMS, so the local ward cannot show them): the ward's HMAC key that
 * hashes ID numbers and its signing key, throttled, failing or timing out, answer 503 with
 * Retry-After and problem+json, before anything is written.
 */
const kms = mockClient(KMSClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);

const FAULTS = {
  // KMS models no throttling exception: the SDK builds its service exception with the error's name.
  throttling: () => new KMSServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }),
  'server error': () => new KMSInternalException({ message: 'internal', $metadata: { httpStatusCode: 500 } }),
  timeout: () => Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError' }),
} as const;

let submit: typeof SubmitHandler;
let signingKey: typeof SigningKeyHandler;

beforeAll(async () => {
  setLambdaEnvironment({ ARCHIVE_BUCKET: 'ward-archive', WARD_CONFIG: UNSIGNED_PILOT_WARD_CONFIG });
  process.env.ID_HASH_KEY_ID = 'alias/ward-id-hash';
  process.env.SIGNING_KEY_ID = 'alias/ward-signing';
  ({ handler: submit } = await import('../../functions/dossiers/submit-dossier'));
  ({ handler: signingKey } = await import('../../functions/verify/get-public-key'));
});

beforeEach(() => {
  kms.reset();
  dynamo.reset();
  s3.reset();
});

function expectServiceBusy(response: APIGatewayProxyResult): void {
  expect(response.statusCode, response.body).toBe(503);
  expect(Number(response.headers?.['Retry-After'])).toBeGreaterThan(0);
  expect(response.headers?.['Content-Type']).toMatch(/^application\/problem\+json/);
  expect(jsonBody(response)).toMatchObject({ status: 503, code: 'SERVICE_BUSY' });
}

describe.each(Object.entries(FAULTS))('KMS %s', (_, fault) => {
  it('a submission whose ID number cannot be hashed answers 503 and takes no number, writes no dossier', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { [TEST_TABLE]: [catalogItem(catalogProcedure(BIRTH_REGISTRATION_CODE))] } });
    s3.on(HeadObjectCommand).resolves({ ContentType: 'application/pdf', ContentLength: 48_213, Metadata: { filename: 'to-khai.pdf' } });
    s3.on(CopyObjectCommand).resolves({});
    kms.on(GenerateMacCommand).rejects(fault());

    const response = await submit(
      apiEvent({ method: 'POST', path: '/dossiers', headers: { ...JSON_HEADERS, 'Idempotency-Key': 'idem-kms-fault-0001' }, body: birthRegistrationBody() }),
      lambdaContext(),
    );

    expectServiceBusy(response);
    expect(kms).toHaveReceivedCommand(GenerateMacCommand);
    expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('the signing key, when KMS cannot give or use it, answers 503 and archives no certificate', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'no such key', $metadata: { httpStatusCode: 404 } }));
    kms.on(GetPublicKeyCommand).rejects(fault());
    kms.on(SignCommand).rejects(fault());

    const response = await signingKey(apiEvent({ method: 'GET', path: '/verify/public-key', body: null }), lambdaContext());

    expectServiceBusy(response);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });
});
