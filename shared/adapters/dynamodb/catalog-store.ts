import { BatchWriteCommand, GetCommand, type BatchWriteCommandOutput, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ProcedureSchema, type Procedure } from '../../domain/procedure';
import type { CatalogStore } from '../../use-cases/ports';
import type { DynamoStoreOptions } from './dossier-store';
import { keys } from './keys';

const BATCH_SIZE = 25;

/**
 * The catalog: every version under its procedure's partition (a dossier keeps its version), and
 * the current published version of each procedure in one `CATALOG` partition, so that the whole
 * catalog is one Query.
 */
export function dynamoCatalogStore(client: DynamoDBDocumentClient, tableName: string, options: DynamoStoreOptions = {}): CatalogStore {
  const capacity = options.returnConsumedCapacity ?? 'NONE';

  async function queryCurrentItems(): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client },
      { TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.catalogPartition }, ReturnConsumedCapacity: capacity },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  }

  async function writeAll(requests: Record<string, unknown>[]): Promise<void> {
    for (let index = 0; index < requests.length; index += BATCH_SIZE) {
      let pending: Record<string, unknown>[] | undefined = requests.slice(index, index + BATCH_SIZE);
      for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
        if (attempt > 8) throw new Error('catalog write kept being throttled');
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        const result: BatchWriteCommandOutput = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = result.UnprocessedItems?.[tableName];
      }
    }
  }

  return {
    async listCurrent() {
      return (await queryCurrentItems()).map(procedureFrom);
    },

    async getCurrent(code) {
      const result = await client.send(new GetCommand({ TableName: tableName, Key: keys.catalogEntry(code), ReturnConsumedCapacity: capacity }));
      return result.Item ? procedureFrom(result.Item) : undefined;
    },

    async getVersion(code, version) {
      const result = await client.send(new GetCommand({ TableName: tableName, Key: keys.procedureVersion(code, version), ReturnConsumedCapacity: capacity }));
      return result.Item ? procedureFrom(result.Item) : undefined;
    },

    async replaceCatalog(versions, currentVersions) {
      const current = new Map(currentVersions.map((procedure) => [procedure.code, procedure]));
      const existing = await queryCurrentItems();
      const withdrawn = existing.filter((item) => !current.has(procedureFrom(item).code));
      await writeAll([
        ...versions.map((procedure) => ({ PutRequest: { Item: { ...keys.procedureVersion(procedure.code, procedure.version), procedure } } })),
        ...[...current.values()].map((procedure) => ({ PutRequest: { Item: { ...keys.catalogEntry(procedure.code), procedure } } })),
        ...withdrawn.map((item) => ({ DeleteRequest: { Key: { PK: item.PK, SK: item.SK } } })),
      ]);
      return { versions: versions.length, current: current.size, unpublished: withdrawn.length };
    },
  };
}

export function procedureFrom(item: Record<string, unknown>): Procedure {
  return ProcedureSchema.parse(item.procedure);
}
