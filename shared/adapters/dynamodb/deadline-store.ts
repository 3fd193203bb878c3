import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ServiceBusyError, VersionConflictError } from '../../domain/errors';
import type { DeadlineEventStore } from '../../use-cases/deadlines';
import { outboxItem } from './items';
import { keys } from './keys';

/**
 * The deadline workflow's own writes: an outbox event that must exist once (its id is
 * deterministic), written only while the dossier is still at the version the decision was taken
 * on. One transaction: a check of the dossier item and a conditional put of the event.
 */
export function dynamoDeadlineStore(client: DynamoDBDocumentClient, tableName: string): DeadlineEventStore {
  return {
    async recordEventOnce(event, dossier) {
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: tableName,
                  Key: keys.dossier(dossier.code),
                  ConditionExpression: '#version = :expected',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':expected': dossier.expectedVersion },
                },
              },
              { Put: { TableName: tableName, Item: outboxItem(event), ConditionExpression: 'attribute_not_exists(PK)' } },
            ],
          }),
        );
        return 'WRITTEN';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [dossierReason, eventReason] = error.CancellationReasons ?? [];
        // The event exists: written by an earlier (or a concurrent) wake-up of this generation.
        if (eventReason?.Code === 'ConditionalCheckFailed') return 'ALREADY_WRITTEN';
        if (dossierReason?.Code === 'ConditionalCheckFailed' || [dossierReason, eventReason].some((r) => r?.Code === 'TransactionConflict')) {
          throw new VersionConflictError();
        }
        if ([dossierReason, eventReason].some((r) => r?.Code === 'ThrottlingError' || r?.Code === 'ProvisionedThroughputExceeded' || r?.Code === 'RequestLimitExceeded')) {
          throw new ServiceBusyError();
        }
        throw error;
      }
    },
  };
}
