import type { OfficerRole } from '../domain/status';

/** What a function may touch; the CDK stack grants exactly this, and sets the matching variables. */
export interface RouteAccess {
  readonly table?: 'read' | 'readWrite';
  /** `presign`: create presigned uploads; `attach`: check and claim uploaded objects; `read`: presigned downloads. */
  readonly uploads?: readonly ('presign' | 'attach' | 'read')[];
  /** HMAC key that hashes personal ID numbers before they become index keys. */
  readonly idHashKey?: boolean;
  /**
   * The write-once archive (shared/domain/archive.ts has its layout): `write` stores new documents,
   * metadata, cancellation records and manifest objects (never overwriting: If-None-Match); `read`
   * reads them and presigns downloads.
   */
  readonly archive?: readonly ('write' | 'read')[];
  /** The ward's signing key (KMS, ECC_NIST_P256, SIGN_VERIFY): signs documents, cancellations and daily manifests. */
  readonly signing?: boolean;
}

export interface RouteDefinition {
  /** Stable id, also the Lambda function's logical name. */
  readonly id: string;
  readonly method: 'GET' | 'POST';
  /** API Gateway resource path, with `{param}` placeholders. */
  readonly path: string;
  /** Entry point under `functions/`, without extension. */
  readonly handler: string;
  /**
   * `public`: anyone; `citizen`: public at the gateway, the handler requires the citizen's ID token
   * of the city's identity provider (shared/runtime/citizen.ts); `officer`: the gateway's Cognito authorizer.
   */
  readonly auth: 'public' | 'citizen' | 'officer';
  readonly roles?: readonly OfficerRole[];
  readonly access: RouteAccess;
  /** Memory in MB; defaults to 512. */
  readonly memoryMb?: number;
  /** Renders e-result PDFs: its bundle ships the fonts (shared/documents/fonts). */
  readonly rendersResults?: boolean;
}

/** Request headers a browser may send (the CORS preflights of the stack and of local mode). */
export const CORS_ALLOWED_HEADERS = ['Content-Type', 'Accept-Language', 'Idempotency-Key', 'X-Dossier-Secret', 'If-Match', 'Authorization'];

/**
 * Request bodies API Gateway hands to the function base64-encoded, as bytes (a PDF sent to
 * `POST /verify`); the stack configures them as the API's binary media types, local mode does the same.
 */
export const BINARY_MEDIA_TYPES = ['application/pdf'];

/** Origins allowed to call the public routes: any, since citizens' portals and apps call them from anywhere. */
export const CORS_ORIGIN = '*';

/**
 * The ward API's route table: the CDK API and the local HTTP server are both built from it,
 * so the two can never drift.
 */
export const ROUTES: readonly RouteDefinition[] = [
  { id: 'ListProcedures', method: 'GET', path: '/procedures', handler: 'catalog/list-procedures', auth: 'public', access: { table: 'read' } },
  { id: 'GetProcedure', method: 'GET', path: '/procedures/{procedureCode}', handler: 'catalog/get-procedure', auth: 'public', access: { table: 'read' } },
  {
    id: 'PreviewAppointment',
    method: 'GET',
    path: '/procedures/{procedureCode}/appointment',
    handler: 'catalog/preview-appointment',
    auth: 'public',
    access: { table: 'read' },
  },
  {
    id: 'CreateUpload',
    method: 'POST',
    path: '/uploads',
    handler: 'uploads/create-upload',
    auth: 'public',
    // The table and the HMAC key for its limit per client address.
    access: { table: 'readWrite', uploads: ['presign'], idHashKey: true },
  },
  {
    id: 'SubmitDossier',
    method: 'POST',
    path: '/dossiers',
    handler: 'dossiers/submit-dossier',
    auth: 'public',
    access: { table: 'readWrite', uploads: ['attach'], idHashKey: true },
  },
  { id: 'GetDossierStatus', method: 'GET', path: '/dossiers/{code}/status', handler: 'dossiers/get-dossier-status', auth: 'public', access: { table: 'read' } },
  // The citizen's dossier routes open a dossier by its secret or by the applicant's sign-in (the HMAC key of the ID number in the token).
  { id: 'GetDossier', method: 'GET', path: '/dossiers/{code}', handler: 'dossiers/get-dossier', auth: 'public', access: { table: 'read', idHashKey: true } },
  {
    id: 'WithdrawDossier',
    method: 'POST',
    path: '/dossiers/{code}/withdraw',
    handler: 'dossiers/withdraw-dossier',
    auth: 'public',
    // A dossier still SUBMITTED stops at once, with its notice (form 05).
    access: { table: 'readWrite', archive: ['read', 'write'], signing: true, idHashKey: true },
    memoryMb: 1024,
    rendersResults: true,
  },
  {
    id: 'SupplementDossier',
    method: 'POST',
    path: '/dossiers/{code}/supplement',
    handler: 'dossiers/supplement-dossier',
    auth: 'public',
    access: { table: 'readWrite', uploads: ['attach'], idHashKey: true },
  },
  {
    id: 'GetResultLink',
    method: 'GET',
    path: '/dossiers/{code}/result',
    handler: 'dossiers/get-result-link',
    auth: 'public',
    access: { table: 'readWrite', archive: ['read'], idHashKey: true },
  },
  { id: 'RateDossier', method: 'POST', path: '/dossiers/{code}/rating', handler: 'dossiers/rate-dossier', auth: 'public', access: { table: 'readWrite', idHashKey: true } },
  {
    id: 'ListDossierDocuments',
    method: 'GET',
    path: '/dossiers/{code}/documents',
    handler: 'dossiers/list-documents',
    auth: 'public',
    access: { table: 'read', idHashKey: true },
  },
  // The signed-in citizen's own: read from the byApplicant index by the HMAC of the token's ID number.
  { id: 'ListMyDossiers', method: 'GET', path: '/me/dossiers', handler: 'me/list-my-dossiers', auth: 'citizen', access: { table: 'read', idHashKey: true } },
  { id: 'GetPrefill', method: 'GET', path: '/me/prefill', handler: 'me/get-prefill', auth: 'citizen', access: { table: 'read', idHashKey: true } },
  {
    id: 'GetDossierDocumentLink',
    method: 'GET',
    path: '/dossiers/{code}/documents/{id}',
    handler: 'dossiers/get-document-link',
    auth: 'public',
    access: { table: 'read', archive: ['read'], idHashKey: true },
  },
  // Verification reads the archived files themselves and checks their signatures on every request.
  {
    id: 'GetVerification',
    method: 'GET',
    path: '/verify/{code}',
    handler: 'verify/get-verification',
    auth: 'public',
    access: { table: 'read', archive: ['read'] },
    memoryMb: 1024,
  },
  { id: 'VerifyDocument', method: 'POST', path: '/verify', handler: 'verify/verify-document', auth: 'public', access: { table: 'read', archive: ['read'] }, memoryMb: 1024 },
  // The first call of a ward with no configured chain issues (and archives) its self-issued certificate.
  {
    id: 'GetSigningKey',
    method: 'GET',
    path: '/verify/public-key',
    handler: 'verify/get-public-key',
    auth: 'public',
    access: { archive: ['read', 'write'], signing: true },
  },
  { id: 'GetOpenApi', method: 'GET', path: '/openapi.json', handler: 'docs/get-openapi', auth: 'public', access: {} },
  {
    id: 'CreateCounterDossier',
    method: 'POST',
    path: '/officer/dossiers',
    handler: 'officer/create-counter-dossier',
    auth: 'officer',
    roles: ['reception'],
    access: { table: 'readWrite', uploads: ['attach'], idHashKey: true, archive: ['read', 'write'], signing: true },
    // The receipt (form 01) is rendered, signed and archived with the dossier.
    memoryMb: 1024,
    rendersResults: true,
  },
  {
    id: 'ListDossiers',
    method: 'GET',
    path: '/officer/dossiers',
    handler: 'officer/list-dossiers',
    auth: 'officer',
    roles: ['reception', 'specialist', 'leader'],
    // The HMAC key turns a searched ID number into the applicant index's key.
    access: { table: 'read', idHashKey: true },
  },
  {
    id: 'GetOfficerDossier',
    method: 'GET',
    path: '/officer/dossiers/{code}',
    handler: 'officer/get-dossier',
    auth: 'officer',
    roles: ['reception', 'specialist', 'leader'],
    // Every officer read of a dossier is recorded in its access log (shared/use-cases/personal-data.ts).
    access: { table: 'readWrite' },
  },
  {
    id: 'TransitionDossier',
    method: 'POST',
    path: '/officer/dossiers/{code}/transitions',
    handler: 'officer/transition-dossier',
    auth: 'officer',
    roles: ['reception', 'specialist', 'leader'],
    access: { table: 'readWrite', archive: ['read', 'write'], signing: true },
    // Rendering a PDF (e-result or form) with its embedded font wants more than the default.
    memoryMb: 1024,
    rendersResults: true,
  },
  {
    id: 'SaveResultDraft',
    method: 'POST',
    path: '/officer/dossiers/{code}/result-draft',
    handler: 'officer/save-result-draft',
    auth: 'officer',
    roles: ['specialist'],
    access: { table: 'readWrite' },
  },
  {
    id: 'CancelResult',
    method: 'POST',
    path: '/officer/dossiers/{code}/result/cancel',
    handler: 'officer/cancel-result',
    auth: 'officer',
    roles: ['leader'],
    access: { table: 'readWrite', archive: ['read', 'write'], signing: true },
  },
  {
    id: 'ListOfficerDocuments',
    method: 'GET',
    path: '/officer/dossiers/{code}/documents',
    handler: 'officer/list-documents',
    auth: 'officer',
    roles: ['reception', 'specialist', 'leader'],
    access: { table: 'readWrite' },
  },
  {
    id: 'GetOfficerDocumentLink',
    method: 'GET',
    path: '/officer/dossiers/{code}/documents/{id}',
    handler: 'officer/get-document-link',
    auth: 'officer',
    roles: ['reception', 'specialist', 'leader'],
    access: { table: 'readWrite', archive: ['read'] },
  },

  {
    id: 'GetAttachmentLink',
    method: 'GET',
    path: '/officer/attachments/{id}',
    handler: 'officer/get-attachment-link',
    auth: 'officer',
    roles: ['reception', 'specialist', 'leader'],
    // The table: the upload's claim names its dossier, whose access log records the read.
    access: { table: 'readWrite', uploads: ['read'] },
  },
  {
    id: 'IssueApology',
    method: 'POST',
    path: '/officer/dossiers/{code}/apology',
    handler: 'officer/issue-apology',
    auth: 'officer',
    roles: ['leader'],
    // The apology letter (form 04) is rendered, signed and archived with the change.
    access: { table: 'readWrite', archive: ['read', 'write'], signing: true },
    memoryMb: 1024,
    rendersResults: true,
  },
  {
    id: 'GetRegister',
    method: 'GET',
    path: '/officer/register',
    handler: 'officer/get-register',
    auth: 'officer',
    roles: ['reception', 'leader'],
    // The PDF (form 07) is rendered, signed, archived and recorded with its manifest entry.
    access: { table: 'readWrite', archive: ['read', 'write'], signing: true },
    memoryMb: 1024,
    rendersResults: true,
  },
  { id: 'GetKpis', method: 'GET', path: '/officer/kpis', handler: 'officer/get-kpis', auth: 'officer', roles: ['leader'], access: { table: 'read' } },
  { id: 'GetSyncStatus', method: 'GET', path: '/officer/sync-status', handler: 'officer/get-sync-status', auth: 'officer', roles: ['leader'], access: { table: 'read' } },
  // Personal data duties (Law 91/2025/QH15): the data subject's export, its records, and the access log, for the leader.
  {
    id: 'CreateDataSubjectExport',
    method: 'POST',
    path: '/officer/data-subject-exports',
    handler: 'officer/create-data-subject-export',
    auth: 'officer',
    roles: ['leader'],
    access: { table: 'readWrite', idHashKey: true },
  },
  {
    id: 'ListDataSubjectExports',
    method: 'GET',
    path: '/officer/data-subject-exports',
    handler: 'officer/list-data-subject-exports',
    auth: 'officer',
    roles: ['leader'],
    access: { table: 'read' },
  },
  { id: 'GetAccessLog', method: 'GET', path: '/officer/access-log', handler: 'officer/get-access-log', auth: 'officer', roles: ['leader'], access: { table: 'read' } },
];
