import type { APIGatewayProxyEvent } from 'aws-lambda';
import type * as z from 'zod';
import { ForbiddenError, UnauthorizedError } from '../domain/errors';
import { OFFICER_ROLES, type OfficerRole } from '../domain/status';
import type { WardConfig } from '../domain/ward-config';
import { ward as wardOfThisFunction } from './env';
import { httpRoute, type HttpRequest, type HttpResult } from './http';
import { ROUTES, type RouteDefinition } from './routes';

/** A ward officer ("cán bộ"), as the login token names them. */
export interface Officer {
  /** The user pool's `sub`: stable, never reused. */
  readonly id: string;
  readonly name: string;
  /** The ward slug the officer's account belongs to. */
  readonly ward: string;
  readonly roles: OfficerRole[];
}

/**
 * The officer calling an officer route, from the claims API Gateway's Cognito user pool
 * authorizer put in `requestContext.authorizer.claims` (local mode passes the same map).
 *
 * The REST API authorizer passes every claim as a string: `exp` becomes
 * `"Tue Apr 04 18:39:39 UTC 2023"`, and the ID token's `cognito:groups` array becomes the group
 * names joined by commas (`"reception,leader"`; one group: `"reception"`). HTTP APIs' JWT
 * authorizer writes arrays as `"[reception leader]"` instead, and a JSON array string or a real
 * array can come from tests or other integrations: {@link groupsOf} reads all of them.
 *
 * This is defence in depth behind the authorizer, which has already checked the signature,
 * issuer (the ward's own pool), expiry and token use: the handler still refuses a request without
 * claims (401), a token of another ward (403) and an officer with none of `allowedRoles` (403).
 *
 * @throws UnauthorizedError no claims, no `sub`, or not an ID token
 * @throws ForbiddenError `custom:ward` is not this ward, or none of the officer's roles is allowed
 */
export function officerOf(event: APIGatewayProxyEvent, ward: WardConfig, allowedRoles: readonly OfficerRole[]): Officer {
  const claims = claimsOf(event);
  const id = claims?.sub;
  if (claims === undefined || id === undefined || id === '') throw new UnauthorizedError();
  // Access tokens carry neither the ward nor the name; only the ID token identifies an officer.
  if (claims.token_use !== undefined && claims.token_use !== 'id') throw new UnauthorizedError();

  const officerWard = claims['custom:ward'];
  if (officerWard !== ward.slug) {
    throw new ForbiddenError({
      vi: 'Tài khoản này không thuộc phường này.',
      en: 'This account does not belong to this ward.',
    });
  }
  const roles = groupsOf(claims['cognito:groups']).filter(isOfficerRole);
  if (!roles.some((role) => allowedRoles.includes(role))) {
    throw new ForbiddenError({
      vi: 'Vai trò của bạn không được thực hiện thao tác này.',
      en: 'Your role may not do this.',
    });
  }
  return { id, name: claims.name || claims.email || claims['cognito:username'] || id, ward: officerWard, roles: [...new Set(roles)] };
}

/** The authorizer's claims, keeping only string values (which is all the REST authorizer passes). */
function claimsOf(event: APIGatewayProxyEvent): Readonly<Record<string, string | undefined>> | undefined {
  const authorizer: unknown = event.requestContext?.authorizer;
  if (!isRecord(authorizer) || !isRecord(authorizer.claims)) return undefined;
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(authorizer.claims)) {
    if (typeof value === 'string') claims[name] = value;
    else if (Array.isArray(value)) claims[name] = value.filter((item) => typeof item === 'string').join(',');
  }
  return claims;
}

/**
 * Group names from a `cognito:groups` claim in any form it arrives in: `"a,b"` (REST API Cognito
 * authorizer), `"[a b]"` (HTTP API JWT authorizer), `'["a","b"]'` (JSON), `"a"`, or absent.
 */
export function groupsOf(claim: string | undefined): string[] {
  const text = claim?.trim() ?? '';
  if (text === '') return [];
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.filter((item): item is string => typeof item === 'string' && item !== '');
    } catch {
      // Not JSON: the bracketed, space-separated form.
    }
  }
  return text
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .map((name) => name.replace(/^["']|["']$/g, ''))
    .filter((name) => name !== '');
}

const isOfficerRole = (group: string): group is OfficerRole => (OFFICER_ROLES as readonly string[]).includes(group);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Output<T extends z.ZodType | undefined> = T extends z.ZodType ? z.output<T> : undefined;

/**
 * `httpRoute` for an officer route of the route table: the officer is identified (401) and checked
 * against the ward and the route's `roles` (403) before the request is read or validated, then
 * passed to `fn` with the parsed request. A citizen's `X-Dossier-Secret` plays no part here.
 *
 * Fails at cold start (a deployment error, never an open route) if `routeId` is not an officer
 * route of the table or declares no roles.
 */
export function officerRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  H extends z.ZodType | undefined = undefined,
>(
  routeId: string,
  spec: { body?: B; query?: Q; params?: P; headers?: H; maxBodyBytes?: number },
  fn: (request: HttpRequest<Output<B>, Output<Q>, Output<P>, Output<H>>, officer: Officer) => Promise<HttpResult>,
  /** For tests; the ward API's route table otherwise. */
  routes: readonly RouteDefinition[] = ROUTES,
) {
  const allowedRoles = rolesOfOfficerRoute(routeId, routes);
  return httpRoute<B, Q, P, H, Officer>(spec, fn, (event) => officerOf(event, wardOfThisFunction, allowedRoles));
}

function rolesOfOfficerRoute(routeId: string, routes: readonly RouteDefinition[]): readonly OfficerRole[] {
  const route = routes.find((candidate) => candidate.id === routeId);
  if (route === undefined) throw new Error(`officerRoute: no route ${routeId} in the route table`);
  if (route.auth !== 'officer') throw new Error(`officerRoute: route ${routeId} is not an officer route`);
  if (!route.roles?.length) throw new Error(`officerRoute: route ${routeId} declares no roles; list the roles that may call it`);
  return route.roles;
}
