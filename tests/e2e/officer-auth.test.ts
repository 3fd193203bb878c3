import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFICER_ROLES } from '../../shared/domain/status';
import { ROUTES, type RouteDefinition } from '../../shared/runtime/routes';
import { officerToken, startLocalWard, type LocalWard, type OfficerTokenOptions } from '../support/local-ward';
import { call, type ApiResponse } from './citizen-client';

/**
 * Every officer route of the route table, over HTTP against the local ward, with the local pool's
 * authorizer in front as API Gateway's Cognito authorizer is in AWS. What answers each refusal:
 * - no token, an expired one, a badly signed one, another ward's: the authorizer, 401 (in AWS,
 *   another ward's token comes from another user pool, which this ward's authorizer does not
 *   trust; locally its issuer is another ward's);
 * - a token of this ward's pool whose `custom:ward` names another ward, or whose groups hold
 *   none of the route's roles: the handler (`officerOf`), 403.
 * Each is problem+json, and none changes the table.
 */
const OFFICER_ROUTES = ROUTES.filter((route) => route.auth === 'officer');
const OTHER_WARD = 'cua-nam';

let ward: LocalWard;
let keysBefore: string[];

beforeAll(async () => {
  ward = await startLocalWard();
  keysBefore = await ward.tableKeys();
});

afterAll(async () => {
  await ward.stop();
});

/** The route's path with plausible values for its parameters. */
function samplePath(route: RouteDefinition): string {
  const samples: Record<string, string> = { code: `${ward.ward.agencyCode}-260105-0001`, id: randomUUID(), procedureCode: '1.004873' };
  const path = route.path.replace(/\{(\w+)\}/g, (_placeholder, name: string) => encodeURIComponent(samples[name] ?? 'x'));
  return route.path === '/officer/kpis' ? `${path}?from=2026-01-01&to=2026-01-31` : path;
}

/** Calls the route as an officer's web app would; a POST carries a JSON body that no route accepts. */
function callRoute(route: RouteDefinition, headers: Record<string, string>): Promise<ApiResponse> {
  return call(ward.baseUrl, route.method, samplePath(route), {
    headers: { 'Idempotency-Key': randomUUID(), 'If-Match': '"1"', ...headers },
    ...(route.method === 'POST' ? { body: {} } : {}),
  });
}

const bearer = async (options: OfficerTokenOptions) => ({ Authorization: `Bearer ${await officerToken(options)}` });
const allowedRoles = (route: RouteDefinition) => [...(route.roles ?? [])];
/** Groups of an officer who may not call the route: the other roles, or no officer role at all. */
const refusedGroups = (route: RouteDefinition) => {
  const others = OFFICER_ROLES.filter((role) => !route.roles?.includes(role));
  return others.length > 0 ? others : ['auditor'];
};

function expectProblem(response: ApiResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, code });
}

it('has officer routes to check (so that the cases below cannot pass by checking nothing)', () => {
  expect(OFFICER_ROUTES.length).toBeGreaterThan(0);
});

describe.each(OFFICER_ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (_name, route) => {
  it('answers 401 without a token', async () => {
    expectProblem(await callRoute(route, {}), 401, 'UNAUTHORIZED');
  });

  it('answers 401 to an expired token', async () => {
    expectProblem(await callRoute(route, await bearer({ roles: allowedRoles(route), expiresIn: '-1m' })), 401, 'UNAUTHORIZED');
  });

  it('answers 401 to a token not signed by the ward pool', async () => {
    expectProblem(await callRoute(route, await bearer({ roles: allowedRoles(route), signWithOtherKey: true })), 401, 'UNAUTHORIZED');
  });

  it("answers 401 to another ward's token (another pool)", async () => {
    expectProblem(await callRoute(route, await bearer({ roles: allowedRoles(route), ward: OTHER_WARD })), 401, 'UNAUTHORIZED');
  });

  it('answers 403 to a token of this pool whose ward claim names another ward', async () => {
    expectProblem(await callRoute(route, await bearer({ roles: allowedRoles(route), wardClaim: OTHER_WARD })), 403, 'FORBIDDEN');
  });

  it("answers 403 to an officer without one of the route's roles", async () => {
    expectProblem(await callRoute(route, await bearer({ roles: refusedGroups(route) })), 403, 'FORBIDDEN');
  });

  it("answers 401 to a citizen's X-Dossier-Secret alone", async () => {
    expectProblem(await callRoute(route, { 'X-Dossier-Secret': 'ABCD-EFGH-JKMN-PQRS-TVWX' }), 401, 'UNAUTHORIZED');
  });

  it("lets an officer of this ward with the route's roles past the login checks", async () => {
    const response = await callRoute(route, await bearer({ roles: allowedRoles(route), name: 'Nguyễn Văn An' }));

    expect([401, 403], JSON.stringify(response.body)).not.toContain(response.status);
    expect(response.status).toBeLessThan(500);
  });
});

describe('after every refused call', () => {
  it('left the table as it was', async () => {
    expect(await ward.tableKeys()).toEqual(keysBefore);
  });
});
