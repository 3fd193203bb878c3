import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import type { DocumentSigner } from '../../use-cases/ports';

/**
 * Local mode's stand-in for the ward's KMS signing key (KMS has no local server): an ECDSA P-256
 * private key in PEM (PKCS#8 or SEC 1) on the developer's machine, giving the same signatures
 * the KMS adapter returns (DER `Ecdsa-Sig-Value` over SHA-256 of the message). The key id is
 * `local:` and the first 16 hex digits of the SHA-256 of the public key, so a document names the
 * key it was signed with without naming a file.
 */
export function localDocumentSigner(privateKeyPem: string): DocumentSigner {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    const kind = [key.asymmetricKeyType, key.asymmetricKeyDetails?.namedCurve].filter((part) => part !== undefined).join(' ');
    throw new Error(`The local signing key must be ECDSA P-256, as the ward's KMS key is; this one is ${kind || 'of unknown type'}`);
  }
  const publicKey = new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' }));
  return {
    keyId: `local:${createHash('sha256').update(publicKey).digest('hex').slice(0, 16)}`,
    sign: (message) => Promise.resolve(new Uint8Array(sign('sha256', message, { key, dsaEncoding: 'der' }))),
    publicKey: () => Promise.resolve(publicKey.slice()),
  };
}
