import {
  canonicalJson,
  documentIdOf,
  documentObjectKey,
  manifestEntryKey,
  metadataKeyOf,
  sha256Of,
  type DocumentKind,
  type DetachedSignature,
  type DocumentMetadata,
  type ManifestEntry,
  type SignatureInfo,
} from '../domain/archive';
import type { Dossier, IssuedDocument } from '../domain/dossier';
import { VersionConflictError } from '../domain/errors';
import { toVietnamIso } from '../domain/time';
import type { WardConfig } from '../domain/ward-config';
import { certificateCommonName, certificateSha256, certificateSubject } from '../documents/certificates';
import type { SignatureAppearance } from '../documents/document-types';
import { loadPades } from '../documents/load-pades';
import type { ArchivedDocument, Clock, DocumentArchive, SigningIdentity } from './ports';

/** What issuing a document needs: the ward's key and chain, the archive, and where verify pages are. */
export interface IssuingDeps {
  readonly signingIdentity: () => Promise<SigningIdentity>;
  readonly archive: DocumentArchive;
  readonly ward: WardConfig;
  readonly clock: Clock;
  /** Where the QR code of a document points: `<base>/verify/<code>`. */
  readonly publicBaseUrl: string;
  /** Told when a manifest entry could not be copied to the archive right away (the daily seal copies it). */
  readonly onPublishFailure?: (entry: ManifestEntry, error: unknown) => void;
}

/** The pages of a document, given what only issuing knows. */
export type RenderPages = (context: { readonly signature: SignatureAppearance; readonly verifyUrl: string; readonly issuedAt: Date }) => Promise<Uint8Array>;

export interface DocumentRequest {
  readonly kind: DocumentKind;
  /** The dossier as the change leaves it (absent for a register, which belongs to no dossier); its version before the change names the document. */
  readonly dossier?: Dossier;
  /** The version the change was decided on (the document's id says it: `result-v9`). */
  readonly decidedOnVersion?: number;
  /** For a register: its own id, which names `issuedAt`. */
  readonly documentId?: string;
  /** The instant of issue and signing, when the caller has fixed it already (the clock's now otherwise). */
  readonly issuedAt?: Date;
  readonly title: string;
  readonly documentNumber: string;
  readonly signer: { readonly name: string; readonly position: string; readonly officerId: string };
  readonly render: RenderPages;
  /** For a register: the period it covers. */
  readonly period?: { readonly from: string; readonly to: string };
}

/** An earlier attempt's document that nobody recorded is taken over by anyone after this long (the function's timeout is far shorter). */
const ABANDONED_AFTER_MS = 5 * 60 * 1000;

export const verifyUrlOf = (publicBaseUrl: string, code: string): string => `${publicBaseUrl}/verify/${encodeURIComponent(code)}`;

/** The organisation that signs: the ward's People's Committee. */
export const signingOrganization = (ward: Pick<WardConfig, 'name'>): string => `Ủy ban nhân dân ${ward.name}`;

/**
 * Renders, signs (PAdES, one signature by the ward's key) and archives one document with its
 * metadata, under its deterministic key, written once. The caller records the returned document
 * in the transaction of its change (which appends the manifest entry).
 *
 * The key is taken already when another attempt got there first:
 * - by this very attempt (the SDK retried a PUT whose answer was lost): the same bytes, carry on;
 * - by an earlier attempt of the same officer on the same dossier version whose change was never
 *   recorded (it failed after archiving), or by anyone's such attempt abandoned for more than five
 *   minutes: that archived document is the one recorded (it stays the ward's, signed, and is not
 *   made twice);
 * - otherwise another officer is issuing it right now: VersionConflictError (409), like any
 *   concurrent change. So twenty concurrent approvals leave one archived e-result.
 *
 * @throws VersionConflictError
 */
export async function issueDocument(deps: IssuingDeps, request: DocumentRequest): Promise<ArchivedDocument> {
  const identity = await deps.signingIdentity();
  const now = request.issuedAt ?? deps.clock.now();
  const dossierCode = request.dossier?.code;
  const documentId = request.documentId ?? documentIdOf(request.kind, request.decidedOnVersion ?? 0);
  const owner = dossierCode === undefined ? { register: true as const } : { dossierCode };
  const objectKey = documentObjectKey(owner, documentId, 'pdf');
  const signature = signatureInfoOf(identity);

  const unsigned = await request.render({
    signature: {
      signerName: request.signer.name,
      signerPosition: request.signer.position,
      signedAt: now,
      organization: signingOrganization(deps.ward),
      authority: identity.authority,
      certificateIssuer: issuerOf(identity),
    },
    verifyUrl: verifyUrlOf(deps.publicBaseUrl, dossierCode ?? documentId),
    issuedAt: now,
  });
  const { signPdf } = await loadPades();
  const bytes = await signPdf(unsigned, {
    identity,
    signingTime: now,
    reason: `${request.title} (${dossierCode ?? documentId})`,
    location: `${deps.ward.name}, ${deps.ward.province}`,
    signerName: `${signingOrganization(deps.ward)} (${request.signer.name})`,
  });
  const sha256 = sha256Of(bytes);
  const metadata: DocumentMetadata = {
    format: 'mot-cua-so/document@1',
    ward: { slug: deps.ward.slug, name: deps.ward.name, agencyCode: deps.ward.agencyCode },
    documentId,
    kind: request.kind,
    title: request.title,
    documentNumber: request.documentNumber,
    ...(dossierCode === undefined ? {} : { dossierCode }),
    ...(request.dossier ? { procedure: { code: request.dossier.procedure.code, version: request.dossier.procedure.version, name: request.dossier.procedure.name } } : {}),
    ...(request.period ? { period: request.period } : {}),
    issuedAt: toVietnamIso(now),
    signer: request.signer,
    ...(request.decidedOnVersion === undefined ? {} : { preparedOnVersion: request.decidedOnVersion }),
    objectKey,
    sha256,
    sizeBytes: bytes.length,
    signature,
  };

  if ((await deps.archive.putPdf(objectKey, bytes, sha256)) === 'EXISTS') {
    const taken = await takenKey(deps, objectKey, sha256, request, now);
    if (taken !== 'OURS') return taken;
  }
  const metadataJson = canonicalJson(metadata);
  // The PDF is ours, so its metadata key is free but for a retried PUT of this same text.
  await deps.archive.putJson(metadataKeyOf(objectKey), metadataJson);
  return { ...(dossierCode === undefined ? {} : { dossierCode }), document: documentOf(metadata), metadataKey: metadataKeyOf(objectKey), metadataSha256: sha256Of(metadataJson) };
}

async function takenKey(deps: IssuingDeps, objectKey: string, sha256: string, request: DocumentRequest, now: Date): Promise<'OURS' | ArchivedDocument> {
  const existing = await deps.archive.getMetadata(objectKey);
  if (existing === undefined) {
    const bytes = await deps.archive.get(objectKey);
    if (bytes !== undefined && sha256Of(bytes) === sha256) return 'OURS';
    throw new VersionConflictError();
  }
  const sameOfficer = existing.signer.officerId === request.signer.officerId;
  const abandoned = now.getTime() - Date.parse(existing.issuedAt) > ABANDONED_AFTER_MS;
  if (existing.preparedOnVersion !== request.decidedOnVersion || !(sameOfficer || abandoned)) throw new VersionConflictError();
  const metadataBytes = await deps.archive.get(metadataKeyOf(objectKey));
  if (metadataBytes === undefined) throw new VersionConflictError();
  return {
    ...(existing.dossierCode === undefined ? {} : { dossierCode: existing.dossierCode }),
    document: documentOf(existing),
    metadataKey: metadataKeyOf(objectKey),
    metadataSha256: sha256Of(metadataBytes),
  };
}

function documentOf(metadata: DocumentMetadata): IssuedDocument {
  return {
    id: metadata.documentId,
    kind: metadata.kind,
    title: metadata.title,
    documentNumber: metadata.documentNumber,
    objectKey: metadata.objectKey,
    sha256: metadata.sha256,
    sizeBytes: metadata.sizeBytes,
    issuedAt: new Date(metadata.issuedAt),
    signer: metadata.signer,
    signature: metadata.signature,
  };
}

/** How the identity signs, as every signed record of the archive names it. */
export function signatureInfoOf(identity: SigningIdentity): SignatureInfo {
  const [certificate] = identity.chain;
  if (certificate === undefined) throw new Error('the signing identity has no certificate');
  return {
    algorithm: 'ECDSA_SHA_256',
    keyId: identity.signer.keyId,
    certificateSha256: certificateSha256(certificate),
    certificateSubject: certificateSubject(certificate),
    authority: identity.authority,
  };
}

/** The ward's detached signature of a record's facts: ECDSA over their RFC 8785 canonical JSON, one signer call. */
export async function signFacts(identity: SigningIdentity, facts: unknown): Promise<DetachedSignature> {
  const value = await identity.signer.sign(Buffer.from(canonicalJson(facts), 'utf8'));
  return { ...signatureInfoOf(identity), value: Buffer.from(value).toString('base64') };
}

/** The issuer's common name of the ward's certificate (for a self-issued one: the ward itself). */
function issuerOf(identity: SigningIdentity): string {
  const issuer = identity.chain[1] ?? identity.chain[0];
  return issuer === undefined ? '' : certificateCommonName(issuer);
}

/**
 * Copies committed manifest entries into the archive (`manifest/entries/<sequence>.json`, the
 * canonical JSON, written once). A failure is told and otherwise ignored: the change is
 * committed, and the daily seal copies every entry that is missing before it seals the day.
 */
export async function publishManifestEntries(deps: Pick<IssuingDeps, 'archive' | 'onPublishFailure'>, entries: readonly ManifestEntry[]): Promise<void> {
  await Promise.all(
    entries.map(async (entry) => {
      try {
        await deps.archive.putJson(manifestEntryKey(entry.sequence), canonicalJson(entry));
      } catch (error) {
        deps.onPublishFailure?.(entry, error);
      }
    }),
  );
}
