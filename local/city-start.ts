/**
 * `WARDS=hoan-kiem,cua-nam npm start`: a local city of several wards, to show reception without
 * boundaries (docs/reception-without-boundaries.md). One DynamoDB Local, one s3rver and one local
 * SQS for all (data under `.local/`, each ward with its own table, buckets and queues, named as
 * `npm start` names them), the local city bus, and each ward in its own process on its own port:
 * `PORT` (default 3000) for the first, the next ports for the others. Ctrl-C stops everything.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wardBySlug } from '../infra/config/wards';
import { CITIZEN_SIGNING_KEY_FILE_NAME } from './citizen-tokens';
import { startLocalCity, type LocalCity } from './city';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
import { OFFICER_SIGNING_KEY_FILE_NAME, readOrCreateOfficerSigningKey } from './officer-tokens';
import { startLocalS3Server, type LocalS3Server } from './s3-server';
import { startLocalSqsServer, type LocalSqsServer } from './sqs-server';
import { localResourceNames, readOrCreateSecret } from './ward-environment';

const PROJECT_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
const LOCAL_DATA_DIRECTORY = join(PROJECT_DIRECTORY, '.local');
const DEFAULT_PORT = 3000;

const running: { dynamodb?: DynamoDbLocal; s3?: LocalS3Server; sqs?: LocalSqsServer; city?: LocalCity } = {};
let stopping = false;

/** The slugs of `WARDS` (comma-separated), each a configured ward, at least two. */
export function parseWards(value: string): string[] {
  const slugs = value
    .split(',')
    .map((slug) => slug.trim())
    .filter((slug) => slug !== '');
  if (new Set(slugs).size !== slugs.length || slugs.length < 2) throw new Error(`WARDS must name two or more different wards, e.g. WARDS=hoan-kiem,cua-nam (not '${value}')`);
  for (const slug of slugs) wardBySlug(slug);
  return slugs;
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const startedAt = Date.now();
  const slugs = parseWards(process.env.WARDS ?? '');
  const basePort = process.env.PORT ? Number(process.env.PORT) : DEFAULT_PORT;
  if (!Number.isInteger(basePort) || basePort < 1 || basePort + slugs.length > 65_535) throw new Error(`PORT must be a TCP port number, not '${process.env.PORT ?? ''}'`);
  const resources = slugs.map((slug) => localResourceNames(wardBySlug(slug)));
  const officerKeyFile = join(LOCAL_DATA_DIRECTORY, OFFICER_SIGNING_KEY_FILE_NAME);
  const citizenKeyFile = join(LOCAL_DATA_DIRECTORY, CITIZEN_SIGNING_KEY_FILE_NAME);
  // Made once here, before the wards read them.
  await readOrCreateOfficerSigningKey(officerKeyFile);
  await readOrCreateOfficerSigningKey(citizenKeyFile);
  await readOrCreateSecret(join(LOCAL_DATA_DIRECTORY, 'id-hash.key'));

  const [dynamodb, s3, sqs] = await Promise.all([
    startDynamoDbLocal({ storage: { dataDirectory: join(LOCAL_DATA_DIRECTORY, 'dynamodb') } }).then((started) => (running.dynamodb = started)),
    startLocalS3Server({ directory: join(LOCAL_DATA_DIRECTORY, 's3'), writeOnceBuckets: resources.map((names) => names.archiveBucket) }).then((started) => (running.s3 = started)),
    startLocalSqsServer({ stateFile: join(LOCAL_DATA_DIRECTORY, 'sqs-city.json') }).then((started) => (running.sqs = started)),
  ]);
  running.city = await startLocalCity({
    sqsEndpoint: sqs.endpoint,
    wards: slugs.map((slug, index) => ({
      wardSlug: slug,
      port: basePort + index,
      dynamodbEndpoint: dynamodb.endpoint,
      s3Endpoint: s3.endpoint,
      sqsEndpoint: sqs.endpoint,
      ...(resources[index] ?? localResourceNames(wardBySlug(slug))),
      dataDirectory: LOCAL_DATA_DIRECTORY,
      officerKeyFile,
      citizenKeyFile,
      deadlines: true,
      site: true,
    })),
  });
  const wards = [...running.city.wards.values()];
  const [first, second] = wards;
  console.log(`
Local city of ${wards.length} wards ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s
${wards.map((ward) => `  ${ward.wardName.padEnd(24)} ${ward.url}/   officers ${ward.url}/can-bo/   table ${localResourceNames(wardBySlug(ward.wardSlug)).tableName}`).join('\n')}
  City bus        ${running.city.bus.endpoint}  (EventBridge PutEvents; each ward's rule delivers to its queue ${wards.map((ward) => ward.inboundQueueUrl.split('/').at(-1)).join(', ')})
  DynamoDB Local  ${dynamodb.endpoint}   s3rver ${s3.endpoint}   SQS ${sqs.endpoint}   (data in .local/)

File at ${first?.wardSlug ?? ''} a dossier for ${second?.wardSlug ?? ''}'s competence: add to the submission of npm start's banner
  "handOver":{"competentWard":"${second?.wardSlug ?? ''}","resultReturn":"RECEIVING_WARD"}
then ${second?.wardSlug ?? ''}'s officers find it (npm run officer-token -- --ward ${second?.wardSlug ?? ''} --role reception), and ${first?.wardSlug ?? ''} shows it as it moves.

Ctrl-C stops the city.
`);
}

async function shutDown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(1), 20_000).unref();
  await running.city?.stop().catch((error: unknown) => console.error('stopping the wards:', error));
  await running.sqs?.stop().catch((error: unknown) => console.error('stopping the local SQS:', error));
  await running.s3?.stop().catch((error: unknown) => console.error('stopping s3rver:', error));
  await running.dynamodb?.stop().catch((error: unknown) => console.error('stopping DynamoDB Local:', error));
  process.exit(code);
}

process.on('SIGINT', () => void shutDown(0));
process.on('SIGTERM', () => void shutDown(0));

main().catch((error: unknown) => {
  console.error('The local city could not start:', error);
  void shutDown(1);
});
