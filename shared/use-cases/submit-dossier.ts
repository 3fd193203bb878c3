import { randomUUID } from 'node:crypto';
import { messageKey, snapshotOf, type Dossier, type HistoryEvent, type Submission } from '../domain/dossier';
import { domainEvent } from '../domain/events';
import { AgencyCodeUnconfirmedError, IdempotencyKeyReusedError, ServiceBusyError, UploadAlreadyAttachedError, ValidationError, type FieldIssue } from '../domain/errors';
import { formatDossierCode } from '../domain/formats';
import { handOverProblem, type HandOverRequest } from '../domain/handover';
import type { Procedure } from '../domain/procedure';
import { vietnamDate } from '../domain/time';
import { issuesDossierCodes, type WardConfig } from '../domain/ward-config';
import type { Clock, DossierStore, IdempotencyRecord, IdHasher, AttachmentStore } from './ports';
import { receiptCounters } from './kpi-counters';
import { receiptOf } from './receipt';
import type { Admission } from './request-limits';
import { checkAttachmentRefs, checkFormData, keepAttachments } from './attachments';
import { canonicalJson, hashSecret, idempotencyKeyHash, newDossierSecret, sealSecret, sha256Hex, unsealSecret } from './secrets';

export interface SubmitDeps {
  readonly dossiers: DossierStore;
  readonly attachments: AttachmentStore;
  readonly idHasher: IdHasher;
  readonly clock: Clock;
  readonly ward: WardConfig;
  /** The slugs of the city's wards, for a dossier filed here for another ward's procedure (shared/domain/handover.ts). */
  readonly cityWards?: ReadonlySet<string>;
}

export interface SubmitResult {
  /** False when this answers a retry of an earlier submission with the same Idempotency-Key. */
  readonly created: boolean;
  readonly dossier: Dossier;
  readonly secret: string;
  /** The procedure in the catalog now (the dossier keeps a snapshot of its version). */
  readonly procedure?: Procedure;
}

/** Idempotency records outlive any sensible client retry. */
const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
/** Attempts at the submission's transaction while other transactions hold a shared item (the day's KPI counters). */
const MAX_CONFLICT_ATTEMPTS = 20;

/**
 * Submits a dossier online (`SUBMITTED`, national code 1).
 *
 * The dossier, its first history event, its outbox event, the day's KPI counters, the day's
 * sequence, the idempotency record and the claims of its uploads are written in one
 * transaction, so a failure leaves no trace and skips no number. Uploads are checked and copied
 * out of the expiring area before (keepAttachments: read-only checks and an idempotent copy,
 * because a dossier must never point at a file that expires); the transaction claims each for
 * this dossier, once: concurrent retries of one submission meet on the idempotency record and
 * answer the same dossier, another dossier wanting the same upload gets a 409.
 *
 * @throws ValidationError (unknown procedure, form data, documents, uploads refused)
 * @throws UploadAlreadyAttachedError when another dossier has an upload
 * @throws UploadScanPendingError when the malware scan of an upload is not finished
 * @throws IdempotencyKeyReusedError when the key was used with another body
 * @throws ServiceBusyError when the sequence stays contended
 * @throws AgencyCodeUnconfirmedError while the ward's agency code is unconfirmed and not overridden
 */
export function submitDossier(deps: SubmitDeps, submission: Submission, idempotencyKey: string, admit?: () => Promise<Admission>): Promise<SubmitResult> {
  return createDossier(deps, submission, idempotencyKey, { channel: 'ONLINE', ...(admit ? { admit } : {}) });
}

/**
 * How a dossier comes in: online by the citizen (SUBMITTED, checked by reception later), or at
 * the counter or by post, taken by reception and received at once (RECEIVED, with its appointment
 * and the receipt, form 01). `documentsReceived` are the procedure's documents reception holds.
 */
export type Intake =
  /**
   * `admit` counts the submission against the ward's limits (request-limits.ts): once it is
   * checked and before anything is written, its counts given back if it is refused after all.
   */
  | { readonly channel: 'ONLINE'; readonly admit?: () => Promise<Admission> }
  | { readonly channel: 'COUNTER' | 'POSTAL'; readonly officer: { readonly id: string; readonly name: string }; readonly documentsReceived: readonly string[] };

/**
 * Creates a dossier (see submitDossier, and Intake for counter dossiers), idempotent on the
 * Idempotency-Key, in one transaction with its sequence number.
 */
export async function createDossier(deps: SubmitDeps, submission: Submission, idempotencyKey: string, intake: Intake): Promise<SubmitResult> {
  const now = deps.clock.now();
  const day = vietnamDate(now);
  // The key is the client's per channel, and the fingerprint covers everything that shapes the
  // dossier: a counter retry with another documents list is another request (422).
  const keyHash = idempotencyKeyHash(intake.channel === 'ONLINE' ? idempotencyKey : `${intake.channel}:${idempotencyKey}`);
  const requestHash = submissionFingerprint(submission, intake.channel === 'ONLINE' ? [] : intake.documentsReceived);

  const uploadIds = submission.attachments.map((attachment) => attachment.uploadId);
  const prepared = await deps.dossiers.prepareSubmission(keyHash, day, submission.procedureCode, uploadIds);
  if (prepared.idempotency) return { ...(await replay(deps, prepared.idempotency, requestHash, idempotencyKey)), procedure: prepared.procedure };
  // A new dossier's code begins with the agency code and never changes: none is issued with a
  // placeholder unless the deployment says so (a retry above still answers a dossier already made).
  if (!issuesDossierCodes(deps.ward)) throw new AgencyCodeUnconfirmedError(deps.ward);

  const procedure = prepared.procedure;
  if (!procedure) {
    throw new ValidationError(
      [{ path: 'body.procedureCode', message: { vi: 'Thủ tục không có trong danh mục.', en: 'No such procedure in the catalog.' } }],
      { vi: `Không có thủ tục mã ${submission.procedureCode}.`, en: `There is no procedure ${submission.procedureCode}.` },
      'UNKNOWN_PROCEDURE',
    );
  }
  const formData = checkSubmissionAgainst(procedure, submission, intake);
  if (submission.handOver) checkHandOver(deps, submission.handOver);
  // Refused before anything is written; a claim made since is still refused by the transaction.
  if (prepared.claimedUploads.length > 0) throw new UploadAlreadyAttachedError(prepared.claimedUploads);
  const admission = intake.channel === 'ONLINE' && intake.admit ? await intake.admit() : undefined;
  try {
    return await writeDossier(deps, { submission, idempotencyKey, intake, procedure, formData, keyHash, requestHash, now, day, freeSequences: prepared.freeSequences });
  } catch (error) {
    // Refused or failed: the request cost nothing against the limits (a retry counts afresh).
    await admission?.giveBack().catch(() => undefined);
    throw error;
  }
}

interface CheckedSubmission {
  readonly submission: Submission;
  readonly idempotencyKey: string;
  readonly intake: Intake;
  readonly procedure: Procedure;
  readonly formData: Record<string, unknown>;
  readonly keyHash: string;
  readonly requestHash: string;
  readonly now: Date;
  readonly day: string;
  readonly freeSequences: readonly number[];
}

/** Keeps the attachments and writes the dossier with its number (see createDossier). */
async function writeDossier(deps: SubmitDeps, checked: CheckedSubmission): Promise<SubmitResult> {
  const { submission, idempotencyKey, intake, procedure, formData, keyHash, requestHash, now, day } = checked;
  const attachments = await keepAttachments(deps.attachments, submission.attachments);
  const applicantKey = await deps.idHasher.hash(submission.applicant.idNumber);
  const secret = newDossierSecret();

  const online = intake.channel === 'ONLINE';
  const receipt = online ? undefined : receiptOf(now, procedure, deps.ward.officeHours);

  const sequence = await deps.dossiers.takeSequence(day, checked.freeSequences);
  let written = false;
  try {
    for (let attempt = 1; attempt <= MAX_CONFLICT_ATTEMPTS; attempt += 1) {
      const dossier: Dossier = {
        code: formatDossierCode(deps.ward.agencyCode, day, sequence),
        procedure: snapshotOf(procedure),
        applicant: submission.applicant,
        channel: intake.channel,
        fullyOnline: online && submission.fullyOnline,
        formData,
        attachments,
        status: online ? 'SUBMITTED' : 'RECEIVED',
        submittedAt: now,
        ...(receipt && intake.channel !== 'ONLINE' ? { ...receipt.fields, documentsReceived: intake.documentsReceived } : {}),
        overdue: false,
        supplementRequests: 0,
        secretHash: hashSecret(secret),
        ...(submission.handOver
          ? { handOver: { receivingWard: deps.ward.slug, competentWard: submission.handOver.competentWard, resultReturn: submission.handOver.resultReturn, requestedAt: now } }
          : {}),
        version: 1,
        updatedAt: now,
      };
      const history: HistoryEvent = online
        ? { sequence: 1, at: now, actor: { role: 'citizen' }, action: 'submit', to: 'SUBMITTED' }
        : {
            sequence: 1,
            at: now,
            actor: { role: 'reception', id: intake.officer.id, name: intake.officer.name },
            action: 'create-at-counter',
            to: 'RECEIVED',
            ...(dossier.appointmentAt ? { appointmentAt: dossier.appointmentAt } : {}),
          };
      const facts = { procedureCode: procedure.code, procedureName: procedure.name, phone: submission.applicant.phone, fullyOnline: dossier.fullyOnline };
      const event = domainEvent({
        id: randomUUID(),
        dossierCode: dossier.code,
        at: now,
        // Filed for another ward: handed over; that ward sends the SMS, runs the clock and counts it.
        ...(submission.handOver
          ? {
              type: 'DOSSIER_FILED_FOR_WARD',
              data: { phone: facts.phone, procedureName: facts.procedureName, procedureCode: facts.procedureCode, competentWard: submission.handOver.competentWard },
            }
          : receipt
            ? { type: 'DOSSIER_RECEIVED', data: { ...facts, ...receipt.eventData } }
            : { type: 'DOSSIER_SUBMITTED', data: facts }),
      });
      const outcome = await deps.dossiers.createDossier({
        dossier,
        history,
        event,
        kpi: {
          date: day,
          increments: submission.handOver
            ? {}
            : online
              ? { submitted: 1, submittedOnline: 1, submittedFullyOnline: dossier.fullyOnline ? 1 : 0 }
              : { submitted: 1, ...receiptCounters(dossier) },
        },
        applicantKey,
        idempotency: {
          keyHash,
          requestHash,
          dossierCode: dossier.code,
          sealedSecret: sealSecret(secret, idempotencyKey),
          expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
        },
      });
      switch (outcome.outcome) {
        case 'CREATED':
          written = true;
          return { created: true, dossier, secret, procedure };
        case 'IDEMPOTENCY_KEY_TAKEN':
          // A concurrent retry of this request wrote its dossier first: this number goes back.
          return { ...(await replay(deps, outcome.record, requestHash, idempotencyKey)), procedure };
        case 'CONTENDED':
          await backOff(attempt);
          break;
      }
    }
    throw new ServiceBusyError(1);
  } finally {
    // The number is given back whatever stopped the dossier (a fault too), so the day's numbers
    // stay gapless. If DynamoDB refuses even that, the request's own error is the one to answer
    // (a 503 stays a 503); the number is then the hole the store's comment describes.
    if (!written) await deps.dossiers.releaseSequence(day, sequence).catch(() => undefined);
  }
}

/** What makes two requests with one Idempotency-Key "the same request": their content, canonically. */
export function submissionFingerprint(submission: Submission, documentsReceived: readonly string[]): string {
  return sha256Hex(canonicalJson({ submission, documentsReceived }));
}

async function replay(deps: SubmitDeps, record: IdempotencyRecord, requestHash: string, idempotencyKey: string): Promise<SubmitResult> {
  if (record.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
  const dossier = await deps.dossiers.getDossier(record.dossierCode);
  const secret = record.sealedSecret ? unsealSecret(record.sealedSecret, idempotencyKey) : undefined;
  if (!dossier || !secret) throw new Error(`idempotency record of ${record.dossierCode} points at nothing usable`);
  return { created: false, dossier, secret };
}

/**
 * Checks what only the procedure can tell: its form fields, whether it may be done fully online,
 * and that every attachment is one of its documents and every required document is attached.
 */
function checkSubmissionAgainst(procedure: Procedure, submission: Submission, intake: Intake): Record<string, unknown> {
  const documentIds = new Set(procedure.documents.map((d) => d.id));
  const form = checkFormData(procedure, submission.formData);
  const issues: FieldIssue[] = [...form.issues];
  if (intake.channel !== 'ONLINE') {
    intake.documentsReceived.forEach((documentId, index) => {
      if (!documentIds.has(documentId)) issues.push({ path: `body.documentsReceived.${index}`, message: messageKey('DOCUMENT_NOT_IN_PROCEDURE') });
    });
  }
  if (submission.fullyOnline && procedure.onlineLevel !== 'FULL') {
    issues.push({ path: 'body.fullyOnline', message: messageKey('FULLY_ONLINE_NOT_OFFERED') });
  }
  issues.push(...checkAttachmentRefs(procedure, submission.attachments));
  if (issues.length > 0) throw new ValidationError(issues);

  // Online, every required document is attached; at the counter, reception holds it (or a scan).
  const provided = new Set([...submission.attachments.map((a) => a.documentId), ...(intake.channel === 'ONLINE' ? [] : intake.documentsReceived)]);
  const missing = procedure.documents.filter((d) => d.required && !provided.has(d.id));
  if (missing.length > 0) {
    const path = intake.channel === 'ONLINE' ? 'body.attachments' : 'body.documentsReceived';
    throw new ValidationError(
      missing.map((d) => ({ path, message: { vi: `Thiếu: ${d.name}`, en: `Missing: ${d.name}` } })),
      { vi: 'Hồ sơ phải có đủ giấy tờ bắt buộc.', en: 'The dossier must include every required document.' },
      'MISSING_DOCUMENTS',
    );
  }
  return form.data ?? {};
}

/** A hand-over names another ward of the city. @throws ValidationError */
function checkHandOver(deps: SubmitDeps, request: HandOverRequest): void {
  const problem = handOverProblem(request, deps.ward.slug, deps.cityWards ?? new Set());
  if (problem === undefined) return;
  throw new ValidationError([
    {
      path: 'body.handOver.competentWard',
      message:
        problem === 'SAME_WARD'
          ? { vi: 'Phường có thẩm quyền là phường tiếp nhận: không cần chuyển.', en: 'The competent ward is this ward: nothing to hand over.' }
          : { vi: 'Không có phường, xã này trong thành phố.', en: 'No such ward in the city.' },
    },
  ]);
}

/** Full jitter, capped: contention clears in a few rounds even with tens of concurrent submissions. */
function backOff(attempt: number): Promise<void> {
  const ceiling = Math.min(200, 10 * 2 ** Math.min(attempt, 5));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
