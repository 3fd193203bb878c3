import { systemClock } from '../use-cases/ports';
import type { IssuingDeps } from '../use-cases/issue-document';
import { publicBaseUrl, ward } from './env';
import { logger } from './observability';
import { documentArchive } from './s3';
import { signingIdentity } from './signing';

/** What every function that issues documents (signed, archived PDFs) is given. */
export const issuingDeps = (): IssuingDeps => ({
  signingIdentity,
  archive: documentArchive(),
  ward,
  clock: systemClock,
  publicBaseUrl,
  onPublishFailure: (entry, error) => logger.warn('manifest entry not yet copied to the archive; the daily seal will copy it', { sequence: entry.sequence, error }),
});
