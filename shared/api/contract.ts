import * as z from 'zod';
import { IdempotencyKeySchema, SubmissionSchema, UPLOAD_LIMITS, messageKey, text } from '../domain/dossier';
import { ONLINE_LEVELS, PROCEDURE_FIELDS } from '../domain/procedure';
import {
  AppointmentPreviewView,
  CitizenDossierView,
  ProcedureSummaryView,
  ProcedureView,
  PublicStatusView,
  SubmissionResultView,
  UploadView,
  WithdrawResultView,
} from './views';

/**
 * Request and response schemas of every route, by route id (see shared/runtime/routes.ts).
 * Handlers validate with these; /openapi.json is generated from the same objects.
 */
const ProcedureCodeParams = z.object({ procedureCode: z.string().min(1).max(40) });
const DossierCodeParams = z.object({ code: z.string().min(1).max(64) });
const SecretHeaders = z.object({
  'x-dossier-secret': z.string().max(64).optional().meta({ description: "The dossier's secret, given once at submission" }),
});

export const contract = {
  ListProcedures: {
    summary: 'The published procedure catalog',
    query: z.object({ field: z.enum(PROCEDURE_FIELDS).optional(), onlineLevel: z.enum(ONLINE_LEVELS).optional() }),
    responses: { 200: z.object({ items: z.array(ProcedureSummaryView), count: z.number().int() }) },
  },
  GetProcedure: {
    summary: 'One procedure: documents, time limit, fee, online level',
    params: ProcedureCodeParams,
    responses: { 200: ProcedureView },
  },
  PreviewAppointment: {
    summary: 'The appointment date a dossier received at `at` (default: now) would get',
    params: ProcedureCodeParams,
    query: z.object({
      at: z.iso.datetime({ offset: true, error: messageKey('DATE_TIME_INVALID') }).optional().meta({ example: '2026-01-05T09:30:00+07:00' }),
    }),
    responses: { 200: AppointmentPreviewView },
  },
  CreateUpload: {
    summary: 'A short-lived presigned upload for one attachment (PDF, JPEG or PNG, at most 10 MB)',
    body: z
      .object({
        fileName: text(1, 200),
        contentType: z.enum(UPLOAD_LIMITS.contentTypes, { error: messageKey('CONTENT_TYPE_NOT_ALLOWED') }),
        size: z.number().int().min(1).max(UPLOAD_LIMITS.maxBytes, { error: messageKey('FILE_TOO_LARGE') }),
      })
      .strict(),
    responses: { 201: UploadView },
  },
  SubmitDossier: {
    summary: 'Submit a dossier online (requires an Idempotency-Key header)',
    headers: z.object({ 'idempotency-key': IdempotencyKeySchema.meta({ description: 'A unique key per submission (e.g. a UUID); retries reuse it' }) }),
    body: SubmissionSchema,
    responses: { 201: SubmissionResultView, 200: SubmissionResultView },
  },
  GetDossierStatus: {
    summary: 'Public tracking by code: status, dates, masked name',
    params: DossierCodeParams,
    responses: { 200: PublicStatusView },
  },
  GetDossier: {
    summary: "The citizen's full view of a dossier (X-Dossier-Secret header)",
    params: DossierCodeParams,
    headers: SecretHeaders,
    responses: { 200: CitizenDossierView },
  },
  WithdrawDossier: {
    summary: 'Withdraw a dossier (X-Dossier-Secret header)',
    params: DossierCodeParams,
    headers: SecretHeaders,
    body: z.object({ reason: text(1, 500).optional() }).strict().optional(),
    responses: { 200: WithdrawResultView },
  },
  GetOpenApi: {
    summary: 'This document',
    responses: { 200: z.record(z.string(), z.unknown()) },
  },
} as const;

export type RouteId = keyof typeof contract;
