/**
 * The page layout every document of the ward shares, in the look of Decree 30/2020/NĐ-CP
 * (Appendix I): a document is described as a {@link DocumentLayout} (what it says, block by
 * block) and drawn here, so that no kind of document carries layout code of its own.
 *
 * Page 1 starts with the header: top left the issuing body (an optional superior body in regular
 * upper case, then the body itself in bold upper case, a short rule under it) and "Số: …"; top
 * right the national name and motto (the motto underlined over its whole length) and, on the same
 * row as "Số", the place and date in italics. Then the centred bold title and its optional second
 * line; then the blocks (paragraphs, label/value details, numbered lists, tables), continued on
 * further pages as needed, a table repeating its header row on every page it spans; then, kept
 * together on one page, the QR code to the public verification page (bottom left, with its caption
 * and URL) and the signature (bottom right: the signer's position, a bordered block saying who
 * signed digitally, when, and with what certificate, and the signer's name). Every page has a
 * footer (what the document is about, and "Trang n/N"); from page 2 the page number also sits
 * centred in the top margin, as the decree asks. Margins are Decree 30's: top and bottom 20 mm,
 * left 30 mm, right 15 mm, on A4 portrait or (for wide tables) landscape.
 *
 * Fonts: Tinos regular, bold and italic (Google's serif metric-compatible with Times New Roman,
 * the typeface Decree 30 prescribes; it covers Vietnamese), SIL Open Font License 1.1
 * (fonts/OFL.txt), copied unmodified from the npm package @expo-google-fonts/tinos 0.4.2 (Google
 * Fonts "v26"). They are read from `fonts/` next to this module (tsx: local mode and tests) or next
 * to the bundle's index.mjs (Lambda: WardFunction's bundling copies the folder there), once per
 * process, and embedded as subsets: only the glyphs a document uses go in (a one-page document is
 * about 45 KB against 1.6 MB of font files). The subsets are made by upstream fontkit, not
 * pdf-lib's fork, whose TrueType subsets lose glyphs (see ./fontkit.ts). A character the fonts
 * cannot draw throws {@link UnrenderableTextError} rather than printing a blank box on a legal
 * document.
 *
 * Determinism: the same layout gives the same bytes. The info dictionary's dates come from the
 * layout, producer and creator are fixed, pdf-lib writes no trailer /ID and draws its resource
 * names from a generator seeded per document, and the subset font names get a tag derived from
 * the layout's fingerprint (rather than pdf-lib's default numeric suffix), so two different
 * documents do not claim to embed the same subset.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PDFDocument, fill, grayscale, popGraphicsState, pushGraphicsState, rectangle, setFillingGrayscaleColor, type Color, type PDFFont, type PDFPage } from 'pdf-lib';
import { create as createQrCode } from 'qrcode';
import { fontkitForPdfLib } from './fontkit';
import { upper } from './text';

export const NATIONAL_NAME = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
export const NATIONAL_MOTTO = 'Độc lập - Tự do - Hạnh phúc';
export const QR_CAPTION = 'Quét mã để kiểm tra tính xác thực';

/** Thrown when a text holds a character the embedded fonts have no glyph for. */
export class UnrenderableTextError extends Error {
  readonly code = 'UNRENDERABLE_TEXT';
  constructor(readonly characters: readonly string[]) {
    super(`The document's fonts cannot draw: ${characters.map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`).join(', ')}`);
    this.name = 'UnrenderableTextError';
  }
}

export type FontStyle = 'regular' | 'bold' | 'italic';

/** One document, as the pages say it. Every text is already NFC (see ./text.ts). */
export interface DocumentLayout {
  readonly orientation: 'portrait' | 'landscape';
  /** The issuing body, top left: an optional superior body (regular) above the body itself (bold); both printed upper-case. */
  readonly issuer: { readonly superior?: string; readonly body: string };
  readonly documentNumber: string;
  /** "<place>, ngày … tháng … năm …". */
  readonly dateLine: string;
  /** Printed upper-case. */
  readonly title: string;
  /** A second line under the title, as given (e.g. "Về việc …"). */
  readonly subtitle?: string;
  readonly blocks: readonly Block[];
  readonly signature: SignatureBlock;
  readonly verifyUrl: string;
  /** Left of "Trang n/N" on every page, e.g. "Mã hồ sơ: …". */
  readonly footer: string;
  readonly metadata: PdfMetadata;
  /** Seeds the subset font tags: equal documents give equal bytes, different ones different tags. */
  readonly fingerprint: string;
}

export type Block = ParagraphsBlock | DetailsBlock | ListBlock | TableBlock;

/** Paragraphs separated by a blank line; a single line break starts a new line within one. */
export interface ParagraphsBlock {
  readonly type: 'paragraphs';
  readonly text: string;
  /** `justify` (default) indents each first line; `centre` centres each line. */
  readonly align?: 'justify' | 'centre';
  readonly font?: FontStyle;
}

/** Label / value rows: the label in italics, the value wrapping beside it. */
export interface DetailsBlock {
  readonly type: 'details';
  readonly rows: readonly DetailRow[];
  /** A thin rule above the rows, setting them apart from the text before. */
  readonly ruleAbove?: boolean;
}

export interface DetailRow {
  readonly label: string;
  readonly value: string;
  readonly bold?: boolean;
}

/** Numbered items, each wrapping under its own start. */
export interface ListBlock {
  readonly type: 'list';
  readonly items: readonly string[];
}

/** A bordered table across the text width; a page break repeats its header row. */
export interface TableBlock {
  readonly type: 'table';
  readonly columns: readonly TableColumn[];
  readonly rows: readonly (readonly string[])[];
  /** Font size of the cells; 11 pt by default. */
  readonly size?: number;
}

export interface TableColumn {
  readonly header: string;
  /** Relative width: the columns share the text width in proportion. */
  readonly width: number;
  readonly align?: 'left' | 'centre';
}

/** The signer's place: position, the bordered block of the digital signature, name. */
export interface SignatureBlock {
  /** May hold several lines (`KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH`); printed upper-case. */
  readonly position: string;
  readonly boxLines: readonly string[];
  readonly name: string;
}

export interface PdfMetadata {
  readonly title: string;
  readonly author: string;
  readonly subject: string;
  readonly keywords: readonly string[];
  /** Creation and modification date. */
  readonly date: Date;
}

export async function renderLayout(layout: DocumentLayout): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(fontkitForPdfLib);
  const fontFiles = loadFontFiles();
  const subsetName = (style: FontStyle, fontName: string): string => `${subsetTagOf(layout.fingerprint, style)}+${fontName}`;
  const fonts: Fonts = {
    regular: await pdf.embedFont(fontFiles.regular, { subset: true, customName: subsetName('regular', 'Tinos-Regular') }),
    bold: await pdf.embedFont(fontFiles.bold, { subset: true, customName: subsetName('bold', 'Tinos-Bold') }),
    italic: await pdf.embedFont(fontFiles.italic, { subset: true, customName: subsetName('italic', 'Tinos-Italic') }),
  };

  const flow = new PageFlow(pdf, fonts, layout.orientation === 'portrait' ? PORTRAIT : LANDSCAPE);
  drawHeader(flow, layout);
  drawTitle(flow, layout);
  for (const block of layout.blocks) {
    drawBlock(flow, block);
    flow.top -= SPACE.blockGap;
  }
  drawClosing(flow, layout);
  flow.finish(layout.footer);

  setMetadata(pdf, layout.metadata);
  // Object streams off: a plain cross-reference table is what every checker and older reader knows.
  return pdf.save({ useObjectStreams: false });
}

// ---------------------------------------------------------------------------------------------
// Page geometry (PDF points; 1 mm = 72 / 25.4 pt). Sizes are within Decree 30's ranges (body
// 13 pt, title 14 pt).

const MM = 72 / 25.4;
const MARGIN_TOP = 20 * MM;
const MARGIN_BOTTOM = 20 * MM;
const MARGIN_LEFT = 30 * MM;
const MARGIN_RIGHT = 15 * MM;
/** The footer sits in the bottom margin; the body stops this far above it. */
const BODY_BOTTOM = MARGIN_BOTTOM + 14;
const FOOTER_BASELINE = MARGIN_BOTTOM - 14;

interface Column {
  readonly x: number;
  readonly width: number;
}

interface PageGeometry {
  readonly width: number;
  readonly height: number;
  readonly contentWidth: number;
  /** The header's left column (issuing body, "Số"). */
  readonly leftColumn: Column;
  /** The header's right column (national header, date), which the signer's place shares. */
  readonly rightColumn: Column;
}

function geometryOf(width: number, height: number): PageGeometry {
  const rightWidth = 103 * MM;
  return {
    width,
    height,
    contentWidth: width - MARGIN_LEFT - MARGIN_RIGHT,
    leftColumn: { x: MARGIN_LEFT - 6 * MM, width: 72 * MM },
    rightColumn: { x: width - MARGIN_RIGHT + 4 * MM - rightWidth, width: rightWidth },
  };
}

const PORTRAIT = geometryOf(210 * MM, 297 * MM);
const LANDSCAPE = geometryOf(297 * MM, 210 * MM);

/** Type sizes in points. */
const SIZE = { body: 13, header: 13, nationalName: 13, title: 14, details: 12, table: 11, signatureBox: 10.5, footer: 9 } as const;
/** Spacing in points. */
const SPACE = { bodyLeading: 18, paragraphGap: 6, blockGap: 8, firstLineIndent: 10 * MM, listIndent: 8 * MM, cellPadding: 3, signatureBoxPadding: 6 } as const;
/** The widest a details block's labels may be, as a share of the text width. */
const DETAILS_MAX_LABEL_SHARE = 0.42;
const QR_SIZE = 28 * MM;
const QR_COLUMN_WIDTH = 58 * MM;
const BLACK = grayscale(0);
const GREY = grayscale(0.35);
const HEADER_ROW_FILL = grayscale(0.92);

// ---------------------------------------------------------------------------------------------
// Fonts

type Fonts = Readonly<Record<FontStyle, PDFFont>>;
type FontFiles = Readonly<Record<FontStyle, Uint8Array>>;

let cachedFontFiles: FontFiles | undefined;

/** Read on the first render, not at import: a function that never renders never pays for 1.6 MB. */
function loadFontFiles(): FontFiles {
  cachedFontFiles ??= {
    regular: readFileSync(new URL('./fonts/Tinos-Regular.ttf', import.meta.url)),
    bold: readFileSync(new URL('./fonts/Tinos-Bold.ttf', import.meta.url)),
    italic: readFileSync(new URL('./fonts/Tinos-Italic.ttf', import.meta.url)),
  };
  return cachedFontFiles;
}

/**
 * The six capital letters that mark an embedded subset ("ABCDEF+Tinos-Regular", ISO 32000-1
 * §9.6.4), taken from a hash of the document so that equal documents get equal bytes.
 */
function subsetTagOf(fingerprint: string, style: FontStyle): string {
  const digest = createHash('sha256').update(fingerprint).update(style).digest();
  return Array.from(digest.subarray(0, 6), (byte) => String.fromCharCode(65 + (byte % 26))).join('');
}

const widthsAtSizeOne = new WeakMap<PDFFont, Map<string, number>>();

/**
 * pdf-lib's width of a text, remembered per font: each measure runs the OpenType shaper, and line
 * breaking measures the same words again and again (a width is linear in the size).
 */
function textWidth(font: PDFFont, text: string, size: number): number {
  let widths = widthsAtSizeOne.get(font);
  if (widths === undefined) {
    widths = new Map();
    widthsAtSizeOne.set(font, widths);
  }
  let width = widths.get(text);
  if (width === undefined) {
    width = font.widthOfTextAtSize(text, 1);
    widths.set(text, width);
  }
  return width * size;
}

const characterSets = new WeakMap<PDFFont, ReadonlySet<number>>();

function assertDrawable(font: PDFFont, text: string): void {
  let characters = characterSets.get(font);
  if (characters === undefined) {
    characters = new Set(font.getCharacterSet());
    characterSets.set(font, characters);
  }
  const missing = new Set<string>();
  for (const character of text) {
    if (!characters.has(character.codePointAt(0) ?? 0)) missing.add(character);
  }
  if (missing.size > 0) throw new UnrenderableTextError([...missing]);
}

// ---------------------------------------------------------------------------------------------
// Line breaking

/** One laid-out line: its words, and whether it ends its paragraph (a last line is never stretched). */
interface Line {
  readonly words: readonly string[];
  readonly endsParagraph: boolean;
}

const textOf = (line: Line): string => line.words.join(' ');

/**
 * Greedy line breaking on spaces; a word wider than the line (a URL, a long code) is cut between
 * characters. `firstLineWidth` allows a first-line indent.
 */
function breakLines(text: string, font: PDFFont, size: number, width: number, firstLineWidth = width): Line[] {
  const lines: Line[] = [];
  const spaceWidth = textWidth(font, ' ', size);
  for (const hardLine of text.split('\n')) {
    const words = hardLine.split(' ').filter((word) => word !== '');
    let current: string[] = [];
    let currentWidth = 0;
    const available = (): number => (lines.length === 0 ? firstLineWidth : width);
    for (const word of words) {
      for (const piece of cutToWidth(word, font, size, width)) {
        const pieceWidth = textWidth(font, piece, size);
        const widthWithPiece = current.length === 0 ? pieceWidth : currentWidth + spaceWidth + pieceWidth;
        if (current.length > 0 && widthWithPiece > available()) {
          lines.push({ words: current, endsParagraph: false });
          current = [piece];
          currentWidth = pieceWidth;
        } else {
          current.push(piece);
          currentWidth = widthWithPiece;
        }
      }
    }
    lines.push({ words: current, endsParagraph: true });
  }
  return lines;
}

function cutToWidth(word: string, font: PDFFont, size: number, width: number): string[] {
  if (textWidth(font, word, size) <= width) return [word];
  const pieces: string[] = [];
  let piece = '';
  for (const character of word) {
    if (piece !== '' && textWidth(font, piece + character, size) > width) {
      pieces.push(piece);
      piece = '';
    }
    piece += character;
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

/** A URL has no spaces: break it after a '/', '?', '&', '=', '-' or '.' where one is near, else between any two characters. */
function breakUrl(url: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const character of url) {
    if (line !== '' && textWidth(font, line + character, size) > width) {
      const lastBreak = Math.max(...[...'/?&=-.'].map((mark) => line.lastIndexOf(mark)));
      const cut = lastBreak >= line.length / 2 ? lastBreak + 1 : line.length;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
    line += character;
  }
  if (line !== '') lines.push(line);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Page flow: a cursor going down the page, and new pages when the body runs out of room.

interface TextStyle {
  readonly font: FontStyle;
  readonly size: number;
  readonly color?: Color;
}

class PageFlow {
  private readonly pages: PDFPage[] = [];
  private page: PDFPage;
  /** The top of the next line's box. */
  top: number;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly fonts: Fonts,
    readonly geometry: PageGeometry,
  ) {
    this.page = this.addPage();
    this.top = this.bodyTop;
  }

  get currentPage(): PDFPage {
    return this.page;
  }

  get bodyTop(): number {
    return this.geometry.height - MARGIN_TOP;
  }

  /** The height left above the footer. */
  get room(): number {
    return this.top - BODY_BOTTOM;
  }

  get contentCentre(): number {
    return MARGIN_LEFT + this.geometry.contentWidth / 2;
  }

  newPage(): void {
    this.page = this.addPage();
    this.top = this.bodyTop;
  }

  /** Starts a new page unless `height` still fits above the footer. */
  ensureRoom(height: number): void {
    if (this.room < height) this.newPage();
  }

  font(style: FontStyle): PDFFont {
    return this.fonts[style];
  }

  width(text: string, style: TextStyle): number {
    return textWidth(this.font(style.font), text, style.size);
  }

  lines(text: string, style: TextStyle, width: number, firstLineWidth = width): Line[] {
    return breakLines(text, this.font(style.font), style.size, width, firstLineWidth);
  }

  /** Draws `text` with its baseline at `baseline`, starting at `x`. */
  drawText(text: string, x: number, baseline: number, style: TextStyle, page: PDFPage = this.page): void {
    const font = this.font(style.font);
    assertDrawable(font, text);
    page.drawText(text, { x, y: baseline, size: style.size, font, color: style.color ?? BLACK });
  }

  /** Draws one line centred on `centreX`. */
  drawCentred(text: string, centreX: number, baseline: number, style: TextStyle): void {
    this.drawText(text, centreX - this.width(text, style) / 2, baseline, style);
  }

  drawRule(fromX: number, toX: number, y: number, thickness = 0.6): void {
    this.page.drawLine({ start: { x: fromX, y }, end: { x: toX, y }, thickness, color: BLACK });
  }

  drawVerticalRule(x: number, fromY: number, toY: number, thickness = 0.6): void {
    this.page.drawLine({ start: { x, y: fromY }, end: { x, y: toY }, thickness, color: BLACK });
  }

  /**
   * Lines centred on `centreX`, each wrapped to `width`, from the cursor down; page breaks between
   * lines if needed. Returns the baseline of the last line.
   */
  centredBlock(text: string, centreX: number, width: number, style: TextStyle, leading: number, balanced = false): number {
    let baseline = this.top;
    for (const line of balanced ? this.balancedLines(text, style, width) : this.lines(text, style, width)) {
      this.ensureRoom(leading);
      baseline = this.top - style.size;
      this.drawCentred(textOf(line), centreX, baseline, style);
      this.top -= leading;
    }
    return baseline;
  }

  /**
   * As many lines as `width` needs, but as even as they can be: a title of two lines reads as two
   * halves, not a full line and an orphaned word.
   */
  private balancedLines(text: string, style: TextStyle, width: number): Line[] {
    const count = this.lines(text, style, width).length;
    if (count < 2) return this.lines(text, style, width);
    let tooNarrow = 0;
    let wideEnough = width;
    for (let step = 0; step < 12; step += 1) {
      const middle = (tooNarrow + wideEnough) / 2;
      if (this.lines(text, style, middle).length <= count) wideEnough = middle;
      else tooNarrow = middle;
    }
    return this.lines(text, style, wideEnough);
  }

  /** A paragraph justified between `x` and `x + width`, its first line indented by `indent`. */
  justifiedParagraph(text: string, x: number, width: number, style: TextStyle, leading: number, indent: number): void {
    const font = this.font(style.font);
    const spaceWidth = textWidth(font, ' ', style.size);
    this.lines(text, style, width, width - indent).forEach((line, index) => {
      this.ensureRoom(leading);
      const baseline = this.top - style.size;
      const lineX = index === 0 ? x + indent : x;
      const lineWidth = index === 0 ? width - indent : width;
      const wordWidths = line.words.map((word) => textWidth(font, word, style.size));
      const naturalWidth = wordWidths.reduce((sum, w) => sum + w, 0) + spaceWidth * Math.max(0, line.words.length - 1);
      if (line.endsParagraph || line.words.length < 2) {
        this.drawText(textOf(line), lineX, baseline, style);
      } else {
        // Each word placed on its own: a Type0 font ignores the PDF word-spacing operator.
        const gap = spaceWidth + (lineWidth - naturalWidth) / (line.words.length - 1);
        let wordX = lineX;
        line.words.forEach((word, wordIndex) => {
          this.drawText(word, wordX, baseline, style);
          wordX += (wordWidths[wordIndex] ?? 0) + gap;
        });
      }
      this.top -= leading;
    });
  }

  /** Footer on every page, and Decree 30's page number in the top margin from page 2. */
  finish(footer: string): void {
    const footerStyle: TextStyle = { font: 'italic', size: SIZE.footer, color: GREY };
    const count = this.pages.length;
    const right = this.geometry.width - MARGIN_RIGHT;
    this.pages.forEach((page, index) => {
      const pageLabel = `Trang ${index + 1}/${count}`;
      const pageLabelX = right - this.width(pageLabel, footerStyle);
      const [footerLine = ''] = breakUrl(footer, this.font('italic'), SIZE.footer, pageLabelX - MARGIN_LEFT - 12);
      this.drawText(footerLine, MARGIN_LEFT, FOOTER_BASELINE, footerStyle, page);
      this.drawText(pageLabel, pageLabelX, FOOTER_BASELINE, footerStyle, page);
      if (index > 0) {
        const number = String(index + 1);
        const numberStyle: TextStyle = { font: 'regular', size: SIZE.body };
        this.drawText(number, this.contentCentre - this.width(number, numberStyle) / 2, this.geometry.height - MARGIN_TOP / 2 - 4, numberStyle, page);
      }
    });
  }

  private addPage(): PDFPage {
    const page = this.pdf.addPage([this.geometry.width, this.geometry.height]);
    this.pages.push(page);
    return page;
  }
}

// ---------------------------------------------------------------------------------------------
// Header and title

function drawHeader(flow: PageFlow, layout: DocumentLayout): void {
  const { leftColumn, rightColumn } = flow.geometry;
  const headerTop = flow.top;
  const leftCentre = leftColumn.x + leftColumn.width / 2;
  const rightCentre = rightColumn.x + rightColumn.width / 2;
  const leading = SIZE.header + 3;

  // Left: the superior body (regular) and the issuing body (bold), upper-case, then a rule of
  // about 40% of the body's widest line (Decree 30: 1/3 to 1/2).
  if (layout.issuer.superior !== undefined) {
    flow.centredBlock(upper(layout.issuer.superior), leftCentre, leftColumn.width, { font: 'regular', size: SIZE.header }, leading);
  }
  const bodyStyle: TextStyle = { font: 'bold', size: SIZE.header };
  const body = upper(layout.issuer.body);
  const bodyBaseline = flow.centredBlock(body, leftCentre, leftColumn.width, bodyStyle, leading);
  const widestBodyLine = Math.max(...flow.lines(body, bodyStyle, leftColumn.width).map((line) => flow.width(textOf(line), bodyStyle)));
  const issuerRuleWidth = widestBodyLine * 0.4;
  const issuerRuleY = bodyBaseline - 6.5;
  flow.drawRule(leftCentre - issuerRuleWidth / 2, leftCentre + issuerRuleWidth / 2, issuerRuleY);

  // Right: the national name (shrunk if a narrow column needs it) and the motto, underlined over its length.
  flow.top = headerTop;
  const nationalNameStyle = fitToWidth(flow, NATIONAL_NAME, { font: 'bold', size: SIZE.nationalName }, rightColumn.width);
  const nationalBaseline = headerTop - nationalNameStyle.size;
  flow.drawCentred(NATIONAL_NAME, rightCentre, nationalBaseline, nationalNameStyle);
  const mottoStyle: TextStyle = { font: 'bold', size: SIZE.header + 1 };
  const mottoBaseline = nationalBaseline - leading - 1;
  flow.drawCentred(NATIONAL_MOTTO, rightCentre, mottoBaseline, mottoStyle);
  const mottoWidth = flow.width(NATIONAL_MOTTO, mottoStyle);
  const mottoRuleY = mottoBaseline - 6.5;
  flow.drawRule(rightCentre - mottoWidth / 2, rightCentre + mottoWidth / 2, mottoRuleY);

  // The number and the date share one row, below both rules.
  flow.top = Math.min(issuerRuleY, mottoRuleY) - 8;
  const rowTop = flow.top;
  // A long number shrinks rather than wraps: "Số:" and the number read as one line.
  const numberLine = `Số: ${layout.documentNumber}`;
  flow.centredBlock(numberLine, leftCentre, leftColumn.width, fitToWidth(flow, numberLine, { font: 'regular', size: SIZE.header }, leftColumn.width), leading);
  const numberBottom = flow.top;
  flow.top = rowTop;
  flow.centredBlock(layout.dateLine, rightCentre, rightColumn.width, { font: 'italic', size: SIZE.header }, leading);
  flow.top = Math.min(flow.top, numberBottom) - 22;
}

/** The style at the largest size up to `style.size` (and down to 9 pt) at which `text` fits `width`. */
function fitToWidth(flow: PageFlow, text: string, style: TextStyle, width: number): TextStyle {
  const naturalWidth = flow.width(text, style);
  return naturalWidth <= width ? style : { ...style, size: Math.max(9, Math.floor(((style.size * width) / naturalWidth) * 10) / 10) };
}

function drawTitle(flow: PageFlow, layout: DocumentLayout): void {
  const width = flow.geometry.contentWidth * 0.9;
  flow.centredBlock(upper(layout.title), flow.contentCentre, width, { font: 'bold', size: SIZE.title }, SIZE.title + 5, true);
  if (layout.subtitle !== undefined) flow.centredBlock(layout.subtitle, flow.contentCentre, width, { font: 'bold', size: SIZE.body }, SIZE.body + 5, true);
  flow.top -= 16;
}

// ---------------------------------------------------------------------------------------------
// Blocks

function drawBlock(flow: PageFlow, block: Block): void {
  switch (block.type) {
    case 'paragraphs':
      return drawParagraphs(flow, block);
    case 'details':
      return drawDetails(flow, block);
    case 'list':
      return drawList(flow, block);
    case 'table':
      return drawTable(flow, block);
  }
}

function drawParagraphs(flow: PageFlow, block: ParagraphsBlock): void {
  const style: TextStyle = { font: block.font ?? 'regular', size: SIZE.body };
  block.text.split(/\n{2,}/).forEach((paragraph, index) => {
    if (index > 0) flow.top -= SPACE.paragraphGap;
    if (block.align === 'centre') flow.centredBlock(paragraph, flow.contentCentre, flow.geometry.contentWidth, style, SPACE.bodyLeading);
    else flow.justifiedParagraph(paragraph, MARGIN_LEFT, flow.geometry.contentWidth, style, SPACE.bodyLeading, SPACE.firstLineIndent);
  });
}

function drawList(flow: PageFlow, block: ListBlock): void {
  const style: TextStyle = { font: 'regular', size: SIZE.body };
  block.items.forEach((item, index) => {
    flow.ensureRoom(SPACE.bodyLeading);
    flow.drawText(`${index + 1}.`, MARGIN_LEFT + SPACE.firstLineIndent / 2, flow.top - SIZE.body, style);
    flow.justifiedParagraph(
      item,
      MARGIN_LEFT + SPACE.firstLineIndent / 2 + SPACE.listIndent,
      flow.geometry.contentWidth - SPACE.firstLineIndent / 2 - SPACE.listIndent,
      style,
      SPACE.bodyLeading,
      0,
    );
  });
}

/** Label / value rows, kept on one page when they fit on one (they read as one block). */
function drawDetails(flow: PageFlow, block: DetailsBlock): void {
  const labelStyle: TextStyle = { font: 'italic', size: SIZE.details };
  const leading = SIZE.details + 4;
  const contentWidth = flow.geometry.contentWidth;
  const gutter = 8;
  const labelWidth = Math.min(Math.max(...block.rows.map((row) => flow.width(row.label, labelStyle))), contentWidth * DETAILS_MAX_LABEL_SHARE);
  const valueX = MARGIN_LEFT + labelWidth + gutter;
  const valueWidth = contentWidth - labelWidth - gutter;
  const laidOutRows = block.rows.map((row) => {
    const valueStyle: TextStyle = { font: row.bold === true ? 'bold' : 'regular', size: SIZE.details };
    const labelLines = flow.lines(row.label, labelStyle, labelWidth);
    const valueLines = flow.lines(row.value, valueStyle, valueWidth);
    return { labelLines, valueLines, valueStyle, height: Math.max(labelLines.length, valueLines.length) };
  });
  const ruleGap = block.ruleAbove === true ? 8 : 0;
  flow.top -= ruleGap === 0 ? 0 : 6;
  flow.ensureRoom(ruleGap + leading * laidOutRows.reduce((sum, row) => sum + row.height, 0));
  if (block.ruleAbove === true) flow.drawRule(MARGIN_LEFT, MARGIN_LEFT + contentWidth, flow.top, 0.4);
  flow.top -= ruleGap;
  for (const row of laidOutRows) {
    for (let index = 0; index < row.height; index += 1) {
      flow.ensureRoom(leading);
      const baseline = flow.top - SIZE.details;
      const labelLine = row.labelLines[index];
      const valueLine = row.valueLines[index];
      if (labelLine !== undefined) flow.drawText(textOf(labelLine), MARGIN_LEFT, baseline, labelStyle);
      if (valueLine !== undefined) flow.drawText(textOf(valueLine), valueX, baseline, row.valueStyle);
      flow.top -= leading;
    }
  }
}

interface LaidOutCell {
  readonly lines: readonly Line[];
  readonly align: 'left' | 'centre';
}

/**
 * A bordered table. A row is kept whole on a page when it fits on one; only a row taller than a
 * whole page is cut between its lines. Every page the table reaches starts with its header row.
 */
function drawTable(flow: PageFlow, table: TableBlock): void {
  const size = table.size ?? SIZE.table;
  const leading = size + 3;
  const totalWidth = table.columns.reduce((sum, column) => sum + column.width, 0);
  const widths = table.columns.map((column) => (column.width / totalWidth) * flow.geometry.contentWidth);
  const layOut = (cells: readonly string[], style: TextStyle, headerRow: boolean): LaidOutCell[] =>
    table.columns.map((column, index) => ({
      lines: flow.lines(cells[index] ?? '', style, (widths[index] ?? 0) - 2 * SPACE.cellPadding),
      align: headerRow ? 'centre' : (column.align ?? 'left'),
    }));
  const headerStyle: TextStyle = { font: 'bold', size };
  const cellStyle: TextStyle = { font: 'regular', size };
  const header = layOut(
    table.columns.map((column) => column.header),
    headerStyle,
    true,
  );
  const heightOf = (lineCount: number): number => lineCount * leading + 2 * SPACE.cellPadding;
  const lineCountOf = (cells: readonly LaidOutCell[]): number => Math.max(1, ...cells.map((cell) => cell.lines.length));
  const headerHeight = heightOf(lineCountOf(header));
  const drawSlice = (cells: readonly LaidOutCell[], from: number, to: number, style: TextStyle, filled: boolean): void => {
    const height = heightOf(to - from);
    const top = flow.top;
    if (filled) flow.currentPage.drawRectangle({ x: MARGIN_LEFT, y: top - height, width: flow.geometry.contentWidth, height, color: HEADER_ROW_FILL });
    let x = MARGIN_LEFT;
    cells.forEach((cell, index) => {
      const width = widths[index] ?? 0;
      cell.lines.slice(from, to).forEach((line, lineIndex) => {
        const text = textOf(line);
        const baseline = top - SPACE.cellPadding - lineIndex * leading - size;
        const textX = cell.align === 'centre' ? x + (width - flow.width(text, style)) / 2 : x + SPACE.cellPadding;
        flow.drawText(text, textX, baseline, style);
      });
      flow.drawVerticalRule(x, top, top - height, 0.5);
      x += width;
    });
    flow.drawVerticalRule(x, top, top - height, 0.5);
    flow.drawRule(MARGIN_LEFT, x, top, 0.5);
    flow.drawRule(MARGIN_LEFT, x, top - height, 0.5);
    flow.top -= height;
  };
  const drawHeaderRow = (): void => drawSlice(header, 0, lineCountOf(header), headerStyle, true);
  const pageBreak = (): void => {
    flow.newPage();
    drawHeaderRow();
  };

  const rows = table.rows.map((cells) => layOut(cells, cellStyle, false));
  flow.ensureRoom(headerHeight + heightOf(rows[0] === undefined ? 1 : lineCountOf(rows[0])));
  drawHeaderRow();
  const fullPageRoom = flow.bodyTop - BODY_BOTTOM - headerHeight;
  for (const row of rows) {
    const lineCount = lineCountOf(row);
    if (heightOf(lineCount) > flow.room && heightOf(lineCount) <= fullPageRoom) pageBreak();
    let from = 0;
    while (from < lineCount) {
      const fitting = Math.floor((flow.room - 2 * SPACE.cellPadding) / leading);
      if (fitting < 1) {
        pageBreak();
        continue;
      }
      const to = Math.min(lineCount, from + fitting);
      drawSlice(row, from, to, cellStyle, false);
      from = to;
      if (from < lineCount) pageBreak();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Closing: the QR code (left) and the signature (right), kept together so a signature never sits
// alone on a page.

function drawClosing(flow: PageFlow, layout: DocumentLayout): void {
  const { rightColumn } = flow.geometry;
  const positionStyle: TextStyle = { font: 'bold', size: SIZE.body };
  const boxStyle: TextStyle = { font: 'regular', size: SIZE.signatureBox };
  const nameStyle: TextStyle = { font: 'bold', size: SIZE.body };
  const captionStyle: TextStyle = { font: 'italic', size: 10 };
  const urlStyle: TextStyle = { font: 'regular', size: 8, color: GREY };
  const signerCentre = rightColumn.x + rightColumn.width / 2;
  const leading = SIZE.body + 4;
  const boxLeading = SIZE.signatureBox + 3;
  // The box spans the column up to the right margin (the column itself reaches 4 mm into it).
  const boxX = rightColumn.x;
  const boxWidth = flow.geometry.width - MARGIN_RIGHT - boxX;

  const positionLines = flow.lines(upper(layout.signature.position), positionStyle, rightColumn.width);
  const boxLines = layout.signature.boxLines.flatMap((line) => flow.lines(line, boxStyle, boxWidth - 2 * SPACE.signatureBoxPadding));
  const boxHeight = boxLines.length * boxLeading + 2 * SPACE.signatureBoxPadding - 3;
  const nameLines = flow.lines(layout.signature.name, nameStyle, rightColumn.width);
  const captionLines = flow.lines(QR_CAPTION, captionStyle, QR_COLUMN_WIDTH);
  const urlLines = breakUrl(layout.verifyUrl, flow.font('regular'), urlStyle.size, QR_COLUMN_WIDTH);
  const signerHeight = positionLines.length * leading + 6 + boxHeight + 10 + nameLines.length * leading;
  const qrHeight = QR_SIZE + 6 + captionLines.length * 12 + urlLines.length * 10;

  flow.top -= 10;
  flow.ensureRoom(Math.max(signerHeight, qrHeight));
  const closingTop = flow.top;

  // Signer, centred in the same column as the national header.
  for (const line of positionLines) {
    flow.drawCentred(textOf(line), signerCentre, flow.top - SIZE.body, positionStyle);
    flow.top -= leading;
  }
  flow.top -= 6;
  flow.currentPage.drawRectangle({ x: boxX, y: flow.top - boxHeight, width: boxWidth, height: boxHeight, borderColor: BLACK, borderWidth: 0.8 });
  boxLines.forEach((line, index) => {
    flow.drawText(textOf(line), boxX + SPACE.signatureBoxPadding, flow.top - SPACE.signatureBoxPadding - index * boxLeading - SIZE.signatureBox + 1, boxStyle);
  });
  flow.top -= boxHeight + 10;
  for (const line of nameLines) {
    flow.drawCentred(textOf(line), signerCentre, flow.top - SIZE.body, nameStyle);
    flow.top -= leading;
  }
  const signerBottom = flow.top;

  // QR code, top-aligned with the signer's position, caption and URL under it.
  drawQrCode(flow.currentPage, layout.verifyUrl, MARGIN_LEFT, closingTop - QR_SIZE, QR_SIZE);
  let baseline = closingTop - QR_SIZE - 6 - captionStyle.size;
  for (const line of captionLines) {
    flow.drawText(textOf(line), MARGIN_LEFT, baseline, captionStyle);
    baseline -= 12;
  }
  for (const line of urlLines) {
    flow.drawText(line, MARGIN_LEFT, baseline + 2, urlStyle);
    baseline -= 10;
  }
  flow.top = Math.min(signerBottom, baseline);
}

/**
 * The QR code as vector squares (error correction M: survives a crease or a stamp over 15% of
 * it). The page around it is blank, which gives the four-module quiet zone the symbol needs.
 * Runs of dark modules in a row become one rectangle, all filled as one path.
 */
function drawQrCode(page: PDFPage, text: string, x: number, y: number, size: number): void {
  const { modules } = createQrCode(text, { errorCorrectionLevel: 'M' });
  const moduleSize = size / modules.size;
  const rectangles = [];
  for (let row = 0; row < modules.size; row += 1) {
    let runStart = -1;
    for (let column = 0; column <= modules.size; column += 1) {
      const dark = column < modules.size && modules.get(row, column);
      if (dark && runStart < 0) runStart = column;
      if (!dark && runStart >= 0) {
        // Row 0 is the top of the symbol; PDF's y axis goes up.
        rectangles.push(rectangle(x + runStart * moduleSize, y + size - (row + 1) * moduleSize, (column - runStart) * moduleSize, moduleSize));
        runStart = -1;
      }
    }
  }
  page.pushOperators(pushGraphicsState(), setFillingGrayscaleColor(0), ...rectangles, fill(), popGraphicsState());
}

function setMetadata(pdf: PDFDocument, metadata: PdfMetadata): void {
  pdf.setTitle(metadata.title, { showInWindowTitleBar: true });
  pdf.setAuthor(metadata.author);
  pdf.setSubject(metadata.subject);
  pdf.setKeywords([...metadata.keywords]);
  pdf.setCreator('Một Cửa Số');
  pdf.setProducer('Một Cửa Số document renderer (pdf-lib)');
  pdf.setLanguage('vi-VN');
  pdf.setCreationDate(metadata.date);
  pdf.setModificationDate(metadata.date);
}
