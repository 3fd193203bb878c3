import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { PROBLEMS, type ProblemCode } from '../../shared/domain/errors';
import { PROBLEM_CONTENT_TYPE, problemType } from '../../shared/runtime/problem';

interface GatewayProblem {
  readonly type: apigw.ResponseType;
  readonly status: number;
  readonly code: ProblemCode;
  /**
   * Vietnamese, then English: a gateway response is a fixed template (no VTL), so it cannot follow
   * `Accept-Language` the way the handlers do.
   */
  readonly detail: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const forbidden = (type: apigw.ResponseType): GatewayProblem => ({
  type,
  status: 403,
  code: 'FORBIDDEN',
  detail: 'Yêu cầu bị từ chối. / The request was refused.',
});
const unauthorized = (type: apigw.ResponseType): GatewayProblem => ({
  type,
  status: 401,
  code: 'UNAUTHORIZED',
  detail: 'Cần đăng nhập (mã thông báo thiếu hoặc đã hết hạn). / Authentication is required (missing or expired token).',
});
const invalidRequest = (type: apigw.ResponseType): GatewayProblem => ({
  type,
  status: 400,
  code: 'VALIDATION_FAILED',
  detail: 'Yêu cầu thiếu tham số bắt buộc hoặc không đúng định dạng. / The request is missing a required parameter or is malformed.',
});
const internal = (type: apigw.ResponseType, status = 500): GatewayProblem => ({
  type,
  status,
  code: 'INTERNAL_ERROR',
  detail: 'Đã có lỗi ngoài ý muốn, vui lòng thử lại sau. / Something went wrong on our side; please try again later.',
});
const tooManyRequests = (type: apigw.ResponseType): GatewayProblem => ({
  type,
  status: 429,
  code: 'TOO_MANY_REQUESTS',
  detail: 'Hệ thống đang nhận quá nhiều yêu cầu, vui lòng thử lại sau ít phút. / Too many requests; please retry shortly.',
  headers: { 'Retry-After': '5' },
});
const notFound = (type: apigw.ResponseType): GatewayProblem => ({
  type,
  status: 404,
  code: 'NOT_FOUND',
  detail: 'Đường dẫn không tồn tại. / No such route.',
});

/**
 * Every response API Gateway writes itself (before or instead of a handler), as problem+json with
 * the handlers' shape: type, title, status, detail, code, instance. Each type gets an explicit
 * status so the body's `status` is always the status sent.
 */
export const GATEWAY_PROBLEMS: readonly GatewayProblem[] = [
  forbidden(apigw.ResponseType.ACCESS_DENIED),
  forbidden(apigw.ResponseType.INVALID_API_KEY),
  forbidden(apigw.ResponseType.INVALID_SIGNATURE),
  {
    ...forbidden(apigw.ResponseType.WAF_FILTERED),
    code: 'REQUEST_BLOCKED',
    detail: 'Tường lửa đã chặn yêu cầu (có thể do gửi quá nhiều yêu cầu). / The firewall blocked the request (possibly too many requests).',
  },
  unauthorized(apigw.ResponseType.UNAUTHORIZED),
  unauthorized(apigw.ResponseType.EXPIRED_TOKEN),
  invalidRequest(apigw.ResponseType.BAD_REQUEST_PARAMETERS),
  invalidRequest(apigw.ResponseType.BAD_REQUEST_BODY),
  { ...invalidRequest(apigw.ResponseType.DEFAULT_4XX), code: 'BAD_REQUEST' },
  // No route uses IAM authorization, so a "missing authentication token" can only mean an unknown route.
  notFound(apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN),
  notFound(apigw.ResponseType.RESOURCE_NOT_FOUND),
  tooManyRequests(apigw.ResponseType.THROTTLED),
  tooManyRequests(apigw.ResponseType.QUOTA_EXCEEDED),
  {
    type: apigw.ResponseType.REQUEST_TOO_LARGE,
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    detail: 'Nội dung yêu cầu quá lớn; tệp đính kèm được tải thẳng lên qua POST /uploads. / The request body is too large; attachments are uploaded through POST /uploads.',
  },
  {
    type: apigw.ResponseType.UNSUPPORTED_MEDIA_TYPE,
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail:
      'Nội dung phải là JSON (application/json), hoặc PDF (application/pdf) khi gửi lên POST /verify. / The body must be JSON (application/json), or a PDF (application/pdf) posted to /verify.',
  },
  internal(apigw.ResponseType.API_CONFIGURATION_ERROR),
  internal(apigw.ResponseType.AUTHORIZER_CONFIGURATION_ERROR),
  internal(apigw.ResponseType.AUTHORIZER_FAILURE),
  { ...internal(apigw.ResponseType.INTEGRATION_FAILURE, 502), code: 'BAD_GATEWAY' },
  { ...internal(apigw.ResponseType.INTEGRATION_TIMEOUT, 504), code: 'TIMEOUT' },
  internal(apigw.ResponseType.DEFAULT_5XX),
];

/**
 * A gateway problem's body and headers. The deployed stack passes API Gateway's
 * `$context.requestId` template as the request id; local mode passes the real id.
 */
export function renderGatewayProblem(problem: GatewayProblem, requestId: string, corsOrigin: string) {
  return {
    body: {
      type: problemType(problem.code),
      // Vietnamese, the service's default language: a gateway response cannot follow Accept-Language.
      title: PROBLEMS[problem.code].title.vi,
      status: problem.status,
      detail: problem.detail,
      code: problem.code,
      instance: `urn:request:${requestId}`,
    },
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Access-Control-Allow-Origin': corsOrigin, ...problem.headers },
  };
}

/**
 * Adds the problem+json gateway responses to `api`; `corsOrigin` lets browsers read them. The
 * template is keyed by media type, so the binary request types (a PDF posted to /verify that is
 * too large, throttled…) get the same problem as JSON, whichever media type API Gateway selects by.
 */
export function addProblemResponses(api: apigw.RestApi, corsOrigin: string, binaryMediaTypes: readonly string[] = []): void {
  for (const problem of GATEWAY_PROBLEMS) {
    const { body, headers } = renderGatewayProblem(problem, '$context.requestId', corsOrigin);
    const template = JSON.stringify(body);
    api.addGatewayResponse(problem.type.responseType, {
      type: problem.type,
      statusCode: String(problem.status),
      // Static header values are quoted for API Gateway.
      responseHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, `'${value}'`])),
      templates: Object.fromEntries(['application/json', ...binaryMediaTypes].map((mediaType) => [mediaType, template])),
    });
  }
}
