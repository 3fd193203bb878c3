/**
 * The dossier register ("sổ theo dõi hồ sơ", form 07): its columns and cells, shared by the PDF
 * table and the CSV export, so that the two always hold the same rows in the same words.
 */
import { formatDateAndTime } from './text';

/** One dossier of the register, as printed. */
export interface RegisterRow {
  readonly dossierCode: string;
  readonly procedureName: string;
  readonly applicantName: string;
  readonly receivedAt?: Date;
  readonly appointmentAt?: Date;
  readonly resolvedAt?: Date;
  readonly returnedAt?: Date;
  /** The status in words, e.g. "Đã trả kết quả". */
  readonly status: string;
  readonly note?: string;
}

/** The register's columns: header text, relative width on the landscape page, alignment. */
export const REGISTER_COLUMNS = [
  { header: 'STT', width: 9, align: 'centre' },
  { header: 'Mã hồ sơ', width: 42, align: 'left' },
  { header: 'Thủ tục hành chính', width: 44, align: 'left' },
  { header: 'Người nộp hồ sơ', width: 30, align: 'left' },
  { header: 'Ngày nhận hồ sơ', width: 21, align: 'centre' },
  { header: 'Ngày hẹn trả kết quả', width: 21, align: 'centre' },
  { header: 'Ngày giải quyết xong', width: 21, align: 'centre' },
  { header: 'Ngày trả kết quả', width: 21, align: 'centre' },
  { header: 'Tình trạng', width: 22, align: 'left' },
  { header: 'Ghi chú', width: 21, align: 'left' },
] as const;

/** The cells of a row, `index` counting from 0 (printed from 1). */
export function registerCells(row: RegisterRow, index: number): string[] {
  const when = (instant: Date | undefined): string => (instant === undefined ? '' : formatDateAndTime(instant));
  return [
    String(index + 1),
    row.dossierCode,
    row.procedureName,
    row.applicantName,
    when(row.receivedAt),
    when(row.appointmentAt),
    when(row.resolvedAt),
    when(row.returnedAt),
    row.status,
    row.note ?? '',
  ];
}

/**
 * The register as CSV: UTF-8 with a byte order mark (without it Excel reads the file in the
 * machine's ANSI code page and garbles Vietnamese), a header row, CRLF line ends and RFC 4180
 * quoting (a field holding a comma, a quote or a line break is quoted, its quotes doubled).
 *
 * Formula injection: a field that starts with `=`, `+`, `-` or `@` (or a tab or carriage return,
 * which some spreadsheets skip before reading one of those) is prefixed with `'`, so that a
 * spreadsheet shows it as text instead of evaluating it (OWASP, "CSV Injection"). Applicant names
 * and notes come from citizens and officers; nothing they type may become a formula.
 */
export function registerCsv(rows: readonly RegisterRow[]): string {
  const lines = [REGISTER_COLUMNS.map((column) => column.header), ...rows.map((row, index) => registerCells(row, index))];
  return `\uFEFF${lines.map((cells) => cells.map(csvField).join(',')).join('\r\n')}\r\n`;
}

const FORMULA_START = /^[=+\-@\t\r]/;

function csvField(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}
