import { describe, expect, it } from 'vitest';
import { CATALOG, currentVersions, versionInForce } from '../../shared/catalog/procedures';
import { ProcedureSchema } from '../../shared/domain/procedure';
import type { Procedure } from '../../shared/domain/procedure';

const BIRTH = '1.001193';
const DEATH = '1.000656';
const MARRIAGE = '1.000894';
const HOUSEHOLD_BUSINESS = '1.001612';

const current = currentVersions(CATALOG);
const currentPublished = current.filter((p) => p.published);

function procedure(code: string): Procedure {
  const found = current.find((p) => p.code === code);
  if (found === undefined) throw new Error(`procedure ${code} is not in the catalog`);
  return found;
}

/** Every string anywhere in a value, for text checks. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

describe('procedure catalog', () => {
  it.each(CATALOG.map((p) => [`${p.code} v${p.version}`, p] as const))('%s passes the procedure schema', (_label, entry) => {
    const result = ProcedureSchema.safeParse(entry);

    expect(result.success, result.error?.message).toBe(true);
  });

  it('has one entry per (code, version)', () => {
    const keys = CATALOG.map((p) => `${p.code}#${p.version}`);

    expect(new Set(keys).size).toBe(keys.length);
  });

  it('numbers the versions of each code 1, 2, … with later versions taking effect later', () => {
    const codes = new Set(CATALOG.map((p) => p.code));

    for (const code of codes) {
      const sorted = CATALOG.filter((p) => p.code === code).sort((a, b) => a.version - b.version);
      expect(
        sorted.map((p) => p.version),
        code,
      ).toEqual(sorted.map((_p, i) => i + 1));
      const dates = sorted.map((p) => p.effectiveFrom);
      expect(dates, code).toEqual([...new Set(dates)].sort());
    }
  });

  it('publishes at least 10 current procedures with distinct codes', () => {
    expect(currentPublished.length).toBeGreaterThanOrEqual(10);
    expect(new Set(currentPublished.map((p) => p.code)).size).toBe(currentPublished.length);
  });

  it('covers the procedures a ward desk handles most', () => {
    const codes = currentPublished.map((p) => p.code);

    expect(codes).toEqual(expect.arrayContaining([BIRTH, DEATH, MARRIAGE, '1.004873', '2.000815', '2.000884', HOUSEHOLD_BUSINESS, '1.013225']));
  });

  it('has same-day procedures and at least four distinct time limits', () => {
    const limits = new Set(currentPublished.map((p) => p.timeLimitDays));

    expect(limits.has(0)).toBe(true);
    expect(limits.size).toBeGreaterThanOrEqual(4);
  });

  it('keeps every text in Unicode NFC', () => {
    const notNfc = CATALOG.flatMap(stringsIn).filter((s) => s !== s.normalize('NFC'));

    expect(notNfc).toEqual([]);
  });

  it('writes procedure names with Vietnamese diacritics', () => {
    expect(procedure(BIRTH).name).toBe('Đăng ký khai sinh');
    expect(procedure(DEATH).name).toBe('Đăng ký khai tử');
  });

  it('registers deaths on holidays too, the same day', () => {
    const death = procedure(DEATH);

    expect(death.worksOnHolidays).toBe(true);
    expect(death.timeLimitDays).toBe(0);
  });

  it('does not let ordinary procedures count holidays', () => {
    const onHolidays = currentPublished.filter((p) => p.worksOnHolidays).map((p) => p.code);

    expect(onHolidays).toEqual([DEATH]);
  });

  it('registers births on time for free, in the same working day', () => {
    const birth = procedure(BIRTH);

    expect(birth.feeVnd).toBe(0);
    expect(birth.timeLimitDays).toBe(0);
    expect(birth.onlineLevel).toBe('FULL');
    expect(birth.formFields.map((f) => f.name)).toEqual(expect.arrayContaining(['childFullName', 'childBirthDate']));
  });

  it('uses the SUBTRACT clock for at least one procedure and RESTART for most', () => {
    const subtract = currentPublished.filter((p) => p.clockMode === 'SUBTRACT');

    expect(subtract.length).toBeGreaterThanOrEqual(1);
    expect(subtract.length).toBeLessThan(currentPublished.length / 2);
  });

  it('mixes fully online and partly online procedures', () => {
    const levels = new Set(currentPublished.map((p) => p.onlineLevel));

    expect(levels).toEqual(new Set(['FULL', 'PARTIAL']));
  });

  it.each(CATALOG.map((p) => [`${p.code} v${p.version}`, p] as const))('%s has unique document ids and form field names', (_label, entry) => {
    const documentIds = entry.documents.map((d) => d.id);
    const fieldNames = entry.formFields.map((f) => f.name);

    expect(new Set(documentIds).size).toBe(documentIds.length);
    expect(new Set(fieldNames).size).toBe(fieldNames.length);
    expect(entry.documents.some((d) => d.required)).toBe(true);
  });

  it.each(CATALOG.map((p) => [`${p.code} v${p.version}`, p] as const))('%s lists options for every enum field', (_label, entry) => {
    const enumsWithoutOptions = entry.formFields.filter((f) => f.type === 'enum' && (f.options?.length ?? 0) < 2);

    expect(enumsWithoutOptions).toEqual([]);
  });

  it('explains a fee in a note whenever it is not a flat free procedure', () => {
    const unexplained = currentPublished.filter((p) => p.feeVnd > 0 && (p.feeNote ?? '').length === 0);

    expect(unexplained.map((p) => p.code)).toEqual([]);
  });
});

describe('procedure versions', () => {
  it('keeps an older household business version whose fee terms differ from the current one', () => {
    const versions = CATALOG.filter((p) => p.code === HOUSEHOLD_BUSINESS).sort((a, b) => a.version - b.version);
    const [older, newer] = versions;

    expect(versions).toHaveLength(2);
    expect(older?.feeNote).not.toEqual(newer?.feeNote);
    expect(newer?.feeNote).toContain('trực tuyến: 0 đồng');
    expect(procedure(HOUSEHOLD_BUSINESS).version).toBe(2);
  });

  it('drops the marital-status certificate from marriage registration from 2026', () => {
    const documentIds = (p: Procedure | undefined) => p?.documents.map((d) => d.id) ?? [];

    expect(documentIds(versionInForce(CATALOG, MARRIAGE, '2025-12-31'))).toContain('giay-xac-nhan-tthn');
    expect(documentIds(versionInForce(CATALOG, MARRIAGE, '2026-01-01'))).not.toContain('giay-xac-nhan-tthn');
  });

  it('finds the version in force on a day', () => {
    expect(versionInForce(CATALOG, HOUSEHOLD_BUSINESS, '2026-07-24')?.version).toBe(1);
    expect(versionInForce(CATALOG, HOUSEHOLD_BUSINESS, '2026-07-25')?.version).toBe(2);
    expect(versionInForce(CATALOG, HOUSEHOLD_BUSINESS, '2025-06-30')).toBeUndefined();
    expect(versionInForce(CATALOG, '9.999999', '2026-07-25')).toBeUndefined();
  });

  it('ignores unpublished versions when finding the version in force', () => {
    const base = procedure(BIRTH);
    const draft: Procedure = { ...base, version: base.version + 1, effectiveFrom: '2026-01-01', published: false };

    expect(versionInForce([base, draft], BIRTH, '2026-06-01')?.version).toBe(base.version);
  });

  it('returns the highest version of each code, whatever the order', () => {
    const base = procedure(DEATH);
    const v2: Procedure = { ...base, version: 2, effectiveFrom: '2026-01-01' };
    const v3: Procedure = { ...base, version: 3, effectiveFrom: '2026-06-01' };
    const other = procedure(BIRTH);

    const result = currentVersions([v2, other, v3, base]);

    expect(result.map((p) => `${p.code}#${p.version}`).sort()).toEqual([`${BIRTH}#${other.version}`, `${DEATH}#3`].sort());
  });
});
