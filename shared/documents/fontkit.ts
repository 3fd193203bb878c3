/**
 * The font engine pdf-lib embeds fonts with: upstream `fontkit` 2, adapted to the interface
 * pdf-lib expects, instead of pdf-lib's own fork `@pdf-lib/fontkit`.
 *
 * Why: `@pdf-lib/fontkit` 1.1.1 (the fork's last release) writes a TrueType subset's `loca` table
 * in the short format without padding odd-length glyph records, so every glyph after the first odd
 * one is read at the wrong offset: most Vietnamese letters of a Tinos subset came out blank while
 * `pdftotext` still "read" them (foliojs/fontkit#191 fixed this upstream in fontkit 1.8).
 * `registerFontkit` accepts any object with pdf-lib's `create`, and the only gap is that pdf-lib's
 * subset embedder reads `subset.encodeStream()`, which fontkit 2 replaced by `subset.encode()`.
 */
import { Readable } from 'node:stream';
import { create as createFont, type Font, type Subset } from 'fontkit';
import type { PDFDocument } from 'pdf-lib';

type PdfLibFontkit = Parameters<PDFDocument['registerFontkit']>[0];

/**
 * A fresh parse per document, on purpose: fontkit caches glyph objects on the font, and a glyph
 * first met as a component of a composite (U inside Ư) is cached with no code points, so a later
 * document drawing that glyph alone would map it to no text (pdftotext lost the U of "QUYẾT").
 */
export const fontkitForPdfLib: PdfLibFontkit = {
  create(bytes) {
    // fontkit 2's Font has every member pdf-lib reads (layout, glyphs, metrics, tables); the two
    // packages' type declarations simply differ.
    return adapt(bytes) as unknown as ReturnType<PdfLibFontkit['create']>;
  },
};

function adapt(bytes: Uint8Array): Font {
  const font = createFont(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (!('createSubset' in font)) throw new TypeError('A font collection is not a font: embed one of its fonts');
  const createSubset = font.createSubset.bind(font);
  return Object.assign(font, { createSubset: () => withEncodeStream(createSubset()) });
}

function withEncodeStream(subset: Subset): Subset & { encodeStream(): Readable } {
  return Object.assign(subset, { encodeStream: () => Readable.from([subset.encode()]) });
}
