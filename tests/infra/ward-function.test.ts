import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { CERTIFICATE_CHAIN_FILE_NAME, ENVIRONMENT_LIMIT_BYTES, WardFunction } from '../../infra/constructs/ward-function';
import { WardConfigSchema, type WardConfig } from '../../shared/domain/ward-config';
import { testWard } from '../fixtures/ward';
import { certificateChainOfSize } from './certificate-chain';

const CHAIN = certificateChainOfSize([1_350, 1_450, 1_500]);
const WITH_CHAIN = WardConfigSchema.parse({ ...testWard, signingCertificateChainPem: CHAIN });
const CDK_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

/** The smallest handler, bundled for real: the file next to the bundle is what the case is about. */
const HANDLER = 'docs/get-openapi';

function functionIn(stack: Stack, id: string, ward: WardConfig): WardFunction {
  return new WardFunction(stack, id, { ward, handler: HANDLER, description: id, logKey: new kms.Key(stack, `${id}Key`, { enableKeyRotation: true }) });
}

// Bundled once for the file: one function of a ward with a configured chain, one of a ward without.
const app = new App({ context: CDK_CONTEXT });
const stack = new Stack(app, 'Functions', { env: { account: '111122223333', region: testWard.env.region } });
functionIn(stack, 'WithChain', WITH_CHAIN);
functionIn(stack, 'WithoutChain', testWard);
const assembly = app.synth();
const template = Template.fromStack(stack);

const bundleOf = (prefix: string) => {
  const [fn] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith(`${prefix}Function`));
  const properties = fn?.[1].Properties as { Code: { S3Key: string }; Environment: { Variables: Record<string, string> } };
  return { directory: path.join(assembly.directory, `asset.${properties.Code.S3Key.replace(/\.zip$/, '')}`), variables: properties.Environment.Variables };
};

describe('WardFunction', () => {
  it("ships the ward's certificate chain next to the bundle, byte for byte, and leaves it out of WARD_CONFIG", () => {
    const { directory, variables } = bundleOf('WithChain');
    expect(readFileSync(path.join(directory, CERTIFICATE_CHAIN_FILE_NAME), 'utf8')).toBe(CHAIN);
    expect(JSON.parse(variables.WARD_CONFIG ?? '{}')).toEqual({ ...WITH_CHAIN, signingCertificateChainPem: undefined });
  });

  it('ships no chain file for a ward without a configured chain', () => {
    const { directory } = bundleOf('WithoutChain');
    expect(existsSync(path.join(directory, 'index.mjs'))).toBe(true);
    expect(existsSync(path.join(directory, CERTIFICATE_CHAIN_FILE_NAME))).toBe(false);
  });

  it('fails synthesis when the environment of a function would exceed 4 KB', () => {
    const scratch = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    const scratchStack = new Stack(scratch, 'TooMuch', { env: { account: '111122223333', region: testWard.env.region } });
    const fn = functionIn(scratchStack, 'Fn', testWard);
    fn.addEnvironment('SOMETHING_LARGE', 'x'.repeat(ENVIRONMENT_LIMIT_BYTES));
    expect(() => scratch.synth()).toThrow(/environment of .*Fn would take \d+ bytes/);
  });
});
