import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile, writeFile as writeFileAsync } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDocumentSigner } from '../../shared/adapters/local/local-signer';
import {
  certificateCommonName,
  certificatePublicKey,
  certificateSha256,
  certificateSubject,
  createCertificateRequest,
  createSelfIssuedCertificate,
  derToPem,
  issueCertificate,
  parseCertificate,
  pemToDerChain,
  samePublicKey,
  wardCertificateSubject,
} from '../../shared/documents/certificates';
import type { DocumentSigner } from '../../shared/use-cases/ports';
import { LOCAL_CA_NAME, readOrCreateLocalSigningIdentity } from '../../local/signing-identity';

/** openssl reads back what is built here (CI installs it); without it the tests fail, saying so. */
function openssl(args: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  if (result.error !== undefined) throw new Error(`openssl is not on PATH (apt-get install -y openssl): ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const WARD = { slug: 'hoan-kiem', name: 'Phường Hoàn Kiếm', province: 'Thành phố Hà Nội' };
const SUBJECT = wardCertificateSubject(WARD);
const VALID_FROM = new Date('2026-01-05T02:30:00Z');

const p256Pem = (): string => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** A signer that records what it was asked to sign, around a local key. */
function recordingSigner(pem = p256Pem()): DocumentSigner & { readonly messages: Uint8Array[] } {
  const signer = localDocumentSigner(pem);
  const messages: Uint8Array[] = [];
  return {
    keyId: signer.keyId,
    messages,
    sign: (message) => {
      messages.push(message);
      return signer.sign(message);
    },
    publicKey: () => signer.publicKey(),
  };
}

let workDirectory: string;

beforeAll(() => {
  workDirectory = mkdtempSync(join(tmpdir(), 'certificates-'));
});

afterAll(() => rmSync(workDirectory, { recursive: true, force: true }));

function writeFile(name: string, text: string): string {
  const path = join(workDirectory, name);
  writeFileSync(path, text);
  return path;
}

function opensslText(der: Uint8Array): string {
  return openssl(['x509', '-in', writeFile('show.pem', derToPem(der, 'CERTIFICATE')), '-noout', '-text', '-nameopt', 'utf8']).output;
}

describe('createSelfIssuedCertificate', () => {
  it('certifies the signer key with one signature through the port, over the certificate body', async () => {
    const signer = recordingSigner();

    const der = await createSelfIssuedCertificate(signer, SUBJECT, VALID_FROM, 5);
    const certificate = parseCertificate(der);

    expect(signer.messages).toHaveLength(1);
    expect(Buffer.from(signer.messages[0] ?? []).equals(Buffer.from(certificate.tbsView))).toBe(true);
    expect(await certificate.verify()).toBe(true);
    expect(samePublicKey(certificatePublicKey(der), await signer.publicKey())).toBe(true);
  });

  it('is valid from the given second for whole years, for document signing, not as a CA', async () => {
    const der = await createSelfIssuedCertificate(recordingSigner(), SUBJECT, new Date('2026-01-05T02:30:00.789Z'), 5);
    const text = opensslText(der);

    expect(text).toContain('Not Before: Jan  5 02:30:00 2026 GMT');
    expect(text).toContain('Not After : Jan  5 02:30:00 2031 GMT');
    expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(text).toMatch(/Extended Key Usage:\s+E-mail Protection, 1\.3\.6\.1\.5\.5\.7\.3\.36/);
    expect(text).toContain('Subject: C=VN, ST=Thành phố Hà Nội, O=Ủy ban nhân dân Phường Hoàn Kiếm, CN=Phường Hoàn Kiếm');
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
  });

  it('is a trust anchor openssl accepts, strictly', async () => {
    const file = writeFile('self.pem', derToPem(await createSelfIssuedCertificate(recordingSigner(), SUBJECT, VALID_FROM, 5), 'CERTIFICATE'));

    const result = openssl(['verify', '-x509_strict', '-attime', String(VALID_FROM.getTime() / 1000 + 86_400), '-CAfile', file, file]);

    expect(result.output).toContain(': OK');
    expect(result.status).toBe(0);
  });

  it('takes its serial from the key and the start of validity: the same request gives the same serial, a renewal another', async () => {
    const pem = p256Pem();
    const serial = async (validFrom: Date): Promise<string> =>
      Buffer.from(parseCertificate(await createSelfIssuedCertificate(recordingSigner(pem), SUBJECT, validFrom, 5)).serialNumber.valueBlock.valueHexView).toString('hex');

    const [first, again, renewal] = await Promise.all([serial(VALID_FROM), serial(VALID_FROM), serial(new Date('2031-01-05T02:30:00Z'))]);

    expect(first).toBe(again);
    expect(renewal).not.toBe(first);
    expect(first).toMatch(/^[4-7][0-9a-f]{31}$/); // 16 bytes, positive, no leading zero byte
  });

  it('refuses a validity that is not a whole number of years', async () => {
    await expect(createSelfIssuedCertificate(recordingSigner(), SUBJECT, VALID_FROM, 0)).rejects.toThrow(RangeError);
    await expect(createSelfIssuedCertificate(recordingSigner(), SUBJECT, VALID_FROM, 1.5)).rejects.toThrow(RangeError);
  });
});

describe('createCertificateRequest', () => {
  it('gives a PKCS#10 request that openssl verifies, for the signer key, naming the ward, signed with one call', async () => {
    const signer = recordingSigner();

    const pem = await createCertificateRequest(signer, SUBJECT);
    const file = writeFile('request.pem', pem);
    const verified = openssl(['req', '-verify', '-noout', '-in', file]);
    const text = openssl(['req', '-in', file, '-noout', '-text', '-nameopt', 'utf8']).output;
    const publicKey = openssl(['req', '-in', file, '-noout', '-pubkey']).output;

    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
    expect(signer.messages).toHaveLength(1);
    expect(verified.status).toBe(0);
    expect(verified.output).toMatch(/verify OK/);
    expect(text).toContain('Subject: C=VN, ST=Thành phố Hà Nội, O=Ủy ban nhân dân Phường Hoàn Kiếm, CN=Phường Hoàn Kiếm');
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(samePublicKey(new Uint8Array(Buffer.from(publicKey.replace(/-----[^-]+-----|\s/g, ''), 'base64')), await signer.publicKey())).toBe(true);
  });
});

describe('issueCertificate', () => {
  it('issues, under a root CA, a document-signing certificate that openssl verifies up to that root', async () => {
    const ca = recordingSigner();
    const ward = recordingSigner();
    const caSubject = { commonName: 'CA thử', organization: 'Thử', country: 'VN' } as const;
    const root = await issueCertificate({ issuer: ca, subject: caSubject, subjectPublicKey: await ca.publicKey(), validFrom: VALID_FROM, validYears: 10, profile: 'ROOT_CA' });
    const leaf = await issueCertificate({
      issuer: ca,
      issuerCertificate: root,
      subject: SUBJECT,
      subjectPublicKey: await ward.publicKey(),
      validFrom: VALID_FROM,
      validYears: 5,
      profile: 'DOCUMENT_SIGNING',
    });

    const [rootFile, leafFile] = [writeFile('root.pem', derToPem(root, 'CERTIFICATE')), writeFile('leaf.pem', derToPem(leaf, 'CERTIFICATE'))];
    const result = openssl(['verify', '-x509_strict', '-attime', String(VALID_FROM.getTime() / 1000 + 60), '-CAfile', rootFile, leafFile]);

    expect(result.output).toContain(': OK');
    expect(ward.messages).toHaveLength(0);
    expect(ca.messages).toHaveLength(2);
    expect(opensslText(root)).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(opensslText(root)).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(certificateSubject(leaf)).toBe('CN=Phường Hoàn Kiếm,O=Ủy ban nhân dân Phường Hoàn Kiếm,ST=Thành phố Hà Nội,C=VN');
  });

  it('refuses to make a self-signed certificate for a key other than the one signing it', async () => {
    const issuer = recordingSigner();

    await expect(
      issueCertificate({
        issuer,
        subject: SUBJECT,
        subjectPublicKey: await recordingSigner().publicKey(),
        validFrom: VALID_FROM,
        validYears: 1,
        profile: 'DOCUMENT_SIGNING',
      }),
    ).rejects.toThrow(/self-signed/);
    expect(issuer.messages).toHaveLength(0);
  });
});

describe('reading certificates', () => {
  it('reads every certificate of a PEM bundle in order, and refuses text without one', async () => {
    const [first, second] = await Promise.all([
      createSelfIssuedCertificate(recordingSigner(), SUBJECT, VALID_FROM, 1),
      createSelfIssuedCertificate(recordingSigner(), { ...SUBJECT, commonName: 'Phường Cửa Nam' }, VALID_FROM, 1),
    ]);

    const chain = pemToDerChain(`subject=…\n${derToPem(first, 'CERTIFICATE')}\n${derToPem(second, 'CERTIFICATE')}`);

    expect(chain.map(certificateCommonName)).toEqual(['Phường Hoàn Kiếm', 'Phường Cửa Nam']);
    expect(() => pemToDerChain('no certificate here')).toThrow(/BEGIN CERTIFICATE/);
    expect(() => pemToDerChain('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow(/Not a DER X.509 certificate/);
  });

  it('writes PEM in 64-character lines that openssl reads, and a fingerprint equal to openssl’s', async () => {
    const der = await createSelfIssuedCertificate(recordingSigner(), SUBJECT, VALID_FROM, 1);
    const pem = derToPem(der, 'CERTIFICATE');

    const fingerprint = openssl(['x509', '-in', writeFile('fingerprint.pem', pem), '-noout', '-fingerprint', '-sha256']).output;

    expect(
      pem
        .split('\n')
        .slice(1, -3)
        .every((line) => line.length === 64),
    ).toBe(true);
    expect(fingerprint.trim().split('=')[1]?.replaceAll(':', '').toLowerCase()).toBe(certificateSha256(der));
  });

  it('writes the subject as RFC 4514 text, most specific first, escaping the characters that need it', async () => {
    const subject = { commonName: ' Phường 1', organization: 'UBND, "Phường 1" + tổ; <thử>', country: 'VN' } as const;
    const der = await createSelfIssuedCertificate(recordingSigner(), subject, VALID_FROM, 1);

    expect(certificateSubject(der)).toBe('CN=Phường 1,O=UBND\\, \\"Phường 1\\" \\+ tổ\\; \\<thử\\>,C=VN');
  });

  it('tells whether two public keys are the same key', async () => {
    const signer = recordingSigner();
    const der = await createSelfIssuedCertificate(signer, SUBJECT, VALID_FROM, 1);

    expect(samePublicKey(certificatePublicKey(der), await signer.publicKey())).toBe(true);
    expect(samePublicKey(certificatePublicKey(der), await recordingSigner().publicKey())).toBe(false);
  });
});

describe('localDocumentSigner', () => {
  it('signs ECDSA P-256 over SHA-256, DER-encoded, and names its key by the hash of the public key', async () => {
    const pem = p256Pem();
    const signer = localDocumentSigner(pem);
    const message = new TextEncoder().encode('Một Cửa Số');

    const signature = await signer.sign(message);

    expect(signer.keyId).toMatch(/^local:[0-9a-f]{16}$/);
    expect(localDocumentSigner(pem).keyId).toBe(signer.keyId);
    expect(signature[0]).toBe(0x30);
    expect(verify('sha256', message, { key: Buffer.from(await signer.publicKey()), format: 'der', type: 'spki', dsaEncoding: 'der' }, signature)).toBe(true);
  });

  it('refuses a key that is not P-256, as the ward key in KMS is', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

    expect(() => localDocumentSigner(rsa)).toThrow(/P-256/);
    expect(() => localDocumentSigner(p384)).toThrow(/P-256/);
  });
});

describe('readOrCreateLocalSigningIdentity', () => {
  it('creates a CA and the ward key with its certificate once, keys readable by the owner only, then reuses them', async () => {
    const directory = join(workDirectory, 'identity-once');

    const created = await readOrCreateLocalSigningIdentity(directory, WARD);
    const reused = await readOrCreateLocalSigningIdentity(directory, WARD);

    expect(reused.identity.signer.keyId).toBe(created.identity.signer.keyId);
    expect(reused.identity.chain.map(certificateSha256)).toEqual(created.identity.chain.map(certificateSha256));
    expect(created.identity.authority).toBe('LOCAL_TEST_CA');
    expect(statSync(created.files.signingKey).mode & 0o777).toBe(0o600);
    expect(statSync(created.files.caKey).mode & 0o777).toBe(0o600);
    expect(created.identity.chain.map(certificateCommonName)).toEqual(['Phường Hoàn Kiếm', LOCAL_CA_NAME]);
    expect(pemToDerChain(await readFile(created.files.chain, 'utf8')).map(certificateSha256)).toEqual(created.identity.chain.map(certificateSha256));
  });

  it('gives one identity to two processes that start at once', async () => {
    const directory = join(workDirectory, 'identity-race');

    const [first, second] = await Promise.all([readOrCreateLocalSigningIdentity(directory, WARD), readOrCreateLocalSigningIdentity(directory, WARD)]);

    expect(second.identity.signer.keyId).toBe(first.identity.signer.keyId);
    expect(second.identity.chain.map(certificateSha256)).toEqual(first.identity.chain.map(certificateSha256));
  });

  it('issues the ward certificate for five years under a ten-year CA, both of which openssl verifies', async () => {
    const { files } = await readOrCreateLocalSigningIdentity(join(workDirectory, 'identity-openssl'), WARD, VALID_FROM);

    const attime = String(VALID_FROM.getTime() / 1000 + 60);
    const result = openssl(['verify', '-x509_strict', '-purpose', 'smimesign', '-attime', attime, '-CAfile', files.caCertificate, files.signingCertificate]);
    const leaf = openssl(['x509', '-in', files.signingCertificate, '-noout', '-dates']).output;
    const root = openssl(['x509', '-in', files.caCertificate, '-noout', '-dates']).output;

    expect(result.output).toContain(': OK');
    expect(leaf).toContain('notAfter=Jan  5 02:30:00 2031 GMT');
    expect(root).toContain('notAfter=Jan  5 02:30:00 2036 GMT');
  });

  it('refuses a certificate that does not certify the key beside it, saying what to delete', async () => {
    const directory = join(workDirectory, 'identity-mismatch');
    const { files } = await readOrCreateLocalSigningIdentity(directory, WARD);
    await writeFileAsync(files.signingKey, p256Pem());

    await expect(readOrCreateLocalSigningIdentity(directory, WARD)).rejects.toThrow(/does not certify.*delete/);
  });
});
