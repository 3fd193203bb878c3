/**
 * `npm run audit -- access-log --ward <slug> --code <dossier code> [--table <name>] [--region <r>] [--local] [--endpoint <url>]`
 * `npm run audit -- exports --ward <slug> [--table <name>] [--region <r>] [--local] [--endpoint <url>]`
 *
 * The auditor's reading of the personal-data records (docs/personal-data.md): a dossier's access
 * log (which officer read it, when, through which route) or the data-subject export records (who,
 * when, why, the ID number's HMAC), newest first, printed as JSON. In AWS with the auditor role,
 * which may Query only these partitions of the table; `--local`, the table of `npm start`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { wardBySlug } from '../infra/config/wards';
import { dynamoPersonalDataStore } from '../shared/adapters/dynamodb/personal-data-store';
import { accessEntryView, subjectExportRecordView } from '../shared/api/views';
import type { PersonalDataPage } from '../shared/use-cases/ports';
import { LOCAL_DYNAMODB_ENDPOINT_FILE_NAME, localDynamoDbClientConfig } from './local-aws';
import { localResourceNames } from './ward-environment';

const LOCAL_DATA_DIRECTORY = join(fileURLToPath(new URL('..', import.meta.url)), '.local');

export const ACCESS_LOG_USAGE = `  access-log    a dossier's access log: every officer read (who, when, which route), newest first, as JSON
  exports       the data-subject export records (who, when, why, the ID number's HMAC), newest first, as JSON
  --code        (access-log) the dossier code
  --table       the ward's table (output TableName; with --local, default the local ward's)
  --region      the table's region (default: the ward's)
  --local       the table of npm start's local ward (its DynamoDB Local, found in .local/)
  --endpoint    a DynamoDB endpoint (e.g. DynamoDB Local at http://127.0.0.1:8000)`;

export class AccessLogUsageError extends Error {}

/** Runs `access-log` or `exports`; returns the exit status. */
export async function runAccessLogCommand(command: 'access-log' | 'exports', args: readonly string[]): Promise<number> {
  const values = parse(args);
  if (values.ward === undefined) throw new AccessLogUsageError('--ward is needed');
  if (command === 'access-log' && values.code === undefined) throw new AccessLogUsageError('--code is needed');
  let ward;
  try {
    ward = wardBySlug(values.ward);
  } catch (error) {
    throw new AccessLogUsageError(error instanceof Error ? error.message : String(error));
  }
  const table = values.table ?? (values.local ? localResourceNames(ward).tableName : undefined);
  if (table === undefined) throw new AccessLogUsageError('--table is needed (or --local for the local ward)');
  const config: DynamoDBClientConfig = values.local
    ? localDynamoDbClientConfig({ dynamodbEndpoint: values.endpoint ?? (await localEndpoint()), s3Endpoint: '' })
    : { region: values.region ?? ward.env.region, ...(values.endpoint ? { endpoint: values.endpoint } : {}) };
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(config));
  const store = dynamoPersonalDataStore(client, table);
  try {
    if (command === 'access-log') {
      const code = values.code ?? '';
      const items = await everyPage((cursor) => store.listAccess(code, { limit: 100, ...cursor }));
      console.log(JSON.stringify({ ward: ward.slug, code, items: items.map(accessEntryView) }, null, 2));
    } else {
      const items = await everyPage((cursor) => store.listExports({ limit: 100, ...cursor }));
      console.log(JSON.stringify({ ward: ward.slug, items: items.map(subjectExportRecordView) }, null, 2));
    }
    return 0;
  } finally {
    client.destroy();
  }
}

async function everyPage<T>(read: (cursor: { cursor?: string }) => Promise<PersonalDataPage<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor === undefined ? {} : { cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}

async function localEndpoint(): Promise<string> {
  const file = join(LOCAL_DATA_DIRECTORY, LOCAL_DYNAMODB_ENDPOINT_FILE_NAME);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    throw new AccessLogUsageError(`${file} does not exist: start the local ward (npm start), or give --endpoint`);
  }
}

function parse(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        ward: { type: 'string' },
        code: { type: 'string' },
        table: { type: 'string' },
        region: { type: 'string' },
        local: { type: 'boolean', default: false },
        endpoint: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new AccessLogUsageError(error instanceof Error ? error.message : String(error));
  }
}
