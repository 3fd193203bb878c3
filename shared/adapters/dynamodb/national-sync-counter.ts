import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ServiceBusyError } from '../../domain/errors';
import type { NationalSyncCounter } from '../../use-cases/ports';
import { keys } from './keys';
import { kpiUpdate } from './kpi';

/** Transactions cancelled by another one writing the same KPI shard: tried again, on another shard. */
const MAX_ATTEMPTS = 4;

/**
 * The national-sync counter: a marker item in the dossier's partition (`NATIONAL_SYNC`, written
 * once, on condition it does not exist) and the day's `synced` counter, in one transaction, so a
 * dossier is counted once however many of its records are acknowledged, retried or redelivered.
 */
export function dynamoNationalSyncCounter(client: DynamoDBDocumentClient, tableName: string): NationalSyncCounter {
  return {
    async countOnce(code, kpi, at) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await client.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: tableName,
                    Item: { ...keys.nationalSync(code), countedAt: at.toISOString(), day: kpi.date },
                    ConditionExpression: 'attribute_not_exists(PK)',
                  },
                },
                { Update: kpiUpdate(tableName, kpi.date, kpi.increments) },
              ],
            }),
          );
          return 'COUNTED';
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
          const [markerReason, counterReason] = error.CancellationReasons ?? [];
          if (markerReason?.Code === 'ConditionalCheckFailed') return 'ALREADY_COUNTED';
          const contended = [markerReason, counterReason].some((reason) => reason?.Code === 'TransactionConflict');
          if (contended && attempt < MAX_ATTEMPTS) continue;
          if (
            contended ||
            [markerReason, counterReason].some((r) => r?.Code === 'ThrottlingError' || r?.Code === 'ProvisionedThroughputExceeded' || r?.Code === 'RequestLimitExceeded')
          ) {
            throw new ServiceBusyError();
          }
          throw error;
        }
      }
    },
  };
}
