import { randomUUID } from 'node:crypto';
import type { Actor, Dossier, HistoryEvent, KpiIncrements } from '../domain/dossier';
import { domainEvent, type DomainEvent, type DomainEventType, type EventData } from '../domain/events';
import { vietnamDate } from '../domain/time';
import { publishManifestEntries, type IssuingDeps } from './issue-document';
import type { ArchiveRecords, DossierStore } from './ports';

/** What recordChange adds to every event's data, from the dossier after the change. */
type DossierFacts = 'phone' | 'procedureName';
type WithoutFacts<D> = D extends unknown ? Omit<D, DossierFacts> : never;

/** The outbox event of a change: its type and its data but for what {@link recordChange} adds from the dossier. */
export type ChangeEvent = { [T in DomainEventType]: { readonly type: T; readonly data: WithoutFacts<EventData<T>> } }[DomainEventType];

export interface Change {
  readonly before: Dossier;
  /** The dossier after the change; its version and updatedAt are set here. */
  readonly after: Dossier;
  readonly actor: Actor;
  readonly action: HistoryEvent['action'];
  /** The outbox event; absent for a change nobody outside the ward hears of (a result draft). */
  readonly event?: ChangeEvent;
  readonly kpi?: KpiIncrements;
  readonly note?: string;
  /** For the history: what a request lets the citizen change, or what a supplement changed. */
  readonly scope?: Pick<HistoryEvent, 'requested' | 'changed'>;
  readonly at: Date;
  /** Uploads the change attaches, claimed for the dossier in its transaction. */
  readonly claims?: readonly string[];
  /** Documents the change archived (or a cancellation): recorded, with their manifest entries, in its transaction. */
  readonly records?: ArchiveRecords;
  /** Where the committed manifest entries are copied (the archive), with `records`. */
  readonly publish?: Pick<IssuingDeps, 'archive' | 'onPublishFailure'>;
}

/**
 * Writes one change of a dossier: the new state (on condition that the dossier is still at the
 * version it was decided on), its history event (numbered by the new version), its outbox event
 * (with what the notifier needs), the day's KPI counters and what it archived (document records
 * and manifest entries), all in one transaction.
 *
 * @throws VersionConflictError when another change came first
 * @throws UploadAlreadyAttachedError when another dossier claimed one of `claims` first
 */
export async function recordChange(dossiers: DossierStore, change: Change): Promise<Dossier> {
  const after: Dossier = { ...change.after, version: change.before.version + 1, updatedAt: change.at };
  const { manifest } = await dossiers.applyChange({
    expectedVersion: change.before.version,
    dossier: after,
    history: {
      sequence: after.version,
      at: change.at,
      actor: change.actor,
      action: change.action,
      from: change.before.status,
      to: after.status,
      ...(change.note ? { note: change.note } : {}),
      ...change.scope,
      ...(after.appointmentAt ? { appointmentAt: after.appointmentAt } : {}),
      // A request made by this change (its pending request dates from it) keeps its items with the step.
      ...(after.pending && after.pending.requestedAt.getTime() === change.at.getTime() && after.pending.items.length > 0 ? { items: after.pending.items } : {}),
    },
    // The type and its data are checked together where the change is decided (ChangeEvent), and here by the schema.
    ...(change.event
      ? {
          event: domainEvent({
            id: randomUUID(),
            type: change.event.type,
            dossierCode: after.code,
            at: change.at,
            data: { phone: after.applicant.phone, procedureName: after.procedure.name, ...change.event.data },
          } as DomainEvent),
        }
      : {}),
    ...(change.kpi ? { kpi: { date: vietnamDate(change.at), increments: change.kpi } } : {}),
    ...(change.records ? { records: change.records } : {}),
    ...(change.claims?.length ? { claims: change.claims } : {}),
  });
  if (change.publish && manifest.length > 0) await publishManifestEntries(change.publish, manifest);
  return after;
}
