import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ServiceBusyError } from '../../domain/errors';
import type { HandOverStore } from '../../use-cases/ports';
import { dossierItem, dossierUpdate, historyItem, outboxItem } from './items';
import { keys } from './keys';
import { kpiUpdate } from './kpi';

/**
 * Reception without boundaries on the ward's table. The competent ward's copy is written once
 * (conditional on no dossier of that code), so a hand-over delivered twice creates one dossier
 * with one history; the receiving ward's copy moves only forward (conditional on its version).
 */
export function dynamoHandOverStore(client: DynamoDBDocumentClient, tableName: string): HandOverStore {
  return {
    async takeOver(write) {
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: tableName, Item: dossierItem(write.dossier, write.applicantKey), ConditionExpression: 'attribute_not_exists(PK)' } },
              ...write.history.map((event) => ({ Put: { TableName: tableName, Item: historyItem(write.dossier.code, event) } })),
              { Put: { TableName: tableName, Item: outboxItem(write.event), ConditionExpression: 'attribute_not_exists(PK)' } },
              { Update: kpiUpdate(tableName, write.kpi.date, write.kpi.increments) },
            ],
          }),
        );
        return 'CREATED';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'EXISTS';
        if (reasons.some((reason) => reason.Code === 'ThrottlingError' || reason.Code === 'TransactionConflict')) throw new ServiceBusyError();
        throw error;
      }
    },

    async recordAcknowledgement(dossierCode, acknowledgedAt) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.dossier(dossierCode),
            UpdateExpression: 'SET handOver.acknowledgedAt = :at',
            ConditionExpression: 'attribute_exists(handOver) AND attribute_not_exists(handOver.acknowledgedAt)',
            ExpressionAttributeValues: { ':at': acknowledgedAt.toISOString() },
          }),
        );
      } catch (error) {
        // Acknowledged already (a redelivery, or an update of the copy came first).
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    async updateCopy(dossier, history) {
      const update = dossierUpdate(tableName, dossier, dossier.version);
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              // Only forward: a copy at this version or later keeps what it has.
              { Update: { ...update, ConditionExpression: 'attribute_exists(PK) AND #version < :expected' } },
              ...history.map((event) => ({ Put: { TableName: tableName, Item: historyItem(dossier.code, event) } })),
            ],
          }),
        );
        return 'UPDATED';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'STALE';
        if (reasons.some((reason) => reason.Code === 'ThrottlingError' || reason.Code === 'TransactionConflict')) throw new ServiceBusyError();
        throw error;
      }
    },
  };
}
