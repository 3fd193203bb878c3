import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';

/**
 * `npm run bench` writes what it measured to `docs/benchmarks.md`: one section per part, each with
 * its figures as tables and the targets it measures, marked met or not. The parts return
 * sections; only this file knows the page's layout.
 */

/** A target the bench checks: what was promised, what was measured, and whether that meets it. */
export interface BenchTarget {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

export interface BenchTable {
  caption?: string;
  head: string[];
  rows: (string | number)[][];
}

export interface BenchSection {
  title: string;
  /** Paragraphs before the tables: how it was measured (what, how many runs, which accounting). */
  method: string[];
  tables: BenchTable[];
  /** Paragraphs after the tables: reading notes. */
  notes?: string[];
  targets?: BenchTarget[];
}

const cell = (value: string | number) => String(value).replaceAll('|', '\\|').replaceAll('\n', ' ');

export function markdownTable(table: BenchTable): string[] {
  const lines = table.caption ? [`*${table.caption}*`, ''] : [];
  lines.push(`| ${table.head.map(cell).join(' | ')} |`);
  lines.push(`|${table.head.map(() => ' --- |').join('')}`);
  for (const row of table.rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  return lines;
}

/** The section as the console shows it while the bench runs (the same content as the page). */
export function printSection(section: BenchSection): void {
  console.log(`\n== ${section.title}`);
  for (const paragraph of section.method) console.log(paragraph);
  for (const table of section.tables) console.log(markdownTable(table).join('\n'));
  for (const paragraph of section.notes ?? []) console.log(paragraph);
  for (const target of section.targets ?? []) console.log(`${target.met ? 'met' : 'NOT MET'}: ${target.name} — target ${target.target}, measured ${target.measured}`);
}

export function renderBenchmarks(sections: BenchSection[], startedAt: Date, seconds: number): string {
  const targets = sections.flatMap((section) => (section.targets ?? []).map((target) => ({ section: section.title, ...target })));
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${startedAt.toISOString().slice(0, 10)} (${Math.round(seconds)} s, Node ${process.version}, ` +
      `${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)} at the end). Do not edit by hand: run \`npm run bench\` again.`,
    'The machine is shared and noisy: read the ratios and medians, not single milliseconds.',
    '',
    '## Targets',
    '',
    ...markdownTable({
      head: ['Target', 'Promised', 'Measured', 'Met'],
      rows: targets.map((target) => [target.name, target.target, target.measured, target.met ? 'met' : '**not met**']),
    }),
    '',
  ];
  for (const section of sections) {
    lines.push(`## ${section.title}`, '');
    for (const paragraph of section.method) lines.push(paragraph, '');
    for (const table of section.tables) lines.push(...markdownTable(table), '');
    for (const paragraph of section.notes ?? []) lines.push(paragraph, '');
  }
  return lines.join('\n');
}

export async function writeBenchmarks(file: string, sections: BenchSection[], startedAt: Date, seconds: number): Promise<void> {
  await writeFile(file, renderBenchmarks(sections, startedAt, seconds));
}

/** The median of a sample (the bench's figure of choice on a noisy machine). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The p-th percentile (0–100) by the nearest-rank method. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}
