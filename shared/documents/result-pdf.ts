/**
 * Electronic results ("kết quả bản điện tử"): an approved result, or a refusal notice ("văn bản từ
 * chối"), rendered as an A4 PDF e-copy in the look of Decree 30/2020/NĐ-CP (Appendix I).
 *
 * Layout, page 1: top left the issuing body ("ỦY BAN NHÂN DÂN" / the ward, bold, upper-case, with
 * a short rule under it) and "Số: …"; top right the national header and motto (the motto
 * underlined over its whole length) and, on the same row as "Số", the place and date in italics;
 * then the centred bold title; then the content, justified, first lines indented, continued on
 * further pages as needed; then the dossier's details; then, kept together on one page, the QR
 * code to the public verification page (bottom left, with its caption and URL) and the signer
 * (bottom right: position, "(Đã ký số)", name). Every page has a footer with the dossier code and
 * "Trang n/N"; from page 2 the page number also sits centred in the top margin, as the decree asks.
 *
 * Text: every string is normalised to NFC (the fonts map precomposed Vietnamese letters to their
 * own glyphs; pdf-lib does not position combining marks, so NFD input would misplace them).
 * In `content`, a blank line separates paragraphs and a single line break starts a new line
 * within one. A character the fonts cannot draw throws `UnrenderableTextError` rather than
 * printing a blank box on a legal document.
 *
 * Fonts: Tinos regular, bold and italic (Google's serif metric-compatible with Times New Roman,
 * the typeface Decree 30 prescribes; it covers Vietnamese), SIL Open Font License 1.1
 * (fonts/OFL.txt), copied unmodified from the npm package @expo-google-fonts/tinos 0.4.2 (Google
 * Fonts "v26"). They are read from `fonts/` next to this module (tsx: local mode and tests) or next
 * to the bundle's index.mjs (Lambda: WardFunction's bundling copies the folder there), once per
 * process, and embedded as subsets: only the glyphs a document uses go in (a one-page result is
 * about 42 KB, two pages 62 KB, against 1.6 MB of font files). The subsets are made by upstream
 * fontkit, not pdf-lib's fork, whose TrueType subsets lose glyphs (see ./fontkit.ts).
 *
 * Determinism: the same document gives the same bytes. The info dictionary's dates are
 * `issuedAt`, producer and creator are fixed, pdf-lib writes no trailer /ID and draws its resource
 * names from a generator seeded per document, and the subset font names get a tag derived from
 * the document itself (rather than pdf-lib's default numeric suffix), so two different documents
 * do not claim to embed the same subset.
 *
 * No AWS here: the caller hashes, signs and archives the bytes.
 *
 * Seen as a person sees it: tests/fixtures/result-sample.png is page 1 of the test sample at 110
 * dpi; the tests compare it with a fresh rendering, and `UPDATE_RESULT_SAMPLE=1 npx vitest run
 * tests/unit/result-pdf.test.ts` rewrites it after a deliberate layout change. The tests that read
 * the PDF back use poppler-utils (pdftotext, pdffonts, pdfinfo, pdftoppm), and skip, saying so,
 * where it is missing.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  PDFDocument,
  fill,
  grayscale,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setFillingGrayscaleColor,
  type Color,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';
import { create as createQrCode } from 'qrcode';
import { vietnamParts } from '../domain/time';
import { fontkitForPdfLib } from './fontkit';

export interface ResultDocument {
  /** An approved result, or a refusal notice ("văn bản từ chối"). */
  readonly kind: 'RESULT' | 'REFUSAL';
  /** e.g. `{ name: 'Phường Hoàn Kiếm', province: 'Thành phố Hà Nội' }`; the province goes only into the PDF's keywords. */
  readonly ward: { readonly name: string; readonly province: string };
  /**
   * The place in the date line ("<place>, ngày … tháng … năm …"). By default, as Decree 30 asks
   * for a body of a commune-level unit, the ward's own name without "Phường"/"Xã"/"Đặc khu"/
   * "Thị trấn" ("Hoàn Kiếm"), kept whole when the rest is a number ("Phường 1").
   */
  readonly placeName?: string;
  /** Printed as "Số: …", e.g. `12/2026/XN-UBND`. */
  readonly documentNumber: string;
  /**
   * For a RESULT, the document's name, printed upper-case (`GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN`).
   * For a REFUSAL, what was refused, printed as given under the heading "VĂN BẢN TỪ CHỐI GIẢI
   * QUYẾT HỒ SƠ" (e.g. `Về việc cấp Giấy xác nhận tình trạng hôn nhân`).
   */
  readonly title: string;
  /** Body text; a blank line separates paragraphs, a single line break starts a new line. */
  readonly content: string;
  /** e.g. `000.00.70.H26-261122-0001`. */
  readonly dossierCode: string;
  readonly procedureName: string;
  readonly applicant: { readonly fullName: string; readonly idNumber?: string; readonly address?: string };
  /** Shown in Vietnam time (UTC+7) in the date line; also the PDF's creation and modification dates. */
  readonly issuedAt: Date;
  /** `position` may hold several lines, e.g. `KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH`; printed upper-case. */
  readonly signer: { readonly name: string; readonly position: string };
  /** The public verification page the QR code points to. */
  readonly verifyUrl: string;
}

/** The heading of a refusal notice, above its title. */
export const REFUSAL_HEADING = 'VĂN BẢN TỪ CHỐI GIẢI QUYẾT HỒ SƠ';
export const NATIONAL_NAME = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
export const NATIONAL_MOTTO = 'Độc lập - Tự do - Hạnh phúc';
/** Tells a reader of the e-copy that the original carries a digital signature. */
export const DIGITALLY_SIGNED_NOTE = '(Đã ký số)';
export const QR_CAPTION = 'Quét mã để kiểm tra tính xác thực';

/** Thrown when a text holds a character the embedded fonts have no glyph for. */
export class UnrenderableTextError extends Error {
  readonly code = 'UNRENDERABLE_TEXT';
  constructor(readonly characters: readonly string[]) {
    super(`The result's fonts cannot draw: ${characters.map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`).join(', ')}`);
    this.name = 'UnrenderableTextError';
  }
}

export async function renderResultPdf(document: ResultDocument): Promise<Uint8Array> {
  const text = normaliseDocument(document);
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(fontkitForPdfLib);
  const fontFiles = loadFontFiles();
  const subsetTag = (role: string): string => `${subsetTagOf(document, role)}+`;
  const fonts: Fonts = {
    regular: await pdf.embedFont(fontFiles.regular, { subset: true, customName: `${subsetTag('regular')}Tinos-Regular` }),
    bold: await pdf.embedFont(fontFiles.bold, { subset: true, customName: `${subsetTag('bold')}Tinos-Bold` }),
    italic: await pdf.embedFont(fontFiles.italic, { subset: true, customName: `${subsetTag('italic')}Tinos-Italic` }),
  };

  const flow = new PageFlow(pdf, fonts);
  drawHeader(flow, text);
  drawTitle(flow, text);
  drawContent(flow, text.content);
  drawDetails(flow, text);
  drawClosing(flow, text);
  flow.finish(text.dossierCode);

  setMetadata(pdf, text);
  // Object streams off: a plain cross-reference table is what every checker and older reader knows.
  return pdf.save({ useObjectStreams: false });
}

// ---------------------------------------------------------------------------------------------
// Page geometry (PDF points; 1 mm = 72 / 25.4 pt). Margins are Decree 30's: top and bottom 20 mm,
// left 30 mm, right 15 mm. Sizes are within its ranges (body 13 pt, title 14 pt).

const MM = 72 / 25.4;
const PAGE_WIDTH = 210 * MM;
const PAGE_HEIGHT = 297 * MM;
const MARGIN_TOP = 20 * MM;
const MARGIN_BOTTOM = 20 * MM;
const MARGIN_LEFT = 30 * MM;
const MARGIN_RIGHT = 15 * MM;
const CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/** The footer sits in the bottom margin; the body stops this far above it. */
const BODY_BOTTOM = MARGIN_BOTTOM + 14;
const FOOTER_BASELINE = MARGIN_BOTTOM - 14;

/** The header's left column (issuing body, "Số") and right column (national header, date). */
const LEFT_COLUMN = { x: MARGIN_LEFT - 6 * MM, width: 72 * MM };
const RIGHT_COLUMN = { x: MARGIN_LEFT + 66 * MM, width: CONTENT_WIDTH - 66 * MM + 4 * MM };

const BODY_SIZE = 13;
const BODY_LEADING = 18;
const PARAGRAPH_GAP = 6;
const FIRST_LINE_INDENT = 10 * MM;
const HEADER_SIZE = 13;
const NATIONAL_NAME_MAX_SIZE = 13;
const TITLE_SIZE = 14;
const DETAILS_SIZE = 12;
const DETAILS_LABEL_WIDTH = 44 * MM;
const QR_SIZE = 28 * MM;
const QR_COLUMN_WIDTH = 58 * MM;
const SIGNATURE_SPACE = 44;
const FOOTER_SIZE = 9;
const BLACK = grayscale(0);
const GREY = grayscale(0.35);

// ---------------------------------------------------------------------------------------------
// Fonts

interface Fonts {
  readonly regular: PDFFont;
  readonly bold: PDFFont;
  readonly italic: PDFFont;
}
type FontStyle = keyof Fonts;

interface FontFiles {
  readonly regular: Uint8Array;
  readonly bold: Uint8Array;
  readonly italic: Uint8Array;
}

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
function subsetTagOf(document: ResultDocument, role: string): string {
  const digest = createHash('sha256').update(JSON.stringify(document)).update(role).digest();
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
// Text normalisation

type NormalisedDocument = ResultDocument & { readonly placeName: string };

function normaliseDocument(document: ResultDocument): NormalisedDocument {
  const ward = { name: singleLine(document.ward.name), province: singleLine(document.ward.province) };
  return {
    kind: document.kind,
    ward,
    placeName: document.placeName === undefined ? placeNameOf(ward.name) : singleLine(document.placeName),
    documentNumber: singleLine(document.documentNumber),
    title: singleLine(document.title),
    content: multiLine(document.content),
    dossierCode: singleLine(document.dossierCode),
    procedureName: singleLine(document.procedureName),
    applicant: {
      fullName: singleLine(document.applicant.fullName),
      ...(document.applicant.idNumber === undefined ? {} : { idNumber: singleLine(document.applicant.idNumber) }),
      ...(document.applicant.address === undefined ? {} : { address: singleLine(document.applicant.address) }),
    },
    issuedAt: document.issuedAt,
    signer: { name: singleLine(document.signer.name), position: multiLine(document.signer.position) },
    verifyUrl: document.verifyUrl.trim(),
  };
}

/** NFC, line breaks unified, tabs and other control characters turned into spaces, runs of spaces collapsed. */
function multiLine(text: string): string {
  const unified = text.normalize('NFC').replace(/\r\n?/g, '\n');
  return Array.from(unified, (character) => (character !== '\n' && isSpaceOrControl(character) ? ' ' : character))
    .join('')
    .replace(/ {2,}/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

function isSpaceOrControl(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return /\s/u.test(character) || code < 0x20 || (code >= 0x7f && code < 0xa0);
}

function singleLine(text: string): string {
  return multiLine(text).replace(/\n/g, ' ');
}

const UNIT_PREFIX = /^(?:Phường|Xã|Đặc khu|Thị trấn)\s+/iu;

/** Decree 30: the place is the official name of the unit where the body sits, without its type word unless it is a number. */
export function placeNameOf(wardName: string): string {
  const name = singleLine(wardName);
  const bare = name.replace(UNIT_PREFIX, '');
  return /^\d+$/.test(bare) ? name : bare;
}

/** "Hoàn Kiếm, ngày 05 tháng 01 năm 2026": Decree 30 writes a leading zero for days below 10 and for months 1 and 2 only. */
export function dateLineOf(placeName: string, issuedAt: Date): string {
  const { day, month, year } = vietnamParts(issuedAt);
  const monthText = month <= 2 ? String(month).padStart(2, '0') : String(month);
  return `${placeName}, ngày ${String(day).padStart(2, '0')} tháng ${monthText} năm ${year}`;
}

const upper = (text: string): string => text.toLocaleUpperCase('vi').normalize('NFC');

// ---------------------------------------------------------------------------------------------
// Line breaking

/** One laid-out line: its words, and whether it ends its paragraph (a last line is never stretched). */
interface Line {
  readonly words: readonly string[];
  readonly endsParagraph: boolean;
}

/**
 * Greedy line breaking on spaces; a word wider than the line (a URL, a long code) is cut between
 * characters. `firstLineWidth` allows a first-line indent.
 */
function breakLines(text: string, font: PDFFont, size: number, width: number, firstLineWidth = width): Line[] {
  const lines: Line[] = [];
  for (const hardLine of text.split('\n')) {
    const words = hardLine.split(' ').filter((word) => word !== '');
    const spaceWidth = textWidth(font, ' ', size);
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
    readonly fonts: Fonts,
  ) {
    this.page = this.addPage();
    this.top = PAGE_HEIGHT - MARGIN_TOP;
  }

  get currentPage(): PDFPage {
    return this.page;
  }

  /** Starts a new page unless `height` still fits above the footer. */
  ensureRoom(height: number): void {
    if (this.top - height < BODY_BOTTOM) {
      this.page = this.addPage();
      this.top = PAGE_HEIGHT - MARGIN_TOP;
    }
  }

  font(style: FontStyle): PDFFont {
    return this.fonts[style];
  }

  width(text: string, style: TextStyle): number {
    return textWidth(this.font(style.font), text, style.size);
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

  /**
   * Lines centred on `centreX`, each wrapped to `width`, from the cursor down; page breaks between
   * lines if needed. Returns the baseline of the last line.
   */
  centredBlock(text: string, centreX: number, width: number, style: TextStyle, leading: number): number {
    let baseline = this.top;
    for (const line of breakLines(text, this.font(style.font), style.size, width)) {
      this.ensureRoom(leading);
      baseline = this.top - style.size;
      this.drawCentred(line.words.join(' '), centreX, baseline, style);
      this.top -= leading;
    }
    return baseline;
  }

  /** Paragraphs justified between `x` and `x + width`, each first line indented. */
  justifiedParagraph(text: string, x: number, width: number, style: TextStyle, leading: number, indent: number): void {
    const font = this.font(style.font);
    const spaceWidth = textWidth(font, ' ', style.size);
    breakLines(text, font, style.size, width, width - indent).forEach((line, index) => {
      this.ensureRoom(leading);
      const baseline = this.top - style.size;
      const lineX = index === 0 ? x + indent : x;
      const lineWidth = index === 0 ? width - indent : width;
      const wordWidths = line.words.map((word) => textWidth(font, word, style.size));
      const naturalWidth = wordWidths.reduce((sum, w) => sum + w, 0) + spaceWidth * Math.max(0, line.words.length - 1);
      if (line.endsParagraph || line.words.length < 2) {
        this.drawText(line.words.join(' '), lineX, baseline, style);
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
  finish(dossierCode: string): void {
    const footerStyle: TextStyle = { font: 'italic', size: FOOTER_SIZE, color: GREY };
    const count = this.pages.length;
    this.pages.forEach((page, index) => {
      const pageLabel = `Trang ${index + 1}/${count}`;
      this.drawText(`Mã hồ sơ: ${dossierCode}`, MARGIN_LEFT, FOOTER_BASELINE, footerStyle, page);
      this.drawText(pageLabel, PAGE_WIDTH - MARGIN_RIGHT - this.width(pageLabel, footerStyle), FOOTER_BASELINE, footerStyle, page);
      if (index > 0) {
        const number = String(index + 1);
        const numberStyle: TextStyle = { font: 'regular', size: BODY_SIZE };
        this.drawText(number, MARGIN_LEFT + (CONTENT_WIDTH - this.width(number, numberStyle)) / 2, PAGE_HEIGHT - MARGIN_TOP / 2 - 4, numberStyle, page);
      }
    });
  }

  private addPage(): PDFPage {
    const page = this.pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    this.pages.push(page);
    return page;
  }
}

// ---------------------------------------------------------------------------------------------
// Sections

function drawHeader(flow: PageFlow, document: NormalisedDocument): void {
  const headerTop = flow.top;
  const leftCentre = LEFT_COLUMN.x + LEFT_COLUMN.width / 2;
  const rightCentre = RIGHT_COLUMN.x + RIGHT_COLUMN.width / 2;
  const bodyStyle: TextStyle = { font: 'bold', size: HEADER_SIZE };
  const leading = HEADER_SIZE + 3;

  // Left: the issuing body, bold upper-case, then a rule of about 40% of its last line (Decree 30: 1/3 to 1/2).
  const issuer = upper(`Ủy ban nhân dân\n${document.ward.name}`);
  const issuerBaseline = flow.centredBlock(issuer, leftCentre, LEFT_COLUMN.width, bodyStyle, leading);
  const widestIssuerLine = Math.max(...issuer.split('\n').map((line) => flow.width(line, bodyStyle)));
  const issuerRuleWidth = Math.min(widestIssuerLine, LEFT_COLUMN.width) * 0.4;
  const issuerRuleY = issuerBaseline - 6.5;
  flow.drawRule(leftCentre - issuerRuleWidth / 2, leftCentre + issuerRuleWidth / 2, issuerRuleY);

  // Right: the national name (shrunk if a narrow column needs it) and the motto, underlined over its length.
  flow.top = headerTop;
  const nationalNameStyle = fitToWidth(flow, NATIONAL_NAME, { font: 'bold', size: NATIONAL_NAME_MAX_SIZE }, RIGHT_COLUMN.width);
  const nationalBaseline = headerTop - nationalNameStyle.size;
  flow.drawCentred(NATIONAL_NAME, rightCentre, nationalBaseline, nationalNameStyle);
  const mottoStyle: TextStyle = { font: 'bold', size: HEADER_SIZE + 1 };
  const mottoBaseline = nationalBaseline - leading - 1;
  flow.drawCentred(NATIONAL_MOTTO, rightCentre, mottoBaseline, mottoStyle);
  const mottoWidth = flow.width(NATIONAL_MOTTO, mottoStyle);
  const mottoRuleY = mottoBaseline - 6.5;
  flow.drawRule(rightCentre - mottoWidth / 2, rightCentre + mottoWidth / 2, mottoRuleY);

  // The number and the date share one row, below both rules.
  flow.top = Math.min(issuerRuleY, mottoRuleY) - 8;
  const rowTop = flow.top;
  // A long number shrinks rather than wraps: "Số:" and the number read as one line.
  const numberLine = `Số: ${document.documentNumber}`;
  flow.centredBlock(numberLine, leftCentre, LEFT_COLUMN.width, fitToWidth(flow, numberLine, { font: 'regular', size: HEADER_SIZE }, LEFT_COLUMN.width), leading);
  const numberBottom = flow.top;
  flow.top = rowTop;
  flow.centredBlock(dateLineOf(document.placeName, document.issuedAt), rightCentre, RIGHT_COLUMN.width, { font: 'italic', size: HEADER_SIZE }, leading);
  flow.top = Math.min(flow.top, numberBottom) - 22;
}

/** The style at the largest size up to `style.size` (and down to 9 pt) at which `text` fits `width`. */
function fitToWidth(flow: PageFlow, text: string, style: TextStyle, width: number): TextStyle {
  const naturalWidth = flow.width(text, style);
  return naturalWidth <= width ? style : { ...style, size: Math.max(9, Math.floor(((style.size * width) / naturalWidth) * 10) / 10) };
}

function drawTitle(flow: PageFlow, document: NormalisedDocument): void {
  const centre = MARGIN_LEFT + CONTENT_WIDTH / 2;
  const width = CONTENT_WIDTH * 0.9;
  if (document.kind === 'REFUSAL') {
    flow.centredBlock(REFUSAL_HEADING, centre, width, { font: 'bold', size: TITLE_SIZE }, TITLE_SIZE + 5);
    flow.centredBlock(document.title, centre, width, { font: 'bold', size: BODY_SIZE }, BODY_SIZE + 5);
  } else {
    flow.centredBlock(upper(document.title), centre, width, { font: 'bold', size: TITLE_SIZE }, TITLE_SIZE + 5);
  }
  flow.top -= 16;
}

function drawContent(flow: PageFlow, content: string): void {
  const style: TextStyle = { font: 'regular', size: BODY_SIZE };
  for (const paragraph of content.split(/\n{2,}/)) {
    flow.justifiedParagraph(paragraph, MARGIN_LEFT, CONTENT_WIDTH, style, BODY_LEADING, FIRST_LINE_INDENT);
    flow.top -= PARAGRAPH_GAP;
  }
}

/** The dossier's identifiers, as label / value rows; the value wraps beside its label. */
function drawDetails(flow: PageFlow, document: NormalisedDocument): void {
  const rows: { label: string; value: string; valueFont: FontStyle }[] = [
    { label: 'Mã hồ sơ:', value: document.dossierCode, valueFont: 'bold' },
    { label: 'Thủ tục hành chính:', value: document.procedureName, valueFont: 'regular' },
    { label: 'Người nộp hồ sơ:', value: document.applicant.fullName, valueFont: 'bold' },
  ];
  if (document.applicant.idNumber !== undefined) rows.push({ label: 'Số định danh cá nhân:', value: document.applicant.idNumber, valueFont: 'regular' });
  if (document.applicant.address !== undefined) rows.push({ label: 'Địa chỉ:', value: document.applicant.address, valueFont: 'regular' });

  const leading = DETAILS_SIZE + 4;
  const labelStyle: TextStyle = { font: 'italic', size: DETAILS_SIZE };
  const valueWidth = CONTENT_WIDTH - DETAILS_LABEL_WIDTH;
  const laidOutRows = rows.map((row) => ({ ...row, lines: breakLines(row.value, flow.font(row.valueFont), DETAILS_SIZE, valueWidth) }));
  const ruleGap = 8;
  flow.top -= 6;
  // Kept on one page: the identifiers read as one block (a page break falls inside only if it is taller than a page).
  flow.ensureRoom(ruleGap + leading * laidOutRows.reduce((sum, row) => sum + row.lines.length, 0));
  flow.drawRule(MARGIN_LEFT, MARGIN_LEFT + CONTENT_WIDTH, flow.top, 0.4);
  flow.top -= ruleGap;
  for (const row of laidOutRows) {
    const valueStyle: TextStyle = { font: row.valueFont, size: DETAILS_SIZE };
    row.lines.forEach((line, index) => {
      flow.ensureRoom(leading);
      const baseline = flow.top - DETAILS_SIZE;
      if (index === 0) flow.drawText(row.label, MARGIN_LEFT, baseline, labelStyle);
      flow.drawText(line.words.join(' '), MARGIN_LEFT + DETAILS_LABEL_WIDTH, baseline, valueStyle);
      flow.top -= leading;
    });
  }
}

/** The QR code (left) and the signer (right), kept together so a signature never sits alone on a page. */
function drawClosing(flow: PageFlow, document: NormalisedDocument): void {
  const positionStyle: TextStyle = { font: 'bold', size: BODY_SIZE };
  const noteStyle: TextStyle = { font: 'italic', size: 12 };
  const nameStyle: TextStyle = { font: 'bold', size: BODY_SIZE };
  const captionStyle: TextStyle = { font: 'italic', size: 10 };
  const urlStyle: TextStyle = { font: 'regular', size: 8 };
  const signerWidth = RIGHT_COLUMN.width;
  const signerCentre = RIGHT_COLUMN.x + RIGHT_COLUMN.width / 2;
  const leading = BODY_SIZE + 4;

  const positionLines = breakLines(upper(document.signer.position), flow.font('bold'), BODY_SIZE, signerWidth);
  const nameLines = breakLines(document.signer.name, flow.font('bold'), BODY_SIZE, signerWidth);
  const captionLines = breakLines(QR_CAPTION, flow.font('italic'), captionStyle.size, QR_COLUMN_WIDTH);
  const urlLines = breakUrl(document.verifyUrl, flow.font('regular'), urlStyle.size, QR_COLUMN_WIDTH);
  const signerHeight = positionLines.length * leading + 6 + leading + SIGNATURE_SPACE + nameLines.length * leading;
  const qrHeight = QR_SIZE + 6 + captionLines.length * 12 + urlLines.length * 10;

  flow.top -= 14;
  flow.ensureRoom(Math.max(signerHeight, qrHeight));
  const closingTop = flow.top;

  // Signer, centred in the same column as the national header.
  for (const line of positionLines) {
    flow.drawCentred(line.words.join(' '), signerCentre, flow.top - BODY_SIZE, positionStyle);
    flow.top -= leading;
  }
  flow.top -= 6;
  flow.drawCentred(DIGITALLY_SIGNED_NOTE, signerCentre, flow.top - noteStyle.size, noteStyle);
  flow.top -= leading + SIGNATURE_SPACE;
  for (const line of nameLines) {
    flow.drawCentred(line.words.join(' '), signerCentre, flow.top - BODY_SIZE, nameStyle);
    flow.top -= leading;
  }
  const signerBottom = flow.top;

  // QR code, top-aligned with the signer's position, caption and URL under it.
  const qrX = MARGIN_LEFT;
  drawQrCode(flow.currentPage, document.verifyUrl, qrX, closingTop - QR_SIZE, QR_SIZE);
  let baseline = closingTop - QR_SIZE - 6 - captionStyle.size;
  for (const line of captionLines) {
    flow.drawText(line.words.join(' '), qrX, baseline, captionStyle);
    baseline -= 12;
  }
  for (const line of urlLines) {
    flow.drawText(line, qrX, baseline + 2, { ...urlStyle, color: GREY });
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

function setMetadata(pdf: PDFDocument, document: NormalisedDocument): void {
  const title = document.kind === 'REFUSAL' ? `${REFUSAL_HEADING}: ${document.title}` : upper(document.title);
  pdf.setTitle(title, { showInWindowTitleBar: true });
  pdf.setAuthor(document.ward.name);
  pdf.setSubject(`${document.procedureName} (hồ sơ ${document.dossierCode})`);
  pdf.setKeywords([document.dossierCode, document.documentNumber, `${document.ward.name}, ${document.ward.province}`]);
  pdf.setCreator('Một Cửa Số');
  pdf.setProducer('Một Cửa Số result renderer (pdf-lib)');
  pdf.setLanguage('vi-VN');
  pdf.setCreationDate(document.issuedAt);
  pdf.setModificationDate(document.issuedAt);
}
