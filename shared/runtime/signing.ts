import { readFileSync } from 'node:fs';
import { KMSClient } from '@aws-sdk/client-kms';
import { kmsDocumentSigner } from '../adapters/kms/document-signer';
import { localDocumentSigner } from '../adapters/local/local-signer';
import { systemClock, type DocumentSigner, type SigningIdentity } from '../use-cases/ports';
import { resolveSigningIdentity } from '../use-cases/signing-identity';
import { env, required, ward } from './env';
import { tracer } from './observability';
import { documentArchive } from './s3';

/** In AWS, the ward's KMS signing key; in local mode (no KMS there), the key of local mode's test CA. */
function documentSigner(): DocumentSigner {
  if (env.SIGNING_KEY_ID) return kmsDocumentSigner(tracer.captureAWSv3Client(new KMSClient({})), env.SIGNING_KEY_ID);
  return localDocumentSigner(readFileSync(required('LOCAL_SIGNING_KEY_FILE'), 'utf8'));
}

let resolved: Promise<SigningIdentity> | undefined;

/**
 * The ward's signing identity, resolved once per execution environment, at the first document
 * (not at cold start: a function that signs nothing this time pays nothing). A failed resolution
 * is tried again by the next request.
 */
export function signingIdentity(): Promise<SigningIdentity> {
  resolved ??= resolveSigningIdentity({
    signer: documentSigner(),
    archive: documentArchive(),
    ward: env.SIGNING_CERTIFICATE_CHAIN_FILE ? { ...ward, signingCertificateChainPem: readFileSync(env.SIGNING_CERTIFICATE_CHAIN_FILE, 'utf8') } : ward,
    clock: systemClock,
    ...(env.SIGNING_KEY_ID === undefined && env.LOCAL_SIGNING_CHAIN_FILE ? { localChainPem: readFileSync(env.LOCAL_SIGNING_CHAIN_FILE, 'utf8') } : {}),
  }).catch((error: unknown) => {
    resolved = undefined;
    throw error;
  });
  return resolved;
}
