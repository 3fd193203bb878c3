import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { BINARY_MEDIA_TYPES, type RouteDefinition } from '../shared/runtime/routes';
import { LOCAL_ACCOUNT_ID, LOCAL_AWS_REGION } from './local-aws';
import { safeDecode } from './route-matcher';

/** The stage name local mode presents to handlers (`requestContext.stage`). */
export const LOCAL_STAGE = 'local';

export interface ReceivedRequest {
  readonly method: string;
  /** The request target as sent: path and query string, still percent-encoded. */
  readonly target: string;
  /** Node's `rawHeaders`: names as sent (case preserved), then values, alternating. */
  readonly rawHeaders: readonly string[];
  /** Undefined when the request had no body. */
  readonly body: Buffer | undefined;
  readonly sourceIp: string;
  /** The port the local server listens on, reported in `X-Forwarded-Port`. */
  readonly serverPort: number;
  readonly requestId: string;
  readonly receivedAt: Date;
}

export interface MatchedRoute {
  readonly route: RouteDefinition;
  readonly pathParameters: Readonly<Record<string, string>>;
}

/**
 * The API Gateway REST (v1) Lambda proxy event for a request, field for field as the deployed
 * API sends it: decoded path and parameters, the last value of each header and query parameter
 * in the single-value maps and all of them in the multi-value ones (`+` in a query is a space),
 * `null` for empty maps and bodies, the body as UTF-8 text, or base64 for the binary media types
 * of the route table, and the authorizer's claims for officer routes.
 */
export function buildProxyEvent(request: ReceivedRequest, matched: MatchedRoute, authorizerClaims?: Readonly<Record<string, string>>): APIGatewayProxyEvent {
  const url = new URL(request.target, 'http://localhost');
  const path = safeDecode(url.pathname);
  const { single: headers, multi: multiValueHeaders } = collectHeaders(request);
  const { single: queryStringParameters, multi: multiValueQueryStringParameters } = collectQuery(url.searchParams);
  const hasPathParameters = Object.keys(matched.pathParameters).length > 0;
  const contentType = (Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const binary = BINARY_MEDIA_TYPES.includes(contentType);
  return {
    resource: matched.route.path,
    path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters,
    multiValueQueryStringParameters,
    pathParameters: hasPathParameters ? Object.assign(dataMap<string>(), matched.pathParameters) : null,
    stageVariables: null,
    body: request.body === undefined || request.body.length === 0 ? null : request.body.toString(binary ? 'base64' : 'utf8'),
    isBase64Encoded: binary && request.body !== undefined && request.body.length > 0,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: 'local',
      authorizer: authorizerClaims === undefined ? null : { claims: { ...authorizerClaims } },
      domainName: headerValue(headers, 'host') ?? `127.0.0.1:${request.serverPort}`,
      domainPrefix: 'local',
      extendedRequestId: request.requestId,
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: headerValue(headers, 'user-agent') ?? null,
        userArn: null,
      },
      path: `/${LOCAL_STAGE}${path}`,
      protocol: 'HTTP/1.1',
      requestId: request.requestId,
      requestTime: formatRequestTime(request.receivedAt),
      requestTimeEpoch: request.receivedAt.getTime(),
      resourceId: matched.route.id,
      resourcePath: matched.route.path,
      stage: LOCAL_STAGE,
    },
  };
}

export interface LambdaContextOptions {
  readonly requestId: string;
  /** When the invocation must end (epoch ms): the integration timeout. */
  readonly deadline: number;
}

/** The Lambda `Context` a function of this route would receive; the function is named after the route id. */
export function buildLambdaContext(route: RouteDefinition, options: LambdaContextOptions): Context {
  return localLambdaContext({ functionName: route.id, memoryMb: route.memoryMb, ...options });
}

/**
 * The Lambda `Context` of one local invocation of a function (an HTTP route, a stream or queue
 * consumer, a state machine task): what the handlers read of it, and errors for the callback API.
 */
export function localLambdaContext(invocation: {
  readonly functionName: string;
  readonly memoryMb?: number | undefined;
  readonly requestId?: string;
  readonly deadline: number;
}): Context {
  const { functionName } = invocation;
  const requestId = invocation.requestId ?? randomUUID();
  const unsupported = (name: string) => (): never => {
    throw new Error(`context.${name}() is not supported: return a result from the async handler`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_AWS_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(invocation.memoryMb ?? 512),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${requestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, invocation.deadline - Date.now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}

interface ValueMaps {
  readonly single: Record<string, string>;
  readonly multi: Record<string, string[]>;
}

/**
 * Maps without a prototype: names a client sends (`__proto__`, `constructor`, `toString`) are keys
 * like any other, never Object.prototype's members.
 */
const dataMap = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

function collectHeaders(request: ReceivedRequest): ValueMaps {
  const single = dataMap<string>();
  const multi = dataMap<string[]>();
  // The first spelling of a name is kept for all its values, as one header.
  const spellingByLowerCase = new Map<string, string>();
  const add = (name: string, value: string): void => {
    const spelling = spellingByLowerCase.get(name.toLowerCase()) ?? name;
    spellingByLowerCase.set(name.toLowerCase(), spelling);
    single[spelling] = value;
    (multi[spelling] ??= []).push(value);
  };
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    add(request.rawHeaders[index] ?? '', request.rawHeaders[index + 1] ?? '');
  }
  // What API Gateway adds in front of every integration.
  const addIfAbsent = (name: string, value: string): void => {
    if (!spellingByLowerCase.has(name.toLowerCase())) {
      add(name, value);
    }
  };
  addIfAbsent('X-Forwarded-For', request.sourceIp);
  addIfAbsent('X-Forwarded-Port', String(request.serverPort));
  addIfAbsent('X-Forwarded-Proto', 'http');
  addIfAbsent('X-Amzn-Trace-Id', `Root=1-${Math.floor(request.receivedAt.getTime() / 1000).toString(16)}-${request.requestId.replaceAll('-', '').slice(0, 24)}`);
  return { single, multi };
}

function collectQuery(searchParams: URLSearchParams): { single: Record<string, string> | null; multi: Record<string, string[]> | null } {
  const single = dataMap<string>();
  const multi = dataMap<string[]>();
  for (const [name, value] of searchParams) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return Object.keys(single).length === 0 ? { single: null, multi: null } : { single, multi };
}

function headerValue(headers: Readonly<Record<string, string>>, lowerCaseName: string): string | undefined {
  const name = Object.keys(headers).find((candidate) => candidate.toLowerCase() === lowerCaseName);
  return name === undefined ? undefined : headers[name];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** API Gateway's `requestTime`: `12/Jul/2022:12:21:43 +0000`. */
function formatRequestTime(date: Date): string {
  const twoDigits = (value: number): string => String(value).padStart(2, '0');
  return (
    `${twoDigits(date.getUTCDate())}/${MONTHS[date.getUTCMonth()] ?? ''}/${date.getUTCFullYear()}:` +
    `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())} +0000`
  );
}
