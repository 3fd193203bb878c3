import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { CITY_BUS_NAME, wardEventSource } from '../../domain/city';
import type { Dossier, HistoryEvent } from '../../domain/dossier';
import { CityEventSchema, type CityEvent } from '../../domain/events';
import type { CityBus, CityMessage } from '../../use-cases/ports';
import { dossierFromItem, historyFromItem, storedForm } from '../dynamodb/items';

/** EventBridge refuses an entry over 256 KB; an e-result's PDF larger than this travels without its copy (the receiving ward then shows the result's record only). */
export const MAX_RESULT_COPY_BYTES = 160 * 1024;

/**
 * The city bus on EventBridge: each message is one PutEvents entry on `mot-cua-so-city`, with
 * this ward's source (the only one the bus's policy lets it use), the message type as its
 * detail-type and the whole message as its detail (CityEventSchema). A refused entry throws, so
 * the caller's retry puts it again.
 */
export function eventBridgeCityBus(client: EventBridgeClient, wardSlug: string): CityBus {
  return {
    async publish(message) {
      const detail = CityEventSchema.parse(wireForm(message));
      const result = await client.send(
        new PutEventsCommand({
          Entries: [{ EventBusName: CITY_BUS_NAME, Source: wardEventSource(wardSlug), DetailType: detail.type, Detail: JSON.stringify(detail) }],
        }),
      );
      const failed = result.Entries?.find((entry) => entry.ErrorCode !== undefined);
      if ((result.FailedEntryCount ?? 0) > 0 || failed)
        throw new Error(`the city bus refused ${message.type} of ${message.dossierCode}: ${failed?.ErrorCode ?? ''} ${failed?.ErrorMessage ?? ''}`);
    },
  };
}

function wireForm(message: CityMessage): CityEvent {
  switch (message.type) {
    case 'DOSSIER_HANDED_OVER':
      return { ...message, dossier: storedForm(message.dossier), history: message.history.map(storedForm) };
    case 'HANDOVER_ACKNOWLEDGED':
      return { ...message, acknowledgedAt: message.acknowledgedAt.toISOString() };
    case 'DOSSIER_UPDATED': {
      const { resultPdf, ...rest } = message;
      return {
        ...rest,
        dossier: storedForm(message.dossier),
        history: message.history.map(storedForm),
        ...(resultPdf ? { resultPdf: { base64: Buffer.from(resultPdf.bytes).toString('base64'), sha256: resultPdf.sha256 } } : {}),
      };
    }
  }
}

/** What an EventBridge rule delivers to an SQS queue: the event's envelope, with the message as `detail`. */
const DeliveredEventSchema = z.object({ source: z.string(), 'detail-type': z.string(), detail: z.unknown() });

/** A delivered body that is no city message (or names another source than its sender ward's): no attempt can apply it. */
export class MalformedCityMessageError extends Error {
  constructor(detail: string) {
    super(`malformed city bus message: ${detail}`);
    this.name = 'MalformedCityMessageError';
  }
}

/**
 * The message of a body the city bus delivered to this ward's queue, checked against its type's
 * schema, its dossier and history against the data layer's, and its source against its sender.
 *
 * @throws MalformedCityMessageError
 */
export function cityMessageOfDelivery(body: string): CityMessage {
  let detail: CityEvent;
  let source: string;
  try {
    const envelope = DeliveredEventSchema.parse(JSON.parse(body));
    detail = CityEventSchema.parse(envelope.detail);
    source = envelope.source;
  } catch (error) {
    throw new MalformedCityMessageError(error instanceof z.ZodError ? z.prettifyError(error) : String(error));
  }
  if (source !== wardEventSource(detail.fromWard)) throw new MalformedCityMessageError(`${detail.type} from ${detail.fromWard} came with source ${source}`);
  const asDossier = (record: Record<string, unknown>): Dossier => dossierFromItem(record);
  const asHistory = (records: readonly Record<string, unknown>[]): HistoryEvent[] => records.map(historyFromItem);
  try {
    switch (detail.type) {
      case 'DOSSIER_HANDED_OVER':
        return { ...detail, dossier: asDossier(detail.dossier), history: asHistory(detail.history) };
      case 'HANDOVER_ACKNOWLEDGED':
        return { ...detail, acknowledgedAt: new Date(detail.acknowledgedAt) };
      case 'DOSSIER_UPDATED': {
        const { resultPdf, ...rest } = detail;
        return {
          ...rest,
          dossier: asDossier(detail.dossier),
          history: asHistory(detail.history),
          ...(resultPdf ? { resultPdf: { bytes: new Uint8Array(Buffer.from(resultPdf.base64, 'base64')), sha256: resultPdf.sha256 } } : {}),
        };
      }
    }
  } catch (error) {
    throw new MalformedCityMessageError(error instanceof z.ZodError ? z.prettifyError(error) : String(error));
  }
}
