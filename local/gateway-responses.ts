import { STATUS_CODES } from 'node:http';
import { GATEWAY_PROBLEMS, renderGatewayProblem } from '../infra/constructs/problem-responses';
import { PROBLEM_CONTENT_TYPE, problemType } from '../shared/runtime/problem';
import { CORS_ORIGIN } from '../shared/runtime/routes';

/** The gateway responses local mode can produce, by API Gateway's response type. */
export type LocalGatewayResponseType =
  /** Unknown path, or a method the path does not have (API Gateway's default: 403 "Missing Authentication Token"). */
  | 'MISSING_AUTHENTICATION_TOKEN'
  /** Body over API Gateway's 10 MB payload limit. */
  | 'REQUEST_TOO_LARGE'
  /** The officer authorizer refused the token, or there was none. */
  | 'UNAUTHORIZED'
  /** The function failed (threw, or returned something that is not a proxy result). */
  | 'DEFAULT_5XX'
  /** The function did not answer within the integration timeout. */
  | 'INTEGRATION_TIMEOUT';

export interface GatewayResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The answer API Gateway gives itself, with exactly the problem+json the deployed stack's gateway
 * responses are configured with (infra/constructs/problem-responses.ts), so local and deployed
 * clients see the same status, headers and body.
 */
export function gatewayResponse(type: LocalGatewayResponseType, requestId: string): GatewayResponse {
  const problem = GATEWAY_PROBLEMS.find((candidate) => candidate.type.responseType === type);
  if (problem === undefined) {
    throw new Error(`The stack configures no gateway response of type ${type}`);
  }
  const { body, headers } = renderGatewayProblem(problem, requestId, CORS_ORIGIN);
  return { status: problem.status, headers, body: JSON.stringify(body) };
}

/** What Node's HTTP parser refuses before there is a request (Node's `clientError`), by the parser's error code. */
const CLIENT_ERROR_PROBLEMS = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
    title: 'Header quá lớn',
    detail: 'Các header của yêu cầu quá lớn. / The request headers are too large.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'REQUEST_TIMEOUT',
    title: 'Hết thời gian gửi yêu cầu',
    detail: 'Yêu cầu không được gửi hết kịp thời. / The request was not received in time.',
  },
  ERR_HTTP_HEADERS_TIMEOUT: {
    status: 408,
    code: 'REQUEST_TIMEOUT',
    title: 'Hết thời gian gửi yêu cầu',
    detail: 'Yêu cầu không được gửi hết kịp thời. / The request was not received in time.',
  },
} as const;

const MALFORMED_REQUEST = {
  status: 400,
  code: 'BAD_REQUEST',
  title: 'Yêu cầu không hợp lệ',
  detail: 'Yêu cầu HTTP không đúng định dạng. / The HTTP request is malformed.',
} as const;

/**
 * The raw HTTP/1.1 response (status line, headers, problem+json body) for a request Node's parser
 * refused (`clientError`): oversized headers are a 431, a request not received in time a 408,
 * anything else malformed a 400. The connection is closed after it.
 */
export function clientErrorResponse(errorCode: string | undefined, requestId: string): string {
  const problem = (CLIENT_ERROR_PROBLEMS as Readonly<Record<string, (typeof CLIENT_ERROR_PROBLEMS)[keyof typeof CLIENT_ERROR_PROBLEMS]>>)[errorCode ?? ''] ?? MALFORMED_REQUEST;
  const body = JSON.stringify({
    type: problemType(problem.code),
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    instance: `urn:request:${requestId}`,
  });
  const headers = {
    'Content-Type': PROBLEM_CONTENT_TYPE,
    'Content-Length': String(Buffer.byteLength(body, 'utf8')),
    'Access-Control-Allow-Origin': CORS_ORIGIN,
    'x-amzn-RequestId': requestId,
    Connection: 'close',
  };
  const head = [`HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}
