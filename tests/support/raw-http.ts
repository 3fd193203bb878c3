import { Agent, request } from 'node:http';

/** A request as it goes on the wire: any method, a target that is already percent-encoded, repeated and oddly named headers, any bytes. */
export interface RawRequest {
  readonly method: string;
  /** Path and query string, as sent. */
  readonly target: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body?: Buffer;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/** Sends `raw` to `baseUrl` over HTTP/1.1 (no fetch: it would normalise what a hostile client sends as it is). */
export function sendRaw(baseUrl: string, raw: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of raw.headers) {
    const previous = headers[name];
    headers[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  // Node frames a GET's body only when told its length; any method may carry one.
  if (raw.body !== undefined) headers['Content-Length'] = String(raw.body.length);
  return new Promise((resolve, reject) => {
    const outgoing = request({ agent, host: url.hostname, port: url.port, method: raw.method, path: raw.target, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks) }));
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(raw.body);
  });
}

/** Closes the kept-alive connections. */
export function closeRawConnections(): void {
  agent.destroy();
}

/** Percent-encodes the UTF-8 bytes of `text` (lone surrogates too, which `encodeURIComponent` refuses), leaving unreserved characters. */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

/**
 * A header value Node will put on the wire: the UTF-8 bytes of `text` read as Latin-1 (how a
 * server sees UTF-8 it receives in a header), without the characters HTTP forbids there (CR, LF, NUL, other controls).
 */
export function headerValue(text: string): string {
  return Buffer.from(text, 'utf8')
    .toString('latin1')
    .replace(/[^\t\x20-\x7e\x80-\xff]/g, '')
    .trim();
}
