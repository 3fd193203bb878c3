import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * One build, two pages: the citizen portal at `/` and the officer console at `/can-bo/`. No inline
 * script or style anywhere (the sites' Content-Security-Policy forbids them): Vite emits external
 * files only, and `modulePreload.polyfill` (an inline script) is off.
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
    rollupOptions: { input: { citizen: here('index.html'), officer: here('can-bo/index.html') } },
  },
});
