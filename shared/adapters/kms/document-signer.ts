import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { createHash } from 'node:crypto';
import type { DocumentSigner } from '../../use-cases/ports';

/** The alias of a ward's signing key in KMS, for the stack that creates it and the tools that name it. */
export const wardSigningKeyAlias = (wardSlug: string): string => `alias/mot-cua-so/${wardSlug}/signing`;

/**
 * The ward's signing key in KMS (an asymmetric `ECC_NIST_P256` key with usage `SIGN_VERIFY`):
 * the private key never leaves KMS. The message is hashed here and KMS signs the digest
 * (`MessageType: 'DIGEST'`), so a large document costs one small request, under KMS's 4 KB
 * message limit. KMS returns the signature DER-encoded, as the port asks.
 *
 * `keyId` is recorded with each signature: give the key ARN (as the stack does), not an alias,
 * so that the record still names the key if the alias moves to another.
 *
 * The public key is read once per instance (GetPublicKey), and checked to be a P-256 signing key:
 * a key of another kind would otherwise surface only as documents no one can verify.
 */
export function kmsDocumentSigner(client: KMSClient, keyId: string): DocumentSigner {
  let publicKey: Promise<Uint8Array> | undefined;
  return {
    keyId,
    async sign(message) {
      const result = await client.send(
        new SignCommand({
          KeyId: keyId,
          Message: createHash('sha256').update(message).digest(),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
      if (!result.Signature) throw new Error(`KMS returned no signature for key ${keyId}`);
      return result.Signature;
    },
    async publicKey() {
      publicKey ??= readPublicKey(client, keyId).catch((error: unknown) => {
        // Not cached: a throttled or failed call is retried by the next caller.
        publicKey = undefined;
        throw error;
      });
      return (await publicKey).slice();
    },
  };
}

async function readPublicKey(client: KMSClient, keyId: string): Promise<Uint8Array> {
  const result = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
  if (result.KeySpec !== 'ECC_NIST_P256' || result.KeyUsage !== 'SIGN_VERIFY') {
    const kind = `${result.KeySpec ?? 'of unknown spec'} for ${result.KeyUsage ?? 'unknown usage'}`;
    throw new Error(`KMS key ${keyId} is ${kind}; documents are signed with an ECC_NIST_P256 SIGN_VERIFY key`);
  }
  if (!result.PublicKey) throw new Error(`KMS returned no public key for key ${keyId}`);
  return result.PublicKey;
}
