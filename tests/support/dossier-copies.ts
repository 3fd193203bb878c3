import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/adapters/dynamodb/keys';

/** `count` copies of the dossiers `codes` (every item of their partitions), each under a new code, in batches of 25. */
export async function copyDossiers(client: DynamoDBDocumentClient, tableName: string, codes: readonly string[], count: number): Promise<void> {
  const originals = await Promise.all(
    codes.map(async (code) => {
      const page = await client.send(
        new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.dossierPartition(code) } }),
      );
      return { code, items: JSON.stringify(page.Items ?? []) };
    }),
  );
  const copies: Record<string, unknown>[] = [];
  for (let index = 0; index < count; index += 1) {
    const original = originals[index % originals.length];
    if (!original) throw new Error('no dossier to copy');
    const code = `${original.code}-C${String(index).padStart(5, '0')}`;
    copies.push(...(JSON.parse(original.items.replaceAll(original.code, code)) as Record<string, unknown>[]));
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let start = next; start < copies.length; start = next) {
        next += 25;
        let requests = copies.slice(start, start + 25).map((item) => ({ PutRequest: { Item: item } }));
        while (requests.length > 0) {
          const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
          requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
        }
      }
    }),
  );
}
