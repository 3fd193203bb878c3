import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wardDeployments } from '../../infra/config/deployment';
import { WARDS, wardBySlug } from '../../infra/config/wards';
import { WardConfigSchema } from '../../shared/domain/ward-config';

/** The context `cdk synth` passes the app: cdk.json's, plus the command line's `-c` values (strings). */
const CDK_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

const outputs: string[] = [];
afterAll(() => {
  for (const directory of outputs) rmSync(directory, { recursive: true, force: true });
});

interface AppRun {
  readonly status: number | null;
  readonly stderr: string;
  readonly outdir: string;
}

/**
 * Runs the CDK app as the CLI does (`cdk synth -c …`: the context in CDK_CONTEXT_JSON, the cloud
 * assembly to CDK_OUTDIR), without bundling the functions, which these cases do not look at.
 */
function synthApp(context: Record<string, string>): Promise<AppRun> {
  const outdir = mkdtempSync(join(tmpdir(), 'agency-code-synth-'));
  outputs.push(outdir);
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context }) },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr, outdir }));
  });
}

// The three runs at once, before the cases: a synthesis of one ward takes a minute on a busy machine.
let unconfirmed: AppRun;
let overridden: AppRun;
let overriddenForAll: AppRun;
beforeAll(async () => {
  [unconfirmed, overridden, overriddenForAll] = await Promise.all([
    synthApp({ ward: 'cua-nam' }),
    synthApp({ ward: 'cua-nam', allowUnconfirmedAgencyCode: 'true' }),
    synthApp({ allowUnconfirmedAgencyCode: 'true' }),
  ]);
}, 600_000);

/** WARD_CONFIG of every function of a synthesized stack. */
function wardConfigsOf(outdir: string, stackName: string) {
  const template = JSON.parse(readFileSync(join(outdir, `${stackName}.template.json`), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: { Environment?: { Variables?: Record<string, unknown> } } }>;
  };
  return Object.values(template.Resources)
    .filter((resource) => resource.Type === 'AWS::Lambda::Function')
    .map((resource) => resource.Properties.Environment?.Variables?.WARD_CONFIG)
    .filter((value): value is string => typeof value === 'string')
    .map((value) => WardConfigSchema.parse(JSON.parse(value)));
}

/** The messages of one kind (aws:cdk:info, aws:cdk:warning) the stack carries in the cloud assembly (its metadata file). */
function annotationsOf(outdir: string, stackName: string, kind: string): string[] {
  const metadata = JSON.parse(readFileSync(join(outdir, `${stackName}.metadata.json`), 'utf8')) as Record<string, { type: string; data: unknown }[]>;
  return Object.values(metadata)
    .flat()
    .filter((entry) => entry.type === kind)
    .map((entry) => String(entry.data));
}

describe('deploying a ward whose agency code is unconfirmed', () => {
  it('synthesizes it without the override: its functions refuse dossiers, and the stack says why', () => {
    const synth = unconfirmed;

    expect(synth.status, synth.stderr).toBe(0);
    const configs = wardConfigsOf(synth.outdir, 'MotCuaSo-cua-nam');
    expect(configs.length).toBeGreaterThan(10);
    for (const config of configs) expect(config).toMatchObject({ slug: 'cua-nam', agencyCode: '000.00.82.H26', agencyCodeConfirmed: false, allowUnconfirmedAgencyCode: false });
    expect(annotationsOf(synth.outdir, 'MotCuaSo-cua-nam', 'aws:cdk:info').join('\n')).toMatch(
      /000\.00\.82\.H26 is unconfirmed: the ward takes no dossier \(409 AGENCY_CODE_UNCONFIRMED\)/,
    );
  });

  it('deploys it with -c allowUnconfirmedAgencyCode=true, named ward by ward: its functions take dossiers, with a warning', () => {
    const synth = overridden;

    expect(synth.status, synth.stderr).toBe(0);
    for (const config of wardConfigsOf(synth.outdir, 'MotCuaSo-cua-nam')) expect(config.allowUnconfirmedAgencyCode).toBe(true);
    expect(annotationsOf(synth.outdir, 'MotCuaSo-cua-nam', 'aws:cdk:warning').join('\n')).toMatch(/UNCONFIRMED and overridden/);
  });

  it('refuses the override for every ward at once, before synthesizing anything', () => {
    const synth = overriddenForAll;

    expect(synth.status).not.toBe(0);
    expect(synth.stderr).toMatch(/overrides one ward at a time: name it with -c ward=<slug>/);
  });

  it('refuses an override flag that is not true or false', () => {
    expect(() => wardDeployments({ ward: 'cua-nam', allowUnconfirmedAgencyCode: 'yes' })).toThrow(/takes true or false/);
  });
});

describe('wardDeployments', () => {
  it('deploys every ward of the data file without -c ward, none overridden', () => {
    const deployments = wardDeployments({});

    expect(deployments.map((d) => d.ward.slug)).toEqual(WARDS.map((w) => w.slug));
    expect(deployments.every((d) => !d.ward.allowUnconfirmedAgencyCode && d.notice?.level === 'info')).toBe(true);
  });

  it('deploys a confirmed ward as it is, and refuses a stale override for it', () => {
    const confirmed = [{ ...wardBySlug('hoan-kiem'), agencyCode: '000.00.70.H26', agencyCodeConfirmed: true }];

    expect(wardDeployments({ ward: 'hoan-kiem' }, confirmed)).toEqual([{ ward: confirmed[0] }]);
    expect(() => wardDeployments({ ward: 'hoan-kiem', allowUnconfirmedAgencyCode: true }, confirmed)).toThrow(/has a confirmed agency code/);
  });
});
