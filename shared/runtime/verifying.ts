import type { VerifyDeps } from '../use-cases/verify-documents';
import { documentStore, dossierStore } from './dynamodb';
import { ward } from './env';
import { documentArchive } from './s3';

/** What the verification routes read: the ward's records and the archive itself. */
export const verifyDeps = (): VerifyDeps => ({ dossiers: dossierStore(), documents: documentStore(), archive: documentArchive(), ward });
