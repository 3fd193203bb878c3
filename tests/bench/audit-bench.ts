/**
 * The archive audit at scale: `npx tsx tests/bench/audit-bench.ts [N]` (default 10,000 documents).
 *
 * 1. Builds an archive of N results (plus a register and a cancellation) in a throw-away s3rver
 *    with tests/support/archive-fixture.ts. To make this take minutes, not hours, it signs only
 *    {@link DISTINCT_SIGNATURES} PDFs and stores each N/that times: every stored document is still
 *    a whole, validly signed file, and the audit does the same work on each. Timed on its own.
 * 2. Runs the auditor's CLI (`local/audit-cli.ts verify`) on it in a child process, as an auditor
 *    would, and measures its wall time (documents per second) and its peak RSS (VmHWM, read from
 *    /proc while it runs; worker threads included), against the budget of 256 MB.
 * 3. Times one PDF signature check in this process, the audit's main cost per document.
 *
 * s3rver runs in this process and the audit in another: on a small machine they share the CPUs,
 * so the rate is a floor, not what S3 gives.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { localS3ClientConfig, LOCAL_AWS_CREDENTIALS, LOCAL_AWS_REGION } from '../../local/local-aws';
import { startLocalS3Server } from '../../local/s3-server';
import { localWard } from '../../local/ward-environment';
import { checkPdfSignature } from '../../shared/audit/pdf-signature';
import type { AuditReport } from '../../shared/audit/verify-archive';
import { buildArchiveFixture } from '../support/archive-fixture';
import type { BenchSection } from './report';

const DEFAULT_DOCUMENTS = 10_000;
const DISTINCT_SIGNATURES = 32;
const RSS_BUDGET_BYTES = 256 * 1024 * 1024;
const BUILD_CONCURRENCY = 8;

export interface AuditBenchResult {
  readonly documents: number;
  readonly objects: number;
  readonly buildSeconds: number;
  readonly auditSeconds: number;
  readonly documentsPerSecond: number;
  readonly peakRssBytes: number;
  readonly withinRssBudget: boolean;
  /** Median time of one PDF signature check in this process. */
  readonly signatureCheckMs: number;
  readonly workers: number;
  readonly ok: boolean;
  readonly problems: number;
}

/** The audit's figures as the bench report shows them. */
export function auditSection(result: AuditBenchResult): BenchSection {
  return {
    title: 'Auditing the archive',
    method: [
      `An archive of ${result.documents} documents (${DISTINCT_SIGNATURES} distinct signatures) built in s3rver, then audited end to end by \`npm run audit\` ` +
        `(${result.workers} signature workers); peak RSS read from /proc while it runs.`,
    ],
    tables: [
      {
        head: ['Documents', 'Objects', 'Build (s)', 'Audit (s)', 'Documents/s', 'Peak RSS (MiB)', 'Signature check (ms)', 'Result'],
        rows: [
          [
            result.documents,
            result.objects,
            result.buildSeconds.toFixed(0),
            result.auditSeconds.toFixed(0),
            result.documentsPerSecond.toFixed(1),
            (result.peakRssBytes / 1_048_576).toFixed(0),
            result.signatureCheckMs.toFixed(1),
            result.ok ? 'ok' : `${result.problems} problems`,
          ],
        ],
      },
    ],
    targets: [
      {
        name: 'Audit memory',
        target: `peak RSS ≤ ${RSS_BUDGET_BYTES / 1_048_576} MiB`,
        measured: `${(result.peakRssBytes / 1_048_576).toFixed(0)} MiB`,
        met: result.withinRssBudget,
      },
    ],
  };
}

export async function benchAudit(options: { readonly documents?: number; readonly log?: (line: string) => void } = {}): Promise<AuditBenchResult> {
  const documents = options.documents ?? DEFAULT_DOCUMENTS;
  const log = options.log ?? ((line: string) => console.log(line));
  const workDirectory = await mkdtemp(join(tmpdir(), 'mot-cua-so-audit-bench-'));
  const server = await startLocalS3Server({ directory: join(workDirectory, 's3') });
  const s3 = new S3Client(localS3ClientConfig({ s3Endpoint: server.endpoint, dynamodbEndpoint: '' }));
  const ward = localWard(undefined);
  const bucket = 'audit-bench';
  try {
    log(`Building an archive of ${documents} documents (${DISTINCT_SIGNATURES} distinct signatures) in s3rver…`);
    const buildStarted = performance.now();
    let lastLogged = 0;
    const fixture = await buildArchiveFixture({
      s3,
      bucket,
      ward,
      documents,
      days: Math.max(2, Math.ceil(documents / 1000)),
      distinctSignatures: DISTINCT_SIGNATURES,
      concurrency: BUILD_CONCURRENCY,
      onProgress: (done, total) => {
        if (done - lastLogged >= 1000 || done === total) {
          lastLogged = done;
          log(`  ${done}/${total} documents written`);
        }
      },
    });
    const buildSeconds = (performance.now() - buildStarted) / 1000;
    await fixture.cleanup();
    log(
      `  built in ${buildSeconds.toFixed(1)} s (render ${ms(fixture.timings.renderMs)}, sign ${ms(fixture.timings.signMs)}, documents ${ms(fixture.timings.documentsMs)}, manifest ${ms(fixture.timings.manifestMs)})`,
    );

    // The CLI's default: one thread for the signature checks when there are two CPUs or more.
    const workers = Math.min(1, availableParallelism() - 1);
    log(`Auditing through the CLI (${workers} signature thread(s), load average ${loadavg()[0]?.toFixed(1) ?? '?'})…`);
    const reportFile = join(workDirectory, 'report.json');
    const run = await runMeasured(process.execPath, [
      '--import',
      'tsx',
      'local/audit-cli.ts',
      'verify',
      '--ward',
      ward.slug,
      '--endpoint',
      server.endpoint,
      '--bucket',
      bucket,
      '--report',
      reportFile,
    ]);
    const report = await readFile(reportFile, 'utf8').then(
      (text) => JSON.parse(text) as AuditReport,
      () => {
        throw new Error(`the audit CLI wrote no report (exit ${run.status}):\n${run.output}`);
      },
    );

    const sample = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: fixture.documentKeys[0] ?? '' }));
    const signatureCheckMs = await medianMs(new Uint8Array((await sample.Body?.transformToByteArray()) ?? []));

    const auditedDocuments = report.counts.documents + report.counts.registers;
    const result: AuditBenchResult = {
      documents: auditedDocuments,
      objects: report.counts.objects,
      buildSeconds,
      auditSeconds: run.seconds,
      documentsPerSecond: auditedDocuments / run.seconds,
      peakRssBytes: run.peakRssBytes,
      withinRssBudget: run.peakRssBytes <= RSS_BUDGET_BYTES,
      signatureCheckMs,
      workers,
      ok: report.ok,
      problems: report.problems.length,
    };
    return result;
  } finally {
    s3.destroy();
    await server.stop();
    await rm(workDirectory, { recursive: true, force: true });
  }
}

/** Runs a command to its end; its wall time, and its peak RSS as /proc says while it runs (VmHWM only grows). */
async function runMeasured(command: string, args: string[]): Promise<{ status: number; seconds: number; peakRssBytes: number; output: string }> {
  const started = performance.now();
  const child = spawn(command, args, {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: LOCAL_AWS_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_AWS_CREDENTIALS.secretAccessKey,
      AWS_REGION: LOCAL_AWS_REGION,
      AWS_PROFILE: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-20_000)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-20_000)));
  let peakRssBytes = 0;
  const sample = async () => {
    try {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const kilobytes = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
      peakRssBytes = Math.max(peakRssBytes, kilobytes * 1024);
    } catch {
      // Gone already: the last sample stands.
    }
  };
  const timer = setInterval(() => void sample(), 200);
  const status = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 3));
  });
  clearInterval(timer);
  return { status, seconds: (performance.now() - started) / 1000, peakRssBytes, output };
}

async function medianMs(pdf: Uint8Array): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < 15; run += 1) {
    const started = performance.now();
    await checkPdfSignature(pdf);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
}

const ms = (milliseconds: number): string => `${(milliseconds / 1000).toFixed(1)} s`;

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const documents = process.argv[2] === undefined ? DEFAULT_DOCUMENTS : Number(process.argv[2]);
  if (!Number.isInteger(documents) || documents < 1) {
    console.error('usage: npx tsx tests/bench/audit-bench.ts [number of documents, default 10000]');
    process.exit(2);
  }
  benchAudit({ documents }).then(
    (result) => process.exit(result.ok && result.withinRssBudget ? 0 : 1),
    (error: unknown) => {
      console.error(error);
      process.exit(3);
    },
  );
}
