import fc from 'fast-check';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { contract } from '../../shared/api/contract';
import { buildOpenApiDocument, contractOf, problemCodesOf, securityOf, toOpenApi30 } from '../../shared/api/openapi';
import { ApplicantSchema, IdNumberSchema, PhoneSchema, text } from '../../shared/domain/dossier';
import {
  ForbiddenError,
  IdempotencyKeyReusedError,
  InvalidTransitionError,
  MalformedJsonError,
  NotFoundError,
  PayloadTooLargeError,
  PROBLEM_CODES,
  PROBLEMS,
  RateLimitedError,
  RuleViolationError,
  ServiceBusyError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  UploadAlreadyAttachedError,
  UploadScanPendingError,
  ValidationError,
  VersionConflictError,
  type DomainError,
} from '../../shared/domain/errors';
import { checkIdNumber, normalizeText } from '../../shared/domain/formats';
import { titleOf } from '../../shared/runtime/messages';
import { ROUTES, type RouteDefinition } from '../../shared/runtime/routes';
import { GATEWAY_PROBLEMS } from '../../infra/constructs/problem-responses';
import { testWard } from '../fixtures/ward';

type Json = Record<string, unknown>;
interface Response {
  description: string;
  'x-problem-codes'?: string[];
  headers?: Record<string, Json>;
}
interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean; schema: Json }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Json }> };
  responses: Record<string, Response>;
}

const document = buildOpenApiDocument(testWard);
const schemas = document.components.schemas as Record<string, Json>;
const operationOf = (route: RouteDefinition) => (document.paths as Record<string, Record<string, Operation>>)[route.path]?.[route.method.toLowerCase()] as Operation;
const statusesOf = (route: RouteDefinition) => Object.keys(operationOf(route).responses).map(Number);
const codesOf = (route: RouteDefinition, status: number) => operationOf(route).responses[status]?.['x-problem-codes'] ?? [];
const officerRoutes = ROUTES.filter((route) => route.auth === 'officer');
const publicRoutes = ROUTES.filter((route) => route.auth === 'public');

describe('the status codes of each operation', () => {
  it('lists 401 (UNAUTHORIZED) and 403 (FORBIDDEN) on every officer route', () => {
    const missing = officerRoutes.filter((route) => !codesOf(route, 401).includes('UNAUTHORIZED') || !codesOf(route, 403).includes('FORBIDDEN')).map((r) => r.id);

    expect(officerRoutes.length).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });

  it('lists 401 on a public route only where a citizen may sign in (a secret the token stands in for) or its contract declares it, and 403 only for the firewall', () => {
    const opensBySecret = (route: RouteDefinition) => JSON.stringify(z.toJSONSchema(contractOf(route).headers ?? z.object({}))).includes('x-dossier-secret');
    const wrong = publicRoutes.flatMap((route) => {
      const declared: readonly string[] = contractOf(route).errors ?? [];
      const allowed = (code: string) => code === 'REQUEST_BLOCKED' || declared.includes(code) || (code === 'SIGN_IN_INVALID' && opensBySecret(route));
      return [...codesOf(route, 401), ...codesOf(route, 403)].filter((code) => !allowed(code)).map((code) => `${route.id} ${code}`);
    });

    expect(publicRoutes.filter((route) => statusesOf(route).includes(401)).map((r) => r.id)).toEqual(
      publicRoutes.filter((route) => opensBySecret(route) || contractOf(route).errors?.some((code) => code.startsWith('SIGN_IN_') || code === 'UNAUTHORIZED')).map((r) => r.id),
    );
    expect(wrong).toEqual([]);
  });

  it("lists the citizen's sign-in problems (401) without 403 on a route for signed-in citizens, derived from its auth alone", () => {
    const citizenRoute = {
      id: 'ListMyDossiers',
      method: 'GET',
      path: '/me/dossiers',
      handler: 'me/list-dossiers',
      auth: 'citizen',
      access: { table: 'read' },
    } as unknown as RouteDefinition;
    const codes = problemCodesOf(citizenRoute, { summary: 'Mine', responses: {} });

    expect(codes).toEqual(expect.arrayContaining(['SIGN_IN_REQUIRED', 'SIGN_IN_INVALID']));
    expect(codes).not.toContain('UNAUTHORIZED');
    expect(codes).not.toContain('FORBIDDEN');
  });

  it('requires the sign-in of its kind on every route but the public ones', () => {
    expect(securityOf({ auth: 'officer' })).toEqual({ security: [{ wardLogin: [] }] });
    expect(securityOf({ auth: 'citizen' } as unknown as RouteDefinition)).toEqual({ security: [{ citizenLogin: [] }] });
    expect(securityOf({ auth: 'public' })).toEqual({});
    expect(officerRoutes.filter((route) => JSON.stringify((operationOf(route) as { security?: unknown }).security) !== '[{"wardLogin":[]}]').map((r) => r.id)).toEqual([]);
  });

  it('lists 400 only on routes with parameters, headers or a JSON body to validate (a file is taken as it is)', () => {
    const mismatched = ROUTES.filter((route) => {
      const part = contractOf(route);
      return statusesOf(route).includes(400) !== Boolean(part.params || part.query || part.headers || part.body);
    }).map((r) => r.id);

    expect(mismatched).toEqual([]);
    expect(statusesOf(ROUTES.find((r) => r.id === 'GetSigningKey') as RouteDefinition)).not.toContain(400);
  });

  it('lists 413 and 415 exactly on the routes that take a body', () => {
    const mismatched = ROUTES.filter((route) => {
      const part = contractOf(route);
      const takesBody = Boolean(part.body || part.binaryBody);
      return statusesOf(route).includes(413) !== takesBody || statusesOf(route).includes(415) !== takesBody;
    }).map((r) => r.id);

    expect(mismatched).toEqual([]);
  });

  it('lists 404 only with path parameters', () => {
    const wrong = ROUTES.filter((route) => statusesOf(route).includes(404) !== route.path.includes('{')).map((r) => r.id);

    expect(wrong).toEqual([]);
  });

  it('lists 422 exactly where an Idempotency-Key is taken', () => {
    const withKey = ROUTES.filter((route) => operationOf(route).parameters?.some((p) => p.name === 'Idempotency-Key')).map((r) => r.id);
    const with422 = ROUTES.filter((route) => statusesOf(route).includes(422)).map((r) => r.id);

    expect(with422).toEqual(withKey);
    expect(with422).toEqual(['SubmitDossier', 'CreateCounterDossier']);
  });

  it('lists 409 only where a conflict can occur, and VERSION_CONFLICT wherever If-Match is taken', () => {
    const withIfMatch = ROUTES.filter((route) => operationOf(route).parameters?.some((p) => p.name === 'If-Match'));
    const readsOnly = ROUTES.filter((route) => route.method === 'GET' && route.access.table !== 'readWrite');

    expect(withIfMatch.filter((route) => !codesOf(route, 409).includes('VERSION_CONFLICT')).map((r) => r.id)).toEqual([]);
    expect(readsOnly.filter((route) => statusesOf(route).includes(409)).map((r) => r.id)).toEqual([]);
    expect(statusesOf(ROUTES.find((r) => r.id === 'ListProcedures') as RouteDefinition)).not.toContain(409);
  });

  it('lists 429 with Retry-After on every route (the API throttles every route), RATE_LIMITED on the limited writes', () => {
    const without = ROUTES.filter((route) => !operationOf(route).responses['429']?.headers?.['Retry-After']).map((r) => r.id);

    expect(without).toEqual([]);
    expect(codesOf(ROUTES.find((r) => r.id === 'SubmitDossier') as RouteDefinition, 429)).toContain('RATE_LIMITED');
    expect(codesOf(ROUTES.find((r) => r.id === 'ListProcedures') as RouteDefinition, 429)).not.toContain('RATE_LIMITED');
  });

  it('gives every 503 a Retry-After header', () => {
    const without = ROUTES.filter((route) => statusesOf(route).includes(503) && !operationOf(route).responses['503']?.headers?.['Retry-After']).map((r) => r.id);

    expect(without).toEqual([]);
  });

  it('lists under each status only problem codes of that status, and describes each of them', () => {
    const wrong = ROUTES.flatMap((route) =>
      Object.entries(operationOf(route).responses)
        .filter(([status]) => Number(status) >= 400)
        .flatMap(([status, response]) =>
          (response['x-problem-codes'] ?? ['(none)'])
            .filter((code) => PROBLEMS[code as keyof typeof PROBLEMS]?.status !== Number(status) || !response.description.includes(code))
            .map((code) => `${route.id} ${status} ${code}`),
        ),
    );

    expect(wrong).toEqual([]);
  });

  it('documents the list of problem codes as an enum of Problem.code', () => {
    const code = (schemas.Problem?.properties as Record<string, Json>).code;

    expect(code?.enum).toEqual(PROBLEM_CODES);
  });

  it("documents every problem code a route's contract declares", () => {
    const missing = ROUTES.flatMap((route) =>
      (contractOf(route).errors ?? []).filter((code) => !codesOf(route, PROBLEMS[code].status).includes(code)).map((code) => `${route.id} ${code}`),
    );

    expect(missing).toEqual([]);
  });
});

describe('problem codes and titles', () => {
  it('gives every code a non-empty title in Vietnamese and in English, distinct from every other code’s', () => {
    const vi = PROBLEM_CODES.map((code) => titleOf(code, 'vi'));
    const en = PROBLEM_CODES.map((code) => titleOf(code, 'en'));

    expect(vi.filter((title) => title.trim() === '')).toEqual([]);
    expect(en.filter((title) => title.trim() === '')).toEqual([]);
    expect(new Set(vi).size).toBe(PROBLEM_CODES.length);
    expect(new Set(en).size).toBe(PROBLEM_CODES.length);
    expect(vi.filter((title, index) => title === en[index])).toEqual([]);
  });

  it('gives every domain error the status its code is catalogued with', () => {
    const errors: DomainError[] = [
      new ValidationError([]),
      new ValidationError([], undefined, 'UNKNOWN_PROCEDURE'),
      new MalformedJsonError(),
      new NotFoundError(),
      new InvalidTransitionError('receive', 'RESOLVED'),
      new RuleViolationError('ALREADY_RATED', { vi: 'x', en: 'x' }),
      new VersionConflictError(),
      new UnauthorizedError(),
      new ForbiddenError(),
      new IdempotencyKeyReusedError(),
      new PayloadTooLargeError(1),
      new UnsupportedMediaTypeError(),
      new RateLimitedError(1),
      new UploadAlreadyAttachedError([]),
      new UploadScanPendingError(),
      new ServiceBusyError(),
    ];

    expect(errors.filter((error) => error.status !== PROBLEMS[error.code].status).map((error) => error.code)).toEqual([]);
  });

  it("gives the gateway's own problems the status and title of their codes", () => {
    expect(GATEWAY_PROBLEMS.filter((problem) => problem.status !== PROBLEMS[problem.code].status).map((p) => p.code)).toEqual([]);
  });
});

describe('request bodies', () => {
  const posts = ROUTES.filter((route) => route.method === 'POST');

  it('lets a withdrawal be sent with no body', () => {
    const withdraw = ROUTES.find((route) => route.id === 'WithdrawDossier') as RouteDefinition;

    expect(operationOf(withdraw).requestBody?.required).toBe(false);
    expect(contract.WithdrawDossier.body.safeParse(undefined).success).toBe(true);
  });

  it.each(posts.map((route) => [route.id, route] as const))('%s says a body is required exactly when its schema refuses none', (_id, route) => {
    const part = contractOf(route);
    const required = operationOf(route).requestBody?.required;

    if (part.binaryBody) expect(required).toBe(true);
    else if (part.body) expect(required).toBe(!part.body.safeParse(undefined).success);
    else expect(required).toBeUndefined();
  });

  it('documents the PDF a verification takes, with its largest size', () => {
    const verify = operationOf(ROUTES.find((route) => route.id === 'VerifyDocument') as RouteDefinition);

    expect(verify.requestBody?.content['application/pdf']?.schema).toMatchObject({ type: 'string', format: 'binary', maxLength: contract.VerifyDocument.binaryBody.maxBytes });
  });
});

describe('response headers', () => {
  it('documents ETag on the officer dossier read and every officer action, Location on the creations', () => {
    const withHeader = (name: string) =>
      ROUTES.filter((route) => Object.values(operationOf(route).responses).some((r) => r.headers?.[name] && !('x-problem-codes' in r))).map((r) => r.id);

    expect(withHeader('ETag')).toEqual(expect.arrayContaining(['GetOfficerDossier', 'TransitionDossier', 'IssueApology', 'CancelResult']));
    expect(withHeader('Location').sort()).toEqual(['CreateCounterDossier', 'SubmitDossier']);
  });
});

describe('nullable fields', () => {
  it('turns a union with null into a nullable schema, and lists null among a nullable enum', () => {
    expect(toOpenApi30({ anyOf: [{ type: 'string' }, { type: 'null' }] })).toEqual({ type: 'string', nullable: true });
    expect(toOpenApi30({ anyOf: [{ $ref: '#/components/schemas/A' }, { type: 'null' }] })).toEqual({ allOf: [{ $ref: '#/components/schemas/A' }], nullable: true });
    expect(toOpenApi30({ type: 'string', enum: ['A'], nullable: true })).toEqual({ type: 'string', enum: ['A', null], nullable: true });
  });

  it('documents a nullable enum of zod as OpenAPI 3.0 does, with null among its values', () => {
    const json = toOpenApi30(z.toJSONSchema(z.object({ from: z.enum(['A', 'B']).nullable() }), { target: 'openapi-3.0' }));

    expect((json.properties as Record<string, Json>).from).toEqual({ type: 'string', enum: ['A', 'B', null], nullable: true });
  });

  it('leaves no null type and no nullable without a type or a null value in its enum anywhere in the document', () => {
    const bad: string[] = [];
    const visit = (node: unknown, where: string) => {
      if (node === null || typeof node !== 'object') return;
      const n = node as Json;
      if (n.type === 'null') bad.push(`${where}: type null`);
      if (n.nullable === true && !('type' in n) && !('allOf' in n)) bad.push(`${where}: nullable without a type`);
      if (n.nullable === true && Array.isArray(n.enum) && !n.enum.includes(null)) bad.push(`${where}: nullable enum without null`);
      for (const [key, value] of Object.entries(n)) if (key !== 'enum' && key !== 'example') visit(value, `${where}/${key}`);
    };
    visit(document, '#');

    expect(bad).toEqual([]);
  });
});

describe('the document through openapi-typescript (what the front end generates its client from)', () => {
  it('converts without a warning or an error', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const types = astToString(await openapiTS(JSON.parse(JSON.stringify(document)) as Parameters<typeof openapiTS>[0]));

      expect(types).toContain('WithdrawDossier');
      expect(types).toMatch(/requestBody\?: \{\s*content: \{\s*"application\/json": components\["schemas"\]\["WithdrawDossierRequest"\]/);
      expect(warn.mock.calls).toEqual([]);
      expect(error.mock.calls).toEqual([]);
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });
});

/** A string schema of the document, as a predicate: its pattern (with the `u` flag, as JSON Schema's) and its lengths in code points. */
function documented(schema: Json | undefined): (value: string) => boolean {
  if (!schema) throw new Error('no such schema in the document');
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern, 'u') : undefined;
  return (value) => {
    const length = [...value].length;
    return (pattern?.test(value) ?? true) && length >= ((schema.minLength as number | undefined) ?? 0) && length <= ((schema.maxLength as number | undefined) ?? Infinity);
  };
}

const applicant = (schemas.SubmitDossierRequest?.properties as Record<string, Json>).applicant?.properties as Record<string, Json>;
const accepts = (schema: z.ZodType) => (value: string) => schema.safeParse(value).success;
const chars = (alphabet: string, maxLength: number) => fc.array(fc.constantFrom(...Array.from(alphabet)), { maxLength }).map((list) => list.join(''));
/** Text as the server keeps it (NFC, trimmed, single spaces): the lengths of the document count these. */
const normalised = (arbitrary: fc.Arbitrary<string>) => arbitrary.map(normalizeText);
const NAME_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂĐÊÔƠƯ áàảãạếềểễệ.'-0123456789😀Жд,/\u0301\u00A0";

describe("the document's patterns and lengths agree with the server's validators", () => {
  it('the applicant’s full name', () => {
    const fromDocument = documented(applicant?.fullName);
    fc.assert(
      fc.property(
        fc.oneof(normalised(chars(NAME_ALPHABET, 110)), normalised(fc.string({ maxLength: 110 }))),
        (name) => fromDocument(name) === accepts(ApplicantSchema.shape.fullName)(name),
      ),
      { numRuns: 2000 },
    );
  });

  it('the applicant’s address', () => {
    const fromDocument = documented(applicant?.address);
    fc.assert(
      fc.property(normalised(chars(`${NAME_ALPHABET}#&:;+()`, 310)), (address) => fromDocument(address) === accepts(ApplicantSchema.shape.address.unwrap())(address)),
      { numRuns: 2000 },
    );
  });

  it('the phone number, separators included', () => {
    const fromDocument = documented(applicant?.phone);
    const plausible = fc
      .tuple(fc.constantFrom('0', '+84', '84', '+8 4', '', '1'), chars('0123456789', 11), chars(' .-\t', 2))
      .map(([prefix, digits, gap]) => `${gap}${prefix}${gap}${digits.slice(0, 3)}${gap}${digits.slice(3)}`);
    fc.assert(
      fc.property(fc.oneof(plausible, chars('0123456789+ .-\tx', 16)), (phone) => fromDocument(phone) === accepts(PhoneSchema)(phone)),
      { numRuns: 3000 },
    );
  });

  it('the personal ID number: the pattern holds every number the server takes, and refuses only numbers it refuses', () => {
    const fromDocument = documented(applicant?.idNumber);
    const plausible = fc
      .tuple(fc.constantFrom('001', '003', '079', '096', '097', '100'), chars('0123456789', 10), fc.constantFrom('', ' ', '\t'))
      .map(([province, rest, space]) => `${space}${province}${rest}${space}`);
    fc.assert(
      fc.property(fc.oneof(plausible, chars('0123456789 a', 14)), (idNumber) => {
        const problem = checkIdNumber(idNumber.trim());
        // The birth year depends on today: the one check the pattern leaves to the server.
        return fromDocument(idNumber) === (problem === undefined || problem === 'BIRTH_YEAR') && (!accepts(IdNumberSchema)(idNumber) || fromDocument(idNumber));
      }),
      { numRuns: 3000 },
    );
  });

  it('the If-Match header of an officer action', () => {
    const transitions = operationOf(ROUTES.find((r) => r.id === 'TransitionDossier') as RouteDefinition);
    const fromDocument = documented(transitions.parameters?.find((p) => p.name === 'If-Match')?.schema);
    const ifMatch = contract.TransitionDossier.headers.shape['if-match'];
    fc.assert(
      fc.property(
        fc.oneof(
          chars('W/"0123456789 ', 14),
          fc.nat().map((n) => `"${n}"`),
        ),
        (value) => fromDocument(value) === accepts(ifMatch)(value),
      ),
      { numRuns: 2000 },
    );
  });

  it('every bounded text (reasons, notes, names of documents): its lengths', () => {
    const reason = (schemas.CancelResultRequest?.properties as Record<string, Json>).reason;
    const fromDocument = documented(reason);
    fc.assert(
      fc.property(normalised(fc.string({ maxLength: 2010 })), (value) => fromDocument(value) === accepts(text(3, 2000))(value)),
      { numRuns: 500 },
    );
    expect(reason).toMatchObject({ minLength: 3, maxLength: 2000 });
  });

  it('bounds every string a request takes (a length, a pattern, an enum or a format)', () => {
    const unbounded: string[] = [];
    const visit = (node: unknown, where: string) => {
      if (node === null || typeof node !== 'object') return;
      const n = node as Json;
      if (n.type === 'string' && !['maxLength', 'pattern', 'enum', 'format'].some((k) => k in n)) unbounded.push(where);
      for (const [key, value] of Object.entries(n)) if (key !== 'enum' && key !== 'example' && key !== 'default') visit(value, `${where}/${key}`);
    };
    for (const [name, schema] of Object.entries(schemas)) if (name.endsWith('Request')) visit(schema, name);
    for (const route of ROUTES) for (const parameter of operationOf(route).parameters ?? []) visit(parameter.schema, `${route.id} ${parameter.name}`);

    expect(unbounded).toEqual([]);
  });
});
