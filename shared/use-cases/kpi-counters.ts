import type { Dossier, KpiIncrements, PaymentMethod, RatingLevel } from '../domain/dossier';
import { vietnamDate } from '../domain/time';

/** Counters of a receipt: the channel and whether the whole process is online. */
export function receiptCounters(dossier: Pick<Dossier, 'channel' | 'fullyOnline'>): KpiIncrements {
  return {
    received: 1,
    receivedOnline: dossier.channel === 'ONLINE' ? 1 : 0,
    receivedFullyOnline: dossier.fullyOnline ? 1 : 0,
    receivedCounter: dossier.channel === 'COUNTER' ? 1 : 0,
    receivedPostal: dossier.channel === 'POSTAL' ? 1 : 0,
  };
}

/**
 * The counters a resolution adds to. On time means resolved at or before the first appointment
 * (the one set at receipt, whatever apology letters moved it to later); early means before the
 * day of it. A dossier marked overdue counts as late, always, and leaves the open overdue
 * dossiers (`overdueClosed`). One resolved on time after more than one supplement request is
 * on time for the city and late for Decision 766 (`resolvedOnTimeWithSupplements`).
 *
 * `resolvedWithECopy` is not here: it counts the e-copy the resolution actually archived, which
 * the transition knows once the document is issued ({@link eCopyCounters}).
 */
export function resolutionCounters(dossier: Dossier, outcome: 'APPROVED' | 'REFUSED', resolvedAt: Date): KpiIncrements {
  const due = dossier.firstAppointmentAt ?? dossier.appointmentAt;
  const late = dossier.overdue || (due !== undefined && resolvedAt.getTime() > due.getTime());
  const early = !late && due !== undefined && vietnamDate(resolvedAt) < vietnamDate(due);
  return {
    resolved: 1,
    resolvedApproved: outcome === 'APPROVED' ? 1 : 0,
    resolvedRefused: outcome === 'REFUSED' ? 1 : 0,
    resolvedEarly: early ? 1 : 0,
    resolvedOnTime: !late && !early ? 1 : 0,
    resolvedLate: late ? 1 : 0,
    resolvedOnTimeWithSupplements: !late && dossier.supplementRequests > 1 ? 1 : 0,
    overdueClosed: dossier.overdue ? 1 : 0,
  };
}

/** The e-copy a resolution archived in its transaction (its e-result, or the refusal notice). */
export const eCopyCounters = (archived: boolean): KpiIncrements => (archived ? { resolvedWithECopy: 1 } : {});

/** A dossier stopped (withdrawn, or stopped by law) leaves the open overdue dossiers if it was overdue. */
export const stopCounters = (dossier: Pick<Dossier, 'overdue'>): KpiIncrements => ({ stopped: 1, overdueClosed: dossier.overdue ? 1 : 0 });

/** The deadline task marked the dossier overdue. */
export const overdueCounters = (): KpiIncrements => ({ overdueMarked: 1 });

/** A fee or tax recorded as paid, and whether online. */
export const paymentCounters = (method: PaymentMethod): KpiIncrements => ({ paymentsRecorded: 1, paidOnline: method === 'ONLINE' ? 1 : 0 });

const RATING_COUNTER = { VERY_SATISFIED: 'ratedVerySatisfied', SATISFIED: 'ratedSatisfied', DISSATISFIED: 'ratedDissatisfied' } as const;

export function ratingCounters(level: RatingLevel): KpiIncrements {
  return { ratings: 1, [RATING_COUNTER[level]]: 1 };
}

/**
 * The national portal acknowledged a record of a received dossier: `synced` on the day the
 * dossier was received, as Decision 766 counts the synchronised dossiers of a period by their
 * receipt date. Undefined for a dossier not received (yet): it is counted once it is.
 *
 * The national-sync consumer does not write this itself: it calls `countNationalSync`
 * (national-sync-kpi.ts), which writes it once per dossier.
 */
export function syncedCounters(dossier: Pick<Dossier, 'receivedAt'>): { readonly date: string; readonly increments: KpiIncrements } | undefined {
  return dossier.receivedAt === undefined ? undefined : { date: vietnamDate(dossier.receivedAt), increments: { synced: 1 } };
}
