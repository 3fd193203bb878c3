/**
 * PAdES signing and verification (pdf-lib, @signpdf), imported on first use rather than when a
 * function starts, once per container (the promise is kept). Kept apart from load-renderer.ts so
 * that a function that signs or verifies but never renders carries no font or layout code.
 * tests/unit/function-bundles.test.ts checks that no function imports it statically.
 */
import type * as PadesModule from './pades';

type Pades = typeof PadesModule;

let pades: Promise<Pades> | undefined;

export const loadPades = (): Promise<Pades> => (pades ??= import('./pades'));
