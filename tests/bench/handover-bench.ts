import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCitizenToken } from '../../local/citizen-tokens';
import { startLocalCity } from '../../local/city';
import { startDynamoDbLocal } from '../../local/dynamodb-local';
import { findFreePort } from '../../local/free-port';
import { issueOfficerToken, readOrCreateOfficerSigningKey } from '../../local/officer-tokens';
import { startLocalS3Server } from '../../local/s3-server';
import { startLocalSqsServer } from '../../local/sqs-server';
import { percentile, type BenchSection } from './report';

const HAND_OVERS = Number(process.env.BENCH_HANDOVERS ?? 15);
/** How often the local pollers (stream, queues) look, as in the tests; `npm start`'s are 500 ms, which dominate the figures there. */
const POLL_INTERVAL_MS = 50;
const PROBE_INTERVAL_MS = 10;

/**
 * The bus hand-over between two local wards (hoan-kiem → cua-nam), each in its own process, on
 * the local city bus: HAND_OVERS dossiers filed one after the other at the receiving ward for the
 * competent ward's procedure; for each, the time from the submission's answer until the competent
 * ward's officers can open it (stream → hand-over queue → worker → bus → inbound queue → take-over),
 * and until the receiving ward shows the acknowledgement (→ bus → back). Median and p90.
 */
export async function benchHandOver(): Promise<BenchSection> {
  const directory = await mkdtemp(join(tmpdir(), 'mot-cua-so-handover-bench-'));
  const [dynamodb, s3, sqs] = await Promise.all([
    startDynamoDbLocal({ storage: { inMemory: true } }),
    startLocalS3Server({ directory: join(directory, 's3') }),
    startLocalSqsServer({}),
  ]);
  const officerKeyFile = join(directory, 'officer-key.json');
  const citizenKeyFile = join(directory, 'citizen-key.json');
  const officerKey = await readOrCreateOfficerSigningKey(officerKeyFile);
  const citizenKey = await readOrCreateOfficerSigningKey(citizenKeyFile);
  const suffix = randomUUID().slice(0, 8);
  const slugs = ['hoan-kiem', 'cua-nam'] as const;
  const city = await startLocalCity({
    sqsEndpoint: sqs.endpoint,
    wards: await Promise.all(
      slugs.map(async (slug) => ({
        wardSlug: slug,
        port: await findFreePort(),
        dynamodbEndpoint: dynamodb.endpoint,
        s3Endpoint: s3.endpoint,
        sqsEndpoint: sqs.endpoint,
        tableName: `bench-${slug}-${suffix}`,
        uploadsBucket: `bench-uploads-${slug}-${suffix}`,
        archiveBucket: `bench-archive-${slug}-${suffix}`,
        dataDirectory: join(directory, slug),
        officerKeyFile,
        citizenKeyFile,
        pollIntervalMs: POLL_INTERVAL_MS,
        quiet: true,
        limitsOutOfTheWay: true,
      })),
    ),
  });
  try {
    const a = city.wards.get('hoan-kiem');
    const b = city.wards.get('cua-nam');
    if (!a || !b) throw new Error('the wards did not start');
    const citizen = await issueCitizenToken(citizenKey, { idNumber: '001190012345', fullName: 'Nguyễn Thị Hoa', phone: '0912345678' });
    const officerB = await issueOfficerToken(officerKey, { ward: 'cua-nam', roles: ['reception'] });
    const toB: number[] = [];
    const acknowledged: number[] = [];
    for (let round = 0; round < HAND_OVERS + 1; round += 1) {
      const filed = await fileAt(a.url, citizen);
      const started = performance.now();
      await until(async () => (await fetch(`${b.url}/officer/dossiers/${filed.code}`, { headers: { Authorization: `Bearer ${officerB}` } })).status === 200);
      const atB = performance.now() - started;
      await until(async () => {
        const view = (await (await fetch(`${a.url}/dossiers/${filed.code}`, { headers: { 'X-Dossier-Secret': filed.secret } })).json()) as {
          handOver?: { acknowledgedAt: string | null };
        };
        return view.handOver?.acknowledgedAt != null;
      });
      // The first round warms both wards' handlers (cold imports): not counted.
      if (round > 0) {
        toB.push(atB);
        acknowledged.push(performance.now() - started);
      }
    }
    const leg = (name: string, values: number[]) => [name, Math.round(percentile(values, 50)), Math.round(percentile(values, 90))];
    return {
      title: 'Hand-over between two wards',
      method: [
        `${HAND_OVERS} dossiers filed one after the other at hoan-kiem for a procedure cua-nam is competent for, each ward in its own process on the local city bus ` +
          `(pollers every ${POLL_INTERVAL_MS} ms; \`npm start\`'s are 500 ms). The first round warms both wards and is not counted.`,
      ],
      tables: [{ head: ['Leg', 'Median (ms)', 'p90 (ms)'], rows: [leg("filed at A → open at B's officers", toB), leg('filed at A → acknowledged at A', acknowledged)] }],
    };
  } finally {
    await city.stop();
    await Promise.allSettled([sqs.stop(), s3.stop(), dynamodb.stop()]);
    await rm(directory, { recursive: true, force: true });
  }
}

async function fileAt(baseUrl: string, citizenToken: string): Promise<{ code: string; secret: string }> {
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
  const presigned = (await (
    await fetch(`${baseUrl}/uploads`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fileName: 'to-khai.pdf', contentType: 'application/pdf', size: pdf.length }),
    })
  ).json()) as { uploadId: string; url: string; fields: Record<string, string> };
  const form = new FormData();
  for (const [name, value] of Object.entries(presigned.fields)) form.append(name, value);
  form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'to-khai.pdf');
  await fetch(presigned.url, { method: 'POST', body: form });
  const response = await fetch(`${baseUrl}/dossiers`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID(), Authorization: `Bearer ${citizenToken}` },
    body: JSON.stringify({
      procedureCode: '1.004873',
      applicant: { email: 'hoa.nguyen@example.vn' },
      formData: { purpose: 'Đăng ký kết hôn', maritalStatus: 'Chưa kết hôn' },
      attachments: [{ uploadId: presigned.uploadId, documentId: 'to-khai-xac-nhan-tthn' }],
      fullyOnline: true,
      handOver: { competentWard: 'cua-nam', resultReturn: 'RECEIVING_WARD' },
    }),
  });
  if (response.status !== 201) throw new Error(`POST /dossiers answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { code: string; secret: string };
}

async function until(probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('the hand-over did not arrive');
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
  }
}

// `npx tsx tests/bench/handover-bench.ts` runs it alone.
if (import.meta.url === `file://${process.argv[1] ?? ''}`) await benchHandOver();
