import { derToPem, certificateSha256 } from '../../shared/documents/certificates';
import { httpRoute } from '../../shared/runtime/http';
import { signingIdentity } from '../../shared/runtime/signing';

/** The ward's public key and the certificate chain that names it, to verify documents offline. */
export const handler = httpRoute({}, async () => {
  const identity = await signingIdentity();
  const [own] = identity.chain;
  if (own === undefined) throw new Error('the signing identity has no certificate');
  return {
    status: 200,
    body: {
      keyId: identity.signer.keyId,
      algorithm: 'ECDSA_SHA_256',
      publicKeyPem: derToPem(await identity.signer.publicKey(), 'PUBLIC KEY'),
      certificateChainPem: identity.chain.map((der) => derToPem(der, 'CERTIFICATE')).join(''),
      certificateSha256: certificateSha256(own),
      authority: identity.authority,
    },
  };
});
