import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { handler as ListProceduresHandler } from '../../functions/catalog/list-procedures';
import { CATALOG } from '../../shared/catalog/procedures';
import { catalogInForce } from '../../shared/domain/procedure';
import { apiEvent, jsonBody, lambdaContext } from '../fixtures/lambda';
import { catalogItem } from '../fixtures/submission';
import { setLambdaEnvironment, TEST_TABLE } from '../fixtures/ward';

const dynamo = mockClient(DynamoDBDocumentClient);

/** The catalog as published on 5 January 2026: one current version per procedure. */
const PUBLISHED = catalogInForce(CATALOG, '2026-01-05');
const ITEMS = PUBLISHED.map(catalogItem);

let handler: typeof ListProceduresHandler;

beforeAll(async () => {
  setLambdaEnvironment();
  ({ handler } = await import('../../functions/catalog/list-procedures'));
});

beforeEach(() => {
  dynamo.reset();
});

function listProcedures(query?: Record<string, string>) {
  return handler(apiEvent({ method: 'GET', path: '/procedures', body: null, ...(query ? { query } : {}) }), lambdaContext());
}

interface Summary {
  code: string;
  field: string;
  onlineLevel: string;
}

const itemsOf = (body: Record<string, unknown>) => body.items as Summary[];

describe('GET /procedures', () => {
  it('reads the whole current catalog with one Query of its partition', async () => {
    dynamo.on(QueryCommand).resolves({ Items: ITEMS });

    await listProcedures();

    expect(dynamo).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TEST_TABLE,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': 'CATALOG' },
    });
  });

  it('answers every published procedure as a summary, with the count, cacheable for five minutes', async () => {
    dynamo.on(QueryCommand).resolves({ Items: ITEMS });

    const response = await listProcedures();

    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Cache-Control']).toBe('public, max-age=300');
    const body = jsonBody(response);
    expect(body.count).toBe(PUBLISHED.length);
    expect(
      itemsOf(body)
        .map((p) => p.code)
        .sort(),
    ).toEqual(PUBLISHED.map((p) => p.code).sort());
    expect(Object.keys(itemsOf(body)[0] ?? {}).sort()).toEqual([
      'code',
      'feeVnd',
      'field',
      'name',
      'onlineLevel',
      'personalDataRetentionYears',
      'resultType',
      'timeLimitDays',
      'version',
    ]);
  });

  it('orders the catalog by field, then by code', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [...ITEMS].reverse() });

    const response = await listProcedures();

    const listed = itemsOf(jsonBody(response)).map((p) => `${p.field}|${p.code}`);
    const expected = [...PUBLISHED].sort((a, b) => a.field.localeCompare(b.field, 'vi') || a.code.localeCompare(b.code)).map((p) => `${p.field}|${p.code}`);
    expect(listed).toEqual(expected);
  });

  it('filters by online level', async () => {
    dynamo.on(QueryCommand).resolves({ Items: ITEMS });

    const response = await listProcedures({ onlineLevel: 'FULL' });

    const listed = itemsOf(jsonBody(response));
    expect(listed.length).toBe(PUBLISHED.filter((p) => p.onlineLevel === 'FULL').length);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((p) => p.onlineLevel === 'FULL')).toBe(true);
  });

  it('filters by field, in Vietnamese', async () => {
    dynamo.on(QueryCommand).resolves({ Items: ITEMS });

    const response = await listProcedures({ field: 'Chứng thực' });

    const codes = itemsOf(jsonBody(response)).map((p) => p.code);
    expect(codes.sort()).toEqual(
      PUBLISHED.filter((p) => p.field === 'Chứng thực')
        .map((p) => p.code)
        .sort(),
    );
    expect(codes.length).toBeGreaterThan(0);
  });

  it('reads every page of a catalog larger than one Query page', async () => {
    const half = Math.ceil(ITEMS.length / 2);
    const lastKey = { PK: 'CATALOG', SK: `PROCEDURE#${PUBLISHED[half - 1]?.code ?? ''}` };
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: ITEMS.slice(0, half), LastEvaluatedKey: lastKey })
      .resolvesOnce({ Items: ITEMS.slice(half) });

    const response = await listProcedures();

    expect(jsonBody(response).count).toBe(PUBLISHED.length);
    expect(dynamo).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(dynamo).toHaveReceivedNthCommandWith(QueryCommand, 2, { ExclusiveStartKey: lastKey });
  });

  it('answers an empty catalog with an empty list', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });

    const response = await listProcedures();

    expect(response.statusCode).toBe(200);
    expect(jsonBody(response)).toEqual({ items: [], count: 0 });
  });

  it('refuses an unknown online level with 400 on query.onlineLevel, without reading the table', async () => {
    const response = await listProcedures({ onlineLevel: 'ALL' });

    expect(response.statusCode).toBe(400);
    expect(jsonBody(response)).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'query.onlineLevel' }] });
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('answers 503 with Retry-After when DynamoDB throttles', async () => {
    dynamo.on(QueryCommand).rejects(Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ThrottlingException' }));

    const response = await listProcedures();

    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toMatch(/^[1-9]\d*$/);
    expect(response.headers?.['Content-Type']).toBe('application/problem+json; charset=utf-8');
  });
});
