import middy, { type MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type * as z from 'zod';
import en from 'zod/v4/locales/en.js';
import vi from 'zod/v4/locales/vi.js';
import { DomainError, MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError, type FieldIssue } from '../domain/errors';
import { negotiateLanguage, type Language } from './messages';
import { logger, metrics, tracer } from './observability';
import { problemResponse } from './problem';
import { CORS_ORIGIN } from './routes';

/** JSON bodies larger than this are refused with 413 before parsing (uploads go to S3 directly). */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/**
 * The shape a JSON body may have, checked right after parsing and before anything else reads it
 * (validation, idempotency fingerprints, hashing, logs): far above what any route's schema
 * accepts, far below what would make a recursive walk (zod, canonical JSON, a logger) overflow its
 * stack or spin. No string may be longer than a default body (the longest text field takes 20,000
 * characters, which NFD may triple), whatever larger body a route accepts.
 */
export const JSON_BODY_LIMITS = { depth: 12, arrayItems: 200, objectKeys: 200, keyLength: 200, stringLength: DEFAULT_MAX_BODY_BYTES } as const;

/** Only the two locales the API speaks: `z.locales` would bundle every language zod knows. */
const zodLocales = { vi: vi().localeError, en: en().localeError } as const;

export interface HttpRequest<B, Q, P, H> {
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  readonly headers: H;
  readonly lang: Language;
  readonly requestId: string;
  /** The body exactly as received, for idempotency fingerprints. */
  readonly rawBody: string;
  /** With `binaryBody`: the body's bytes (a file the route takes as it is). */
  readonly bytes: Buffer;
  /** The request's `Accept` header, for routes that answer HTML to a browser. */
  readonly accept: string;
  /** The client's address as API Gateway saw it (the TCP peer: forwarding headers are not trusted), for per-client limits. */
  readonly sourceIp: string;
}

export interface HttpResult {
  readonly status: number;
  /** Sent as JSON, unless `contentType` is given: then `body` is the text to send as it is. */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Public routes are read by browsers on other origins (the citizens' portal); headers the SPA may read. */
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': CORS_ORIGIN,
  'Access-Control-Expose-Headers': 'ETag, Location, Retry-After',
} as const;

type Output<T extends z.ZodType | undefined> = T extends z.ZodType ? z.output<T> : undefined;

/**
 * The one middleware chain every HTTP handler uses: Powertools logger, tracer and metrics, then
 * the problem+json error mapper; the handler receives a validated, typed request. Every request
 * counts as succeeded, refused (a domain error: the client's to fix) or failed (ours).
 */
export function httpRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  H extends z.ZodType | undefined = undefined,
  A = undefined,
>(
  spec: { body?: B; query?: Q; params?: P; headers?: H; maxBodyBytes?: number; binaryBody?: BinaryBodySpec },
  fn: (request: HttpRequest<Output<B>, Output<Q>, Output<P>, Output<H>>, principal: A) => Promise<HttpResult>,
  /**
   * Who is calling (e.g. the officer of shared/runtime/officer.ts), passed to `fn` as `principal`.
   * It runs before the request is read, so a caller it refuses learns nothing from validation.
   */
  authorize?: (event: APIGatewayProxyEvent) => A | Promise<A>,
) {
  return (
    middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
      .use(injectLambdaContext(logger, { resetKeys: true }))
      // Responses carry dossier secrets and personal data: traces keep timings, never bodies.
      .use(captureLambdaHandler(tracer, { captureResponse: false }))
      .use(logMetrics(metrics))
      .use(problemDetails())
      .handler(async (event, context) => {
        const principal = authorize ? await authorize(event) : (undefined as A);
        const request = parseRequest<Output<B>, Output<Q>, Output<P>, Output<H>>(spec, event, context);
        const result = await fn(request, principal);
        metrics.addMetric('RequestsSucceeded', MetricUnit.Count, 1);
        return jsonResponse(result);
      })
  );
}

/** A route that takes a file as its body (not JSON): its media types and largest size. */
export interface BinaryBodySpec {
  readonly contentTypes: readonly string[];
  readonly maxBytes: number;
}

function parseRequest<B, Q, P, H>(
  spec: { body?: z.ZodType; query?: z.ZodType; params?: z.ZodType; headers?: z.ZodType; maxBodyBytes?: number; binaryBody?: BinaryBodySpec },
  event: APIGatewayProxyEvent,
  context: Context,
): HttpRequest<B, Q, P, H> {
  const headers = lowerCaseHeaders(event.headers);
  const lang = negotiateLanguage(headers['accept-language']);
  const bytes = event.body === null ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  const rawBody = bytes.toString('utf8');
  if (spec.binaryBody) {
    if (bytes.length > spec.binaryBody.maxBytes) throw new PayloadTooLargeError(spec.binaryBody.maxBytes);
    const mediaType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!spec.binaryBody.contentTypes.includes(mediaType)) throw new UnsupportedMediaTypeError();
  }
  let body: unknown = undefined;
  // An empty body is no body: the schema says whether that is acceptable.
  if (spec.body && rawBody !== '') {
    const limit = spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    if (Buffer.byteLength(rawBody, 'utf8') > limit) throw new PayloadTooLargeError(limit);
    if (!isJsonContentType(headers['content-type'])) throw new UnsupportedMediaTypeError();
    try {
      body = JSON.parse(rawBody) as unknown;
    } catch {
      throw new MalformedJsonError();
    }
    const issue = jsonLimitIssue(body);
    if (issue)
      throw new ValidationError(
        [issue],
        { vi: 'Nội dung gửi lên lồng quá sâu, quá dài hoặc quá nhiều phần tử.', en: 'The request body is nested too deeply, too long or too large.' },
        'BODY_TOO_COMPLEX',
      );
  }
  return {
    body: validate(spec.body, body, lang, 'body') as B,
    query: validate(spec.query, event.queryStringParameters ?? {}, lang, 'query') as Q,
    params: validate(spec.params, event.pathParameters ?? {}, lang, 'path') as P,
    headers: validate(spec.headers, headers, lang, 'header') as H,
    lang,
    requestId: context.awsRequestId,
    rawBody,
    bytes,
    accept: headers.accept ?? '',
    sourceIp: viewerAddressOf(headers, event.requestContext.identity.sourceIp),
  };
}

/**
 * The header in which the ward's CloudFront distribution passes the viewer's own address to the
 * API (set by its viewer-request function from `event.viewer.ip`, overwriting any the viewer sent).
 */
export const VIEWER_ADDRESS_HEADER = 'x-mot-cua-so-viewer-address';

/**
 * The address the per-address limits count: the viewer's, as the distribution forwarded it, or the
 * connection's (local mode, where there is no CloudFront). In AWS the API's web ACL blocks every
 * request that did not come through the distribution (api-firewall.ts), so the header is CloudFront's.
 */
export function viewerAddressOf(headers: Readonly<Record<string, string | undefined>>, connectionAddress: string): string {
  const forwarded = headers[VIEWER_ADDRESS_HEADER]?.trim();
  return forwarded ? forwarded : connectionAddress;
}

/**
 * The first place where `value` (parsed JSON) exceeds {@link JSON_BODY_LIMITS}, as a field issue,
 * or undefined. Iterative, so that it never overflows however deep the value is.
 */
export function jsonLimitIssue(value: unknown): FieldIssue | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: 'body', depth: 0 }];
  const issue = (path: string, vi: string, en: string): FieldIssue => ({ path, message: { vi, en } });
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: current, path, depth } = next;
    if (typeof current === 'string') {
      if (current.length > JSON_BODY_LIMITS.stringLength)
        return issue(path, `Chuỗi dài hơn ${JSON_BODY_LIMITS.stringLength} ký tự.`, `The string is longer than ${JSON_BODY_LIMITS.stringLength} characters.`);
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= JSON_BODY_LIMITS.depth) return issue(path, `Lồng sâu hơn ${JSON_BODY_LIMITS.depth} cấp.`, `Nested deeper than ${JSON_BODY_LIMITS.depth} levels.`);
    if (Array.isArray(current)) {
      if (current.length > JSON_BODY_LIMITS.arrayItems)
        return issue(path, `Danh sách có hơn ${JSON_BODY_LIMITS.arrayItems} phần tử.`, `The list has more than ${JSON_BODY_LIMITS.arrayItems} items.`);
      current.forEach((item: unknown, index) => pending.push({ value: item, path: `${path}.${index}`, depth: depth + 1 }));
      continue;
    }
    const entries = Object.entries(current);
    if (entries.length > JSON_BODY_LIMITS.objectKeys)
      return issue(path, `Đối tượng có hơn ${JSON_BODY_LIMITS.objectKeys} trường.`, `The object has more than ${JSON_BODY_LIMITS.objectKeys} fields.`);
    for (const [key, item] of entries) {
      if (key.length > JSON_BODY_LIMITS.keyLength)
        return issue(path, `Tên trường dài hơn ${JSON_BODY_LIMITS.keyLength} ký tự.`, `A field name is longer than ${JSON_BODY_LIMITS.keyLength} characters.`);
      pending.push({ value: item, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}

function validate(schema: z.ZodType | undefined, value: unknown, lang: Language, location: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value, { error: zodLocales[lang] });
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      path: [location, ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
}

function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [mediaType = '', ...params] = contentType
    .toLowerCase()
    .split(';')
    .map((s) => s.trim());
  if (mediaType !== 'application/json') return false;
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replaceAll('"', '');
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

function lowerCaseHeaders(headers: APIGatewayProxyEvent['headers'] | null): Record<string, string> {
  // No prototype: a header named `constructor` or `__proto__` is data like any other.
  const result: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) result[name.toLowerCase()] = value;
  }
  return result;
}

function jsonResponse(result: HttpResult): APIGatewayProxyResult {
  return {
    statusCode: result.status,
    headers: {
      ...CORS_HEADERS,
      'Content-Type': result.contentType ?? 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...result.headers,
    },
    body: result.body === undefined ? '' : typeof result.body === 'string' && result.contentType !== undefined ? result.body : JSON.stringify(result.body),
  };
}

/**
 * Turns any error into problem+json in the caller's language. Domain errors are expected and
 * logged at info; anything else is logged in full here and answered with a bare 500.
 */
function problemDetails(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  return {
    onError: (request) => {
      const lang = negotiateLanguage(lowerCaseHeaders(request.event.headers)['accept-language']);
      if (request.error instanceof DomainError) {
        logger.info('request refused', { code: request.error.code, status: request.error.status });
        metrics.addMetric('RequestsRefused', MetricUnit.Count, 1);
      } else {
        logger.error('request failed', { error: request.error });
        metrics.addMetric('RequestsFailed', MetricUnit.Count, 1);
      }
      request.response = problemResponse(request.error, lang, request.context.awsRequestId, CORS_HEADERS);
    },
  };
}
