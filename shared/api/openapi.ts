import * as z from 'zod';
import type { WardConfig } from '../domain/ward-config';
import { ROUTES, type RouteAccess } from '../runtime/routes';
import { contract, type RouteId } from './contract';

const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string().meta({ description: 'Stable machine code, e.g. VALIDATION_FAILED, INVALID_TRANSITION, VERSION_CONFLICT' }),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const ERROR_STATUSES: Readonly<Record<string, string>> = {
  400: 'Bad input (malformed JSON included)',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Not JSON',
  422: 'Idempotency-Key reused with another body',
  429: 'Throttled, or a limit per ID number or client address reached; see Retry-After',
  500: 'Internal error',
};

/** What a route that calls AWS may answer when AWS throttles it or fails (a 5xx, a timeout); nothing was written. */
const SERVICE_UNAVAILABLE = 'An AWS service the route uses (DynamoDB, S3, KMS) throttled it or failed; nothing was written. Retry after Retry-After seconds';

const RETRY_AFTER_HEADER = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } } };

/** Whether a route calls an AWS service (its table, buckets, keys), and so can answer 503. */
const callsAws = (access: RouteAccess): boolean => Object.values(access).some((grant) => grant !== undefined && grant !== false);

interface Part {
  params?: z.ZodType;
  query?: z.ZodType;
  headers?: z.ZodType;
  body?: z.ZodType;
  summary: string;
  responses: Readonly<Record<number, z.ZodType>>;
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
    const part = (contract as Readonly<Record<string, Part>>)[route.id as RouteId];
    if (!part) throw new Error(`route ${route.id} has no contract`);
    const parameters = [...parametersOf(part.params, 'path'), ...parametersOf(part.query, 'query'), ...parametersOf(part.headers, 'header')];
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(part.responses)) {
      responses[status] = { description: 'OK', content: { 'application/json': { schema: register(schema, `${route.id}Response${status}`) } } };
    }
    const problem = { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    for (const [status, description] of Object.entries(ERROR_STATUSES)) {
      responses[status] = { description, ...(status === '429' ? { headers: RETRY_AFTER_HEADER } : {}), ...problem };
    }
    if (callsAws(route.access)) responses['503'] = { description: SERVICE_UNAVAILABLE, headers: RETRY_AFTER_HEADER, ...problem };
    paths[route.path] = {
      ...paths[route.path],
      [route.method.toLowerCase()]: {
        operationId: route.id,
        summary: part.summary,
        ...(route.auth === 'officer' ? { security: [{ wardLogin: [] }] } : route.auth === 'citizen' ? { security: [{ citizenLogin: [] }] } : {}),
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(part.body ? { requestBody: { required: true, content: { 'application/json': { schema: register(part.body, `${route.id}Request`) } } } } : {}),
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
  const componentSchemas = Object.fromEntries(Object.entries(schemas).map(([id, { $id: _location, ...schema }]) => [id, schema]));
  return {
    openapi: '3.0.3',
    info: {
      title: `Một Cửa Số — ${ward.name}`,
      version: '1.0.0',
      description: `The one-stop desk API of ${ward.name}, ${ward.province}. Errors are application/problem+json (RFC 9457); human text in Vietnamese, or English when Accept-Language prefers it.`,
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      schemas: componentSchemas,
      securitySchemes: {
        wardLogin: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        // The ID token of the city's identity provider (VNeID), checked by the function against the issuer's keys.
        citizenLogin: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
  };
}

/** Path, query or header parameters from an object schema. */
function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query' | 'header') {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as {
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
