import * as z from 'zod';
import { mapInOrder } from '../audit/map-in-order';
import { KPI_COUNTERS, type KpiCounter } from '../domain/dossier';
import { vietnamDate } from '../domain/time';
import { WardConfigSchema } from '../domain/ward-config';
import {
  countsOf,
  indicatorsOf,
  nationalIndicatorsOf,
  reportDays,
  sumOver,
  type KpiPoint,
  type KpiReport,
  type NationalIndicators,
  type ReportTargets,
  type Targets,
} from './kpi-report';
import type { Clock, KpiTotals, WardKpiReader } from './ports';

/** What the city's report function is invoked with: the range, both days included (Vietnam time). */
export const CityReportRequestSchema = z.object({ from: z.iso.date(), to: z.iso.date() }).strict();

/** One ward of the city's report: who it is, its targets, and its counters. */
export interface CityWard {
  readonly slug: string;
  readonly name: string;
  readonly targets: Targets;
  readonly kpis: WardKpiReader;
}

/** The figures of one ward, or of the city (every ward's counters summed). */
export interface CityFigures {
  readonly indicators: KpiReport['indicators'];
  readonly counts: KpiPoint['counts'];
  readonly national: NationalIndicators;
  readonly counters: KpiTotals;
}

export interface CityReport extends CityFigures {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly asOf: Date;
  /** The targets every ward shares (the city's); one the wards do not share is null here, and each ward's figures carry its own. */
  readonly targets: ReportTargets;
  /** Each ward's figures against its own targets, in the order of the ward list. */
  readonly wards: readonly (CityFigures & { readonly slug: string; readonly name: string; readonly targets: Targets })[];
}

/** Wards read at once: 126 wards take 8 rounds of two Queries each. */
const WARD_CONCURRENCY = 16;

/**
 * The city-wide report (`npm run city-report`, the city's report function): for each ward its
 * daily counter items of the range and its open overdue dossiers at the range's end (the KPI
 * partition only, never a dossier), its figures against its own targets, and the city's figures
 * recomputed from the counters summed over every ward (numerators and denominators summed,
 * never shares averaged), the same formulas as the ward's report (kpi-report.ts).
 *
 * @throws ValidationError (400) when `to` is before `from` or the range exceeds 366 days; nothing is read then
 */
export async function getCityReport(
  deps: { readonly wards: readonly CityWard[]; readonly clock: Clock },
  range: { readonly from: string; readonly to: string },
): Promise<CityReport> {
  const days = reportDays(range.from, range.to);
  const asOf = deps.clock.now();
  const today = vietnamDate(asOf);
  const wards: CityReport['wards'][number][] = [];
  for await (const ward of mapInOrder(deps.wards, WARD_CONCURRENCY, async (ward) => {
    const [daily, openOverdueAtEnd] = await Promise.all([ward.kpis.dailyTotals(range.from, range.to), ward.kpis.openOverdueAtEndOf(range.to, today)]);
    return { slug: ward.slug, name: ward.name, targets: ward.targets, ...figuresOf(sumOver(daily, range.from, range.to), openOverdueAtEnd, ward.targets) };
  })) {
    wards.push(ward);
  }
  const targets = commonTargets(deps.wards.map((ward) => ward.targets));
  const city = sumTotals(wards.map((ward) => ward.counters));
  const openOverdueAtEnd = wards.reduce((sum, ward) => sum + ward.national.openOverdueAtEnd, 0);
  return { from: range.from, to: range.to, days, asOf, targets, ...figuresOf(city, openOverdueAtEnd, targets), wards };
}

function figuresOf(totals: KpiTotals, openOverdueAtEnd: number, targets: ReportTargets): CityFigures {
  return { indicators: indicatorsOf(totals, targets), counts: countsOf(totals), national: nationalIndicatorsOf(totals, openOverdueAtEnd, targets), counters: totals };
}

function sumTotals(all: readonly KpiTotals[]): KpiTotals {
  const totals = Object.fromEntries(KPI_COUNTERS.map((counter) => [counter, 0])) as Record<KpiCounter, number>;
  for (const one of all) for (const counter of KPI_COUNTERS) totals[counter] += one[counter];
  return totals;
}

/** Each target the wards all share; null for one they set differently (or with no ward). */
export function commonTargets(all: readonly Targets[]): ReportTargets {
  const [first, ...rest] = all;
  const names = WardConfigSchema.shape.targets.keyof().options;
  return Object.fromEntries(names.map((name) => [name, first !== undefined && rest.every((targets) => targets[name] === first[name]) ? first[name] : null])) as ReportTargets;
}
