import { describe, expect, it } from 'vitest';
import {
  ACTOR_ROLES,
  CITIZEN_ACTIONS,
  DOSSIER_STATUSES,
  FINAL_STATUSES,
  NATIONAL_STATUS,
  OFFICER_ACTIONS,
  OFFICER_ROLES,
  TRANSITIONS,
  allowedTransitions,
  checkTransition,
  isFinal,
  type ActorRole,
  type DossierAction,
  type DossierStatus,
} from '../../shared/domain/status';

/**
 * The transition table of domain.md ("Transitions"), written again here from the text and not
 * from the code: who may take each action, from which statuses, and where it leads.
 * `PREVIOUS` is the status the dossier had before the supplement request.
 */
interface ExpectedRule {
  readonly roles: readonly ActorRole[];
  readonly moves: Readonly<Partial<Record<DossierStatus, DossierStatus | 'PREVIOUS'>>>;
}

const NON_FINAL_BUT_WITHDRAWAL: DossierStatus[] = ['RECEIVED', 'IN_PROGRESS', 'SUPPLEMENT_REQUESTED', 'PAYMENT_REQUESTED', 'RESOLVED'];

const DOMAIN_TABLE: Readonly<Record<DossierAction, ExpectedRule>> = {
  // SUBMITTED → RECEIVED / NOT_RECEIVED / SUPPLEMENT_REQUESTED (reception)
  receive: { roles: ['reception'], moves: { SUBMITTED: 'RECEIVED' } },
  'refuse-intake': { roles: ['reception'], moves: { SUBMITTED: 'NOT_RECEIVED' } },
  'request-completion': { roles: ['reception'], moves: { SUBMITTED: 'SUPPLEMENT_REQUESTED' } },
  // RECEIVED → IN_PROGRESS (reception: transferred)
  transfer: { roles: ['reception'], moves: { RECEIVED: 'IN_PROGRESS' } },
  // IN_PROGRESS → SUPPLEMENT_REQUESTED, PAYMENT_REQUESTED (specialist) · → RESOLVED (leader)
  'request-supplement': { roles: ['specialist'], moves: { IN_PROGRESS: 'SUPPLEMENT_REQUESTED' } },
  'request-payment': { roles: ['specialist'], moves: { IN_PROGRESS: 'PAYMENT_REQUESTED' } },
  // IN_PROGRESS stays IN_PROGRESS: the specialist drafts the result the leader approves
  'save-result-draft': { roles: ['specialist'], moves: { IN_PROGRESS: 'IN_PROGRESS' } },
  approve: { roles: ['leader'], moves: { IN_PROGRESS: 'RESOLVED' } },
  refuse: { roles: ['leader'], moves: { IN_PROGRESS: 'RESOLVED' } },
  // PAYMENT_REQUESTED → IN_PROGRESS: domain.md names no role; the officers who meet the payment
  // (reception at the counter, the specialist who asked for it) record it, never the citizen or the leader.
  'record-payment': { roles: ['reception', 'specialist'], moves: { PAYMENT_REQUESTED: 'IN_PROGRESS' } },
  // SUPPLEMENT_REQUESTED → back where it came from (citizen, with the secret)
  supplement: { roles: ['citizen'], moves: { SUPPLEMENT_REQUESTED: 'PREVIOUS' } },
  // any non-final status → WITHDRAWAL_REQUESTED (citizen); SUBMITTED is stopped at once
  withdraw: {
    roles: ['citizen'],
    moves: { SUBMITTED: 'STOPPED', ...Object.fromEntries(NON_FINAL_BUT_WITHDRAWAL.map((s) => [s, 'WITHDRAWAL_REQUESTED'])) },
  },
  // WITHDRAWAL_REQUESTED → STOPPED (reception)
  stop: { roles: ['reception'], moves: { WITHDRAWAL_REQUESTED: 'STOPPED' } },
  // RESOLVED → RETURNED (reception, or automatically when a fully-online result is delivered)
  return: { roles: ['reception'], moves: { RESOLVED: 'RETURNED' } },
  'auto-return': { roles: ['system'], moves: { RESOLVED: 'RETURNED' } },
};

const ALL_ACTIONS = Object.keys(DOMAIN_TABLE) as DossierAction[];

type Outcome = DossierStatus | 'ROLE_NOT_ALLOWED' | 'INVALID_TRANSITION';

function expectedOutcome(action: DossierAction, role: ActorRole, from: DossierStatus, previous: DossierStatus): Outcome {
  const rule = DOMAIN_TABLE[action];
  if (!rule.roles.includes(role)) return 'ROLE_NOT_ALLOWED';
  const to = rule.moves[from];
  if (to === undefined) return 'INVALID_TRANSITION';
  return to === 'PREVIOUS' ? previous : to;
}

function actualOutcome(action: DossierAction, role: ActorRole, from: DossierStatus, previous: DossierStatus): Outcome {
  const check = checkTransition(action, role, from, previous);
  return check.ok ? check.to : check.reason;
}

describe('dossier statuses', () => {
  it('carries the national portal codes 1 to 10 in the order of domain.md', () => {
    const codes = DOSSIER_STATUSES.map((status) => [status, NATIONAL_STATUS[status].code]);

    expect(codes).toEqual([
      ['SUBMITTED', 1],
      ['RECEIVED', 2],
      ['NOT_RECEIVED', 3],
      ['IN_PROGRESS', 4],
      ['SUPPLEMENT_REQUESTED', 5],
      ['PAYMENT_REQUESTED', 6],
      ['WITHDRAWAL_REQUESTED', 7],
      ['STOPPED', 8],
      ['RESOLVED', 9],
      ['RETURNED', 10],
    ]);
  });

  it('labels each status with the portal Vietnamese name in NFC', () => {
    expect(NATIONAL_STATUS.SUBMITTED.label).toBe('Mới đăng ký');
    expect(NATIONAL_STATUS.RETURNED.label).toBe('Đã trả kết quả');
    for (const status of DOSSIER_STATUSES) {
      expect(NATIONAL_STATUS[status].label, status).toBe(NATIONAL_STATUS[status].label.normalize('NFC'));
    }
  });

  it('treats exactly NOT_RECEIVED, STOPPED and RETURNED as final', () => {
    const finals = DOSSIER_STATUSES.filter(isFinal);

    expect(finals).toEqual(['NOT_RECEIVED', 'STOPPED', 'RETURNED']);
    expect([...FINAL_STATUSES].sort()).toEqual(['NOT_RECEIVED', 'RETURNED', 'STOPPED']);
  });

  it('offers officers the eleven actions of the API and citizens supplement and withdraw', () => {
    expect([...OFFICER_ACTIONS].sort()).toEqual(
      ['receive', 'refuse-intake', 'request-completion', 'transfer', 'request-supplement', 'request-payment', 'record-payment', 'approve', 'refuse', 'return', 'stop'].sort(),
    );
    expect([...CITIZEN_ACTIONS].sort()).toEqual(['supplement', 'withdraw']);
  });

  it('has a rule for every action and no other', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ALL_ACTIONS].sort());
  });
});

describe('checkTransition against the domain table', () => {
  const pairs = ALL_ACTIONS.flatMap((action) => ACTOR_ROLES.map((role) => [action, role] as const));

  it.each(pairs)('%s by %s: allowed moves reach their target, others are refused with the right reason', (action, role) => {
    const expected = Object.fromEntries(DOSSIER_STATUSES.map((from) => [from, expectedOutcome(action, role, from, 'IN_PROGRESS')]));

    const actual = Object.fromEntries(DOSSIER_STATUSES.map((from) => [from, actualOutcome(action, role, from, 'IN_PROGRESS')]));

    expect(actual).toEqual(expected);
  });
});

describe('checkTransition, the rules domain.md spells out', () => {
  it('stops a dossier still SUBMITTED at once when the citizen withdraws it', () => {
    const check = checkTransition('withdraw', 'citizen', 'SUBMITTED');

    expect(check).toEqual({ ok: true, to: 'STOPPED' });
  });

  it.each(NON_FINAL_BUT_WITHDRAWAL)('asks reception to stop a %s dossier the citizen withdraws', (from) => {
    const check = checkTransition('withdraw', 'citizen', from, 'IN_PROGRESS');

    expect(check).toEqual({ ok: true, to: 'WITHDRAWAL_REQUESTED' });
  });

  it('refuses a second withdrawal of a dossier whose withdrawal is already requested', () => {
    const check = checkTransition('withdraw', 'citizen', 'WITHDRAWAL_REQUESTED');

    expect(check).toEqual({ ok: false, reason: 'INVALID_TRANSITION' });
  });

  it.each([...FINAL_STATUSES])('lets nothing leave %s, whoever acts', (from) => {
    const moves = ALL_ACTIONS.flatMap((action) =>
      ACTOR_ROLES.map((role) => checkTransition(action, role, from, 'IN_PROGRESS'))
        .filter((check) => check.ok)
        .map(() => action),
    );

    expect(moves).toEqual([]);
  });

  it.each(['SUBMITTED', 'IN_PROGRESS'] as const)('returns a supplemented dossier to %s, where the request came from', (previous) => {
    const check = checkTransition('supplement', 'citizen', 'SUPPLEMENT_REQUESTED', previous);

    expect(check).toEqual({ ok: true, to: previous });
  });

  it('refuses to guess where a supplement returns when the dossier does not remember it', () => {
    expect(() => checkTransition('supplement', 'citizen', 'SUPPLEMENT_REQUESTED')).toThrow(/SUBMITTED or IN_PROGRESS/);
  });

  it('refuses a role that may never take the action before looking at the status (403 rather than 409)', () => {
    const check = checkTransition('approve', 'specialist', 'RETURNED');

    expect(check).toEqual({ ok: false, reason: 'ROLE_NOT_ALLOWED' });
  });

  it('refuses an officer action on a dossier in the wrong status as an invalid transition', () => {
    const check = checkTransition('transfer', 'reception', 'SUBMITTED');

    expect(check).toEqual({ ok: false, reason: 'INVALID_TRANSITION' });
  });

  it('lets only the platform itself return a fully-online result automatically', () => {
    expect(checkTransition('auto-return', 'system', 'RESOLVED')).toEqual({ ok: true, to: 'RETURNED' });
    expect(checkTransition('auto-return', 'reception', 'RESOLVED')).toEqual({ ok: false, reason: 'ROLE_NOT_ALLOWED' });
    expect(checkTransition('return', 'system', 'RESOLVED')).toEqual({ ok: false, reason: 'ROLE_NOT_ALLOWED' });
  });
});

describe('allowedTransitions (the buttons of the officer console)', () => {
  const roleSets = [...OFFICER_ROLES.map((role) => [role]), ['reception', 'specialist'], [...OFFICER_ROLES]] as const;

  it.each(DOSSIER_STATUSES)('offers in %s exactly the officer actions the domain table lets one of the roles take', (from) => {
    for (const roles of roleSets) {
      const expected = Object.keys(DOMAIN_TABLE).filter((action) => {
        const rule = DOMAIN_TABLE[action as DossierAction];
        return roles.some((role) => rule.roles.includes(role)) && from in rule.moves;
      });
      expect(allowedTransitions(roles, from).sort(), `${roles.join('+')} in ${from}`).toEqual(expected.sort());
    }
  });

  it('gives the specialist the draft and the leader the decision on a dossier being processed', () => {
    expect(allowedTransitions(['specialist'], 'IN_PROGRESS')).toEqual(['request-supplement', 'request-payment', 'save-result-draft']);
    expect(allowedTransitions(['leader'], 'IN_PROGRESS')).toEqual(['approve', 'refuse']);
    expect(allowedTransitions(['reception'], 'IN_PROGRESS')).toEqual([]);
  });
});
