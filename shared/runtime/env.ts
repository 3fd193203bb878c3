import * as z from 'zod';
import { WardConfigSchema, type WardConfig } from '../domain/ward-config';

/**
 * The environment a function reads, parsed once at cold start. Which resource variables a
 * function has depends on its route's access (the CDK stack sets exactly those); `required`
 * fails the cold start at once when a needed one is missing.
 */
const EnvSchema = z.object({
  WARD_CONFIG: z
    .string()
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'WARD_CONFIG is not JSON' });
        return z.NEVER;
      }
    })
    .pipe(WardConfigSchema),
  TABLE_NAME: z.string().min(3).optional(),
  UPLOADS_BUCKET: z.string().min(3).optional(),
  /**
   * How uploads are scanned for malware: `GUARDDUTY` (the stack's malware protection plan tags
   * each scanned object; an untagged one is not accepted yet) or `OFF` (local mode, no scanner).
   * Set with UPLOADS_BUCKET, and required with it: a function never guesses that scanning is off.
   */
  UPLOADS_MALWARE_SCANNING: z.enum(['GUARDDUTY', 'OFF']).optional(),
  /** The write-once e-result archive. */
  ARCHIVE_BUCKET: z.string().min(3).optional(),
  /** KMS HMAC key that hashes personal ID numbers (in AWS). */
  ID_HASH_KEY_ID: z.string().min(1).optional(),
  /** Local mode only: the HMAC secret standing in for the KMS key. */
  LOCAL_ID_HASH_SECRET: z.string().min(32).optional(),
  /** The ward's signing key in KMS (ECC_NIST_P256, SIGN_VERIFY), in AWS. */
  SIGNING_KEY_ID: z.string().min(1).optional(),
  /** The ward's configured certificate chain (PEM), a file in the bundle: with it, WARD_CONFIG would pass Lambda's 4 KB of variables. */
  SIGNING_CERTIFICATE_CHAIN_FILE: z.string().min(1).optional(),
  /** Local mode only: the signing key (PEM) and its chain from local mode's test CA, standing in for KMS and a CA. */
  LOCAL_SIGNING_KEY_FILE: z.string().min(1).optional(),
  LOCAL_SIGNING_CHAIN_FILE: z.string().min(1).optional(),
  /** Local mode: S3-compatible servers need path-style addressing. */
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** The deadline state machine (its executions' ARNs follow from it); in local mode, local/deadline-runner.ts's. */
  DEADLINE_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
  /** Public base URL for links in receipts and SMS; falls back to the ward config's. */
  PUBLIC_BASE_URL: z.url().optional(),
  /** The ward's SNS topic of officer alerts (e-mail subscriptions), for the notifier in AWS. */
  ALERTS_TOPIC_ARN: z.string().startsWith('arn:').optional(),
  /** The notifier's retry queue (SQS; in local mode local/sqs-server.ts's), where deliveries that failed wait for their next attempt. */
  NOTIFICATION_RETRY_QUEUE_URL: z.url().optional(),
  /** This ward's queue of hand-overs awaiting the competent ward's acknowledgement (reception without boundaries). */
  HANDOVER_QUEUE_URL: z.url().optional(),
  /**
   * Local mode only: SMS and officer alerts are appended to this JSON-lines file instead of going
   * through SNS (which has no local server). Set, it wins over ALERTS_TOPIC_ARN.
   */
  NOTIFICATIONS_OUTBOX_FILE: z.string().min(1).optional(),
  /** Local mode only: while this file exists, the local outbox fails every send, as SNS does in an outage. */
  NOTIFICATIONS_OUTAGE_FILE: z.string().min(1).optional(),
  /** The ward's secret holding the national sync endpoint and its token (Secrets Manager, JSON `{"endpoint","token"}`), in AWS. */
  NATIONAL_SYNC_SECRET_ARN: z.string().startsWith('arn:').optional(),
  /** Local mode only: the same JSON in a file (local/sync-receiver.ts's address and token); set, it wins over NATIONAL_SYNC_SECRET_ARN. */
  LOCAL_NATIONAL_SYNC_SECRET_FILE: z.string().min(1).optional(),
  /** Local mode: also print a one-line summary of each SMS or alert written to the outbox file. */
  NOTIFICATIONS_ECHO: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export type Env = z.output<typeof EnvSchema>;

function parseEnv(source: NodeJS.ProcessEnv): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`invalid environment: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export const env: Env = parseEnv(process.env);
export const ward: WardConfig = env.WARD_CONFIG;

/** Base of the links in receipts, SMS and QR codes: the ward's public site, else the API's own URL. */
export const publicBaseUrl: string = (env.PUBLIC_BASE_URL ?? ward.publicBaseUrl ?? '').replace(/\/$/, '');

/** A variable this function cannot work without: throws at cold start when it is missing. */
export function required<K extends keyof Env>(name: K): NonNullable<Env[K]> {
  const value = env[name];
  if (value === undefined || value === null) throw new Error(`missing environment variable ${name}`);
  return value;
}
