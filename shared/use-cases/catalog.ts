import { computeAppointment } from '../domain/calendar';
import { NotFoundError } from '../domain/errors';
import type { OnlineLevel, Procedure } from '../domain/procedure';
import type { OfficeHours } from '../domain/ward-config';
import type { CatalogStore } from './ports';

export interface CatalogFilter {
  readonly field?: string;
  readonly onlineLevel?: OnlineLevel;
}

/** The published catalog, optionally by field and online level, ordered by field then code. */
export async function listProcedures(catalog: CatalogStore, filter: CatalogFilter): Promise<Procedure[]> {
  const procedures = await catalog.listCurrent();
  return procedures
    .filter((p) => (filter.field === undefined || p.field === filter.field) && (filter.onlineLevel === undefined || p.onlineLevel === filter.onlineLevel))
    .sort((a, b) => a.field.localeCompare(b.field, 'vi') || a.code.localeCompare(b.code));
}

/** @throws NotFoundError when no published procedure has that code. */
export async function getProcedure(catalog: CatalogStore, code: string): Promise<Procedure> {
  const procedure = await catalog.getCurrent(code);
  if (!procedure) throw unknownProcedure(code);
  return procedure;
}

/**
 * The appointment a dossier received at `at` would get, so that a citizen knows it before submitting.
 * @throws NotFoundError for an unknown procedure.
 */
export async function previewAppointment(catalog: CatalogStore, officeHours: OfficeHours, code: string, at: Date) {
  const procedure = await getProcedure(catalog, code);
  const { clockStartsAt, appointmentAt } = computeAppointment({
    receivedAt: at,
    timeLimitDays: procedure.timeLimitDays,
    officeHours,
    worksOnHolidays: procedure.worksOnHolidays,
  });
  return { procedure, receivedAt: at, clockStartsAt, appointmentAt };
}

export const unknownProcedure = (code: string) => new NotFoundError({ vi: `Không có thủ tục mã ${code} trong danh mục.`, en: `There is no procedure ${code} in the catalog.` });
