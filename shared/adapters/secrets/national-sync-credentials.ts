import { readFile } from 'node:fs/promises';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';

/**
 * The sync endpoint's address and token, as the ward's secret holds them (JSON):
 * `{"endpoint": "https://…", "token": "…"}`. The stack creates the secret with a placeholder
 * endpoint under `.invalid` and a generated token; the operator writes the real values.
 */
export const NationalSyncCredentialsSchema = z.object({ endpoint: z.url({ protocol: /^https?$/ }), token: z.string().min(16) }).strict();
export type NationalSyncCredentials = z.output<typeof NationalSyncCredentialsSchema>;

export interface CredentialsSource {
  get(): Promise<NationalSyncCredentials>;
  /** Forgets the cached value (the receiver refused the token). */
  invalidate(): void;
}

/** How long a value read is used before it is read again (a token the operator changed takes effect within it). */
const CACHE_MS = 5 * 60_000;

function cached(read: () => Promise<NationalSyncCredentials>, now: () => number = Date.now): CredentialsSource {
  let value: { readonly credentials: Promise<NationalSyncCredentials>; readonly at: number } | undefined;
  return {
    get() {
      if (value === undefined || now() - value.at > CACHE_MS) {
        const credentials = read();
        value = { credentials, at: now() };
        // A failed read is not kept: the next attempt reads again.
        credentials.catch(() => (value = undefined));
      }
      return value.credentials;
    },
    invalidate: () => (value = undefined),
  };
}

/** In AWS: the secret named by its ARN, read with Secrets Manager and cached. */
export function secretsManagerCredentials(client: SecretsManagerClient, secretId: string): CredentialsSource {
  return cached(async () => {
    const { SecretString: secret } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (secret === undefined) throw new Error(`secret ${secretId} has no string value`);
    return parseCredentials(secret, `secret ${secretId}`);
  });
}

/** Local mode: the same JSON in a file under .local/ (Secrets Manager has no local server). */
export function fileCredentials(path: string): CredentialsSource {
  return cached(async () => parseCredentials(await readFile(path, 'utf8'), path));
}

function parseCredentials(text: string, where: string): NationalSyncCredentials {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${where} is not JSON of the form {"endpoint": "https://…", "token": "…"}`);
  }
  const parsed = NationalSyncCredentialsSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${where}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
