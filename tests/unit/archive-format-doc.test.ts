import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { AUDIT_CHECKS } from '../../shared/audit/verify-archive';
import * as archive from '../../shared/domain/archive';
import { DOCUMENT_TITLES } from '../../shared/documents/document-types';

/**
 * docs/archive-format.md describes the archive for auditors who never read the code; this keeps
 * it in step with shared/domain/archive.ts: every JSON format's fields, format ids, prefixes and
 * enumerations, and the audit's checks, are named in it (in code spans, as `name`).
 */
const DOC_PATH = 'docs/archive-format.md';
const doc = readFileSync(new URL(`../../${DOC_PATH}`, import.meta.url), 'utf8');

/** Every zod object schema archive.ts exports, by export name. */
const schemas: [string, z.ZodObject][] = Object.entries(archive as Record<string, unknown>).flatMap(([name, value]) =>
  value instanceof z.ZodObject ? [[name, value] as [string, z.ZodObject]] : [],
);
const exportedSchemas = new Set<unknown>(schemas.map(([, schema]) => schema));

function unwrapOptional(schema: unknown): unknown {
  return schema instanceof z.ZodOptional ? unwrapOptional(schema.unwrap()) : schema;
}

/** The schema's top-level fields, and `parent.child` for objects defined inline (not an exported schema of their own). */
function fieldNames(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape).flatMap(([name, field]) => {
    const inner = unwrapOptional(field);
    const nested = inner instanceof z.ZodObject && !exportedSchemas.has(inner) ? Object.keys(inner.shape).map((child) => `${name}.${child}`) : [];
    return [name, ...nested];
  });
}

/** The format ids (`mot-cua-so/…@n`) the schemas pin in their `format` field. */
function formatLiterals(): string[] {
  const literals = schemas.flatMap(([, schema]) => {
    const format: unknown = schema.shape.format;
    return format instanceof z.ZodLiteral ? [...format.values].map(String) : [];
  });
  return [...new Set(literals)];
}

const missingCodeSpans = (names: readonly string[]): string[] => names.filter((name) => !doc.includes(`\`${name}\``));

describe(`${DOC_PATH} describes the archive as shared/domain/archive.ts defines it`, () => {
  it('finds the JSON formats to check (the schemas and their format ids)', () => {
    expect(schemas.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'SignatureInfoSchema',
        'DocumentMetadataSchema',
        'CancellationFactsSchema',
        'DetachedSignatureSchema',
        'ManifestEntrySchema',
        'DailyManifestFactsSchema',
      ]),
    );
    expect(formatLiterals()).toEqual(expect.arrayContaining(['mot-cua-so/document@1', 'mot-cua-so/cancellation@1', 'mot-cua-so/manifest-entry@1', 'mot-cua-so/manifest-daily@1']));
  });

  it.each(schemas)('names every field of %s', (_name, schema) => {
    expect(missingCodeSpans(fieldNames(schema))).toEqual([]);
  });

  it('names every format id', () => {
    expect(missingCodeSpans(formatLiterals())).toEqual([]);
  });

  it('names every prefix of the layout, the legacy prefix and the self-issued certificate key', () => {
    expect(missingCodeSpans([...Object.values(archive.ARCHIVE_PREFIXES), archive.LEGACY_RESULTS_PREFIX, archive.SELF_ISSUED_CERTIFICATE_KEY])).toEqual([]);
  });

  it('names every document kind with its title, every manifest entry type and every signing authority', () => {
    expect(missingCodeSpans([...archive.DOCUMENT_KINDS, ...archive.MANIFEST_ENTRY_TYPES, ...archive.SignatureInfoSchema.shape.authority.options])).toEqual([]);
    expect(Object.values(DOCUMENT_TITLES).filter((title) => !doc.includes(title))).toEqual([]);
  });

  it("names every check of the audit's report", () => {
    expect(missingCodeSpans(Object.keys(AUDIT_CHECKS))).toEqual([]);
  });
});
