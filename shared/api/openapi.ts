import * as z from 'zod';
import { PROBLEM_CODES, PROBLEMS, type ProblemCode } from '../domain/errors';
import type { WardConfig } from '../domain/ward-config';
import { ROUTES, type RouteAccess, type RouteDefinition } from '../runtime/routes';
import { contract, type ResponseHeader, type RouteContract, type RouteId } from './contract';

const ProblemSchema = z.object({
  type: z.string().meta({ description: 'A URI naming the problem code, e.g. https://motcuaso.vn/problems/version-conflict' }),
  title: z.string().meta({ description: "The problem code's own title, in the response's language (Content-Language)" }),
  status: z.number().int(),
  detail: z.string(),
  code: z.enum(PROBLEM_CODES).meta({ description: 'Stable machine code; each response of an operation lists the codes it may carry (x-problem-codes)' }),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** What each error status means, whatever the route. */
const STATUS_MEANINGS: Readonly<Record<number, string>> = {
  400: 'The request is not valid',
  401: 'No valid sign-in',
  403: 'Refused',
  404: 'Not found',
  409: "Conflicts with the dossier's current state",
  413: 'Body too large',
  415: 'Body of an unsupported media type',
  422: 'Idempotency-Key reused with another body',
  429: 'Too many requests; see Retry-After',
  500: 'Internal error',
  502: 'The function failed to answer',
  503: 'Unavailable for a moment; nothing was written; see Retry-After',
  504: 'The function took too long to answer',
};

/** What each problem code means on the routes that may answer it. */
const CODE_MEANINGS: Readonly<Record<ProblemCode, string>> = {
  VALIDATION_FAILED: 'a parameter, header or body member is not valid (`errors` lists each)',
  MALFORMED_JSON: 'the body is not JSON',
  BODY_TOO_COMPLEX: 'the JSON body is nested too deeply, or has too many members or too long a string',
  DATE_OUT_OF_RANGE: 'a date given drove the computation past the years the working-day calendar knows',
  UNKNOWN_PROCEDURE: 'no such procedure in the catalog',
  UNKNOWN_UPLOAD: 'an attachment names an upload that does not exist (or expired)',
  UPLOAD_REFUSED: 'an uploaded file is not what it was declared to be, or is infected',
  MISSING_DOCUMENTS: 'a required document of the procedure is missing',
  CHANGE_NOT_REQUESTED: 'the supplement changes something that was not requested',
  BAD_REQUEST: 'the gateway refused the request',
  UNAUTHORIZED: 'no token, an expired one, or one that is not an ID token',
  FORBIDDEN: 'the account is of another ward, or none of its roles may do this',
  SIGN_IN_REQUIRED: "no citizen's ID token, where the route (or the ward, for online submissions) requires one",
  SIGN_IN_INVALID: "the citizen's ID token is not valid: another issuer or audience, a bad signature, expired, or without the claims the ward maps",
  APPLICANT_NOT_SIGNED_IN_PERSON: 'the applicant block names someone else than the signed-in citizen',
  REQUEST_BLOCKED: 'the firewall refused the request (a known-bad source or input, or too many requests from the address)',
  NOT_FOUND: 'no such resource (a dossier code with the wrong secret included)',
  INVALID_TRANSITION: "the action does not apply to the dossier's status",
  VERSION_CONFLICT: 'the dossier changed meanwhile (a stale If-Match, or a concurrent change): reload and retry',
  UPLOAD_ALREADY_ATTACHED: 'an upload is attached to a dossier already (an upload serves once)',
  SUPPLEMENT_LIMIT_REACHED: "the procedure's supplement requests are used up",
  ALREADY_RATED: 'the dossier is rated already',
  NOT_RESOLVED: 'the dossier has no result yet',
  DOSSIER_HANDED_OVER: "the dossier was received here for another ward's procedure: that ward's officers act on it, this ward shows its copy",
  NO_RESULT: 'the dossier has no signed e-result',
  NO_RESULT_DRAFT: 'the approval has no result and the dossier no saved draft',
  RESULT_ALREADY_CANCELLED: 'the e-result is cancelled already',
  APOLOGY_ALREADY_ISSUED: 'an apology letter was issued for the dossier already',
  AGENCY_CODE_UNCONFIRMED:
    "the ward's agency code on the national portal, the first part of every dossier code, is not confirmed yet, and its deployment does not override that: it takes no dossier until then",
  PAYLOAD_TOO_LARGE: 'the body is larger than the route takes',
  UNSUPPORTED_MEDIA_TYPE: 'the body is not of the media type the route takes',
  IDEMPOTENCY_KEY_REUSED: 'the Idempotency-Key was used with another body',
  RATE_LIMITED: 'a limit per ID number or per client address is reached (the firewall limits every public write per address)',
  TOO_MANY_REQUESTS: "the API's throttling (every route)",
  INTERNAL_ERROR: 'an error of ours (the problem has a reference)',
  BAD_GATEWAY: 'the function failed',
  SERVICE_BUSY: 'an AWS service the route uses (DynamoDB, S3, KMS) throttled it or failed',
  UPLOAD_SCAN_PENDING: 'an upload is still being scanned for malware',
  TIMEOUT: 'the function did not answer in time',
};

/** Answered by the gateway (throttling, the firewall, a failed or slow function) or the handler's last resort, on every route. */
const EVERY_ROUTE: readonly ProblemCode[] = ['TOO_MANY_REQUESTS', 'REQUEST_BLOCKED', 'INTERNAL_ERROR', 'BAD_GATEWAY', 'TIMEOUT'];

/** Problems with a Retry-After header (shared/runtime/problem.ts, infra/constructs/problem-responses.ts, the firewall's rate rules). */
const WITH_RETRY_AFTER: ReadonlySet<number> = new Set([429, 503]);

const RETRY_AFTER_HEADER = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } } };

const SUCCESS_HEADERS: Readonly<Record<ResponseHeader, { description: string; schema: Record<string, unknown> }>> = {
  ETag: { description: "The dossier's version, to send back in If-Match", schema: { type: 'string', pattern: '^"[0-9]+"$', example: '"3"' } },
  Location: {
    description:
      "The new dossier's URL, as a reference relative to the request's URL (RFC 9110 §10.2.2; no leading slash), so that it holds under any base path: `dossiers/{code}` after `POST {server}/dossiers` is `{server}/dossiers/{code}`",
    schema: { type: 'string', pattern: '^dossiers/[^/]+$', example: 'dossiers/000.00.70.H26-260105-0001' },
  },
};

/** Whether a route calls an AWS service (its table, buckets, keys), and so can answer 503. */
const callsAws = (access: RouteAccess): boolean => Object.values(access).some((grant) => grant !== undefined && grant !== false);

const hasHeader = (headers: z.ZodType | undefined, name: string): boolean => headers instanceof z.ZodObject && name in headers.shape;

/**
 * Every problem code a route may answer, derived from its shape and its contract's `errors`:
 * validation when it has anything to validate, the JSON body's refusals when it takes one, 404
 * when a path parameter names something, 422 with an Idempotency-Key, 409 with If-Match, the
 * upload refusals when it attaches uploads, 401 and 403 by its auth (401 also where a citizen's
 * token may stand in for the dossier's secret), 503 when it calls AWS, and
 * what the gateway answers on every route.
 */
export function problemCodesOf(route: RouteDefinition, part: RouteContract): ProblemCode[] {
  const codes = new Set<ProblemCode>(EVERY_ROUTE);
  const add = (...more: ProblemCode[]) => more.forEach((code) => codes.add(code));
  if (part.params || part.query || part.headers || part.body) add('VALIDATION_FAILED');
  if (part.body) add('MALFORMED_JSON', 'BODY_TOO_COMPLEX', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  if (part.binaryBody) add('PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  if (part.params) add('NOT_FOUND');
  if (hasHeader(part.headers, 'idempotency-key')) add('IDEMPOTENCY_KEY_REUSED');
  if (hasHeader(part.headers, 'if-match')) add('VERSION_CONFLICT');
  if (route.access.uploads?.includes('attach')) add('UNKNOWN_UPLOAD', 'UPLOAD_REFUSED', 'UPLOAD_ALREADY_ATTACHED', 'UPLOAD_SCAN_PENDING');
  // The gateway's authorizer refuses an officer's token first; the handler checks a citizen's.
  if (route.auth === 'officer') add('UNAUTHORIZED', 'FORBIDDEN');
  if (route.auth === 'citizen') add('SIGN_IN_REQUIRED', 'SIGN_IN_INVALID');
  // Where the dossier's secret opens a dossier, the citizen's own ID token may stand in for it, and a bad one is refused.
  if (hasHeader(part.headers, 'x-dossier-secret')) add('SIGN_IN_INVALID');
  if (callsAws(route.access)) add('SERVICE_BUSY');
  // The firewall's per-address limits on public writes (infra/constructs/api-firewall.ts, publicWriteRouteGroups).
  if (route.auth === 'public' && route.method === 'POST') add('RATE_LIMITED');
  add(...(part.errors ?? []));
  return PROBLEM_CODES.filter((code) => codes.has(code));
}

/** The contract of a route of the table. */
export function contractOf(route: RouteDefinition): RouteContract {
  const part = (contract as Readonly<Record<string, RouteContract>>)[route.id as RouteId];
  if (!part) throw new Error(`route ${route.id} has no contract`);
  return part;
}

/**
 * The OpenAPI 3.0 document of the ward API, generated from the route table and the very zod
 * schemas that validate requests, so that the document cannot drift from the code.
 */
export function buildOpenApiDocument(ward: WardConfig, serverUrl?: string) {
  const registry = z.registry<{ id: string }>();
  const register = (schema: z.ZodType, id: string) => {
    if (!registry.has(schema)) registry.add(schema, { id });
    return { $ref: `#/components/schemas/${registry.get(schema)?.id ?? id}` };
  };
  register(ProblemSchema, 'Problem');

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const part = contractOf(route);
    const parameters = [...parametersOf(part.params, 'path'), ...parametersOf(part.query, 'query'), ...parametersOf(part.headers, 'header')];
    const responses: Record<string, unknown> = {};
    const successHeaders = Object.fromEntries((part.responseHeaders ?? []).map((name) => [name, SUCCESS_HEADERS[name]]));
    for (const [status, schema] of Object.entries(part.responses)) {
      responses[status] = {
        description: Number(status) === 201 ? 'Created' : 'OK',
        ...(Object.keys(successHeaders).length > 0 ? { headers: successHeaders } : {}),
        content: { 'application/json': { schema: register(schema, `${route.id}Response${status}`) } },
      };
    }
    for (const [status, codes] of byStatus(problemCodesOf(route, part))) {
      responses[status] = {
        description: `${STATUS_MEANINGS[status] ?? 'Error'}. ${codes.map((code) => `${code}: ${CODE_MEANINGS[code]}`).join('; ')}.`,
        'x-problem-codes': codes,
        ...(WITH_RETRY_AFTER.has(status) ? { headers: RETRY_AFTER_HEADER } : {}),
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    }
    paths[route.path] = {
      ...paths[route.path],
      [route.method.toLowerCase()]: {
        operationId: route.id,
        summary: part.summary,
        ...securityOf(route),
        ...(parameters.length > 0 ? { parameters } : {}),
        ...requestBodyOf(route, part, register),
        responses,
      },
    };
  }

  const { schemas } = z.toJSONSchema(registry, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  // `$id` marks where each schema lives, for zod's references; OpenAPI 3.0 has no such keyword.
  const componentSchemas = Object.fromEntries(Object.entries(schemas).map(([id, { $id: _location, ...schema }]) => [id, toOpenApi30(schema)]));
  return {
    openapi: '3.0.3',
    info: {
      title: `Một Cửa Số — ${ward.name}`,
      version: '1.0.0',
      description: `The one-stop desk API of ${ward.name}, ${ward.province}. Errors are application/problem+json (RFC 9457): each response lists the problem codes it may carry (x-problem-codes); titles and details in Vietnamese, or English when Accept-Language prefers it. Text lengths count characters after Unicode NFC normalisation, trimming and folding runs of white space.`,
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      schemas: componentSchemas,
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}

/** The sign-in each kind of route takes: an officer's ID token of the ward's pool, a citizen's of the city's identity provider. */
const SECURITY_SCHEMES = {
  wardLogin: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "An officer's ID token of the ward's user pool" },
  citizenLogin: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "A citizen's ID token of the city's identity provider (VNeID)" },
} as const;
const SCHEME_OF_AUTH: Readonly<Record<string, keyof typeof SECURITY_SCHEMES>> = { officer: 'wardLogin', citizen: 'citizenLogin' };

/** The security requirement of a route, from its auth kind; none for a public route. */
export function securityOf(route: Pick<RouteDefinition, 'auth'>): { security?: Record<string, never[]>[] } {
  const scheme = SCHEME_OF_AUTH[route.auth];
  return scheme ? { security: [{ [scheme]: [] }] } : {};
}

/** Problem codes by status, in status order. */
function byStatus(codes: readonly ProblemCode[]): [number, ProblemCode[]][] {
  const groups = new Map<number, ProblemCode[]>();
  for (const code of codes) groups.set(PROBLEMS[code].status, [...(groups.get(PROBLEMS[code].status) ?? []), code]);
  return [...groups].sort(([a], [b]) => a - b);
}

/** A JSON body is required unless its schema accepts none (an empty body reaches the schema as `undefined`). */
function requestBodyOf(route: RouteDefinition, part: RouteContract, register: (schema: z.ZodType, id: string) => { $ref: string }) {
  if (part.binaryBody) {
    const content = Object.fromEntries(part.binaryBody.contentTypes.map((type) => [type, { schema: { type: 'string', format: 'binary', maxLength: part.binaryBody?.maxBytes } }]));
    return { requestBody: { required: true, description: `At most ${part.binaryBody.maxBytes} bytes`, content } };
  }
  if (!part.body) return {};
  const required = !part.body.safeParse(undefined).success;
  const schema = part.body instanceof z.ZodOptional ? (part.body.unwrap() as z.ZodType) : part.body;
  return { requestBody: { required, content: { 'application/json': { schema: register(schema, `${route.id}Request`) } } } };
}

/**
 * What zod's openapi-3.0 output still needs to be OpenAPI 3.0: a nullable enum lists null among
 * its values (OAS 3.0.3 §4.7.24.1: `nullable` does not extend `enum`); a union with `{type: 'null'}`
 * becomes the other member, nullable.
 */
export function toOpenApi30(schema: unknown): Record<string, unknown> {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    let result: Record<string, unknown> = Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, key === 'enum' || key === 'example' || key === 'default' ? value : visit(value)]),
    );
    for (const key of ['anyOf', 'oneOf'] as const) {
      const members = result[key];
      if (!Array.isArray(members) || !members.some(isNullType)) continue;
      const others = members.filter((member) => !isNullType(member)) as Record<string, unknown>[];
      const { [key]: _union, ...rest } = result;
      const single = others.length === 1 ? others[0] : { [key]: others };
      result = { ...rest, ...(single && '$ref' in single ? { allOf: [single] } : single), nullable: true };
    }
    if (result.nullable === true && Array.isArray(result.enum) && !result.enum.includes(null)) result = { ...result, enum: [...(result.enum as unknown[]), null] };
    return result;
  };
  return visit(schema) as Record<string, unknown>;
}

const isNullType = (node: unknown): boolean => typeof node === 'object' && node !== null && (node as { type?: unknown }).type === 'null';

/** Path, query or header parameters from an object schema. */
function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query' | 'header') {
  if (!schema) return [];
  const json = toOpenApi30(z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' })) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name: location === 'header' ? headerName(name) : name,
      in: location,
      required: location === 'path' || (json.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

const headerName = (lowerCase: string) => lowerCase.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`);
