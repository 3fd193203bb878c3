import { randomUUID } from 'node:crypto';
import type { Dossier, HistoryEvent, KpiIncrements } from '../domain/dossier';
import { domainEvent, type DomainEvent, type EventOf } from '../domain/events';
import { isHandedAway, isHandedIn } from '../domain/handover';
import { vietnamDate } from '../domain/time';
import { receiptCounters } from './kpi-counters';
import type { CityBus, CityMessage, Clock, DocumentArchive, DossierStore, HandOverQueue, HandOverStore, IdHasher } from './ports';

/**
 * Reception without boundaries (shared/domain/handover.ts), ward to ward over the city bus:
 *
 * 1. The receiving ward writes the dossier with a DOSSIER_FILED_FOR_WARD event; its hand-over
 *    consumer queues the dossier ({@link queueHandOver}).
 * 2. The hand-over worker puts the dossier on the bus at each delivery of that message until the
 *    competent ward acknowledges it ({@link handOverUntilAcknowledged}); the queue's redrive policy
 *    dead-letters a hand-over never acknowledged.
 * 3. The competent ward's receiver takes the dossier over once, and acknowledges every delivery
 *    ({@link receiveCityMessage}): a hand-over put twice is one dossier with one history.
 * 4. Every change at the competent ward goes back as the dossier's new state
 *    ({@link sendCopyToReceivingWard}); the receiving ward's copy takes only newer versions, and
 *    keeps the e-result's copy to return it.
 */

export interface HandOverDeps {
  readonly ward: { readonly slug: string };
  readonly dossiers: DossierStore;
  readonly bus: CityBus;
}

/** Step 1: the receiving ward's stream consumer, on DOSSIER_FILED_FOR_WARD. */
export async function queueHandOver(deps: { readonly queue: HandOverQueue }, event: EventOf<'DOSSIER_FILED_FOR_WARD'>): Promise<void> {
  await deps.queue.enqueue(event.dossierCode);
}

/**
 * Step 2: one delivery of a queued hand-over. `ACKNOWLEDGED`: done (the message may go);
 * `SENT`: put on the bus (again), to be checked at the message's next delivery.
 */
export async function handOverUntilAcknowledged(deps: HandOverDeps, dossierCode: string): Promise<'ACKNOWLEDGED' | 'SENT'> {
  const found = await deps.dossiers.getDossierWithHistory(dossierCode);
  if (!found) throw new Error(`hand-over of ${dossierCode}: no such dossier`);
  const { dossier, history } = found;
  if (!dossier.handOver || !isHandedAway(dossier, deps.ward.slug)) throw new Error(`hand-over of ${dossierCode}: not a dossier this ward hands over`);
  if (dossier.handOver.acknowledgedAt !== undefined) return 'ACKNOWLEDGED';
  await deps.bus.publish({
    type: 'DOSSIER_HANDED_OVER',
    id: randomUUID(),
    toWard: dossier.handOver.competentWard,
    fromWard: deps.ward.slug,
    dossierCode,
    dossier,
    history,
  });
  return 'SENT';
}

export interface ReceiveDeps extends HandOverDeps {
  readonly handOvers: HandOverStore;
  readonly idHasher: IdHasher;
  readonly archive: DocumentArchive;
  readonly clock: Clock;
}

export type ReceiveOutcome = 'TAKEN_OVER' | 'ALREADY_TAKEN_OVER' | 'ACKNOWLEDGED' | 'COPY_UPDATED' | 'COPY_STALE';

/**
 * Step 3 and the receiving ward's side of step 4: one message the city bus delivered to this ward.
 *
 * @throws when the message is for another ward, or an e-result copy does not match its record
 */
export async function receiveCityMessage(deps: ReceiveDeps, message: CityMessage): Promise<ReceiveOutcome> {
  if (message.toWard !== deps.ward.slug) throw new Error(`city message ${message.id} is for ${message.toWard}, not ${deps.ward.slug}`);
  switch (message.type) {
    case 'DOSSIER_HANDED_OVER': {
      const { outcome, acknowledgedAt } = await takeOver(deps, message.dossier, message.history, message.fromWard);
      // Every delivery is acknowledged: the first acknowledgement may have been lost.
      await deps.bus.publish({
        type: 'HANDOVER_ACKNOWLEDGED',
        id: randomUUID(),
        toWard: message.fromWard,
        fromWard: deps.ward.slug,
        dossierCode: message.dossierCode,
        acknowledgedAt,
      });
      return outcome;
    }
    case 'HANDOVER_ACKNOWLEDGED':
      await deps.handOvers.recordAcknowledgement(message.dossierCode, message.acknowledgedAt);
      return 'ACKNOWLEDGED';
    case 'DOSSIER_UPDATED': {
      if (!isHandedAway(message.dossier, deps.ward.slug)) throw new Error(`city message ${message.id}: ${message.dossierCode} is no dossier this ward handed over`);
      const result = message.dossier.result;
      if (message.resultPdf && result) {
        if (message.resultPdf.sha256 !== result.sha256) throw new Error(`city message ${message.id}: the e-result's copy is not the one the dossier records`);
        // The same key as the competent ward's archive: the ward's result link serves it as it is.
        await deps.archive.putPdf(result.archiveKey, message.resultPdf.bytes, result.sha256);
      }
      return (await deps.handOvers.updateCopy(message.dossier, message.history)) === 'UPDATED' ? 'COPY_UPDATED' : 'COPY_STALE';
    }
  }
}

/**
 * The competent ward's copy of a handed-over dossier: the receiving ward's dossier and history,
 * then one entry of its own (the take-over, which acknowledges), with the event the dossier's
 * intake would have had here — DOSSIER_SUBMITTED (SMS, officers' alert) or DOSSIER_RECEIVED (SMS,
 * and this ward's deadline clock) — and this ward's intake counters.
 */
async function takeOver(deps: ReceiveDeps, handed: Dossier, history: readonly HistoryEvent[], fromWard: string): Promise<{ outcome: ReceiveOutcome; acknowledgedAt: Date }> {
  if (!handed.handOver || handed.handOver.competentWard !== deps.ward.slug || handed.handOver.receivingWard !== fromWard) {
    throw new Error(`hand-over of ${handed.code}: its hand-over does not name ${fromWard} → ${deps.ward.slug}`);
  }
  const existing = await deps.dossiers.getDossier(handed.code);
  if (existing?.handOver?.acknowledgedAt) return { outcome: 'ALREADY_TAKEN_OVER', acknowledgedAt: existing.handOver.acknowledgedAt };
  const now = deps.clock.now();
  const dossier: Dossier = { ...handed, handOver: { ...handed.handOver, acknowledgedAt: now }, version: handed.version + 1, updatedAt: now };
  const entry: HistoryEvent = {
    sequence: dossier.version,
    at: now,
    actor: { role: 'system' },
    action: 'take-over',
    from: handed.status,
    to: handed.status,
    note: `Tiếp nhận hồ sơ do ${fromWard} chuyển đến`,
  };
  const outcome = await deps.handOvers.takeOver({
    dossier,
    history: [...history, entry],
    event: intakeEvent(dossier, now),
    kpi: { date: vietnamDate(now), increments: intakeCounters(dossier) },
    applicantKey: await deps.idHasher.hash(dossier.applicant.idNumber),
  });
  if (outcome === 'CREATED') return { outcome: 'TAKEN_OVER', acknowledgedAt: now };
  // A concurrent delivery wrote it first: its acknowledgement time is the one.
  const written = await deps.dossiers.getDossier(handed.code);
  return { outcome: 'ALREADY_TAKEN_OVER', acknowledgedAt: written?.handOver?.acknowledgedAt ?? now };
}

function intakeEvent(dossier: Dossier, at: Date): DomainEvent {
  const facts = { phone: dossier.applicant.phone, procedureName: dossier.procedure.name, procedureCode: dossier.procedure.code, fullyOnline: dossier.fullyOnline };
  const base = { id: randomUUID(), dossierCode: dossier.code, at };
  if (dossier.status === 'SUBMITTED') return domainEvent({ ...base, type: 'DOSSIER_SUBMITTED', data: facts });
  if (dossier.status === 'RECEIVED' && dossier.appointmentAt) {
    return domainEvent({
      ...base,
      type: 'DOSSIER_RECEIVED',
      data: { ...facts, appointmentAt: dossier.appointmentAt.toISOString(), clockGeneration: dossier.clockGeneration ?? 1, worksOnHolidays: dossier.procedure.worksOnHolidays },
    });
  }
  throw new Error(`hand-over of ${dossier.code}: a dossier ${dossier.status} cannot be handed over`);
}

function intakeCounters(dossier: Dossier): KpiIncrements {
  const submitted: KpiIncrements = { submitted: 1, submittedOnline: dossier.channel === 'ONLINE' ? 1 : 0, submittedFullyOnline: dossier.fullyOnline ? 1 : 0 };
  return dossier.status === 'RECEIVED' ? { ...submitted, ...receiptCounters(dossier) } : submitted;
}

export interface CopyDeps extends HandOverDeps {
  readonly archive: DocumentArchive;
  /** The largest e-result that travels with its copy (the bus's entry limit). */
  readonly maxResultCopyBytes: number;
}

/**
 * Step 4 at the competent ward: its stream consumer, on every event of a dossier: a dossier another
 * ward handed in goes back to it as it is now, with its whole history and the e-result's copy once
 * issued. Others are not this consumer's: 'NOT_HANDED_IN'.
 */
export async function sendCopyToReceivingWard(deps: CopyDeps, event: DomainEvent): Promise<'SENT' | 'NOT_HANDED_IN'> {
  const found = await deps.dossiers.getDossierWithHistory(event.dossierCode);
  if (!found || !found.dossier.handOver || !isHandedIn(found.dossier, deps.ward.slug)) return 'NOT_HANDED_IN';
  const { dossier, history } = found;
  const receivingWard = found.dossier.handOver.receivingWard;
  const result = dossier.result;
  const bytes = result && !result.cancellation && result.sizeBytes <= deps.maxResultCopyBytes ? await deps.archive.get(result.archiveKey) : undefined;
  await deps.bus.publish({
    type: 'DOSSIER_UPDATED',
    id: randomUUID(),
    toWard: receivingWard,
    fromWard: deps.ward.slug,
    dossierCode: dossier.code,
    dossier,
    history,
    ...(bytes && result ? { resultPdf: { bytes, sha256: result.sha256 } } : {}),
  });
  return 'SENT';
}
