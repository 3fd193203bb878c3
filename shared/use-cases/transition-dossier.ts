import type { OfficerActionInput, ResultContent } from '../domain/actions';
import type { Dossier, HistoryEvent, IssuedResult, KpiIncrements } from '../domain/dossier';
import { ForbiddenError, InvalidTransitionError, RuleViolationError, ValidationError, VersionConflictError } from '../domain/errors';
import { scopeOf, targetsOutsideProcedure, type ChangeScope } from '../domain/requested-changes';
import { isHandedAway } from '../domain/handover';
import { checkTransition, TRANSITIONS, type OfficerRole } from '../domain/status';
import { issueDossierDocument, LEADER_POSITION, RECEPTION_POSITION, type DocumentOrder } from './dossier-documents';
import type { IssuingDeps } from './issue-document';
import type { CatalogStore, DossierStore } from './ports';
import { eCopyCounters, paymentCounters, receiptCounters, resolutionCounters, stopCounters } from './kpi-counters';
import { receiptOf } from './receipt';
import { recordChange, type ChangeEvent } from './record-change';
import { dossierNotFound } from './track-dossier';

export interface OfficerIdentity {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly OfficerRole[];
}

export interface TransitionDeps extends IssuingDeps {
  readonly dossiers: DossierStore;
  /** The procedure versions, against which a request's targets are checked. */
  readonly catalog: CatalogStore;
}

/** What one action changes, decided from the dossier before it. */
interface Decision {
  readonly dossier: Dossier;
  readonly event: ChangeEvent;
  readonly kpi?: KpiIncrements;
  readonly note?: string;
  /** What a request to complete or supplement lets the citizen change (kept in the history too). */
  readonly requested?: ChangeScope;
  /** The document the change issues (an e-result, a refusal, a form), signed and archived before it is recorded. */
  readonly issues?: DocumentOrder;
}

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
 * @throws ValidationError (a request naming form fields or documents its procedure does not have)
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
  if (isHandedAway(before, deps.ward.slug)) {
    throw new RuleViolationError('DOSSIER_HANDED_OVER', {
      vi: `Hồ sơ đã chuyển đến ${before.handOver?.competentWard ?? ''}: cán bộ phường đó giải quyết.`,
      en: `The dossier was handed over to ${before.handOver?.competentWard ?? ''}: its officers act on it.`,
    });
  }
  if (request.expectedVersion !== undefined && request.expectedVersion !== before.version) throw new VersionConflictError();
  const check = checkTransition(input.action, role, before.status, before.statusBeforeSupplement);
  if (!check.ok) throw new InvalidTransitionError(input.action, before.status);
  if (input.action === 'request-completion' || input.action === 'request-supplement') await checkTargets(deps.catalog, before, input);

  const now = deps.clock.now();
  const decision = decide(deps, before, input, now, officer);
  const after = { ...decision.dossier, status: check.to };
  const history =
    decision.issues?.kind === 'FORM_06'
      ? await historyWith(deps.dossiers, before, { at: now, actor: { role, id: officer.id, name: officer.name }, action: input.action, to: check.to })
      : undefined;
  const issued = decision.issues ? await issueDossierDocument(deps, { order: decision.issues, before, after, officerId: officer.id, ...(history ? { history } : {}) }) : undefined;
  // The e-copy of a result (or refusal) is the result's archived copy; a form is not.
  const eCopy = issued !== undefined && after.result !== undefined && (issued.document.kind === 'RESULT' || issued.document.kind === 'REFUSAL');
  return recordChange(deps.dossiers, {
    before,
    after: eCopy && after.result && issued ? { ...after, result: withArchivedCopy(after.result, issued.document) } : after,
    ...(issued ? { records: { archived: [issued] }, publish: deps } : {}),
    actor: { role, id: officer.id, name: officer.name },
    action: input.action,
    event: decision.event,
    // A resolution counts the e-copy it archived in this very transaction.
    kpi: after.status === 'RESOLVED' && decision.kpi ? { ...decision.kpi, ...eCopyCounters(eCopy) } : decision.kpi,
    note: decision.note,
    ...(decision.requested ? { scope: { requested: decision.requested } } : {}),
    at: now,
  });
}

/** A request names only form fields and documents of the dossier's procedure version. @throws ValidationError */
async function checkTargets(catalog: CatalogStore, dossier: Dossier, input: Extract<OfficerActionInput, { action: 'request-completion' | 'request-supplement' }>): Promise<void> {
  const procedure = await catalog.getVersion(dossier.procedure.code, dossier.procedure.version);
  if (!procedure) throw new Error(`procedure ${dossier.procedure.code}@${dossier.procedure.version} of ${dossier.code} is not in the table`);
  const issues = targetsOutsideProcedure(procedure, input);
  if (issues.length > 0) throw new ValidationError(issues);
}

function decide(deps: TransitionDeps, before: Dossier, input: OfficerActionInput, now: Date, officer: OfficerIdentity): Decision {
  const { pending: _request, ...withoutPending } = before;
  // Once resolved, the draft has become the result (or was not used): it is not kept.
  const { resultDraft: _draft, ...resolved } = withoutPending;
  switch (input.action) {
    case 'receive': {
      const receipt = receiptOf(now, before.procedure, deps.ward.officeHours);
      return {
        dossier: { ...withoutPending, ...receipt.fields },
        event: { type: 'DOSSIER_RECEIVED', data: receipt.eventData },
        kpi: receiptCounters(before),
        note: input.note,
        issues: { kind: 'FORM_01', signer: { name: officer.name, position: RECEPTION_POSITION } },
      };
    }
    case 'refuse-intake':
      return {
        dossier: { ...withoutPending, closingReason: input.reason },
        event: { type: 'DOSSIER_NOT_RECEIVED', data: { reason: input.reason } },
        kpi: { notReceived: 1 },
        note: input.reason,
        issues: { kind: 'FORM_03', signer: { name: officer.name, position: RECEPTION_POSITION } },
      };
    case 'request-completion': {
      const requested = scopeOf(input.fields, input.documents);
      return {
        dossier: { ...before, statusBeforeSupplement: 'SUBMITTED', pending: { kind: 'COMPLETION', items: input.items, requested, note: input.note, requestedAt: now } },
        event: { type: 'COMPLETION_REQUESTED', data: { items: input.items } },
        note: input.note,
        requested,
        issues: { kind: 'FORM_02', signer: { name: officer.name, position: RECEPTION_POSITION } },
      };
    }
    case 'transfer':
      return { dossier: { ...before, transferredAt: now }, event: { type: 'DOSSIER_TRANSFERRED', data: {} }, note: input.note };
    case 'request-supplement': {
      if (before.supplementRequests >= before.procedure.maxSupplementRequests) {
        throw new RuleViolationError('SUPPLEMENT_LIMIT_REACHED', {
          vi: `Thủ tục này chỉ cho phép yêu cầu bổ sung ${before.procedure.maxSupplementRequests} lần.`,
          en: `This procedure allows ${before.procedure.maxSupplementRequests} supplement request(s) only.`,
        });
      }
      const requested = scopeOf(input.fields, input.documents);
      return {
        dossier: {
          ...before,
          statusBeforeSupplement: 'IN_PROGRESS',
          supplementRequests: before.supplementRequests + 1,
          clockStoppedAt: now,
          pending: { kind: 'SUPPLEMENT', items: input.items, requested, note: input.note, requestedAt: now },
        },
        event: { type: 'SUPPLEMENT_REQUESTED', data: { items: input.items, clockGeneration: before.clockGeneration ?? null } },
        note: input.note,
        requested,
        issues: { kind: 'FORM_02', signer: { name: officer.name, position: RECEPTION_POSITION } },
      };
    }
    case 'request-payment':
      return {
        dossier: { ...before, pending: { kind: 'PAYMENT', items: input.items ?? [], note: input.note, amountVnd: input.amountVnd, requestedAt: now } },
        event: { type: 'PAYMENT_REQUESTED', data: { amountVnd: input.amountVnd } },
        note: input.note,
      };
    case 'record-payment':
      return {
        dossier: { ...withoutPending, payment: { receiptNumber: input.receiptNumber, amountVnd: input.amountVnd ?? before.pending?.amountVnd, method: input.method, paidAt: now } },
        event: { type: 'PAYMENT_RECORDED', data: { receiptNumber: input.receiptNumber } },
        kpi: paymentCounters(input.method),
        note: input.note ?? `Biên lai điện tử ${input.receiptNumber}`,
      };
    case 'approve':
    case 'refuse': {
      const content = input.action === 'approve' ? resultContentOf(before, input) : undefined;
      const result = resultOf(before, input, content, now, officer);
      return {
        dossier: { ...resolved, result, resolvedAt: now },
        event: {
          type: result.outcome === 'APPROVED' ? 'RESULT_APPROVED' : 'RESULT_REFUSED',
          data: { fullyOnline: before.fullyOnline, clockGeneration: before.clockGeneration ?? null },
        },
        kpi: resolutionCounters(before, result.outcome, now),
        note: result.reason,
        issues: {
          kind: result.outcome === 'APPROVED' ? 'RESULT' : 'REFUSAL',
          signer: result.signer,
          documentNumber: result.documentNumber,
          ...(input.action === 'refuse' ? { content: refusalContent(deps, before, input.reason) } : { title: content?.title, content: content?.content }),
        },
      };
    }
    case 'return':
      return {
        dossier: { ...before, returnedAt: now, returnMethod: input.method },
        event: { type: 'RESULT_RETURNED', data: { method: input.method } },
        kpi: { returned: 1 },
        note: input.note,
        // The control sheet (form 06) is complete once the result is handed over.
        issues: { kind: 'FORM_06', signer: { name: officer.name, position: RECEPTION_POSITION } },
      };
    case 'stop':
      return {
        dossier: { ...withoutPending, ...(input.reason ? { closingReason: input.reason } : {}) },
        event: { type: 'DOSSIER_STOPPED', data: { reason: input.reason ?? null, clockGeneration: before.clockGeneration ?? null } },
        kpi: stopCounters(before),
        note: input.reason,
        issues: { kind: 'FORM_05', signer: { name: officer.name, position: RECEPTION_POSITION } },
      };
  }
}

/** The dossier's history with the event this change is about to append (what a control sheet issued with it shows). */
async function historyWith(dossiers: DossierStore, before: Dossier, event: Omit<HistoryEvent, 'sequence' | 'from'>): Promise<HistoryEvent[]> {
  const found = await dossiers.getDossierWithHistory(before.code);
  return [...(found?.history ?? []), { ...event, sequence: before.version + 1, from: before.status }];
}

/**
 * What an approval issues: the result in its body, else the specialist's saved draft.
 * @throws RuleViolationError `NO_RESULT_DRAFT` (409) when there is neither
 */
function resultContentOf(dossier: Dossier, input: Extract<OfficerActionInput, { action: 'approve' }>): ResultContent {
  if (input.result) return input.result;
  if (dossier.resultDraft) {
    const { title, content, documentNumber } = dossier.resultDraft;
    return { title, content, ...(documentNumber === undefined ? {} : { documentNumber }) };
  }
  throw new RuleViolationError('NO_RESULT_DRAFT', {
    vi: 'Hồ sơ chưa có dự thảo kết quả: chuyên viên lưu dự thảo trước, hoặc gửi kết quả cùng thao tác phê duyệt.',
    en: 'The dossier has no result draft: the specialist saves one first, or the approval brings the result.',
  });
}

/** The result's fields the leader decides; its archived copy comes with the document. */
function resultOf(
  dossier: Dossier,
  input: Extract<OfficerActionInput, { action: 'approve' | 'refuse' }>,
  content: ResultContent | undefined,
  now: Date,
  officer: OfficerIdentity,
): IssuedResult {
  const outcome = input.action === 'approve' ? 'APPROVED' : 'REFUSED';
  return {
    outcome,
    // A refusal's title is the subject line under the fixed heading, never the heading again.
    title: content ? content.title : `Về việc ${lowerFirst(dossier.procedure.name)}`,
    documentNumber: (content ? content.documentNumber : input.action === 'refuse' ? input.documentNumber : undefined) ?? dossier.code,
    ...(input.action === 'refuse' ? { reason: input.reason } : {}),
    archiveKey: '',
    sha256: '',
    sizeBytes: 0,
    issuedAt: now,
    signer: { name: officer.name, position: input.signerPosition ?? LEADER_POSITION },
  };
}

function refusalContent(deps: TransitionDeps, dossier: Dossier, reason: string): string {
  return `${deps.ward.name} không giải quyết hồ sơ "${dossier.procedure.name}" mã ${dossier.code}, vì lý do sau:\n\n${reason}`;
}

const lowerFirst = (text: string): string => text.charAt(0).toLocaleLowerCase('vi') + text.slice(1);

/** The result, with the archived copy it now has. */
function withArchivedCopy(result: IssuedResult, document: { id: string; objectKey: string; sha256: string; sizeBytes: number; issuedAt: Date }): IssuedResult {
  return { ...result, documentId: document.id, archiveKey: document.objectKey, sha256: document.sha256, sizeBytes: document.sizeBytes, issuedAt: document.issuedAt };
}
