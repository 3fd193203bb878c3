import type { Dossier } from './dossier';
import type { Procedure, ResultTemplate } from './procedure';
import { formatVietnamDate } from './time';

/**
 * A procedure's result template filled in from a dossier: the specialist's draft before they edit
 * it. Pure.
 *
 * Placeholders are `{{name}}`, where name is one of:
 * - `applicant.fullName`, `applicant.idNumber`, `applicant.phone`, `applicant.email`, `applicant.address`;
 * - `form.<field>`: a form field of the procedure version (a date prints dd/MM/yyyy, an amount
 *   of money, a field named `…Vnd`, "50.000 đồng");
 * - `dossier.code`, `dossier.procedureName`, `dossier.receivedDate` (dd/MM/yyyy);
 * - `ward.name`.
 *
 * A value the dossier does not have (an optional field left empty) prints as a dotted blank, as on
 * a paper form, for the specialist to complete.
 */
export const BLANK = '……………';

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)?)\s*\}\}/g;

const APPLICANT_FIELDS = ['fullName', 'idNumber', 'phone', 'email', 'address'] as const;
const DOSSIER_FIELDS = ['code', 'procedureName', 'receivedDate'] as const;

/** Every placeholder a template uses, in order of first use. */
export function placeholdersOf(template: ResultTemplate): string[] {
  const names = [...`${template.title}\n${template.content}`.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
  return [...new Set(names)];
}

/** The placeholders of the procedure's template that name nothing it can be filled from (a catalog error). */
export function unknownPlaceholders(procedure: Procedure): string[] {
  const known = new Set([
    ...APPLICANT_FIELDS.map((field) => `applicant.${field}`),
    ...DOSSIER_FIELDS.map((field) => `dossier.${field}`),
    'ward.name',
    ...procedure.formFields.map((field) => `form.${field.name}`),
  ]);
  return placeholdersOf(procedure.resultTemplate).filter((name) => !known.has(name));
}

/**
 * The template of the dossier's procedure version, filled in.
 * @throws Error when the template names a placeholder it cannot be filled from (see {@link unknownPlaceholders})
 */
export function fillResultTemplate(procedure: Procedure, dossier: Dossier, ward: { readonly name: string }): { title: string; content: string } {
  const unknown = unknownPlaceholders(procedure);
  if (unknown.length > 0) throw new Error(`result template of ${procedure.code}@${procedure.version} names unknown placeholders: ${unknown.join(', ')}`);
  const valueOf = (name: string): string => {
    const [scope = '', field = ''] = name.split('.');
    switch (scope) {
      case 'applicant':
        return applicantValue(dossier, field);
      case 'dossier':
        if (field === 'code') return dossier.code;
        if (field === 'procedureName') return dossier.procedure.name;
        return dossier.receivedAt ? formatVietnamDate(dossier.receivedAt) : BLANK;
      case 'ward':
        return ward.name;
      default:
        return formValue(procedure, dossier, field);
    }
  };
  const fill = (text: string): string => text.replace(PLACEHOLDER, (_, name: string) => valueOf(name));
  return { title: fill(procedure.resultTemplate.title), content: fill(procedure.resultTemplate.content) };
}

function applicantValue(dossier: Dossier, field: string): string {
  const { applicant } = dossier;
  switch (field) {
    case 'fullName':
      return applicant.fullName;
    case 'idNumber':
      return applicant.idNumber;
    case 'phone':
      // Stored as E.164; printed as Vietnamese people write it.
      return applicant.phone.replace(/^\+84/, '0');
    case 'email':
      return applicant.email ?? BLANK;
    default:
      return applicant.address ?? BLANK;
  }
}

function formValue(procedure: Procedure, dossier: Dossier, name: string): string {
  const value = dossier.formData[name];
  if (value === undefined || value === null || value === '') return BLANK;
  const field = procedure.formFields.find((candidate) => candidate.name === name);
  if (field?.type === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [year, month, day] = value.split('-');
    return `${day}/${month}/${year}`;
  }
  // An amount of money (a field named …Vnd) prints as Vietnamese people write it: "50.000 đồng".
  if (field?.type === 'integer' && typeof value === 'number' && name.endsWith('Vnd')) return `${value.toLocaleString('vi-VN')} đồng`;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : BLANK;
}
