import { isServerError as isAwsServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { CalendarOutOfRangeError } from '../domain/calendar';
import { CALENDAR_YEARS } from '../domain/calendar-dates';
import { DomainError, RateLimitedError, ServiceBusyError, SignInInvalidError, SignInRequiredError, UploadScanPendingError, ValidationError } from '../domain/errors';
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

/** Seconds a client should wait after AWS throttled us, or after a fault of an AWS service (a 5xx, a timeout, a reset connection). */
export const RETRY_AFTER_SECONDS = { throttled: 2, unavailable: 5 } as const;

/** Codes of a DynamoDB transaction's cancellation reasons that mean "busy", not "refused". */
const BUSY_CANCELLATION_CODES = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded', 'TransactionConflict']);

/**
 * Maps any error to a problem response. Domain errors keep their code and status; AWS throttling
 * and AWS faults (as the SDK's own retry strategy classifies them) become a 503 with Retry-After;
 * anything else is a 500 that says nothing of the internals.
 */
export function toProblem(error: unknown, lang: Language, requestId?: string): { problem: Problem; headers: Record<string, string> } {
  const domainError = asDomainError(error);
  if (!domainError) {
    return {
      problem: {
        type: problemType('INTERNAL_ERROR'),
        title: titleOf('INTERNAL_ERROR', lang),
        status: 500,
        detail: lang === 'vi' ? `Đã có lỗi ngoài ý muốn. Mã tra cứu: ${requestId ?? 'không có'}.` : `Something went wrong on our side. Reference: ${requestId ?? 'none'}.`,
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
    ...(domainError instanceof ValidationError ? { errors: domainError.issues.map((issue) => ({ path: issue.path, message: fieldMessage(issue.message, lang) })) } : {}),
  };
  const retryAfter =
    domainError instanceof ServiceBusyError || domainError instanceof RateLimitedError || domainError instanceof UploadScanPendingError ? domainError.retryAfterSeconds : undefined;
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };
  if (domainError instanceof SignInRequiredError || domainError instanceof SignInInvalidError) headers['WWW-Authenticate'] = domainError.wwwAuthenticate;
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
  // A date the client gave drove a computation past the years the calendar knows.
  if (error instanceof CalendarOutOfRangeError) {
    const years = `${CALENDAR_YEARS.first}–${CALENDAR_YEARS.last}`;
    return new ValidationError(
      [],
      { vi: `Lịch làm việc chỉ có các năm ${years}, không có năm ${error.year}.`, en: `The working-day calendar covers ${years}, not ${error.year}.` },
      'DATE_OUT_OF_RANGE',
    );
  }
  const retryAfter = awsRetryAfterSeconds(error);
  return retryAfter === undefined ? undefined : new ServiceBusyError(retryAfter);
}

/**
 * When `error` (or an error it wraps, as `cause`) is one the AWS SDK itself would retry, or a 5xx
 * of the service, the seconds to tell the client to wait; otherwise undefined. The SDK has already
 * retried it (its standard strategy): what reaches here has outlasted those retries.
 */
export function awsRetryAfterSeconds(error: unknown): number | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth += 1) {
    const sdkError = current as Parameters<typeof isThrottlingError>[0];
    if (isThrottlingError(sdkError) || isBusyCancellation(current)) return RETRY_AFTER_SECONDS.throttled;
    if (isTransientError(sdkError) || isAwsServerError(sdkError)) return RETRY_AFTER_SECONDS.unavailable;
  }
  return undefined;
}

/** A DynamoDB transaction cancelled only because an item was throttled or being written by another transaction. */
function isBusyCancellation(error: Error): boolean {
  if (error.name !== 'TransactionCanceledException' || !('CancellationReasons' in error) || !Array.isArray(error.CancellationReasons)) return false;
  const codes = error.CancellationReasons.map((reason: unknown) =>
    typeof reason === 'object' && reason !== null && 'Code' in reason && typeof reason.Code === 'string' ? reason.Code : 'None',
  );
  // Every item either passed ('None') or was busy: none was refused on its merits (a condition).
  return codes.some((code) => BUSY_CANCELLATION_CODES.has(code)) && codes.every((code) => code === 'None' || BUSY_CANCELLATION_CODES.has(code));
}

export const isServerError = (response: APIGatewayProxyResult): boolean => response.statusCode >= 500;
