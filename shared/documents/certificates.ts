/**
 * X.509 for the ward's signing key: the self-issued certificate (until a CA certifies the key),
 * the PKCS#10 request a CA needs to certify it, local mode's test CA, and the few facts about a
 * certificate the rest of the code reads (subject, fingerprint, public key).
 *
 * Everything is built with pkijs, but never signed by it: pkijs signs with a WebCrypto private
 * key, and the ward's key lives in KMS. So each structure's to-be-signed part is encoded here,
 * signed once through the {@link DocumentSigner} port (ECDSA P-256 over SHA-256, returned DER
 * `Ecdsa-Sig-Value`, which is exactly what X.509 and PKCS#10 carry), and assembled.
 *
 * Serial numbers are derived from the subject's public key and the start of validity, so the same
 * request gives the same certificate, and two certificates for one key never share a serial.
 */
import { createHash, createPublicKey } from 'node:crypto';
import * as asn1js from 'asn1js';
import {
  AlgorithmIdentifier,
  Attribute,
  AttributeTypeAndValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  CertificationRequest,
  ExtKeyUsage,
  Extension,
  Extensions,
  PublicKeyInfo,
  RelativeDistinguishedNames,
  Time,
  TimeType,
} from 'pkijs';
import type { DocumentSigner } from '../use-cases/ports';

/** Who a certificate names. Vietnamese text goes in UTF8String; the country is the ISO code. */
export interface CertificateSubject {
  /** e.g. `Phường Hoàn Kiếm`. */
  readonly commonName: string;
  /** e.g. `Ủy ban nhân dân Phường Hoàn Kiếm`. */
  readonly organization: string;
  /** e.g. `Thành phố Hà Nội`. */
  readonly province?: string;
  readonly country: 'VN';
}

/**
 * What a certificate is for. `DOCUMENT_SIGNING`: the ward's key, issued by a CA (not a CA itself,
 * signs documents with non-repudiation). `ROOT_CA`: a self-signed root that certifies only
 * end-entity keys (local mode's test CA).
 */
export type CertificateProfile = 'DOCUMENT_SIGNING' | 'ROOT_CA';

/** The subject of a ward's signing certificate: the ward as common name, its People's Committee as organisation. */
export function wardCertificateSubject(ward: { readonly name: string; readonly province: string }): CertificateSubject {
  return { commonName: ward.name, organization: `Ủy ban nhân dân ${ward.name}`, province: ward.province, country: 'VN' };
}

// ---------------------------------------------------------------------------------------------
// Object identifiers

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const OID = {
  commonName: '2.5.4.3',
  country: '2.5.4.6',
  province: '2.5.4.8',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  authorityKeyIdentifier: '2.5.29.35',
  extensionRequest: '1.2.840.113549.1.9.14',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  /** id-kp-documentSigning (RFC 9336). */
  documentSigning: '1.3.6.1.5.5.7.3.36',
} as const;

/** Short names of RFC 4514 and those Vietnamese CAs put in subjects (UID carries "MST:…"/"CCCD:…"). */
const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'GN',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
};

/** KeyUsage bit positions (RFC 5280 §4.2.1.3). */
const KEY_USAGE_BITS = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 } as const;

// ---------------------------------------------------------------------------------------------
// Building and signing through the port

/**
 * The ward certifies its own key: a self-signed document-signing certificate (not a CA), valid
 * `validYears` from `validFrom`. It has no legal value as a digital signature (Decree 23/2025),
 * which the documents say plainly; it lets anyone check that a document is intact and was signed
 * by the key the ward publishes. One `sign` call.
 */
export async function createSelfIssuedCertificate(signer: DocumentSigner, subject: CertificateSubject, validFrom: Date, validYears: number): Promise<Uint8Array> {
  return issueCertificate({ issuer: signer, subject, subjectPublicKey: await signer.publicKey(), validFrom, validYears, profile: 'DOCUMENT_SIGNING' });
}

export interface IssueCertificateOptions {
  /** The key that signs the certificate: the CA's, or the subject's own for a self-signed one. */
  readonly issuer: DocumentSigner;
  /** The issuer's certificate; absent for a self-signed certificate (issuer = subject). */
  readonly issuerCertificate?: Uint8Array;
  readonly subject: CertificateSubject;
  /** DER SubjectPublicKeyInfo of the key being certified. */
  readonly subjectPublicKey: Uint8Array;
  readonly validFrom: Date;
  readonly validYears: number;
  readonly profile: CertificateProfile;
}

/**
 * A certificate signed by `issuer` (one `sign` call), with subject and authority key identifiers
 * so that verifiers find the issuer by key, not only by name. The issuer's key must be ECDSA P-256.
 */
export async function issueCertificate(options: IssueCertificateOptions): Promise<Uint8Array> {
  if (!Number.isInteger(options.validYears) || options.validYears < 1) {
    throw new RangeError(`validYears must be a whole number of years ≥ 1, not ${options.validYears}`);
  }
  const subjectPublicKey = parseSubjectPublicKeyInfo(options.subjectPublicKey);
  const subject = distinguishedName(options.subject);
  const issuer = options.issuerCertificate === undefined ? undefined : parseCertificate(options.issuerCertificate);
  if (issuer === undefined && !samePublicKey(options.subjectPublicKey, await options.issuer.publicKey())) {
    throw new Error('A certificate without an issuer certificate is self-signed: the issuer key must be the subject key');
  }
  const notBefore = wholeSeconds(options.validFrom);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + options.validYears);

  const subjectKeyId = keyIdentifier(subjectPublicKey);
  const authorityKeyId = issuer === undefined ? subjectKeyId : (subjectKeyIdentifierOf(issuer) ?? keyIdentifier(issuer.subjectPublicKeyInfo));
  const certificate = new Certificate({
    version: 2,
    serialNumber: serialNumberFor(options.subjectPublicKey, notBefore),
    signature: ecdsaWithSha256(),
    issuer: issuer === undefined ? subject : issuer.subject,
    notBefore: certificateTime(notBefore),
    notAfter: certificateTime(notAfter),
    subject,
    subjectPublicKeyInfo: subjectPublicKey,
    extensions: [
      ...profileExtensions(options.profile),
      extension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: subjectKeyId })),
      extension(OID.authorityKeyIdentifier, false, authorityKeyIdentifier(authorityKeyId)),
    ],
  });
  certificate.signatureAlgorithm = ecdsaWithSha256();
  certificate.tbsView = new Uint8Array(certificate.encodeTBS().toBER());
  certificate.signatureValue = new asn1js.BitString({ valueHex: await options.issuer.sign(certificate.tbsView) });
  return new Uint8Array(certificate.toSchema().toBER());
}

/**
 * A PKCS#10 request for the signer's key (PEM), signed through the port (one `sign` call), to
 * send to the official-use CA or a licensed CA. It asks for the document-signing key usages; the
 * CA decides what it certifies.
 */
export async function createCertificateRequest(signer: DocumentSigner, subject: CertificateSubject): Promise<string> {
  const request = new CertificationRequest({
    version: 0,
    subject: distinguishedName(subject),
    subjectPublicKeyInfo: parseSubjectPublicKeyInfo(await signer.publicKey()),
    attributes: [new Attribute({ type: OID.extensionRequest, values: [new Extensions({ extensions: profileExtensions('DOCUMENT_SIGNING') }).toSchema()] })],
  });
  request.signatureAlgorithm = ecdsaWithSha256();
  // pkijs keeps CertificationRequest.encodeTBS protected; the full encoding's first element is the same.
  const [requestInfo] = request.toSchema(true).valueBlock.value;
  if (requestInfo === undefined) throw new Error('pkijs encoded no CertificationRequestInfo');
  request.tbsView = new Uint8Array(requestInfo.toBER());
  request.signatureValue = new asn1js.BitString({ valueHex: await signer.sign(request.tbsView) });
  return derToPem(new Uint8Array(request.toSchema().toBER()), 'CERTIFICATE REQUEST');
}

function profileExtensions(profile: CertificateProfile): Extension[] {
  switch (profile) {
    case 'ROOT_CA':
      return [
        extension(OID.basicConstraints, true, new BasicConstraints({ cA: true, pathLenConstraint: 0 }).toSchema()),
        extension(OID.keyUsage, true, keyUsage(['keyCertSign', 'cRLSign'])),
      ];
    case 'DOCUMENT_SIGNING':
      // emailProtection is what NSS (poppler's pdfsig) and Adobe accept for a PDF signer;
      // documentSigning is the purpose RFC 9336 defines for it.
      return [
        extension(OID.basicConstraints, true, new BasicConstraints({ cA: false }).toSchema()),
        extension(OID.keyUsage, true, keyUsage(['digitalSignature', 'nonRepudiation'])),
        extension(OID.extKeyUsage, false, new ExtKeyUsage({ keyPurposes: [OID.emailProtection, OID.documentSigning] }).toSchema()),
      ];
  }
}

function authorityKeyIdentifier(keyId: Uint8Array): asn1js.Sequence {
  return new AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: keyId }) }).toSchema();
}

function extension(extnID: string, critical: boolean, value: asn1js.AsnType): Extension {
  return new Extension({ extnID, critical, extnValue: value.toBER() });
}

/** A KeyUsage BIT STRING in DER: named bits, trailing zero bits dropped. */
function keyUsage(usages: readonly (keyof typeof KEY_USAGE_BITS)[]): asn1js.BitString {
  const bits = usages.map((usage) => KEY_USAGE_BITS[usage]);
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  return new asn1js.BitString({ valueHex: bytes, unusedBits: 7 - (highest & 7) });
}

function distinguishedName(subject: CertificateSubject): RelativeDistinguishedNames {
  const utf8 = (text: string): asn1js.Utf8String => new asn1js.Utf8String({ value: text.normalize('NFC').trim() });
  // Most general first, as a directory reads it: C, ST, O, CN.
  const attributes = [
    new AttributeTypeAndValue({ type: OID.country, value: new asn1js.PrintableString({ value: subject.country }) }),
    ...(subject.province === undefined ? [] : [new AttributeTypeAndValue({ type: OID.province, value: utf8(subject.province) })]),
    new AttributeTypeAndValue({ type: OID.organization, value: utf8(subject.organization) }),
    new AttributeTypeAndValue({ type: OID.commonName, value: utf8(subject.commonName) }),
  ];
  // One attribute per RDN. pkijs would put them all in one multi-valued RDN ("C=VN+ST=…+CN=…"), which
  // verifiers show as one odd name; parsed from this encoding, it keeps and re-encodes it as it is.
  const name = new asn1js.Sequence({ value: attributes.map((attribute) => new asn1js.Set({ value: [attribute.toSchema()] })) });
  return RelativeDistinguishedNames.fromBER(name.toBER());
}

/** RFC 5280: UTCTime through 2049, GeneralizedTime from 2050. */
function certificateTime(date: Date): Time {
  return new Time({ type: date.getUTCFullYear() < 2050 ? TimeType.UTCTime : TimeType.GeneralizedTime, value: date });
}

/** ecdsa-with-SHA256, parameters absent (RFC 5758 §3.2). */
function ecdsaWithSha256(): AlgorithmIdentifier {
  return new AlgorithmIdentifier({ algorithmId: ECDSA_WITH_SHA256 });
}

/** A positive 16-byte serial from the key and the start of validity (RFC 5280 allows up to 20 bytes). */
function serialNumberFor(subjectPublicKey: Uint8Array, notBefore: Date): asn1js.Integer {
  const digest = createHash('sha256').update(subjectPublicKey).update(notBefore.toISOString()).digest().subarray(0, 16);
  // Top bit clear (positive) and the next one set, so the DER integer is exactly 16 bytes, never padded or shortened.
  digest[0] = ((digest[0] ?? 0) & 0x7f) | 0x40;
  return new asn1js.Integer({ valueHex: digest });
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(publicKey: PublicKeyInfo): Uint8Array {
  return createHash('sha1').update(publicKey.subjectPublicKey.valueBlock.valueHexView).digest();
}

function subjectKeyIdentifierOf(certificate: Certificate): Uint8Array | undefined {
  const found = certificate.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
  if (found === undefined) return undefined;
  const parsed = asn1js.fromBER(found.extnValue.valueBlock.valueHexView);
  return parsed.result instanceof asn1js.OctetString ? new Uint8Array(parsed.result.valueBlock.valueHexView) : undefined;
}

const wholeSeconds = (date: Date): Date => new Date(Math.floor(date.getTime() / 1000) * 1000);

// ---------------------------------------------------------------------------------------------
// Reading certificates

/** Parses a DER certificate; throws a plain message (not an ASN.1 trace) when it is not one. */
export function parseCertificate(der: Uint8Array): Certificate {
  try {
    return Certificate.fromBER(der);
  } catch (error) {
    throw new Error(`Not a DER X.509 certificate: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function parseSubjectPublicKeyInfo(der: Uint8Array): PublicKeyInfo {
  try {
    return PublicKeyInfo.fromBER(der);
  } catch (error) {
    throw new Error(`Not a DER SubjectPublicKeyInfo: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** Every certificate of a PEM bundle, in file order (a chain file lists the signer first). */
export function pemToDerChain(pem: string): Uint8Array[] {
  const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  if (blocks.length === 0) throw new Error('No "BEGIN CERTIFICATE" block in the PEM text');
  return blocks.map((block) => {
    const der = new Uint8Array(Buffer.from((block[1] ?? '').replace(/\s+/g, ''), 'base64'));
    parseCertificate(der);
    return der;
  });
}

/** PEM with 64-character lines (RFC 7468). */
export function derToPem(der: Uint8Array, label: string): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The SHA-256 fingerprint of a DER certificate, lower-case hex (what `openssl x509 -fingerprint -sha256` shows, without colons). */
export function certificateSha256(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/**
 * The subject as RFC 4514 text, most specific first:
 * `CN=Phường Hoàn Kiếm,O=Ủy ban nhân dân Phường Hoàn Kiếm,ST=Thành phố Hà Nội,C=VN`.
 */
export function certificateSubject(der: Uint8Array): string {
  return distinguishedNameText(parseCertificate(der).subject);
}

/** The certificate's common name, or its whole subject when it has none. */
export function certificateCommonName(der: Uint8Array): string {
  const subject = parseCertificate(der).subject;
  const commonName = subject.typesAndValues.find((attribute) => attribute.type === OID.commonName);
  return (commonName === undefined ? undefined : stringValueOf(commonName)) ?? distinguishedNameText(subject);
}

/** The certified key, DER SubjectPublicKeyInfo. */
export function certificatePublicKey(der: Uint8Array): Uint8Array {
  return new Uint8Array(parseCertificate(der).subjectPublicKeyInfo.toSchema().toBER());
}

/** Whether two DER SubjectPublicKeyInfo name the same key (whatever their point encoding). */
export function samePublicKey(a: Uint8Array, b: Uint8Array): boolean {
  const key = (der: Uint8Array) => createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  return key(a).equals(key(b));
}

function distinguishedNameText(name: RelativeDistinguishedNames): string {
  return [...name.typesAndValues]
    .reverse()
    .map((attribute) => {
      const text = stringValueOf(attribute);
      // RFC 4514 §2.4: a value that is not a string is written as '#' and its BER in hex.
      const value = text === undefined ? `#${Buffer.from(attribute.value.toBER()).toString('hex')}` : escapeAttributeValue(text);
      return `${ATTRIBUTE_NAMES[attribute.type] ?? attribute.type}=${value}`;
    })
    .join(',');
}

function stringValueOf(attribute: AttributeTypeAndValue): string | undefined {
  const value: unknown = attribute.value.valueBlock.value;
  return typeof value === 'string' ? value : undefined;
}

/** RFC 4514 §2.4: escape the special characters, a leading '#' or space and a trailing space. */
function escapeAttributeValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (character) => `\\${character}`)
    .replace(/^[ #]/, (character) => `\\${character}`)
    .replace(/ $/, '\\ ');
}
