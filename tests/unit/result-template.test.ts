import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../shared/catalog/procedures';
import { snapshotOf } from '../../shared/domain/dossier';
import type { Procedure } from '../../shared/domain/procedure';
import { BLANK, fillResultTemplate, placeholdersOf, unknownPlaceholders } from '../../shared/domain/result-template';
import { receivedDossier } from '../fixtures/dossier';

const ward = { name: 'UBND phường Hoàn Kiếm' };
const entries = CATALOG.map((p) => [`${p.code} v${p.version}`, p] as const);

/** A value of the right type for every form field of the procedure. */
function formDataOf(procedure: Procedure): Record<string, unknown> {
  return Object.fromEntries(
    procedure.formFields.map((field) => [
      field.name,
      field.type === 'date'
        ? '2025-12-20'
        : field.type === 'integer'
          ? 3
          : field.type === 'idNumber'
            ? '001190012345'
            : field.type === 'enum'
              ? field.options?.[0]
              : `giá trị ${field.name}`,
    ]),
  );
}

describe('the result template of every procedure', () => {
  it.each(entries)('%s names only applicant fields, its own form fields, the dossier and the ward', (_label, procedure) => {
    expect(unknownPlaceholders(procedure)).toEqual([]);
  });

  it.each(entries)('%s fills every placeholder from a dossier, and puts every form field somewhere', (_label, procedure) => {
    const dossier = receivedDossier({ procedure: snapshotOf(procedure), formData: formDataOf(procedure) });

    const filled = fillResultTemplate(procedure, dossier, ward);

    expect(`${filled.title}\n${filled.content}`).not.toMatch(/\{\{|\}\}/);
    const used = new Set(placeholdersOf(procedure.resultTemplate));
    expect(procedure.formFields.map((f) => f.name).filter((name) => !used.has(`form.${name}`))).toEqual([]);
  });

  it.each(entries)('%s is titled as its result document, in Vietnamese capitals', (_label, procedure) => {
    expect(procedure.resultTemplate.title).toBe(procedure.resultTemplate.title.toLocaleUpperCase('vi'));
    expect(procedure.resultTemplate.content.normalize('NFC')).toBe(procedure.resultTemplate.content);
  });
});

describe('fillResultTemplate', () => {
  const marital = CATALOG.find((p) => p.code === '1.004873');
  if (!marital) throw new Error('the catalog has no marital status certificate');
  const dossier = receivedDossier({
    procedure: snapshotOf(marital),
    formData: { purpose: 'Đăng ký kết hôn', maritalStatus: 'Chưa kết hôn' },
  });

  it('prints the applicant, the form data, the ward and the code where the template names them', () => {
    const filled = fillResultTemplate(marital, dossier, ward);

    expect(filled.title).toBe('GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN');
    expect(filled.content).toContain('UBND phường Hoàn Kiếm xác nhận:');
    expect(filled.content).toContain('Ông/bà: Nguyễn Thị Hoa');
    expect(filled.content).toContain('Số định danh cá nhân: 001190012345');
    expect(filled.content).toContain('Tình trạng hôn nhân: Chưa kết hôn');
    expect(filled.content).toContain(`Mã hồ sơ: ${dossier.code}`);
  });

  it('leaves a dotted blank for an optional field the citizen left empty', () => {
    expect(fillResultTemplate(marital, dossier, ward).content).toContain(`Nơi cư trú trước đây: ${BLANK}`);
  });

  it('prints dates dd/MM/yyyy and money as "… đồng"', () => {
    const business = CATALOG.find((p) => p.code === '1.001612');
    if (!business) throw new Error('the catalog has no household business');
    const filled = fillResultTemplate(business, receivedDossier({ procedure: snapshotOf(business), formData: { ...formDataOf(business), capitalVnd: 50_000_000 } }), ward);
    const birth = CATALOG.find((p) => p.code === '1.001193');
    if (!birth) throw new Error('the catalog has no birth registration');

    expect(filled.content).toContain('Vốn kinh doanh: 50.000.000 đồng');
    expect(fillResultTemplate(birth, receivedDossier({ formData: { childBirthDate: '2025-12-20' } }), ward).content).toContain('Ngày, tháng, năm sinh: 20/12/2025');
  });

  it('refuses a template naming a field the procedure does not have (a catalog error)', () => {
    const broken: Procedure = { ...marital, resultTemplate: { title: 'GIẤY XÁC NHẬN', content: 'Ông/bà {{applicant.fullName}}, {{form.spouseName}}' } };

    expect(unknownPlaceholders(broken)).toEqual(['form.spouseName']);
    expect(() => fillResultTemplate(broken, dossier, ward)).toThrow(/form\.spouseName/);
  });
});
