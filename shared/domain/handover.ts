import * as z from 'zod';
import type { Dossier } from './dossier';

/**
 * Reception without administrative boundaries (Decree 118/2025/NĐ-CP): any ward's counter, or
 * its portal, takes a dossier for a procedure another ward is competent for. The receiving ward
 * numbers it (the code embeds its agency code) and hands it over the city bus to the competent
 * ward, which resolves it; the dossier keeps that one code and one history in both wards. The
 * competent ward runs the deadline clock and sends every SMS; the receiving ward keeps a read-only
 * copy that the competent ward's changes update, and returns the e-result there if the citizen
 * chose so.
 */

/** Where the citizen takes the result: at the ward that received the dossier, at the competent ward, or by post. */
export const RESULT_RETURN_PLACES = ['RECEIVING_WARD', 'COMPETENT_WARD', 'POST'] as const;
export type ResultReturnPlace = (typeof RESULT_RETURN_PLACES)[number];

const WARD_SLUG = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;

/** What a submission (online or at the counter) adds to be handed to another ward. */
export const HandOverRequestSchema = z
  .object({
    competentWard: z.string().regex(WARD_SLUG).meta({ description: 'The slug of the ward competent for the procedure (it resolves the dossier)', example: 'cua-nam' }),
    resultReturn: z.enum(RESULT_RETURN_PLACES).default('RECEIVING_WARD').meta({ description: 'Where the citizen takes the result' }),
  })
  .strict();
export type HandOverRequest = z.output<typeof HandOverRequestSchema>;

/** A dossier's hand-over, as both wards keep it on their copy. */
export interface HandOver {
  readonly receivingWard: string;
  readonly competentWard: string;
  readonly resultReturn: ResultReturnPlace;
  /** When the receiving ward took the dossier and handed it over. */
  readonly requestedAt: Date;
  /** When the competent ward created the dossier in its table (its acknowledgement); absent until then. */
  readonly acknowledgedAt?: Date;
}

/** The ward holds a copy of a dossier it handed to another ward: it shows it, the other ward changes it. */
export const isHandedAway = (dossier: Pick<Dossier, 'handOver'>, wardSlug: string): boolean =>
  dossier.handOver !== undefined && dossier.handOver.receivingWard === wardSlug && dossier.handOver.competentWard !== wardSlug;

/** The ward resolves a dossier another ward received: its changes go back to that ward. */
export const isHandedIn = (dossier: Pick<Dossier, 'handOver'>, wardSlug: string): boolean =>
  dossier.handOver !== undefined && dossier.handOver.competentWard === wardSlug && dossier.handOver.receivingWard !== wardSlug;

/**
 * Whether a copy of the competent ward's dossier replaces the receiving ward's copy: only a later
 * version does, so redelivered and out-of-order updates change nothing.
 */
export const isNewerCopy = (current: Pick<Dossier, 'version'>, incoming: Pick<Dossier, 'version'>): boolean => incoming.version > current.version;

/** The problem of a hand-over request, or undefined: another ward, one the city has. */
export function handOverProblem(request: HandOverRequest, receivingWard: string, cityWards: ReadonlySet<string>): 'SAME_WARD' | 'UNKNOWN_WARD' | undefined {
  if (request.competentWard === receivingWard) return 'SAME_WARD';
  if (!cityWards.has(request.competentWard)) return 'UNKNOWN_WARD';
  return undefined;
}

/** "Handed over to X, acknowledged at T" (or awaiting), as both wards show it. */
export function handOverSummary(handOver: HandOver, wardName: (slug: string) => string): { readonly vi: string; readonly en: string } {
  const to = wardName(handOver.competentWard);
  const from = wardName(handOver.receivingWard);
  if (handOver.acknowledgedAt === undefined) {
    return { vi: `Tiếp nhận tại ${from}, đang chuyển đến ${to}`, en: `Received at ${from}, being handed over to ${to}` };
  }
  const at = handOver.acknowledgedAt.toISOString();
  return { vi: `Tiếp nhận tại ${from}, đã chuyển đến ${to}, xác nhận lúc ${at}`, en: `Received at ${from}, handed over to ${to}, acknowledged at ${at}` };
}
