import type { BuildOptions } from 'esbuild';

/** Defines `require` for the CommonJS dependencies esbuild inlines into an ESM bundle. */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** Prefer packages' ESM builds, which tree-shake. */
export const MAIN_FIELDS = ['module', 'main'];

/** esbuild's target for the Lambda runtime the functions run on (see FUNCTION_RUNTIME). */
export const NODE_TARGET = 'node24';

/**
 * The AWS SDK v3 that the Lambda Node.js runtime also provides. The bundles inline it anyway:
 * the SDK deployed is the one the tests ran against, and `npm run bench` measures a minified
 * single file importing about twice as fast as the same code resolving the SDK from
 * node_modules, although it is 2–3 times larger (0.6–0.9 MB against 0.3 MB). The benchmark
 * builds the runtime-SDK variant too, with these modules external, to keep the comparison honest.
 */
export const RUNTIME_PROVIDED_MODULES = ['@aws-sdk/*', '@smithy/*'];

/**
 * Modules replaced in the bundles: fontkit imports `brotli/decompress` for WOFF2 fonts only; the
 * e-results embed TrueType fonts, and the real module carries a 465 KB dictionary. Paths are
 * relative to the repository root (esbuild's working directory).
 */
export const BUNDLE_ALIASES = { brotli: './shared/documents/no-brotli' } as const;

/**
 * The esbuild options of every function bundle, as the stack's NodejsFunction builds them; the
 * benchmark builds with the same options, so the sizes it reports are the deployed ones.
 */
export const FUNCTION_BUNDLING = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: NODE_TARGET,
  mainFields: MAIN_FIELDS,
  banner: { js: ESM_REQUIRE_BANNER },
  minify: true,
  sourcemap: false,
  alias: BUNDLE_ALIASES,
} as const satisfies BuildOptions;
