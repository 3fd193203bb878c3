import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import { createHmac } from 'node:crypto';
import type { IdHasher } from '../../use-cases/ports';

/** HMAC-SHA-256 in KMS: the key never leaves KMS, so a copy of the table cannot be reversed by brute force. */
export function kmsIdHasher(client: KMSClient, keyId: string): IdHasher {
  return {
    async hash(idNumber) {
      const result = await client.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: new TextEncoder().encode(idNumber) }));
      if (!result.Mac) throw new Error('KMS returned no MAC');
      return Buffer.from(result.Mac).toString('base64url');
    },
  };
}

/** Local mode: the same HMAC with a secret kept on the developer's machine (KMS has no local server). */
export function localIdHasher(secret: string): IdHasher {
  return {
    hash: (idNumber) => Promise.resolve(createHmac('sha256', secret).update(idNumber).digest('base64url')),
  };
}
