import { readFileSync, statSync } from 'node:fs';
import { create as createFont, type Font } from 'fontkit';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, decodePDFRawStream } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DOCUMENT_TITLES,
  NATIONAL_MOTTO,
  NATIONAL_NAME,
  QR_CAPTION,
  UnrenderableTextError,
  dateLineOf,
  placeNameOf,
  renderResultPdf,
  type ResultDocument,
} from '../../shared/documents/result-pdf';
import { POPPLER_MISSING, PdfReader, differenceFromSample, hasPoppler, occurrences } from '../fixtures/forms/pdf-reading';

/**
 * The sample's last page, where the text ends and the signature block sits, at 110 dpi;
 * `UPDATE_DOCUMENT_SAMPLES=1 npx vitest run tests/unit/result-pdf.test.ts` rewrites it. (Page 1's
 * header is the forms' own: see tests/fixtures/forms/.)
 */
const SAMPLE_PNG = new URL('../fixtures/result-sample.png', import.meta.url);

const FONT_FILES_BYTES = ['Tinos-Regular.ttf', 'Tinos-Bold.ttf', 'Tinos-Italic.ttf']
  .map((file) => statSync(new URL(`../../shared/documents/fonts/${file}`, import.meta.url)).size)
  .reduce((sum, size) => sum + size, 0);

const PARAGRAPHS = [
  'Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014; Nghị định số 123/2015/NĐ-CP ngày 15 tháng 11 năm 2015 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch; Thông tư số 04/2020/TT-BTP ngày 28 tháng 5 năm 2020 của Bộ trưởng Bộ Tư pháp quy định chi tiết thi hành một số điều của Luật Hộ tịch;',
  'Xét đề nghị của công chức Tư pháp - Hộ tịch và hồ sơ của người yêu cầu nộp qua Bộ phận Một cửa điện tử của phường,',
  'XÁC NHẬN: Bà Nguyễn Thị Phượng Hằng, sinh ngày 05 tháng 02 năm 1992, giới tính: Nữ, dân tộc: Kinh, quốc tịch: Việt Nam, nơi cư trú: số 18 ngõ Hàng Khoai, phường Hoàn Kiếm, thành phố Hà Nội.',
  'Tình trạng hôn nhân: Chưa đăng ký kết hôn với ai trong thời gian cư trú tại phường Hoàn Kiếm từ ngày 01 tháng 7 năm 2025 đến ngày cấp giấy xác nhận này. Giấy này được cấp để làm thủ tục đăng ký kết hôn tại Ủy ban nhân dân phường Hoàn Kiếm, thành phố Hà Nội; không có giá trị khi sử dụng vào mục đích khác.',
  'Những chữ có dấu phải hiện đúng: ắ ằ ẳ ẵ ặ, ấ ầ ẩ ẫ ậ, ố ồ ổ ỗ ộ, ớ ờ ở ỡ ợ, ứ ừ ử ữ ự, ế ề ể ễ ệ, ỳ ỷ ỹ ỵ, đ Đ ơ Ơ ư Ư; những dòng dài được ngắt đúng chỗ và căn đều hai bên lề.',
];

const SAMPLE: ResultDocument = {
  kind: 'RESULT',
  ward: { name: 'Phường Hoàn Kiếm', province: 'Thành phố Hà Nội' },
  documentNumber: '12/2026/XN-UBND',
  title: 'Giấy xác nhận tình trạng hôn nhân',
  // Long enough to need a second page; paragraph 5 repeats so the break lands mid-paragraph.
  content: [...PARAGRAPHS, ...PARAGRAPHS.slice(1, 4), PARAGRAPHS[4] ?? ''].join('\n\n'),
  dossierCode: '000.00.70.H26-261122-0001',
  procedureName: 'Cấp Giấy xác nhận tình trạng hôn nhân (thủ tục hành chính cấp xã, lĩnh vực hộ tịch)',
  applicant: {
    fullName: 'Nguyễn Thị Phượng Hằng Tôn Nữ Thục Trinh',
    idNumber: '001192012345',
    address: 'Số 18 ngõ Hàng Khoai, tổ dân phố số 7, phường Hoàn Kiếm, thành phố Hà Nội',
  },
  issuedAt: new Date('2026-01-05T02:30:00Z'), // 09:30 on 5 January 2026, Vietnam time
  signature: {
    signerName: 'Trần Văn Nam',
    signerPosition: 'KT. Chủ tịch\nPhó Chủ tịch',
    signedAt: new Date('2026-01-05T02:30:00Z'),
    organization: 'Ủy ban nhân dân Phường Hoàn Kiếm',
    authority: 'CONFIGURED_CA',
    certificateIssuer: 'Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ',
  },
  verifyUrl: 'https://motcuaso.example.vn/hoan-kiem/xac-thuc/000.00.70.H26-261122-0001?ma=7F3K-9QX2',
};

const { title: _resultTitle, ...common } = SAMPLE;
const REFUSAL: ResultDocument = {
  ...common,
  kind: 'REFUSAL',
  documentNumber: '03/2026/TB-UBND',
  subject: 'Về việc cấp Giấy xác nhận tình trạng hôn nhân',
  content: 'Hồ sơ chưa có văn bản xác nhận nơi cư trú trước đây của người yêu cầu.\n\nĐề nghị bà bổ sung giấy tờ theo quy định rồi nộp lại hồ sơ.',
};

const reader = new PdfReader();
let samplePdf: Uint8Array;

beforeAll(async () => {
  samplePdf = await renderResultPdf(SAMPLE);
});

afterAll(() => reader.dispose());

describe('renderResultPdf', () => {
  it('writes a PDF, byte for byte the same for the same document, whatever was rendered before', async () => {
    await renderResultPdf(REFUSAL);
    const again = await renderResultPdf(SAMPLE);

    expect(Buffer.from(samplePdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(Buffer.from(again).equals(Buffer.from(samplePdf))).toBe(true);
  });

  it('differs when the document differs', async () => {
    const other = await renderResultPdf({ ...SAMPLE, dossierCode: '000.00.70.H26-261122-0002' });

    expect(Buffer.from(other).equals(Buffer.from(samplePdf))).toBe(false);
  });

  it('takes its metadata dates from issuedAt and names the ward as author', () => {
    const latin1 = Buffer.from(samplePdf).toString('latin1');

    expect(latin1).toContain('/CreationDate (D:20260105023000Z)');
    expect(latin1).toContain('/ModDate (D:20260105023000Z)');
    expect(latin1).not.toMatch(/\/ID\s*\[/);
    expect(latin1).toContain(`/Author <${utf16Hex('Phường Hoàn Kiếm')}>`);
    expect(latin1).toContain(`/Title <${utf16Hex('GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN')}>`);
  });

  it('embeds subsets of the fonts, far smaller than the font files', () => {
    expect(samplePdf.byteLength).toBeLessThan(FONT_FILES_BYTES / 8);
  });

  it('embeds, for every character, the very outline of the font file (no glyph lost to subsetting)', async () => {
    const embedded = await embeddedFonts(samplePdf);

    expect(embedded.map((font) => font.baseFont.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['Tinos-Bold', 'Tinos-Italic', 'Tinos-Regular']);
    let compared = 0;
    for (const { baseFont, subset, toUnicode } of embedded) {
      const original = loadFont(readFileSync(new URL(`../../shared/documents/fonts/${baseFont.slice(7)}.ttf`, import.meta.url)));
      for (const [glyphId, text] of toUnicode) {
        const [originalGlyph, ...more] = original.layout(text).glyphs;
        expect(more, text).toHaveLength(0);
        expect(subset.getGlyph(glyphId).path.toSVG(), `${baseFont} ${text}`).toBe(originalGlyph?.path.toSVG());
        expect(subset.getGlyph(glyphId).advanceWidth, `${baseFont} ${text}`).toBe(originalGlyph?.advanceWidth);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('declares every embedded font as a subset (pdffonts)', ({ skip }) => {
    skip(!hasPoppler, POPPLER_MISSING);
    const fontRows = reader.fonts(samplePdf);

    expect(fontRows).toHaveLength(3);
    for (const row of fontRows) expect(row).toMatch(/^[A-Z]{6}\+Tinos-(Regular|Bold|Italic)\s+CID TrueType\s+Identity-H\s+yes yes yes/);
  });

  it('holds the header, title, date, dossier and applicant as exact Vietnamese text, over more than one page', ({ skip }) => {
    skip(!hasPoppler, POPPLER_MISSING);
    const text = reader.text(samplePdf);

    expect(reader.pageCount(samplePdf)).toBeGreaterThan(1);
    for (const expected of [
      NATIONAL_NAME,
      NATIONAL_MOTTO,
      'ỦY BAN NHÂN DÂN',
      'PHƯỜNG HOÀN KIẾM',
      'Số: 12/2026/XN-UBND',
      'Hoàn Kiếm, ngày 05 tháng 01 năm 2026',
      'GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN',
      '000.00.70.H26-261122-0001',
      'Nguyễn Thị Phượng Hằng Tôn Nữ Thục Trinh',
      '001192012345',
      'ắ ằ ẳ ẵ ặ',
      'ứ ừ ử ữ ự',
      'KT. CHỦ TỊCH',
      'PHÓ CHỦ TỊCH',
      QR_CAPTION,
      'Trang 2/2',
    ]) {
      expect(occurrences(text, expected), expected).toBeGreaterThan(0);
    }
    // What pdftotext gives back is already NFC: the PDF maps each glyph to a precomposed letter.
    expect(text).toBe(text.normalize('NFC'));
  });

  it('signs in the signer\'s place with what the signature is, and no longer claims "(Đã ký số)"', ({ skip }) => {
    skip(!hasPoppler, POPPLER_MISSING);
    const text = reader.text(samplePdf);

    for (const line of [
      'Ký số bởi: Ủy ban nhân dân Phường Hoàn Kiếm',
      'Người ký: Trần Văn Nam',
      'Thời gian ký: 09:30, 05/01/2026',
      'Chứng thư số do Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ cấp',
    ]) {
      expect(occurrences(text, line), line).toBe(1);
    }
    expect(text).not.toContain('(Đã ký số)');
  });

  it('prints NFD input as the same NFC text', async ({ skip }) => {
    skip(!hasPoppler, POPPLER_MISSING);
    const text = reader.text(await renderResultPdf({ ...SAMPLE, applicant: { fullName: 'Nguyễn Thị Phượng Hằng'.normalize('NFD') } }));

    expect(text).toContain('Nguyễn Thị Phượng Hằng');
  });

  it('heads a refusal notice with its title once, and its subject under it', async ({ skip }) => {
    skip(!hasPoppler, POPPLER_MISSING);
    const text = reader.text(await renderResultPdf(REFUSAL));

    expect(occurrences(text, DOCUMENT_TITLES.REFUSAL)).toBe(1);
    expect(occurrences(text, 'TỪ CHỐI GIẢI QUYẾT HỒ SƠ')).toBe(1);
    expect(occurrences(text, 'Về việc cấp Giấy xác nhận tình trạng hôn nhân')).toBe(1);
    expect(text).toContain('Số: 03/2026/TB-UBND');
  });

  it('prints the title once even when the subject only repeats it', async ({ skip }) => {
    skip(!hasPoppler, POPPLER_MISSING);
    const text = reader.text(await renderResultPdf({ ...REFUSAL, subject: 'Thông báo từ chối giải quyết hồ sơ' }));

    expect(occurrences(text, 'TỪ CHỐI GIẢI QUYẾT HỒ SƠ')).toBe(1);
    expect(occurrences(text, 'từ chối giải quyết hồ sơ')).toBe(0);
  });

  it('draws a QR code that decodes to the verification URL', ({ skip }) => {
    skip(!hasPoppler, POPPLER_MISSING);

    expect(reader.qrCode(samplePdf, reader.pageCount(samplePdf))).toBe(SAMPLE.verifyUrl);
  });

  it('matches the committed sample picture of its last page (UPDATE_DOCUMENT_SAMPLES=1 rewrites it)', ({ skip }) => {
    skip(!hasPoppler, POPPLER_MISSING);

    const { sizes, share } = differenceFromSample(reader, samplePdf, SAMPLE_PNG, reader.pageCount(samplePdf));

    expect(sizes[0]).toEqual(sizes[1]);
    expect(share).toBeLessThan(0.005);
  });

  it('refuses a character the fonts cannot draw rather than print a blank box', async () => {
    const attempt = renderResultPdf({ ...SAMPLE, applicant: { fullName: 'Nguyễn Văn 😀' } });

    await expect(attempt).rejects.toBeInstanceOf(UnrenderableTextError);
    await expect(attempt).rejects.toMatchObject({ characters: ['😀'] });
  });
});

describe('the date line', () => {
  it('uses the ward name without its type word, in Vietnam time, with Decree 30 zeros', () => {
    // 23:30 UTC on 31 January is already 1 February in Vietnam.
    expect(dateLineOf(placeNameOf('Phường Hoàn Kiếm'), new Date('2026-01-31T23:30:00Z'))).toBe('Hoàn Kiếm, ngày 01 tháng 02 năm 2026');
    expect(dateLineOf(placeNameOf('Xã Sóc Sơn'), new Date('2026-11-22T03:00:00Z'))).toBe('Sóc Sơn, ngày 22 tháng 11 năm 2026');
    expect(dateLineOf('Hà Nội', new Date('2026-03-09T03:00:00Z'))).toBe('Hà Nội, ngày 09 tháng 3 năm 2026');
  });

  it('keeps the type word of a ward named by a number', () => {
    expect(placeNameOf('Phường 1')).toBe('Phường 1');
  });
});

function loadFont(bytes: Uint8Array): Font {
  const font = createFont(Buffer.from(bytes));
  if (!('getGlyph' in font)) throw new TypeError('expected a font, not a collection');
  return font;
}

/** Each Type0 font of a PDF: its name, its embedded font program, and its ToUnicode map (glyph id → text). */
async function embeddedFonts(bytes: Uint8Array): Promise<{ baseFont: string; subset: Font; toUnicode: Map<number, string> }[]> {
  const pdf = await PDFDocument.load(bytes);
  const fonts = [];
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Subtype')) !== PDFName.of('Type0')) continue;
    const descendant = object.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict);
    const fontDescriptor = descendant.lookup(PDFName.of('FontDescriptor'), PDFDict);
    const fontProgram = rawStream(fontDescriptor, 'FontFile2');
    const cmap = Buffer.from(decodePDFRawStream(rawStream(object, 'ToUnicode')).decode()).toString('latin1');
    const toUnicode = new Map(
      [...cmap.matchAll(/^<([0-9a-f]{4})> <([0-9a-f]+)>$/gim)].map(([, glyphId = '', utf16 = '']) => [
        Number.parseInt(glyphId, 16),
        Buffer.from(utf16, 'hex').swap16().toString('utf16le'),
      ]),
    );
    fonts.push({
      baseFont: object.lookup(PDFName.of('BaseFont'), PDFName).decodeText(),
      subset: loadFont(decodePDFRawStream(fontProgram).decode()),
      toUnicode,
    });
  }
  return fonts;
}

function rawStream(dict: PDFDict, key: string): PDFRawStream {
  const value = dict.lookup(PDFName.of(key));
  if (!(value instanceof PDFRawStream)) throw new TypeError(`${key} is not a stream`);
  return value;
}

/** How pdf-lib writes a non-ASCII text string in the info dictionary: UTF-16BE with a byte order mark, in hex. */
function utf16Hex(text: string): string {
  const bytes = Buffer.from(text, 'utf16le').swap16();
  return `FEFF${bytes.toString('hex').toUpperCase()}`;
}
