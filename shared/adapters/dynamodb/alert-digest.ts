import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { DOMAIN_EVENT_TYPES } from '../../domain/events';
import type { AlertDigestStore, DigestClaim, PendingAlert } from '../../use-cases/alert-digest';

/**
 * Key shapes of the officers' digest (to join the table in keys.ts):
 *
 * | item                                | PK          | SK                                |
 * |-------------------------------------|-------------|-----------------------------------|
 * | the digest: last sent, its claim    | ALERTDIGEST | STATE                             |
 * | an alert waiting for the next one   | ALERTDIGEST | PENDING#<event instant>#<event id> |
 *
 * A pending alert's key is made of its event alone: a redelivered event finds it there.
 */
export const alertDigestKeys = {
  state: { PK: 'ALERTDIGEST', SK: 'STATE' },
  partition: 'ALERTDIGEST',
  pendingPrefix: 'PENDING#',
  pending: (alert: Pick<PendingAlert, 'at' | 'eventId'>) => ({ PK: 'ALERTDIGEST', SK: `PENDING#${alert.at.toISOString()}#${alert.eventId}` }),
} as const;

const PendingItemSchema = z.object({
  eventId: z.string(),
  eventType: z.enum(DOMAIN_EVENT_TYPES),
  dossierCode: z.string(),
  subject: z.string(),
  body: z.string(),
  at: z.iso.datetime().transform((value) => new Date(value)),
});

const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;

export function dynamoAlertDigestStore(client: DynamoDBDocumentClient, tableName: string): AlertDigestStore {
  return {
    async add(alert) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...alertDigestKeys.pending(alert),
              eventId: alert.eventId,
              eventType: alert.eventType,
              dossierCode: alert.dossierCode,
              subject: alert.subject,
              body: alert.body,
              at: alert.at.toISOString(),
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
      } catch (error) {
        // Added already, by an earlier delivery of the same event. Once added, the notifier's ledger
        // records the alert as delivered, so an alert mailed and removed is never added again.
        if (!isConditionFailure(error)) throw error;
      }
    },

    async claim(now, until, sentNotAfter): Promise<DigestClaim | undefined> {
      const token = randomUUID();
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: alertDigestKeys.state,
            UpdateExpression: 'SET claimToken = :token, claimedUntil = :until',
            ConditionExpression: '(attribute_not_exists(claimedUntil) OR claimedUntil < :now) AND (attribute_not_exists(sentAt) OR sentAt <= :notAfter)',
            ExpressionAttributeValues: { ':token': token, ':until': until.getTime(), ':now': now.getTime(), ':notAfter': sentNotAfter.getTime() },
          }),
        );
        return { token };
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },

    async pending(limit) {
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': alertDigestKeys.partition, ':prefix': alertDigestKeys.pendingPrefix },
          ConsistentRead: true,
          Limit: limit,
        }),
      );
      return (result.Items ?? []).map((item) => PendingItemSchema.parse(item));
    },

    async complete(claim, alerts, sent) {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            ...alerts.map((alert) => ({ Delete: { TableName: tableName, Key: alertDigestKeys.pending(alert) } })),
            {
              Update: {
                TableName: tableName,
                Key: alertDigestKeys.state,
                UpdateExpression: 'SET sentAt = :sentAt, lastMessageId = :messageId, lastAlerts = :count REMOVE claimToken, claimedUntil',
                ConditionExpression: 'claimToken = :token',
                ExpressionAttributeValues: { ':sentAt': sent.sentAt.getTime(), ':messageId': sent.messageId, ':count': alerts.length, ':token': claim.token },
              },
            },
          ],
        }),
      );
    },

    async release(claim) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: alertDigestKeys.state,
            UpdateExpression: 'REMOVE claimToken, claimedUntil',
            ConditionExpression: 'claimToken = :token',
            ExpressionAttributeValues: { ':token': claim.token },
          }),
        );
      } catch (error) {
        // Expired and taken by another run: that run's now.
        if (!isConditionFailure(error)) throw error;
      }
    },
  };
}
