import type { Dossier, KpiIncrements, RatingLevel } from '../domain/dossier';
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
 * day of it. A dossier marked overdue counts as late, always.
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
    // Every resolution is archived as an e-copy before the dossier may become RESOLVED.
    resolvedWithECopy: 1,
  };
}

const RATING_COUNTER = { VERY_SATISFIED: 'ratedVerySatisfied', SATISFIED: 'ratedSatisfied', DISSATISFIED: 'ratedDissatisfied' } as const;

export function ratingCounters(level: RatingLevel): KpiIncrements {
  return { ratings: 1, [RATING_COUNTER[level]]: 1 };
}
