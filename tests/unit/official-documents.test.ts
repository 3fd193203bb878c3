import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../shared/catalog/procedures';
import { snapshotOf, type Dossier, type HistoryEvent } from '../../shared/domain/dossier';
import type { Procedure } from '../../shared/domain/procedure';
import { FormNotApplicableError, formDocumentOf, registerDocumentOf, registerRowOf, type DocumentContext, type FormKind } from '../../shared/documents/forms-from-dossier';
import {
  DOCUMENT_TITLES,
  UnrenderableTextError,
  registerCsv,
  renderOfficialDocument,
  titleOf,
  type OfficialDocument,
  type OfficialDocumentKind,
  type RegisterRow,
  type SignatureAppearance,
} from '../../shared/documents/official-document';
import { POPPLER_MISSING, PdfReader, differenceFromSample, hasPoppler, occurrences } from '../fixtures/forms/pdf-reading';

// ---------------------------------------------------------------------------------------------
// A ward, a signer, and dossiers of marriage registration (5 working days) at every stage.

const WARD = { name: 'Phường Hoàn Kiếm', province: 'Thành phố Hà Nội' };
const VERIFY_URL = 'https://motcuaso.example.vn/hoan-kiem/xac-thuc/000.A0.01.H26-260105-0007?ma=7F3K-9QX2';

const SIGNATURE: SignatureAppearance = {
  signerName: 'Lê Thị Mai',
  signerPosition: 'Công chức tiếp nhận hồ sơ',
  signedAt: new Date('2026-01-05T07:05:00Z'), // 14:05 in Hanoi
  organization: 'Ủy ban nhân dân Phường Hoàn Kiếm',
  authority: 'SELF_ISSUED',
  certificateIssuer: 'Ủy ban nhân dân Phường Hoàn Kiếm',
};

/** Signed when issued, by the reception officer unless `signature` says otherwise. */
function context(documentNumber: string, overrides: Partial<Omit<DocumentContext, 'signature'>> & { signature?: Partial<SignatureAppearance> } = {}): DocumentContext {
  const issuedAt = overrides.issuedAt ?? SIGNATURE.signedAt;
  return { ward: WARD, documentNumber, verifyUrl: VERIFY_URL, ...overrides, issuedAt, signature: { ...SIGNATURE, signedAt: issuedAt, ...overrides.signature } };
}

function procedure(code: string, version: number): Procedure {
  const found = CATALOG.find((candidate) => candidate.code === code && candidate.version === version);
  if (found === undefined) throw new Error(`procedure ${code} v${version} is not in the catalog`);
  return found;
}

const MARRIAGE = snapshotOf(procedure('1.000894', 2));
const CODE = '000.A0.01.H26-260105-0007';
const RECEIVED_AT = new Date('2026-01-05T03:20:00Z'); // 10:20
const APPOINTMENT_AT = new Date('2026-01-12T10:00:00Z'); // 17:00 on Monday 12 January

/** Received at the counter on Monday 5 January 2026 at 10:20 (history below). */
const RECEIVED: Dossier = {
  code: CODE,
  procedure: MARRIAGE,
  applicant: {
    fullName: 'Nguyễn Thị Phượng Hằng',
    idNumber: '001192012345',
    phone: '+84912345678',
    email: 'phuonghang.nguyen@example.vn',
    address: 'Số 18 ngõ Hàng Khoai, tổ dân phố số 7, phường Hoàn Kiếm, thành phố Hà Nội',
  },
  channel: 'COUNTER',
  fullyOnline: false,
  formData: {},
  attachments: [],
  documentsReceived: ['to-khai-ket-hon', 'giay-to-tuy-than'],
  status: 'RECEIVED',
  submittedAt: RECEIVED_AT,
  receivedAt: RECEIVED_AT,
  clockStartsAt: RECEIVED_AT,
  appointmentAt: APPOINTMENT_AT,
  firstAppointmentAt: APPOINTMENT_AT,
  clockGeneration: 1,
  overdue: false,
  supplementRequests: 0,
  version: 1,
  updatedAt: RECEIVED_AT,
};

const reception = { role: 'reception', id: 'officer-mai', name: 'Lê Thị Mai' } as const;
const specialist = { role: 'specialist', id: 'officer-duc', name: 'Phạm Minh Đức' } as const;
const leader = { role: 'leader', id: 'officer-nam', name: 'Trần Văn Nam' } as const;
const at = (iso: string): Date => new Date(iso);

const HISTORY: HistoryEvent[] = [
  { sequence: 1, at: RECEIVED_AT, actor: reception, action: 'create-at-counter', to: 'RECEIVED', note: 'Nhận đủ 02 giấy tờ' },
  { sequence: 2, at: at('2026-01-05T04:00:00Z'), actor: reception, action: 'transfer', from: 'RECEIVED', to: 'IN_PROGRESS' },
  {
    sequence: 3,
    at: at('2026-01-06T02:30:00Z'),
    actor: specialist,
    action: 'request-supplement',
    from: 'IN_PROGRESS',
    to: 'SUPPLEMENT_REQUESTED',
    note: 'Thiếu bản sao giấy tờ tùy thân của bên nam',
  },
  { sequence: 4, at: at('2026-01-07T01:15:00Z'), actor: { role: 'citizen' }, action: 'supplement', from: 'SUPPLEMENT_REQUESTED', to: 'IN_PROGRESS' },
  { sequence: 5, at: at('2026-01-09T08:45:00Z'), actor: leader, action: 'approve', from: 'IN_PROGRESS', to: 'RESOLVED' },
  { sequence: 6, at: at('2026-01-10T02:00:00Z'), actor: reception, action: 'return', from: 'RESOLVED', to: 'RETURNED', note: 'Trả tại quầy số 2' },
  { sequence: 7, at: at('2026-01-10T02:10:00Z'), actor: { role: 'citizen' }, action: 'rate', from: 'RETURNED', to: 'RETURNED' },
];

const RETURNED: Dossier = {
  ...RECEIVED,
  status: 'RETURNED',
  transferredAt: at('2026-01-05T04:00:00Z'),
  resolvedAt: at('2026-01-09T08:45:00Z'),
  returnedAt: at('2026-01-10T02:00:00Z'),
  returnMethod: 'COUNTER',
  version: 7,
};

const SUPPLEMENT_REQUESTED: Dossier = {
  ...RECEIVED,
  status: 'SUPPLEMENT_REQUESTED',
  statusBeforeSupplement: 'IN_PROGRESS',
  pending: {
    kind: 'SUPPLEMENT',
    items: [
      'Bản sao giấy tờ tùy thân (thẻ căn cước) của bên nam, ông Đặng Quốc Khánh',
      'Tờ khai đăng ký kết hôn có đủ chữ ký của hai bên nam, nữ',
      'Văn bản ủy quyền có chứng thực, nếu người nộp hồ sơ không phải là một trong hai bên',
    ],
    note: 'Tờ khai thiếu chữ ký của bên nam; chưa có giấy tờ chứng minh nhân thân của bên nam.',
    requestedAt: at('2026-01-06T02:30:00Z'),
  },
  supplementRequests: 1,
};

const NOT_RECEIVED: Dossier = {
  ...RECEIVED,
  code: '000.A0.01.H26-260105-0008',
  channel: 'ONLINE',
  status: 'NOT_RECEIVED',
  receivedAt: undefined,
  appointmentAt: undefined,
  firstAppointmentAt: undefined,
  closingReason: 'Yêu cầu đăng ký kết hôn không thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường Hoàn Kiếm.\nHai bên nam, nữ đều không cư trú trên địa bàn phường.',
};

const APOLOGISED: Dossier = {
  ...RECEIVED,
  status: 'IN_PROGRESS',
  appointmentAt: at('2026-01-16T10:00:00Z'),
  apology: {
    reason: 'Cần xác minh thêm thông tin về tình trạng hôn nhân của bên nam tại nơi cư trú trước đây (tỉnh Nghệ An).',
    previousAppointmentAt: APPOINTMENT_AT,
    newAppointmentAt: at('2026-01-16T10:00:00Z'),
    issuedAt: at('2026-01-09T03:00:00Z'),
    issuedBy: 'Trần Văn Nam',
  },
};

const STOPPED: Dossier = { ...RECEIVED, status: 'STOPPED', closingReason: 'Người nộp hồ sơ đề nghị rút hồ sơ để bổ sung giấy tờ và nộp lại sau.' };
const STOP_HISTORY: HistoryEvent[] = [
  HISTORY[0] as HistoryEvent,
  { sequence: 2, at: at('2026-01-05T08:00:00Z'), actor: { role: 'citizen' }, action: 'withdraw', from: 'RECEIVED', to: 'WITHDRAWAL_REQUESTED' },
  { sequence: 3, at: at('2026-01-06T01:30:00Z'), actor: reception, action: 'stop', from: 'WITHDRAWAL_REQUESTED', to: 'STOPPED' },
];

const FAMILY_NAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ'];
const GIVEN_NAMES = ['Thị Hương', 'Văn Đức', 'Minh Châu', 'Quốc Việt', 'Thu Thủy', 'Hữu Nghĩa', 'Ngọc Ánh', 'Đình Phúc', 'Thanh Hằng', 'Xuân Trường'];
const STATUSES: Dossier['status'][] = ['RECEIVED', 'IN_PROGRESS', 'SUPPLEMENT_REQUESTED', 'RESOLVED', 'RETURNED', 'STOPPED'];

const DAY_MS = 86_400_000;

/** 60 dossiers of January 2026, every sixth overdue, resolved and returned dates where their status has them. */
const REGISTER_ROWS: RegisterRow[] = Array.from({ length: 60 }, (_, index) => {
  const day = 5 + (index % 20);
  const received = at(`2026-01-${String(day).padStart(2, '0')}T0${2 + (index % 7)}:15:00Z`);
  const status = STATUSES[index % STATUSES.length] ?? 'RECEIVED';
  const resolved = status === 'RESOLVED' || status === 'RETURNED' ? new Date(received.getTime() + 3 * DAY_MS) : undefined;
  return registerRowOf({
    ...RECEIVED,
    code: `000.A0.01.H26-2601${String(day).padStart(2, '0')}-${String(index + 1).padStart(4, '0')}`,
    applicant: { ...RECEIVED.applicant, fullName: `${FAMILY_NAMES[index % 10] ?? ''} ${GIVEN_NAMES[(index * 3) % 10] ?? ''}` },
    channel: index % 3 === 0 ? 'ONLINE' : 'COUNTER',
    status,
    submittedAt: received,
    receivedAt: received,
    appointmentAt: new Date(received.getTime() + 7 * DAY_MS),
    resolvedAt: resolved,
    returnedAt: status === 'RETURNED' && resolved !== undefined ? new Date(resolved.getTime() + DAY_MS) : undefined,
    overdue: index % 6 === 5,
  });
});

const RESULT: OfficialDocument = {
  kind: 'RESULT',
  ward: WARD,
  documentNumber: '15/2026/GCNKH-UBND',
  issuedAt: at('2026-01-09T08:45:00Z'),
  signature: {
    ...SIGNATURE,
    signerName: 'Trần Văn Nam',
    signerPosition: 'KT. Chủ tịch\nPhó Chủ tịch',
    authority: 'CONFIGURED_CA',
    certificateIssuer: 'Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ',
  },
  verifyUrl: VERIFY_URL,
  dossierCode: CODE,
  procedureName: MARRIAGE.name,
  applicant: { fullName: 'Nguyễn Thị Phượng Hằng', idNumber: '001192012345', address: 'Số 18 ngõ Hàng Khoai, phường Hoàn Kiếm, thành phố Hà Nội' },
  title: 'Giấy chứng nhận kết hôn',
  content: 'Chứng nhận việc đăng ký kết hôn giữa bên nữ có tên dưới đây và ông Đặng Quốc Khánh, sinh năm 1990, tại Ủy ban nhân dân phường Hoàn Kiếm ngày 09 tháng 01 năm 2026.',
};

const REFUSAL: OfficialDocument = {
  ...RESULT,
  kind: 'REFUSAL',
  documentNumber: '03/2026/TB-UBND',
  subject: 'Về việc đăng ký kết hôn của bà Nguyễn Thị Phượng Hằng',
  content:
    'Qua xác minh, bên nam đang có vợ theo Giấy chứng nhận kết hôn số 112 ngày 20 tháng 3 năm 2015 do Ủy ban nhân dân xã Diễn Châu cấp.\n\nỦy ban nhân dân phường Hoàn Kiếm từ chối đăng ký kết hôn theo điểm c khoản 2 Điều 5 Luật Hôn nhân và gia đình.',
};

const FORMS = {
  FORM_01: formDocumentOf('FORM_01', RECEIVED, HISTORY.slice(0, 1), context('07/2026/TN-BPMC', { issuedAt: RECEIVED_AT })),
  FORM_02: formDocumentOf('FORM_02', SUPPLEMENT_REQUESTED, HISTORY.slice(0, 3), context('08/2026/BS-BPMC')),
  FORM_03: formDocumentOf('FORM_03', NOT_RECEIVED, [], context('02/2026/TC-BPMC')),
  FORM_04: formDocumentOf(
    'FORM_04',
    APOLOGISED,
    HISTORY.slice(0, 4),
    context('01/2026/XL-UBND', { issuedAt: at('2026-01-09T03:00:00Z'), signature: { signerName: 'Trần Văn Nam', signerPosition: 'Chủ tịch' } }),
  ),
  FORM_05: formDocumentOf('FORM_05', STOPPED, STOP_HISTORY, context('01/2026/DGQ-BPMC', { issuedAt: at('2026-01-06T01:30:00Z') })),
  FORM_06: formDocumentOf('FORM_06', RETURNED, HISTORY, context('07/2026/KS-BPMC', { issuedAt: at('2026-01-10T02:00:00Z') })),
} satisfies Record<FormKind, OfficialDocument>;
const REGISTER = registerDocumentOf(REGISTER_ROWS, { from: '2026-01-01', to: '2026-01-31' }, context('01/2026/STD-BPMC', { issuedAt: at('2026-02-02T02:00:00Z') }));
const DOCUMENTS: Readonly<Record<OfficialDocumentKind, OfficialDocument>> = { RESULT, REFUSAL, ...FORMS, FORM_07: REGISTER };

/** What each kind must print exactly once (the dossier code, in the footer of every page too, is counted apart). */
const KEY_FIELDS: Readonly<Record<OfficialDocumentKind, readonly string[]>> = {
  RESULT: ['GIẤY CHỨNG NHẬN KẾT HÔN', 'Số: 15/2026/GCNKH-UBND', 'Nguyễn Thị Phượng Hằng', 'Đăng ký kết hôn', 'Hoàn Kiếm, ngày 09 tháng 01 năm 2026'],
  REFUSAL: [DOCUMENT_TITLES.REFUSAL, 'Về việc đăng ký kết hôn của bà Nguyễn Thị Phượng Hằng', 'Số: 03/2026/TB-UBND', 'điểm c khoản 2 Điều 5'],
  FORM_01: [
    DOCUMENT_TITLES.FORM_01,
    'BỘ PHẬN MỘT CỬA',
    'Nguyễn Thị Phượng Hằng',
    '001192012345',
    '0912345678',
    'Trực tiếp tại Bộ phận Một cửa phường Hoàn Kiếm',
    'Tờ khai đăng ký kết hôn theo mẫu (hai bên có thể dùng chung một tờ khai)',
    '01 bản chính hoặc bản sao',
    '05 ngày làm việc',
    '10 giờ 20 phút, ngày 05/01/2026',
    '17 giờ 00 phút, ngày 12/01/2026',
  ],
  FORM_02: [
    DOCUMENT_TITLES.FORM_02,
    'Bản sao giấy tờ tùy thân (thẻ căn cước) của bên nam, ông Đặng Quốc Khánh',
    'Tờ khai đăng ký kết hôn có đủ chữ ký của hai bên nam, nữ',
    'Tờ khai thiếu chữ ký của bên nam',
    'đề nghị Ông/Bà bổ sung hồ sơ gồm những nội dung sau',
    'Các nội dung trên được yêu cầu một lần, đầy đủ.',
  ],
  FORM_03: [DOCUMENT_TITLES.FORM_03, 'không thuộc thẩm quyền giải quyết', 'Hai bên nam, nữ đều không cư trú trên địa bàn phường.', 'từ chối tiếp nhận hồ sơ của Ông/Bà'],
  FORM_04: [
    DOCUMENT_TITLES.FORM_04,
    'Kính gửi: Ông/Bà Nguyễn Thị Phượng Hằng',
    'hẹn trả kết quả giải quyết vào 17 giờ 00 phút, ngày 12/01/2026',
    'không thể trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hẹn',
    'tỉnh Nghệ An',
    'hẹn trả kết quả giải quyết hồ sơ vào 17 giờ 00 phút, ngày 16/01/2026',
  ],
  FORM_05: [DOCUMENT_TITLES.FORM_05, 'Ngày 05/01/2026, Ông/Bà đã đề nghị rút hồ sơ nêu trên.', 'kể từ 08 giờ 30 phút, ngày 06/01/2026', 'để bổ sung giấy tờ và nộp lại sau'],
  FORM_06: [
    DOCUMENT_TITLES.FORM_06,
    'Kèm theo hồ sơ của',
    'Giao: Bộ phận Một cửa (Lê Thị Mai) Nhận: Chuyên viên xử lý',
    'Giao: Người nộp hồ sơ (Nguyễn Thị Phượng Hằng) Nhận: Chuyên viên xử lý',
    'Đã xử lý xong, trước hạn',
    'Thiếu bản sao giấy tờ tùy thân của bên nam',
    'Trả tại quầy số 2',
  ],
  FORM_07: [DOCUMENT_TITLES.FORM_07, '(Từ ngày 01/01/2026 đến ngày 31/01/2026)', 'Tổng số: 60 hồ sơ.'],
};

const reader = new PdfReader();
const rendered = new Map<OfficialDocumentKind, Uint8Array>();
const KINDS = Object.keys(DOCUMENTS) as OfficialDocumentKind[];

beforeAll(async () => {
  for (const kind of KINDS) rendered.set(kind, await renderOfficialDocument(DOCUMENTS[kind]));
});
afterAll(() => reader.dispose());

function pdfOf(kind: OfficialDocumentKind): Uint8Array {
  const bytes = rendered.get(kind);
  if (bytes === undefined) throw new Error(`${kind} was not rendered`);
  return bytes;
}

describe.each(KINDS)('%s', (kind) => {
  it('prints its title and key fields exactly once, and the dossier code once besides the footers', ({ skip }) => {
    skip(!hasPoppler, POPPLER_MISSING);
    const bytes = pdfOf(kind);
    const text = reader.text(bytes);

    const document = DOCUMENTS[kind];
    expect(occurrences(text, titleOf(document)), titleOf(document)).toBe(1);
    for (const field of KEY_FIELDS[kind]) expect(occurrences(text, field), field).toBe(1);
    // The details, every page's footer, and the verify URL printed under the QR code when it holds the code.
    if (document.kind !== 'FORM_07') expect(occurrences(text, document.dossierCode)).toBe(1 + reader.pageCount(bytes) + (VERIFY_URL.includes(document.dossierCode) ? 1 : 0));
    expect(text).toBe(text.normalize('NFC'));
  });

  it('embeds only subsets of its fonts (pdffonts)', ({ skip }) => {
    skip(!hasPoppler, POPPLER_MISSING);
    const fontRows = reader.fonts(pdfOf(kind));

    expect(fontRows.length).toBeGreaterThan(0);
    for (const row of fontRows) expect(row).toMatch(/^[A-Z]{6}\+Tinos-(Regular|Bold|Italic)\s+CID TrueType\s+Identity-H\s+yes yes yes/);
  });

  it('draws a QR code that decodes to the verify URL', ({ skip }) => {
    skip(!hasPoppler, POPPLER_MISSING);
    const bytes = pdfOf(kind);

    expect(reader.qrCode(bytes, reader.pageCount(bytes))).toBe(VERIFY_URL);
  });

  it('is byte for byte the same when rendered again, whatever was rendered in between', async () => {
    const again = await renderOfficialDocument(DOCUMENTS[kind]);

    expect(Buffer.from(again).equals(Buffer.from(pdfOf(kind)))).toBe(true);
  });
});

describe.each(['FORM_01', 'FORM_02', 'FORM_03', 'FORM_04', 'FORM_05', 'FORM_06', 'FORM_07'] as const)('%s page 1', (kind) => {
  it('matches its committed picture (UPDATE_DOCUMENT_SAMPLES=1 rewrites it)', ({ skip }) => {
    skip(!hasPoppler, POPPLER_MISSING);
    const sample = new URL(`../fixtures/forms/form-${kind.slice(-2)}.png`, import.meta.url);

    const { sizes, share } = differenceFromSample(reader, pdfOf(kind), sample);

    expect(sizes[0]).toEqual(sizes[1]);
    expect(share).toBeLessThan(0.005);
  });
});

describe('the signature block', () => {
  const signed = (signature: Partial<SignatureAppearance>): Promise<Uint8Array> =>
    renderOfficialDocument(formDocumentOf('FORM_01', RECEIVED, [], context('07/2026/TN-BPMC', { signature })));

  it.for([
    ['CONFIGURED_CA', 'Chứng thư số do Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ cấp'],
    ['SELF_ISSUED', 'Chứng thư số tự cấp của Ủy ban nhân dân Phường Hoàn Kiếm, chưa do tổ chức cung cấp dịch vụ chứng thực chữ ký số cấp'],
    ['LOCAL_TEST_CA', 'Chứng thư số thử nghiệm (chế độ chạy cục bộ), không có giá trị pháp lý'],
  ] as const)('says plainly what a %s certificate is worth', async ([authority, standing], { skip }) => {
    skip(!hasPoppler, POPPLER_MISSING);
    const text = reader.text(await signed({ authority, certificateIssuer: 'Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ' }));

    expect(occurrences(text, standing)).toBe(1);
    expect(occurrences(text, 'Ký số bởi: Ủy ban nhân dân Phường Hoàn Kiếm')).toBe(1);
    expect(occurrences(text, 'Người ký: Lê Thị Mai')).toBe(1);
    expect(occurrences(text, 'Thời gian ký: 14:05, 05/01/2026')).toBe(1);
    expect(occurrences(text, 'CÔNG CHỨC TIẾP NHẬN HỒ SƠ')).toBe(1);
    expect(text).not.toContain('(Đã ký số)');
  });

  it('shows the signing time in Vietnam time', async ({ skip }) => {
    skip(!hasPoppler, POPPLER_MISSING);
    // 17:30 UTC on 5 January is 00:30 on 6 January in Hanoi.
    const text = reader.text(await signed({ signedAt: new Date('2026-01-05T17:30:00Z') }));

    expect(occurrences(text, 'Thời gian ký: 00:30, 06/01/2026')).toBe(1);
  });
});

describe('the register (form 07)', () => {
  it('spans several landscape pages, each starting with the header row, every dossier once', ({ skip }) => {
    skip(!hasPoppler, POPPLER_MISSING);
    const bytes = pdfOf('FORM_07');
    const pages = reader.pageCount(bytes);

    expect(pages).toBeGreaterThan(2);
    let pagesWithRows = 0;
    for (let page = 1; page <= pages; page += 1) {
      const text = reader.text(bytes, { page });
      // The last page may hold only the total and the signature.
      if (!REGISTER_ROWS.some((row) => text.includes(row.dossierCode))) continue;
      pagesWithRows += 1;
      for (const header of ['STT', 'Mã hồ sơ', 'Thủ tục hành chính', 'Người nộp hồ sơ', 'Ngày hẹn trả kết quả', 'Ngày trả kết quả', 'Tình trạng', 'Ghi chú']) {
        expect(occurrences(text, header), `${header} on page ${page}`).toBe(1);
      }
    }
    expect(pagesWithRows).toBeGreaterThan(2);
    const text = reader.text(bytes);
    for (const row of REGISTER_ROWS) expect(occurrences(text, row.dossierCode), row.dossierCode).toBe(1);
    expect(reader.text(bytes, { layout: true, page: 1 })).toMatch(/Trang 1\/\d/);
  });

  it('lays the page in landscape', async () => {
    const page = (await PDFDocument.load(pdfOf('FORM_07'))).getPage(0);

    expect(page.getWidth()).toBeGreaterThan(page.getHeight());
  });
});

describe('registerCsv', () => {
  const row = (overrides: Partial<RegisterRow>): RegisterRow => ({ ...(REGISTER_ROWS[0] as RegisterRow), ...overrides });

  it('starts with a byte order mark and a header row, and ends each line with CRLF', () => {
    const csv = registerCsv(REGISTER_ROWS.slice(0, 2));

    expect(csv.startsWith('\uFEFFSTT,Mã hồ sơ,Thủ tục hành chính,Người nộp hồ sơ,')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(4);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('holds the same cells as the printed rows, dates in Vietnam time', () => {
    const [, first] = registerCsv(REGISTER_ROWS.slice(0, 1)).split('\r\n');

    expect(first).toBe('1,000.A0.01.H26-260105-0001,Đăng ký kết hôn,Nguyễn Thị Hương,05/01/2026 09:15,12/01/2026 09:15,,,Được tiếp nhận,Nộp trực tuyến');
  });

  it('quotes fields with commas, quotes or line breaks (RFC 4180)', () => {
    const [, line] = registerCsv([row({ applicantName: 'Tôn Nữ "Út" Hà, con', note: 'dòng 1\ndòng 2' })]).split('\r\n');

    expect(line).toContain(',"Tôn Nữ ""Út"" Hà, con",');
    expect(line).toContain(',"dòng 1\ndòng 2"');
  });

  it.each(['=HYPERLINK("http://x")', '+84912345678', '-1+1', '@SUM(A1)', '\t=1'])('keeps %j from becoming a formula', (value) => {
    const [, line] = registerCsv([row({ applicantName: value })]).split('\r\n');
    const cells = line?.split(',') ?? [];

    expect(
      cells[3]
        ?.replace(/^"|"$/g, '')
        .replace(/""/g, '"')
        .startsWith(`'${value.slice(0, 3)}`),
    ).toBe(true);
  });
});

describe('formDocumentOf', () => {
  it('refuses a receipt for a dossier never received', () => {
    expect(() => formDocumentOf('FORM_01', NOT_RECEIVED, [], context('x'))).toThrow(FormNotApplicableError);
  });

  it('refuses a supplement request without pending items, and an apology without an apology', () => {
    expect(() => formDocumentOf('FORM_02', RECEIVED, [], context('x'))).toThrow(FormNotApplicableError);
    expect(() => formDocumentOf('FORM_04', RECEIVED, [], context('x'))).toThrow(FormNotApplicableError);
  });

  it('names the received documents from the catalog, with their counts', () => {
    expect(FORMS.FORM_01).toMatchObject({
      documents: [
        { name: 'Tờ khai đăng ký kết hôn theo mẫu (hai bên có thể dùng chung một tờ khai)', quantity: 1, form: 'ORIGINAL' },
        { name: expect.stringMatching(/^Giấy tờ tùy thân còn giá trị sử dụng/) as unknown, quantity: 1, form: 'ORIGINAL_OR_COPY' },
      ],
      resultDelivery: { method: 'COUNTER' },
      channel: 'COUNTER',
    });
  });

  it('counts uploaded files per document of an online dossier, and returns its result online', () => {
    const online = formDocumentOf(
      'FORM_01',
      {
        ...RECEIVED,
        channel: 'ONLINE',
        fullyOnline: true,
        documentsReceived: undefined,
        attachments: [
          { uploadId: 'a', documentId: 'to-khai-ket-hon', fileName: 'to-khai.pdf', contentType: 'application/pdf', size: 1 },
          { uploadId: 'b', documentId: 'to-khai-ket-hon', fileName: 'to-khai-trang-2.pdf', contentType: 'application/pdf', size: 1 },
        ],
      },
      [],
      context('x'),
    );

    expect(online).toMatchObject({
      documents: [{ name: 'Tờ khai đăng ký kết hôn theo mẫu (hai bên có thể dùng chung một tờ khai)', quantity: 2, form: 'FILE' }],
      resultDelivery: { method: 'ONLINE' },
    });
  });

  it('builds the control sheet from the history: one hand-over per event but the rating, the resolution timed against the first appointment', () => {
    expect(FORMS.FORM_06).toMatchObject({
      handovers: [
        { from: 'Bộ phận Một cửa (Lê Thị Mai)', to: 'Bộ phận Một cửa', result: 'Được tiếp nhận', note: 'Nhận đủ 02 giấy tờ' },
        { from: 'Bộ phận Một cửa (Lê Thị Mai)', to: 'Chuyên viên xử lý', result: 'Đang xử lý' },
        { from: 'Chuyên viên xử lý (Phạm Minh Đức)', to: 'Người nộp hồ sơ', result: 'Yêu cầu bổ sung giấy tờ' },
        { from: 'Người nộp hồ sơ (Nguyễn Thị Phượng Hằng)', to: 'Chuyên viên xử lý', result: 'Đang xử lý' },
        { from: 'Lãnh đạo (Trần Văn Nam)', to: 'Bộ phận Một cửa', result: 'Đã xử lý xong, trước hạn' },
        { from: 'Bộ phận Một cửa (Lê Thị Mai)', to: 'Người nộp hồ sơ', result: 'Đã trả kết quả' },
      ],
    });
  });

  it('says a late apology is late, and one issued before the due date that the ward cannot keep it', async ({ skip }) => {
    skip(!hasPoppler, POPPLER_MISSING);
    const late = formDocumentOf('FORM_04', APOLOGISED, [], context('x', { issuedAt: at('2026-01-13T02:00:00Z') }));

    expect(occurrences(reader.text(await renderOfficialDocument(late)), 'Tuy nhiên, đến nay Ủy ban nhân dân phường Hoàn Kiếm chưa trả kết quả')).toBe(1);
  });

  it('stops a withdrawn dossier from the withdrawal and stop events', () => {
    expect(FORMS.FORM_05).toMatchObject({
      ground: 'WITHDRAWN',
      withdrawalRequestedAt: at('2026-01-05T08:00:00Z'),
      stoppedAt: at('2026-01-06T01:30:00Z'),
      reason: 'Người nộp hồ sơ đề nghị rút hồ sơ để bổ sung giấy tờ và nộp lại sau.',
    });
  });
});

describe('renderOfficialDocument', () => {
  it('prints NFD input as the same NFC text', async ({ skip }) => {
    skip(!hasPoppler, POPPLER_MISSING);
    const nfd = { ...FORMS.FORM_03, applicant: { fullName: 'Nguyễn Thị Phượng Hằng'.normalize('NFD') } };

    expect(occurrences(reader.text(await renderOfficialDocument(nfd)), 'Nguyễn Thị Phượng Hằng')).toBe(1);
  });

  it('refuses a character the fonts cannot draw rather than print a blank box', async () => {
    const attempt = renderOfficialDocument({ ...REGISTER, rows: [{ ...(REGISTER_ROWS[0] as RegisterRow), applicantName: 'Nguyễn Văn 😀' }] });

    await expect(attempt).rejects.toBeInstanceOf(UnrenderableTextError);
  });

  it('gives different documents different bytes', async () => {
    const other = await renderOfficialDocument({ ...FORMS.FORM_02, documentNumber: '09/2026/BS-BPMC' });

    expect(Buffer.from(other).equals(Buffer.from(pdfOf('FORM_02')))).toBe(false);
  });
});
