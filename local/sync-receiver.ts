/**
 * Local mode's stand-in for the national portal's dossier-sync endpoint (or the city's TTHC
 * system): an HTTP server on 127.0.0.1 speaking the protocol of shared/adapters/http/
 * national-sync-client.ts. It checks the bearer token against the local secret, validates each
 * record with the very schema the consumer builds it with (shared/domain/national-sync.ts), and
 * appends what it accepted to a JSON-lines file, one line per delivery, a repeat of an
 * Idempotency-Key marked as such. While its outage file exists (or `setOutage(true)`), it answers
 * 503 to everything, as an endpoint that is down.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { access, appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import * as z from 'zod';
import { NationalSyncCredentialsSchema, type NationalSyncCredentials } from '../shared/adapters/secrets/national-sync-credentials';
import { NationalSyncRecordSchema, type NationalSyncRecord } from '../shared/domain/national-sync';

/** The path the receiver answers on, as the endpoint in the local secret names it. */
export const SYNC_RECEIVER_PATH = '/dvcqg/dong-bo-ho-so';
/** A record's JSON is a few KB; more is refused before it is parsed. */
const MAX_BODY_BYTES = 1024 * 1024;

/** One line of the receiver's file. */
export interface ReceivedSyncRecord {
  readonly receivedAt: string;
  readonly idempotencyKey: string;
  /** The same Idempotency-Key was accepted before (the record is not applied twice). */
  readonly duplicate: boolean;
  readonly record: NationalSyncRecord;
}

export interface SyncReceiverOptions {
  /** Where accepted records are appended (JSON lines). */
  readonly recordsFile: string;
  /** While this file exists the receiver is down (503). */
  readonly outageFile: string;
  /** The local secret (JSON `{"endpoint","token"}`): read for its token if it exists, and (re)written with this server's endpoint. */
  readonly secretFile: string;
  /** Defaults to any free port. */
  readonly port?: number;
}

export interface SyncReceiver {
  readonly endpoint: string;
  readonly token: string;
  readonly secretFile: string;
  /** The deliveries accepted so far, oldest first. */
  records(): Promise<ReceivedSyncRecord[]>;
  setOutage(on: boolean): Promise<void>;
  /** Requests answered, by status (refusals and outages included). */
  readonly answered: Readonly<Record<number, number>>;
  stop(): Promise<void>;
}

export async function startSyncReceiver(options: SyncReceiverOptions): Promise<SyncReceiver> {
  const token = (await readExistingToken(options.secretFile)) ?? randomBytes(24).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  const seenKeys = new Set((await readRecords(options.recordsFile)).map((line) => line.idempotencyKey));
  const answered: Record<number, number> = {};
  // One delivery applied at a time, as the file is appended to in arrival order.
  let queue: Promise<unknown> = Promise.resolve();

  const answer = (response: ServerResponse, status: number, body: unknown): void => {
    answered[status] = (answered[status] ?? 0) + 1;
    const json = JSON.stringify(body);
    response.writeHead(status, { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', 'Content-Length': Buffer.byteLength(json) });
    response.end(json);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (await exists(options.outageFile)) return answer(response, 503, { title: 'Service unavailable', status: 503, detail: 'the sync endpoint is down (local outage file)' });
    if (request.method !== 'POST' || new URL(request.url ?? '/', 'http://127.0.0.1').pathname !== SYNC_RECEIVER_PATH) {
      return answer(response, 404, { title: 'Not found', status: 404 });
    }
    const authorization = Buffer.from(request.headers.authorization ?? '');
    if (authorization.length !== expected.length || !timingSafeEqual(authorization, expected)) return answer(response, 401, { title: 'Unauthorized', status: 401 });
    const idempotencyKey = request.headers['idempotency-key'];
    if (typeof idempotencyKey !== 'string' || !/^[^\s:]+:\d+$/.test(idempotencyKey)) {
      return answer(response, 400, { title: 'Bad request', status: 400, detail: 'Idempotency-Key <dossier code>:<change number> required' });
    }
    const body = await readBody(request);
    if (body === undefined) return answer(response, 413, { title: 'Payload too large', status: 413 });
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return answer(response, 400, { title: 'Bad request', status: 400, detail: 'the body is not JSON' });
    }
    const parsed = NationalSyncRecordSchema.safeParse(json);
    if (!parsed.success) return answer(response, 400, { title: 'Invalid sync record', status: 400, detail: z.prettifyError(parsed.error) });
    const record = parsed.data;
    if (idempotencyKey !== `${record.hoSo.MaHoSo}:${record.ThuTuThayDoi}`) {
      return answer(response, 400, { title: 'Bad request', status: 400, detail: 'Idempotency-Key does not name the record (MaHoSo:ThuTuThayDoi)' });
    }
    const duplicate = seenKeys.has(idempotencyKey);
    seenKeys.add(idempotencyKey);
    const line: ReceivedSyncRecord = { receivedAt: new Date().toISOString(), idempotencyKey, duplicate, record };
    await appendFile(options.recordsFile, `${JSON.stringify(line)}\n`, 'utf8');
    return answer(response, duplicate ? 200 : 201, { error_code: '0', message: duplicate ? 'already received' : 'received' });
  };

  const server = createServer((request, response) => {
    const turn = queue.then(() => handle(request, response));
    queue = turn.catch((error: unknown) => {
      if (!response.headersSent) answer(response, 500, { title: 'Internal error', status: 500, detail: String(error) });
    });
  });
  await mkdir(dirname(options.recordsFile), { recursive: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}${SYNC_RECEIVER_PATH}`;
  const secret: NationalSyncCredentials = { endpoint, token };
  await mkdir(dirname(options.secretFile), { recursive: true });
  await writeFile(options.secretFile, `${JSON.stringify(secret)}\n`, { mode: 0o600 });

  return {
    endpoint,
    token,
    secretFile: options.secretFile,
    records: () => readRecords(options.recordsFile),
    setOutage: async (on) => (on ? writeFile(options.outageFile, 'the sync endpoint is down\n') : rm(options.outageFile, { force: true })),
    answered,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The receiver's file, oldest first (empty when it does not exist yet). */
export async function readRecords(path: string): Promise<ReceivedSyncRecord[]> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return '';
    throw error;
  });
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ReceivedSyncRecord);
}

async function readExistingToken(secretFile: string): Promise<string | undefined> {
  try {
    return NationalSyncCredentialsSchema.parse(JSON.parse(await readFile(secretFile, 'utf8'))).token;
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
