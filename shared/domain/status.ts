/**
 * Dossier statuses ("trạng thái hồ sơ") with the national public-service portal's codes 1–10,
 * and the legal transition table of the one-stop rules. Pure data: no I/O.
 */
export const DOSSIER_STATUSES = [
  'SUBMITTED',
  'RECEIVED',
  'NOT_RECEIVED',
  'IN_PROGRESS',
  'SUPPLEMENT_REQUESTED',
  'PAYMENT_REQUESTED',
  'WITHDRAWAL_REQUESTED',
  'STOPPED',
  'RESOLVED',
  'RETURNED',
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

/** The national portal's code and Vietnamese label of each status. */
export const NATIONAL_STATUS: Readonly<Record<DossierStatus, { code: number; label: string }>> = {
  SUBMITTED: { code: 1, label: 'Mới đăng ký' },
  RECEIVED: { code: 2, label: 'Được tiếp nhận' },
  NOT_RECEIVED: { code: 3, label: 'Không được tiếp nhận' },
  IN_PROGRESS: { code: 4, label: 'Đang xử lý' },
  SUPPLEMENT_REQUESTED: { code: 5, label: 'Yêu cầu bổ sung giấy tờ' },
  PAYMENT_REQUESTED: { code: 6, label: 'Yêu cầu thực hiện nghĩa vụ tài chính' },
  WITHDRAWAL_REQUESTED: { code: 7, label: 'Công dân yêu cầu rút hồ sơ' },
  STOPPED: { code: 8, label: 'Dừng xử lý' },
  RESOLVED: { code: 9, label: 'Đã xử lý xong' },
  RETURNED: { code: 10, label: 'Đã trả kết quả' },
};

export const FINAL_STATUSES: ReadonlySet<DossierStatus> = new Set(['NOT_RECEIVED', 'STOPPED', 'RETURNED']);

export const isFinal = (status: DossierStatus): boolean => FINAL_STATUSES.has(status);

/** Who acts on a dossier. `system` is the platform itself (automatic return of a fully-online result). */
export const ACTOR_ROLES = ['citizen', 'reception', 'specialist', 'leader', 'system'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

export const OFFICER_ROLES = ['reception', 'specialist', 'leader'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];

/** Officer actions of `POST /officer/dossiers/{code}/transitions`. */
export const OFFICER_ACTIONS = [
  'receive',
  'refuse-intake',
  'request-completion',
  'transfer',
  'request-supplement',
  'request-payment',
  'record-payment',
  'approve',
  'refuse',
  'return',
  'stop',
] as const;
export type OfficerAction = (typeof OFFICER_ACTIONS)[number];

/** Citizen actions, taken with the dossier's secret. */
export const CITIZEN_ACTIONS = ['supplement', 'withdraw'] as const;
export type CitizenAction = (typeof CITIZEN_ACTIONS)[number];

/**
 * The specialist's draft of the result (`POST /officer/dossiers/{code}/result-draft`): written on
 * a dossier being processed, recorded in its history, the status unchanged. The leader's
 * `approve` then issues it (when its body brings no result of its own).
 */
export const DRAFT_ACTION = 'save-result-draft';

export type DossierAction = OfficerAction | CitizenAction | typeof DRAFT_ACTION | 'auto-return';

interface TransitionRule {
  readonly from: readonly DossierStatus[];
  /** `PREVIOUS` goes back to the status the dossier was in before the supplement request. */
  readonly to: DossierStatus | 'PREVIOUS';
  readonly roles: readonly ActorRole[];
}

const NON_FINAL: readonly DossierStatus[] = DOSSIER_STATUSES.filter((s) => !FINAL_STATUSES.has(s));

/**
 * The transition table of domain.md. `withdraw` from SUBMITTED stops the dossier at once
 * (see {@link targetStatus}); from any other non-final status it asks reception to stop it.
 */
export const TRANSITIONS: Readonly<Record<DossierAction, TransitionRule>> = {
  receive: { from: ['SUBMITTED'], to: 'RECEIVED', roles: ['reception'] },
  'refuse-intake': { from: ['SUBMITTED'], to: 'NOT_RECEIVED', roles: ['reception'] },
  'request-completion': { from: ['SUBMITTED'], to: 'SUPPLEMENT_REQUESTED', roles: ['reception'] },
  transfer: { from: ['RECEIVED'], to: 'IN_PROGRESS', roles: ['reception'] },
  'request-supplement': { from: ['IN_PROGRESS'], to: 'SUPPLEMENT_REQUESTED', roles: ['specialist'] },
  'request-payment': { from: ['IN_PROGRESS'], to: 'PAYMENT_REQUESTED', roles: ['specialist'] },
  'record-payment': { from: ['PAYMENT_REQUESTED'], to: 'IN_PROGRESS', roles: ['reception', 'specialist'] },
  [DRAFT_ACTION]: { from: ['IN_PROGRESS'], to: 'IN_PROGRESS', roles: ['specialist'] },
  approve: { from: ['IN_PROGRESS'], to: 'RESOLVED', roles: ['leader'] },
  refuse: { from: ['IN_PROGRESS'], to: 'RESOLVED', roles: ['leader'] },
  return: { from: ['RESOLVED'], to: 'RETURNED', roles: ['reception'] },
  'auto-return': { from: ['RESOLVED'], to: 'RETURNED', roles: ['system'] },
  stop: { from: ['WITHDRAWAL_REQUESTED'], to: 'STOPPED', roles: ['reception'] },
  supplement: { from: ['SUPPLEMENT_REQUESTED'], to: 'PREVIOUS', roles: ['citizen'] },
  withdraw: {
    from: NON_FINAL.filter((s) => s !== 'WITHDRAWAL_REQUESTED'),
    to: 'WITHDRAWAL_REQUESTED',
    roles: ['citizen'],
  },
};

export type TransitionCheck = { ok: true; to: DossierStatus } | { ok: false; reason: 'ROLE_NOT_ALLOWED' | 'INVALID_TRANSITION' };

/**
 * Decides whether `role` may take `action` on a dossier in `from`, and where it leads.
 * A role that may never take the action is refused before the status is looked at (403 rather
 * than 409), so that a caller learns nothing of a dossier it has no right to change.
 */
export function checkTransition(action: DossierAction, role: ActorRole, from: DossierStatus, statusBeforeSupplement?: DossierStatus): TransitionCheck {
  const rule = TRANSITIONS[action];
  if (!rule.roles.includes(role)) return { ok: false, reason: 'ROLE_NOT_ALLOWED' };
  if (!rule.from.includes(from)) return { ok: false, reason: 'INVALID_TRANSITION' };
  return { ok: true, to: targetStatus(action, from, statusBeforeSupplement) };
}

function targetStatus(action: DossierAction, from: DossierStatus, statusBeforeSupplement?: DossierStatus): DossierStatus {
  const rule = TRANSITIONS[action];
  if (action === 'withdraw' && from === 'SUBMITTED') return 'STOPPED';
  if (rule.to === 'PREVIOUS') {
    if (statusBeforeSupplement !== 'SUBMITTED' && statusBeforeSupplement !== 'IN_PROGRESS') {
      throw new Error(`a supplement request must remember SUBMITTED or IN_PROGRESS, not ${String(statusBeforeSupplement)}`);
    }
    return statusBeforeSupplement;
  }
  return rule.to;
}

/**
 * What the officer console may do with a dossier: the transitions of the table, the result draft,
 * and the leader's two routes that change no status (apology letter, cancelling the e-result).
 */
export const CONSOLE_ACTIONS = [...OFFICER_ACTIONS, DRAFT_ACTION, 'issue-apology', 'cancel-result'] as const;
export type ConsoleAction = (typeof CONSOLE_ACTIONS)[number];

/**
 * The actions of the transition table (officer transitions and the result draft) that an officer
 * holding `roles` may take on a dossier in `from` now, in the table's order: what the console
 * offers as buttons. The same {@link checkTransition} decides when the action is sent.
 */
export function allowedTransitions(roles: readonly OfficerRole[], from: DossierStatus, statusBeforeSupplement?: DossierStatus): (OfficerAction | typeof DRAFT_ACTION)[] {
  const actions: readonly (OfficerAction | typeof DRAFT_ACTION)[] = [...OFFICER_ACTIONS, DRAFT_ACTION];
  return actions.filter((action) => roles.some((role) => checkTransition(action, role, from, statusBeforeSupplement).ok));
}
