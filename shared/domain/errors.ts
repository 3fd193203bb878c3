/**
 * Domain errors: each has a stable machine `code`, the HTTP status it maps to, and a human detail
 * in Vietnamese and English. One mapper (shared/runtime/problem.ts) turns them into problem+json.
 */
export interface Bilingual {
  readonly vi: string;
  readonly en: string;
}

export interface FieldIssue {
  readonly path: string;
  readonly message: Bilingual | string;
  /** The field's label as the citizen sees it (a procedure's form field): the message names it. */
  readonly label?: string;
}

/**
 * Every problem code the API (its handlers and its gateway) answers, with its HTTP status and its
 * title (RFC 9457: the same for every occurrence of the type, distinct from every other's).
 */
export const PROBLEMS = {
  VALIDATION_FAILED: { status: 400, title: { vi: 'Dữ liệu không hợp lệ', en: 'Validation failed' } },
  MALFORMED_JSON: { status: 400, title: { vi: 'JSON không hợp lệ', en: 'Malformed JSON' } },
  BODY_TOO_COMPLEX: { status: 400, title: { vi: 'Nội dung quá phức tạp', en: 'Body too complex' } },
  DATE_OUT_OF_RANGE: { status: 400, title: { vi: 'Ngày ngoài lịch làm việc', en: 'Date out of range' } },
  UNKNOWN_PROCEDURE: { status: 400, title: { vi: 'Thủ tục không tồn tại', en: 'Unknown procedure' } },
  UNKNOWN_UPLOAD: { status: 400, title: { vi: 'Tệp đính kèm không tồn tại', en: 'Unknown upload' } },
  UPLOAD_REFUSED: { status: 400, title: { vi: 'Tệp đính kèm không được chấp nhận', en: 'Upload refused' } },
  MISSING_DOCUMENTS: { status: 400, title: { vi: 'Thiếu thành phần hồ sơ', en: 'Required documents missing' } },
  CHANGE_NOT_REQUESTED: { status: 400, title: { vi: 'Nội dung không được yêu cầu bổ sung', en: 'Change not requested' } },
  BAD_REQUEST: { status: 400, title: { vi: 'Yêu cầu không hợp lệ', en: 'Bad request' } },
  UNAUTHORIZED: { status: 401, title: { vi: 'Chưa đăng nhập', en: 'Unauthorized' } },
  FORBIDDEN: { status: 403, title: { vi: 'Không có quyền', en: 'Forbidden' } },
  SIGN_IN_REQUIRED: { status: 401, title: { vi: 'Cần đăng nhập', en: 'Sign-in required' } },
  SIGN_IN_INVALID: { status: 401, title: { vi: 'Đăng nhập không hợp lệ', en: 'Sign-in not valid' } },
  APPLICANT_NOT_SIGNED_IN_PERSON: { status: 400, title: { vi: 'Người nộp không phải người đăng nhập', en: 'Applicant is not the signed-in person' } },
  REQUEST_BLOCKED: { status: 403, title: { vi: 'Tường lửa đã chặn yêu cầu', en: 'Blocked by the firewall' } },
  NOT_FOUND: { status: 404, title: { vi: 'Không tìm thấy', en: 'Not found' } },
  INVALID_TRANSITION: { status: 409, title: { vi: 'Thao tác không hợp lệ với trạng thái hồ sơ', en: 'Invalid transition' } },
  VERSION_CONFLICT: { status: 409, title: { vi: 'Xung đột phiên bản', en: 'Version conflict' } },
  UPLOAD_ALREADY_ATTACHED: { status: 409, title: { vi: 'Tệp đã được đính kèm vào hồ sơ khác', en: 'Upload already attached' } },
  SUPPLEMENT_LIMIT_REACHED: { status: 409, title: { vi: 'Đã hết số lần yêu cầu bổ sung', en: 'Supplement requests used up' } },
  ALREADY_RATED: { status: 409, title: { vi: 'Hồ sơ đã được đánh giá', en: 'Already rated' } },
  NOT_RESOLVED: { status: 409, title: { vi: 'Hồ sơ chưa có kết quả', en: 'No result yet' } },
  NO_RESULT_DRAFT: { status: 409, title: { vi: 'Chưa có dự thảo kết quả để phê duyệt', en: 'No result draft to approve' } },
  NO_RESULT: { status: 409, title: { vi: 'Chưa có kết quả điện tử để hủy', en: 'No e-result to cancel' } },
  RESULT_ALREADY_CANCELLED: { status: 409, title: { vi: 'Kết quả điện tử đã bị hủy', en: 'E-result already cancelled' } },
  DOSSIER_HANDED_OVER: { status: 409, title: { vi: 'Hồ sơ đã chuyển đến phường có thẩm quyền', en: 'Dossier handed over to the competent ward' } },
  APOLOGY_ALREADY_ISSUED: { status: 409, title: { vi: 'Đã có văn bản xin lỗi', en: 'Apology already issued' } },
  AGENCY_CODE_UNCONFIRMED: { status: 409, title: { vi: 'Mã định danh cơ quan chưa được xác nhận', en: 'Agency code not confirmed' } },
  PAYLOAD_TOO_LARGE: { status: 413, title: { vi: 'Nội dung quá lớn', en: 'Payload too large' } },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: { vi: 'Kiểu nội dung không được hỗ trợ', en: 'Unsupported media type' } },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: { vi: 'Khóa Idempotency-Key đã được dùng', en: 'Idempotency key reused' } },
  RATE_LIMITED: { status: 429, title: { vi: 'Vượt quá giới hạn gửi', en: 'Limit reached' } },
  TOO_MANY_REQUESTS: { status: 429, title: { vi: 'Quá nhiều yêu cầu', en: 'Too many requests' } },
  INTERNAL_ERROR: { status: 500, title: { vi: 'Lỗi hệ thống', en: 'Internal error' } },
  BAD_GATEWAY: { status: 502, title: { vi: 'Lỗi kết nối nội bộ', en: 'Bad gateway' } },
  SERVICE_BUSY: { status: 503, title: { vi: 'Hệ thống đang bận', en: 'Service busy' } },
  UPLOAD_SCAN_PENDING: { status: 503, title: { vi: 'Tệp đang được kiểm tra mã độc', en: 'Upload scan pending' } },
  TIMEOUT: { status: 504, title: { vi: 'Hết thời gian chờ', en: 'Timed out' } },
} as const satisfies Readonly<Record<string, { readonly status: number; readonly title: Bilingual }>>;

export type ProblemCode = keyof typeof PROBLEMS;
export const PROBLEM_CODES = Object.keys(PROBLEMS) as ProblemCode[];

export abstract class DomainError extends Error {
  abstract readonly code: ProblemCode;
  abstract readonly status: number;
  readonly detail: Bilingual;

  constructor(detail: Bilingual) {
    super(detail.en);
    this.detail = detail;
    this.name = new.target.name;
  }
}

/** 400: the request's content is not acceptable. `issues` lists each field's problem. */
export class ValidationError extends DomainError {
  readonly code: ProblemCode;
  readonly status = 400;
  constructor(
    readonly issues: readonly FieldIssue[],
    detail: Bilingual = { vi: 'Dữ liệu gửi lên không hợp lệ.', en: 'The request is not valid.' },
    code: ProblemCode = 'VALIDATION_FAILED',
  ) {
    super(detail);
    this.code = code;
  }
}

/** 400: the body is not JSON. */
export class MalformedJsonError extends DomainError {
  readonly code = 'MALFORMED_JSON';
  readonly status = 400;
  constructor() {
    super({ vi: 'Nội dung gửi lên không phải JSON hợp lệ.', en: 'The request body is not valid JSON.' });
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  readonly status = 404;
  constructor(detail: Bilingual = { vi: 'Không tìm thấy.', en: 'Not found.' }) {
    super(detail);
  }
}

/** 409: the action does not apply to the dossier's current status. */
export class InvalidTransitionError extends DomainError {
  readonly code = 'INVALID_TRANSITION';
  readonly status = 409;
  constructor(action: string, status: string) {
    super({
      vi: `Không thể thực hiện "${action}" khi hồ sơ đang ở trạng thái ${status}.`,
      en: `The action "${action}" is not allowed while the dossier is ${status}.`,
    });
  }
}

/**
 * 409: a rule of the procedure or of the process refuses the action in the dossier's current
 * state (e.g. the allowed number of supplement requests is used up, the dossier is rated already).
 */
export class RuleViolationError extends DomainError {
  readonly status = 409;
  constructor(
    readonly code: ProblemCode,
    detail: Bilingual,
  ) {
    super(detail);
  }
}

/** 409: someone else changed the dossier first (stale If-Match, or a concurrent action). */
export class VersionConflictError extends DomainError {
  readonly code = 'VERSION_CONFLICT';
  readonly status = 409;
  constructor() {
    super({
      vi: 'Hồ sơ vừa được thay đổi bởi người khác. Hãy tải lại và thử lại.',
      en: 'The dossier was changed by someone else. Reload it and try again.',
    });
  }
}

/**
 * 401: no valid officer login. API Gateway's Cognito authorizer answers this before the function
 * runs; a handler that still meets a request without claims (a misconfigured method) refuses it too.
 */
export class UnauthorizedError extends DomainError {
  readonly code = 'UNAUTHORIZED';
  readonly status = 401;
  constructor(detail: Bilingual = { vi: 'Cần đăng nhập bằng tài khoản cán bộ của phường.', en: 'Sign in with a ward officer account.' }) {
    super(detail);
  }
}

/**
 * 401: a citizen route without a citizen's sign-in (no `Authorization: Bearer` ID token of the
 * city's identity provider). Answered with `WWW-Authenticate: Bearer` (RFC 6750, no error code).
 */
export class SignInRequiredError extends DomainError {
  readonly code = 'SIGN_IN_REQUIRED';
  readonly status = 401;
  readonly wwwAuthenticate = 'Bearer realm="citizens"';
  constructor() {
    super({
      vi: 'Cần đăng nhập bằng tài khoản định danh điện tử (VNeID) để thực hiện thao tác này.',
      en: 'Sign in with your electronic identity account (VNeID) to do this.',
    });
  }
}

/**
 * 401: the citizen's ID token was refused: bad signature, another issuer or audience, expired, or
 * without the claims the ward needs. Answered with `WWW-Authenticate: Bearer error="invalid_token"`.
 */
export class SignInInvalidError extends DomainError {
  readonly code = 'SIGN_IN_INVALID';
  readonly status = 401;
  readonly wwwAuthenticate = 'Bearer realm="citizens", error="invalid_token"';
  constructor() {
    super({
      vi: 'Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Hãy đăng nhập lại.',
      en: 'The sign-in is not valid or has expired. Sign in again.',
    });
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
  readonly status = 403;
  constructor(detail: Bilingual = { vi: 'Bạn không có quyền thực hiện thao tác này.', en: 'You are not allowed to do this.' }) {
    super(detail);
  }
}

/** 422: an Idempotency-Key was reused with another request body. */
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  readonly status = 422;
  constructor() {
    super({
      vi: 'Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác.',
      en: 'This Idempotency-Key was already used for a different request.',
    });
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly status = 413;
  constructor(limitBytes: number) {
    super({
      vi: `Nội dung gửi lên vượt quá ${limitBytes} byte.`,
      en: `The request body is larger than ${limitBytes} bytes.`,
    });
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly status = 415;
  constructor() {
    super({
      vi: 'Nội dung phải là application/json (UTF-8).',
      en: 'The request body must be application/json (UTF-8).',
    });
  }
}

/**
 * 429: a limit of the ward's public write routes is reached (per ID number, per client address);
 * the client may try again after `retryAfterSeconds`, when the limit's window ends.
 */
export class RateLimitedError extends DomainError {
  readonly code = 'RATE_LIMITED';
  readonly status = 429;
  constructor(readonly retryAfterSeconds: number) {
    super({
      vi: `Đã vượt quá số yêu cầu cho phép. Vui lòng thử lại sau ${retryAfterSeconds} giây.`,
      en: `Too many requests. Please try again in ${retryAfterSeconds} seconds.`,
    });
  }
}

/** 409: an upload is attached to a dossier already; an upload belongs to one dossier only. */
export class UploadAlreadyAttachedError extends DomainError {
  readonly code = 'UPLOAD_ALREADY_ATTACHED';
  readonly status = 409;
  constructor(readonly uploadIds: readonly string[]) {
    super({
      vi: 'Tệp đã tải lên này đã được đính kèm vào một hồ sơ khác. Hãy tải tệp lên lại.',
      en: 'This uploaded file is attached to another dossier already. Upload the file again.',
    });
  }
}

/** 503: an upload is not scanned for malware yet; the client should retry after `retryAfterSeconds`. */
export class UploadScanPendingError extends DomainError {
  readonly code = 'UPLOAD_SCAN_PENDING';
  readonly status = 503;
  constructor(readonly retryAfterSeconds = 10) {
    super({
      vi: 'Tệp vừa tải lên đang được kiểm tra mã độc. Vui lòng gửi lại sau ít giây.',
      en: 'The uploaded file is still being scanned for malware. Please retry in a few seconds.',
    });
  }
}

/**
 * 409: the ward takes no dossier yet, because its agency code (the first part of every dossier
 * code, which never changes) is not confirmed and its deployment does not override that.
 */
export class AgencyCodeUnconfirmedError extends DomainError {
  readonly code = 'AGENCY_CODE_UNCONFIRMED';
  readonly status = 409;
  constructor(ward: { readonly name: string; readonly agencyCode: string }) {
    super({
      vi: `${ward.name} chưa tiếp nhận hồ sơ: mã định danh ${ward.agencyCode} trên Cổng Dịch vụ công quốc gia chưa được xác nhận. Vui lòng liên hệ bộ phận một cửa.`,
      en: `${ward.name} takes no dossiers yet: its agency code ${ward.agencyCode} on the national public-service portal is not confirmed. Please contact the one-stop desk.`,
    });
  }
}

/** 503: AWS throttled us; the client should retry after `retryAfterSeconds`. */
export class ServiceBusyError extends DomainError {
  readonly code = 'SERVICE_BUSY';
  readonly status = 503;
  constructor(readonly retryAfterSeconds = 2) {
    super({ vi: 'Hệ thống đang bận. Vui lòng thử lại sau.', en: 'The service is busy. Please retry shortly.' });
  }
}
