import { describe, expect, it } from 'vitest';
import { parseUnitsFile, UNITS_FILE } from '../../infra/config/units';

/** A one-unit file, valid, to break one field at a time. */
const minimal = (units: unknown[] = [unit()], sources: unknown[] = [source()]) =>
  JSON.stringify({ province: 'Thành phố Hà Nội', effectiveFrom: '2025-07-01', about: ['Test units.'], sources, units });
const unit = (overrides: Record<string, unknown> = {}) => ({
  unitCode: '00070',
  name: 'Phường Hoàn Kiếm',
  type: 'ward',
  slug: 'hoan-kiem',
  agencyCode: null,
  smsSenderName: 'HOANKIEM',
  alertEmails: ['motcua.hoankiem@hanoi.gov.vn'],
  ...overrides,
});
const source = (overrides: Record<string, unknown> = {}) => ({ id: 'catalogue', title: 'A catalogue of the units', fields: ['unitCode', 'name', 'type'], ...overrides });

describe('the units data file', () => {
  it('cites a source for the units, their codes and names', () => {
    const fields = new Set(UNITS_FILE.sources.flatMap((s) => s.fields));

    expect([...fields]).toEqual(expect.arrayContaining(['unitCode', 'name', 'type', 'agencyCode']));
    expect(UNITS_FILE.sources.map((s) => s.id)).toEqual(expect.arrayContaining(['nq-1656', 'nso-1027']));
  });

  it('accepts a valid file', () => {
    expect(parseUnitsFile(minimal()).units).toHaveLength(1);
  });

  it.each([
    ['a slug', unit({ unitCode: '00082', name: 'Phường Cửa Nam', smsSenderName: 'CUANAM' }), /slug 'hoan-kiem' is also unit 0's/],
    ['a unit code', unit({ slug: 'cua-nam', name: 'Phường Cửa Nam', smsSenderName: 'CUANAM' }), /unitCode '00070' is also unit 0's/],
    ['an SMS sender id', unit({ unitCode: '00082', slug: 'cua-nam', name: 'Phường Cửa Nam' }), /smsSenderName 'HOANKIEM' is also unit 0's/],
  ])('refuses two units with the same %s', (_field, second, message) => {
    expect(() => parseUnitsFile(minimal([unit(), second]))).toThrow(message);
  });

  it('refuses an SMS sender id SNS would refuse', () => {
    expect(() => parseUnitsFile(minimal([unit({ smsSenderName: 'HOAN KIEM' })]))).toThrow(/smsSenderName/);
    expect(() => parseUnitsFile(minimal([unit({ smsSenderName: 'PHUONGHOANKIEM' })]))).toThrow(/smsSenderName/);
  });

  it('refuses a name that does not say the unit is a ward or a commune', () => {
    expect(() => parseUnitsFile(minimal([unit({ type: 'commune' })]))).toThrow(/Xã/);
  });

  it('takes a confirmed agency code only with its source, in the Hanoi format', () => {
    const confirmed = { code: '000.00.70.H26', source: 'Quyết định số …/QĐ-UBND' };
    const agencySource = source({ id: 'agency', fields: ['agencyCode'] });

    expect(parseUnitsFile(minimal([unit({ agencyCode: confirmed })], [source(), agencySource])).units[0]?.agencyCode).toEqual(confirmed);
    expect(() => parseUnitsFile(minimal([unit({ agencyCode: confirmed })]))).toThrow(/no source gives the units' agencyCode/);
    expect(() => parseUnitsFile(minimal([unit({ agencyCode: { code: '000.00.70.H29', source: 'Quyết định số …' } })], [source(), agencySource]))).toThrow(/H26/);
    expect(() => parseUnitsFile(minimal([unit({ agencyCode: '000.00.70.H26' })], [source(), agencySource]))).toThrow(/agencyCode/);
  });
});
