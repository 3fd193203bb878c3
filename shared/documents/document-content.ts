/**
 * What each kind of document says, block by block, in the words of its official form; how the
 * blocks are drawn is ./pdf-layout.ts's business, the same for every kind.
 *
 * Wording: Circular 03/2025/TT-VPCP's Appendix I lists its forms (01 receipt and appointment, 02
 * request to supplement or complete, 03 refusal to receive, 04 apology and request to extend the
 * time limit, 05 notice that processing stopped, 06 control sheet, 07 register); where the 2025
 * forms' full text could not be read, the content follows the forms of Circular 01/2018/TT-VPCP
 * that they continue (same titles and fields for 01, 02, 03, 06 and 07; 04 keeps the 2018
 * apology's sentences with the new appointment as an extension; 05, new in 2025, says when and why
 * processing stopped). Differences from the paper forms, on purpose: printed on A4 (the forms ask
 * for A5, the register for A4) so that every archived document has one page size; the one-stop
 * desk is "Bộ phận Một cửa" (Decree 118/2025's name for the former "Bộ phận tiếp nhận và trả kết
 * quả"); the applicant's and officers' handwritten signatures become the issuer's digital one,
 * and the register's "ký nhận" column is left out.
 */
import { formatVietnamDate } from '../domain/time';
import type {
  ApologyForm,
  ApplicantDetails,
  ControlSheetForm,
  DossierDocument,
  DossierRegisterForm,
  IntakeRefusalForm,
  OfficialDocument,
  ReceiptForm,
  ReceivedDocument,
  RefusalDocument,
  SignatureAppearance,
  StopNoticeForm,
  SupplementRequestForm,
} from './document-types';
import { titleOf } from './document-types';
import type { Block, DetailRow, DetailsBlock, DocumentLayout } from './pdf-layout';
import { REGISTER_COLUMNS, registerCells } from './register';
import { dateLineOf, formatFormDateTime, formatLocalDay, formatTimeAndDate, normaliseStrings, placeNameOf, singleLine, twoDigits, upper, wardInText } from './text';
import type { Channel, ReturnMethod } from '../domain/dossier';

/** The layout of a document: its header, title, blocks, signature and footer. */
export function layoutOf(input: OfficialDocument): DocumentLayout {
  const document = normaliseStrings(input);
  const content = contentOf(document);
  const ward = { name: singleLine(document.ward.name), province: singleLine(document.ward.province) };
  return {
    orientation: content.orientation ?? 'portrait',
    issuer: content.issuedBy === 'DESK' ? { superior: `Ủy ban nhân dân\n${ward.name}`, body: 'Bộ phận Một cửa' } : { body: `Ủy ban nhân dân\n${ward.name}` },
    documentNumber: singleLine(document.documentNumber),
    dateLine: dateLineOf(document.placeName === undefined ? placeNameOf(ward.name) : singleLine(document.placeName), document.issuedAt),
    title: titleOf(document),
    ...(content.subtitle === undefined ? {} : { subtitle: content.subtitle }),
    blocks: content.blocks,
    signature: {
      position: document.signature.signerPosition,
      boxLines: signatureBoxLines(document.signature),
      name: singleLine(document.signature.signerName),
    },
    // Trimmed only: the QR code encodes the URL exactly as given.
    verifyUrl: input.verifyUrl.trim(),
    footer: content.about,
    metadata: {
      title: titleOf(document),
      author: ward.name,
      subject: content.subject,
      keywords: [...content.keywords, document.documentNumber, `${ward.name}, ${ward.province}`],
      date: document.issuedAt,
    },
    fingerprint: JSON.stringify(input),
  };
}

/**
 * The certificate's standing, said plainly: a signature is only worth what vouches for its key.
 * The verify page says the same words.
 */
export function certificateStandingOf(signature: Pick<SignatureAppearance, 'authority' | 'certificateIssuer' | 'organization'>): string {
  switch (signature.authority) {
    case 'CONFIGURED_CA':
      return `Chứng thư số do ${signature.certificateIssuer} cấp`;
    case 'SELF_ISSUED':
      return `Chứng thư số tự cấp của ${signature.organization}, chưa do tổ chức cung cấp dịch vụ chứng thực chữ ký số cấp`;
    case 'LOCAL_TEST_CA':
      return 'Chứng thư số thử nghiệm (chế độ chạy cục bộ), không có giá trị pháp lý';
  }
}

/** The lines of the bordered block in the signer's place. */
export function signatureBoxLines(signature: SignatureAppearance): string[] {
  const normalised = normaliseStrings(signature);
  return [
    `Ký số bởi: ${normalised.organization}`,
    `Người ký: ${normalised.signerName}`,
    `Thời gian ký: ${formatTimeAndDate(normalised.signedAt)}`,
    certificateStandingOf(normalised),
  ];
}

interface Content {
  /** `WARD`: the ward's People's Committee (results, refusals, the apology); `DESK`: its one-stop desk. */
  readonly issuedBy: 'WARD' | 'DESK';
  readonly orientation?: 'portrait' | 'landscape';
  readonly subtitle?: string;
  readonly blocks: readonly Block[];
  /** The footer: what the document is about. */
  readonly about: string;
  readonly subject: string;
  readonly keywords: readonly string[];
}

function contentOf(document: OfficialDocument): Content {
  if (document.kind === 'FORM_07') return registerContent(document);
  const dossier = { about: `Mã hồ sơ: ${document.dossierCode}`, subject: `${document.procedureName} (hồ sơ ${document.dossierCode})`, keywords: [document.dossierCode] };
  switch (document.kind) {
    case 'RESULT':
      return { ...dossier, issuedBy: 'WARD', blocks: [{ type: 'paragraphs', text: document.content }, resultDetails(document)] };
    case 'REFUSAL':
      return { ...dossier, issuedBy: 'WARD', ...refusalSubtitle(document), blocks: [{ type: 'paragraphs', text: document.content }, resultDetails(document)] };
    case 'FORM_01':
      return { ...dossier, issuedBy: 'DESK', blocks: receiptBlocks(document) };
    case 'FORM_02':
      return { ...dossier, issuedBy: 'DESK', blocks: supplementRequestBlocks(document) };
    case 'FORM_03':
      return { ...dossier, issuedBy: 'DESK', blocks: intakeRefusalBlocks(document) };
    case 'FORM_04':
      return { ...dossier, issuedBy: 'WARD', blocks: apologyBlocks(document) };
    case 'FORM_05':
      return { ...dossier, issuedBy: 'DESK', blocks: stopNoticeBlocks(document) };
    case 'FORM_06':
      return { ...dossier, issuedBy: 'DESK', blocks: controlSheetBlocks(document) };
  }
}

/**
 * The "Về việc …" line under a refusal's title. A subject that only repeats the title (as callers
 * used to pass it) is left out rather than printing the title twice.
 */
function refusalSubtitle(document: RefusalDocument): { subtitle?: string } {
  const subject = singleLine(document.subject);
  return subject === '' || upper(subject) === titleOf(document) ? {} : { subtitle: subject };
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

const deskOf = (document: OfficialDocument): string => `Bộ phận Một cửa ${wardInText(singleLine(document.ward.name))}`;
const committeeOf = (document: OfficialDocument): string => `Ủy ban nhân dân ${wardInText(singleLine(document.ward.name))}`;

const paragraphs = (...texts: string[]): Block => ({ type: 'paragraphs', text: texts.join('\n\n') });
const details = (...rows: (DetailRow | undefined)[]): DetailsBlock => ({ type: 'details', rows: rows.filter((row) => row !== undefined) });
const row = (label: string, value: string | undefined, bold = false): DetailRow | undefined =>
  value === undefined || value === '' ? undefined : { label: `${label}:`, value, bold };
const addressee = (applicant: ApplicantDetails): Block => ({ type: 'paragraphs', text: `Kính gửi: Ông/Bà ${applicant.fullName}`, align: 'centre' });

/** The dossier's code and applicant as the forms list them; `nameLabel` is the form's own words. */
function dossierRows(document: DossierDocument, nameLabel: string, options: { readonly contact?: boolean; readonly procedureLabel?: string } = {}): (DetailRow | undefined)[] {
  const { applicant } = document;
  return [
    row('Mã hồ sơ', document.dossierCode, true),
    row(nameLabel, applicant.fullName, true),
    row('Số định danh cá nhân', applicant.idNumber),
    row('Địa chỉ', applicant.address),
    options.contact === true ? row('Số điện thoại', applicant.phone) : undefined,
    options.contact === true ? row('Email', applicant.email) : undefined,
    row(options.procedureLabel ?? 'Nội dung yêu cầu giải quyết', document.procedureName),
  ];
}

/** A result's identifiers, under its text and set apart by a rule. */
function resultDetails(document: DossierDocument): Block {
  return { ...details(...dossierRows(document, 'Người nộp hồ sơ', { procedureLabel: 'Thủ tục hành chính' })), ruleAbove: true };
}

// ---------------------------------------------------------------------------------------------
// Form 01: receipt and appointment

const CHANNEL_WORDS: Readonly<Record<Channel, string>> = {
  COUNTER: 'Trực tiếp',
  ONLINE: 'Trực tuyến',
  POSTAL: 'Qua dịch vụ bưu chính công ích',
};

const DOCUMENT_FORM_WORDS: Readonly<Record<ReceivedDocument['form'], string>> = {
  ORIGINAL: 'bản chính',
  COPY: 'bản sao',
  ORIGINAL_OR_COPY: 'bản chính hoặc bản sao',
  FILE: 'tệp điện tử',
};

function resultDeliveryWords(document: ReceiptForm): string {
  const { method, address } = document.resultDelivery;
  const words: Readonly<Record<ReturnMethod, string>> = {
    COUNTER: `Trực tiếp tại ${deskOf(document)}${address === undefined ? '' : `, ${address}`}`,
    ONLINE: 'Trực tuyến: kết quả bản điện tử tải về từ trang tra cứu hồ sơ',
    POSTAL: `Qua dịch vụ bưu chính công ích${address === undefined ? '' : `, đến địa chỉ: ${address}`}`,
  };
  return words[method];
}

function receiptBlocks(document: ReceiptForm): Block[] {
  return [
    paragraphs(`${deskOf(document)} tiếp nhận hồ sơ:`),
    details(...dossierRows(document, 'Người nộp hồ sơ', { contact: true }), row('Hình thức nộp hồ sơ', CHANNEL_WORDS[document.channel])),
    paragraphs('Thành phần hồ sơ nộp gồm:'),
    {
      type: 'table',
      columns: [
        { header: 'STT', width: 8, align: 'centre' },
        { header: 'Tên giấy tờ', width: 64 },
        { header: 'Số lượng', width: 24, align: 'centre' },
      ],
      rows: document.documents.map((item, index) => [String(index + 1), item.name, `${twoDigits(item.quantity)} ${DOCUMENT_FORM_WORDS[item.form]}`]),
    },
    details(
      row('Thời gian giải quyết theo quy định', document.timeLimitDays === 0 ? 'Trong ngày làm việc' : `${twoDigits(document.timeLimitDays)} ngày làm việc`),
      row('Thời gian nhận hồ sơ', formatFormDateTime(document.receivedAt)),
      row('Thời gian trả kết quả giải quyết hồ sơ', formatFormDateTime(document.appointmentAt), true),
      row('Nơi, hình thức nhận kết quả', resultDeliveryWords(document)),
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// Form 02: request to supplement or complete

function supplementRequestBlocks(document: SupplementRequestForm): Block[] {
  const desk = deskOf(document);
  const request =
    document.stage === 'COMPLETION'
      ? `Qua kiểm tra, hồ sơ của Ông/Bà chưa đầy đủ, hợp lệ. ${desk} đề nghị Ông/Bà hoàn thiện hồ sơ gồm những nội dung sau:`
      : `Trong quá trình giải quyết, hồ sơ của Ông/Bà cần được bổ sung. ${desk} đề nghị Ông/Bà bổ sung hồ sơ gồm những nội dung sau:`;
  return [
    details(...dossierRows(document, 'Hồ sơ của', { contact: true })),
    paragraphs(request),
    { type: 'list', items: document.items },
    details(row('Lý do', document.reason)),
    paragraphs(
      'Các nội dung trên được yêu cầu một lần, đầy đủ. Thời gian bổ sung, hoàn thiện hồ sơ không tính vào thời hạn giải quyết.',
      `Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với ${document.contact ?? desk} để được hướng dẫn.`,
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// Form 03: refusal at intake

function intakeRefusalBlocks(document: IntakeRefusalForm): Block[] {
  const basis = document.legalBasis === undefined ? '' : `Căn cứ ${document.legalBasis}, `;
  return [
    details(...dossierRows(document, 'Hồ sơ của'), row('Thời gian nộp hồ sơ', formatFormDateTime(document.submittedAt))),
    paragraphs(`${basis}${deskOf(document)} từ chối tiếp nhận hồ sơ của Ông/Bà với lý do cụ thể như sau:`),
    { type: 'list', items: document.reasons },
    paragraphs('Xin thông báo để Ông/Bà được biết và thực hiện./.'),
  ];
}

// ---------------------------------------------------------------------------------------------
// Form 04: apology and extension

function apologyBlocks(document: ApologyForm): Block[] {
  const committee = committeeOf(document);
  const late =
    document.issuedAt.getTime() > document.previousAppointmentAt.getTime()
      ? `Tuy nhiên, đến nay ${committee} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hẹn.`
      : `Tuy nhiên, ${committee} không thể trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hẹn.`;
  return [
    addressee(document.applicant),
    details(...dossierRows(document, 'Người nộp hồ sơ')),
    paragraphs(
      `Ngày ${formatVietnamDate(document.receivedAt)}, ${committee} tiếp nhận hồ sơ nêu trên của Ông/Bà, hẹn trả kết quả giải quyết vào ${formatFormDateTime(document.previousAppointmentAt)}. ${late}`,
    ),
    details(row('Lý do', document.reason)),
    paragraphs(
      `Sự chậm trễ này gây phiền hà, tốn kém thời gian của Ông/Bà. ${committee} xin lỗi Ông/Bà và đề nghị gia hạn thời gian giải quyết, hẹn trả kết quả giải quyết hồ sơ vào ${formatFormDateTime(document.newAppointmentAt)}.`,
      'Xin trân trọng cảm ơn./.',
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// Form 05: processing stopped

function stopNoticeBlocks(document: StopNoticeForm): Block[] {
  const desk = deskOf(document);
  const since = formatFormDateTime(document.stoppedAt);
  const notice =
    document.ground === 'WITHDRAWN'
      ? `${document.withdrawalRequestedAt === undefined ? 'Ông/Bà' : `Ngày ${formatVietnamDate(document.withdrawalRequestedAt)}, Ông/Bà`} đã đề nghị rút hồ sơ nêu trên. ${desk} thông báo dừng giải quyết hồ sơ kể từ ${since}.`
      : `${document.legalBasis === undefined ? 'Theo quy định của pháp luật' : `Căn cứ ${document.legalBasis}`}, ${desk} thông báo dừng giải quyết hồ sơ nêu trên kể từ ${since}.`;
  return [
    addressee(document.applicant),
    details(
      ...dossierRows(document, 'Người nộp hồ sơ'),
      row('Thời gian nộp hồ sơ', formatFormDateTime(document.submittedAt)),
      row('Thời gian tiếp nhận hồ sơ', document.receivedAt === undefined ? undefined : formatFormDateTime(document.receivedAt)),
    ),
    paragraphs(notice),
    details(row('Lý do', document.reason)),
    paragraphs('Xin thông báo để Ông/Bà được biết./.'),
  ];
}

// ---------------------------------------------------------------------------------------------
// Form 06: control sheet

function controlSheetBlocks(document: ControlSheetForm): Block[] {
  const { applicant } = document;
  const contact = [applicant.phone, applicant.email].filter((part) => part !== undefined && part !== '').join(' - ');
  return [
    details(
      row('Mã hồ sơ', document.dossierCode, true),
      row('Kèm theo hồ sơ của', applicant.fullName, true),
      row('Liên hệ', contact),
      row('Nội dung yêu cầu giải quyết', document.procedureName),
      row('Cơ quan giải quyết hồ sơ', committeeOf(document)),
      row('Thời gian tiếp nhận hồ sơ', document.receivedAt === undefined ? undefined : formatFormDateTime(document.receivedAt)),
      row('Thời gian hẹn trả kết quả', document.appointmentAt === undefined ? undefined : formatFormDateTime(document.appointmentAt)),
    ),
    {
      type: 'table',
      columns: [
        { header: 'STT', width: 8, align: 'centre' },
        { header: 'Giao, nhận hồ sơ', width: 38 },
        { header: 'Thời gian giao, nhận', width: 18, align: 'centre' },
        { header: 'Kết quả giải quyết hồ sơ', width: 24 },
        { header: 'Ghi chú', width: 24 },
      ],
      rows: document.handovers.map((handover, index) => [
        String(index + 1),
        `Giao: ${handover.from}\nNhận: ${handover.to}`,
        formatTimeAndDate(handover.at),
        handover.result,
        handover.note ?? '',
      ]),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Form 07: register

function registerContent(document: DossierRegisterForm): Content {
  const period = `từ ngày ${formatLocalDay(document.period.from)} đến ngày ${formatLocalDay(document.period.to)}`;
  return {
    issuedBy: 'DESK',
    orientation: 'landscape',
    subtitle: `(${period[0]?.toLocaleUpperCase('vi') ?? ''}${period.slice(1)})`,
    blocks: [{ type: 'table', columns: REGISTER_COLUMNS, rows: document.rows.map(registerCells), size: 9.5 }, paragraphs(`Tổng số: ${document.rows.length} hồ sơ.`)],
    about: `Sổ theo dõi hồ sơ ${period}`,
    subject: `Sổ theo dõi hồ sơ ${period}, ${singleLine(document.ward.name)}`,
    keywords: [],
  };
}
