import { PRINTABLE_ADDRESS, PRINTABLE_NAME, checkIdNumber, isWellFormedText, normalizeText, toE164Mobile } from '../../../shared/domain/formats';
import { fieldMessage } from '../../../shared/runtime/messages';
import { currentLanguage, translator, type Dictionary } from './i18n';

/**
 * The server's rules for what a person types, checked in the browser before anything is sent:
 * the same functions (shared/domain/formats.ts) and the same messages (shared/runtime/messages.ts)
 * as the API's schemas, with the constraints the procedure document publishes (type, required,
 * options, maxLength). The server still decides: its problem+json `errors` are shown the same way.
 */

/** A form field as `GET /procedures/{code}` publishes it. */
export interface PublishedField {
  readonly name: string;
  readonly label: string;
  readonly type: string;
  readonly required: boolean;
  readonly options: readonly string[] | null;
  readonly maxLength: number | null;
}

export type Checked = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

const TEXT: Dictionary<'required' | 'choose' | 'tooShort' | 'tooLong' | 'date' | 'dateReal' | 'integer' | 'email'> = {
  vi: {
    required: 'Nhập {label}.',
    choose: 'Chọn {label}.',
    tooShort: '{label} phải có ít nhất {n} ký tự.',
    tooLong: '{label} không được dài quá {n} ký tự.',
    date: '{label} phải theo dạng ngày/tháng/năm, ví dụ 05/01/1990.',
    dateReal: '{label} phải là một ngày có thật.',
    integer: '{label} phải là một số nguyên, ví dụ 2.',
    email: 'Thư điện tử phải có dạng ten@vidu.vn.',
  },
  en: {
    required: 'Enter {label}.',
    choose: 'Choose {label}.',
    tooShort: '{label} must be at least {n} characters.',
    tooLong: '{label} must be {n} characters or fewer.',
    date: '{label} must be day/month/year, for example 05/01/1990.',
    dateReal: '{label} must be a real date.',
    integer: '{label} must be a whole number, for example 2.',
    email: 'Enter an email address like name@example.vn.',
  },
};
const t = translator(TEXT);
const serverMessage = (key: string) => fieldMessage(`@${key}`, currentLanguage());
const lower = (label: string) => (currentLanguage() === 'vi' ? label.charAt(0).toLowerCase() + label.slice(1) : label);

const ok = (value: unknown): Checked => ({ ok: true, value });
const fail = (message: string): Checked => ({ ok: false, message });

function checkText(raw: string, label: string, min: number, max: number): Checked {
  if (!isWellFormedText(raw)) return fail(serverMessage('TEXT_MALFORMED'));
  const value = normalizeText(raw);
  if (value.length < min) return fail(t('tooShort', { label, n: min }));
  if (value.length > max) return fail(t('tooLong', { label, n: max }));
  return ok(value);
}

/** `dd/MM/yyyy` (as people write dates in Vietnam) to `yyyy-MM-dd` (as the API takes them), or why it is none. */
export function parseDayMonthYear(raw: string): { readonly iso: string } | 'malformed' | 'unreal' {
  const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(raw.trim());
  if (match === null) return 'malformed';
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return 'unreal';
  return { iso: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
}

/** `yyyy-MM-dd` back to `dd/MM/yyyy`, to show a value the API holds. */
export const toDayMonthYear = (iso: string): string => iso.split('-').reverse().join('/');

/** A form value the API holds as its input shows it: a date as dd/MM/yyyy, a number as digits. */
export function shownFormValue(value: unknown): string {
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}$/.test(value) ? toDayMonthYear(value) : value;
  return typeof value === 'number' ? String(value) : '';
}

/** One of the procedure's form fields: the raw text of its input to the value the API takes, or the reason it cannot be. */
export function checkFormField(field: PublishedField, raw: string): Checked {
  const label = field.label;
  if (raw.trim() === '') {
    if (!field.required) return ok(undefined);
    return fail(field.type === 'enum' ? t('choose', { label: lower(label) }) : t('required', { label: lower(label) }));
  }
  switch (field.type) {
    case 'date': {
      const parsed = parseDayMonthYear(raw);
      if (parsed === 'malformed') return fail(t('date', { label }));
      return parsed === 'unreal' ? fail(t('dateReal', { label })) : ok(parsed.iso);
    }
    case 'integer':
      return /^-?\d{1,15}$/.test(raw.trim()) ? ok(Number(raw.trim())) : fail(t('integer', { label }));
    case 'idNumber': {
      const problem = checkIdNumber(raw.trim());
      return problem ? fail(serverMessage(`ID_NUMBER_${problem}`)) : ok(raw.trim());
    }
    case 'enum':
      return (field.options ?? []).includes(raw) ? ok(raw) : fail(t('choose', { label: lower(label) }));
    default:
      return checkText(raw, label, 1, field.maxLength ?? 200);
  }
}

export const APPLICANT_FIELDS = ['fullName', 'idNumber', 'phone', 'email', 'address'] as const;
export type ApplicantField = (typeof APPLICANT_FIELDS)[number];

/** The applicant's details, by the rules of the API's ApplicantSchema. */
export function checkApplicantField(name: ApplicantField, label: string, raw: string): Checked {
  const value = raw.trim();
  switch (name) {
    case 'fullName': {
      if (value === '') return fail(t('required', { label: lower(label) }));
      const checked = checkText(raw, label, 2, 100);
      return checked.ok && !PRINTABLE_NAME.test(String(checked.value)) ? fail(serverMessage('NAME_NOT_PRINTABLE')) : checked;
    }
    case 'idNumber': {
      if (value === '') return fail(t('required', { label: lower(label) }));
      const problem = checkIdNumber(value);
      return problem ? fail(serverMessage(`ID_NUMBER_${problem}`)) : ok(value);
    }
    case 'phone':
      if (value === '') return fail(t('required', { label: lower(label) }));
      return toE164Mobile(value) === undefined ? fail(serverMessage('PHONE_INVALID')) : ok(value);
    case 'email':
      if (value === '') return ok(undefined);
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 254 ? ok(value) : fail(t('email'));
    case 'address': {
      if (value === '') return ok(undefined);
      const checked = checkText(raw, label, 5, 300);
      return checked.ok && !PRINTABLE_ADDRESS.test(String(checked.value)) ? fail(serverMessage('ADDRESS_NOT_PRINTABLE')) : checked;
    }
  }
}
