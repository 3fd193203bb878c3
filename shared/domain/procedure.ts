import * as z from 'zod';

export const PROCEDURE_FIELDS = [
  'Hộ tịch',
  'Chứng thực',
  'Đất đai',
  'Xây dựng',
  'Hộ kinh doanh',
  'Bảo trợ xã hội',
  'Tài nguyên môi trường',
  'Văn hóa',
  'Giáo dục',
  'Y tế',
  'Nội vụ',
  'Tư pháp',
] as const;

export const ONLINE_LEVELS = ['FULL', 'PARTIAL'] as const;
export type OnlineLevel = (typeof ONLINE_LEVELS)[number];

/** How the clock resumes after a supplement: count again from zero, or subtract the citizen's wait. */
export const CLOCK_MODES = ['RESTART', 'SUBTRACT'] as const;
export type ClockMode = (typeof CLOCK_MODES)[number];

export const RequiredDocumentSchema = z.object({
  /** Stable id a submission's `formData.documents` and attachments refer to, e.g. `to-khai`. */
  id: z.string().regex(/^[a-z0-9-]{2,40}$/),
  name: z.string().min(3),
  /** Original ("bản chính") or copy ("bản sao"); how many. */
  form: z.enum(['ORIGINAL', 'COPY', 'ORIGINAL_OR_COPY']),
  quantity: z.number().int().positive(),
  /** A required document must be attached to an online submission. */
  required: z.boolean(),
  /** When the document is needed only in some cases. */
  condition: z.string().optional(),
});
export type RequiredDocument = z.infer<typeof RequiredDocumentSchema>;

/** A form field the applicant fills in, per procedure. */
export const FormFieldSchema = z.object({
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{1,40}$/),
  label: z.string().min(2),
  type: z.enum(['text', 'date', 'integer', 'idNumber', 'enum']),
  required: z.boolean(),
  options: z.array(z.string()).optional(),
  maxLength: z.number().int().positive().optional(),
});
export type FormField = z.infer<typeof FormFieldSchema>;

/**
 * The result document a procedure issues, as the specialist's draft starts from it: its title and
 * its content, in Vietnamese, with placeholders `{{applicant.fullName}}`, `{{form.<field name>}}`,
 * `{{dossier.code}}` … (shared/domain/result-template.ts lists them and fills them in).
 */
export const ResultTemplateSchema = z
  .object({
    title: z.string().min(3).max(200),
    content: z.string().min(10).max(20_000),
  })
  .strict();
export type ResultTemplate = z.infer<typeof ResultTemplateSchema>;

/**
 * How long the ward keeps the personal data of a closed dossier of the procedure (the applicant's
 * contact details, the form data, file names, free-text notes): after `years` from the dossier's
 * end (returned, stopped or not received) the scheduled erasure redacts them from the table. The
 * signed documents in the archive are kept by its own Object Lock retention, not by this one.
 * `basis`: where the figure comes from, and whether it was checked against the original text.
 */
export const PersonalDataRetentionSchema = z
  .object({
    years: z.number().int().min(1).max(100),
    basis: z.string().min(5),
  })
  .strict();
export type PersonalDataRetention = z.infer<typeof PersonalDataRetentionSchema>;

/**
 * One version of a procedure of the catalog ("thủ tục hành chính"). A dossier keeps the version
 * in force on the day it was received.
 */
/** National code on the national database of administrative procedures, e.g. `1.001193`. */
export const PROCEDURE_CODE_PATTERN = /^\d\.\d{6}(\.\d{3}\.\d{2}\.\d{2}\.H\d{2})?$/;

export const ProcedureSchema = z
  .object({
    code: z.string().regex(PROCEDURE_CODE_PATTERN),
    version: z.number().int().positive(),
    name: z.string().min(5),
    field: z.enum(PROCEDURE_FIELDS),
    /** Working days; 0 means the same working day. */
    timeLimitDays: z.number().int().min(0).max(120),
    /** Integer VND; 0 for free procedures. */
    feeVnd: z.number().int().min(0),
    feeNote: z.string().optional(),
    resultType: z.string().min(3),
    resultTemplate: ResultTemplateSchema,
    onlineLevel: z.enum(ONLINE_LEVELS),
    clockMode: z.enum(CLOCK_MODES),
    /** How many times the specialist may request a supplement. */
    maxSupplementRequests: z.number().int().min(0).max(5),
    /** Counts and returns on public holidays and weekends too (e.g. death registration). */
    worksOnHolidays: z.boolean(),
    documents: z.array(RequiredDocumentSchema).min(1),
    formFields: z.array(FormFieldSchema),
    legalBasis: z.array(z.string().min(5)).min(1),
    personalDataRetention: PersonalDataRetentionSchema,
    /** Where the published data comes from. */
    source: z.string().min(5),
    /** ISO date from which this version is in force. */
    effectiveFrom: z.iso.date(),
    published: z.boolean(),
  })
  .strict();
export type Procedure = z.infer<typeof ProcedureSchema>;

/**
 * The published version of a procedure in force on a local day (`YYYY-MM-DD`, Vietnam time): the
 * highest version whose `effectiveFrom` is on or before that day. Undefined when none is.
 */
export function versionInForce(catalog: readonly Procedure[], code: string, onDate: string): Procedure | undefined {
  let inForce: Procedure | undefined;
  for (const procedure of catalog) {
    if (procedure.code !== code || !procedure.published || procedure.effectiveFrom > onDate) continue;
    if (inForce === undefined || procedure.version > inForce.version) inForce = procedure;
  }
  return inForce;
}

/** Every procedure's version in force on a local day; procedures with none in force are left out. */
export function catalogInForce(catalog: readonly Procedure[], onDate: string): Procedure[] {
  const codes = [...new Set(catalog.map((procedure) => procedure.code))];
  return codes.map((code) => versionInForce(catalog, code, onDate)).filter((procedure): procedure is Procedure => procedure !== undefined);
}
