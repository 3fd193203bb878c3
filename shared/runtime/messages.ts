import type { Bilingual } from '../domain/errors';

export type Language = 'vi' | 'en';

/**
 * The caller's language from `Accept-Language`: English when it prefers English over Vietnamese,
 * Vietnamese otherwise (the default for a Vietnamese public service).
 */
export function negotiateLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'vi';
  let best: { lang: Language; q: number } = { lang: 'vi', q: 0 };
  for (const part of acceptLanguage.split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    const primary = tag.split('-')[0];
    if ((primary === 'vi' || primary === 'en') && q > best.q) best = { lang: primary, q };
  }
  return best.lang;
}

/** Titles of problem responses, by stable code. */
const TITLES: Readonly<Record<string, Bilingual>> = {
  VALIDATION_FAILED: { vi: 'Dữ liệu không hợp lệ', en: 'Validation failed' },
  MALFORMED_JSON: { vi: 'JSON không hợp lệ', en: 'Malformed JSON' },
  UNKNOWN_PROCEDURE: { vi: 'Thủ tục không tồn tại', en: 'Unknown procedure' },
  UNKNOWN_UPLOAD: { vi: 'Tệp đính kèm không tồn tại', en: 'Unknown upload' },
  UPLOAD_REFUSED: { vi: 'Tệp đính kèm không được chấp nhận', en: 'Upload refused' },
  UPLOAD_ALREADY_ATTACHED: { vi: 'Tệp đã được đính kèm vào hồ sơ khác', en: 'Upload already attached' },
  UPLOAD_SCAN_PENDING: { vi: 'Tệp đang được kiểm tra mã độc', en: 'Upload scan pending' },
  MISSING_DOCUMENTS: { vi: 'Thiếu thành phần hồ sơ', en: 'Required documents missing' },
  CHANGE_NOT_REQUESTED: { vi: 'Nội dung không được yêu cầu bổ sung', en: 'Change not requested' },
  NOT_FOUND: { vi: 'Không tìm thấy', en: 'Not found' },
  INVALID_TRANSITION: { vi: 'Thao tác không hợp lệ với trạng thái hồ sơ', en: 'Invalid transition' },
  SUPPLEMENT_LIMIT_REACHED: { vi: 'Đã hết số lần yêu cầu bổ sung', en: 'Supplement requests used up' },
  ALREADY_RATED: { vi: 'Hồ sơ đã được đánh giá', en: 'Already rated' },
  NOT_RESOLVED: { vi: 'Hồ sơ chưa có kết quả', en: 'No result yet' },
  PRECONDITION_FAILED: { vi: 'Phiên bản hồ sơ không khớp', en: 'Version mismatch' },
  VERSION_CONFLICT: { vi: 'Xung đột phiên bản', en: 'Version conflict' },
  UNAUTHORIZED: { vi: 'Chưa đăng nhập', en: 'Unauthorized' },
  FORBIDDEN: { vi: 'Không có quyền', en: 'Forbidden' },
  SIGN_IN_REQUIRED: { vi: 'Cần đăng nhập', en: 'Sign-in required' },
  SIGN_IN_INVALID: { vi: 'Đăng nhập không hợp lệ', en: 'Sign-in not valid' },
  APPLICANT_NOT_SIGNED_IN_PERSON: { vi: 'Người nộp không phải người đăng nhập', en: 'Applicant is not the signed-in person' },
  IDEMPOTENCY_KEY_REUSED: { vi: 'Khóa Idempotency-Key đã được dùng', en: 'Idempotency key reused' },
  PAYLOAD_TOO_LARGE: { vi: 'Nội dung quá lớn', en: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { vi: 'Kiểu nội dung không được hỗ trợ', en: 'Unsupported media type' },
  RATE_LIMITED: { vi: 'Quá nhiều yêu cầu', en: 'Too many requests' },
  SERVICE_BUSY: { vi: 'Hệ thống đang bận', en: 'Service busy' },
  DATE_OUT_OF_RANGE: { vi: 'Ngày ngoài lịch làm việc', en: 'Date out of range' },
  BODY_TOO_COMPLEX: { vi: 'Nội dung quá phức tạp', en: 'Body too complex' },
  INTERNAL_ERROR: { vi: 'Lỗi hệ thống', en: 'Internal error' },
};

export function titleOf(code: string, lang: Language): string {
  return (TITLES[code] ?? TITLES.INTERNAL_ERROR ?? { vi: 'Lỗi', en: 'Error' })[lang];
}

/** Our own validation messages, referred to as `@KEY` in schemas. */
const FIELD_MESSAGES: Readonly<Record<string, Bilingual>> = {
  ID_NUMBER_FORMAT: { vi: 'Số định danh cá nhân phải gồm đúng 12 chữ số.', en: 'The personal ID number must be exactly 12 digits.' },
  ID_NUMBER_PROVINCE: { vi: 'Mã tỉnh trong số định danh cá nhân không tồn tại.', en: 'The province code of the personal ID number does not exist.' },
  ID_NUMBER_BIRTH_YEAR: { vi: 'Năm sinh trong số định danh cá nhân không hợp lệ.', en: 'The birth year encoded in the personal ID number is not valid.' },
  APPLICANT_NOT_SIGNED_IN_PERSON: {
    vi: 'Thông tin này khác với thông tin của tài khoản định danh đang đăng nhập.',
    en: 'This differs from the signed-in identity account.',
  },
  APPLICANT_FIELD_REQUIRED: { vi: 'Cần nhập thông tin này.', en: 'This is required.' },
  PHONE_INVALID: {
    vi: 'Số điện thoại di động phải có dạng 0xxxxxxxxx hoặc +84xxxxxxxxx.',
    en: 'The mobile number must look like 0xxxxxxxxx or +84xxxxxxxxx.',
  },
  FULLY_ONLINE_NOT_OFFERED: {
    vi: 'Thủ tục này không được thực hiện toàn trình trực tuyến.',
    en: 'This procedure cannot be done fully online.',
  },
  DOCUMENT_NOT_IN_PROCEDURE: { vi: 'Giấy tờ này không thuộc thành phần hồ sơ của thủ tục.', en: 'This document is not part of the procedure.' },
  FIELD_NOT_IN_PROCEDURE: { vi: 'Thủ tục không có trường thông tin này.', en: 'The procedure has no such form field.' },
  FIELD_NOT_REQUESTED: { vi: 'Trường thông tin này không nằm trong yêu cầu bổ sung.', en: 'This form field was not requested.' },
  DOCUMENT_NOT_REQUESTED: { vi: 'Giấy tờ này không nằm trong yêu cầu bổ sung.', en: 'This document was not requested.' },
  UPLOAD_NOT_FOUND: { vi: 'Không tìm thấy tệp đã tải lên (hoặc tệp đã hết hạn).', en: 'The uploaded file was not found (or has expired).' },
  UPLOAD_DUPLICATED: { vi: 'Một tệp chỉ được đính kèm một lần.', en: 'A file may be attached only once.' },
  UPLOAD_TYPE_MISMATCH: {
    vi: 'Nội dung tệp không đúng loại tệp đã khai báo (chỉ nhận PDF, JPEG hoặc PNG thật).',
    en: 'The file content is not of the declared type (only real PDF, JPEG or PNG files are accepted).',
  },
  UPLOAD_SIZE_MISMATCH: { vi: 'Kích thước tệp không đúng kích thước đã khai báo.', en: 'The file size is not the declared size.' },
  UPLOAD_INFECTED: { vi: 'Tệp có mã độc và đã bị từ chối.', en: 'The file contains malware and is refused.' },
  UPLOAD_NOT_SCANNED: { vi: 'Không kiểm tra được mã độc trong tệp. Hãy tải tệp lên lại.', en: 'The file could not be scanned for malware. Upload it again.' },
  FILE_NAME_EMPTY: { vi: 'Tên tệp phải có ít nhất một ký tự in được.', en: 'The file name must have at least one printable character.' },
  DOCUMENT_REQUIRED: { vi: 'Thiếu giấy tờ bắt buộc.', en: 'A required document is missing.' },
  DATE_TIME_INVALID: { vi: 'Thời điểm phải theo ISO 8601, ví dụ 2026-01-05T09:30:00+07:00.', en: 'The instant must be ISO 8601, e.g. 2026-01-05T09:30:00+07:00.' },
  IDEMPOTENCY_KEY_REQUIRED: {
    vi: 'Cần header Idempotency-Key (8–128 ký tự: chữ, số, - _ . :).',
    en: 'The Idempotency-Key header is required (8–128 characters: letters, digits, - _ . :).',
  },
  NAME_NOT_PRINTABLE: {
    vi: 'Họ tên chỉ gồm chữ cái (có dấu), khoảng trắng, dấu chấm, dấu gạch nối và dấu nháy.',
    en: 'The name may contain only letters (with diacritics), spaces, dots, hyphens and apostrophes.',
  },
  ADDRESS_NOT_PRINTABLE: {
    vi: 'Địa chỉ chỉ gồm chữ cái, chữ số và dấu câu thông thường.',
    en: 'The address may contain only letters, digits and ordinary punctuation.',
  },
  TEXT_MALFORMED: { vi: 'Văn bản có ký tự không hợp lệ (nửa cặp thay thế UTF-16).', en: 'The text holds an invalid character (half of a UTF-16 surrogate pair).' },
  TEXT_NOT_PRINTABLE: {
    vi: 'Văn bản có ký tự không in được trên bản điện tử (ví dụ biểu tượng cảm xúc).',
    en: 'The text has characters the e-copy cannot print (an emoji, for example).',
  },
  DATE_OUT_OF_RANGE: { vi: 'Ngày phải trong các năm 1990–2100 (giờ Việt Nam).', en: 'The date must fall in the years 1990–2100 (Vietnam time).' },
  DATE_INVALID: { vi: 'Ngày phải theo dạng YYYY-MM-DD, ví dụ 2026-01-05.', en: 'The date must be YYYY-MM-DD, e.g. 2026-01-05.' },
  SUPPLEMENT_EMPTY: {
    vi: 'Cần gửi ít nhất một tệp, một nội dung sửa đổi hoặc một ghi chú.',
    en: 'Send at least one file, one correction or a note.',
  },
  IF_MATCH_INVALID: { vi: 'If-Match phải là ETag của hồ sơ, ví dụ "3".', en: 'If-Match must be the dossier\'s ETag, e.g. "3".' },
  CONTENT_TYPE_NOT_ALLOWED: { vi: 'Chỉ nhận tệp PDF, JPEG hoặc PNG.', en: 'Only PDF, JPEG or PNG files are accepted.' },
  FILE_TOO_LARGE: { vi: 'Tệp không được lớn hơn 10 MB.', en: 'The file must not be larger than 10 MB.' },
};

/** Translates `@KEY` messages; other messages were produced in the caller's language already. */
export function fieldMessage(message: Bilingual | string, lang: Language): string {
  if (typeof message !== 'string') return message[lang];
  if (!message.startsWith('@')) return message;
  return FIELD_MESSAGES[message.slice(1)]?.[lang] ?? message.slice(1);
}
