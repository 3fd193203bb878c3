import { defineConfig } from 'vitest/config';

// Lambda runs a newer Node.js; on Node 20 the SDK's support notice would repeat in every process
// (test workers inherit this from the main process, where the global setup runs).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
