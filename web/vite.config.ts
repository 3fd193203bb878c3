import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VERIFY_PAGE_STYLESHEET } from '../shared/api/portal-paths.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * One build, two pages: the citizen portal at `/` and the officer console at `/can-bo/`, and the
 * stylesheet of the verification page (shared/api/verify-page.ts), built from the same palette and
 * page frame as theirs (src/common/base.css) but under a stable name, outside the hashed assets.
 * No inline script or style anywhere (the sites' Content-Security-Policy forbids them): Vite emits
 * external files only, and `modulePreload.polyfill` (an inline script) is off.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2020',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: {
      input: { citizen: here('index.html'), officer: here('can-bo/index.html'), 'verify-page': here('src/verify-page/verify-page.css') },
      output: { assetFileNames: (asset) => (asset.names.includes('verify-page.css') ? VERIFY_PAGE_STYLESHEET.slice(1) : 'assets/[name]-[hash][extname]') },
    },
  },
});
