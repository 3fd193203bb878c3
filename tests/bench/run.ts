/**
 * `npm run bench`: the figures of `docs/benchmarks.md`, rewritten by every full run. Each part
 * (`PARTS` below, one file each under tests/bench) measures one thing and returns its sections:
 * tables, how they were measured, and the targets they check, marked met or not from the
 * measurement (`report.ts` lays out the page). Medians and ratios, because this machine is shared
 * and noisy. `BENCH_ONLY=<part>,… npm run bench` runs some parts and prints them without
 * rewriting the page.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, type ConsumedCapacity, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../../local/dynamodb-local';
import { localDynamoDbClientConfig, localS3ClientConfig } from '../../local/local-aws';
import { provisionLocalWard } from '../../local/provision';
import { startLocalS3Server } from '../../local/s3-server';
import { localHandlerEnvironment, localWard } from '../../local/ward-environment';
import { dynamoCatalogStore } from '../../shared/adapters/dynamodb/catalog-store';
import { dynamoDossierStore } from '../../shared/adapters/dynamodb/dossier-store';
import { auditSection, benchAudit } from './audit-bench';
import { benchColdStarts } from './cold-start-bench';
import { printSection, writeBenchmarks, type BenchSection } from './report';
import { benchFrontEnd } from './front-end-bench';
import { benchHandOver } from './handover-bench';
import { benchSigning } from './signing-bench';
import { benchSubmissions } from './submission-bench';
import { benchSynth } from './synth-bench';
import { benchSync } from './sync-bench';
import { localIdHasher } from '../../shared/adapters/kms/id-hasher';
import { s3AttachmentStore } from '../../shared/adapters/s3/attachment-store';
import { listProcedures } from '../../shared/use-cases/catalog';
import { systemClock } from '../../shared/use-cases/ports';
import { submitDossier } from '../../shared/use-cases/submit-dossier';
import { getCitizenDossier, getPublicStatus } from '../../shared/use-cases/track-dossier';
import { SubmissionSchema } from '../../shared/domain/dossier';
import { dynamoKpiStore } from '../../shared/adapters/dynamodb/kpi-store';
import { kpiUpdate } from '../../shared/adapters/dynamodb/kpi';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { copyDossiers } from '../support/dossier-copies';
import { dynamoDeadlineStore } from '../../shared/adapters/dynamodb/deadline-store';
import { checkDeadline } from '../../shared/use-cases/deadlines';
import { getKpiReport } from '../../shared/use-cases/kpi-report';
import { createDossier } from '../../shared/use-cases/submit-dossier';
import type { LocalAwsEndpoints } from '../../local/local-aws';
import { noUploads } from '../fixtures/attachments';

/** Counts every DynamoDB request a client sends and adds up the capacity each reports. */
function meteredDynamoDb(config: DynamoDBClientConfig) {
  const meter = { requests: [] as string[], read: 0, write: 0 };
  const client = new DynamoDBClient(config);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      meter.requests.push(context.commandName ?? 'unknown');
      const output = result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
      for (const capacity of [output.ConsumedCapacity ?? []].flat()) {
        meter.read += capacity.ReadCapacityUnits ?? 0;
        meter.write += capacity.WriteCapacityUnits ?? 0;
        // DynamoDB Local reports CapacityUnits without the read/write split for transactions and batches.
        if (capacity.ReadCapacityUnits === undefined && capacity.WriteCapacityUnits === undefined) {
          const units = capacity.CapacityUnits ?? 0;
          if (context.commandName === 'TransactWriteItemsCommand' || context.commandName === 'BatchWriteItemCommand') meter.write += units;
          else meter.read += units;
        }
      }
      return result;
    },
    { step: 'initialize', name: 'capacityMeter' },
  );
  const measure = async <T>(run: () => Promise<T>) => {
    meter.requests = [];
    meter.read = 0;
    meter.write = 0;
    const value = await run();
    return { value, requests: [...meter.requests], read: meter.read, write: meter.write };
  };
  return { client, measure };
}

async function benchDynamoDb(workDir: string): Promise<BenchSection[]> {
  const [dynamodbLocal, s3Server] = await Promise.all([startDynamoDbLocal({ storage: { inMemory: true } }), startLocalS3Server({ directory: join(workDir, 's3') })]);
  try {
    const endpoints = { dynamodbEndpoint: dynamodbLocal.endpoint, s3Endpoint: s3Server.endpoint };
    const tableName = `bench-${randomUUID().slice(0, 8)}`;
    const uploadsBucket = `bench-uploads-${randomUUID().slice(0, 8)}`;
    await provisionLocalWard({ ...endpoints, tableName, uploadsBucket });

    const ward = localWard(undefined);
    const { client, measure } = meteredDynamoDb(localDynamoDbClientConfig(endpoints));
    const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const dossiers = dynamoDossierStore(documents, tableName, 'bench', { returnConsumedCapacity: 'TOTAL' });
    const catalog = dynamoCatalogStore(documents, tableName, { returnConsumedCapacity: 'TOTAL' });
    const s3 = new S3Client({ ...localS3ClientConfig(endpoints), requestChecksumCalculation: 'WHEN_REQUIRED' });
    const uploadId = randomUUID();
    const pdf = '%PDF-1.4\n%%EOF\n';
    await s3.send(
      new PutObjectCommand({ Bucket: uploadsBucket, Key: `incoming/${uploadId}`, Body: pdf, ContentType: 'application/pdf', Metadata: { 'declared-size': String(pdf.length) } }),
    );
    const deps = {
      dossiers,
      attachments: s3AttachmentStore(s3, uploadsBucket, { malwareScanning: 'OFF' }),
      idHasher: localIdHasher(randomBytes(32).toString('hex')),
      clock: systemClock,
      ward,
    };
    const submission = SubmissionSchema.parse({
      procedureCode: '1.004873',
      applicant: { fullName: 'Nguyễn Thị Hoa', idNumber: '001190012345', phone: '0912345678' },
      formData: { purpose: 'Đăng ký kết hôn', maritalStatus: 'Chưa kết hôn' },
      attachments: [{ uploadId, documentId: 'to-khai-xac-nhan-tthn' }],
    });

    const key = randomUUID();
    const submit = await measure(() => submitDossier(deps, submission, key));
    const retry = await measure(() => submitDossier(deps, submission, key));
    const status = await measure(() => getPublicStatus(dossiers, submit.value.dossier.code));
    const fullView = await measure(() => getCitizenDossier(dossiers, submit.value.dossier.code, submit.value.secret));
    const catalogRead = await measure(() => listProcedures(catalog, {}));

    const row = (name: string, target: string, m: { requests: string[]; read: number; write: number }) => [
      name,
      m.requests.length,
      target,
      m.requests.map((r) => r.replace('Command', '')).join(' + '),
      Math.round(m.read * 10) / 10,
      Math.round(m.write * 10) / 10,
    ];
    const operations: BenchSection = {
      title: 'DynamoDB per citizen operation',
      method: [
        'Each operation once through its use case on DynamoDB Local, requests counted by a client middleware, capacity as DynamoDB Local reports it (ReturnConsumedCapacity=TOTAL).',
      ],
      tables: [
        {
          head: ['Operation', 'Requests', 'Target', 'Calls', 'Read units', 'Write units'],
          rows: [
            row('submission', '≤ 3', submit),
            row('submission retried (same key)', '-', retry),
            row('public status lookup', '1', status),
            row("citizen's full view", '-', fullView),
            row(`catalog read (${catalogRead.value.length} procedures)`, '1', catalogRead),
          ],
        },
      ],
    };
    s3.destroy();
    client.destroy();
    return [operations, await benchKpiReport(endpoints)];
  } finally {
    await Promise.allSettled([dynamodbLocal.stop(), s3Server.stop()]);
  }
}

/**
 * The KPI report's cost at 100 and at 10,000 open dossiers, each count in its own table: the open
 * dossiers go through the real counter-intake transaction on 1 June 2026, five of them are marked
 * overdue by the deadline workflow's step, and the June report (the leader's `GET /officer/kpis`
 * use case) is read with its requests and capacity counted. The report reads the day counters and
 * the running open-overdue number, never a dossier: the same units whatever the number open.
 */
async function benchKpiReport(endpoints: LocalAwsEndpoints): Promise<BenchSection> {
  const ward = localWard(undefined);
  const measured: { open: number; requests: number; read: number; openOverdue: number }[] = [];
  for (const openCount of [100, 10_000]) {
    const tableName = `bench-kpi-${randomUUID().slice(0, 8)}`;
    await provisionLocalWard({ ...endpoints, tableName, uploadsBucket: `bench-kpi-uploads-${randomUUID().slice(0, 8)}` });
    const { client, measure } = meteredDynamoDb(localDynamoDbClientConfig(endpoints));
    const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    let now = new Date('2026-06-01T09:00:00+07:00');
    const clock = { now: () => now };
    const dossiers = dynamoDossierStore(documents, tableName, 'bench');
    const deps = { dossiers, attachments: noUploads, idHasher: localIdHasher(randomBytes(32).toString('hex')), clock, ward };
    const counterDossier = SubmissionSchema.parse({
      procedureCode: '1.004873',
      applicant: { fullName: 'Nguyễn Thị Hoa', idNumber: '001190012345', phone: '0912345678' },
      formData: { purpose: 'Đăng ký kết hôn', maritalStatus: 'Chưa kết hôn' },
    });
    // A hundred through the real transaction; beyond that, copies of their items under new codes
    // (index entries included) and the counters their intake transactions would have added.
    const codes: string[] = [];
    for (let index = 0; index < Math.min(openCount, 100); index += 1) {
      const created = await createDossier(deps, counterDossier, randomUUID(), {
        channel: 'COUNTER',
        officer: { id: 'bench', name: 'Bench' },
        documentsReceived: ['to-khai-xac-nhan-tthn'],
      });
      codes.push(created.dossier.code);
    }
    const copies = openCount - codes.length;
    if (copies > 0) {
      await copyDossiers(documents, tableName, codes.slice(5), copies);
      await documents.send(new UpdateCommand(kpiUpdate(tableName, '2026-06-01', { submitted: copies, received: copies, receivedCounter: copies })));
    }
    for (const code of codes.slice(0, 5)) {
      const dossier = await dossiers.getDossier(code);
      if (dossier?.appointmentAt === undefined || dossier.clockGeneration === undefined) throw new Error(`${code} has no running clock`);
      now = dossier.appointmentAt;
      await checkDeadline(
        { dossiers, events: dynamoDeadlineStore(documents, tableName), clock, officeHours: ward.officeHours },
        { step: 'OVERDUE', dossierCode: code, generation: dossier.clockGeneration },
      );
    }
    const kpis = dynamoKpiStore(documents, tableName, { returnConsumedCapacity: 'TOTAL' });
    const report = await measure(() =>
      getKpiReport({ kpis, clock: { now: () => new Date('2026-06-30T12:00:00+07:00') }, targets: ward.targets }, { from: '2026-06-01', to: '2026-06-29' }),
    );
    if (report.value.counts.received !== openCount || report.value.counts.openOverdue !== 5) {
      throw new Error(`KPI bench: counted ${report.value.counts.received} received and ${report.value.counts.openOverdue} overdue, expected ${openCount} and 5`);
    }
    measured.push({ open: openCount, requests: report.requests.length, read: report.read, openOverdue: report.value.counts.openOverdue });
    client.destroy();
  }
  const [hundred, tenThousand] = measured;
  const change = hundred && tenThousand ? Math.abs(tenThousand.read - hundred.read) / hundred.read : Number.NaN;
  return {
    title: 'KPI report at 100 and at 10,000 open dossiers',
    method: [
      'Open dossiers received at the counter on 1 June 2026 (a hundred through the real transaction, the rest copies of their items under new codes with the counters their transactions would add), five marked overdue by the deadline step, then the June report ' +
        '(the `GET /officer/kpis` use case) read once on DynamoDB Local with its requests counted and its capacity as DynamoDB Local reports it. ' +
        'The report reads the day counters and the running open-overdue number (KPI shards), never a dossier.',
    ],
    tables: [
      {
        head: ['Open dossiers', 'Requests', 'Read units', 'Open overdue'],
        rows: measured.map((m) => [m.open.toLocaleString('en'), m.requests, Math.round(m.read * 10) / 10, m.openOverdue]),
      },
    ],
    targets: [
      {
        name: 'KPI report read units the same at 100 and 10,000 open dossiers',
        target: '±10 %',
        measured: `${hundred?.read.toFixed(1)} → ${tenThousand?.read.toFixed(1)} (${(change * 100).toFixed(1)} %)`,
        met: change <= 0.1,
      },
    ],
  };
}

/** What the parts share: a scratch directory in the project, the handlers' environment, and what earlier parts left. */
interface BenchContext {
  workDir: string;
  handlerEnv: NodeJS.ProcessEnv;
  /** The cloud assembly of every stack, once the synth part has run. */
  assembly?: string;
}

/** The parts in the order they run (the front end last: it points this process's handlers at its own ward). */
const PARTS: { name: string; run: (context: BenchContext) => Promise<BenchSection | BenchSection[] | void> }[] = [
  { name: 'bundles', run: ({ workDir, handlerEnv }) => benchColdStarts(workDir, handlerEnv) },
  { name: 'dynamodb', run: ({ workDir }) => benchDynamoDb(workDir) },
  { name: 'submissions', run: () => benchSubmissions() },
  { name: 'sync', run: () => benchSync() },
  { name: 'signing', run: () => benchSigning() },
  // The bus hand-over between two local wards, each in its own process.
  { name: 'handover', run: () => benchHandOver() },
  // The audit of an archive of BENCH_AUDIT_DOCUMENTS documents (10,000 by default) through the CLI.
  { name: 'audit', run: async () => auditSection(await benchAudit({ documents: Number(process.env.BENCH_AUDIT_DOCUMENTS ?? 10_000) })) },
  {
    name: 'synth',
    run: (context) => {
      const { section, assembly } = benchSynth(context.workDir);
      context.assembly = assembly;
      return Promise.resolve(section);
    },
  },
  { name: 'front-end', run: () => benchFrontEnd() },
];

const BENCHMARKS_FILE = 'docs/benchmarks.md';

async function main() {
  const startedAt = new Date();
  const started = performance.now();
  /** `BENCH_ONLY=sync,signing npm run bench` runs only those parts (and leaves docs/benchmarks.md as it is). */
  const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
  const sections: BenchSection[] = [];
  // Lambda runs a newer Node.js; on Node 20 the SDK's support notice is noise.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Inside the project, so that bundles resolve the runtime-provided SDK from node_modules as Lambda does from its own.
  await mkdir('node_modules/.cache', { recursive: true });
  const workDir = await mkdtemp(join(process.cwd(), 'node_modules/.cache/bench-'));
  try {
    const ward = localWard(undefined);
    const handlerEnv = {
      ...process.env,
      ...localHandlerEnvironment({
        dynamodbEndpoint: 'http://127.0.0.1:9',
        s3Endpoint: 'http://127.0.0.1:9',
        tableName: 'bench',
        uploadsBucket: 'bench',
        archiveBucket: 'bench-archive',
        ward,
        idHashSecret: randomBytes(32).toString('hex'),
        publicBaseUrl: 'http://127.0.0.1:3000',
        // Only imported here, never called: the cold-import figures need the variables, not a key.
        signing: { keyFile: join(workDir, 'signing-key.pem'), chainFile: join(workDir, 'chain.pem') },
      }),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // What the stack sets on the stream consumers (their imports read it, as in Lambda).
      ALERTS_TOPIC_ARN: 'arn:aws:sns:ap-southeast-1:123456789012:mot-cua-so-bench-alerts',
      DEADLINE_STATE_MACHINE_ARN: 'arn:aws:states:ap-southeast-1:123456789012:stateMachine:mot-cua-so-bench-deadlines',
      NATIONAL_SYNC_SECRET_ARN: 'arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:mot-cua-so/bench/national-sync',
      HANDOVER_QUEUE_URL: 'http://127.0.0.1:9/123456789012/mot-cua-so-bench-hand-overs',
      NOTIFICATION_RETRY_QUEUE_URL: 'http://127.0.0.1:9/123456789012/mot-cua-so-bench-notification-retries',
    };
    const context: BenchContext = { workDir, handlerEnv };
    for (const part of PARTS) {
      if (only !== undefined && !only.includes(part.name)) continue;
      const partStarted = performance.now();
      const result = await part.run(context);
      const produced = result === undefined ? [] : Array.isArray(result) ? result : [result];
      produced.forEach(printSection);
      sections.push(...produced);
      console.log(`(${part.name}: ${((performance.now() - partStarted) / 1000).toFixed(0)} s)`);
    }
    if (only === undefined) {
      await writeBenchmarks(BENCHMARKS_FILE, sections, startedAt, (performance.now() - started) / 1000);
      console.log(`\nWrote ${BENCHMARKS_FILE}.`);
    } else console.log(`\nBENCH_ONLY=${only.join(',')}: ${BENCHMARKS_FILE} not rewritten (only a full run writes it).`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

await main();
