import { BatchWriteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/adapters/dynamodb/keys';

/**
 * `count` copies of the dossiers `codes`, each under a new code: the dossier item only (it carries
 * the index keys, so the copies are open dossiers in every index; their history is not copied),
 * in batches of 25, two at a time — light enough to run beside the other tests on one DynamoDB Local.
 */
export async function copyDossiers(client: DynamoDBDocumentClient, tableName: string, codes: readonly string[], count: number): Promise<void> {
  const originals = await Promise.all(
    codes.map(async (code) => {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.dossier(code) }));
      if (!Item) throw new Error(`no dossier ${code} to copy`);
      return { code, item: JSON.stringify(Item) };
    }),
  );
  const copies: Record<string, unknown>[] = [];
  for (let index = 0; index < count; index += 1) {
    const original = originals[index % originals.length];
    if (!original) throw new Error('no dossier to copy');
    const code = `${original.code}-C${String(index).padStart(5, '0')}`;
    copies.push(JSON.parse(original.item.replaceAll(original.code, code)) as Record<string, unknown>);
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 2 }, async () => {
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
