import { certificateChainKey, registerPeriodOf, sha256Of, type SignatureInfo } from '../domain/archive';
import { NotFoundError } from '../domain/errors';
import type { Dossier, IssuedDocument } from '../domain/dossier';
import type { WardConfig } from '../domain/ward-config';
import { certificateSha256, pemToDerChain } from '../documents/certificates';
import { loadPades } from '../documents/load-pades';
import type { DocumentArchive, DocumentStore, DossierStore } from './ports';
import { isDossierCode } from '../domain/formats';
import { dossierNotFound } from './track-dossier';

/** What verification says of one document: what the ward recorded, and what the archived file itself shows. */
export interface DocumentVerification {
  readonly id: string;
  readonly kind: IssuedDocument['kind'];
  readonly title: string;
  readonly documentNumber: string;
  readonly issuedAt: Date;
  readonly signer: { readonly name: string; readonly position: string };
  /** The SHA-256 the ward recorded when it archived the file. */
  readonly sha256: string;
  /** The archived file is there and its SHA-256 is the recorded one. */
  readonly archivedIntact: boolean;
  /** The file's own signature: `present` false for e-copies issued before the ward signed its documents. */
  readonly signature: {
    readonly present: boolean;
    /** The signature covers the whole file, matches it, and was made by the key of the ward's certificate. */
    readonly valid: boolean;
    /** The signer's certificate chains to the root the ward archived for it. */
    readonly chainValid: boolean;
    readonly signedAt?: Date;
    readonly info?: SignatureInfo;
  };
  /** VALID: archived intact (and, if signed, validly). CANCELLED: authentic but cancelled. INVALID: the archive no longer holds it as issued. */
  readonly state: 'VALID' | 'CANCELLED' | 'INVALID';
  readonly cancellation?: { readonly at: Date; readonly reason: string };
}

/** What a verify page shows: the documents of one dossier, or one register (form 07) of a period. */
export type Verification = {
  readonly ward: { readonly name: string; readonly province: string; readonly agencyCode: string };
  readonly documents: readonly DocumentVerification[];
} & (
  | { readonly dossier: { readonly code: string; readonly procedure: { readonly code: string; readonly name: string } }; readonly register?: undefined }
  | { readonly register: { readonly documentId: string; readonly period: { readonly from: string; readonly to: string } }; readonly dossier?: undefined }
);

export interface VerifyDeps {
  readonly dossiers: DossierStore;
  readonly documents: DocumentStore;
  readonly archive: DocumentArchive;
  readonly ward: WardConfig;
}

/**
 * `GET /verify/{code}`: every document the ward issued for the dossier, each checked now against
 * the archive (its file, its SHA-256, its signature and chain). Nothing personal: no applicant.
 * An e-copy issued before documents were signed is listed from the dossier's result, verified by
 * its recorded SHA-256, and says it carries no signature. `code` may also be a register's id
 * (form 07 belongs to no dossier): then that one register is checked the same way.
 *
 * @throws NotFoundError
 */
export async function verifyCode(deps: VerifyDeps, code: string): Promise<Verification> {
  const ward = { name: deps.ward.name, province: deps.ward.province, agencyCode: deps.ward.agencyCode };
  const period = registerPeriodOf(code);
  if (period !== undefined) {
    const register = await deps.documents.getRegisterDocument(code);
    if (!register) throw new NotFoundError({ vi: 'Không có sổ theo dõi hồ sơ này.', en: 'There is no such register.' });
    return { ward, register: { documentId: register.id, period }, documents: [await verifyArchived(deps.archive, register, chainReader(deps.archive))] };
  }
  const found = isDossierCode(code) ? await deps.dossiers.getDossierWithHistory(code) : undefined;
  if (!found) throw dossierNotFound();
  const documents = [...found.documents, ...legacyResult(found.dossier, found.documents)];
  // A dossier's documents are signed under one certificate, mostly: its chain is read once.
  const chains = chainReader(deps.archive);
  return {
    ward,
    dossier: { code: found.dossier.code, procedure: { code: found.dossier.procedure.code, name: found.dossier.procedure.name } },
    documents: await Promise.all(documents.map((document) => verifyArchived(deps.archive, document, chains))),
  };
}

/** What `POST /verify` answers of a file. */
export type FileVerification =
  | { readonly issued: true; readonly dossierCode?: string; readonly document: DocumentVerification }
  | { readonly issued: false; readonly signature: { readonly present: boolean; readonly valid: boolean; readonly signedAt?: Date; readonly signerSubject?: string } };

/**
 * `POST /verify`: whether these exact bytes are a document the ward issued (found by their
 * SHA-256 among the ward's documents, then checked against the archive like the verify page
 * does), by whom, and whether it is cancelled. Any other file is not the ward's, whatever it
 * looks like; what its own signature says is reported, so that an altered copy of a genuine
 * document reads as altered.
 */
export async function verifyFile(deps: VerifyDeps, bytes: Uint8Array): Promise<FileVerification> {
  const location = await deps.documents.findBySha256(sha256Of(bytes));
  const document =
    location === undefined
      ? undefined
      : location.dossierCode === undefined
        ? await deps.documents.getRegisterDocument(location.documentId)
        : (await deps.dossiers.getDossierWithHistory(location.dossierCode))?.documents.find((candidate) => candidate.id === location.documentId);
  if (location && document) {
    return {
      issued: true,
      ...(location.dossierCode ? { dossierCode: location.dossierCode } : {}),
      document: await verifyArchived(deps.archive, document, chainReader(deps.archive)),
    };
  }
  const check = await (await loadPades()).verifyPdfSignature(bytes).catch(() => undefined);
  return {
    issued: false,
    signature: {
      present: check?.present ?? false,
      valid: check !== undefined && check.present && check.coversWholeFile && check.digestMatches && check.signatureValid,
      ...(check?.signingTime ? { signedAt: check.signingTime } : {}),
      ...(check?.signerSubject ? { signerSubject: check.signerSubject } : {}),
    },
  };
}

async function verifyArchived(archive: DocumentArchive, document: IssuedDocument, chains: ChainReader): Promise<DocumentVerification> {
  const bytes = await archive.get(document.objectKey);
  const archivedIntact = bytes !== undefined && sha256Of(bytes) === document.sha256;
  let signature: DocumentVerification['signature'] = { present: false, valid: false, chainValid: false };
  if (bytes !== undefined && document.signature !== undefined) {
    const chain = await chains(document.signature.certificateSha256);
    const root = chain[chain.length - 1];
    const check = await (await loadPades()).verifyPdfSignature(bytes, root ? [root] : []).catch(() => undefined);
    const ownCertificate = check?.signerCertificateSha256 === document.signature.certificateSha256;
    signature = {
      present: check?.present ?? false,
      valid: check !== undefined && ownCertificate && check.present && check.coversWholeFile && check.digestMatches && check.signatureValid,
      chainValid: check?.chainValid === true && ownCertificate,
      ...(check?.signingTime ? { signedAt: check.signingTime } : {}),
      info: document.signature,
    };
  }
  const authentic = archivedIntact && (document.signature === undefined || signature.valid);
  return {
    id: document.id,
    kind: document.kind,
    title: document.title,
    documentNumber: document.documentNumber,
    issuedAt: document.issuedAt,
    signer: { name: document.signer.name, position: document.signer.position },
    sha256: document.sha256,
    archivedIntact,
    signature,
    state: !authentic ? 'INVALID' : document.cancellation ? 'CANCELLED' : 'VALID',
    ...(document.cancellation ? { cancellation: { at: document.cancellation.at, reason: document.cancellation.reason } } : {}),
  };
}

type ChainReader = (certificateSha: string) => Promise<Uint8Array[]>;

/** {@link archivedChain}, each certificate's chain read at most once. */
function chainReader(archive: DocumentArchive): ChainReader {
  const read = new Map<string, Promise<Uint8Array[]>>();
  return (certificateSha) => {
    let chain = read.get(certificateSha);
    if (chain === undefined) {
      chain = archivedChain(archive, certificateSha);
      read.set(certificateSha, chain);
    }
    return chain;
  };
}

/** The chain archived for a certificate (the ward's first, its root last); empty when it is missing. */
async function archivedChain(archive: DocumentArchive, certificateSha: string): Promise<Uint8Array[]> {
  const pem = await archive.get(certificateChainKey(certificateSha));
  if (pem === undefined) return [];
  const chain = pemToDerChain(Buffer.from(pem).toString('utf8'));
  return chain[0] !== undefined && certificateSha256(chain[0]) === certificateSha ? chain : [];
}

/** The e-copy of a result issued before documents were signed: it has no document record. */
export function legacyResult(dossier: Dossier, documents: readonly IssuedDocument[]): IssuedDocument[] {
  const result = dossier.result;
  if (!result || result.documentId !== undefined || documents.some((document) => document.objectKey === result.archiveKey)) return [];
  return [
    {
      id: 'result-unsigned',
      kind: result.outcome === 'APPROVED' ? 'RESULT' : 'REFUSAL',
      title: result.title,
      documentNumber: result.documentNumber,
      objectKey: result.archiveKey,
      sha256: result.sha256,
      sizeBytes: result.sizeBytes,
      issuedAt: result.issuedAt,
      signer: result.signer,
      ...(result.cancellation ? { cancellation: result.cancellation } : {}),
    },
  ];
}
