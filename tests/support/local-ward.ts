import { randomBytes, randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { startLocalHttpServer, type OfficerAuthorizer } from '../../local/http-server';
import { localDynamoDbClientConfig, localS3ClientConfig, type LocalAwsEndpoints } from '../../local/local-aws';
import { provisionLocalWard } from '../../local/provision';
import { applyHandlerEnvironment, localHandlerEnvironment, localWard } from '../../local/ward-environment';
import type { WardConfig } from '../../shared/domain/ward-config';

export interface LocalAws extends LocalAwsEndpoints {
  /** Configuration for `new DynamoDBClient(...)` (or DynamoDB Streams) against the run's DynamoDB Local. */
  readonly dynamodbClientConfig: ReturnType<typeof localDynamoDbClientConfig>;
  /** Configuration for `new S3Client(...)` against the run's s3rver (path-style). */
  readonly s3ClientConfig: ReturnType<typeof localS3ClientConfig>;
}

/** The run's DynamoDB Local and s3rver, started once by tests/global-setup.ts. */
export function useLocalAws(): LocalAws {
  const endpoints = inject('localAws');
  return {
    ...endpoints,
    dynamodbClientConfig: localDynamoDbClientConfig(endpoints),
    s3ClientConfig: localS3ClientConfig(endpoints),
  };
}

export interface StartLocalWardOptions {
  /** Defaults to the first configured ward. */
  readonly ward?: WardConfig;
  /** Stands in for the Cognito authorizer on officer routes; without it they answer 401. */
  readonly authorizeOfficer?: OfficerAuthorizer;
  /** Print one line per request, as `npm start` does. Off by default to keep test output readable. */
  readonly logRequests?: boolean;
}

export interface LocalWard {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly baseUrl: string;
  readonly tableName: string;
  readonly uploadsBucket: string;
  readonly ward: WardConfig;
  /** The variables set on this process for the handlers. */
  readonly env: Readonly<Record<string, string>>;
  readonly aws: LocalAws;
  /** Closes the HTTP server and drops the table. */
  stop(): Promise<void>;
}

let wardOfThisProcess: string | undefined;

/**
 * A ward of its own for the calling test file: a uniquely named table (with the catalog loaded)
 * and uploads bucket in the run's DynamoDB Local and s3rver, the handler environment set on this
 * process, and the local HTTP server on a free 127.0.0.1 port.
 *
 * One per test file: handler modules read the environment once, when a first request imports
 * them, and vitest gives each test file its own process (`pool: 'forks'`). Call it in
 * `beforeAll`, before anything in the file imports a handler or `shared/runtime`.
 */
export async function startLocalWard(options: StartLocalWardOptions = {}): Promise<LocalWard> {
  if (wardOfThisProcess !== undefined) {
    throw new Error(
      `startLocalWard() already ran in this test file (table ${wardOfThisProcess}): handler modules keep the ` +
        'environment they were first imported with, so share one ward per file.',
    );
  }
  const aws = useLocalAws();
  const ward = options.ward ?? localWard(undefined);
  const suffix = randomUUID().slice(0, 8);
  const tableName = `test-${ward.slug}-${suffix}`;
  const uploadsBucket = `test-uploads-${suffix}`;
  wardOfThisProcess = tableName;

  await provisionLocalWard({ ...aws, tableName, uploadsBucket });
  const server = await startLocalHttpServer({
    authorizeOfficer: options.authorizeOfficer,
    logRequest: options.logRequests ? (line) => console.warn(line) : () => undefined,
  });
  // Set once the URL is known and before this returns, hence before any request imports a handler.
  const env = localHandlerEnvironment({
    ...aws,
    tableName,
    uploadsBucket,
    ward,
    idHashSecret: randomBytes(32).toString('base64url'),
    publicBaseUrl: server.url,
  });
  applyHandlerEnvironment(env);

  let stopping: Promise<void> | undefined;
  return {
    baseUrl: server.url,
    tableName,
    uploadsBucket,
    ward,
    env,
    aws,
    stop: () =>
      (stopping ??= (async () => {
        await server.close();
        const dynamodb = new DynamoDBClient(aws.dynamodbClientConfig);
        try {
          await dynamodb.send(new DeleteTableCommand({ TableName: tableName }));
        } finally {
          dynamodb.destroy();
        }
      })()),
  };
}
