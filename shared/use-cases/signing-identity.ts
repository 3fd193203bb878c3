import { SELF_ISSUED_CERTIFICATE_KEY, certificateChainKey } from '../domain/archive';
import type { WardConfig } from '../domain/ward-config';
import { certificateSha256, createSelfIssuedCertificate, derToPem, pemToDerChain, samePublicKey, certificatePublicKey, wardCertificateSubject } from '../documents/certificates';
import type { Clock, DocumentArchive, DocumentSigner, SigningAuthority, SigningIdentity } from './ports';

const SELF_ISSUED_VALID_YEARS = 10;

/**
 * The ward's signing identity: its key and the certificate chain that names it.
 * - `localChainPem` (local mode): the chain of local mode's test CA.
 * - the ward configuration's `signingCertificateChainPem`: a chain issued by the ward's CA for
 *   the key (checked: its first certificate must name this very key).
 * - else a self-issued certificate, made once (one signature by the key) and kept in the archive:
 *   every function of the ward then uses that one (a conditional write decides between two made
 *   at once).
 * Every chain used is also archived under `signing/certificates/<SHA-256>.pem`, where auditors
 * find the chain each document's metadata names.
 *
 * @throws Error when the configured chain does not name the signing key (a deployment mistake)
 */
export async function resolveSigningIdentity(deps: {
  readonly signer: DocumentSigner;
  readonly archive: DocumentArchive;
  readonly ward: Pick<WardConfig, 'name' | 'province' | 'signingCertificateChainPem'>;
  readonly clock: Clock;
  readonly localChainPem?: string;
}): Promise<SigningIdentity> {
  const { signer, archive, ward } = deps;
  let chain: Uint8Array[];
  let authority: SigningAuthority;
  if (deps.localChainPem !== undefined) {
    chain = pemToDerChain(deps.localChainPem);
    authority = 'LOCAL_TEST_CA';
  } else if (ward.signingCertificateChainPem !== undefined) {
    chain = pemToDerChain(ward.signingCertificateChainPem);
    authority = 'CONFIGURED_CA';
  } else {
    chain = [await selfIssuedCertificate(deps)];
    authority = 'SELF_ISSUED';
  }
  const [own] = chain;
  if (own === undefined) throw new Error('the signing certificate chain is empty');
  if (!samePublicKey(certificatePublicKey(own), await signer.publicKey())) {
    throw new Error(`the signing certificate chain (${authority}) does not name the signing key ${signer.keyId}`);
  }
  await archive.putText(certificateChainKey(certificateSha256(own)), chain.map((der) => derToPem(der, 'CERTIFICATE')).join(''), 'application/x-pem-file');
  return { signer, chain, authority };
}

async function selfIssuedCertificate(deps: Parameters<typeof resolveSigningIdentity>[0]): Promise<Uint8Array> {
  const existing = await deps.archive.get(SELF_ISSUED_CERTIFICATE_KEY);
  if (existing !== undefined) return firstOf(Buffer.from(existing).toString('utf8'));
  const made = await createSelfIssuedCertificate(deps.signer, wardCertificateSubject(deps.ward), deps.clock.now(), SELF_ISSUED_VALID_YEARS);
  const outcome = await deps.archive.putText(SELF_ISSUED_CERTIFICATE_KEY, derToPem(made, 'CERTIFICATE'), 'application/x-pem-file');
  if (outcome === 'STORED') return made;
  // Another function made one at the same time, and its write came first: that one is the ward's.
  const winner = await deps.archive.get(SELF_ISSUED_CERTIFICATE_KEY);
  if (winner === undefined) throw new Error('the self-issued certificate is neither writable nor readable');
  return firstOf(Buffer.from(winner).toString('utf8'));
}

function firstOf(pem: string): Uint8Array {
  const [first] = pemToDerChain(pem);
  if (first === undefined) throw new Error(`${SELF_ISSUED_CERTIFICATE_KEY} holds no certificate`);
  return first;
}
