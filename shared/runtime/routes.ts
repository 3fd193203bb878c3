import type { OfficerRole } from '../domain/status';

/** What a function may touch; the CDK stack grants exactly this, and sets the matching variables. */
export interface RouteAccess {
  readonly table?: 'read' | 'readWrite';
  /** `presign`: create presigned uploads; `attach`: check and claim uploaded objects; `read`: presigned downloads. */
  readonly uploads?: readonly ('presign' | 'attach' | 'read')[];
  /** HMAC key that hashes personal ID numbers before they become index keys. */
  readonly idHashKey?: boolean;
  /** The write-once e-result archive: `write` stores new e-copies, `read` presigns downloads. */
  readonly archive?: readonly ('write' | 'read')[];
}

export interface RouteDefinition {
  /** Stable id, also the Lambda function's logical name. */
  readonly id: string;
  readonly method: 'GET' | 'POST';
  /** API Gateway resource path, with `{param}` placeholders. */
  readonly path: string;
  /** Entry point under `functions/`, without extension. */
  readonly handler: string;
  readonly auth: 'public' | 'officer';
  readonly roles?: readonly OfficerRole[];
  readonly access: RouteAccess;
  /** Memory in MB; defaults to 512. */
  readonly memoryMb?: number;
  /** Renders e-result PDFs: its bundle ships the fonts (shared/documents/fonts). */
  readonly rendersResults?: boolean;
}

/** Request headers a browser may send (the CORS preflights of the stack and of local mode). */
export const CORS_ALLOWED_HEADERS = ['Content-Type', 'Accept-Language', 'Idempotency-Key', 'X-Dossier-Secret', 'If-Match', 'Authorization'];

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
  { id: 'CreateUpload', method: 'POST', path: '/uploads', handler: 'uploads/create-upload', auth: 'public', access: { uploads: ['presign'] } },
  {
    id: 'SubmitDossier',
    method: 'POST',
    path: '/dossiers',
    handler: 'dossiers/submit-dossier',
    auth: 'public',
    access: { table: 'readWrite', uploads: ['attach'], idHashKey: true },
  },
  { id: 'GetDossierStatus', method: 'GET', path: '/dossiers/{code}/status', handler: 'dossiers/get-dossier-status', auth: 'public', access: { table: 'read' } },
  { id: 'GetDossier', method: 'GET', path: '/dossiers/{code}', handler: 'dossiers/get-dossier', auth: 'public', access: { table: 'read' } },
  { id: 'WithdrawDossier', method: 'POST', path: '/dossiers/{code}/withdraw', handler: 'dossiers/withdraw-dossier', auth: 'public', access: { table: 'readWrite' } },
  {
    id: 'SupplementDossier',
    method: 'POST',
    path: '/dossiers/{code}/supplement',
    handler: 'dossiers/supplement-dossier',
    auth: 'public',
    access: { table: 'readWrite', uploads: ['attach'] },
  },
  {
    id: 'GetResultLink',
    method: 'GET',
    path: '/dossiers/{code}/result',
    handler: 'dossiers/get-result-link',
    auth: 'public',
    access: { table: 'readWrite', archive: ['read'] },
  },
  { id: 'RateDossier', method: 'POST', path: '/dossiers/{code}/rating', handler: 'dossiers/rate-dossier', auth: 'public', access: { table: 'readWrite' } },
  { id: 'GetOpenApi', method: 'GET', path: '/openapi.json', handler: 'docs/get-openapi', auth: 'public', access: {} },
  {
    id: 'CreateCounterDossier',
    method: 'POST',
    path: '/officer/dossiers',
    handler: 'officer/create-counter-dossier',
    auth: 'officer',
    roles: ['reception'],
    access: { table: 'readWrite', uploads: ['attach'], idHashKey: true },
  },
  {
    id: 'ListDossiers',
    method: 'GET',
    path: '/officer/dossiers',
    handler: 'officer/list-dossiers',
    auth: 'officer',
    roles: ['reception', 'specialist', 'leader'],
    access: { table: 'read' },
  },
  {
    id: 'GetOfficerDossier',
    method: 'GET',
    path: '/officer/dossiers/{code}',
    handler: 'officer/get-dossier',
    auth: 'officer',
    roles: ['reception', 'specialist', 'leader'],
    access: { table: 'read' },
  },
  {
    id: 'TransitionDossier',
    method: 'POST',
    path: '/officer/dossiers/{code}/transitions',
    handler: 'officer/transition-dossier',
    auth: 'officer',
    roles: ['reception', 'specialist', 'leader'],
    access: { table: 'readWrite', archive: ['write'] },
    // Rendering a PDF e-copy with its embedded font wants more than the default.
    memoryMb: 1024,
    rendersResults: true,
  },
  {
    id: 'GetAttachmentLink',
    method: 'GET',
    path: '/officer/attachments/{id}',
    handler: 'officer/get-attachment-link',
    auth: 'officer',
    roles: ['reception', 'specialist', 'leader'],
    access: { uploads: ['read'] },
  },
  {
    id: 'IssueApology',
    method: 'POST',
    path: '/officer/dossiers/{code}/apology',
    handler: 'officer/issue-apology',
    auth: 'officer',
    roles: ['leader'],
    access: { table: 'readWrite' },
  },
  { id: 'GetKpis', method: 'GET', path: '/officer/kpis', handler: 'officer/get-kpis', auth: 'officer', roles: ['leader'], access: { table: 'read' } },
];
