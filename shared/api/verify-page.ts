import type { DocumentVerification, Verification } from '../use-cases/verify-documents';
import { formatTimeAndDate } from '../documents/text';
import type { Language } from '../runtime/messages';
import { VERIFY_PAGE_STYLESHEET } from './portal-paths';

/**
 * The verify page a phone opens from the QR code of a document: one card per document of the
 * dossier with its state in words and colour, the facts checked, and plain words about the
 * certificate. Static HTML (no script), readable on a small screen, Vietnamese or English.
 */
export function verifyPageHtml(verification: Verification, lang: Language): string {
  const t = TEXT[lang];
  const subject = subjectOf(verification, lang);
  const cards = verification.documents.length === 0 ? `<p>${t.none}</p>` : verification.documents.map((document) => card(document, lang)).join('\n');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escape(`${t.title} ${subject.code}`)}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${VERIFY_PAGE_STYLESHEET}">
</head>
<body>
<header class="site-header"><div class="site-header__inner"><a class="site-header__title" href="/">${t.portal}</a><nav aria-label="${t.navigation}"><ul><li><a href="/">${t.catalog}</a></li><li><a href="?lang=${lang === 'vi' ? 'en' : 'vi'}" lang="${lang === 'vi' ? 'en' : 'vi'}">${t.otherLanguage}</a></li></ul></nav></div></header>
<main id="main">
<p class="muted">${escape(verification.ward.name)}, ${escape(verification.ward.province)}</p>
<h1>${t.title}</h1>
<p>${subject.line}</p>
${cards}
</main>
<footer class="site-footer"><div class="site-footer__inner"><p>${t.footer}</p><p><a href="?format=json">JSON</a></p></div></footer>
</body>
</html>
`;
}

/** The page's Content-Security-Policy: nothing runs, styles and images from its own origin only. */
export const VERIFY_PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The page's subject: the dossier and its procedure, or the register and its period. */
function subjectOf(verification: Verification, lang: Language): { readonly code: string; readonly line: string } {
  const t = TEXT[lang];
  if (verification.dossier) {
    const { code, procedure } = verification.dossier;
    return { code, line: `${t.dossier}: <strong>${escape(code)}</strong> · ${t.procedure}: ${escape(procedure.name)} (${escape(procedure.code)})` };
  }
  const { documentId, period } = verification.register;
  const day = (date: string): string => date.split('-').reverse().join('/');
  return { code: documentId, line: `${t.register(escape(day(period.from)), escape(day(period.to)))}: <strong>${escape(documentId)}</strong>` };
}

function card(document: DocumentVerification, lang: Language): string {
  const t = TEXT[lang];
  const state = document.state === 'VALID' ? t.valid : document.state === 'CANCELLED' ? t.cancelled : t.invalid;
  const rows: [string, string][] = [
    [t.number, escape(document.documentNumber)],
    [t.issued, escape(formatTimeAndDate(document.issuedAt))],
    [t.signer, escape(`${document.signer.name}, ${document.signer.position}`)],
    [t.sha256, `<code>${escape(document.sha256)}</code>`],
    [t.archive, document.archivedIntact ? t.archiveIntact : t.archiveAltered],
    [t.signature, signatureText(document, lang)],
  ];
  if (document.cancellation) rows.push([t.cancelledOn, escape(`${formatTimeAndDate(document.cancellation.at)}: ${document.cancellation.reason}`)]);
  return `<section class="verify-card verify-card--${document.state}" aria-labelledby="doc-${escape(document.id)}">
<p class="state">${state}</p>
<h2 id="doc-${escape(document.id)}">${escape(document.title)}</h2>
<dl class="summary">${rows.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('')}</dl>
</section>`;
}

function signatureText(document: DocumentVerification, lang: Language): string {
  const t = TEXT[lang];
  const { signature } = document;
  if (!signature.info) return t.unsigned;
  if (!signature.valid) return t.signatureInvalid;
  const authority = signature.info.authority === 'CONFIGURED_CA' ? t.configuredCa : signature.info.authority === 'SELF_ISSUED' ? t.selfIssued : t.localCa;
  const when = signature.signedAt ? ` ${t.at} ${escape(formatTimeAndDate(signature.signedAt))}` : '';
  return `${t.signatureValid}${when}. ${authority} <span lang="und">(${escape(signature.info.certificateSubject)})</span>`;
}

const TEXT = {
  vi: {
    title: 'Kiểm tra văn bản điện tử',
    dossier: 'Mã hồ sơ',
    procedure: 'Thủ tục',
    register: (from: string, to: string) => `Sổ theo dõi hồ sơ tiếp nhận từ ngày ${from} đến ngày ${to}`,
    none: 'Hồ sơ này chưa có văn bản nào được cấp.',
    valid: '✔ Văn bản hợp lệ',
    cancelled: '✖ Văn bản đã bị hủy',
    invalid: '✖ Văn bản không còn nguyên vẹn trong kho lưu trữ',
    number: 'Số',
    issued: 'Ngày cấp',
    signer: 'Người ký',
    sha256: 'Mã băm SHA-256',
    archive: 'Kho lưu trữ',
    archiveIntact: 'Tệp lưu trữ còn nguyên vẹn, đúng mã băm',
    archiveAltered: 'Tệp lưu trữ bị thiếu hoặc bị thay đổi',
    signature: 'Chữ ký số',
    unsigned: 'Văn bản cấp trước khi có chữ ký số: chỉ kiểm tra được bằng mã băm',
    signatureInvalid: 'Chữ ký số không hợp lệ',
    signatureValid: 'Chữ ký số hợp lệ',
    at: 'lúc',
    configuredCa: 'Chứng thư số do tổ chức chứng thực chữ ký số cấp.',
    selfIssued: 'Chứng thư số tự cấp của đơn vị, chưa do tổ chức cung cấp dịch vụ chứng thực chữ ký số cấp.',
    localCa: 'Chứng thư số thử nghiệm (chế độ chạy cục bộ), không có giá trị pháp lý.',
    cancelledOn: 'Đã hủy',
    footer: 'Để kiểm tra một tệp PDF bạn nhận được, gửi tệp đó tới POST /verify; khóa công khai và chuỗi chứng thư: /verify/public-key.',
    otherLanguage: 'English',
    portal: 'Dịch vụ công một cửa',
    navigation: 'Điều hướng chính',
    catalog: 'Thủ tục',
  },
  en: {
    title: 'Electronic document verification',
    dossier: 'Dossier code',
    procedure: 'Procedure',
    register: (from: string, to: string) => `Register of the dossiers received from ${from} to ${to}`,
    none: 'No document has been issued for this dossier yet.',
    valid: '✔ Valid document',
    cancelled: '✖ Cancelled document',
    invalid: '✖ The archive no longer holds this document as issued',
    number: 'Number',
    issued: 'Issued',
    signer: 'Signed by',
    sha256: 'SHA-256',
    archive: 'Archive',
    archiveIntact: 'The archived file is intact and matches its hash',
    archiveAltered: 'The archived file is missing or altered',
    signature: 'Digital signature',
    unsigned: 'Issued before documents were signed: verifiable by its hash only',
    signatureInvalid: 'The digital signature is not valid',
    signatureValid: 'Valid digital signature',
    at: 'at',
    configuredCa: "Certificate issued by the ward's certification authority.",
    selfIssued: 'Self-issued certificate of the ward, not (yet) issued by a licensed certification authority.',
    localCa: 'Test certificate (local mode), no legal value.',
    cancelledOn: 'Cancelled',
    footer: 'To check a PDF you received, send it to POST /verify; the public key and certificate chain: /verify/public-key.',
    otherLanguage: 'Tiếng Việt',
    portal: 'One-stop public services',
    navigation: 'Main navigation',
    catalog: 'Procedures',
  },
} as const;

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
