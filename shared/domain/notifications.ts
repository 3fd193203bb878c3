import { CITIZEN_PAGES } from '../api/portal-paths';
import type { DomainEventType } from './events';
import { isDossierCode } from './formats';
import { PROCEDURE_CODE_PATTERN } from './procedure';
import { formatVietnamDate, vietnamParts } from './time';
import type { WardConfig } from './ward-config';

/**
 * The text of every SMS to a citizen and every alert to the ward's officers (domain.md,
 * Notifications). Pure functions: the notifier decides whom to send them to, and when.
 *
 * SMS rules: Vietnamese without diacritics, GSM-7 basic-set characters only, one segment
 * (160 septets) including the ward's sender name.
 *
 * Messages carry only what the ward wrote: templates filled from {@link NotificationFacts}, which
 * hold codes, dates, numbers, the catalog's procedure name and nothing else. No text typed by a
 * citizen (a withdrawal's reason, a supplement's note, form data, file names, names) and no free
 * text at all, not even an officer's (a reason, a list of what is missing, which may quote the
 * citizen), can reach an SMS or an alert: the templates have no place to put it.
 */

// ---------------------------------------------------------------------------------------------
// GSM-7

/** One SMS segment of GSM-7 text, in septets. */
export const SMS_SEGMENT_SEPTETS = 160;

/** The GSM 03.38 basic character set: one septet each. */
const GSM7_BASIC = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
/** The extension table: two septets each (escape + character). toSmsText never emits them. */
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

/**
 * Septets of a text in GSM-7 (an extension-table character counts two), or undefined when a
 * character has no GSM-7 encoding at all (the message would go as UCS-2, 70 characters a segment).
 */
export function gsm7Septets(text: string): number | undefined {
  let septets = 0;
  for (const char of text) {
    if (GSM7_BASIC.has(char)) septets += 1;
    else if (GSM7_EXTENSION.has(char)) septets += 2;
    else return undefined;
  }
  return septets;
}

/** Whether a text goes as one GSM-7 SMS segment. */
export function fitsOneSegment(text: string): boolean {
  const septets = gsm7Septets(text);
  return septets !== undefined && septets <= SMS_SEGMENT_SEPTETS;
}

/**
 * Characters with a plain GSM-7 stand-in. Extension-table characters cost two septets and some
 * phones render them badly, so they are replaced too. After NFKD, which already turns "…" into
 * "...", fullwidth forms into ASCII and non-breaking spaces into spaces.
 */
const SMS_REPLACEMENTS: Readonly<Record<string, string>> = {
  đ: 'd',
  Đ: 'D',
  // Icelandic eth, sometimes typed for Đ: it looks the same.
  ð: 'd',
  Ð: 'D',
  '[': '(',
  ']': ')',
  '{': '(',
  '}': ')',
  '\\': '/',
  '|': '/',
  '⁄': '/',
  '~': '-',
  '^': '',
  '€': 'EUR',
  '`': "'",
  '‘': "'",
  '’': "'",
  '‚': "'",
  '′': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '″': '"',
  '«': '"',
  '»': '"',
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '–': '-',
  '—': '-',
  '―': '-',
  '−': '-',
  '•': '-',
  '·': '-',
  '×': 'x',
};

/**
 * Vietnamese text as an SMS can carry it in GSM-7: without diacritics (every tone and vowel mark
 * removed, đ → d, Đ → D), with GSM-7 basic-set characters only (look-alikes replaced, anything
 * else dropped), white space folded to single spaces.
 */
export function toSmsText(text: string): string {
  let out = '';
  for (const char of text.replace(/\s+/gu, ' ').normalize('NFKD').replace(/\p{M}/gu, '')) {
    const replaced = SMS_REPLACEMENTS[char] ?? char;
    for (const c of replaced) if (GSM7_BASIC.has(c)) out += c;
  }
  return out.replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Citizen SMS templates

/** What a template may say; `{name}` in a template. */
export const SMS_PLACEHOLDERS = ['code', 'procedure', 'date', 'count', 'amount', 'link', 'ward'] as const;
export type SmsPlaceholder = (typeof SMS_PLACEHOLDERS)[number];

/**
 * A catalog name of any length, shortened with "..." when the SMS would not fit: the value is the
 * fewest characters it may keep, below which the next variant is tried. At most one per variant.
 */
export const SMS_SHRINKABLE: Readonly<Partial<Record<SmsPlaceholder, number>>> = { procedure: 20 };

/** "…" is not GSM-7 (it would turn the SMS into UCS-2): three dots. */
const ELLIPSIS = '...';

/** Variants of one message, most informative first: the first whose placeholders all have a value and that fits one segment is sent. */
export type SmsVariants = readonly string[];
/** Results differ for a fully-online dossier (returned online) and the others (returned at the counter). */
export type SmsTemplate = SmsVariants | { readonly fullyOnline: SmsVariants; readonly otherwise: SmsVariants };

/**
 * One template per citizen event, without the sender prefix (`HOANKIEM: ` is added to each).
 * Every template ends with a variant that needs the dossier code only, so it always renders.
 * `{link}` is the public tracking link `<base>/dossiers/<code>/status`, dropped when it does not
 * fit (the code stays; it is what the citizen tracks the dossier by). What is missing and why a
 * dossier is refused or stopped are the officer's words: the SMS says how many things are missing
 * and where to read them (the dossier's page, opened with its secret, or the counter), never the words.
 */
export const CITIZEN_SMS_TEMPLATES = {
  DOSSIER_SUBMITTED: [
    'Ho so {code} ({procedure}) da duoc gui, cho tiep nhan. Tra cuu: {link}',
    'Ho so {code} da duoc gui, cho tiep nhan. Tra cuu: {link}',
    'Ho so {code} da duoc gui. Tra cuu: {link}',
    'Ho so {code} ({procedure}) da duoc gui, cho tiep nhan. Dung ma ho so de tra cuu.',
    'Ho so {code} da duoc gui, cho tiep nhan. Dung ma ho so de tra cuu.',
  ],
  DOSSIER_RECEIVED: [
    'Ho so {code} ({procedure}) da duoc tiep nhan. Hen tra ket qua ngay {date}. Tra cuu: {link}',
    'Ho so {code} da duoc tiep nhan. Hen tra ket qua ngay {date}. Tra cuu: {link}',
    'Ho so {code} ({procedure}) da duoc tiep nhan. Hen tra ket qua ngay {date}.',
    'Ho so {code} da duoc tiep nhan. Hen tra ket qua ngay {date}.',
    'Ho so {code} ({procedure}) da duoc tiep nhan.',
    'Ho so {code} da duoc tiep nhan.',
  ],
  DOSSIER_NOT_RECEIVED: [
    'Ho so {code} khong duoc tiep nhan. Xem ly do bang ma bi mat tai: {link}',
    'Ho so {code} khong duoc tiep nhan. Vui long lien he Bo phan mot cua {ward} de biet ly do.',
    'Ho so {code} khong duoc tiep nhan. Vui long lien he Bo phan mot cua de biet ly do.',
  ],
  COMPLETION_REQUESTED: [
    'Ho so {code} can hoan thien {count} noi dung truoc khi tiep nhan. Xem chi tiet bang ma bi mat tai: {link}',
    'Ho so {code} can hoan thien {count} noi dung truoc khi tiep nhan. Vui long lien he Bo phan mot cua {ward}.',
    'Ho so {code} can hoan thien truoc khi tiep nhan. Vui long lien he Bo phan mot cua {ward}.',
    'Ho so {code} can hoan thien truoc khi tiep nhan. Vui long lien he Bo phan mot cua.',
  ],
  SUPPLEMENT_REQUESTED: [
    'Ho so {code} can bo sung {count} noi dung. Xem chi tiet bang ma bi mat tai: {link}',
    'Ho so {code} can bo sung {count} noi dung. Vui long lien he Bo phan mot cua {ward}.',
    'Ho so {code} can bo sung giay to. Vui long lien he Bo phan mot cua {ward}.',
    'Ho so {code} can bo sung giay to. Vui long lien he Bo phan mot cua.',
  ],
  PAYMENT_REQUESTED: [
    'Ho so {code}: de nghi Ong/Ba nop {amount} (phi, le phi, thue) de tiep tuc giai quyet. Tra cuu: {link}',
    'Ho so {code}: de nghi Ong/Ba nop {amount} (phi, le phi, thue) de tiep tuc giai quyet.',
    'Ho so {code}: de nghi Ong/Ba thuc hien nghia vu tai chinh de tiep tuc giai quyet.',
  ],
  RESULT_APPROVED: {
    fullyOnline: [
      'Ho so {code} da co ket qua ban dien tu. Tai ve bang ma bi mat tai: {link}',
      'Ho so {code} da co ket qua. Tai ban dien tu: {link}',
      'Ho so {code} da co ket qua ban dien tu. Tai ve bang ma ho so va ma bi mat tren trang tra cuu ho so.',
    ],
    otherwise: [
      'Ho so {code} da co ket qua. Moi Ong/Ba mang giay hen den Bo phan mot cua {ward} de nhan.',
      'Ho so {code} da co ket qua. Moi Ong/Ba mang giay hen den Bo phan mot cua de nhan.',
    ],
  },
  RESULT_REFUSED: {
    fullyOnline: [
      'Ho so {code} khong duoc giai quyet. Xem ly do bang ma bi mat tai: {link}',
      'Ho so {code} khong duoc giai quyet. Ly do: {link}',
      'Ho so {code} khong duoc giai quyet. Tai thong bao ly do bang ma ho so va ma bi mat tren trang tra cuu ho so.',
    ],
    otherwise: [
      'Ho so {code} khong duoc giai quyet. Moi Ong/Ba den Bo phan mot cua {ward} nhan thong bao ly do.',
      'Ho so {code} khong duoc giai quyet. Moi Ong/Ba den Bo phan mot cua nhan thong bao ly do.',
    ],
  },
  DOSSIER_OVERDUE: [
    'Xin loi Ong/Ba: ho so {code} chua co ket qua dung hen ngay {date}. Chung toi se som thong bao ngay hen moi.',
    'Xin loi Ong/Ba: ho so {code} chua co ket qua dung hen. Chung toi se som thong bao ngay hen moi.',
  ],
  APPOINTMENT_RESCHEDULED: [
    'Ho so {code} co ngay hen tra ket qua moi: {date}. Mong Ong/Ba thong cam.',
    'Ho so {code} duoc hen lai ngay tra ket qua. Tra cuu: {link}',
    'Ho so {code} duoc hen lai ngay tra ket qua. Dung ma ho so de tra cuu.',
  ],
  DOSSIER_STOPPED: ['Ho so {code} da dung xu ly. Moi thac mac xin lien he Bo phan mot cua {ward}.', 'Ho so {code} da dung xu ly.'],
  RESULT_CANCELLED: [
    'Ket qua dien tu cua ho so {code} da bi huy. Kiem tra: {link}',
    'Ket qua dien tu cua ho so {code} da bi huy. Moi thac mac xin lien he Bo phan mot cua {ward}.',
    'Ket qua dien tu cua ho so {code} da bi huy.',
  ],
} as const satisfies Partial<Record<DomainEventType, SmsTemplate>>;

/** Events the citizen gets an SMS for. */
export type CitizenSmsEvent = keyof typeof CITIZEN_SMS_TEMPLATES;
export const CITIZEN_SMS_EVENTS = Object.keys(CITIZEN_SMS_TEMPLATES) as CitizenSmsEvent[];

/**
 * What an SMS or alert is made from: an outbox event (shared/domain/events.ts) of any type, its
 * `data` read field by field (a field the type does not have is absent).
 */
export interface NotificationEvent {
  readonly type: DomainEventType;
  readonly dossierCode: string;
  readonly at: Date;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Everything an SMS or an alert may say about its event, and the templates' only input: codes,
 * dates, numbers and the catalog's procedure name. There is no field for free text, so none can
 * be passed; {@link notificationFacts} is how an event becomes one.
 */
export interface NotificationFacts {
  /** Only {@link notificationFacts} makes facts: an event or a literal with other fields is no NotificationFacts. */
  readonly [FACTS]: true;
  readonly type: DomainEventType;
  /** The dossier's code, as the ward numbered it (checked against the code's format). */
  readonly dossierCode: string;
  readonly at: Date;
  /** The procedure's code and name in the ward's catalog, as the dossier keeps them. */
  readonly procedureCode?: string;
  readonly procedureName?: string;
  readonly fullyOnline?: boolean;
  /** The appointment the event is about: the new one of an apology, else the dossier's. */
  readonly appointmentAt?: Date;
  readonly amountVnd?: number;
  /** How many things a request to complete or supplement lists; what they are is the officer's text, and stays out. */
  readonly requestedCount?: number;
}

declare const FACTS: unique symbol;

/** The longest catalog name a message repeats (the catalog's are far shorter). */
const CATALOG_NAME_MAX = 300;

/**
 * The facts of an outbox event that a message may carry, and only those: whatever else the event
 * holds (a reason, a note, a list of items, anything a producer adds later) is not read.
 *
 * @throws RangeError when the event's dossier code is not one the ward issues
 */
export function notificationFacts(event: NotificationEvent): NotificationFacts {
  if (!isDossierCode(event.dossierCode)) throw new RangeError(`event ${event.type} is about no dossier code of the ward's format`);
  const { data } = event;
  const appointmentAt = instant(data.newAppointmentAt) ?? instant(data.appointmentAt);
  const amount = data.amountVnd;
  const requested = stringList(data.items).filter((item) => item.trim() !== '').length;
  const procedureName = typeof data.procedureName === 'string' ? catalogText(data.procedureName) : '';
  return {
    type: event.type,
    dossierCode: event.dossierCode,
    at: event.at,
    ...(typeof data.procedureCode === 'string' && PROCEDURE_CODE_PATTERN.test(data.procedureCode) ? { procedureCode: data.procedureCode } : {}),
    ...(procedureName ? { procedureName } : {}),
    ...(typeof data.fullyOnline === 'boolean' ? { fullyOnline: data.fullyOnline } : {}),
    ...(appointmentAt ? { appointmentAt } : {}),
    ...(typeof amount === 'number' && Number.isSafeInteger(amount) && amount >= 0 ? { amountVnd: amount } : {}),
    ...(requested > 0 ? { requestedCount: requested } : {}),
  } as NotificationFacts;
}

/** A catalog name as a message may repeat it: NFC, no control or format (bidi) characters, one line, bounded. */
const catalogText = (text: string): string =>
  text
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, CATALOG_NAME_MAX);

export interface NotificationContext {
  readonly ward: Pick<WardConfig, 'name' | 'smsSenderName'>;
  /** The citizens' site (or the API) without a trailing slash; '' when unknown. */
  readonly publicBaseUrl: string;
}

/** The public tracking link of a dossier: the portal's tracking page (every SMS and the submission's answer give it). */
export const trackingUrl = (publicBaseUrl: string, code: string): string => `${publicBaseUrl.replace(/\/+$/, '')}${CITIZEN_PAGES.dossier(code)}`;

/**
 * The SMS a citizen gets for an event: one GSM-7 segment starting with the ward's sender name,
 * e.g. `HOANKIEM: Ho so 000.00.70.H26-261122-0001 da duoc tiep nhan. Hen tra ket qua ngay 25/11/2026.`
 * Undefined for events the citizen gets no SMS for.
 *
 * @throws RangeError when not even the shortest variant fits (a sender name or dossier code far
 *   beyond what the ward configuration and the code format allow)
 */
export function citizenSms(event: NotificationFacts, context: NotificationContext): string | undefined {
  if (!isCitizenSmsEvent(event.type)) return undefined;
  const template: SmsTemplate = CITIZEN_SMS_TEMPLATES[event.type];
  const variants = isVariantList(template) ? template : event.fullyOnline === true ? template.fullyOnline : template.otherwise;
  const prefix = `${toSmsText(context.ward.smsSenderName)}: `;
  const values = smsValues(event, context);
  for (const variant of variants) {
    const text = renderSms(prefix, variant, values);
    if (text !== undefined) return text;
  }
  throw new RangeError(`No SMS variant of ${event.type} fits one segment for dossier ${event.dossierCode}`);
}

const isCitizenSmsEvent = (type: DomainEventType): type is CitizenSmsEvent => Object.hasOwn(CITIZEN_SMS_TEMPLATES, type);
const isSmsPlaceholder = (name: string): name is SmsPlaceholder => (SMS_PLACEHOLDERS as readonly string[]).includes(name);
const isVariantList = (template: SmsTemplate): template is SmsVariants => Array.isArray(template);

function smsValues(event: NotificationFacts, context: NotificationContext): Partial<Record<SmsPlaceholder, string>> {
  const link = context.publicBaseUrl ? trackingUrl(context.publicBaseUrl, event.dossierCode) : undefined;
  return nonEmpty({
    code: event.dossierCode,
    procedure: event.procedureName === undefined ? undefined : toSmsText(event.procedureName),
    date: event.appointmentAt ? formatVietnamDate(event.appointmentAt) : undefined,
    count: event.requestedCount === undefined ? undefined : String(event.requestedCount),
    amount: event.amountVnd === undefined ? undefined : `${groupThousands(event.amountVnd)} dong`,
    // A link that toSmsText would alter (a `~`, an IDN host …) would no longer lead anywhere: left out.
    link: link !== undefined && toSmsText(link) === link ? link : undefined,
    ward: toSmsText(context.ward.name),
  });
}

/** The variant filled in, shortening its catalog name if needed; undefined when it does not fit. */
function renderSms(prefix: string, variant: string, values: Partial<Record<SmsPlaceholder, string>>): string | undefined {
  const full = fill(variant, values);
  if (full === undefined) return undefined;
  if (fitsOneSegment(prefix + full)) return prefix + full;
  const shrinkable = placeholdersOf(variant)
    .filter(isSmsPlaceholder)
    .find((name) => SMS_SHRINKABLE[name] !== undefined);
  if (shrinkable === undefined) return undefined;
  const rest = fill(variant, { ...values, [shrinkable]: '' }) ?? '';
  const room = SMS_SEGMENT_SEPTETS - (gsm7Septets(prefix + rest) ?? Infinity);
  if (room < (SMS_SHRINKABLE[shrinkable] ?? Infinity)) return undefined;
  const shortened = fill(variant, { ...values, [shrinkable]: shorten(values[shrinkable] ?? '', room) });
  return shortened !== undefined && fitsOneSegment(prefix + shortened) ? prefix + shortened : undefined;
}

/**
 * Text cut to at most `max` characters, ending in "...": at a word or list boundary when that keeps
 * most of it, else mid-word.
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = Math.max(0, max - ELLIPSIS.length);
  let cut = text.slice(0, room);
  if (!/[\s;,]/.test(text.charAt(room))) {
    const boundary = Math.max(cut.lastIndexOf(' '), cut.lastIndexOf(';'), cut.lastIndexOf(','));
    if (boundary >= room * 0.6) cut = cut.slice(0, boundary);
  }
  return cut.replace(/[\s;,.:(-]+$/, '') + ELLIPSIS;
}

// ---------------------------------------------------------------------------------------------
// Officer alerts (e-mail through the ward's SNS topic: diacritics are fine)

/** SNS: "Subjects must be UTF-8 text with no line breaks or control characters, and less than 100 characters long." */
export const ALERT_SUBJECT_MAX = 99;

interface AlertTemplate {
  /** Subject variants after the `[ward name]` tag, first whose placeholders all have a value. */
  readonly subject: readonly string[];
  /** First paragraph: what happened and what to do. */
  readonly lead: string;
}

/** Alerts to the ward's officers, keyed by event type. */
export const OFFICER_ALERT_TEMPLATES = {
  DOSSIER_SUBMITTED: {
    subject: ['Hồ sơ trực tuyến mới {code}'],
    lead: 'Có hồ sơ nộp trực tuyến mới. Bộ phận một cửa cần kiểm tra để tiếp nhận, yêu cầu hoàn thiện hoặc từ chối tiếp nhận.',
  },
  DOSSIER_DUE_TOMORROW: {
    subject: ['Sắp đến hạn: hồ sơ {code} hẹn trả {date}', 'Sắp đến hạn: hồ sơ {code}'],
    lead: 'Hồ sơ dưới đây chưa giải quyết xong và đến hạn trả kết quả vào ngày làm việc tiếp theo. Nếu không kịp, hồ sơ sẽ quá hạn và công dân sẽ nhận tin nhắn xin lỗi.',
  },
  DOSSIER_OVERDUE: {
    subject: ['QUÁ HẠN: hồ sơ {code} (hẹn trả {date})', 'QUÁ HẠN: hồ sơ {code}'],
    lead: 'Hồ sơ dưới đây đã quá hạn trả kết quả mà chưa giải quyết xong; hệ thống gửi tin nhắn xin lỗi tới công dân. Lãnh đạo cần ban hành văn bản xin lỗi (Mẫu 04) nêu lý do và ngày hẹn trả mới.',
  },
} as const satisfies Partial<Record<DomainEventType, AlertTemplate>>;

export type OfficerAlertEvent = keyof typeof OFFICER_ALERT_TEMPLATES;
export const OFFICER_ALERT_EVENTS = Object.keys(OFFICER_ALERT_TEMPLATES) as OfficerAlertEvent[];

/**
 * The e-mail to the ward's officers for an event (new online dossier, due tomorrow, overdue);
 * undefined for the others. The subject is one line of at most {@link ALERT_SUBJECT_MAX} characters.
 */
export function officerAlert(event: NotificationFacts, context: NotificationContext): { subject: string; body: string } | undefined {
  if (!Object.hasOwn(OFFICER_ALERT_TEMPLATES, event.type)) return undefined;
  const template: AlertTemplate = OFFICER_ALERT_TEMPLATES[event.type as OfficerAlertEvent];
  const appointment = event.appointmentAt;
  const values = nonEmpty({ code: event.dossierCode, date: appointment ? formatVietnamDate(appointment) : undefined });
  const topic = template.subject.map((subject) => fill(subject, values)).find((subject) => subject !== undefined) ?? event.dossierCode;

  const { procedureName, procedureCode } = event;
  const facts: [label: string, value: string | undefined][] = [
    ['Mã hồ sơ', event.dossierCode],
    ['Thủ tục', procedureName && procedureCode ? `${procedureName} (${procedureCode})` : (procedureName ?? procedureCode)],
  ];
  if (event.type === 'DOSSIER_SUBMITTED') {
    const { fullyOnline } = event;
    facts.push(['Hình thức', fullyOnline === undefined ? undefined : fullyOnline ? 'Trực tuyến toàn trình' : 'Trực tuyến một phần']);
    facts.push(['Nộp lúc', formatVietnamDateTime(event.at)]);
  } else {
    facts.push(['Hẹn trả kết quả', appointment ? formatVietnamDateTime(appointment) : undefined]);
  }
  facts.push(['Tra cứu công khai', context.publicBaseUrl ? trackingUrl(context.publicBaseUrl, event.dossierCode) : undefined]);
  const wardName = context.ward.name.normalize('NFC');
  const body = [
    template.lead,
    '',
    ...facts.flatMap(([label, value]) => (value ? [`${label}: ${value}`] : [])),
    '',
    `Thư tự động của hệ thống Một Cửa Số, ${wardName}. Vui lòng không trả lời thư này.`,
  ].join('\n');
  return { subject: alertSubject(wardName, topic), body };
}

/** `[ward name] topic`, the ward name shortened when the whole would exceed the limit: the topic carries the dossier code. */
function alertSubject(wardName: string, topic: string): string {
  const tag = oneLine(wardName);
  const whole = `[${tag}] ${topic}`;
  if (whole.length <= ALERT_SUBJECT_MAX) return whole;
  const room = ALERT_SUBJECT_MAX - topic.length - '[…] '.length;
  return room > 0 ? `[${tag.slice(0, room).trimEnd()}…] ${topic}` : topic.slice(0, ALERT_SUBJECT_MAX);
}

/** `HH:mm dd/MM/yyyy`, Vietnam time. */
function formatVietnamDateTime(at: Date): string {
  const { minutes } = vietnamParts(at);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${hh}:${mm} ${formatVietnamDate(at)}`;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Placeholder names of a template, in order of appearance. */
export function placeholdersOf(template: string): string[] {
  return Array.from(template.matchAll(/\{(\w+)\}/g), (match) => match[1] ?? '');
}

/** The template filled in; undefined when a placeholder has no value. */
function fill(template: string, values: Partial<Record<string, string>>): string | undefined {
  let missing = false;
  const text = template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? undefined : text;
}

/** Drops empty values: an empty reason is no reason. */
function nonEmpty<K extends string>(values: Partial<Record<K, string | undefined>>): Partial<Record<K, string>> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => typeof value === 'string' && value !== '')) as Partial<Record<K, string>>;
}

/** An instant from the event data: an ISO string (as the outbox stores it) or a Date. */
function instant(value: unknown): Date | undefined {
  const date = typeof value === 'string' ? new Date(value) : value instanceof Date ? value : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** 1500000 → "1.500.000", as amounts are written in Vietnamese. */
const groupThousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

/** NFC, on one line (subjects and header-like fields must not carry line breaks or control characters). */
const oneLine = (text: string): string =>
  text
    .normalize('NFC')
    .replace(/[\s\p{Cc}]+/gu, ' ')
    .trim();

// ---------------------------------------------------------------------------------------------
// The officers' digest

/** One mail to the officers' topic. */
export interface AlertDigest {
  readonly subject: string;
  readonly body: string;
}

/** How the digest's subject counts its alerts, by event type. */
const DIGEST_COUNTS: Readonly<Record<OfficerAlertEvent, string>> = {
  DOSSIER_SUBMITTED: 'hồ sơ mới',
  DOSSIER_DUE_TOMORROW: 'sắp đến hạn',
  DOSSIER_OVERDUE: 'quá hạn',
};

/**
 * The digest of several alerts (each rendered by {@link officerAlert}, oldest first): a subject
 * that counts them by kind, and their texts one after the other. A single alert goes out as it is.
 */
export function alertDigest(
  alerts: readonly { readonly eventType: DomainEventType; readonly subject: string; readonly body: string }[],
  ward: Pick<WardConfig, 'name'>,
): AlertDigest {
  const [only] = alerts;
  if (alerts.length === 1 && only) return { subject: only.subject, body: only.body };
  const counts = new Map<string, number>();
  for (const alert of alerts) {
    const label = Object.hasOwn(DIGEST_COUNTS, alert.eventType) ? DIGEST_COUNTS[alert.eventType as OfficerAlertEvent] : 'khác';
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const topic = `${alerts.length} thông báo: ${[...counts].map(([label, count]) => `${count} ${label}`).join(', ')}`;
  const separator = '\n\n' + '—'.repeat(24) + '\n\n';
  const body = [
    `Tổng hợp ${alerts.length} thông báo của hệ thống Một Cửa Số từ thư trước đến nay, cũ nhất trước.`,
    ...alerts.map((alert) => `${alert.subject}\n\n${alert.body}`),
  ].join(separator);
  return { subject: alertSubject(ward.name.normalize('NFC'), topic), body };
}
