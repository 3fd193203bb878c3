/**
 * The national sync consumer's throughput (`BENCH_SYNC_EVENTS`, 300 by default): new dossiers
 * submitted through the real use case on DynamoDB Local, then one outbox event each handed to the
 * consumer's use case (`syncDossier`, what functions/events/sync-national.ts runs per stream
 * record) with the real ledger and the real HTTP client, against the local receiver
 * (local/sync-receiver.ts, validating every record with the national schema) over loopback:
 * - one shard: events one after the other, as one batch of the stream is processed;
 * - four shards: four such sequences at once;
 * - redeliveries: the same events again (each finds its change delivered and sends nothing).
 * The receiver's file must hold exactly one record per dossier at the end.
 */
import type { BenchSection } from './report';
import { printSection } from './report';
import { countNationalSync } from '../../shared/use-cases/national-sync-kpi';
import { dynamoNationalSyncCounter } from '../../shared/adapters/dynamodb/national-sync-counter';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../../local/dynamodb-local';
import { localDynamoDbClientConfig } from '../../local/local-aws';
import { provisionLocalWard } from '../../local/provision';
import { startLocalS3Server } from '../../local/s3-server';
import { startSyncReceiver } from '../../local/sync-receiver';
import { localWard } from '../../local/ward-environment';
import { dynamoDossierStore } from '../../shared/adapters/dynamodb/dossier-store';
import { dynamoNationalSyncLedger } from '../../shared/adapters/dynamodb/national-sync-ledger';
import { httpNationalSync } from '../../shared/adapters/http/national-sync-client';
import { localIdHasher } from '../../shared/adapters/kms/id-hasher';
import { fileCredentials } from '../../shared/adapters/secrets/national-sync-credentials';
import { SubmissionSchema } from '../../shared/domain/dossier';
import { syncDossier, type NationalSyncDeps } from '../../shared/use-cases/national-sync';
import { systemClock } from '../../shared/use-cases/ports';
import { submitDossier } from '../../shared/use-cases/submit-dossier';
import { pdfUploads } from '../fixtures/attachments';

const SHARDS = 4;

async function timed(codes: readonly string[], lanes: number, deps: NationalSyncDeps): Promise<{ seconds: number; sent: number }> {
  let sent = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let index = next++; index < codes.length; index = next++) {
        const outcome = await syncDossier(deps, codes[index] ?? '');
        if (outcome.status !== 'SYNCED') throw new Error(`sync of ${codes[index]} failed: ${String(outcome.cause)}`);
        sent += outcome.sent;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, sent };
}

export async function benchSync(events: number = Number(process.env.BENCH_SYNC_EVENTS ?? 300)): Promise<BenchSection> {
  const directory = await mkdtemp(join(tmpdir(), 'bench-sync-'));
  const [dynamodbLocal, s3Server, receiver] = await Promise.all([
    startDynamoDbLocal({ storage: { inMemory: true } }),
    startLocalS3Server({ directory: join(directory, 's3') }),
    startSyncReceiver({ recordsFile: join(directory, 'records.jsonl'), outageFile: join(directory, 'outage'), secretFile: join(directory, 'secret.json') }),
  ]);
  const raw = new DynamoDBClient(localDynamoDbClientConfig({ dynamodbEndpoint: dynamodbLocal.endpoint, s3Endpoint: s3Server.endpoint }));
  try {
    const tableName = `bench-sync-${randomUUID().slice(0, 8)}`;
    await provisionLocalWard({ dynamodbEndpoint: dynamodbLocal.endpoint, s3Endpoint: s3Server.endpoint, tableName, uploadsBucket: `bench-sync-uploads` });
    const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
    const ward = localWard(undefined);
    const dossiers = dynamoDossierStore(client, tableName, ward.slug);
    const submit = { dossiers, attachments: pdfUploads(), idHasher: localIdHasher(randomBytes(32).toString('hex')), clock: systemClock, ward };
    const codes: string[] = [];
    for (let start = 0; start < events; start += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, events - start) }, async (_, offset) => {
          const submission = SubmissionSchema.parse({
            procedureCode: '1.004873',
            applicant: { fullName: 'Nguyễn Thị Hoa', idNumber: `0011900${String(start + offset).padStart(5, '0')}`, phone: '0912345678' },
            formData: { purpose: 'Đăng ký kết hôn', maritalStatus: 'Chưa kết hôn' },
            attachments: [{ uploadId: randomUUID(), documentId: 'to-khai-xac-nhan-tthn' }],
          });
          return (await submitDossier(submit, submission, randomUUID())).dossier.code;
        }),
      );
      codes.push(...batch);
    }
    const deps: NationalSyncDeps = {
      dossiers,
      ledger: dynamoNationalSyncLedger(client, tableName),
      sync: httpNationalSync({ credentials: fileCredentials(receiver.secretFile) }),
      unit: { agencyCode: ward.agencyCode, name: ward.name, publicBaseUrl: 'http://127.0.0.1:3000' },
      now: () => new Date(),
      countSynced: (code) => countNationalSync({ dossiers, synced: dynamoNationalSyncCounter(client, tableName), clock: systemClock }, code),
    };
    const half = Math.floor(codes.length / 2);
    const one = await timed(codes.slice(0, half), 1, deps);
    const four = await timed(codes.slice(half), SHARDS, deps);
    const again = await timed(codes, SHARDS, deps);
    const records = await receiver.records();
    const keys = new Set(records.map((record) => record.idempotencyKey));
    const row = (label: string, count: number, run: { seconds: number; sent: number }) => [
      label,
      count,
      run.sent,
      Math.round((count / run.seconds) * 10) / 10,
      Math.round((run.seconds * 1000 * (label.startsWith('one') ? 1 : SHARDS)) / count),
    ];
    const oneEach = records.length === codes.length && keys.size === codes.length;
    return {
      title: 'National sync consumer',
      method: [
        `${codes.length} dossiers submitted through the real use case on DynamoDB Local, then one outbox event each handed to the consumer's use case ` +
          '(`syncDossier` with the DynamoDB ledger and the HTTP client) against the local receiver, which validates every record with the national schema, over loopback.',
      ],
      tables: [
        {
          head: ['Run', 'Events', 'Records sent', 'Events per second', 'ms per event'],
          rows: [row('one shard', half, one), row(`${SHARDS} shards at once`, codes.length - half, four), row(`redeliveries, ${SHARDS} shards`, codes.length, again)],
        },
      ],
      notes: [
        `The receiver holds ${records.length} records for ${codes.length} dossiers, ${keys.size} distinct, ${records.filter((record) => record.duplicate).length} repeats` +
          (oneEach ? ' (one each, as expected).' : ' (NOT one each).'),
      ],
    };
  } finally {
    raw.destroy();
    await Promise.allSettled([dynamodbLocal.stop(), s3Server.stop(), receiver.stop()]);
    await rm(directory, { recursive: true, force: true });
  }
}

// `npx tsx tests/bench/sync-bench.ts` runs it alone.
if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  printSection(await benchSync());
}
