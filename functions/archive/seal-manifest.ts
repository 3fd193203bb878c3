import { documentStore } from '../../shared/runtime/dynamodb';
import { issuingDeps } from '../../shared/runtime/issuing';
import { logger } from '../../shared/runtime/observability';
import { sealManifest } from '../../shared/use-cases/seal-manifest';

const deps = { ...issuingDeps(), documents: documentStore() };

/** Runs on the schedule of shared/runtime/schedules.ts (just after midnight, Vietnam time). */
export const handler = async (): Promise<{ sealed: string[] }> => {
  const sealed = await sealManifest(deps);
  logger.info('archive manifest sealed', { days: sealed });
  return { sealed };
};
