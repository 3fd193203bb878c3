import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHttpServer, type LocalHttpServer } from '../../local/http-server';
import { TABLE_INDEXES, TTL_ATTRIBUTE } from '../../shared/adapters/dynamodb/table-definition';
import type { RouteDefinition } from '../../shared/runtime/routes';
import { startLocalWard, type LocalWard } from '../support/local-ward';

/** Handlers written to a temporary `functions/` folder, to see exactly what the local gateway passes and returns. */
const PROBE_HANDLERS = {
  'probe/echo': `
    export const invocations: string[] = [];
    export async function handler(
      event: { httpMethod: string; path: string },
      context: { functionName: string; awsRequestId: string; getRemainingTimeInMillis(): number },
    ) {
      invocations.push(event.httpMethod + ' ' + event.path);
      return {
        statusCode: 201,
        headers: { 'X-Probe': 'echo' },
        multiValueHeaders: { 'Set-Cookie': ['first=1', 'second=2'] },
        body: JSON.stringify({
          event,
          context: { functionName: context.functionName, awsRequestId: context.awsRequestId, remainingMs: context.getRemainingTimeInMillis() },
        }),
      };
    }
  `,
  'probe/broken': `
    export async function handler() {
      throw new Error('secret table name: do-not-leak');
    }
  `,
};

const PROBE_ROUTES: readonly RouteDefinition[] = [
  { id: 'EchoThing', method: 'POST', path: '/things/{thingId}', handler: 'probe/echo', auth: 'public', access: {} },
  { id: 'ReadThing', method: 'GET', path: '/things/{thingId}', handler: 'probe/echo', auth: 'public', access: {} },
  { id: 'ReadPublicKey', method: 'GET', path: '/things/public-key', handler: 'probe/echo', auth: 'public', access: {} },
  { id: 'Broken', method: 'GET', path: '/broken', handler: 'probe/broken', auth: 'public', access: {} },
];

const PROBLEM_JSON = /^application\/problem\+json\b/;

describe('local harness', () => {
  let ward: LocalWard;
  let probeDirectory: string;
  let probeServer: LocalHttpServer;
  const reportedFailures: string[] = [];

  beforeAll(async () => {
    ward = await startLocalWard();
    probeDirectory = await mkdtemp(join(tmpdir(), 'mot-cua-so-probe-'));
    for (const [handlerPath, source] of Object.entries(PROBE_HANDLERS)) {
      await mkdir(join(probeDirectory, 'probe'), { recursive: true });
      await writeFile(join(probeDirectory, `${handlerPath}.ts`), source);
    }
    probeServer = await startLocalHttpServer({
      routes: PROBE_ROUTES,
      functionsDirectory: probeDirectory,
      logRequest: () => undefined,
      logFailure: (message, error) => reportedFailures.push(`${message} ${String(error)}`),
    });
  });

  afterAll(async () => {
    await probeServer.close();
    await ward.stop();
    await rm(probeDirectory, { recursive: true, force: true });
  });

  it("creates the ward's table with its indexes, stream and time to live", async () => {
    const dynamodb = new DynamoDBClient(ward.aws.dynamodbClientConfig);

    const { Table: table } = await dynamodb.send(new DescribeTableCommand({ TableName: ward.tableName }));
    const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: ward.tableName }));
    dynamodb.destroy();

    expect(table?.TableStatus).toBe('ACTIVE');
    expect(table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(TABLE_INDEXES.map((index) => index.indexName).sort());
    for (const index of table?.GlobalSecondaryIndexes ?? []) {
      expect(index.Projection?.ProjectionType).toBe('ALL');
    }
    expect(table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(table?.LatestStreamArn).toMatch(/^arn:aws:dynamodb:/);
    expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: TTL_ATTRIBUTE });
  });

  it('stores a browser-style presigned POST upload in the uploads bucket', async () => {
    const s3 = new S3Client(ward.aws.s3ClientConfig);
    const upload = await createPresignedPost(s3, {
      Bucket: ward.uploadsBucket,
      Key: 'incoming/declaration.pdf',
      Conditions: [['content-length-range', 1, 1024]],
      Fields: { 'Content-Type': 'application/pdf' },
      Expires: 60,
    });
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) {
      form.append(name, value);
    }
    form.append('file', new Blob(['%PDF-1.4 tờ khai'], { type: 'application/pdf' }), 'declaration.pdf');

    const response = await fetch(upload.url, { method: 'POST', body: form });
    const stored = await s3.send(new GetObjectCommand({ Bucket: ward.uploadsBucket, Key: 'incoming/declaration.pdf' }));

    expect(response.status).toBe(204);
    expect(stored.ContentType).toBe('application/pdf');
    expect(await stored.Body?.transformToString()).toBe('%PDF-1.4 tờ khai');
    s3.destroy();
  });

  it('refuses an upload larger than its presigned policy allows, as S3 does', async () => {
    const s3 = new S3Client(ward.aws.s3ClientConfig);
    const upload = await createPresignedPost(s3, {
      Bucket: ward.uploadsBucket,
      Key: 'incoming/too-large.pdf',
      Conditions: [['content-length-range', 1, 16]],
      Expires: 60,
    });
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) {
      form.append(name, value);
    }
    form.append('file', new Blob(['x'.repeat(17)]), 'too-large.pdf');

    const response = await fetch(upload.url, { method: 'POST', body: form });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>EntityTooLarge</Code>');
    await expect(s3.send(new HeadObjectCommand({ Bucket: ward.uploadsBucket, Key: 'incoming/too-large.pdf' }))).rejects.toThrow();
    s3.destroy();
  });

  it("serves the real handlers against the ward's table", async () => {
    const response = await fetch(`${ward.baseUrl}/procedures`);

    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: unknown[] };
    expect(body.items.length).toBeGreaterThan(0);
  });

  it('answers 404 problem+json for an unknown path, and for a known path with another method', async () => {
    const unknownPath = await fetch(`${ward.baseUrl}/no-such-route`);
    const wrongMethod = await fetch(`${ward.baseUrl}/procedures`, { method: 'DELETE' });

    for (const response of [unknownPath, wrongMethod]) {
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    }
  });

  it('answers 413 problem+json to a body over 10 MB without calling the handler', async () => {
    const small = await fetch(`${probeServer.url}/things/small`, { method: 'POST', body: 'a' });
    expect(small.status).toBe(201);
    expect(await probeInvocations()).toContain('POST /things/small');
    const elevenMegabytes = Buffer.alloc(11 * 1024 * 1024, 'a');

    const response = await fetch(`${probeServer.url}/things/big`, { method: 'POST', body: elevenMegabytes });

    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(await response.json()).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(await probeInvocations()).not.toContain('POST /things/big');
  });

  it('hands the handler a REST v1 proxy event and a Lambda context, and writes back its result', async () => {
    const response = await fetch(`${probeServer.url}/things/caf%C3%A9%201?at=2026-01-05T09:30:00%2B07:00&tag=a&tag=b+c`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'key-1' },
      body: JSON.stringify({ name: 'Hoàn Kiếm' }),
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('x-probe')).toBe('echo');
    expect(response.headers.getSetCookie()).toEqual(['first=1', 'second=2']);
    const { event, context } = (await response.json()) as { event: Record<string, unknown>; context: Record<string, unknown> };
    expect(event).toMatchObject({
      resource: '/things/{thingId}',
      path: '/things/café 1',
      httpMethod: 'POST',
      pathParameters: { thingId: 'café 1' },
      queryStringParameters: { at: '2026-01-05T09:30:00+07:00', tag: 'b c' },
      multiValueQueryStringParameters: { at: ['2026-01-05T09:30:00+07:00'], tag: ['a', 'b c'] },
      body: JSON.stringify({ name: 'Hoàn Kiếm' }),
      isBase64Encoded: false,
      stageVariables: null,
      requestContext: { stage: 'local', httpMethod: 'POST', resourcePath: '/things/{thingId}', identity: { sourceIp: '127.0.0.1' } },
    });
    expect(event.headers).toMatchObject({ 'Idempotency-Key': 'key-1', 'X-Forwarded-Proto': 'http' });
    expect(event.multiValueHeaders).toMatchObject({ 'Idempotency-Key': ['key-1'] });
    expect(context).toMatchObject({ functionName: 'EchoThing', awsRequestId: expect.any(String) as unknown });
    expect(context.remainingMs).toBeGreaterThan(0);
  });

  it('prefers a literal path segment over a parameter, as API Gateway does', async () => {
    const literal = await fetch(`${probeServer.url}/things/public-key`);
    const parameter = await fetch(`${probeServer.url}/things/other-key`);

    const literalEvent = ((await literal.json()) as { event: Record<string, unknown> }).event;
    const parameterEvent = ((await parameter.json()) as { event: Record<string, unknown> }).event;
    expect(literalEvent).toMatchObject({ resource: '/things/public-key', pathParameters: null, body: null, queryStringParameters: null });
    expect(parameterEvent).toMatchObject({ resource: '/things/{thingId}', pathParameters: { thingId: 'other-key' } });
  });

  it("does not look for a method on another resource than the path's own", async () => {
    // POST exists on /things/{thingId}, but /things/public-key is its own resource, with GET only.
    const response = await fetch(`${probeServer.url}/things/public-key`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(404);
    expect(await probeInvocations()).not.toContain('POST /things/public-key');
  });

  it('answers a generic 500 problem+json, with no internals, when a handler throws', async () => {
    const response = await fetch(`${probeServer.url}/broken`);

    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(text).not.toContain('do-not-leak');
    expect(reportedFailures.join('\n')).toContain('do-not-leak');
  });

  it('answers a CORS preflight for a resource with public routes, as the deployed API does', async () => {
    const response = await fetch(`${probeServer.url}/things/42`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,idempotency-key' },
    });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')?.split(',').sort()).toEqual(['GET', 'POST']);
    expect(response.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
  });

  async function probeInvocations(): Promise<readonly string[]> {
    const echoModule = (await import(pathToFileURL(join(probeDirectory, 'probe/echo.ts')).href)) as { invocations: string[] };
    return echoModule.invocations;
  }
});
