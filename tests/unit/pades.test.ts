import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import { ContentInfo, SignedData } from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDocumentSigner } from '../../shared/adapters/local/local-signer';
import { certificateSha256, createSelfIssuedCertificate, derToPem, pemToDerChain, wardCertificateSubject } from '../../shared/documents/certificates';
import { extractCms, PdfSigningError, SIGNATURE_PLACEHOLDER_BYTES, signPdf, verifyPdfSignature, type SignPdfOptions } from '../../shared/documents/pades';
import { renderResultPdf, type ResultDocument } from '../../shared/documents/result-pdf';
import type { DocumentSigner, SigningIdentity } from '../../shared/use-cases/ports';
import { readOrCreateLocalSigningIdentity } from '../../local/signing-identity';

/**
 * The signatures are checked by two independent verifiers, poppler's `pdfsig` (NSS) and
 * `openssl cms`, not only by our own code. CI installs both; where one is missing the tests
 * fail, saying what to install, rather than pass without having checked anything.
 */
function assertToolsInstalled(): void {
  const missing = [
    ['pdfsig', ['-v'], 'poppler-utils'],
    ['openssl', ['version'], 'openssl'],
  ].filter(([tool, args]) => spawnSync(tool as string, args as string[]).error !== undefined);
  if (missing.length > 0) {
    throw new Error(`${missing.map(([tool]) => tool).join(' and ')} not on PATH: apt-get install -y ${missing.map(([, , apt]) => apt).join(' ')}`);
  }
}

const WARD = { slug: 'hoan-kiem', name: 'Phường Hoàn Kiếm', province: 'Thành phố Hà Nội' };

const DOCUMENT: ResultDocument = {
  kind: 'RESULT',
  ward: { name: WARD.name, province: WARD.province },
  documentNumber: '12/2026/XN-UBND',
  title: 'Giấy xác nhận tình trạng hôn nhân',
  content:
    'XÁC NHẬN: Bà Nguyễn Thị Phượng Hằng, sinh ngày 05 tháng 02 năm 1992, nơi cư trú: số 18 ngõ Hàng Khoai, phường Hoàn Kiếm, thành phố Hà Nội.\n\nTình trạng hôn nhân: Chưa đăng ký kết hôn với ai.',
  dossierCode: '000.00.70.H26-261122-0001',
  procedureName: 'Cấp Giấy xác nhận tình trạng hôn nhân',
  applicant: { fullName: 'Nguyễn Thị Phượng Hằng', idNumber: '001192012345' },
  issuedAt: new Date('2026-01-05T02:30:00Z'),
  signature: {
    signerName: 'Trần Văn Nam',
    signerPosition: 'KT. Chủ tịch\nPhó Chủ tịch',
    signedAt: new Date('2026-01-05T02:30:00Z'),
    organization: 'Ủy ban nhân dân Phường Hoàn Kiếm',
    authority: 'LOCAL_TEST_CA',
    certificateIssuer: 'Một Cửa Số local test CA',
  },
  verifyUrl: 'https://motcuaso.example.vn/hoan-kiem/xac-thuc/000.00.70.H26-261122-0001?ma=7F3K-9QX2',
};

/** A signer that counts its `sign` calls, around the real one. */
function countingSigner(signer: DocumentSigner): DocumentSigner & { readonly calls: number } {
  let calls = 0;
  return {
    keyId: signer.keyId,
    get calls() {
      return calls;
    },
    sign: (message) => {
      calls += 1;
      return signer.sign(message);
    },
    publicKey: () => signer.publicKey(),
  };
}

let workDirectory: string;
let identity: SigningIdentity;
let signer: ReturnType<typeof countingSigner>;
let rootCertificate: Uint8Array;
let rootPemFile: string;
let unsignedPdf: Uint8Array;
let signedPdf: Uint8Array;
/**
 * The certificate tests run against a fresh CA, so the signing time is taken once the CA exists,
 * inside its validity: whole seconds, as a signature records it.
 */
let signingTime: Date;
const options = (overrides: Partial<SignPdfOptions> = {}): SignPdfOptions => ({
  identity,
  signingTime,
  reason: 'Phê duyệt kết quả giải quyết hồ sơ 000.00.70.H26-261122-0001 (lần 1) \\ bản chính',
  location: 'Phường Hoàn Kiếm, Thành phố Hà Nội',
  signerName: 'Trần Văn Nam',
  contactInfo: 'motcua.hoankiem@hanoi.gov.vn',
  ...overrides,
});

beforeAll(async () => {
  assertToolsInstalled();
  workDirectory = mkdtempSync(join(tmpdir(), 'pades-'));
  const local = await readOrCreateLocalSigningIdentity(join(workDirectory, 'identity'), WARD);
  signingTime = new Date(Math.floor(Date.now() / 1000) * 1000);
  signer = countingSigner(local.identity.signer);
  identity = { ...local.identity, signer };
  rootCertificate = pemToDerChain(readFileSync(local.files.caCertificate, 'utf8'))[0] ?? new Uint8Array();
  rootPemFile = local.files.caCertificate;
  unsignedPdf = await renderResultPdf(DOCUMENT);
  signedPdf = await signPdf(unsignedPdf, options());
});

afterAll(() => rmSync(workDirectory, { recursive: true, force: true }));

function writeFile(name: string, bytes: Uint8Array | string): string {
  const path = join(workDirectory, name);
  writeFileSync(path, bytes);
  return path;
}

function pdfsig(pdf: Uint8Array): string {
  // -no-ocsp: no network in CI, and the local certificates name no responder anyway.
  const result = spawnSync('pdfsig', ['-no-ocsp', writeFile('pdfsig.pdf', pdf)], { encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`;
}

function opensslCmsVerify(pdf: Uint8Array): { status: number | null; output: string } {
  const { cms, signedContent } = extractCms(pdf);
  const result = spawnSync(
    'openssl',
    ['cms', '-verify', '-binary', '-inform', 'DER', '-in', writeFile('sig.der', cms), '-content', writeFile('data.bin', signedContent)].concat([
      '-CAfile',
      rootPemFile,
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ]),
    { encoding: 'utf8' },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The PDF with one byte changed inside the signed range: the tenth byte of data of its first stream (a page's or a font's). */
function tampered(pdf: Uint8Array): Uint8Array {
  const copy = Buffer.from(pdf);
  const at = copy.indexOf('stream\n') + 'stream\n'.length + 10;
  expect(at).toBeGreaterThan(20);
  expect(at).toBeLessThan(extractCmsRange(pdf).holeStart);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return new Uint8Array(copy);
}

function extractCmsRange(pdf: Uint8Array): { holeStart: number } {
  const [, , length1] = /\/ByteRange \[(\d+) (\d+)/.exec(Buffer.from(pdf).toString('latin1'))?.map(Number) ?? [];
  return { holeStart: length1 ?? 0 };
}

function signatureDictionary(document: PDFDocument): { field: PDFDict; value: PDFDict } {
  const fields = document.catalog.lookup(PDFName.of('AcroForm'), PDFDict).lookup(PDFName.of('Fields'), PDFArray);
  const field = fields.lookup(fields.size() - 1, PDFDict);
  return { field, value: field.lookup(PDFName.of('V'), PDFDict) };
}

function text(dictionary: PDFDict, key: string): string | undefined {
  const value = dictionary.lookup(PDFName.of(key));
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
}

describe('signPdf, checked by pdfsig and openssl', () => {
  it('gives a signature pdfsig finds valid, over the whole document, of type ETSI.CAdES.detached with SHA-256', () => {
    const report = pdfsig(signedPdf);

    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Total document signed');
    expect(report).toContain('Signature Type: ETSI.CAdES.detached');
    expect(report).toContain('Signing Hash Algorithm: SHA-256');
    expect(report).toContain('Signer Certificate Common Name: Phường Hoàn Kiếm');
  });

  it('gives a CMS that openssl verifies over the signed byte ranges, up to the local root', () => {
    const { status, output } = opensslCmsVerify(signedPdf);

    expect(output).toContain('Verification successful');
    expect(status).toBe(0);
  });

  it('is no longer valid for pdfsig, openssl or verifyPdfSignature once one signed byte changes', async () => {
    const altered = tampered(signedPdf);

    const report = pdfsig(altered);
    const openssl = opensslCmsVerify(altered);
    const check = await verifyPdfSignature(altered, [rootCertificate]);

    expect(report).not.toContain('Signature is Valid');
    expect(report).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);
    expect(openssl.status).not.toBe(0);
    expect(openssl.output).toMatch(/digest failure|Verification failure/);
    expect(check).toMatchObject({ present: true, coversWholeFile: true, digestMatches: false, signatureValid: true, intact: false });
  });
});

describe('signPdf', () => {
  it('asks the signer for exactly one signature per document', async () => {
    const before = signer.calls;

    await signPdf(unsignedPdf, options());
    await signPdf(unsignedPdf, options({ reason: 'Bản thứ hai' }));

    expect(signer.calls - before).toBe(2);
  });

  it('adds a signature field on page 1 whose dictionary carries the reason, location, name, contact and time, Vietnamese included', async () => {
    const document = await PDFDocument.load(signedPdf);
    const { field, value } = signatureDictionary(document);

    expect(field.lookup(PDFName.of('FT'))).toBe(PDFName.of('Sig'));
    expect(field.get(PDFName.of('P'))).toBe(document.getPage(0).ref);
    expect(document.getPage(0).node.lookup(PDFName.of('Annots'), PDFArray).asArray()).toContain(document.context.getObjectRef(field));
    expect(value.lookup(PDFName.of('SubFilter'))).toBe(PDFName.of('ETSI.CAdES.detached'));
    expect(text(value, 'Reason')).toBe(options().reason);
    expect(text(value, 'Location')).toBe('Phường Hoàn Kiếm, Thành phố Hà Nội');
    expect(text(value, 'Name')).toBe('Trần Văn Nam');
    expect(text(value, 'ContactInfo')).toBe('motcua.hoankiem@hanoi.gov.vn');
    expect(value.lookup(PDFName.of('M'), PDFString).decodeDate()).toEqual(signingTime);
  });

  it('keeps the document as rendered: same pages and metadata', async () => {
    const [before, after] = await Promise.all([PDFDocument.load(unsignedPdf, { updateMetadata: false }), PDFDocument.load(signedPdf, { updateMetadata: false })]);

    expect(after.getPageCount()).toBe(before.getPageCount());
    expect(after.getTitle()).toBe(before.getTitle());
    expect(after.getModificationDate()).toEqual(DOCUMENT.issuedAt);
  });

  it('reserves a fixed hole for the CMS and fills it with the signature, zero-padded', () => {
    const { cms } = extractCms(signedPdf);
    const text = Buffer.from(signedPdf).toString('latin1');
    const [, start1, length1, start2] = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)/.exec(text)?.map(Number) ?? [];

    expect((start2 ?? 0) - ((start1 ?? 0) + (length1 ?? 0))).toBe(2 * SIGNATURE_PLACEHOLDER_BYTES + 2);
    expect(cms.byteLength).toBeLessThan(SIGNATURE_PLACEHOLDER_BYTES / 4);
  });

  it('puts the PAdES B-B signed attributes in the CMS: content type, digest of the signed bytes, signing time and the SHA-256 of the signer certificate', () => {
    const { cms, signedContent } = extractCms(signedPdf);
    const signedData = new SignedData({ schema: ContentInfo.fromBER(cms).content });
    const attributes = new Map((signedData.signerInfos[0]?.signedAttrs?.attributes ?? []).map((attribute) => [attribute.type, attribute.values[0] as unknown]));

    const contentType = attributes.get('1.2.840.113549.1.9.3');
    const messageDigest = attributes.get('1.2.840.113549.1.9.4');
    const signingTimeValue = attributes.get('1.2.840.113549.1.9.5');
    const essCertIdV2 = firstElement(firstElement(attributes.get('1.2.840.113549.1.9.16.2.47')));
    const certificateHash = firstElement(essCertIdV2);

    expect(contentType instanceof asn1js.ObjectIdentifier && contentType.valueBlock.toString()).toBe('1.2.840.113549.1.7.1');
    expect(messageDigest instanceof asn1js.OctetString && Buffer.from(messageDigest.valueBlock.valueHexView).toString('hex')).toBe(
      createHash('sha256').update(signedContent).digest('hex'),
    );
    expect(signingTimeValue instanceof asn1js.UTCTime && signingTimeValue.toDate()).toEqual(signingTime);
    expect(certificateHash instanceof asn1js.OctetString && Buffer.from(certificateHash.valueBlock.valueHexView).toString('hex')).toBe(
      certificateSha256(identity.chain[0] ?? new Uint8Array()),
    );
    expect(signedData.certificates).toHaveLength(identity.chain.length);
    expect(signedData.encapContentInfo.eContent).toBeUndefined();
  });

  it('refuses a PDF that is signed already, without asking the signer', async () => {
    const before = signer.calls;

    await expect(signPdf(signedPdf, options())).rejects.toThrow(PdfSigningError);
    expect(signer.calls).toBe(before);
  });

  it('refuses, rather than writing a signature no one could verify, when the chain does not certify the signer key', async () => {
    const otherKey = localDocumentSigner(generateP256Pem());
    const otherCertificate = await createSelfIssuedCertificate(otherKey, wardCertificateSubject(WARD), signingTime, 1);

    await expect(signPdf(unsignedPdf, options({ identity: { ...identity, chain: [otherCertificate] } }))).rejects.toThrow(/does not certify the key/);
  });

  it('signs with a chain of the signer certificate and three 2.7 KB CA certificates, and refuses one that does not fit before asking the signer', async () => {
    const bigCertificates = largeCertificates(5);
    expect(bigCertificates.every((der) => der.byteLength >= 2_600 && der.byteLength <= 2_800)).toBe(true);
    const signerCertificate = identity.chain[0] ?? new Uint8Array();

    const fits = await signPdf(unsignedPdf, options({ identity: { ...identity, chain: [signerCertificate, ...bigCertificates.slice(0, 3)] } }));
    const before = signer.calls;
    // The refusal's expectation is attached at once: a rejection left waiting for it would be unhandled.
    const tooLarge = expect(signPdf(unsignedPdf, options({ identity: { ...identity, chain: [signerCertificate, ...bigCertificates] } }))).rejects.toThrow(
      /more than the 12288 reserved/,
    );

    expect((await verifyPdfSignature(fits)).intact).toBe(true);
    await tooLarge;
    expect(signer.calls).toBe(before);
  });
});

describe('verifyPdfSignature', () => {
  it('finds the genuine document intact, chained to the root at its signing time, and names the signer', async () => {
    const check = await verifyPdfSignature(signedPdf, [rootCertificate]);

    expect(check).toMatchObject({ present: true, coversWholeFile: true, digestMatches: true, signatureValid: true, intact: true, chainValid: true });
    expect(check.signingTime).toEqual(signingTime);
    expect(check.signerSubject).toBe('CN=Phường Hoàn Kiếm,O=Ủy ban nhân dân Phường Hoàn Kiếm,ST=Thành phố Hà Nội,C=VN');
    expect(check.signerCertificateSha256).toBe(certificateSha256(identity.chain[0] ?? new Uint8Array()));
    expect(Buffer.from(check.signerCertificate ?? []).equals(Buffer.from(identity.chain[0] ?? []))).toBe(true);
  });

  it('says nothing about the chain when no roots are given, and that it does not chain to a root it was not issued under', async () => {
    const otherSubject = { commonName: 'Một CA khác', organization: 'Khác', country: 'VN' } as const;
    const otherRoot = await createSelfIssuedCertificate(localDocumentSigner(generateP256Pem()), otherSubject, signingTime, 1);

    const withoutRoots = await verifyPdfSignature(signedPdf);
    const underOtherRoot = await verifyPdfSignature(signedPdf, [otherRoot]);

    expect(withoutRoots.chainValid).toBeUndefined();
    expect(withoutRoots.intact).toBe(true);
    expect(underOtherRoot).toMatchObject({ intact: true, chainValid: false });
  });

  it('finds no chain at a signing time outside the certificates’ validity', async () => {
    // A signature claiming to be made before the CA existed: intact, but its certificate was not valid then.
    const early = await signPdf(unsignedPdf, options({ signingTime: new Date(signingTime.getTime() - 86_400_000) }));

    expect(await verifyPdfSignature(early, [rootCertificate])).toMatchObject({ intact: true, chainValid: false });
  });

  it('finds that the signature no longer covers the whole file once bytes are appended after it', async () => {
    const appended = new Uint8Array(Buffer.concat([Buffer.from(signedPdf), Buffer.from('\n% added after signing\n')]));

    expect(await verifyPdfSignature(appended)).toMatchObject({ present: true, coversWholeFile: false, digestMatches: true, intact: false });
  });

  it('says an unsigned PDF carries no signature', async () => {
    expect(await verifyPdfSignature(unsignedPdf)).toEqual({ present: false, coversWholeFile: false, digestMatches: false, signatureValid: false, intact: false });
    expect(() => extractCms(unsignedPdf)).toThrow(/no signature/);
  });
});

describe('certificates made through the signing port, checked by openssl', () => {
  it('gives a self-issued certificate that openssl verifies as its own trust anchor', async () => {
    const self = await createSelfIssuedCertificate(identity.signer, wardCertificateSubject(WARD), signingTime, 5);
    const file = writeFile('self.pem', derToPem(self, 'CERTIFICATE'));

    const result = spawnSync('openssl', ['verify', '-x509_strict', '-CAfile', file, file], { encoding: 'utf8' });

    expect(`${result.stdout}${result.stderr}`).toContain(': OK');
    expect(result.status).toBe(0);
  });

  it('gives a self-issued certificate with which the signed document verifies, intact and chained to it', async () => {
    const self = await createSelfIssuedCertificate(identity.signer, wardCertificateSubject(WARD), new Date(signingTime.getTime() - 60_000), 5);

    const signed = await signPdf(unsignedPdf, options({ identity: { signer: identity.signer, chain: [self], authority: 'SELF_ISSUED' } }));

    expect(await verifyPdfSignature(signed, [self])).toMatchObject({ intact: true, chainValid: true });
    expect(pdfsig(signed)).toContain('Signature Validation: Signature is Valid.');
  });
});

function firstElement(value: unknown): unknown {
  return value instanceof asn1js.Sequence ? value.valueBlock.value[0] : undefined;
}

function generateP256Pem(): string {
  const result = spawnSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

/** RSA-4096 CA certificates padded to about 2.7 KB with a long subjectAltName, as some national CAs' certificates are. */
function largeCertificates(count: number): Uint8Array[] {
  const key = writeFile('big-ca.key', spawnSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096'], { encoding: 'utf8' }).stdout);
  const names = Array.from({ length: 62 }, (_, index) => `DNS:ca${index}.example.gov.vn`).join(',');
  return Array.from({ length: count }, (_, index) => {
    const result = spawnSync(
      'openssl',
      ['req', '-x509', '-key', key, '-subj', `/C=VN/O=Test national CA/CN=Test CA ${index}`, '-days', '3650', '-addext', `subjectAltName=${names}`, '-outform', 'DER'],
      { maxBuffer: 1 << 20 },
    );
    if (result.status !== 0) throw new Error(result.stderr.toString());
    return new Uint8Array(result.stdout);
  });
}
