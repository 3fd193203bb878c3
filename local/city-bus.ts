/**
 * Local mode's city bus: an HTTP server on 127.0.0.1 speaking the EventBridge API the SDK uses
 * (the AWS JSON 1.1 protocol: `POST /` with `X-Amz-Target: AWSEvents.PutEvents`), so the wards'
 * EventBridge client reaches it through `AWS_ENDPOINT_URL_EVENTBRIDGE`. It holds the rules the
 * ward stacks put on the city bus (infra/constructs/city-handover.ts): an event whose
 * `detail.toWard` is a ward's slug goes to that ward's inbound queue, as EventBridge's SQS target
 * sends it (the event's envelope as the message body). Only `mot-cua-so-city` exists, and each
 * entry's source must be a ward's (`mot-cua-so.ward.<slug>`).
 *
 * Faults for tests: {@link LocalCityBus.dropNext} loses deliveries, as a target that never got
 * the event (the sender's retry must make up for it).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CITY_BUS_NAME } from '../shared/domain/city';
import { LOCAL_ACCOUNT_ID, LOCAL_AWS_REGION, localSqsClientConfig } from './local-aws';

const WARD_SOURCE = /^mot-cua-so\.ward\.([a-z][a-z0-9-]{1,30}[a-z0-9])$/;
/** PutEvents takes at most ten entries, each at most 256 KB. */
const MAX_ENTRIES = 10;
const MAX_ENTRY_BYTES = 256 * 1024;

export interface CityBusRule {
  /** The ward whose rule it is: `detail.toWard` = this slug. */
  readonly wardSlug: string;
  /** The ward's inbound queue (local/sqs-server.ts). */
  readonly queueUrl: string;
}

/** One event the bus took, as a test or the bench sees it. */
export interface BusRecord {
  readonly at: number;
  readonly source: string;
  readonly detailType: string;
  readonly toWard: string | undefined;
  readonly dossierCode: string | undefined;
  /** `DELIVERED` to the rule's queue, `DROPPED` by an injected fault, `UNMATCHED` by any rule. */
  readonly outcome: 'DELIVERED' | 'DROPPED' | 'UNMATCHED';
}

export interface LocalCityBus {
  /** `http://127.0.0.1:<port>`, for AWS_ENDPOINT_URL_EVENTBRIDGE. */
  readonly endpoint: string;
  addRule(rule: CityBusRule): void;
  /** Loses the next `count` deliveries of events of `detailType` (to any ward). */
  dropNext(detailType: string, count?: number): void;
  /** Every event taken so far, oldest first. */
  records(): readonly BusRecord[];
  stop(): Promise<void>;
}

export interface StartLocalCityBusOptions {
  readonly sqsEndpoint: string;
  readonly port?: number;
}

export async function startLocalCityBus(options: StartLocalCityBusOptions): Promise<LocalCityBus> {
  const sqs = new SQSClient(localSqsClientConfig(options.sqsEndpoint));
  const rules = new Map<string, CityBusRule>();
  const drops = new Map<string, number>();
  const records: BusRecord[] = [];

  async function putEvents(body: unknown): Promise<{ status: number; body: unknown }> {
    const entries = isRecord(body) && Array.isArray(body.Entries) ? (body.Entries as unknown[]) : undefined;
    if (!entries || entries.length === 0 || entries.length > MAX_ENTRIES) return validation(`Entries must hold 1 to ${MAX_ENTRIES} entries`);
    const results: Record<string, string>[] = [];
    for (const entry of entries) results.push(await putEntry(entry));
    return { status: 200, body: { FailedEntryCount: results.filter((result) => result.ErrorCode !== undefined).length, Entries: results } };
  }

  async function putEntry(entry: unknown): Promise<Record<string, string>> {
    if (!isRecord(entry)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'an entry must be an object' };
    const { Source: source, DetailType: detailType, Detail: detailText, EventBusName: busName } = entry;
    if (busName !== CITY_BUS_NAME) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${String(busName)} does not exist.` };
    if (typeof source !== 'string' || !WARD_SOURCE.test(source)) return { ErrorCode: 'AccessDeniedException', ErrorMessage: `source ${String(source)} is not a ward's` };
    if (typeof detailType !== 'string' || typeof detailText !== 'string') return { ErrorCode: 'MalformedDetail', ErrorMessage: 'DetailType and Detail are required' };
    if (Buffer.byteLength(detailText) > MAX_ENTRY_BYTES) return { ErrorCode: 'ValidationException', ErrorMessage: 'entry larger than 256 KB' };
    let detail: unknown;
    try {
      detail = JSON.parse(detailText);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not JSON' };
    }
    if (!isRecord(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail must be a JSON object' };
    const id = randomUUID();
    const toWard = typeof detail.toWard === 'string' ? detail.toWard : undefined;
    const dossierCode = typeof detail.dossierCode === 'string' ? detail.dossierCode : undefined;
    const rule = toWard === undefined ? undefined : rules.get(toWard);
    const record = (outcome: BusRecord['outcome']) => records.push({ at: Date.now(), source, detailType, toWard, dossierCode, outcome });
    if (!rule) {
      record('UNMATCHED');
      return { EventId: id };
    }
    const dropsLeft = drops.get(detailType) ?? 0;
    if (dropsLeft > 0) {
      drops.set(detailType, dropsLeft - 1);
      record('DROPPED');
      return { EventId: id };
    }
    // What EventBridge's SQS target sends: the whole event.
    const event = {
      version: '0',
      id,
      'detail-type': detailType,
      source,
      account: LOCAL_ACCOUNT_ID,
      time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: LOCAL_AWS_REGION,
      resources: [],
      detail,
    };
    await sqs.send(new SendMessageCommand({ QueueUrl: rule.queueUrl, MessageBody: JSON.stringify(event) }));
    record('DELIVERED');
    return { EventId: id };
  }

  const server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const target = request.headers['x-amz-target'];
      let answer: { status: number; body: unknown };
      if (request.method !== 'POST' || target !== 'AWSEvents.PutEvents') {
        answer = { status: 400, body: { __type: 'UnknownOperationException', message: `local city bus: only AWSEvents.PutEvents, not ${String(target)}` } };
      } else {
        let parsed: unknown;
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          parsed = undefined;
        }
        answer = parsed === undefined ? validation('the body is not JSON') : await putEvents(parsed);
      }
      response.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
      response.end(JSON.stringify(answer.body));
    } catch (error) {
      response.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ __type: 'InternalException', message: error instanceof Error ? error.message : String(error) }));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    addRule: (rule) => rules.set(rule.wardSlug, rule),
    dropNext: (detailType, count = 1) => drops.set(detailType, (drops.get(detailType) ?? 0) + count),
    records: () => [...records],
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      sqs.destroy();
    },
  };
}

function validation(message: string): { status: number; body: unknown } {
  return { status: 400, body: { __type: 'ValidationException', message } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
