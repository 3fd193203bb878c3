import { catalogInForce, ProcedureSchema, type Procedure } from '../domain/procedure';
import type { CatalogStore } from './ports';

/**
 * Loads the ward's catalog into the table (by the deploy and by local mode): every version is
 * validated first, so a bad entry fails the load before anything is written; the versions in
 * force on `onDate` (Vietnam time) become the published catalog.
 */
export async function loadCatalog(catalog: CatalogStore, procedures: readonly Procedure[], onDate: string) {
  const validated = procedures.map((procedure) => ProcedureSchema.parse(procedure));
  const versions = new Set<string>();
  for (const procedure of validated) {
    const id = `${procedure.code}@${procedure.version}`;
    if (versions.has(id)) throw new Error(`the catalog has ${id} twice`);
    versions.add(id);
  }
  return catalog.replaceCatalog(validated, catalogInForce(validated, onDate));
}
