/**
 * What a synthesis produced, from its cloud assembly (`cdk.out/*.template.json`): how many stacks,
 * the largest by resources and by template size, against CloudFormation's quotas (500 resources a
 * stack; a template of at most 1 MB, deployed from S3). CI prints it after `npm run synth`;
 * `npm run bench` after its timed synthesis of every ward.
 *
 *   npx tsx infra/scripts/synth-report.ts [--dir cdk.out] [--seconds <synth time>]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** CloudFormation's quotas a stack's template must stay under. */
export const CLOUDFORMATION_QUOTAS = { resourcesPerStack: 500, templateBytes: 1_000_000 } as const;

export interface StackFigures {
  readonly stack: string;
  readonly resources: number;
  readonly templateBytes: number;
}

export interface SynthReport {
  readonly stacks: number;
  readonly byResources: StackFigures;
  readonly byTemplateBytes: StackFigures;
  readonly totalTemplateBytes: number;
}

/** The figures of every template in a cloud assembly directory; throws when there is none. */
export function synthReport(directory: string): SynthReport {
  const figures: StackFigures[] = readdirSync(directory)
    .filter((file) => file.endsWith('.template.json'))
    .map((file) => {
      const path = join(directory, file);
      const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources?: Record<string, unknown> };
      return { stack: file.replace(/\.template\.json$/, ''), resources: Object.keys(template.Resources ?? {}).length, templateBytes: statSync(path).size };
    });
  const [first] = figures;
  if (first === undefined) throw new Error(`No template in ${directory}: run the synthesis first`);
  const largest = (field: 'resources' | 'templateBytes') => figures.reduce((max, stack) => (stack[field] > max[field] ? stack : max), first);
  return {
    stacks: figures.length,
    byResources: largest('resources'),
    byTemplateBytes: largest('templateBytes'),
    totalTemplateBytes: figures.reduce((sum, stack) => sum + stack.templateBytes, 0),
  };
}

/** The report as the lines CI and the benchmark print. */
export function formatSynthReport(report: SynthReport, seconds?: number): string[] {
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
  const share = (value: number, quota: number) => `${Math.round((100 * value) / quota)} % of CloudFormation's ${quota.toLocaleString('en')}`;
  return [
    `synthesized ${report.stacks} stacks${seconds === undefined ? '' : ` in ${seconds.toFixed(0)} s (${(seconds / report.stacks).toFixed(1)} s a stack)`}`,
    `largest stack by resources: ${report.byResources.stack}, ${report.byResources.resources} resources (${share(report.byResources.resources, CLOUDFORMATION_QUOTAS.resourcesPerStack)})`,
    `largest template: ${report.byTemplateBytes.stack}, ${kb(report.byTemplateBytes.templateBytes)} (${share(report.byTemplateBytes.templateBytes, CLOUDFORMATION_QUOTAS.templateBytes)} bytes)`,
    `all templates: ${kb(report.totalTemplateBytes)}`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { dir: { type: 'string', default: 'cdk.out' }, seconds: { type: 'string' } } });
  const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
  const report = synthReport(values.dir);
  for (const line of formatSynthReport(report, seconds)) console.log(line);
  const over = [report.byResources.resources > CLOUDFORMATION_QUOTAS.resourcesPerStack, report.byTemplateBytes.templateBytes > CLOUDFORMATION_QUOTAS.templateBytes];
  if (over.some(Boolean)) {
    console.error('a stack is over a CloudFormation quota');
    process.exitCode = 1;
  }
}
