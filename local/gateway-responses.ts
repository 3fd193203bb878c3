import { GATEWAY_PROBLEMS, renderGatewayProblem } from '../infra/constructs/problem-responses';
import { CORS_ORIGIN } from '../shared/runtime/routes';

/** The gateway responses local mode can produce, by API Gateway's response type. */
export type LocalGatewayResponseType =
  /** Unknown path, or a method the path does not have (API Gateway's default: 403 "Missing Authentication Token"). */
  | 'MISSING_AUTHENTICATION_TOKEN'
  /** Body over API Gateway's 10 MB payload limit. */
  | 'REQUEST_TOO_LARGE'
  /** The officer authorizer refused the token, or there was none. */
  | 'UNAUTHORIZED'
  /** The function failed (threw, or returned something that is not a proxy result). */
  | 'DEFAULT_5XX'
  /** The function did not answer within the integration timeout. */
  | 'INTEGRATION_TIMEOUT';

export interface GatewayResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}


/**
 * The answer API Gateway gives itself, with exactly the problem+json the deployed stack's gateway
 * responses are configured with (infra/constructs/problem-responses.ts), so local and deployed
 * clients see the same status, headers and body.
 */
export function gatewayResponse(type: LocalGatewayResponseType, requestId: string): GatewayResponse {
  const problem = GATEWAY_PROBLEMS.find((candidate) => candidate.type.responseType === type);
  if (problem === undefined) {
    throw new Error(`The stack configures no gateway response of type ${type}`);
  }
  const { body, headers } = renderGatewayProblem(problem, requestId, CORS_ORIGIN);
  return { status: problem.status, headers, body: JSON.stringify(body) };
}
