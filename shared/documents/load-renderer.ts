/**
 * The official-document renderer (pdf-lib, fontkit, qrcode and the fonts), imported on first use
 * rather than when a function starts: a function that renders only for some requests (the
 * transition route renders for approve/refuse, not for accept or assign) starts without it. It is
 * imported once per container; the promise is kept and every later render reuses it.
 * tests/unit/function-bundles.test.ts checks that no function imports it statically.
 */
import type * as RendererModule from './official-document';

type Renderer = typeof RendererModule;

let renderer: Promise<Renderer> | undefined;

export const loadRenderer = (): Promise<Renderer> => (renderer ??= import('./official-document'));
