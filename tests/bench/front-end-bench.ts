/**
 * The front end's cost to a citizen on a phone:
 *
 * 1. First-load JavaScript: the gzip sizes (level 9, as CloudFront's compression comes close to)
 *    of the scripts and module preloads each page's HTML document references (`web/dist`), for the
 *    citizen portal (its budget: ≤ 100 KB) and the officer console.
 * 2. Time to an interactive catalog: Chromium on a throttled 3G-like connection (300 ms latency,
 *    1.6 Mbps down, 750 kbps up) with the CPU slowed 4×, from navigation start until the first
 *    procedure of the catalog is visible, against a local ward serving the build beside the API
 *    (as `npm start` does, on its own in-memory table). `BENCH_FRONT_END_RUNS` runs (7 by
 *    default), each in a fresh context (cold cache); median and p90. A shared 2-core machine is
 *    noisy: compare the figures with each other, not with a real phone.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startDynamoDbLocal } from '../../local/dynamodb-local';
import { startLocalHttpServer } from '../../local/http-server';
import { provisionLocalWard } from '../../local/provision';
import { startLocalS3Server } from '../../local/s3-server';
import { readOrCreateLocalSigningIdentity } from '../../local/signing-identity';
import { staticSite, WEB_DIST_DIRECTORY } from '../../local/static-site';
import { applyHandlerEnvironment, localHandlerEnvironment, localWard } from '../../local/ward-environment';
import { PAGE_DOCUMENTS } from '../../shared/api/portal-paths';
import { launchBrowser } from '../support/browser';
import { percentile, type BenchSection, type BenchTarget } from './report';

/** The portal's budget of first-load JavaScript, gzipped. */
export const PORTAL_JS_BUDGET_BYTES = 100 * 1024;

/** A slow 3G-like connection (Chrome DevTools' "Slow 3G" is harsher, "Fast 3G" close to this), and a mid-range phone's CPU. */
export const THROTTLING = { latencyMs: 300, downloadKbps: 1600, uploadKbps: 750, cpuSlowdown: 4 } as const;

const RUNS = Number(process.env.BENCH_FRONT_END_RUNS ?? 7);

/** The scripts (`<script type="module" src>`) and module preloads (`<link rel="modulepreload" href>`) an HTML document loads first. */
export function firstLoadScripts(html: string): string[] {
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)].map((match) => match[1] ?? '');
  const preloads = [...html.matchAll(/<link\b(?=[^>]*\brel="modulepreload")[^>]*\bhref="([^"]+)"[^>]*>/g)].map((match) => match[1] ?? '');
  return [...new Set([...scripts, ...preloads])];
}

async function firstLoadJavaScript(document: string): Promise<{ files: number; raw: number; gzip: number }> {
  const html = await readFile(join(WEB_DIST_DIRECTORY, document), 'utf8');
  let raw = 0;
  let gzip = 0;
  const files = firstLoadScripts(html);
  for (const file of files) {
    const bytes = await readFile(join(WEB_DIST_DIRECTORY, file.replace(/^\//, '')));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: files.length, raw, gzip };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function benchBundleSizes(): Promise<BenchSection> {
  const rows: (string | number)[][] = [];
  const targets: BenchTarget[] = [];
  for (const [page, document, budget] of [
    ['citizen portal (/)', PAGE_DOCUMENTS.citizen, PORTAL_JS_BUDGET_BYTES],
    ['officer console (/can-bo/)', PAGE_DOCUMENTS.officer, undefined],
  ] as const) {
    const size = await firstLoadJavaScript(document);
    rows.push([page, size.files, kb(size.raw), kb(size.gzip), budget === undefined ? '-' : `≤ ${kb(budget)}`]);
    if (budget !== undefined) targets.push({ name: `First-load JavaScript, ${page}`, target: `≤ ${kb(budget)} gzipped`, measured: kb(size.gzip), met: size.gzip <= budget });
  }
  return {
    title: 'Front end: first-load JavaScript',
    method: ['The scripts and module preloads of each page in `web/dist`, gzip -9.'],
    tables: [{ head: ['Page', 'Scripts', 'Raw', 'Gzipped', 'Budget'], rows }],
    targets,
  };
}

/** A local ward (DynamoDB Local in memory, s3rver, the real handlers) serving the build beside the API. */
async function startBenchWard(workDir: string) {
  const [dynamodb, s3] = await Promise.all([startDynamoDbLocal({ storage: { inMemory: true } }), startLocalS3Server({ directory: join(workDir, 's3') })]);
  const suffix = randomUUID().slice(0, 8);
  const resources = {
    dynamodbEndpoint: dynamodb.endpoint,
    s3Endpoint: s3.endpoint,
    tableName: `bench-site-${suffix}`,
    uploadsBucket: `bench-site-${suffix}`,
    archiveBucket: `bench-archive-${suffix}`,
  };
  await provisionLocalWard(resources);
  const server = await startLocalHttpServer({ logRequest: () => undefined, fallback: staticSite({ origins: { connect: [s3.endpoint], formAction: [] } }) });
  const ward = localWard(undefined);
  const { files } = await readOrCreateLocalSigningIdentity(join(workDir, 'signing'), ward);
  applyHandlerEnvironment(
    localHandlerEnvironment({
      ...resources,
      ward,
      idHashSecret: randomBytes(32).toString('base64url'),
      publicBaseUrl: server.url,
      signing: { keyFile: files.signingKey, chainFile: files.chain },
    }),
  );
  return {
    url: server.url,
    stop: async () => {
      await server.close();
      await Promise.allSettled([s3.stop(), dynamodb.stop()]);
    },
  };
}

async function benchCatalogLoad(): Promise<BenchSection> {
  const workDir = await mkdtemp(join(tmpdir(), 'mot-cua-so-bench-site-'));
  const ward = await startBenchWard(workDir);
  const browser = await launchBrowser();
  try {
    // The catalog's first procedure, as the API lists it: the page is ready when it shows.
    const catalog = (await (await fetch(`${ward.url}/procedures`)).json()) as { items: { name: string }[] };
    const first = catalog.items[0]?.name;
    if (first === undefined) throw new Error('The local catalog is empty');
    const timings: number[] = [];
    // One warm-up run (the handlers' first import), not counted.
    for (let run = 0; run <= RUNS; run += 1) {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: THROTTLING.latencyMs,
        downloadThroughput: (THROTTLING.downloadKbps * 1000) / 8,
        uploadThroughput: (THROTTLING.uploadKbps * 1000) / 8,
      });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLING.cpuSlowdown });
      const started = performance.now();
      await page.goto(`${ward.url}/`, { waitUntil: 'commit' });
      await page.getByText(first, { exact: true }).first().waitFor({ state: 'visible', timeout: 60_000 });
      const elapsed = performance.now() - started;
      if (run > 0) timings.push(elapsed);
      await context.close();
    }
    const sorted = [...timings].sort((a, b) => a - b);
    return {
      title: 'Front end: time to the catalog',
      method: [
        `Time from navigation to the catalog's first procedure on screen in Chromium, ${THROTTLING.latencyMs} ms latency, ${THROTTLING.downloadKbps / 1000} Mbps down, ` +
          `${THROTTLING.uploadKbps} kbps up, CPU ×${THROTTLING.cpuSlowdown} slower, cold cache, ${RUNS} runs after one warm-up, against a local ward.`,
      ],
      tables: [
        {
          head: ['Page', 'Median (ms)', 'p90 (ms)', 'Min (ms)'],
          rows: [['catalog (/)', Math.round(percentile(sorted, 50)), Math.round(percentile(sorted, 90)), Math.round(sorted[0] ?? 0)]],
        },
      ],
    };
  } finally {
    await browser.close();
    await ward.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Both parts; the second sets the handlers' environment in this process, so it runs after the other benches. */
export async function benchFrontEnd(): Promise<BenchSection[]> {
  return [await benchBundleSizes(), await benchCatalogLoad()];
}
