import { describe, expect, it } from 'vitest';
import { KPI_COUNTERS, type KpiCounter } from '../../shared/domain/dossier';
import { commonTargets } from '../../shared/use-cases/city-report';
import { paymentCounters, resolutionCounters, stopCounters, syncedCounters } from '../../shared/use-cases/kpi-counters';
import { nationalIndicatorsOf, openOverdueAtEndOfStep } from '../../shared/use-cases/kpi-report';
import type { KpiTotals } from '../../shared/use-cases/ports';
import { receivedDossier } from '../fixtures/dossier';
import { testWard } from '../fixtures/ward';

const totals = (counters: Partial<Record<KpiCounter, number>>): KpiTotals => ({
  ...(Object.fromEntries(KPI_COUNTERS.map((c) => [c, 0])) as Record<KpiCounter, number>),
  ...counters,
});

describe("Decision 766's figures from counters", () => {
  it('has no value, and no verdict, where nothing was handled, received or paid', () => {
    const national = nationalIndicatorsOf(totals({}), 0, testWard.targets);

    for (const figure of [
      national.onTimeShare,
      national.lateShare,
      national.complaintShare,
      national.satisfaction,
      national.syncedShare,
      national.eResultShare,
      national.paidOnlineShare,
    ]) {
      expect(figure).toMatchObject({ value: null, met: null, numerator: 0, denominator: 0 });
    }
  });

  it('counts open overdue dossiers as handled and late, and can fall below 0 when late and complaints overlap', () => {
    // 2 resolved, both late, both rated dissatisfied; 1 open overdue: 100% − 3/3 − 2/3.
    const national = nationalIndicatorsOf(totals({ resolved: 2, resolvedLate: 2, ratings: 2, ratedDissatisfied: 2 }), 1, testWard.targets);

    expect(national.onTimeShare).toMatchObject({ value: 0, numerator: 0, denominator: 3, met: false });
    expect(national.lateShare).toMatchObject({ value: 1, numerator: 3, denominator: 3 });
    expect(national.satisfaction).toMatchObject({ value: -2 / 3, numerator: -2, denominator: 3 });
  });

  it('rolls the open overdue number back over the days after a step', () => {
    const days = [
      { day: '2026-11-03', totals: totals({ overdueMarked: 1 }) },
      { day: '2026-11-05', totals: totals({ overdueMarked: 2, overdueClosed: 1 }) },
      { day: '2026-11-09', totals: totals({ overdueClosed: 1 }) },
    ];
    // 4 open at the end of 30/11: 4 at the end of 9/11, 5 at the end of 5/11 (one closed on 9/11), 4 at the end of 4/11.
    expect(['2026-11-30', '2026-11-09', '2026-11-05', '2026-11-04', '2026-11-02'].map((end) => openOverdueAtEndOfStep(days, end, '2026-11-30', 4))).toEqual([4, 4, 5, 4, 3]);
  });
});

describe('the counters of the changes 766 needs', () => {
  const due = new Date('2026-11-05T10:00:00Z');

  it('counts a resolution on time after two supplement requests as on time for the city and late for 766', () => {
    const twice = resolutionCounters(receivedDossier({ appointmentAt: due, firstAppointmentAt: due, supplementRequests: 2 }), 'APPROVED', new Date('2026-11-05T08:00:00Z'));
    const once = resolutionCounters(receivedDossier({ appointmentAt: due, firstAppointmentAt: due, supplementRequests: 1 }), 'APPROVED', new Date('2026-11-05T08:00:00Z'));
    const lateTwice = resolutionCounters(receivedDossier({ appointmentAt: due, firstAppointmentAt: due, supplementRequests: 2 }), 'APPROVED', new Date('2026-11-06T08:00:00Z'));

    expect(twice).toMatchObject({ resolvedOnTime: 1, resolvedLate: 0, resolvedOnTimeWithSupplements: 1 });
    expect(once).toMatchObject({ resolvedOnTime: 1, resolvedOnTimeWithSupplements: 0 });
    // Late already: not counted again.
    expect(lateTwice).toMatchObject({ resolvedLate: 1, resolvedOnTimeWithSupplements: 0 });
  });

  it('closes an overdue dossier when it is resolved or stopped, and no other', () => {
    expect(resolutionCounters(receivedDossier({ appointmentAt: due, overdue: true }), 'REFUSED', new Date('2026-11-09T08:00:00Z')).overdueClosed).toBe(1);
    expect(resolutionCounters(receivedDossier({ appointmentAt: due }), 'APPROVED', new Date('2026-11-04T08:00:00Z')).overdueClosed).toBe(0);
    expect(stopCounters({ overdue: true })).toEqual({ stopped: 1, overdueClosed: 1 });
    expect(stopCounters({ overdue: false })).toEqual({ stopped: 1, overdueClosed: 0 });
  });

  it('counts a payment, online or not, and a sync on the day the dossier was received (Vietnam time)', () => {
    expect(paymentCounters('ONLINE')).toEqual({ paymentsRecorded: 1, paidOnline: 1 });
    expect(paymentCounters('COUNTER')).toEqual({ paymentsRecorded: 1, paidOnline: 0 });
    expect(syncedCounters({ receivedAt: new Date('2026-11-01T18:30:00Z') })).toEqual({ date: '2026-11-02', increments: { synced: 1 } });
    expect(syncedCounters({})).toBeUndefined();
  });
});

describe("the city's targets", () => {
  it('are the targets every ward shares, null for one they set differently', () => {
    const commune = { ...testWard.targets, onlineShare: 0.5 };

    expect(commonTargets([testWard.targets, testWard.targets])).toEqual(testWard.targets);
    expect(commonTargets([testWard.targets, commune])).toEqual({ ...testWard.targets, onlineShare: null });
    expect(commonTargets([])).toEqual({ onlineShare: null, fullyOnlineShare: null, onTimeShare: null, eCopyShare: null, satisfiedShare: null });
  });
});
