import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { formatSynthReport, synthReport } from '../../infra/scripts/synth-report';
import { WARDS } from '../../infra/config/wards';

/**
 * `cdk synth` of every ward (`npm run synth`, cdk-nag included, the functions bundled), timed, into
 * a cloud assembly of its own: the time CI spends on it, and the largest stack against
 * CloudFormation's quotas. The bundles are built once: every ward's stack has the same code, and
 * CDK's asset staging caches a bundle by its source and options within the one process.
 */
export function benchSynth(workDir: string): void {
  const outdir = join(workDir, 'cdk.out');
  const started = performance.now();
  execFileSync('npx', ['cdk', 'synth', '--quiet', '--output', outdir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const seconds = (performance.now() - started) / 1000;
  // The machine is shared: the load says how much of the time was others' work.
  console.log(`\ncdk synth of the city and every ward (${WARDS.length + 1} stacks, cdk-nag, functions bundled once), load average ${loadavg()[0]?.toFixed(1)} at the end:`);
  for (const line of formatSynthReport(synthReport(outdir), seconds)) console.log(`  ${line}`);
}
