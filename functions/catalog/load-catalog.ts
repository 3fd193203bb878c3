import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { CATALOG } from '../../shared/catalog/procedures';
import { vietnamDate } from '../../shared/domain/time';
import { catalogStore } from '../../shared/runtime/dynamodb';
import { logger } from '../../shared/runtime/observability';
import { loadCatalog } from '../../shared/use-cases/load-catalog';

const catalog = catalogStore();

/**
 * Custom resource of the deploy: writes the ward's catalog into the table on create and update
 * (the stack passes a hash of the catalog, so a catalog change updates the resource). Deleting
 * the stack leaves the catalog: the table itself is retained. A version whose `effectiveFrom` is
 * still ahead becomes current at the next load on or after that day.
 */
export const handler = async (event: CloudFormationCustomResourceEvent) => {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const loaded = await loadCatalog(catalog, CATALOG, vietnamDate(new Date()));
  logger.info('catalog loaded', { ...loaded });
  return { PhysicalResourceId: 'catalog', Data: loaded };
};
