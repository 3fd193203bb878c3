/**
 * Each function's bundle, built with the stack's esbuild options (FUNCTION_BUNDLING), and what it
 * holds of the PDF code (pdf-lib, fontkit, @signpdf, qrcode, the fonts). A function imports none of
 * it statically: the renderer and the signer are imported on first use (shared/documents/load-renderer.ts, load-pades.ts),
 * so that a start, or a request that renders nothing, never evaluates them. The font and layout
 * code (fontkit, qrcode, the fonts, the layout) is in a bundle only where the route table says the
 * route renders (`rendersResults`).
 */
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { FUNCTION_BUNDLING } from '../../infra/constructs/bundling';
import { CHECK_DEADLINE_HANDLER } from '../../infra/constructs/deadline-workflow';
import { STREAM_CONSUMERS } from '../../shared/runtime/consumers';
import { RETRY_WORKER } from '../../shared/runtime/notification-retries';
import { ROUTES } from '../../shared/runtime/routes';
import { SCHEDULED_JOBS } from '../../shared/runtime/schedules';

/** Every package or file of the PDF code. */
const PDF_CODE = /node_modules\/(pdf-lib|fontkit|@signpdf|qrcode)\/|shared\/documents\/(fonts\/|fontkit\.ts|pdf-layout\.ts|pades\.ts|official-document\.ts)/;
/** The rendering part of it: fonts and layout, never needed to sign or verify. */
const RENDERING_CODE = /node_modules\/(fontkit|qrcode)\/|shared\/documents\/(fonts\/|fontkit\.ts|pdf-layout\.ts|official-document\.ts)/;

const RENDERING = new Set(ROUTES.filter((route) => route.rendersResults).map((route) => route.handler));
const ENTRIES = [
  ...new Set([
    ...ROUTES.map((route) => route.handler),
    ...STREAM_CONSUMERS.map((consumer) => consumer.handler),
    ...SCHEDULED_JOBS.map((job) => job.handler),
    RETRY_WORKER.handler,
    CHECK_DEADLINE_HANDLER,
    'catalog/load-catalog',
  ]),
];

/** Inputs reachable from `entry` through static imports only (what the function evaluates when it starts). */
function staticallyImported(metafile: Metafile, entry: string): Set<string> {
  const seen = new Set([entry]);
  const queue = [entry];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const imported of metafile.inputs[next]?.imports ?? []) {
      if (imported.kind !== 'dynamic-import' && !imported.external && !seen.has(imported.path)) {
        seen.add(imported.path);
        queue.push(imported.path);
      }
    }
  }
  return seen;
}

async function bundleOf(handler: string) {
  const entry = `functions/${handler}.ts`;
  const { metafile } = await build({
    ...FUNCTION_BUNDLING,
    absWorkingDir: process.cwd(),
    entryPoints: [entry],
    outfile: 'index.mjs',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(metafile.inputs);
  return { inputs, atStart: [...staticallyImported(metafile, entry)] };
}

describe('function bundles', () => {
  it('covers every function of the stack', () => {
    expect(ENTRIES.length).toBeGreaterThan(ROUTES.length);
    expect(RENDERING.size).toBeGreaterThan(0);
  });

  it.each(ENTRIES)('%s imports no PDF code when it starts, and font code only if it renders', { timeout: 60_000 }, async (handler) => {
    const { inputs, atStart } = await bundleOf(handler);
    expect(atStart.filter((input) => PDF_CODE.test(input))).toEqual([]);
    const rendering = inputs.filter((input) => RENDERING_CODE.test(input));
    if (RENDERING.has(handler)) expect(rendering).not.toEqual([]);
    else expect(rendering).toEqual([]);
  });
});
