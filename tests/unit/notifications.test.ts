import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import { WARDS, wardBySlug } from '../../infra/config/wards';
import { CATALOG } from '../../shared/catalog/procedures';
import { DOMAIN_EVENT_TYPES, type DomainEventType } from '../../shared/domain/events';
import { formatDossierCode } from '../../shared/domain/formats';
import {
  ALERT_SUBJECT_MAX,
  CITIZEN_SMS_EVENTS,
  CITIZEN_SMS_TEMPLATES,
  OFFICER_ALERT_TEMPLATES,
  SMS_PLACEHOLDERS,
  SMS_SHRINKABLE,
  citizenSms,
  notificationFacts,
  fitsOneSegment,
  officerAlert,
  placeholdersOf,
  toSmsText,
  type NotificationContext,
  type NotificationEvent,
  type SmsTemplate,
} from '../../shared/domain/notifications';
import { WardConfigSchema, type WardConfig } from '../../shared/domain/ward-config';
import { STREAM_CONSUMERS } from '../../shared/runtime/consumers';

// The longest values the templates may meet.
const longest = (values: readonly string[]): string => values.reduce((a, b) => (b.length > a.length ? b : a));
const LONGEST_PROCEDURE = longest(CATALOG.map((p) => p.name));
const DOCUMENT_NAMES = [...new Set(CATALOG.flatMap((p) => p.documents.map((d) => d.name)))].sort((a, b) => b.length - a.length);
/** 30 items (the most a request may list), the longest document names of the catalog. */
const THIRTY_ITEMS = Array.from({ length: 30 }, (_, i) => DOCUMENT_NAMES[i % DOCUMENT_NAMES.length] ?? '');
const LONG_REASON =
  'Hồ sơ không đủ thành phần theo quy định: Giấy tờ tùy thân của người yêu cầu đã hết hạn sử dụng; bản sao Giấy chứng nhận quyền sử dụng đất không được chứng thực; ' +
  'tờ khai ghi sai họ, chữ đệm và tên của người được khai sinh (Nguyễn Thị Phương Thảo Nguyên) so với giấy chứng sinh; đề nghị Ông/Bà liên hệ Bộ phận một cửa để được hướng dẫn.';
const LONG_BASE_URL = 'https://dichvucong.hoankiem.hanoi.gov.vn';
/** The stack's default when a ward sets no publicBaseUrl: the API's own URL. */
const API_BASE_URL = 'https://a1b2c3d4e5.execute-api.ap-southeast-1.amazonaws.com/prod';
const BASE_URLS = [LONG_BASE_URL, API_BASE_URL, 'https://hk.vn', ''];

const HOAN_KIEM = wardBySlug('hoan-kiem');
/** The extremes the ward schema allows: an 11-character sender, an 80-character name, 3-character code groups. */
const EXTREME_WARD = WardConfigSchema.parse({
  ...HOAN_KIEM,
  slug: 'extreme',
  name: 'Phường Nguyễn Trung Trực Đông Ngạc Thượng Thanh Khương Đình Hoàng Liệt Mở Rộng X',
  agencyCode: '999.ABC.DEF.H26',
  smsSenderName: 'DICHVUCONGX',
});
/** The longest of the configured wards by `field`: with the first ward and the extremes, the cases an SMS's length depends on. */
const longestBy = (field: 'name' | 'smsSenderName'): WardConfig => WARDS.reduce((longest, ward) => (ward[field].length > longest[field].length ? ward : longest), HOAN_KIEM);
const TEST_WARDS: readonly WardConfig[] = [HOAN_KIEM, longestBy('name'), longestBy('smsSenderName'), EXTREME_WARD];

/** A 5-digit sequence: a busy day. */
const codeOf = (ward: WardConfig): string => formatDossierCode(ward.agencyCode, '2026-11-22', 12345);
const HK_CODE = codeOf(HOAN_KIEM);

/** Every event the notifier may receive, with its data as the use cases write it, at its longest; plus bare ones. */
const FIXTURES: readonly { label: string; type: DomainEventType; data: Record<string, unknown> }[] = [
  { label: 'online submission', type: 'DOSSIER_SUBMITTED', data: { phone: '+84912345678', procedureCode: '1.001193', procedureName: LONGEST_PROCEDURE, fullyOnline: true } },
  { label: 'receipt', type: 'DOSSIER_RECEIVED', data: { phone: '+84912345678', procedureName: LONGEST_PROCEDURE, appointmentAt: '2026-12-24T10:00:00.000Z', clockGeneration: 1 } },
  { label: 'refusal at intake', type: 'DOSSIER_NOT_RECEIVED', data: { phone: '+84912345678', procedureName: LONGEST_PROCEDURE, reason: LONG_REASON } },
  { label: 'completion request', type: 'COMPLETION_REQUESTED', data: { procedureName: LONGEST_PROCEDURE, items: THIRTY_ITEMS } },
  { label: 'supplement request', type: 'SUPPLEMENT_REQUESTED', data: { procedureName: LONGEST_PROCEDURE, items: THIRTY_ITEMS } },
  { label: 'payment request', type: 'PAYMENT_REQUESTED', data: { procedureName: LONGEST_PROCEDURE, amountVnd: 12_345_678_900 } },
  { label: 'approval, fully online', type: 'RESULT_APPROVED', data: { fullyOnline: true, sha256: 'ab'.repeat(32) } },
  { label: 'approval, at the counter', type: 'RESULT_APPROVED', data: { fullyOnline: false, sha256: 'ab'.repeat(32) } },
  { label: 'refusal, fully online', type: 'RESULT_REFUSED', data: { fullyOnline: true, sha256: 'ab'.repeat(32) } },
  { label: 'refusal, at the counter', type: 'RESULT_REFUSED', data: { fullyOnline: false, sha256: 'ab'.repeat(32) } },
  { label: 'refusal with its reason', type: 'RESULT_REFUSED', data: { fullyOnline: false, reason: LONG_REASON } },
  { label: 'stop with a reason', type: 'DOSSIER_STOPPED', data: { reason: LONG_REASON } },
  { label: 'stop on withdrawal', type: 'DOSSIER_STOPPED', data: { reason: null } },
  { label: 'result cancelled', type: 'RESULT_CANCELLED', data: { documentId: 'result-v9' } },
  { label: 'overdue apology', type: 'DOSSIER_OVERDUE', data: { appointmentAt: '2026-11-25T10:00:00.000Z' } },
  { label: 'new appointment', type: 'APPOINTMENT_RESCHEDULED', data: { appointmentAt: '2026-12-31T10:00:00.000Z', reason: LONG_REASON } },
  { label: 'new appointment, no reason', type: 'APPOINTMENT_RESCHEDULED', data: { newAppointmentAt: '2026-12-31T10:00:00.000Z' } },
  // Bare events reach each template's last variant.
  ...CITIZEN_SMS_EVENTS.map((type) => ({ label: 'bare', type, data: {} })),
];

const event = (type: DomainEventType, data: Record<string, unknown>, dossierCode = HK_CODE): NotificationEvent => ({
  type,
  dossierCode,
  at: new Date('2026-11-22T02:15:00Z'),
  data,
});
const context = (ward: WardConfig = HOAN_KIEM, publicBaseUrl = LONG_BASE_URL): NotificationContext & { ward: WardConfig } => ({ ward, publicBaseUrl });
const sms = (type: DomainEventType, data: Record<string, unknown>, ctx: NotificationContext & { ward: WardConfig } = context()): string => {
  const text = citizenSms(notificationFacts(event(type, data, codeOf(ctx.ward))), ctx);
  if (text === undefined) throw new Error(`no SMS for ${type}`);
  return text;
};

/** Checks a text with the independent counter: GSM-7, one segment, no two-septet character. */
function expectOneGsm7Segment(text: string): void {
  const message = new SegmentedMessage(text);
  expect(message.getNonGsmCharacters(), text).toEqual([]);
  expect(message.encodingName, text).toBe('GSM-7');
  expect(message.segmentsCount, text).toBe(1);
  expect(message.numberOfCharacters, `extension-table characters in ${text}`).toBe(text.length);
}

const variantsOf = (template: SmsTemplate): readonly string[] => ('fullyOnline' in template ? [...template.fullyOnline, ...template.otherwise] : template);

describe('toSmsText', () => {
  it('removes every Vietnamese tone and vowel mark, đ → d and Đ → D', () => {
    const lower = 'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ';

    expect(toSmsText(lower)).toBe('aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd');
    expect(toSmsText(lower.toLocaleUpperCase('vi'))).toBe('AAAAAAAAAAAAAAAAAEEEEEEEEEEEIIIIIOOOOOOOOOOOOOOOOOUUUUUUUUUUUYYYYYD');
    expect(toSmsText('Đăng ký khai sinh cho bé Nguyễn Thị Hồng Nhung, Phường Ba Đình')).toBe('Dang ky khai sinh cho be Nguyen Thi Hong Nhung, Phuong Ba Dinh');
  });

  it('gives the same text for NFD input as for NFC', () => {
    const name = 'Trương Thị Thu Hường Đặng';

    expect(toSmsText(name.normalize('NFD'))).toBe(toSmsText(name.normalize('NFC')));
    expect(toSmsText(name.normalize('NFD'))).toBe('Truong Thi Thu Huong Dang');
  });

  it('leaves no character above 0x7F in any Vietnamese text of the catalog', () => {
    const texts = CATALOG.flatMap((p) => [p.name, p.field, p.resultType, ...p.documents.map((d) => d.name)]);

    for (const text of texts) expect(toSmsText(text), text).toMatch(/^[\x20-\x7E]*$/);
  });

  it('replaces extension-table characters and typographic look-alikes by basic-set ones', () => {
    const text = toSmsText('[a] {b} c~d ^e \\ f|g 5€ “trích lục” ‘x’ – — … • 3×4');

    expect(text).toBe('(a) (b) c-d e / f/g 5EUR "trich luc" \'x\' - - ... - 3x4');
    expectOneGsm7Segment(text);
  });

  it('keeps GSM-7 basic-set characters and drops what has no GSM-7 form', () => {
    expect(toSmsText('£5 @home_1 Δ ¿?')).toBe('£5 @home_1 Δ ¿?');
    expect(toSmsText('Hồ sơ 📄 số 中 1')).toBe('Ho so so 1');
  });

  it('folds white space, line breaks and non-breaking spaces included', () => {
    expect(toSmsText('  Hồ\u00a0sơ \n\t số\u2028 1  ')).toBe('Ho so so 1');
  });
});

describe('fitsOneSegment', () => {
  it.each([
    ['a'.repeat(160), true],
    ['a'.repeat(161), false],
    [`${'a'.repeat(158)}[`, true],
    [`${'a'.repeat(159)}[`, false],
    ['Hồ sơ', false],
    ['HOANKIEM: Ho so da duoc tiep nhan.', true],
  ])('agrees with the independent counter on %j → %s', (text, fits) => {
    const message = new SegmentedMessage(text);

    expect(fitsOneSegment(text)).toBe(fits);
    expect(message.encodingName === 'GSM-7' && message.segmentsCount === 1).toBe(fits);
  });
});

describe('citizenSms: every template is one GSM-7 segment', () => {
  it.each(FIXTURES)('$type ($label), for every ward and base URL', ({ type, data }) => {
    for (const ward of TEST_WARDS) {
      for (const publicBaseUrl of BASE_URLS) {
        const code = codeOf(ward);

        const text = citizenSms(notificationFacts(event(type, data, code)), { ward, publicBaseUrl });

        expect(text, `${ward.slug}, ${publicBaseUrl}`).toBeDefined();
        expectOneGsm7Segment(text ?? '');
        expect(fitsOneSegment(text ?? ''), text).toBe(true);
        expect(text?.startsWith(`${ward.smsSenderName}: `), text).toBe(true);
        expect(text, text).toContain(code);
      }
    }
  });

  it('covers every SMS event with the longest values', () => {
    expect(new Set(FIXTURES.filter((f) => f.label !== 'bare').map((f) => f.type))).toEqual(new Set(CITIZEN_SMS_EVENTS));
  });
});

describe('citizenSms: content', () => {
  it('gives the code and the tracking link at submission', () => {
    const text = sms('DOSSIER_SUBMITTED', { procedureName: LONGEST_PROCEDURE, fullyOnline: true }, context(HOAN_KIEM, LONG_BASE_URL));

    expect(text).toContain(` ${HK_CODE} `);
    expect(text).toContain(`${LONG_BASE_URL}/ho-so/${HK_CODE}`);
  });

  it('names a short procedure whole', () => {
    const text = sms('DOSSIER_SUBMITTED', { procedureName: 'Đăng ký khai sinh' }, context(HOAN_KIEM, 'https://hk.vn'));

    expect(text).toBe(`HOANKIEM: Ho so ${HK_CODE} (Dang ky khai sinh) da duoc gui, cho tiep nhan. Tra cuu: https://hk.vn/ho-so/${HK_CODE}`);
  });

  it('keeps the code and drops the link when the link cannot fit', () => {
    const text = sms('DOSSIER_SUBMITTED', { procedureName: LONGEST_PROCEDURE }, context(EXTREME_WARD, API_BASE_URL));

    expect(text).toContain(codeOf(EXTREME_WARD));
    expect(text).not.toContain('https://');
    expect(text).toContain('Dung ma ho so de tra cuu');
  });

  it('drops a link that GSM-7 would alter rather than send a broken one', () => {
    const text = sms('DOSSIER_SUBMITTED', {}, context(HOAN_KIEM, 'https://example.vn/~motcua'));

    expect(text).not.toContain('example.vn');
    expect(text).toContain(HK_CODE);
  });

  it.each([
    ['2026-11-25T10:00:00Z', '25/11/2026', '17:00 in Vietnam'],
    ['2026-11-24T18:00:00Z', '25/11/2026', '01:00 the next day in Vietnam (UTC+7)'],
    ['2026-11-24T16:59:59Z', '24/11/2026', 'one second before midnight in Vietnam'],
  ])('gives the appointment %s as %s at receipt (%s)', (appointmentAt, shown) => {
    const text = sms('DOSSIER_RECEIVED', { procedureName: 'Đăng ký khai sinh', appointmentAt });

    expect(text).toContain(`Hen tra ket qua ngay ${shown}`);
    expect(text).toContain(HK_CODE);
  });

  it('reads the example of the brief at receipt', () => {
    const text = sms('DOSSIER_RECEIVED', { appointmentAt: '2026-11-25T10:00:00Z' }, context(HOAN_KIEM, ''));

    expect(text).toBe(`HOANKIEM: Ho so ${HK_CODE} da duoc tiep nhan. Hen tra ket qua ngay 25/11/2026.`);
  });

  it('says how many things a supplement request lists, and where to read them, never what the officer wrote', () => {
    const text = sms('SUPPLEMENT_REQUESTED', { items: THIRTY_ITEMS }, context(HOAN_KIEM, 'https://hk.vn'));

    expect(text).toBe(`HOANKIEM: Ho so ${HK_CODE} can bo sung 30 noi dung. Xem chi tiet bang ma bi mat tai: https://hk.vn/ho-so/${HK_CODE}`);
  });

  it('sends a supplement request to the counter when the link does not fit', () => {
    const text = sms('SUPPLEMENT_REQUESTED', { items: ['Bản sao Giấy chứng sinh', 'Tờ khai có chữ ký của người đi đăng ký.'] });

    expect(text).toBe(`HOANKIEM: Ho so ${HK_CODE} can bo sung 2 noi dung. Vui long lien he Bo phan mot cua Phuong Hoan Kiem.`);
  });

  it('tells how many things to complete before receipt', () => {
    const text = sms('COMPLETION_REQUESTED', { items: ['Giấy ủy quyền có chứng thực', '  '] }, context(HOAN_KIEM, ''));

    expect(text).toBe(`HOANKIEM: Ho so ${HK_CODE} can hoan thien 1 noi dung truoc khi tiep nhan. Vui long lien he Bo phan mot cua Phuong Hoan Kiem.`);
  });

  it('points a refusal at intake to its notice, without the reason', () => {
    expect(sms('DOSSIER_NOT_RECEIVED', { reason: LONG_REASON }, context(HOAN_KIEM, 'https://hk.vn'))).toBe(
      `HOANKIEM: Ho so ${HK_CODE} khong duoc tiep nhan. Xem ly do bang ma bi mat tai: https://hk.vn/ho-so/${HK_CODE}`,
    );
    expect(sms('DOSSIER_NOT_RECEIVED', { reason: LONG_REASON }, context(HOAN_KIEM, ''))).toBe(
      `HOANKIEM: Ho so ${HK_CODE} khong duoc tiep nhan. Vui long lien he Bo phan mot cua Phuong Hoan Kiem de biet ly do.`,
    );
  });

  it('writes the amount to pay in Vietnamese', () => {
    expect(sms('PAYMENT_REQUESTED', { amountVnd: 1_500_000 }, context(HOAN_KIEM, ''))).toBe(
      `HOANKIEM: Ho so ${HK_CODE}: de nghi Ong/Ba nop 1.500.000 dong (phi, le phi, thue) de tiep tuc giai quyet.`,
    );
  });

  it('tells a fully-online applicant to download the result, and the others to come to the counter', () => {
    const online = sms('RESULT_APPROVED', { fullyOnline: true });
    const counter = sms('RESULT_APPROVED', { fullyOnline: false });

    expect(online).toBe(`HOANKIEM: Ho so ${HK_CODE} da co ket qua. Tai ban dien tu: ${LONG_BASE_URL}/ho-so/${HK_CODE}`);
    expect(sms('RESULT_APPROVED', { fullyOnline: true }, context(HOAN_KIEM, 'https://hk.vn'))).toBe(
      `HOANKIEM: Ho so ${HK_CODE} da co ket qua ban dien tu. Tai ve bang ma bi mat tai: https://hk.vn/ho-so/${HK_CODE}`,
    );
    expect(counter).toBe(`HOANKIEM: Ho so ${HK_CODE} da co ket qua. Moi Ong/Ba mang giay hen den Bo phan mot cua Phuong Hoan Kiem de nhan.`);
  });

  it('tells where to get the refusal notice after processing', () => {
    expect(sms('RESULT_REFUSED', { fullyOnline: false })).toContain('khong duoc giai quyet. Moi Ong/Ba den Bo phan mot cua Phuong Hoan Kiem nhan thong bao ly do.');
    expect(sms('RESULT_REFUSED', { fullyOnline: true })).toBe(`HOANKIEM: Ho so ${HK_CODE} khong duoc giai quyet. Ly do: ${LONG_BASE_URL}/ho-so/${HK_CODE}`);
    expect(sms('RESULT_REFUSED', { fullyOnline: true }, context(HOAN_KIEM, ''))).toContain('Tai thong bao ly do bang ma ho so va ma bi mat tren trang tra cuu ho so.');
  });

  it('apologises for an overdue dossier with the missed date', () => {
    expect(sms('DOSSIER_OVERDUE', { appointmentAt: '2026-11-25T10:00:00Z' })).toContain(`Xin loi Ong/Ba: ho so ${HK_CODE} chua co ket qua dung hen ngay 25/11/2026.`);
  });

  it('gives the new appointment date, from newAppointmentAt before appointmentAt', () => {
    const text = sms('APPOINTMENT_RESCHEDULED', { appointmentAt: '2026-12-01T10:00:00Z', newAppointmentAt: '2026-12-30T18:00:00Z' });

    expect(text).toBe(`HOANKIEM: Ho so ${HK_CODE} co ngay hen tra ket qua moi: 31/12/2026. Mong Ong/Ba thong cam.`);
  });

  it('tells a stop without its reason, whoever wrote it', () => {
    expect(sms('DOSSIER_STOPPED', { reason: 'Công dân rút hồ sơ' })).toBe(`HOANKIEM: Ho so ${HK_CODE} da dung xu ly. Moi thac mac xin lien he Bo phan mot cua Phuong Hoan Kiem.`);
    expect(sms('DOSSIER_STOPPED', { reason: null })).toContain('Moi thac mac xin lien he Bo phan mot cua Phuong Hoan Kiem.');
    expect(sms('RESULT_CANCELLED', { documentId: 'result-v9' })).toContain(`Ket qua dien tu cua ho so ${HK_CODE} da bi huy.`);
  });

  it('sends nothing for events the citizen gets no SMS for', () => {
    const silent = DOMAIN_EVENT_TYPES.filter((type) => !(CITIZEN_SMS_EVENTS as readonly string[]).includes(type));

    expect(silent.sort()).toEqual(
      // DOSSIER_FILED_FOR_WARD: the competent ward sends the SMS when it takes the dossier over.
      [
        'DOSSIER_DUE_TOMORROW',
        'DOSSIER_FILED_FOR_WARD',
        'DOSSIER_RATED',
        'DOSSIER_SUPPLEMENTED',
        'DOSSIER_TRANSFERRED',
        'DOSSIER_WITHDRAWAL_REQUESTED',
        'PAYMENT_RECORDED',
        'RESULT_RETURNED',
      ].sort(),
    );
    for (const type of silent) expect(citizenSms(notificationFacts(event(type, { procedureName: 'Đăng ký khai sinh', fullyOnline: true })), context()), type).toBeUndefined();
  });
});

describe('the template table', () => {
  const variants = Object.entries(CITIZEN_SMS_TEMPLATES).flatMap(([type, template]) => variantsOf(template).map((variant) => ({ type, variant })));

  it.each(variants)('$type: "$variant" is plain GSM-7 with known placeholders, at most one shortened', ({ variant }) => {
    const names = placeholdersOf(variant);

    expectOneGsm7Segment(variant.replace(/\{\w+\}/g, 'x'));
    expect(variant).toMatch(/^[\x20-\x7E]*$/);
    for (const name of names) expect(SMS_PLACEHOLDERS).toContain(name);
    expect(names.filter((name) => name in SMS_SHRINKABLE).length).toBeLessThanOrEqual(1);
  });

  it('ends every template with a variant that needs the code only', () => {
    for (const template of Object.values(CITIZEN_SMS_TEMPLATES)) {
      const lists = 'fullyOnline' in template ? [template.fullyOnline, template.otherwise] : [template];
      for (const list of lists) expect(placeholdersOf(list.at(-1) ?? '{none}')).toEqual(['code']);
    }
  });

  it('reaches the notifier: every event with an SMS or an alert is delivered to it', () => {
    const notifier = STREAM_CONSUMERS.find((consumer) => consumer.id === 'Notifier');

    expect(new Set(notifier?.events)).toEqual(new Set([...CITIZEN_SMS_EVENTS, ...Object.keys(OFFICER_ALERT_TEMPLATES)]));
  });
});

describe('officerAlert', () => {
  const submitted = event('DOSSIER_SUBMITTED', { phone: '+84912345678', procedureCode: '1.001193', procedureName: 'Đăng ký khai sinh', fullyOnline: true });

  it('announces a new online dossier, with diacritics', () => {
    const alert = officerAlert(notificationFacts(submitted), context());

    expect(alert?.subject).toBe(`[Phường Hoàn Kiếm] Hồ sơ trực tuyến mới ${HK_CODE}`);
    expect(alert?.body).toContain(`Mã hồ sơ: ${HK_CODE}`);
    expect(alert?.body).toContain('Thủ tục: Đăng ký khai sinh (1.001193)');
    expect(alert?.body).toContain('Hình thức: Trực tuyến toàn trình');
    expect(alert?.body).toContain('Nộp lúc: 09:15 22/11/2026');
  });

  it('warns the day before the appointment', () => {
    const alert = officerAlert(notificationFacts(event('DOSSIER_DUE_TOMORROW', { procedureName: 'Đăng ký khai sinh', appointmentAt: '2026-11-25T10:00:00Z' })), context());

    expect(alert?.subject).toBe(`[Phường Hoàn Kiếm] Sắp đến hạn: hồ sơ ${HK_CODE} hẹn trả 25/11/2026`);
    expect(alert?.body).toContain('Hẹn trả kết quả: 17:00 25/11/2026');
  });

  it('reports an overdue dossier and what the leader must do', () => {
    const alert = officerAlert(notificationFacts(event('DOSSIER_OVERDUE', { appointmentAt: '2026-11-24T18:00:00Z' })), context());

    expect(alert?.subject).toBe(`[Phường Hoàn Kiếm] QUÁ HẠN: hồ sơ ${HK_CODE} (hẹn trả 25/11/2026)`);
    expect(alert?.body).toContain('Mẫu 04');
  });

  it('keeps every subject on one line, under 100 characters, with the code, for the longest ward name', () => {
    const code = codeOf(EXTREME_WARD);
    const events = [
      event('DOSSIER_SUBMITTED', { procedureName: LONGEST_PROCEDURE }, code),
      event('DOSSIER_DUE_TOMORROW', { appointmentAt: '2026-11-25T10:00:00Z' }, code),
      event('DOSSIER_OVERDUE', { appointmentAt: '2026-11-25T10:00:00Z' }, code),
    ];

    for (const e of events) {
      const alert = officerAlert(notificationFacts(e), context({ ...EXTREME_WARD, name: `${EXTREME_WARD.name}\nline two` }));
      expect(alert?.subject.length).toBeLessThanOrEqual(ALERT_SUBJECT_MAX);
      expect(alert?.subject).not.toMatch(/[\p{Cc}]/u);
      expect(alert?.subject).toContain(code);
      expect(alert?.subject.startsWith('[Phường Nguyễn')).toBe(true);
    }
  });

  it('sends no alert for the other events', () => {
    for (const type of DOMAIN_EVENT_TYPES.filter((t) => !(t in OFFICER_ALERT_TEMPLATES))) {
      expect(officerAlert(notificationFacts(event(type, {})), context()), type).toBeUndefined();
    }
  });
});
