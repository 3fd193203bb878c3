import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../shared/api/openapi';
import { SubmissionSchema } from '../../shared/domain/dossier';
import { ROUTES } from '../../shared/runtime/routes';
import { testWard } from '../fixtures/ward';

/*
 * No OpenAPI validator is installed (only ajv 6, as a transitive dependency of eslint, without the
 * OAS 3.0 meta-schema), so these tests check the structure by hand. With a new dev dependency,
 * `@seriousme/openapi-schema-validator` would validate the whole document against the official
 * OpenAPI 3.0 JSON Schema in one assertion.
 */

type Json = Record<string, unknown>;

interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean; schema: Json }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Json }> };
  responses: Record<string, { description: string; headers?: Record<string, Json>; content?: Record<string, { schema: Json }> }>;
  security?: unknown;
}

const document = buildOpenApiDocument(testWard);
const schemas = document.components.schemas as Record<string, Json>;
const paths = document.paths as Record<string, Record<string, Operation>>;

/** The Schema Object keywords of OpenAPI 3.0.3 (section 4.7.24); anything else is "strictly unsupported". */
const OAS30_SCHEMA_KEYWORDS = new Set([
  'title',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
  'required',
  'enum',
  'type',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'items',
  'properties',
  'additionalProperties',
  'description',
  'format',
  'default',
  'nullable',
  'discriminator',
  'readOnly',
  'writeOnly',
  'xml',
  'externalDocs',
  'example',
  'deprecated',
  '$ref',
]);
const OAS30_TYPES = new Set(['array', 'boolean', 'integer', 'number', 'object', 'string']);

/** Every schema object of the document (components, parameters, bodies, responses, and nested ones), with where it is. */
function allSchemas(): { where: string; schema: Json }[] {
  const found: { where: string; schema: Json }[] = [];
  const visit = (schema: unknown, where: string) => {
    if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return;
    const s = schema as Json;
    found.push({ where, schema: s });
    for (const [name, sub] of Object.entries((s.properties as Json | undefined) ?? {})) visit(sub, `${where}.properties.${name}`);
    for (const key of ['items', 'additionalProperties', 'not']) visit(s[key], `${where}.${key}`);
    for (const key of ['allOf', 'oneOf', 'anyOf']) ((s[key] as unknown[] | undefined) ?? []).forEach((sub, i) => visit(sub, `${where}.${key}[${i}]`));
  };
  for (const [name, schema] of Object.entries(schemas)) visit(schema, `#/components/schemas/${name}`);
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const at = `${method.toUpperCase()} ${path}`;
      for (const parameter of operation.parameters ?? []) visit(parameter.schema, `${at} parameter ${parameter.name}`);
      for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) visit(media.schema, `${at} request ${type}`);
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const [type, media] of Object.entries(response.content ?? {})) visit(media.schema, `${at} ${status} ${type}`);
      }
    }
  }
  return found;
}

function resolve(ref: string): Json | undefined {
  const prefix = '#/components/schemas/';
  return ref.startsWith(prefix) ? schemas[ref.slice(prefix.length)] : undefined;
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.0.3 with the ward in its title', () => {
    expect(document.openapi).toBe('3.0.3');
    expect(document.info.title).toContain(testWard.name);
    expect(document.info.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('survives JSON serialisation unchanged (it is served as JSON)', () => {
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it.each(ROUTES.map((r) => [r.method, r.path, r.id] as const))('documents %s %s as operation %s', (method, path, id) => {
    const operation = paths[path]?.[method.toLowerCase()];

    expect(operation?.operationId).toBe(id);
  });

  it('documents no operation that the route table does not serve', () => {
    const documented = Object.entries(paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));

    expect(documented.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('gives every operation a unique operationId', () => {
    const ids = Object.values(paths).flatMap((operations) => Object.values(operations).map((o) => o.operationId));

    expect(new Set(ids).size).toBe(ids.length);
  });

  it('declares every path placeholder as a required path parameter, and no other', () => {
    const mismatches = Object.entries(paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) => {
        const placeholders = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
        const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
        const names = declared.map((p) => p.name).sort();
        const optional = declared.filter((p) => !p.required).map((p) => p.name);
        return JSON.stringify(placeholders) === JSON.stringify(names) && optional.length === 0 ? [] : [`${method} ${path}: ${names.join(',')}`];
      }),
    );

    expect(mismatches).toEqual([]);
  });

  it('requires the Idempotency-Key header of a submission', () => {
    const submit = paths['/dossiers']?.post;

    expect(submit?.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }));
  });

  it('describes every response and answers every error as a Problem in application/problem+json', () => {
    const problems: string[] = [];
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (!response.description) problems.push(`${method} ${path} ${status}: no description`);
          if (Number(status) >= 400 && response.content?.['application/problem+json']?.schema.$ref !== '#/components/schemas/Problem') {
            problems.push(`${method} ${path} ${status}: not a Problem`);
          }
        }
        if (!operation.responses['400']) problems.push(`${method} ${path}: 400 undocumented`);
      }
    }

    expect(problems).toEqual([]);
  });

  it('documents 503 with Retry-After on every route that calls AWS, and on no other', () => {
    const documented = ROUTES.filter((route) => paths[route.path]?.[route.method.toLowerCase()]?.responses['503']?.headers?.['Retry-After']).map((route) => route.id);

    expect(documented).toEqual(ROUTES.filter((route) => Object.keys(route.access).length > 0).map((route) => route.id));
    expect(documented).not.toContain('GetOpenApi');
  });

  it('describes the Problem with its stable code and validation errors', () => {
    const problem = schemas.Problem;

    expect(problem?.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']));
    expect(problem?.properties).toMatchObject({ errors: { type: 'array', items: { properties: { path: { type: 'string' }, message: { type: 'string' } } } } });
  });

  it('lists the server only when given one', () => {
    expect(document).not.toHaveProperty('servers');
    expect(buildOpenApiDocument(testWard, 'https://api.example.vn/prod').servers).toEqual([{ url: 'https://api.example.vn/prod' }]);
  });
});

describe('the OpenAPI schema of a submission', () => {
  const submit = paths['/dossiers']?.post;
  const ref = submit?.requestBody?.content['application/json']?.schema.$ref;
  const component = typeof ref === 'string' ? resolve(ref) : undefined;

  it('is a required JSON body referring to a component', () => {
    expect(submit?.requestBody?.required).toBe(true);
    expect(ref).toMatch(/^#\/components\/schemas\//);
    expect(component).toBeDefined();
  });

  it('has procedureCode and applicant, required, and rejects other members', () => {
    expect(component).toMatchObject({ type: 'object', additionalProperties: false });
    expect(component?.properties).toHaveProperty('procedureCode');
    expect(component?.properties).toHaveProperty('applicant');
    expect(component?.required).toEqual(expect.arrayContaining(['procedureCode', 'applicant']));
  });

  it('has the very members of the schema that validates submissions', () => {
    expect(Object.keys(component?.properties as Json).sort()).toEqual(Object.keys(SubmissionSchema.shape).sort());
  });

  it("describes the applicant as a closed object whose identity may come from the citizen's ID token instead", () => {
    const applicant = (component?.properties as Json).applicant as Json;

    expect(applicant).toMatchObject({ type: 'object', additionalProperties: false });
    expect(Object.keys(applicant.properties as Json).sort()).toEqual(['address', 'email', 'fullName', 'idNumber', 'phone']);
    expect(applicant.required ?? []).toEqual([]);
  });
});

describe('the OpenAPI schemas are OpenAPI 3.0 schemas', () => {
  const found = allSchemas();

  it('walks a realistic number of schemas (guards the checks below)', () => {
    expect(found.length).toBeGreaterThan(50);
  });

  it('resolves every $ref to a component', () => {
    const dangling = found.flatMap(({ where, schema }) => (typeof schema.$ref === 'string' && !resolve(schema.$ref) ? [`${where} → ${schema.$ref}`] : []));

    expect(dangling).toEqual([]);
  });

  it('leaves no definitions, $defs or $schema inside any schema', () => {
    const leftovers = found.flatMap(({ where, schema }) => ['definitions', '$defs', '$schema'].filter((k) => k in schema).map((k) => `${where}.${k}`));

    expect(leftovers).toEqual([]);
  });

  it('gives $ref no sibling keywords (OpenAPI 3.0 ignores them)', () => {
    const withSiblings = found.filter(({ schema }) => '$ref' in schema && Object.keys(schema).length > 1).map(({ where }) => where);

    expect(withSiblings).toEqual([]);
  });

  it('uses a single OpenAPI 3.0 type per schema, nullable rather than a null type', () => {
    const bad = found.filter(({ schema }) => 'type' in schema && !(typeof schema.type === 'string' && OAS30_TYPES.has(schema.type))).map(({ where }) => where);

    expect(bad).toEqual([]);
  });

  it('uses boolean exclusiveMinimum and exclusiveMaximum, and one schema for items', () => {
    const bad = found.flatMap(({ where, schema }) => [
      ...(['exclusiveMinimum', 'exclusiveMaximum'] as const).filter((k) => k in schema && typeof schema[k] !== 'boolean').map((k) => `${where}.${k}`),
      ...(Array.isArray(schema.items) ? [`${where}.items`] : []),
    ]);

    expect(bad).toEqual([]);
  });

  it('uses only Schema Object keywords of OpenAPI 3.0.3', () => {
    const unsupported = found.flatMap(({ where, schema }) =>
      Object.keys(schema)
        .filter((k) => !OAS30_SCHEMA_KEYWORDS.has(k) && !k.startsWith('x-'))
        .map((k) => `${where}: ${k}`),
    );

    expect(unsupported).toEqual([]);
  });
});
