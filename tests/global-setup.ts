import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import type { LocalAwsEndpoints } from '../local/local-aws';
import { startLocalS3Server } from '../local/s3-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's DynamoDB Local (in memory) and s3rver (temporary folder), shared by every test file. */
    localAws: LocalAwsEndpoints;
  }
}

/**
 * Builds the front end when it is not built yet, then starts one DynamoDB Local and one s3rver for the whole run (test files isolate themselves with
 * their own table and bucket, see tests/support/local-ward.ts) and stops both at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The stack (tests/infra) and the browser tests need the built front end; `npm test` builds it
  // first (pretest), a bare `npx vitest` gets it here when it is missing.
  if (!existsSync(new URL('../web/dist/index.html', import.meta.url))) {
    execFileSync('npm', ['run', '-s', 'web:build'], { cwd: new URL('..', import.meta.url), stdio: 'inherit' });
  }
  const s3Directory = await mkdtemp(join(tmpdir(), 'mot-cua-so-s3-'));
  const [dynamodb, s3] = await Promise.all([startDynamoDbLocal({ storage: { inMemory: true } }), startLocalS3Server({ directory: s3Directory })]);
  project.provide('localAws', { dynamodbEndpoint: dynamodb.endpoint, s3Endpoint: s3.endpoint });
  return async () => {
    await Promise.allSettled([s3.stop(), dynamodb.stop()]);
    await rm(s3Directory, { recursive: true, force: true });
  };
}
