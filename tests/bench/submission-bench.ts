/**
 * Submissions under concurrent load, on DynamoDB Local: `BENCH_SUBMISSION_ROUNDS` rounds (3 by
 * default) of 10, 50 and 100 submissions at once, each level on its own table (its own day
 * sequence). Per level: submissions per second (all of them over the wall time of the rounds),
 * p50 / p99 latency, errors, transactions sent per dossier, and whether the day's numbers are
 * 1..N, each once (continuity). The submissions run the real use case on the real store; the
 * attachment store answers at once (uploads are not what competes here, the table's items are).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../../local/dynamodb-local';
import { localDynamoDbClientConfig, type LocalAwsEndpoints } from '../../local/local-aws';
import { provisionLocalWard } from '../../local/provision';
import { startLocalS3Server } from '../../local/s3-server';
import { DEFAULT_FUNCTION_TIMEOUT_SECONDS } from '../../infra/constructs/ward-function';
import { localWard } from '../../local/ward-environment';
import { dynamoDossierStore } from '../../shared/adapters/dynamodb/dossier-store';
import { localIdHasher } from '../../shared/adapters/kms/id-hasher';
import { SubmissionSchema } from '../../shared/domain/dossier';
import { systemClock } from '../../shared/use-cases/ports';
import { submitDossier } from '../../shared/use-cases/submit-dossier';
import { pdfUploads } from '../fixtures/attachments';

/** The Lambda timeout of the submission function (its route keeps the default). */
const FUNCTION_TIMEOUT_MS = DEFAULT_FUNCTION_TIMEOUT_SECONDS * 1000;

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

const attachments = pdfUploads();

async function level(endpoints: LocalAwsEndpoints, concurrency: number, rounds: number) {
  const tableName = `bench-load-${concurrency}-${randomUUID().slice(0, 8)}`;
  await provisionLocalWard({ ...endpoints, tableName, uploadsBucket: `bench-uploads-${concurrency}` });
  const raw = new DynamoDBClient({ ...localDynamoDbClientConfig(endpoints), maxAttempts: 3 });
  let transactions = 0;
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand') transactions += 1;
      return next(args);
    },
    { step: 'initialize', name: 'transactionCounter' },
  );
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const deps = {
    dossiers: dynamoDossierStore(client, tableName, 'bench'),
    attachments,
    idHasher: localIdHasher(randomBytes(32).toString('hex')),
    clock: systemClock,
    ward: localWard(undefined),
  };
  const latencies: number[] = [];
  const codes: string[] = [];
  let errors = 0;
  const started = performance.now();
  for (let round = 0; round < rounds; round += 1) {
    await Promise.all(
      Array.from({ length: concurrency }, async (_, index) => {
        const submission = SubmissionSchema.parse({
          procedureCode: '1.004873',
          applicant: { fullName: 'Nguyễn Thị Hoa', idNumber: `0011900${String(round * 1000 + index).padStart(5, '0')}`, phone: '0912345678' },
          formData: { purpose: 'Đăng ký kết hôn', maritalStatus: 'Chưa kết hôn' },
          attachments: [{ uploadId: randomUUID(), documentId: 'to-khai-xac-nhan-tthn' }],
        });
        const t0 = performance.now();
        try {
          const result = await submitDossier(deps, submission, randomUUID());
          codes.push(result.dossier.code);
        } catch {
          errors += 1;
        } finally {
          latencies.push(performance.now() - t0);
        }
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  raw.destroy();
  const sorted = [...latencies].sort((a, b) => a - b);
  const numbers = codes.map((code) => Number(code.slice(-4))).sort((a, b) => a - b);
  const continuous = numbers.every((number, index) => number === index + 1);
  return {
    concurrency,
    submissions: concurrency * rounds,
    'per second': Math.round((codes.length / seconds) * 10) / 10,
    'p50 ms': Math.round(percentile(sorted, 50)),
    'p99 ms': Math.round(percentile(sorted, 99)),
    errors,
    'transactions per dossier': Math.round((transactions / Math.max(1, codes.length)) * 100) / 100,
    numbers: continuous ? `1..${numbers.length}, each once` : `NOT continuous: ${numbers.length} codes, first gap after ${numbers.find((n, i) => n !== i + 1) ?? '?'}`,
  };
}

export async function benchSubmissions(rounds: number = Number(process.env.BENCH_SUBMISSION_ROUNDS ?? 3)): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'bench-submissions-'));
  const [dynamodbLocal, s3Server] = await Promise.all([startDynamoDbLocal({ storage: { inMemory: true } }), startLocalS3Server({ directory })]);
  try {
    const endpoints = { dynamodbEndpoint: dynamodbLocal.endpoint, s3Endpoint: s3Server.endpoint };
    const rows = [];
    for (const concurrency of [10, 50, 100]) rows.push(await level(endpoints, concurrency, rounds));
    console.log(`\nConcurrent submissions (${rounds} rounds per level, DynamoDB Local; targets: 0 errors, rate at 50 ≥ rate at 10, p99 ≤ ${FUNCTION_TIMEOUT_MS / 2} ms):`);
    console.table(rows);
  } finally {
    await Promise.allSettled([dynamodbLocal.stop(), s3Server.stop()]);
    await rm(directory, { recursive: true, force: true });
  }
}
