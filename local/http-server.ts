import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { CORS_ALLOWED_HEADERS, CORS_ORIGIN, ROUTES, type RouteDefinition } from '../shared/runtime/routes';
import { LOOPBACK_HOST } from './free-port';
import { clientErrorResponse, gatewayResponse, type LocalGatewayResponseType } from './gateway-responses';
import { buildLambdaContext, buildProxyEvent, type MatchedRoute, type ReceivedRequest } from './lambda-event';
import { createResourceMatcher, type ResourceMatch } from './route-matcher';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * Stands in for the Cognito authorizer of officer routes: the claims of a valid token (they
 * become `requestContext.authorizer.claims`), or undefined to answer 401 as the authorizer does.
 */
export type OfficerAuthorizer = (request: {
  readonly route: RouteDefinition;
  readonly headers: Readonly<Record<string, string | undefined>>;
}) => Promise<Readonly<Record<string, string>> | undefined>;

/**
 * Something local mode serves beside the API on the same origin, as CloudFront does in the stack
 * (the local identity providers, the built front end). `handle` answers the request itself, body
 * included; `serverUrl` is the server's own `http://127.0.0.1:<port>`.
 */
export type LocalRequestHandler = (request: IncomingMessage, response: ServerResponse, serverUrl: string) => Promise<void>;

export interface LocalMount {
  /** A path prefix without a trailing slash (`/local-vneid`): the prefix itself and everything under it. */
  readonly prefix: string;
  readonly handle: LocalRequestHandler;
}

export interface LocalHttpServerOptions {
  /** Served before the route table, by path prefix; an API route can never be shadowed, see {@link startLocalHttpServer}. */
  readonly mounts?: readonly LocalMount[];
  /**
   * A GET or HEAD that matches no route and no mount (a page of the front end): answers it and
   * returns true, or returns false for the gateway's own 403 as before.
   */
  readonly fallback?: (request: IncomingMessage, response: ServerResponse, serverUrl: string) => Promise<boolean>;
  /** Defaults to the ward API's route table. */
  readonly routes?: readonly RouteDefinition[];
  /** Defaults to a free port. The server listens on 127.0.0.1 only. */
  readonly port?: number;
  /** Where `route.handler` modules live (`<handler>.ts`); defaults to the project's `functions/`. */
  readonly functionsDirectory?: string;
  /** Needed for officer routes; without it they answer 401. */
  readonly authorizeOfficer?: OfficerAuthorizer;
  /** One line per request (method, path, status, duration); defaults to stdout. */
  readonly logRequest?: (line: string) => void;
  /** A handler that failed or timed out, for the developer's eyes (clients get a bare problem); defaults to stderr. */
  readonly logFailure?: (message: string, error?: unknown) => void;
  /** API Gateway's integration timeout: a handler still running after it gets a 504. */
  readonly integrationTimeoutMs?: number;
}

export interface LocalHttpServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** API Gateway's payload limit: 10 MB. A larger request never reaches a function. */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

/** API Gateway's (REST API) limit on the request line and headers together: 10,240 bytes. Node's parser answers beyond it. */
export const MAX_REQUEST_HEADER_BYTES = 10_240;

const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;

const CLOSE_GRACE_MS = 3_000;

/** Beyond this a refused body is no longer drained: the connection is cut instead. */
const MAX_DRAINED_BODY_BYTES = 64 * 1024 * 1024;

const PROJECT_FUNCTIONS_DIRECTORY = join(fileURLToPath(new URL('..', import.meta.url)), 'functions');

/**
 * A local stand-in for the ward's API Gateway: a Node HTTP server on 127.0.0.1 built from the
 * route table. It answers what the gateway answers itself (unknown route, body over 10 MB, CORS
 * preflight, officer authorizer refusal) with the deployed stack's gateway responses; otherwise
 * it turns the request into the REST (v1) proxy event and Lambda context the deployed function
 * would get, runs the real handler module (imported on first use, so the environment must be set
 * before the first request), and writes its result back.
 */
export async function startLocalHttpServer(options: LocalHttpServerOptions = {}): Promise<LocalHttpServer> {
  const matchResource = createResourceMatcher(options.routes ?? ROUTES);
  const loadHandler = createHandlerLoader(options.functionsDirectory ?? PROJECT_FUNCTIONS_DIRECTORY);
  const logRequest = options.logRequest ?? ((line: string) => console.log(line));
  const logFailure = options.logFailure ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));
  const integrationTimeoutMs = options.integrationTimeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
  const mounts = options.mounts ?? [];
  for (const mount of mounts) {
    const shadowed = (options.routes ?? ROUTES).find((route) => isUnder(route.path, mount.prefix));
    if (shadowed !== undefined) throw new Error(`the local mount ${mount.prefix} would shadow the API route ${shadowed.id} (${shadowed.path})`);
  }
  /** Set once the server listens. */
  let serverUrl = '';

  const server = createServer({ maxHeaderSize: MAX_REQUEST_HEADER_BYTES }, (request, response) => {
    const startedAt = Date.now();
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    serveRequest(request, response)
      .catch((error: unknown) => {
        logFailure(`${method} ${path}: the local server failed`, error);
        if (response.headersSent) {
          response.destroy();
        } else {
          writeGatewayResponse(response, 'DEFAULT_5XX', randomUUID());
        }
      })
      .finally(() => logRequest(`${method} ${path} ${response.statusCode} ${Date.now() - startedAt} ms`));
  });

  // Requests Node's parser refuses (oversized headers, malformed requests) get problem+json too, not Node's bare status line.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const requestId = randomUUID();
    logRequest(`(refused by the HTTP parser: ${error.code ?? error.message}) ${requestId}`);
    socket.end(clientErrorResponse(error.code, requestId));
  });

  async function serveRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const mount = mounts.find((candidate) => isUnder(pathname, candidate.prefix));
    if (mount !== undefined) {
      await mount.handle(request, response, serverUrl);
      return;
    }
    const requestId = randomUUID();
    const receivedAt = new Date();
    const body = await readBody(request);
    if (body === 'too large') {
      response.setHeader('Connection', 'close');
      writeGatewayResponse(response, 'REQUEST_TOO_LARGE', requestId);
      return;
    }
    const method = request.method ?? 'GET';
    const target = request.url ?? '/';
    const resource = matchResource(new URL(target, 'http://localhost').pathname);
    if (resource !== undefined && method === 'OPTIONS' && writeCorsPreflight(response, resource)) {
      return;
    }
    const route = resource?.routes.find((candidate) => candidate.method === method);
    if (resource === undefined && (method === 'GET' || method === 'HEAD') && options.fallback !== undefined && (await options.fallback(request, response, serverUrl))) {
      return;
    }
    if (resource === undefined || route === undefined) {
      writeGatewayResponse(response, 'MISSING_AUTHENTICATION_TOKEN', requestId);
      return;
    }
    const received: ReceivedRequest = {
      method,
      target,
      rawHeaders: request.rawHeaders,
      body,
      sourceIp: request.socket.remoteAddress ?? LOOPBACK_HOST,
      serverPort: request.socket.localPort ?? 0,
      requestId,
      receivedAt,
    };
    await invoke(received, { route, pathParameters: resource.pathParameters }, response);
  }

  async function invoke(received: ReceivedRequest, match: MatchedRoute, response: ServerResponse): Promise<void> {
    let claims: Readonly<Record<string, string>> | undefined;
    if (match.route.auth === 'officer') {
      claims = await authorizeOfficer(received, match);
      if (claims === undefined) {
        writeGatewayResponse(response, 'UNAUTHORIZED', received.requestId);
        return;
      }
    }
    const event = buildProxyEvent(received, match, claims);
    const context = buildLambdaContext(match.route, { requestId: received.requestId, deadline: Date.now() + integrationTimeoutMs });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timed out'>((resolve) => {
      timer = setTimeout(() => resolve('timed out'), integrationTimeoutMs);
    });
    try {
      const handler = await loadHandler(match.route);
      const result = await Promise.race([handler(event, context), timedOut]);
      if (result === 'timed out') {
        logFailure(`${match.route.id} did not answer within ${integrationTimeoutMs} ms`);
        writeGatewayResponse(response, 'INTEGRATION_TIMEOUT', received.requestId);
        return;
      }
      writeProxyResult(response, result, received.requestId, logFailure);
    } catch (error) {
      // The handlers map their own errors; reaching this is a defect, shown to the developer only.
      logFailure(`${match.route.id} failed`, error);
      writeGatewayResponse(response, 'DEFAULT_5XX', received.requestId);
    } finally {
      clearTimeout(timer);
    }
  }

  async function authorizeOfficer(received: ReceivedRequest, match: MatchedRoute): Promise<Readonly<Record<string, string>> | undefined> {
    if (options.authorizeOfficer === undefined) {
      return undefined;
    }
    const { headers } = buildProxyEvent(received, match);
    return options.authorizeOfficer({ route: match.route, headers });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('The local HTTP server did not get a TCP address');
  }
  let closing: Promise<void> | undefined;
  serverUrl = `http://${LOOPBACK_HOST}:${address.port}`;
  return {
    url: serverUrl,
    port: address.port,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        // Requests in progress get a moment to finish; idle keep-alive connections are closed at once.
        const cutOff = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close((error) => {
          clearTimeout(cutOff);
          return error ? reject(error) : resolve();
        });
        server.closeIdleConnections();
      })),
  };
}

/** Whether `path` is `prefix` or lies under it. */
const isUnder = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);

/** Imports each route's handler module once, on first use, so handlers read the environment set before. */
function createHandlerLoader(functionsDirectory: string): (route: RouteDefinition) => Promise<ProxyHandler> {
  const loaded = new Map<string, Promise<ProxyHandler>>();
  return (route) => {
    let handler = loaded.get(route.handler);
    if (handler === undefined) {
      handler = importHandler(functionsDirectory, route);
      loaded.set(route.handler, handler);
      // A failed import (a syntax error being fixed) is retried on the next request.
      handler.catch(() => loaded.delete(route.handler));
    }
    return handler;
  };
}

async function importHandler(functionsDirectory: string, route: RouteDefinition): Promise<ProxyHandler> {
  const moduleUrl = pathToFileURL(join(functionsDirectory, `${route.handler}.ts`)).href;
  const handlerModule: unknown = await import(moduleUrl);
  const handler: unknown = isObject(handlerModule) ? handlerModule.handler : undefined;
  if (typeof handler !== 'function') {
    throw new Error(`${moduleUrl} does not export a function named "handler"`);
  }
  // The route table promises an API Gateway proxy handler; its result is checked before use.
  return handler as ProxyHandler;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Reads the whole body, or 'too large' beyond API Gateway's limit. A refused body is still read
 * to its end (and dropped) so that the client, which is still sending, receives the 413.
 */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined | 'too large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += bytes.length;
    if (size <= MAX_REQUEST_BODY_BYTES) {
      chunks.push(bytes);
    } else if (size > MAX_DRAINED_BODY_BYTES) {
      break;
    }
  }
  if (size > MAX_REQUEST_BODY_BYTES) {
    return 'too large';
  }
  return size === 0 ? undefined : Buffer.concat(chunks);
}

/**
 * The deployed API adds a CORS preflight (a mock integration answering 204, no authorization) to
 * every resource, public or officer. Returns whether it answered.
 */
function writeCorsPreflight(response: ServerResponse, resource: ResourceMatch): boolean {
  const methods = resource.routes.map((route) => route.method);
  if (methods.length === 0) {
    return false;
  }
  response.statusCode = 204;
  response.setHeader('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS.join(','));
  response.setHeader('Access-Control-Allow-Origin', CORS_ORIGIN);
  response.setHeader('Access-Control-Allow-Methods', methods.join(','));
  response.end();
  return true;
}

function writeProxyResult(response: ServerResponse, result: unknown, requestId: string, logFailure: (message: string, error?: unknown) => void): void {
  if (!isObject(result) || typeof result.statusCode !== 'number' || (result.body !== undefined && typeof result.body !== 'string')) {
    // API Gateway answers 502 "Malformed Lambda proxy response"; locally it is a defect to see.
    logFailure('The handler returned a malformed proxy result:', result);
    writeGatewayResponse(response, 'DEFAULT_5XX', requestId);
    return;
  }
  const headers = new Map<string, string[]>();
  if (isObject(result.multiValueHeaders)) {
    for (const [name, values] of Object.entries(result.multiValueHeaders)) {
      headers.set(name, (Array.isArray(values) ? values : [values]).map(String));
    }
  }
  if (isObject(result.headers)) {
    for (const [name, value] of Object.entries(result.headers)) {
      headers.set(name, [String(value)]);
    }
  }
  if (![...headers.keys()].some((name) => name.toLowerCase() === 'content-type')) {
    // API Gateway's default for a proxy response without one.
    headers.set('Content-Type', ['application/json']);
  }
  headers.set('x-amzn-RequestId', [requestId]);
  const body = typeof result.body === 'string' ? Buffer.from(result.body, result.isBase64Encoded === true ? 'base64' : 'utf8') : Buffer.alloc(0);
  response.statusCode = result.statusCode;
  for (const [name, values] of headers) {
    response.setHeader(name, values.length === 1 ? (values[0] ?? '') : values);
  }
  response.setHeader('Content-Length', body.length);
  response.end(body);
}

function writeGatewayResponse(response: ServerResponse, type: LocalGatewayResponseType, requestId: string): void {
  const { status, headers, body } = gatewayResponse(type, requestId);
  const bytes = Buffer.from(body, 'utf8');
  response.statusCode = status;
  for (const [name, value] of Object.entries(headers)) {
    response.setHeader(name, value);
  }
  response.setHeader('x-amzn-RequestId', requestId);
  response.setHeader('Content-Length', bytes.length);
  response.end(bytes);
}
