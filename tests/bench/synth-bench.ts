import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { CLOUDFORMATION_QUOTAS, synthReport } from '../../infra/scripts/synth-report';
import { WARDS } from '../../infra/config/wards';
import type { BenchSection } from './report';

/**
 * `cdk synth` of every ward (`npm run synth`, cdk-nag included, the functions bundled), timed, into
 * a cloud assembly of its own: the time CI spends on it, and the largest stack against
 * CloudFormation's quotas. The bundles are built once: every ward's stack has the same code, and
 * CDK's asset staging caches a bundle by its source and options within the one process. The
 * assembly stays in `workDir` for the parts that read the templates (the idle month's cost).
 */
export function benchSynth(workDir: string): { section: BenchSection; assembly: string } {
  const assembly = join(workDir, 'cdk.out');
  const started = performance.now();
  execFileSync('npx', ['cdk', 'synth', '--quiet', '--output', assembly], { stdio: ['ignore', 'ignore', 'inherit'] });
  const seconds = (performance.now() - started) / 1000;
  const report = synthReport(assembly);
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
  const share = (value: number, quota: number) => `${Math.round((100 * value) / quota)} %`;
  return {
    assembly,
    section: {
      title: 'Synthesis of the city',
      method: [
        `\`cdk synth\` of the city stack and every ward (${WARDS.length + 1} stacks, cdk-nag, functions bundled once), timed; ` +
          `load average ${loadavg()[0]?.toFixed(1)} at the end (the machine is shared: the load says how much of the time was others' work).`,
      ],
      tables: [
        {
          head: ['Figure', 'Value', "Share of CloudFormation's quota"],
          rows: [
            ['stacks', report.stacks, '-'],
            ['time', `${seconds.toFixed(0)} s (${(seconds / report.stacks).toFixed(1)} s a stack)`, '-'],
            [
              `largest stack by resources (${report.byResources.stack})`,
              report.byResources.resources,
              share(report.byResources.resources, CLOUDFORMATION_QUOTAS.resourcesPerStack),
            ],
            [
              `largest template (${report.byTemplateBytes.stack})`,
              kb(report.byTemplateBytes.templateBytes),
              share(report.byTemplateBytes.templateBytes, CLOUDFORMATION_QUOTAS.templateBytes),
            ],
            ['all templates', kb(report.totalTemplateBytes), '-'],
          ],
        },
      ],
      targets: [
        {
          name: 'Every stack within CloudFormation’s resource quota',
          target: `≤ ${CLOUDFORMATION_QUOTAS.resourcesPerStack} resources`,
          measured: `${report.byResources.resources} (${report.byResources.stack})`,
          met: report.byResources.resources <= CLOUDFORMATION_QUOTAS.resourcesPerStack,
        },
      ],
    },
  };
}
