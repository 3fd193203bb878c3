import { configDefaults, defineConfig } from 'vitest/config';

// Lambda runs a newer Node.js; on Node 20 the SDK's support notice would repeat in every process
// (test workers inherit this from the main process, where the global setup runs).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * Tests that measure behaviour under concurrent load (40 submissions at once) run first, alone:
 * beside the files that render and sign PDFs (CPU-bound) on this 2-core machine, their requests
 * would time out for want of CPU, not for anything the ward does.
 */
const UNDER_LOAD = ['tests/e2e/citizen.test.ts'];

const common = {
  setupFiles: ['tests/setup.ts'],
  globalSetup: ['tests/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 120_000,
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    projects: [
      { test: { ...common, name: 'under-load', include: UNDER_LOAD, sequence: { groupOrder: 0 } } },
      { test: { ...common, name: 'main', include: ['tests/**/*.test.ts'], exclude: [...configDefaults.exclude, ...UNDER_LOAD], sequence: { groupOrder: 1 } } },
    ],
  },
});
