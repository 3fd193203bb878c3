import type { NationalSyncRecord } from '../../domain/national-sync';
import type { NationalSync } from '../../use-cases/ports';
import type { NationalSyncCredentials } from '../secrets/national-sync-credentials';

/** A delivery the receiver did not accept, or could not be asked: nothing is known to be delivered. */
export class NationalSyncDeliveryError extends Error {
  constructor(
    message: string,
    /** The receiver's HTTP status; undefined when it could not be reached. */
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'NationalSyncDeliveryError';
  }
}

export interface HttpNationalSyncOptions {
  /** The endpoint and token, read from the ward's secret (cached by the source). */
  readonly credentials: { get(): Promise<NationalSyncCredentials>; invalidate(): void };
  /** How long one delivery may take. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The sync endpoint's protocol: `POST <endpoint>` with the record as JSON (UTF-8),
 * `Authorization: Bearer <token>` and `Idempotency-Key: <dossier code>:<change number>`. Any 2xx
 * is a delivery (a repeat the receiver already had answers 2xx too); anything else, or no answer
 * within the timeout, is a failure. A 401 or 403 drops the cached credentials, so that a token the
 * operator replaced in the secret is read again at the next attempt.
 */
export function httpNationalSync(options: HttpNationalSyncOptions): NationalSync {
  const doFetch = options.fetch ?? fetch;
  return {
    async send(record: NationalSyncRecord, idempotencyKey: string, sendOptions?: { readonly timeoutMs?: number }) {
      const { endpoint, token } = await options.credentials.get();
      let response: Response;
      try {
        response = await doFetch(endpoint, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': idempotencyKey },
          body: JSON.stringify(record),
          signal: AbortSignal.timeout(Math.min(sendOptions?.timeoutMs ?? Infinity, options.timeoutMs ?? DEFAULT_TIMEOUT_MS)),
        });
      } catch (error) {
        throw new NationalSyncDeliveryError(`sync endpoint unreachable: ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error });
      }
      // The body is read (and dropped) so the connection can be reused.
      const body = await response.text().catch(() => '');
      if (response.ok) return;
      if (response.status === 401 || response.status === 403) options.credentials.invalidate();
      throw new NationalSyncDeliveryError(`sync endpoint answered ${response.status}${body ? `: ${body.slice(0, 200)}` : ''}`, response.status);
    },
  };
}
