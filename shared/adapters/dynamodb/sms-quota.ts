import { createHash, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';
import type { Channel, ClaimResult, DeliveryLedger, OverCapRecord, SmsCounter, SmsQuotaStore } from '../../use-cases/notify';

/**
 * Key shapes of the notifier's items (to join the table in keys.ts):
 *
 * | item                                   | PK                                      | SK               |
 * |----------------------------------------|-----------------------------------------|------------------|
 * | delivery of an event (claim/sent, TTL) | NOTIFIED#<event id>                     | SMS \| ALERT     |
 * | SMS to one phone on one day (TTL)      | SMSQUOTA#PHONE#<phone hash>#<YYYY-MM-DD> | QUOTA            |
 * | SMS of the ward in one day (TTL)       | SMSQUOTA#WARDDAY#<YYYY-MM-DD>           | QUOTA            |
 * | SMS of the ward in one month (TTL)     | SMSQUOTA#WARD#<YYYY-MM>                 | QUOTA            |
 * | SMS refused over a cap (TTL)           | SMSOVERCAP#<YYYY-MM-DD>                 | EVENT#<event id> |
 */
export const notificationKeys = {
  delivery: (eventId: string, channel: Channel) => ({ PK: `NOTIFIED#${eventId}`, SK: channel }),
  phoneDay: (phone: string, day: string) => ({ PK: `SMSQUOTA#PHONE#${phoneHash(phone)}#${day}`, SK: 'QUOTA' }),
  wardDay: (day: string) => ({ PK: `SMSQUOTA#WARDDAY#${day}`, SK: 'QUOTA' }),
  wardMonth: (month: string) => ({ PK: `SMSQUOTA#WARD#${month}`, SK: 'QUOTA' }),
  overCapDay: (day: string) => `SMSOVERCAP#${day}`,
  overCap: (day: string, eventId: string) => ({ PK: `SMSOVERCAP#${day}`, SK: `EVENT#${eventId}` }),
} as const;

/**
 * Keeps phone numbers out of keys (which show in metrics, logs and consoles). Not a secret: nine
 * digits are quickly brute-forced from an unkeyed hash; the table itself is encrypted.
 */
export function phoneHash(phone: string): string {
  return createHash('sha256').update(phone).digest('hex').slice(0, 32);
}

const DAY_SECONDS = 24 * 3600;
/** Longer than any redelivery: the stream keeps records a day, the outbox a week. */
const DELIVERY_TTL_SECONDS = 8 * DAY_SECONDS;
/** Counters outlive their day or month by a little, for whoever looks into an incident. */
const DAY_COUNTER_TTL_SECONDS = 3 * DAY_SECONDS;
const WARD_MONTH_TTL_SECONDS = 62 * DAY_SECONDS;
/** Refusals are kept a quarter, to look into abuse. */
const OVER_CAP_TTL_SECONDS = 92 * DAY_SECONDS;

const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

const DeliveryItemSchema = z.object({
  state: z.enum(['CLAIMED', 'SENT', 'OVER_CAP']),
  claimedUntil: z.number().optional(),
});

const CounterItemSchema = z.object({ sent: z.number().optional(), pending: z.set(z.string()).optional() });

/** The item a failed condition saw (asked for with ReturnValuesOnConditionCheckFailure), as plain values. */
function itemOfFailedCondition(error: ConditionalCheckFailedException): Record<string, unknown> | undefined {
  return error.Item ? unmarshall(error.Item) : undefined;
}

/**
 * The ledger of deliveries: one item per event and channel, `CLAIMED` (with a token and an
 * expiry) → `SENT` or `OVER_CAP`. Claims are conditional writes; `SENT` and `OVER_CAP` are final.
 */
export function dynamoDeliveryLedger(client: DynamoDBDocumentClient, tableName: string): DeliveryLedger {
  return {
    async claim(eventId, channel, now, until): Promise<ClaimResult> {
      const token = randomUUID();
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: notificationKeys.delivery(eventId, channel),
            UpdateExpression: 'SET #state = :claimed, claimToken = :token, claimedUntil = :until, expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(#state) OR (#state = :claimed AND claimedUntil < :now)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':claimed': 'CLAIMED',
              ':token': token,
              ':until': until.getTime(),
              ':now': now.getTime(),
              ':expiresAt': epochSeconds(now) + DELIVERY_TTL_SECONDS,
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { outcome: 'CLAIMED', token };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const existing = DeliveryItemSchema.parse(itemOfFailedCondition(error));
        if (existing.state === 'CLAIMED') return { outcome: 'BUSY', until: new Date(existing.claimedUntil ?? now.getTime()) };
        return { outcome: 'DONE', state: existing.state };
      }
    },

    async markSent(eventId, channel, sent) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: notificationKeys.delivery(eventId, channel),
          UpdateExpression: 'SET #state = :sent, messageId = :messageId, sentAt = :sentAt, expiresAt = :expiresAt REMOVE claimToken, claimedUntil',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':sent': 'SENT',
            ':messageId': sent.messageId,
            ':sentAt': sent.at.toISOString(),
            ':expiresAt': epochSeconds(sent.at) + DELIVERY_TTL_SECONDS,
          },
        }),
      );
    },

    async markOverCap(record: OverCapRecord) {
      // The refusal first (a Put of a fixed key: a retry rewrites the same item), then the final state.
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...notificationKeys.overCap(record.day, record.eventId),
            eventId: record.eventId,
            eventType: record.eventType,
            dossierCode: record.dossierCode,
            phoneHash: phoneHash(record.phone),
            cap: record.cap,
            limit: record.limit,
            day: record.day,
            at: record.at.toISOString(),
            expiresAt: epochSeconds(record.at) + OVER_CAP_TTL_SECONDS,
          },
        }),
      );
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: notificationKeys.delivery(record.eventId, 'SMS'),
          UpdateExpression: 'SET #state = :overCap, cap = :cap, expiresAt = :expiresAt REMOVE claimToken, claimedUntil',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':overCap': 'OVER_CAP', ':cap': record.cap, ':expiresAt': epochSeconds(record.at) + DELIVERY_TTL_SECONDS },
        }),
      );
    },

    async release(eventId, channel, token) {
      try {
        await client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: notificationKeys.delivery(eventId, channel),
            ConditionExpression: 'claimToken = :token',
            ExpressionAttributeValues: { ':token': token },
          }),
        );
      } catch (error) {
        // The claim expired and another attempt holds it (or settled it): not ours to release.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}

/**
 * SMS counters against the ward's caps. Each counter is one item with `sent` (the count) and
 * `pending` (a string set of the event ids counted and not yet settled), changed by single-item
 * conditional updates, which DynamoDB applies one at a time per item: however many run at once,
 * `sent` never passes the cap, and an event already in `pending` is never counted again.
 * Settled ids leave the set, so it holds only the SMS in flight, whatever the month's volume.
 */
export function dynamoSmsQuotaStore(client: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()): SmsQuotaStore {
  const counterKey = (counter: SmsCounter) => {
    switch (counter.kind) {
      case 'PHONE_DAY':
        return notificationKeys.phoneDay(counter.phone, counter.day);
      case 'WARD_DAY':
        return notificationKeys.wardDay(counter.day);
      case 'WARD_MONTH':
        return notificationKeys.wardMonth(counter.month);
    }
  };
  const counterTtl = (counter: SmsCounter) => epochSeconds(now()) + (counter.kind === 'WARD_MONTH' ? WARD_MONTH_TTL_SECONDS : DAY_COUNTER_TTL_SECONDS);

  return {
    async take(counter, eventId, cap) {
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: counterKey(counter),
            UpdateExpression: 'ADD sent :one, pending :ids SET expiresAt = :expiresAt',
            ConditionExpression: '(attribute_not_exists(sent) OR sent < :cap) AND NOT contains(pending, :id)',
            ExpressionAttributeValues: { ':one': 1, ':ids': new Set([eventId]), ':id': eventId, ':cap': cap, ':expiresAt': counterTtl(counter) },
            ReturnValues: 'UPDATED_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { outcome: 'TAKEN', count: CounterItemSchema.parse(Attributes ?? {}).sent ?? 1 };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // Counted already (a retry of this event): taken, once.
        const { sent, pending } = CounterItemSchema.parse(itemOfFailedCondition(error) ?? {});
        return pending?.has(eventId) ? { outcome: 'TAKEN', count: sent ?? 1 } : { outcome: 'FULL' };
      }
    },

    async giveBack(counter, eventId) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: counterKey(counter),
            UpdateExpression: 'ADD sent :minusOne DELETE pending :ids',
            ConditionExpression: 'contains(pending, :id)',
            ExpressionAttributeValues: { ':minusOne': -1, ':ids': new Set([eventId]), ':id': eventId },
          }),
        );
      } catch (error) {
        // Not counted (or given back already): nothing to give back.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    async settle(counter, eventId) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: counterKey(counter),
            UpdateExpression: 'DELETE pending :ids',
            // Never creates an item, nor fails a second time.
            ConditionExpression: 'contains(pending, :id)',
            ExpressionAttributeValues: { ':ids': new Set([eventId]), ':id': eventId },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}
