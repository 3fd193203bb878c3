import { isIPv4, isIPv6 } from 'node:net';
import { RateLimitedError } from '../domain/errors';
import { addDays, vietnamDate, vietnamInstant } from '../domain/time';
import type { WardConfig } from '../domain/ward-config';
import type { Clock, IdHasher } from './ports';
import { sha256Hex } from './secrets';

// ---------------------------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------------------------

/**
 * A limit's counter: requests of one kind from one ID number (its keyed hash) in one Vietnam day,
 * or from one client address (its keyed hash) in one UTC hour. Each ward counts in its own table.
 */
export type RequestCounter =
  | { readonly kind: 'SUBMISSIONS_PER_ID_NUMBER'; readonly idNumberKey: string; readonly day: string }
  | { readonly kind: 'SUBMISSIONS_PER_SOURCE'; readonly sourceKey: string; readonly hour: string }
  | { readonly kind: 'UPLOADS_PER_SOURCE'; readonly sourceKey: string; readonly hour: string };

/**
 * Fixed-window counters of requests, each one atomic (concurrent takes never count past the
 * limit) and, for requests with a key, idempotent (a counter remembers the request keys it
 * counted for its whole window, so a retry is counted once however often it comes).
 */
export interface RequestCounterStore {
  /**
   * Counts the request unless the counter is at `limit`; a request whose key was counted already
   * is `TAKEN` again, and counted once. Without a key, every take counts. The item may go after `expiresAt`.
   */
  take(counter: RequestCounter, requestKey: string | undefined, limit: number, expiresAt: Date): Promise<'TAKEN' | 'FULL'>;
  /** Uncounts the request (another limit refused it), if it was counted; without a key, the take the caller just made. */
  giveBack(counter: RequestCounter, requestKey: string | undefined): Promise<void>;
}

/** An admitted request's counts: given back when the request is refused after all (it then cost nothing). */
export interface Admission {
  giveBack(): Promise<void>;
}

export interface RequestLimitsDeps {
  readonly counters: RequestCounterStore;
  /** The ward's HMAC key: ID numbers and client addresses never appear in keys as they are. */
  readonly idHasher: IdHasher;
  readonly clock: Clock;
  readonly ward: Pick<WardConfig, 'limits'>;
}

// ---------------------------------------------------------------------------------------------
// The use cases
// ---------------------------------------------------------------------------------------------

/**
 * Admits an online submission under the ward's limits: so many a day per personal ID number, so
 * many an hour per client address. Runs before anything of the submission is written; a retry
 * with the same Idempotency-Key is the same request and counts once (concurrent retries too).
 *
 * @throws RateLimitedError (429, with the seconds until the full limit's window ends)
 */
export async function admitSubmission(
  deps: RequestLimitsDeps,
  request: { readonly idNumber: string; readonly sourceIp: string; readonly idempotencyKey: string },
): Promise<Admission> {
  const now = deps.clock.now();
  const [idNumberKey, sourceKey] = await Promise.all([deps.idHasher.hash(request.idNumber), hashSource(deps.idHasher, request.sourceIp)]);
  const { limits } = deps.ward;
  // The address first: a flood from one client stops there, without touching its victims' ID numbers.
  return takeAll(deps.counters, requestKeyOf('submission', request.idempotencyKey), now, [
    { counter: { kind: 'SUBMISSIONS_PER_SOURCE', sourceKey, hour: utcHour(now) }, limit: limits.submissionsPerSourcePerHour },
    { counter: { kind: 'SUBMISSIONS_PER_ID_NUMBER', idNumberKey, day: vietnamDate(now) }, limit: limits.submissionsPerIdNumberPerDay },
  ]);
}

/**
 * Admits a presigned upload under the ward's limit per client address and hour (an upload
 * request names no person, and has no idempotency key: each one is a new upload and counts).
 *
 * @throws RateLimitedError (429)
 */
export async function admitUpload(deps: RequestLimitsDeps, request: { readonly sourceIp: string }): Promise<Admission> {
  const now = deps.clock.now();
  const sourceKey = await hashSource(deps.idHasher, request.sourceIp);
  return takeAll(deps.counters, undefined, now, [{ counter: { kind: 'UPLOADS_PER_SOURCE', sourceKey, hour: utcHour(now) }, limit: deps.ward.limits.uploadsPerSourcePerHour }]);
}

// ---------------------------------------------------------------------------------------------
// Windows, keys and addresses
// ---------------------------------------------------------------------------------------------

/** Counters stay a day past their window, for whoever looks into an incident. */
const KEEP_AFTER_WINDOW_MS = 24 * 3600 * 1000;

/** When a counter's window ends: the next Vietnam midnight for a day, the next full hour for an hour. */
export function windowEnd(counter: RequestCounter): Date {
  if (counter.kind === 'SUBMISSIONS_PER_ID_NUMBER') return vietnamInstant(addDays(counter.day, 1), 0);
  return new Date(Date.parse(`${counter.hour}:00:00Z`) + 3600 * 1000);
}

/** `YYYY-MM-DDTHH` of the instant, in UTC (an hour is an hour in every time zone Vietnam ever had). */
const utcHour = (instant: Date): string => instant.toISOString().slice(0, 13);

/** What a counter remembers of a request: a digest, in its own domain per route (never the raw key). */
const requestKeyOf = (route: 'submission', key: string): string => sha256Hex(`limit:${route}:${key}`).slice(0, 32);

/**
 * Takes one unit of every counter, in order; if one is full, gives back those already taken and
 * refuses the request until that counter's window ends.
 */
async function takeAll(store: RequestCounterStore, requestKey: string | undefined, now: Date, limits: readonly { counter: RequestCounter; limit: number }[]): Promise<Admission> {
  const taken: RequestCounter[] = [];
  for (const { counter, limit } of limits) {
    const end = windowEnd(counter);
    if ((await store.take(counter, requestKey, limit, new Date(end.getTime() + KEEP_AFTER_WINDOW_MS))) === 'FULL') {
      for (const earlier of taken) await store.giveBack(earlier, requestKey);
      throw new RateLimitedError(Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000)));
    }
    taken.push(counter);
  }
  return {
    giveBack: async () => {
      for (const counter of taken) await store.giveBack(counter, requestKey);
    },
  };
}

/** The keyed hash of a client address, in a domain of its own (it can never equal an ID number's). */
const hashSource = (hasher: IdHasher, sourceIp: string): Promise<string> => hasher.hash(`source:${clientAddress(sourceIp)}`);

/**
 * The address a limit counts by: an IPv4 address as it is (an IPv4-mapped IPv6 one too), an IPv6
 * address by its /64 prefix (one subscriber gets a whole /64 and can pick any address in it).
 */
export function clientAddress(sourceIp: string): string {
  const ip = sourceIp.trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (mapped?.[1] !== undefined && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return `unparsed:${ip}`;
  return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight hextets of an IPv6 address, without zero compression or leading zeros (zone dropped). */
function expandIPv6(ip: string): string[] {
  const address = ip.split('%')[0] ?? ip;
  const [head = '', tail] = address.split('::');
  const parts = (text: string): string[] => (text === '' ? [] : text.split(':'));
  const toHextets = (groups: string[]): string[] =>
    groups.flatMap((group) => {
      // An embedded IPv4 tail (::ffff:… was handled before; others are two hextets).
      if (!group.includes('.')) return [group];
      const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  const left = toHextets(parts(head));
  const right = tail === undefined ? [] : toHextets(parts(tail));
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map((hextet) => Number.parseInt(hextet, 16).toString(16));
}
