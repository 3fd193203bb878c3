import type { APIGatewayProxyResult } from 'aws-lambda';
import { DomainError, ServiceBusyError, UploadScanPendingError, ValidationError } from '../domain/errors';
import { fieldMessage, titleOf, type Language } from './messages';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Problem Details (RFC 9457), with the project's stable `code` and validation `errors`. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
  readonly errors?: readonly { path: string; message: string }[];
}

const PROBLEM_TYPE_BASE = 'https://motcuaso.vn/problems/';

/** The `type` URI of a problem code, e.g. `VERSION_CONFLICT` → `…/problems/version-conflict`. */
export const problemType = (code: string): string => `${PROBLEM_TYPE_BASE}${code.toLowerCase().replaceAll('_', '-')}`;

/** AWS error names that mean "slow down", not "broken". */
const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'SlowDown',
]);

/**
 * Maps any error to a problem response. Domain errors keep their code and status; AWS throttling
 * becomes a 503 with Retry-After; anything else is a 500 that says nothing of the internals.
 */
export function toProblem(error: unknown, lang: Language, requestId?: string): { problem: Problem; headers: Record<string, string> } {
  const domainError = asDomainError(error);
  if (!domainError) {
    return {
      problem: {
        type: problemType('INTERNAL_ERROR'),
        title: titleOf('INTERNAL_ERROR', lang),
        status: 500,
        detail:
          lang === 'vi'
            ? `Đã có lỗi ngoài ý muốn. Mã tra cứu: ${requestId ?? 'không có'}.`
            : `Something went wrong on our side. Reference: ${requestId ?? 'none'}.`,
        code: 'INTERNAL_ERROR',
        ...(requestId ? { instance: `urn:request:${requestId}` } : {}),
      },
      headers: {},
    };
  }
  const problem: Problem = {
    type: problemType(domainError.code),
    title: titleOf(domainError.code, lang),
    status: domainError.status,
    detail: domainError.detail[lang],
    code: domainError.code,
    ...(requestId ? { instance: `urn:request:${requestId}` } : {}),
    ...(domainError instanceof ValidationError
      ? { errors: domainError.issues.map((issue) => ({ path: issue.path, message: fieldMessage(issue.message, lang) })) }
      : {}),
  };
  const headers: Record<string, string> =
    domainError instanceof ServiceBusyError || domainError instanceof UploadScanPendingError ? { 'Retry-After': String(domainError.retryAfterSeconds) } : {};
  return { problem, headers };
}

export function problemResponse(error: unknown, lang: Language, requestId?: string, extraHeaders: Record<string, string> = {}): APIGatewayProxyResult {
  const { problem, headers } = toProblem(error, lang, requestId);
  return {
    statusCode: problem.status,
    headers: { ...extraHeaders, ...headers, 'Content-Type': PROBLEM_CONTENT_TYPE, 'Content-Language': lang },
    body: JSON.stringify(problem),
  };
}

function asDomainError(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  if (error instanceof Error && THROTTLING_ERRORS.has(error.name)) return new ServiceBusyError();
  return undefined;
}

export const isServerError = (response: APIGatewayProxyResult): boolean => response.statusCode >= 500;
