/**
 * The ward's signature inside a PDF (domain.md, "Signatures"): PAdES baseline B-B, i.e. a CMS
 * SignedData (detached, SubFilter `ETSI.CAdES.detached`) over the whole file but the signature
 * itself, ECDSA P-256 with SHA-256, made by the ward's key through the {@link DocumentSigner}
 * port (KMS in AWS), with the certificate chain that names the key.
 *
 * How: pdf-lib adds a signature field to page 1 (an invisible widget: the visible block, with the
 * approving leader's name, is drawn by the page renderer) whose signature dictionary has a
 * zero-filled /Contents hole; @signpdf/signpdf fixes the /ByteRange around that hole and hands
 * the bytes to {@link PortCmsSigner}, which builds the CMS with pkijs and asks the port for one
 * signature; the CMS, hex-encoded, fills the hole.
 *
 * The CMS carries the signed attributes PAdES B-B asks for: content-type (id-data), message-digest
 * (SHA-256 of the signed bytes), signing-time, and ESS signing-certificate-v2 (the SHA-256 of the
 * signer's certificate, so that the certificate cannot be swapped for another on the same key),
 * and every certificate of the chain. No timestamp, no revocation data: those are B-T and B-LT.
 *
 * Size: the hole holds {@link SIGNATURE_PLACEHOLDER_BYTES} (12 KiB) of CMS, 24 KiB of hex in the
 * file. Attributes, signer info and signature take well under 1 KiB, which leaves about 11 KiB
 * for the chain: four certificates of up to 2.7 KB each (a P-256 certificate is about 0.6 KB, an
 * RSA-4096 CA certificate about 1.5–2 KB). A chain that does not fit is refused before the key is
 * asked to sign.
 *
 * Verification ({@link verifyPdfSignature}) reads the last signature back: whether its byte range
 * covers the whole file, the digest, the signature with the embedded certificate and, given
 * trusted roots, the chain at the signing time. It checks no revocation (B-B carries none).
 */
import { createHash, verify as verifySignature } from 'node:crypto';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import * as asn1js from 'asn1js';
import { PDFDocument } from 'pdf-lib';
import {
  AlgorithmIdentifier,
  Attribute,
  Certificate,
  CertificateChainValidationEngine,
  ContentInfo,
  EncapsulatedContentInfo,
  GeneralName,
  GeneralNames,
  getCrypto,
  IssuerAndSerialNumber,
  IssuerSerial,
  SignedAndUnsignedAttributes,
  SignedData,
  SignerInfo,
} from 'pkijs';
import type { SigningIdentity } from '../use-cases/ports';
import { certificateSha256, certificateSubject, parseCertificate } from './certificates';

/** Bytes of CMS the signature field holds (twice that in hex in the file); see the module comment for the chain it allows. */
export const SIGNATURE_PLACEHOLDER_BYTES = 12_288;

/** The longest DER ECDSA P-256 signature: SEQUENCE of two INTEGERs of up to 33 bytes. */
const MAX_SIGNATURE_BYTES = 72;

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

/** Digest algorithms a verifier meets in others' PDFs, by OID, with Node's and WebCrypto's names. */
const DIGESTS: Readonly<Record<string, { node: string; webCrypto: string }>> = {
  [OID.sha256]: { node: 'sha256', webCrypto: 'SHA-256' },
  '2.16.840.1.101.3.4.2.2': { node: 'sha384', webCrypto: 'SHA-384' },
  '2.16.840.1.101.3.4.2.3': { node: 'sha512', webCrypto: 'SHA-512' },
};

export interface SignPdfOptions {
  readonly identity: SigningIdentity;
  /** Goes into the CMS signing-time and the signature dictionary's /M, to the second. */
  readonly signingTime: Date;
  /** /Reason, e.g. `Phê duyệt kết quả giải quyết hồ sơ 000.00.70.H26-261122-0001`. */
  readonly reason: string;
  /** /Location, e.g. `Phường Hoàn Kiếm, Thành phố Hà Nội`. */
  readonly location: string;
  /** /Name: who signs, as a reader's signature panel shows it (the ward, or the approving leader). */
  readonly signerName: string;
  readonly contactInfo?: string;
}

/** Thrown when a PDF cannot be signed as asked; nothing was signed. */
export class PdfSigningError extends Error {
  readonly code = 'PDF_SIGNING_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'PdfSigningError';
  }
}

/**
 * The PDF with the ward's PAdES B-B signature. The file is rewritten once (pdf-lib) to add the
 * field, so it must not carry a signature already: rewriting would break it. Calls
 * `identity.signer.sign` exactly once, and checks the signature it gets against the chain's
 * first certificate before returning, so a document never carries a signature that a verifier
 * would reject (a chain that does not name the signer's key throws instead).
 */
export async function signPdf(pdf: Uint8Array, options: SignPdfOptions): Promise<Uint8Array> {
  if (options.identity.chain.length === 0) throw new PdfSigningError('The signing identity has no certificate');
  if (Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).includes('/ByteRange')) {
    throw new PdfSigningError('The PDF is signed already; adding a field would rewrite the file and break that signature');
  }
  const signingTime = wholeSeconds(options.signingTime);
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  pdflibAddPlaceholder({
    pdfPage: document.getPage(0),
    reason: pdfTextString(options.reason),
    location: pdfTextString(options.location),
    name: pdfTextString(options.signerName),
    contactInfo: pdfTextString(options.contactInfo ?? ''),
    signingTime,
    // @signpdf counts the placeholder in hex digits (it writes `signatureLength` zeros between < and >).
    signatureLength: 2 * SIGNATURE_PLACEHOLDER_BYTES,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'MotCuaSo',
  });
  // No object streams: @signpdf finds the placeholder in the file's bytes.
  const prepared = await document.save({ useObjectStreams: false });
  const signed = await new SignPdf().sign(Buffer.from(prepared), new PortCmsSigner(options.identity), signingTime);
  return new Uint8Array(signed.buffer, signed.byteOffset, signed.byteLength);
}

/** @signpdf's signer, building the CMS here and asking the port for the one signature. */
class PortCmsSigner extends Signer {
  constructor(private readonly identity: SigningIdentity) {
    super();
  }

  override async sign(signedContent: Buffer, signingTime?: Date): Promise<Buffer> {
    const cms = await signDetachedCms(signedContent, this.identity, signingTime ?? new Date(), SIGNATURE_PLACEHOLDER_BYTES);
    return Buffer.from(cms);
  }
}

/**
 * A detached CMS SignedData (CAdES-BES / PAdES B-B attributes) over `content`, signed through
 * the port with one `sign` call; DER. `maxBytes` refuses, before signing, a CMS that would not fit.
 */
export async function signDetachedCms(content: Uint8Array, identity: SigningIdentity, signingTime: Date, maxBytes = Number.POSITIVE_INFINITY): Promise<Uint8Array> {
  const [signerCertificateDer] = identity.chain;
  const certificates = parsedChain(identity.chain);
  const [signerCertificate] = certificates;
  if (signerCertificateDer === undefined || signerCertificate === undefined) throw new PdfSigningError('The signing identity has no certificate');

  const signedAttributes = new SignedAndUnsignedAttributes({
    type: 0,
    attributes: derSetOrder([
      new Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
      new Attribute({ type: OID.signingTime, values: [cmsTime(wholeSeconds(signingTime))] }),
      new Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: createHash('sha256').update(content).digest() })] }),
      new Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(signerCertificate, signerCertificateDer)] }),
    ]),
  });
  const signedAttributesDer = new Uint8Array(signedAttributes.toSchema().toBER());
  // What is signed is the attributes' DER as a SET OF (RFC 5652 §5.4), not the [0] IMPLICIT form the SignerInfo holds.
  signedAttributesDer[0] = 0x31;

  const encode = (signature: Uint8Array): Uint8Array => {
    const signerInfo = new SignerInfo({
      version: 1,
      sid: new IssuerAndSerialNumber({ issuer: signerCertificate.issuer, serialNumber: signerCertificate.serialNumber }),
      digestAlgorithm: new AlgorithmIdentifier({ algorithmId: OID.sha256 }),
      signedAttrs: signedAttributes,
      signatureAlgorithm: new AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 }),
      signature: new asn1js.OctetString({ valueHex: signature }),
    });
    const signedData = new SignedData({
      version: 1,
      digestAlgorithms: [new AlgorithmIdentifier({ algorithmId: OID.sha256 })],
      encapContentInfo: new EncapsulatedContentInfo({ eContentType: OID.data }),
      certificates: [...certificates],
      signerInfos: [signerInfo],
    });
    return new Uint8Array(new ContentInfo({ contentType: OID.signedData, content: signedData.toSchema() }).toSchema().toBER());
  };

  const largest = encode(new Uint8Array(MAX_SIGNATURE_BYTES)).byteLength;
  if (largest > maxBytes) {
    const chainBytes = identity.chain.reduce((sum, certificate) => sum + certificate.byteLength, 0);
    throw new PdfSigningError(
      `The signature with this certificate chain takes up to ${largest} bytes, more than the ${maxBytes} reserved (${identity.chain.length} certificates, ${chainBytes} bytes)`,
    );
  }

  const signature = await identity.signer.sign(signedAttributesDer);
  const signerKey = { key: Buffer.from(signerCertificate.subjectPublicKeyInfo.toSchema().toBER()), format: 'der', type: 'spki', dsaEncoding: 'der' } as const;
  if (!verifySignature('sha256', signedAttributesDer, signerKey, signature)) {
    const subject = certificateSubject(signerCertificateDer);
    throw new PdfSigningError(`The signer's certificate (${subject}) does not certify the key ${identity.signer.keyId} that signed`);
  }
  return encode(signature);
}

/**
 * The chain's certificates as pkijs objects, parsed once per chain: asn1js takes milliseconds
 * per certificate, and a Lambda signs many documents with one identity. Each must re-encode to
 * the very bytes given, as pkijs re-encodes what it embeds and the ESS hash is over the DER given.
 */
const parsedChains = new WeakMap<readonly Uint8Array[], readonly Certificate[]>();

function parsedChain(chain: readonly Uint8Array[]): readonly Certificate[] {
  let certificates = parsedChains.get(chain);
  if (certificates === undefined) {
    certificates = chain.map((der) => {
      const certificate = parseCertificate(der);
      if (!Buffer.from(certificate.toSchema().toBER()).equals(Buffer.from(der))) {
        throw new PdfSigningError(`The certificate ${certificateSubject(der)} is not in DER (its encoding changes when re-encoded); convert it to DER`);
      }
      return certificate;
    });
    parsedChains.set(chain, certificates);
  }
  return certificates;
}

/**
 * ESS SigningCertificateV2 (RFC 5035) with one ESSCertIDv2: the SHA-256 of the signer's
 * certificate (hashAlgorithm omitted, SHA-256 being its DEFAULT) and its issuer and serial.
 */
function signingCertificateV2(certificate: Certificate, der: Uint8Array): asn1js.Sequence {
  const issuerSerial = new IssuerSerial({
    issuer: new GeneralNames({ names: [new GeneralName({ type: 4, value: certificate.issuer })] }),
    serialNumber: certificate.serialNumber,
  });
  const certificateHash = new asn1js.OctetString({ valueHex: createHash('sha256').update(der).digest() });
  const essCertIdV2 = new asn1js.Sequence({ value: [certificateHash, issuerSerial.toSchema()] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

/** RFC 5652 §11.3: UTCTime for 1950–2049, GeneralizedTime otherwise. */
function cmsTime(date: Date): asn1js.UTCTime | asn1js.GeneralizedTime {
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050 ? new asn1js.UTCTime({ valueDate: date }) : new asn1js.GeneralizedTime({ valueDate: date });
}

/** DER orders a SET OF by the encodings of its elements (X.690 §11.6); pkijs writes them as given. */
function derSetOrder(attributes: Attribute[]): Attribute[] {
  const encoded = attributes.map((attribute) => ({ attribute, der: Buffer.from(attribute.toSchema().toBER()) }));
  return encoded.sort((a, b) => Buffer.compare(a.der, b.der)).map(({ attribute }) => attribute);
}

/**
 * A PDF text string for pdf-lib's `PDFString.of`, which writes its value between parentheses
 * as is: plain ASCII stays as it is; anything else (Vietnamese) becomes UTF-16BE with a byte
 * order mark (ISO 32000-1 §7.9.2.2), one character per byte, with the bytes that a literal
 * string must escape escaped.
 */
function pdfTextString(text: string): string {
  const normalised = text.normalize('NFC');
  const binary = /^[\x20-\x7e]*$/.test(normalised)
    ? normalised
    : String.fromCharCode(0xfe, 0xff, ...Array.from(normalised, (_, index) => normalised.charCodeAt(index)).flatMap((unit) => [unit >> 8, unit & 0xff]));
  const escapes: Readonly<Record<string, string>> = { '\\': '\\\\', '(': '\\(', ')': '\\)', '\r': '\\r', '\n': '\\n' };
  return binary.replace(/[\\()\r\n]/g, (character) => escapes[character] ?? character);
}

const wholeSeconds = (date: Date): Date => new Date(Math.floor(date.getTime() / 1000) * 1000);

// ---------------------------------------------------------------------------------------------
// Reading a signature back

/** What a verifier finds in the last signature of a PDF. */
export interface PdfSignatureCheck {
  /** The PDF has a signature (a /ByteRange and its /Contents). */
  readonly present: boolean;
  /** The byte range starts at 0, ends at the end of the file and leaves out only the /Contents hex string. */
  readonly coversWholeFile: boolean;
  /** The message-digest attribute equals the digest of the bytes in the range. */
  readonly digestMatches: boolean;
  /** The CMS signature over the signed attributes verifies with the embedded signer certificate. */
  readonly signatureValid: boolean;
  /** present && coversWholeFile && digestMatches && signatureValid: the file is as it was signed. */
  readonly intact: boolean;
  /** Only when trusted roots were given: the signer's certificate chains to one of them, signatures and validity (at the signing time) checked. */
  readonly chainValid?: boolean;
  /** The signing-time attribute. */
  readonly signingTime?: Date;
  /** DER. */
  readonly signerCertificate?: Uint8Array;
  /** RFC 4514, most specific first (see certificateSubject). */
  readonly signerSubject?: string;
  /** Lower-case hex. */
  readonly signerCertificateSha256?: string;
}

/** Thrown by {@link extractCms} when the PDF has no signature it can read. */
export class NoPdfSignatureError extends Error {
  readonly code = 'NO_PDF_SIGNATURE';
  constructor(message: string) {
    super(message);
    this.name = 'NoPdfSignatureError';
  }
}

interface LocatedSignature {
  readonly byteRange: readonly [number, number, number, number];
  /** The /Contents hex string between the two ranges, brackets included, when it is one. */
  readonly contentsHex: string | undefined;
}

/**
 * The CMS of the last signature (exactly its DER, without the zero padding of the hole) and the
 * bytes its byte range covers, as `openssl cms -verify -binary -content` wants them. Throws
 * {@link NoPdfSignatureError} when there is no signature or its /Contents is not a CMS.
 */
export function extractCms(pdf: Uint8Array): { cms: Uint8Array; signedContent: Uint8Array } {
  const located = locateLastSignature(pdf);
  if (located === undefined) throw new NoPdfSignatureError('The PDF has no signature (no /ByteRange)');
  const [start1, length1, start2, length2] = located.byteRange;
  const signedContent = Buffer.concat([pdf.subarray(start1, start1 + length1), pdf.subarray(start2, start2 + length2)]);
  if (located.contentsHex === undefined) throw new NoPdfSignatureError('The signature has no /Contents hex string between its byte ranges');
  const padded = Buffer.from(located.contentsHex.slice(1, -1), 'hex');
  const parsed = asn1js.fromBER(padded);
  if (parsed.offset === -1) throw new NoPdfSignatureError(`The signature's /Contents is not DER: ${parsed.result.error}`);
  return { cms: new Uint8Array(padded.subarray(0, parsed.offset)), signedContent: new Uint8Array(signedContent) };
}

/**
 * Checks the last signature of a PDF (see {@link PdfSignatureCheck}); never throws for a bad
 * or missing signature, it says so. With `trustedRoots` (DER), also checks the chain.
 */
export async function verifyPdfSignature(pdf: Uint8Array, trustedRoots?: readonly Uint8Array[]): Promise<PdfSignatureCheck> {
  const absent = { present: false, coversWholeFile: false, digestMatches: false, signatureValid: false, intact: false } as const;
  const located = locateLastSignature(pdf);
  if (located === undefined) return absent;
  const [start1, length1, start2, length2] = located.byteRange;
  const coversWholeFile =
    start1 === 0 && length1 > 0 && start2 === length1 + (located.contentsHex?.length ?? -1) && start2 + length2 === pdf.byteLength && precededByContentsKey(pdf, length1);

  let extracted: { cms: Uint8Array; signedContent: Uint8Array };
  let signedData: SignedData;
  let signedDataSchema: unknown;
  try {
    extracted = extractCms(pdf);
    const contentInfo = ContentInfo.fromBER(extracted.cms);
    if (contentInfo.contentType !== OID.signedData) return { ...absent, present: true, coversWholeFile };
    signedDataSchema = contentInfo.content;
    signedData = new SignedData({ schema: signedDataSchema });
  } catch {
    return { ...absent, present: true, coversWholeFile };
  }

  const signerInfo = signedData.signerInfos[0];
  const signerCertificate = signerInfo === undefined ? undefined : findSignerCertificate(signedData, signerInfo);
  const signerCertificateDer = signerCertificate === undefined ? undefined : embeddedCertificates(signedDataSchema)[(signedData.certificates ?? []).indexOf(signerCertificate)];
  const signingTime = signerInfo === undefined ? undefined : signingTimeOf(signerInfo);
  const digestMatches = signerInfo !== undefined && digestMatchesContent(signerInfo, extracted.signedContent);
  const signatureValid = signerInfo !== undefined && signerCertificate !== undefined && (await signatureVerifies(signerInfo, signerCertificate));
  const chainValid = trustedRoots !== undefined && signerCertificate !== undefined && (await chainsToRoot(signerCertificate, signedData, trustedRoots, signingTime ?? new Date()));

  return {
    present: true,
    coversWholeFile,
    digestMatches,
    signatureValid,
    intact: coversWholeFile && digestMatches && signatureValid,
    ...(trustedRoots === undefined ? {} : { chainValid }),
    ...(signingTime === undefined ? {} : { signingTime }),
    ...(signerCertificateDer === undefined
      ? {}
      : {
          signerCertificate: signerCertificateDer,
          signerSubject: certificateSubject(signerCertificateDer),
          signerCertificateSha256: certificateSha256(signerCertificateDer),
        }),
  };
}

/** The last `/ByteRange [a b c d]` of the file (an incremental update's signature comes last) and the hole it leaves. */
function locateLastSignature(pdf: Uint8Array): LocatedSignature | undefined {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  let last: RegExpExecArray | undefined;
  for (const match of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) last = match;
  if (last === undefined) return undefined;
  const byteRange = [Number(last[1]), Number(last[2]), Number(last[3]), Number(last[4])] as const;
  const hole = byteRange[2] > byteRange[1] ? text.slice(byteRange[0] + byteRange[1], byteRange[2]) : '';
  return { byteRange, contentsHex: /^<[0-9A-Fa-f]*>$/.test(hole) && hole.length % 2 === 0 ? hole : undefined };
}

/** The hole must be the value of a /Contents key, not some other string the range leaves out. */
function precededByContentsKey(pdf: Uint8Array, holeStart: number): boolean {
  const before = Buffer.from(pdf.subarray(Math.max(0, holeStart - 32), holeStart)).toString('latin1');
  return /\/Contents\s*$/.test(before);
}

function findSignerCertificate(signedData: SignedData, signerInfo: SignerInfo): Certificate | undefined {
  const certificates = (signedData.certificates ?? []).filter((c): c is Certificate => c instanceof Certificate);
  const sid: unknown = signerInfo.sid;
  if (sid instanceof IssuerAndSerialNumber) {
    return certificates.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  }
  // subjectKeyIdentifier [0] IMPLICIT: matched, as pkijs does, against the SHA-1 of the public key.
  const keyId = sid instanceof asn1js.Constructed ? sid.valueBlock.value[0] : sid;
  if (!(keyId instanceof asn1js.Primitive || keyId instanceof asn1js.OctetString)) return undefined;
  const wanted = Buffer.from(keyId.valueBlock.valueHexView);
  return certificates.find((c) => createHash('sha1').update(c.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest().equals(wanted));
}

function attributeValue(signerInfo: SignerInfo, type: string): unknown {
  const attribute = signerInfo.signedAttrs?.attributes.find((a) => a.type === type);
  return attribute?.values[0] as unknown;
}

function signingTimeOf(signerInfo: SignerInfo): Date | undefined {
  const value = attributeValue(signerInfo, OID.signingTime);
  return value instanceof asn1js.UTCTime ? value.toDate() : undefined; // GeneralizedTime extends UTCTime in asn1js
}

function digestMatchesContent(signerInfo: SignerInfo, signedContent: Uint8Array): boolean {
  const digest = DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  const messageDigest = attributeValue(signerInfo, OID.messageDigest);
  if (digest === undefined || !(messageDigest instanceof asn1js.OctetString) || attributeValue(signerInfo, OID.contentType) === undefined) return false;
  return createHash(digest.node).update(signedContent).digest().equals(Buffer.from(messageDigest.valueBlock.valueHexView));
}

/** The signature over the signed attributes (as a SET OF), with the certificate's key, by pkijs's WebCrypto engine. */
async function signatureVerifies(signerInfo: SignerInfo, certificate: Certificate): Promise<boolean> {
  if (signerInfo.signedAttrs === undefined) return false;
  const digest = DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  // For rsaEncryption and id-ecPublicKey the algorithm does not name the hash: the digest algorithm does.
  const bareKeyAlgorithm = ['1.2.840.113549.1.1.1', '1.2.840.10045.2.1'].includes(signerInfo.signatureAlgorithm.algorithmId);
  try {
    return await getCrypto(true).verifyWithPublicKey(
      signerInfo.signedAttrs.encodedValue,
      signerInfo.signature,
      certificate.subjectPublicKeyInfo,
      signerInfo.signatureAlgorithm,
      bareKeyAlgorithm ? digest?.webCrypto : undefined,
    );
  } catch {
    return false;
  }
}

async function chainsToRoot(signerCertificate: Certificate, signedData: SignedData, trustedRoots: readonly Uint8Array[], checkDate: Date): Promise<boolean> {
  let roots: Certificate[];
  try {
    roots = trustedRoots.map(parseCertificate);
  } catch {
    return false;
  }
  try {
    // A self-issued certificate trusted as such is its own anchor (RFC 5280 §6.1): pkijs would
    // insist that the anchor be a CA, which a document-signing certificate is not.
    if (roots.some((root) => Buffer.from(root.tbsView).equals(Buffer.from(signerCertificate.tbsView)))) {
      return signerCertificate.notBefore.value <= checkDate && checkDate <= signerCertificate.notAfter.value && (await signerCertificate.verify());
    }
    const others = (signedData.certificates ?? []).filter((c): c is Certificate => c instanceof Certificate && c !== signerCertificate);
    // pkijs takes the last certificate as the one to validate.
    const engine = new CertificateChainValidationEngine({ trustedCerts: roots, certs: [...others, signerCertificate], checkDate });
    return (await engine.verify()).result;
  } catch {
    return false;
  }
}

/**
 * The certificates of a SignedData exactly as they are in the file (pkijs's objects re-encode),
 * in the order of `SignedData.certificates`.
 */
function embeddedCertificates(signedDataSchema: unknown): Uint8Array[] {
  if (!(signedDataSchema instanceof asn1js.Sequence)) return [];
  const set = signedDataSchema.valueBlock.value.find((block) => block.idBlock.tagClass === 3 && block.idBlock.tagNumber === 0);
  if (!(set instanceof asn1js.Constructed)) return [];
  return set.valueBlock.value.map((block) => new Uint8Array(block.valueBeforeDecodeView));
}
