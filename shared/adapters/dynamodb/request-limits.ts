import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';
import type { RequestCounter, RequestCounterStore } from '../../use-cases/request-limits';

/**
 * Key shapes of the request limits' counters (to join the table in keys.ts); the hashes are the
 * ward's HMAC of the ID number or client address, never the value itself:
 *
 * | item                                         | PK                                        | SK    |
 * |----------------------------------------------|-------------------------------------------|-------|
 * | submissions of one ID number in a day (TTL)  | LIMIT#SUBMIT#ID#<hash>#<YYYY-MM-DD>       | LIMIT |
 * | submissions from one address in an hour (TTL) | LIMIT#SUBMIT#SOURCE#<hash>#<YYYY-MM-DDTHH> | LIMIT |
 * | uploads from one address in an hour (TTL)    | LIMIT#UPLOAD#SOURCE#<hash>#<YYYY-MM-DDTHH> | LIMIT |
 */
export function requestCounterKey(counter: RequestCounter): { PK: string; SK: string } {
  switch (counter.kind) {
    case 'SUBMISSIONS_PER_ID_NUMBER':
      return { PK: `LIMIT#SUBMIT#ID#${counter.idNumberKey}#${counter.day}`, SK: 'LIMIT' };
    case 'SUBMISSIONS_PER_SOURCE':
      return { PK: `LIMIT#SUBMIT#SOURCE#${counter.sourceKey}#${counter.hour}`, SK: 'LIMIT' };
    case 'UPLOADS_PER_SOURCE':
      return { PK: `LIMIT#UPLOAD#SOURCE#${counter.sourceKey}#${counter.hour}`, SK: 'LIMIT' };
  }
}

const CounterItemSchema = z.object({ counted: z.set(z.string()).optional() });

/**
 * Request counters: one item per counter with `taken` (the count) and, for requests with a key,
 * `counted` (a string set of the keys it counted), changed by single-item conditional updates,
 * which DynamoDB applies one at a time per item: however many run at once, `taken` never passes
 * the limit, and a request already in `counted` is never counted again. The set holds at most
 * `limit` keys of 32 characters (the ward configuration bounds the limits); counters of requests
 * without a key (uploads) stay a few bytes, so each take costs one write unit.
 */
export function dynamoRequestCounterStore(client: DynamoDBDocumentClient, tableName: string): RequestCounterStore {
  return {
    async take(counter, requestKey, limit, expiresAt) {
      if (requestKey === undefined) {
        try {
          await client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: requestCounterKey(counter),
              UpdateExpression: 'ADD taken :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
              ConditionExpression: 'attribute_not_exists(taken) OR taken < :limit',
              ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expiresAt': Math.floor(expiresAt.getTime() / 1000) },
            }),
          );
          return 'TAKEN';
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          return 'FULL';
        }
      }
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: requestCounterKey(counter),
            UpdateExpression: 'ADD taken :one, counted :keys SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
            ConditionExpression: '(attribute_not_exists(taken) OR taken < :limit) AND NOT contains(counted, :key)',
            ExpressionAttributeValues: { ':one': 1, ':keys': new Set([requestKey]), ':key': requestKey, ':limit': limit, ':expiresAt': Math.floor(expiresAt.getTime() / 1000) },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return 'TAKEN';
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // Counted already (a retry of this request): taken, once.
        const { counted } = CounterItemSchema.parse(error.Item ? unmarshall(error.Item) : {});
        return counted?.has(requestKey) ? 'TAKEN' : 'FULL';
      }
    },

    async giveBack(counter, requestKey) {
      if (requestKey === undefined) {
        await client.send(
          new UpdateCommand({ TableName: tableName, Key: requestCounterKey(counter), UpdateExpression: 'ADD taken :minusOne', ExpressionAttributeValues: { ':minusOne': -1 } }),
        );
        return;
      }
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: requestCounterKey(counter),
            UpdateExpression: 'ADD taken :minusOne DELETE counted :keys',
            ConditionExpression: 'contains(counted, :key)',
            ExpressionAttributeValues: { ':minusOne': -1, ':keys': new Set([requestKey]), ':key': requestKey },
          }),
        );
      } catch (error) {
        // Not counted (or given back already): nothing to give back.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}
