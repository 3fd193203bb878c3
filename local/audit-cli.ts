/**
 * `npm run audit -- verify --ward <slug> [--bucket <name>] [--region <r>] [--local] [--endpoint <url>] [--report <file.json>]`
 *
 * The auditor's verify tool (domain.md, actor "auditor"): reads the ward's archive bucket, checks
 * every document, cancellation, manifest entry, daily seal and certificate chain
 * (shared/audit/verify-archive.ts), prints a report and writes it as JSON. Needs only read access.
 */
import { UsageError, wardOf } from './cli';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SingleBar } from 'cli-progress';
import { pdfSignatureWorkerPool } from '../shared/audit/pdf-signature';
import { s3ArchiveReader } from '../shared/audit/s3-archive-reader';
import { AUDIT_CHECKS, auditArchive, type AuditFinding, type AuditReport } from '../shared/audit/verify-archive';
import type { WardConfig } from '../shared/domain/ward-config';
import { localS3ClientConfig } from './local-aws';
import { ACCESS_LOG_USAGE, AccessLogUsageError, runAccessLogCommand } from './access-log-cli';
import { startLocalS3Server, type LocalS3Server } from './s3-server';
import { localResourceNames } from './ward-environment';

const PROJECT_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
const LOCAL_S3_DIRECTORY = join(PROJECT_DIRECTORY, '.local', 's3');
/** Without a terminal, one progress line per this many objects. */
const PLAIN_PROGRESS_EVERY = 1000;
/** Below this many objects, no progress bar: the run is over before it would be read. */
const PROGRESS_BAR_FROM = 200;
/** A full garbage collection every this many objects (see {@link collectGarbageEvery}). */
const COLLECT_EVERY = 250;

const USAGE = `usage: npm run audit -- verify --ward <slug> [--bucket <name>] [--region <region>] [--local] [--endpoint <url>] [--report <file.json>]

  verify        check the ward's archive: every document's SHA-256, metadata and PAdES signature,
                every cancellation and daily seal's signature, the manifest's hash chain, the
                certificate chains; report problems, each with the object's key
  --ward        the ward's slug, as in infra/config/wards.ts
  --bucket      the archive bucket (needed in AWS; with --local, default the local ward's)
  --region      the bucket's region (default: the ward's, from its configuration)
  --local       the local ward's archive (npm start): s3rver's data under .local/s3, read through a
                throw-away s3rver on 127.0.0.1, or through --endpoint if one runs already
  --endpoint    an S3-compatible endpoint (e.g. s3rver at http://127.0.0.1:4569), path-style,
                listed with ListObjects V1 (s3rver's V2 pagination fails on Node 17 and later)
  --report      where to write the JSON report (default audit-<slug>-<timestamp>.json here)
  --concurrency objects read at once (default 8)
  --workers     threads that check PDF signatures beside the main one (default 1 when there are
                2 CPUs or more; 0: in the main thread); each adds some 60 MB of memory

In AWS the SDK's usual credentials are used: set AWS_PROFILE to the auditor's profile (a role
with s3:ListBucket, s3:GetObject and kms:Decrypt on the archive, nothing more).
Exit status: 0 no problem found, 1 problems found, 2 usage error, 3 the audit could not run.

usage: npm run audit -- access-log --ward <slug> --code <dossier code> [--table <name>] [--region <region>] [--local] [--endpoint <url>]
       npm run audit -- exports --ward <slug> [--table <name>] [--region <region>] [--local] [--endpoint <url>]

${ACCESS_LOG_USAGE}

In AWS, the auditor role may Query the table's access-log and export-record partitions only.`;

interface Target {
  readonly client: S3Client;
  readonly bucket: string;
  /** What the report says the archive was read from. */
  readonly source: string;
  /** s3rver (local mode, an endpoint) lists past 1,000 keys only with ListObjects V1 (see s3ArchiveReader). */
  readonly listApi: 'v1' | 'v2';
  readonly server?: LocalS3Server;
}

async function main(): Promise<number> {
  // As in npm start: on a developer's Node 20 the SDK's support notice is noise in the report.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // The personal-data records take options of their own (local/access-log-cli.ts).
  const [first] = process.argv.slice(2);
  if (first === 'access-log' || first === 'exports') return runAccessLogCommand(first, process.argv.slice(3));
  const { values, positionals } = parseArguments();
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, ...extra] = positionals;
  if (command !== 'verify') throw new UsageError(command === undefined ? 'a command is needed' : `unknown command '${command}'`);
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra.join(' ')}'`);
  if (values.ward === undefined) throw new UsageError('--ward is needed');
  const ward = wardOf(values.ward);
  const concurrency = positiveInteger('--concurrency', values.concurrency ?? '8');
  const workers = values.workers === undefined ? Math.min(1, availableParallelism() - 1) : positiveInteger('--workers', values.workers, 0);
  if (!values.local && values.bucket === undefined) throw new UsageError('--bucket is needed (or --local for the local ward)');
  if (values.local && values.endpoint === undefined && !existsSync(LOCAL_S3_DIRECTORY)) {
    throw new UsageError(`${LOCAL_S3_DIRECTORY} does not exist: run npm start once, or give --endpoint`);
  }

  const target = await openTarget(ward, values);
  const pool = workers > 0 ? pdfSignatureWorkerPool(workers) : undefined;
  const progress = progressReporter();
  const collect = collectGarbageEvery(COLLECT_EVERY);
  let report: AuditReport;
  try {
    report = await auditArchive(s3ArchiveReader(target.client, target.bucket, { listApi: target.listApi }), {
      ward: ward.slug,
      concurrency: Math.max(concurrency, 2 * workers),
      onProgress: (done, total) => {
        progress.update(done, total);
        collect(done);
      },
      ...(pool ? { checkPdfSignature: pool.check } : {}),
    });
  } finally {
    progress.stop();
    await pool?.close();
    target.client.destroy();
    await target.server?.stop();
  }

  const reportFile = resolve(values.report ?? `audit-${ward.slug}-${report.checkedAt.slice(0, 19).replace(/[-:]/g, '')}.json`);
  await writeFile(reportFile, `${JSON.stringify({ bucket: target.bucket, source: target.source, ...report }, null, 2)}\n`);
  printReport(ward, target, report, reportFile);
  return report.ok ? 0 : 1;
}

function parseArguments() {
  try {
    return parseArgs({
      options: {
        ward: { type: 'string' },
        bucket: { type: 'string' },
        region: { type: 'string' },
        local: { type: 'boolean', default: false },
        endpoint: { type: 'string' },
        report: { type: 'string' },
        concurrency: { type: 'string' },
        workers: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

async function openTarget(ward: WardConfig, values: { bucket?: string; region?: string; local?: boolean; endpoint?: string }): Promise<Target> {
  if (values.local) {
    const bucket = values.bucket ?? localResourceNames(ward).archiveBucket;
    // Reading only: a second s3rver on the folder of a running `npm start` is harmless.
    const server = values.endpoint === undefined ? await startLocalS3Server({ directory: LOCAL_S3_DIRECTORY }) : undefined;
    const s3Endpoint = values.endpoint ?? server?.endpoint ?? '';
    const source = `local ${s3Endpoint}${server ? ' (.local/s3)' : ''}`;
    return { client: new S3Client(localS3ClientConfig({ s3Endpoint, dynamodbEndpoint: '' })), bucket, source, listApi: 'v1', ...(server ? { server } : {}) };
  }
  const bucket = values.bucket ?? '';
  const region = values.region ?? ward.env.region;
  const config: S3ClientConfig = values.endpoint === undefined ? { region } : { region, endpoint: parseEndpoint(values.endpoint), forcePathStyle: true };
  return values.endpoint === undefined
    ? { client: new S3Client(config), bucket, source: `s3://${bucket} (${region})`, listApi: 'v2' }
    : { client: new S3Client(config), bucket, source: `${values.endpoint} bucket ${bucket}`, listApi: 'v1' };
}

function parseEndpoint(endpoint: string): string {
  try {
    return new URL(endpoint).toString();
  } catch {
    throw new UsageError(`--endpoint '${endpoint}' is not a URL`);
  }
}

/**
 * The audit keeps little (about 0.5 KB a document), but reading a PDF and checking its signature
 * makes some 300 KB of garbage, which V8, whose heap may grow to gigabytes here, collects late:
 * the process would sit at 250 MB and more. A full collection every few hundred objects (a few
 * milliseconds on a heap this small) keeps it near 160 MB. Node cannot be given a smaller heap
 * once it runs, and `npm run audit` passes no flags, so the collector is reached this way.
 */
function collectGarbageEvery(objects: number): (done: number) => void {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  return (done) => {
    if (done > 0 && done % objects === 0) collect();
  };
}

/** A bar on a terminal (long runs only); elsewhere a plain line every {@link PLAIN_PROGRESS_EVERY} objects. */
function progressReporter(): { update: (done: number, total?: number) => void; stop: () => void } {
  if (process.stdout.isTTY) {
    const bar = new SingleBar({
      format: 'Đang kiểm tra (checking) [{bar}] {percentage}% | {value}/{total} đối tượng (objects) | ETA {eta_formatted}',
      hideCursor: true,
      stream: process.stdout,
    });
    let started = false;
    return {
      update(done, total) {
        if (!started && total !== undefined && total >= PROGRESS_BAR_FROM) {
          bar.start(total, done);
          started = true;
        } else if (started) {
          bar.update(done);
        }
      },
      stop: () => started && bar.stop(),
    };
  }
  return {
    update(done, total) {
      if (done > 0 && done % PLAIN_PROGRESS_EVERY === 0) console.log(`… ${done}${total === undefined ? '' : `/${total}`} objects checked`);
    },
    stop: () => undefined,
  };
}

function printReport(ward: WardConfig, target: Target, report: AuditReport, reportFile: string): void {
  const { counts } = report;
  const lines = [
    '',
    `KIỂM TRA KHO LƯU TRỮ (archive audit): ${ward.name} (${ward.slug})`,
    `  Nguồn (source):           ${target.source}`,
    `  Thời điểm (checked at):   ${report.checkedAt}`,
    `  Văn bản (documents):      ${counts.documents}, sổ theo dõi (registers) ${counts.registers}, siêu dữ liệu (metadata) ${counts.metadata}`,
    `  Hủy (cancellations):      ${counts.cancellations}`,
    `  Sổ cái (manifest):        ${counts.manifestEntries} entries, ${counts.dailySeals} daily seals, ${counts.unsealedEntries} not sealed yet`,
    `  Chứng thư (certificates): ${counts.certificateChains} chains`,
    `  Bản cũ (legacy results/): ${counts.legacyResults}`,
    `  Đối tượng (objects):      ${counts.objects}, ${(counts.bytesRead / 1_048_576).toFixed(1)} MiB read`,
    '',
    'CHỨNG THƯ SỐ (signing certificates)',
    ...report.certificates.map(
      (certificate) =>
        `  ${certificate.subject}\n    SHA-256 ${certificate.sha256}, ${certificate.notBefore.slice(0, 10)} – ${certificate.notAfter.slice(0, 10)}\n    root ${certificate.rootSubject} (SHA-256 ${certificate.rootSha256})\n    ${certificate.chainValid ? 'chain verified' : 'CHAIN DOES NOT VERIFY'}, ${certificate.documents} documents, ${certificate.authorities.join(', ') || 'no document'}`,
    ),
    '',
    `VẤN ĐỀ (problems): ${report.problems.length}`,
    ...findingLines(report.problems),
    '',
    `CẢNH BÁO (warnings): ${report.warnings.length}`,
    ...findingLines(report.warnings),
    '',
    report.ok ? 'KẾT QUẢ (result): ĐẠT (OK): no problem found' : `KẾT QUẢ (result): KHÔNG ĐẠT (FAILED): ${report.problems.length} problems`,
    `Báo cáo (JSON report): ${reportFile}`,
  ];
  console.log(lines.join('\n'));
}

/** One line per finding, object key first; the checks' meanings once, below. */
function findingLines(findings: readonly AuditFinding[]): string[] {
  const checks = [...new Set(findings.map((finding) => finding.check))];
  return [
    ...findings.map((finding) => `  ${finding.objectKey}  [${finding.check}]  ${finding.detail}`),
    ...(checks.length > 0 ? ['', ...checks.map((check) => `  [${check}]: ${AUDIT_CHECKS[check]}`)] : []),
  ];
}

function positiveInteger(name: string, text: string, minimum = 1): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) throw new UsageError(`${name} must be a whole number ≥ ${minimum}, not '${text}'`);
  return value;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof AccessLogUsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error('The audit could not run:', error instanceof Error ? error.message : error);
      process.exitCode = 3;
    }
  },
);
