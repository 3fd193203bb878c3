import * as z from 'zod';
import { PAYMENT_METHODS, RATING_LEVELS, RETURN_METHODS, text } from './dossier';
import { calendarInstant } from './calendar-dates';
import { normalizeText } from './formats';
import { FormFieldSchema, RequiredDocumentSchema } from './procedure';

/**
 * What an officer sends to `POST /officer/dossiers/{code}/transitions`, one schema per action of
 * the transition table, and what a citizen sends to supplement or rate a dossier.
 */

/** Multi-line text (result content): NFC, trimmed, line breaks kept, trailing spaces dropped. */
const multilineText = (min: number, max: number) =>
  z
    .string()
    .transform((value) =>
      value
        .normalize('NFC')
        .split(/\r?\n/)
        .map((line) => line.replace(/[ \t]+/g, ' ').trimEnd())
        .join('\n')
        .trim(),
    )
    .pipe(z.string().min(min).max(max))
    .meta({ minLength: min, maxLength: max });

const reason = text(3, 2000);
const note = text(1, 1000).optional();
/** Missing documents or corrections, listed all at once (form 02). */
const items = z.array(text(2, 300)).min(1).max(30);
/**
 * What the citizen may change in answer (checked against the dossier's procedure version): form
 * fields by their catalog name, documents by their catalog id. A request that names neither lets
 * the citizen answer with a note only.
 */
const requestedFields = z
  .array(FormFieldSchema.shape.name)
  .max(30)
  .optional()
  .meta({ description: "Form fields the citizen may correct, by their name in the procedure's formFields", example: ['purpose'] });
const requestedDocuments = z
  .array(RequiredDocumentSchema.shape.id)
  .max(30)
  .optional()
  .meta({ description: "Documents the citizen may send files for, by their id in the procedure's documents", example: ['to-khai-xac-nhan-tthn'] });
const documentNumber = z
  .string()
  .transform(normalizeText)
  .pipe(z.string().min(1).max(50))
  .meta({ minLength: 1, maxLength: 50, description: 'The number in the ward\'s register, printed "Số: …"; defaults to the dossier code' });

/** A result's wording: what the leader approves, and what the specialist drafts. */
export const ResultContentSchema = z
  .object({
    title: text(3, 200).meta({ description: 'The result document\'s title, e.g. "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"' }),
    content: multilineText(1, 20_000),
    documentNumber: documentNumber.optional(),
  })
  .strict();
export type ResultContent = z.output<typeof ResultContentSchema>;

export const OfficerActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('receive'), note }).strict(),
  z.object({ action: z.literal('refuse-intake'), reason }).strict(),
  z.object({ action: z.literal('request-completion'), items, fields: requestedFields, documents: requestedDocuments, note }).strict(),
  z.object({ action: z.literal('transfer'), note }).strict(),
  z.object({ action: z.literal('request-supplement'), items, fields: requestedFields, documents: requestedDocuments, note }).strict(),
  z.object({ action: z.literal('request-payment'), amountVnd: z.number().int().positive(), items: items.optional(), note }).strict(),
  z
    .object({
      action: z.literal('record-payment'),
      receiptNumber: text(3, 50),
      amountVnd: z.number().int().positive().optional(),
      method: z
        .enum(PAYMENT_METHODS)
        .default('COUNTER')
        .meta({ description: "ONLINE: paid through an online payment service (the national portal's or the city's); COUNTER: in cash or by card at the ward" }),
      note,
    })
    .strict(),
  z
    .object({
      action: z.literal('approve'),
      result: ResultContentSchema.optional().meta({
        description: "The result to issue; left out, the specialist's saved draft (POST /officer/dossiers/{code}/result-draft) is issued",
      }),
      signerPosition: text(2, 100).optional().meta({ description: 'e.g. "CHỦ TỊCH" (the default) or "KT. CHỦ TỊCH - PHÓ CHỦ TỊCH"' }),
    })
    .strict(),
  z.object({ action: z.literal('refuse'), reason, documentNumber: documentNumber.optional(), signerPosition: text(2, 100).optional() }).strict(),
  z.object({ action: z.literal('return'), method: z.enum(RETURN_METHODS), note }).strict(),
  z.object({ action: z.literal('stop'), reason: reason.optional() }).strict(),
]);
export type OfficerActionInput = z.output<typeof OfficerActionSchema>;

/**
 * `POST /dossiers/{code}/supplement`: files for the requested documents, corrections of the
 * requested form fields, a note. Anything else (the applicant, other fields, other documents) is
 * refused: by this schema, or against the request (shared/domain/requested-changes.ts).
 */
export const SupplementSchema = z
  .object({
    attachments: z
      .array(z.object({ uploadId: z.uuid(), documentId: z.string().regex(/^[a-z0-9-]{2,40}$/) }).strict())
      .max(30)
      .default([]),
    formData: z.record(z.string(), z.unknown()).optional(),
    note: text(1, 1000).optional(),
  })
  .strict()
  .refine((s) => s.attachments.length > 0 || s.formData !== undefined || s.note !== undefined, {
    message: '@SUPPLEMENT_EMPTY',
  });
export type SupplementInput = z.output<typeof SupplementSchema>;

/** `POST /dossiers/{code}/rating`: once, after the dossier is resolved. */
export const RatingSchema = z.object({ overall: z.enum(RATING_LEVELS), comment: text(1, 1000).optional() }).strict();
export type RatingInput = z.output<typeof RatingSchema>;

/**
 * `POST /officer/dossiers/{code}/apology`: the leader's apology letter (form 04, "văn bản xin lỗi
 * và đề nghị gia hạn thời gian giải quyết") for a dossier that is late or will be: why, and the
 * new appointment.
 * The appointment is a day: the instant given is read as its day in Vietnam time, and the new
 * appointment is the close of office hours of that day, as every appointment is.
 */
export const ApologySchema = z
  .object({
    reason,
    newAppointmentAt: calendarInstant().meta({
      description: 'The new appointment day (a working day, in Vietnam time); the appointment is the close of office hours that day',
      example: '2026-01-12T17:00:00+07:00',
    }),
  })
  .strict();
export type ApologyInput = z.output<typeof ApologySchema>;
