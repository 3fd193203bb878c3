import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { WARDS, wardBySlug } from '../infra/config/wards';
import { wardTableName } from '../shared/adapters/dynamodb/table-definition';
import type { WardConfig } from '../shared/domain/ward-config';
import { LOCAL_AWS_CREDENTIALS, LOCAL_AWS_REGION } from './local-aws';
import type { LocalWardResources } from './provision';

export interface HandlerEnvironmentInput extends LocalWardResources {
  readonly ward: WardConfig;
  /** Stands in for the KMS HMAC key that hashes personal ID numbers; at least 32 characters. */
  readonly idHashSecret: string;
  /** The local server's URL, for links in receipts and SMS. */
  readonly publicBaseUrl: string;
  /** Where the notifier writes SMS and officer alerts (SNS has no local server), one JSON line each. */
  readonly notificationsOutboxFile?: string;
  /** Also print a one-line summary of each SMS or alert (`npm start`). */
  readonly echoNotifications?: boolean;
  /** Local mode's signing key and its chain from the local test CA (local/signing-identity.ts), standing in for KMS and a CA. */
  readonly signing: { readonly keyFile: string; readonly chainFile: string };
  /** Local mode's SQS (local/sqs-server.ts) and the notifier's retry queue there. */
  readonly notificationRetries?: { readonly sqsEndpoint: string; readonly retryQueueUrl: string };
  /** While this file exists, the local outbox fails every send as SNS does in an outage (`touch .local/sns-outage`). */
  readonly notificationsOutageFile?: string;
  /** Local mode's Step Functions (local/deadline-runner.ts): its endpoint and the deadline state machine's ARN. */
  readonly deadlines?: { readonly endpoint: string; readonly stateMachineArn: string };
  /** The local secret of the national sync (local/sync-receiver.ts writes its endpoint and token there), standing in for Secrets Manager. */
  readonly nationalSyncSecretFile?: string;
}

/**
 * The environment the handlers read at cold start, pointing at the local servers: what the CDK
 * stack sets on each function, plus the standard SDK variables for endpoints and (dummy, local
 * only) credentials, so the same SDK calls reach DynamoDB Local and s3rver.
 */
export function localHandlerEnvironment(input: HandlerEnvironmentInput): Record<string, string> {
  return {
    AWS_REGION: LOCAL_AWS_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_AWS_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: input.dynamodbEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: input.dynamodbEndpoint,
    AWS_ENDPOINT_URL_S3: input.s3Endpoint,
    ...(input.deadlines ? { AWS_ENDPOINT_URL_SFN: input.deadlines.endpoint, DEADLINE_STATE_MACHINE_ARN: input.deadlines.stateMachineArn } : {}),
    // s3rver predates the SDK's default CRC32 checksums (and their aws-chunked trailers).
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    S3_FORCE_PATH_STYLE: 'true',
    TABLE_NAME: input.tableName,
    UPLOADS_BUCKET: input.uploadsBucket,
    // GuardDuty has no local counterpart: local mode checks uploads' type and size, not malware.
    UPLOADS_MALWARE_SCANNING: 'OFF',
    ...(input.archiveBucket ? { ARCHIVE_BUCKET: input.archiveBucket } : {}),
    WARD_CONFIG: JSON.stringify(input.ward),
    LOCAL_ID_HASH_SECRET: input.idHashSecret,
    LOCAL_SIGNING_KEY_FILE: input.signing.keyFile,
    LOCAL_SIGNING_CHAIN_FILE: input.signing.chainFile,
    PUBLIC_BASE_URL: input.publicBaseUrl,
    ...(input.notificationsOutboxFile ? { NOTIFICATIONS_OUTBOX_FILE: input.notificationsOutboxFile } : {}),
    ...(input.notificationsOutageFile ? { NOTIFICATIONS_OUTAGE_FILE: input.notificationsOutageFile } : {}),
    ...(input.notificationRetries ? { AWS_ENDPOINT_URL_SQS: input.notificationRetries.sqsEndpoint, NOTIFICATION_RETRY_QUEUE_URL: input.notificationRetries.retryQueueUrl } : {}),
    NOTIFICATIONS_ECHO: input.echoNotifications ? 'true' : 'false',
    ...(input.nationalSyncSecretFile ? { LOCAL_NATIONAL_SYNC_SECRET_FILE: input.nationalSyncSecretFile } : {}),
    POWERTOOLS_SERVICE_NAME: `mot-cua-so-${input.ward.slug}`,
    POWERTOOLS_METRICS_NAMESPACE: 'MotCuaSo',
    POWERTOOLS_DEV: 'true',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    POWERTOOLS_TRACE_ENABLED: 'false',
    // Lambda runs a newer Node.js; on a developer's Node 20 the SDK's support notice is noise.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/**
 * Sets the variables on this process. Handler modules read them once, when first imported, so
 * this must run before the first request reaches a handler.
 */
export function applyHandlerEnvironment(environment: Readonly<Record<string, string>>): void {
  // A developer's own AWS profile or session must not mix with the local credentials.
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  Object.assign(process.env, environment);
}

/**
 * The ward named by `slug` (e.g. the `WARD` variable), by default the first configured ward. Local
 * mode takes dossiers whatever its agency code (the override of infra/config/deployment.ts): its
 * dossiers are trials, never sent on with that code.
 */
export function localWard(slug: string | undefined): WardConfig {
  return { ...wardBySlug(slug ?? WARDS[0]?.slug ?? 'hoan-kiem'), allowUnconfirmedAgencyCode: true };
}

/** Table and bucket names of a ward in local mode, named like the stack's resources. */
export function localResourceNames(ward: WardConfig): { tableName: string; uploadsBucket: string; archiveBucket: string } {
  return { tableName: wardTableName(ward.slug), uploadsBucket: `mot-cua-so-${ward.slug}-uploads`, archiveBucket: `mot-cua-so-${ward.slug}-archive` };
}

/** A random secret kept in `path` (mode 600), created on first use so hashes stay stable between runs. */
export async function readOrCreateSecret(path: string): Promise<string> {
  try {
    const existing = (await readFile(path, 'utf8')).trim();
    if (existing.length >= 32) {
      return existing;
    }
  } catch (error) {
    if (!isMissingFile(error)) {
      throw error;
    }
  }
  const secret = randomBytes(32).toString('base64url');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${secret}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return secret;
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
