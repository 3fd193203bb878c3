import { createHash } from 'node:crypto';
import type { OfficerActionInput } from '../domain/actions';
import type { Dossier, DomainEventType, IssuedResult, KpiIncrements } from '../domain/dossier';
import { ForbiddenError, InvalidTransitionError, RuleViolationError, ValidationError, VersionConflictError } from '../domain/errors';
import { messageKey } from '../domain/dossier';
import { checkTransition, TRANSITIONS, type OfficerRole } from '../domain/status';
import type { WardConfig } from '../domain/ward-config';
import type { Clock, DossierStore, RenderResult, ResultArchive } from './ports';
import { receiptCounters, resolutionCounters } from './kpi-counters';
import { receiptOf } from './receipt';
import { recordChange } from './record-change';
import { dossierNotFound } from './track-dossier';

export interface OfficerIdentity {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly OfficerRole[];
}

export interface TransitionDeps {
  readonly dossiers: DossierStore;
  readonly renderResult: RenderResult;
  readonly archive: ResultArchive;
  readonly clock: Clock;
  readonly ward: WardConfig;
  /** Where the QR code of an e-result points: `<base>/verify/<code>`. */
  readonly publicBaseUrl: string;
}

/** What one action changes, decided from the dossier before it. */
interface Decision {
  readonly dossier: Dossier;
  readonly event: DomainEventType;
  readonly eventData?: Readonly<Record<string, unknown>>;
  readonly kpi?: KpiIncrements;
  readonly note?: string;
}

/** A result's signer position when the leader names none. */
const DEFAULT_SIGNER_POSITION = 'CHỦ TỊCH';

/**
 * An officer's action on a dossier (`POST /officer/dossiers/{code}/transitions`): checked against
 * the transition table and the officer's roles, guarded by the version the officer saw, and
 * written with its history event, outbox event and KPI counters in one transaction. Approving or
 * refusing after processing first renders the e-copy and archives it: no RESOLVED without an
 * archived e-copy, and a failed write leaves the dossier as it was, to be retried.
 *
 * @throws NotFoundError (no such dossier)
 * @throws ForbiddenError (none of the officer's roles may take the action)
 * @throws InvalidTransitionError (not from the dossier's status)
 * @throws RuleViolationError (e.g. SUPPLEMENT_LIMIT_REACHED)
 * @throws VersionConflictError (If-Match stale, or another officer acted first)
 */
export async function transitionDossier(
  deps: TransitionDeps,
  request: { code: string; officer: OfficerIdentity; input: OfficerActionInput; expectedVersion?: number },
): Promise<Dossier> {
  const { officer, input } = request;
  // The role first: an officer who may never take the action learns nothing of the dossier.
  const role = officer.roles.find((candidate) => TRANSITIONS[input.action].roles.includes(candidate));
  if (!role) {
    throw new ForbiddenError({
      vi: `Vai trò của bạn không được thực hiện "${input.action}".`,
      en: `Your role may not take the action "${input.action}".`,
    });
  }
  const before = await deps.dossiers.getDossier(request.code);
  if (!before) throw dossierNotFound();
  if (request.expectedVersion !== undefined && request.expectedVersion !== before.version) throw new VersionConflictError();
  const check = checkTransition(input.action, role, before.status, before.statusBeforeSupplement);
  if (!check.ok) throw new InvalidTransitionError(input.action, before.status);

  const now = deps.clock.now();
  const decision = await decide(deps, before, input, now, officer);
  return recordChange(deps.dossiers, {
    before,
    after: { ...decision.dossier, status: check.to },
    actor: { role, id: officer.id, name: officer.name },
    action: input.action,
    event: decision.event,
    eventData: decision.eventData,
    kpi: decision.kpi,
    note: decision.note,
    at: now,
  });
}

async function decide(deps: TransitionDeps, before: Dossier, input: OfficerActionInput, now: Date, officer: OfficerIdentity): Promise<Decision> {
  const { pending: _request, ...withoutPending } = before;
  switch (input.action) {
    case 'receive': {
      const receipt = receiptOf(now, before.procedure, deps.ward.officeHours);
      return {
        dossier: { ...withoutPending, ...receipt.fields },
        event: 'DOSSIER_RECEIVED',
        eventData: receipt.eventData,
        kpi: receiptCounters(before),
        note: input.note,
      };
    }
    case 'refuse-intake':
      return {
        dossier: { ...withoutPending, closingReason: input.reason },
        event: 'DOSSIER_NOT_RECEIVED',
        eventData: { reason: input.reason },
        kpi: { notReceived: 1 },
        note: input.reason,
      };
    case 'request-completion':
      return {
        dossier: { ...before, statusBeforeSupplement: 'SUBMITTED', pending: { kind: 'COMPLETION', items: input.items, note: input.note, requestedAt: now } },
        event: 'COMPLETION_REQUESTED',
        eventData: { items: input.items },
        note: input.note,
      };
    case 'transfer':
      return { dossier: { ...before, transferredAt: now }, event: 'DOSSIER_TRANSFERRED', note: input.note };
    case 'request-supplement': {
      if (before.supplementRequests >= before.procedure.maxSupplementRequests) {
        throw new RuleViolationError('SUPPLEMENT_LIMIT_REACHED', {
          vi: `Thủ tục này chỉ cho phép yêu cầu bổ sung ${before.procedure.maxSupplementRequests} lần.`,
          en: `This procedure allows ${before.procedure.maxSupplementRequests} supplement request(s) only.`,
        });
      }
      return {
        dossier: {
          ...before,
          statusBeforeSupplement: 'IN_PROGRESS',
          supplementRequests: before.supplementRequests + 1,
          clockStoppedAt: now,
          pending: { kind: 'SUPPLEMENT', items: input.items, note: input.note, requestedAt: now },
        },
        event: 'SUPPLEMENT_REQUESTED',
        eventData: { items: input.items, clockGeneration: before.clockGeneration ?? null },
        note: input.note,
      };
    }
    case 'request-payment':
      return {
        dossier: { ...before, pending: { kind: 'PAYMENT', items: input.items ?? [], note: input.note, amountVnd: input.amountVnd, requestedAt: now } },
        event: 'PAYMENT_REQUESTED',
        eventData: { amountVnd: input.amountVnd },
        note: input.note,
      };
    case 'record-payment':
      return {
        dossier: { ...withoutPending, payment: { receiptNumber: input.receiptNumber, amountVnd: input.amountVnd ?? before.pending?.amountVnd, paidAt: now } },
        event: 'PAYMENT_RECORDED',
        eventData: { receiptNumber: input.receiptNumber },
        note: input.note ?? `Biên lai điện tử ${input.receiptNumber}`,
      };
    case 'approve':
    case 'refuse': {
      const result = await issueResult(deps, before, input, now, officer);
      return {
        dossier: { ...withoutPending, result, resolvedAt: now },
        event: result.outcome === 'APPROVED' ? 'RESULT_APPROVED' : 'RESULT_REFUSED',
        eventData: { fullyOnline: before.fullyOnline, sha256: result.sha256, clockGeneration: before.clockGeneration ?? null },
        kpi: resolutionCounters(before, result.outcome, now),
        note: result.reason,
      };
    }
    case 'return':
      return {
        dossier: { ...before, returnedAt: now, returnMethod: input.method },
        event: 'RESULT_RETURNED',
        eventData: { method: input.method },
        kpi: { returned: 1 },
        note: input.note,
      };
    case 'stop':
      return {
        dossier: { ...withoutPending, ...(input.reason ? { closingReason: input.reason } : {}) },
        event: 'DOSSIER_STOPPED',
        eventData: { reason: input.reason ?? null, clockGeneration: before.clockGeneration ?? null },
        kpi: { stopped: 1 },
        note: input.reason,
      };
  }
}

/** Renders the e-copy (result or refusal notice) and archives it under a key never used before. */
async function issueResult(
  deps: TransitionDeps,
  dossier: Dossier,
  input: Extract<OfficerActionInput, { action: 'approve' | 'refuse' }>,
  now: Date,
  officer: OfficerIdentity,
): Promise<IssuedResult> {
  const outcome = input.action === 'approve' ? 'APPROVED' : 'REFUSED';
  const title = input.action === 'approve' ? input.result.title : `THÔNG BÁO TỪ CHỐI GIẢI QUYẾT HỒ SƠ`;
  const documentNumber = (input.action === 'approve' ? input.result.documentNumber : input.documentNumber) ?? dossier.code;
  const signer = { name: officer.name, position: input.signerPosition ?? DEFAULT_SIGNER_POSITION };
  const content =
    input.action === 'approve'
      ? input.result.content
      : `${deps.ward.name} không giải quyết hồ sơ "${dossier.procedure.name}" mã ${dossier.code}, vì lý do sau:\n\n${input.reason}`;
  const bytes = await renderOrRefuse(deps, {
    kind: outcome === 'APPROVED' ? 'RESULT' : 'REFUSAL',
    ward: { name: deps.ward.name, province: deps.ward.province },
    documentNumber,
    title,
    content,
    dossierCode: dossier.code,
    procedureName: dossier.procedure.name,
    applicant: { fullName: dossier.applicant.fullName, idNumber: dossier.applicant.idNumber, ...(dossier.applicant.address ? { address: dossier.applicant.address } : {}) },
    issuedAt: now,
    signer,
    verifyUrl: `${deps.publicBaseUrl}/verify/${encodeURIComponent(dossier.code)}`,
  });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // A new key per issue: the archive is write-once, and an attempt whose dossier write then
  // fails stays archived but unreferenced, rather than blocking the retry.
  const archiveKey = `results/${dossier.code}/${now.toISOString().replace(/[-:.]/g, '')}-${outcome.toLowerCase()}.pdf`;
  await deps.archive.store({ key: archiveKey, bytes, sha256, dossierCode: dossier.code, outcome });
  return {
    outcome,
    title,
    documentNumber,
    ...(input.action === 'refuse' ? { reason: input.reason } : {}),
    archiveKey,
    sha256,
    sizeBytes: bytes.length,
    issuedAt: now,
    signer,
  };
}

/** Text the e-copy cannot print (an emoji in the result's content, say) is the leader's to fix: 400. */
async function renderOrRefuse(deps: TransitionDeps, document: Parameters<RenderResult>[0]): Promise<Uint8Array> {
  try {
    return await deps.renderResult(document);
  } catch (error) {
    if (error instanceof Error && (error as { code?: unknown }).code === 'UNRENDERABLE_TEXT') {
      throw new ValidationError([{ path: 'body', message: messageKey('TEXT_NOT_PRINTABLE') }], { vi: error.message, en: error.message });
    }
    throw error;
  }
}
