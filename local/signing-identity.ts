/**
 * Local mode's signing identity: a test CA of its own and the ward's P-256 key with a
 * certificate that CA issues, so that `npm start` signs documents as the deployed ward does (the
 * same PAdES signature, a chain a verifier can check) without KMS or a real CA. Documents signed
 * this way say `LOCAL_TEST_CA`: nobody outside this machine trusts that CA.
 *
 * Files, all PEM, in one folder per ward (`.local/signing/<slug>/` under `npm start`):
 * `ca-key.pem` and `signing-key.pem` (PKCS#8, mode 600), `ca-certificate.pem`,
 * `signing-certificate.pem` and `chain.pem` (signing certificate, then CA: the chain a verifier
 * or `openssl cms -verify -CAfile ca-certificate.pem` needs). They are created once, then reused,
 * so that documents signed in earlier runs keep verifying with the same CA.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { localDocumentSigner } from '../shared/adapters/local/local-signer';
import {
  certificatePublicKey,
  derToPem,
  issueCertificate,
  parseCertificate,
  pemToDerChain,
  samePublicKey,
  wardCertificateSubject,
  type CertificateSubject,
} from '../shared/documents/certificates';
import type { SigningIdentity } from '../shared/use-cases/ports';

/** The local CA's name; "test" because that is all it is good for. */
export const LOCAL_CA_NAME = 'Một Cửa Số local test CA';
const CA_VALID_YEARS = 10;
const SIGNING_CERTIFICATE_VALID_YEARS = 5;

const FILE_NAMES = {
  caKey: 'ca-key.pem',
  caCertificate: 'ca-certificate.pem',
  signingKey: 'signing-key.pem',
  signingCertificate: 'signing-certificate.pem',
  chain: 'chain.pem',
} as const;

/** Paths of the identity's files. */
export type LocalSigningFiles = { readonly [name in keyof typeof FILE_NAMES]: string };

export interface LocalWardIdentity {
  readonly slug: string;
  readonly name: string;
  readonly province: string;
}

/** Where `npm start` and `npm run signing -- csr --local` keep a ward's local signing files. */
export function localSigningDirectory(projectDirectory: string, wardSlug: string): string {
  return join(projectDirectory, '.local', 'signing', wardSlug);
}

/**
 * The ward's local signing identity from `directory`, created there on first use. Creation is
 * atomic: everything is written to a sibling folder that is then renamed into place, so two
 * processes starting at once end up with one identity (the loser reads the winner's).
 */
export async function readOrCreateLocalSigningIdentity(
  directory: string,
  ward: LocalWardIdentity,
  now: Date = new Date(),
): Promise<{ identity: SigningIdentity; files: LocalSigningFiles }> {
  const files = filesIn(directory);
  try {
    return { identity: await readIdentity(files, now), files };
  } catch (error) {
    if (!isErrorCode(error, 'ENOENT')) throw error;
  }
  const staging = `${directory}.${randomUUID()}.tmp`;
  await mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    await writeIdentity(filesIn(staging), ward, now);
    await mkdir(dirname(directory), { recursive: true });
    await rename(staging, directory);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Another process created it first (or the folder holds something): use what is there.
    if (!isErrorCode(error, 'ENOTEMPTY') && !isErrorCode(error, 'EEXIST')) throw error;
  }
  try {
    return { identity: await readIdentity(files, now), files };
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) {
      throw new Error(`${directory} holds an incomplete local signing identity; delete it to create a new one`, { cause: error });
    }
    throw error;
  }
}

function filesIn(directory: string): LocalSigningFiles {
  return {
    caKey: join(directory, FILE_NAMES.caKey),
    caCertificate: join(directory, FILE_NAMES.caCertificate),
    signingKey: join(directory, FILE_NAMES.signingKey),
    signingCertificate: join(directory, FILE_NAMES.signingCertificate),
    chain: join(directory, FILE_NAMES.chain),
  };
}

async function writeIdentity(files: LocalSigningFiles, ward: LocalWardIdentity, now: Date): Promise<void> {
  const caKeyPem = newP256KeyPem();
  const signingKeyPem = newP256KeyPem();
  const caSigner = localDocumentSigner(caKeyPem);
  const caSubject: CertificateSubject = { commonName: LOCAL_CA_NAME, organization: 'Một Cửa Số (local mode)', country: 'VN' };
  const caCertificate = await issueCertificate({
    issuer: caSigner,
    subject: caSubject,
    subjectPublicKey: await caSigner.publicKey(),
    validFrom: now,
    validYears: CA_VALID_YEARS,
    profile: 'ROOT_CA',
  });
  const signingCertificate = await issueCertificate({
    issuer: caSigner,
    issuerCertificate: caCertificate,
    subject: wardCertificateSubject(ward),
    subjectPublicKey: await localDocumentSigner(signingKeyPem).publicKey(),
    validFrom: now,
    validYears: SIGNING_CERTIFICATE_VALID_YEARS,
    profile: 'DOCUMENT_SIGNING',
  });
  const signingCertificatePem = derToPem(signingCertificate, 'CERTIFICATE');
  const caCertificatePem = derToPem(caCertificate, 'CERTIFICATE');
  await Promise.all([
    writeFile(files.caKey, caKeyPem, { mode: 0o600 }),
    writeFile(files.signingKey, signingKeyPem, { mode: 0o600 }),
    writeFile(files.caCertificate, caCertificatePem),
    writeFile(files.signingCertificate, signingCertificatePem),
    writeFile(files.chain, signingCertificatePem + caCertificatePem),
  ]);
}

async function readIdentity(files: LocalSigningFiles, now: Date): Promise<SigningIdentity> {
  const [signingKeyPem, signingCertificatePem, caCertificatePem] = await Promise.all([
    readFile(files.signingKey, 'utf8'),
    readFile(files.signingCertificate, 'utf8'),
    readFile(files.caCertificate, 'utf8'),
  ]);
  const signer = localDocumentSigner(signingKeyPem);
  const chain = [...pemToDerChain(signingCertificatePem), ...pemToDerChain(caCertificatePem)];
  const [certificate] = chain;
  const folder = dirname(files.signingKey);
  if (certificate === undefined || !samePublicKey(certificatePublicKey(certificate), await signer.publicKey())) {
    throw new Error(`${files.signingCertificate} does not certify ${files.signingKey}; delete ${folder} to create a new local signing identity`);
  }
  if (parseCertificate(certificate).notAfter.value < now) {
    throw new Error(`The local signing certificate in ${folder} has expired; delete the folder to create a new one (documents signed before stay signed)`);
  }
  return { signer, chain, authority: 'LOCAL_TEST_CA' };
}

function newP256KeyPem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function isErrorCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
