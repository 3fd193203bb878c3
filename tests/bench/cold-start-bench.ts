import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { FUNCTION_BUNDLING, RUNTIME_PROVIDED_MODULES } from '../../infra/constructs/bundling';
import { CHECK_DEADLINE_HANDLER } from '../../infra/constructs/deadline-workflow';
import { STREAM_CONSUMERS } from '../../shared/runtime/consumers';
import { ROUTES } from '../../shared/runtime/routes';
import { median, type BenchSection, type BenchTarget } from './report';

/**
 * Each function's cold start against a bare handler's: every function bundled as the stack bundles
 * it (FUNCTION_BUNDLING: minified ESM, AWS SDK inlined), and a handler that imports only the
 * DynamoDB client and does one GetItem, bundled the same way. Each bundle is imported in a fresh
 * Node process, BENCH_IMPORT_RUNS times (5 by default), and the median compared with the bare
 * handler's. The targets: ≤ 2.5× the bare handler for a function that renders nothing,
 * ≤ 4× for one whose route renders results (`rendersResults` in the route table).
 */

const IMPORT_RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 5);
const NON_RENDERING_LIMIT = 2.5;
const RENDERING_LIMIT = 4;

/** The bare handler: the DynamoDB client and one GetItem, nothing of the project. */
const BARE_HANDLER = `import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const handler = async () => {
  const { Item } = await client.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: 'bare' }, sk: { S: 'bare' } } }));
  return { statusCode: Item ? 200 : 404, body: '' };
};
`;

/** The functions measured: every route's handler, every stream consumer, the deadline check and the catalogue loader. */
const ENTRIES = [...new Set([...ROUTES.map((route) => route.handler), ...STREAM_CONSUMERS.map((consumer) => consumer.handler), CHECK_DEADLINE_HANDLER, 'catalog/load-catalog'])];
const RENDERING = new Set(ROUTES.filter((route) => route.rendersResults).map((route) => route.handler));

/** Milliseconds to import `file` in a fresh Node process (the import alone, not Node's own start). */
function importTimeMs(file: string, env: NodeJS.ProcessEnv): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Bundles `entryPoint` with the stack's options (plus `options`) into `workDir`, and measures its size and median cold import. */
async function measureBundle(workDir: string, name: string, entryPoint: string, options: object, env: NodeJS.ProcessEnv) {
  const outfile = join(workDir, `${name}.mjs`);
  await build({ ...FUNCTION_BUNDLING, ...options, absWorkingDir: process.cwd(), entryPoints: [entryPoint], outfile, logLevel: 'error' });
  const bytes = (await stat(outfile)).size;
  try {
    return { bytes, importMs: median(Array.from({ length: IMPORT_RUNS }, () => importTimeMs(outfile, env))) };
  } catch (error) {
    // A bundle that throws when imported fails every cold start: reported, not hidden.
    const stderr = String((error as { stderr?: unknown }).stderr ?? error);
    const failure = stderr.split('\n').find((line) => /^\w*Error\b/.test(line)) ?? 'the import throws';
    return { bytes, importMs: Number.NaN, failure: failure.replaceAll(workDir, '.').replaceAll(realpathSync(workDir), '.') };
  }
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const ms = (value: number) => (Number.isNaN(value) ? 'fails' : value.toFixed(1));
const times = (ratio: number) => (Number.isNaN(ratio) ? 'fails' : `${ratio.toFixed(2)}×`);

/** The worst ratio of `rows` against `limit`, as a target (met only if every row imports and is within it). */
function worstTarget(name: string, limit: number, rows: { entry: string; ratio: number }[]): BenchTarget {
  const failing = rows.filter((row) => Number.isNaN(row.ratio)).map((row) => row.entry);
  const worst = rows
    .filter((row) => !Number.isNaN(row.ratio))
    .reduce<{ entry: string; ratio: number } | undefined>((top, row) => (top === undefined || row.ratio > top.ratio ? row : top), undefined);
  const measured = worst === undefined ? 'no function imports' : `worst ${times(worst.ratio)} (${worst.entry}) of ${rows.length}`;
  return {
    name,
    target: `≤ ${limit}× the bare handler's cold import`,
    measured: failing.length ? `${measured}; import fails: ${failing.join(', ')}` : measured,
    met: failing.length === 0 && worst !== undefined && worst.ratio <= limit,
  };
}

export async function benchColdStarts(workDir: string, handlerEnv: NodeJS.ProcessEnv): Promise<BenchSection> {
  const bareSource = join(workDir, 'bare-handler.ts');
  await writeFile(bareSource, BARE_HANDLER);
  const bare = await measureBundle(workDir, 'bare-handler', bareSource, {}, handlerEnv);
  const bareRuntimeSdk = await measureBundle(workDir, 'bare-handler-runtime-sdk', bareSource, { external: RUNTIME_PROVIDED_MODULES }, handlerEnv);

  const rows = [];
  for (const entry of ENTRIES) {
    const name = entry.replaceAll('/', '-');
    const stack = await measureBundle(workDir, name, `functions/${entry}.ts`, {}, handlerEnv);
    const external = await measureBundle(workDir, `${name}-runtime-sdk`, `functions/${entry}.ts`, { external: RUNTIME_PROVIDED_MODULES }, handlerEnv);
    rows.push({ entry, renders: RENDERING.has(entry), stack, external, ratio: stack.importMs / bare.importMs });
  }

  return {
    title: 'Cold starts',
    method: [
      `Every function (${ENTRIES.length}: each route's handler, each stream consumer, the deadline check and the catalogue loader) bundled as the stack ` +
        'bundles it (`FUNCTION_BUNDLING` in infra/constructs/bundling.ts: esbuild, minified ESM, AWS SDK inlined), next to a bare handler bundled the same ' +
        'way: a file that imports only `@aws-sdk/client-dynamodb` and exports a handler doing one GetItem.',
      `Each bundle is imported in a fresh Node ${process.version} process, ${IMPORT_RUNS} times; the figure is the median time of the import alone ` +
        "(not Node's own start). The handlers are imported, not invoked: what differs between the functions is what they import, and the bare " +
        'handler and the functions would make the same first DynamoDB request.',
      '"Renders" is the route table\'s `rendersResults`: those routes may import the PDF renderer on first use, so their limit is higher.',
    ],
    tables: [
      {
        caption: `Deployed bundles; the bare handler is ${kb(bare.bytes)} KB and imports in ${ms(bare.importMs)} ms`,
        head: ['Function', 'Bundle KB', 'Median import ms', 'Ratio to bare', 'Renders'],
        rows: rows.map((row) => [row.entry, kb(row.stack.bytes), ms(row.stack.importMs), times(row.ratio), row.renders ? 'yes' : 'no']),
      },
      {
        caption:
          `The alternative not deployed: the AWS SDK left to the Lambda runtime (${RUNTIME_PROVIDED_MODULES.join(', ')} external, resolved from node_modules); ` +
          `the bare handler so is ${kb(bareRuntimeSdk.bytes)} KB and imports in ${ms(bareRuntimeSdk.importMs)} ms`,
        head: ['Function', 'Bundle KB', 'Median import ms', 'Ratio to the deployed bundle'],
        rows: rows.map((row) => [row.entry, kb(row.external.bytes), ms(row.external.importMs), times(row.external.importMs / row.stack.importMs)]),
      },
    ],
    notes: rows.flatMap((row) => (row.stack.failure ? [`${row.entry} (deployed bundle) fails to import: ${row.stack.failure}`] : [])),
    targets: [
      worstTarget(
        'Cold import of a function that renders nothing',
        NON_RENDERING_LIMIT,
        rows.filter((row) => !row.renders),
      ),
      worstTarget(
        'Cold import of a function that renders results',
        RENDERING_LIMIT,
        rows.filter((row) => row.renders),
      ),
    ],
  };
}
