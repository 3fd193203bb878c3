import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ORIGIN_VERIFY_HEADER, pathPattern, publicWriteRouteGroups, RATE_RULE_RETRY_AFTER_SECONDS } from '../../infra/constructs/api-firewall';
import { API_STAGE } from '../../infra/constructs/ward-api';
import { VIEWER_ADDRESS_HEADER } from '../../shared/runtime/http';
import { WardStack } from '../../infra/stacks/ward-stack';
import { WardConfigSchema } from '../../shared/domain/ward-config';
import { ROUTES } from '../../shared/runtime/routes';
import { testWard } from '../fixtures/ward';

/** A ward with firewall limits of its own, so that the rules are seen to follow the configuration. */
const WARD = WardConfigSchema.parse({
  ...testWard,
  slug: 'tuong-lua',
  limits: { ...testWard.limits, firewallPer5Minutes: { submissions: 40, uploads: 250, otherWrites: 120 } },
  env: { account: '111122223333', region: 'ap-southeast-1' },
});

const CDK_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;
const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
const template = Template.fromStack(new WardStack(app, 'MotCuaSo-tuong-lua', { ward: WARD, env: WARD.env }));

interface Statement {
  ByteMatchStatement?: { FieldToMatch: unknown; PositionalConstraint: string; SearchString: string };
  RegexMatchStatement?: { FieldToMatch: unknown; RegexString: string; TextTransformations: { Priority: number; Type: string }[] };
}
interface Rule {
  Name: string;
  Priority: number;
  Action?: { Block?: { CustomResponse?: { ResponseCode: number; CustomResponseBodyKey: string; ResponseHeaders: { Name: string; Value: string }[] } } };
  Statement: {
    NotStatement?: { Statement: Statement & { ByteMatchStatement?: { TextTransformations?: unknown } } };
    RateBasedStatement?: {
      AggregateKeyType: string;
      ForwardedIPConfig?: { HeaderName: string; FallbackBehavior: string };
      Limit: number;
      EvaluationWindowSec: number;
      ScopeDownStatement?: { AndStatement: { Statements: Statement[] } };
    };
  };
}
interface WebAcl {
  Rules: Rule[];
  CustomResponseBodies: Record<string, { ContentType: string; Content: string }>;
}
const [webAcl] = Object.values(template.findResources('AWS::WAFv2::WebACL')).map((resource) => resource.Properties as WebAcl);
const rule = (name: string): Rule => {
  const found = webAcl?.Rules.find((r) => r.Name === name);
  if (!found) throw new Error(`no WAF rule ${name}`);
  return found;
};
/** The rule's path pattern, as a JavaScript RegExp (the pattern uses only what PCRE and JavaScript read alike). */
const pathsOf = (name: string): RegExp => {
  const regex = rule(name).Statement.RateBasedStatement?.ScopeDownStatement?.AndStatement.Statements.find((s) => s.RegexMatchStatement)?.RegexMatchStatement;
  return new RegExp(regex?.RegexString ?? '^$');
};

describe('the rate rules on the public write routes', () => {
  const publicWrites = ROUTES.filter((route) => route.auth === 'public' && route.method === 'POST');

  it('has one rule per group of public write routes, per client IP over 5 minutes, with the limits of the ward configuration', () => {
    for (const [name, limit] of [
      ['RateSubmissionsPerIp', 40],
      ['RateUploadsPerIp', 250],
      ['RateOtherPublicWritesPerIp', 120],
    ] as const) {
      expect(rule(name).Statement.RateBasedStatement, name).toMatchObject({ Limit: limit, EvaluationWindowSec: 300 });
      const statements = rule(name).Statement.RateBasedStatement?.ScopeDownStatement?.AndStatement.Statements ?? [];
      expect(statements.find((s) => s.ByteMatchStatement)?.ByteMatchStatement, name).toMatchObject({
        FieldToMatch: { Method: {} },
        PositionalConstraint: 'EXACTLY',
        SearchString: 'POST',
      });
      expect(statements.find((s) => s.RegexMatchStatement)?.RegexMatchStatement, name).toMatchObject({
        FieldToMatch: { UriPath: {} },
        TextTransformations: [
          { Priority: 0, Type: 'URL_DECODE' },
          { Priority: 1, Type: 'NORMALIZE_PATH' },
        ],
      });
    }
  });

  it('scopes each rule to its routes, with or without the stage prefix, and leaves officer routes and reads alone', () => {
    const submissions = pathsOf('RateSubmissionsPerIp');
    const uploads = pathsOf('RateUploadsPerIp');
    const others = pathsOf('RateOtherPublicWritesPerIp');
    for (const path of ['/dossiers', `/${API_STAGE}/dossiers`, '/dossiers/']) expect(submissions.test(path), path).toBe(true);
    for (const path of ['/uploads', `/${API_STAGE}/uploads`]) expect(uploads.test(path), path).toBe(true);
    for (const path of ['/dossiers/000.A0.01.H26-260105-0001/supplement', `/${API_STAGE}/dossiers/X/withdraw`, '/dossiers/X/rating', '/verify']) {
      expect(others.test(path), path).toBe(true);
    }
    for (const path of ['/officer/dossiers', `/${API_STAGE}/officer/dossiers`, '/dossiers/X', '/dossiers/X/status', '/verify/public-key', '/uploadsX', '/x/y/dossiers']) {
      expect(
        [submissions, uploads, others].some((pattern) => pattern.test(path)),
        path,
      ).toBe(false);
    }
  });

  it('covers every public write route of the route table, each by exactly one rule', () => {
    const groups = publicWriteRouteGroups(ROUTES);
    expect([...groups.submissions, ...groups.uploads, ...groups.otherWrites].sort()).toEqual(publicWrites.map((route) => route.path).sort());
    const samplePath = (path: string) => path.replaceAll(/\{[^}]+\}/g, 'sample');
    for (const route of publicWrites) {
      const matching = ['RateSubmissionsPerIp', 'RateUploadsPerIp', 'RateOtherPublicWritesPerIp'].filter((name) => pathsOf(name).test(samplePath(route.path)));
      expect(matching, route.path).toHaveLength(1);
    }
  });

  it('answers a blocked client 429 with Retry-After and a problem body, before the managed rules run', () => {
    for (const name of ['RateSubmissionsPerIp', 'RateUploadsPerIp', 'RateOtherPublicWritesPerIp']) {
      const response = rule(name).Action?.Block?.CustomResponse;
      expect(response, name).toMatchObject({ ResponseCode: 429, ResponseHeaders: [{ Name: 'Retry-After', Value: String(RATE_RULE_RETRY_AFTER_SECONDS) }] });
      const body = webAcl?.CustomResponseBodies[response?.CustomResponseBodyKey ?? ''];
      expect(body?.ContentType).toBe('APPLICATION_JSON');
      expect(JSON.parse(body?.Content ?? '{}')).toMatchObject({ status: 429, code: 'RATE_LIMITED', title: expect.any(String) as string, detail: expect.any(String) as string });
      expect(rule(name).Priority, name).toBeLessThan(rule('AWSManagedRulesCommonRuleSet').Priority);
    }
    const priorities = webAcl?.Rules.map((r) => r.Priority) ?? [];
    expect(new Set(priorities).size).toBe(priorities.length);
  });

  it("counts every rate rule on the viewer's address that the distribution forwards, not on CloudFront's edge address", () => {
    for (const name of ['RatePerClientIp', 'RateSubmissionsPerIp', 'RateUploadsPerIp', 'RateOtherPublicWritesPerIp']) {
      expect(rule(name).Statement.RateBasedStatement, name).toMatchObject({
        AggregateKeyType: 'FORWARDED_IP',
        ForwardedIPConfig: { HeaderName: VIEWER_ADDRESS_HEADER, FallbackBehavior: 'MATCH' },
      });
    }
  });

  it('blocks, before every other rule, a request without the origin header the distribution sends (the execute-api endpoint is not usable directly)', () => {
    const only = rule('OnlyThroughDistribution');
    expect(only.Action).toEqual({ Block: {} });
    expect(only.Statement.NotStatement?.Statement.ByteMatchStatement).toMatchObject({
      FieldToMatch: { SingleHeader: { Name: ORIGIN_VERIFY_HEADER } },
      PositionalConstraint: 'EXACTLY',
      SearchString: { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] },
    });
    expect(Math.min(...(webAcl?.Rules.map((r) => r.Priority) ?? []))).toBe(only.Priority);
  });

  it('escapes the route paths it builds patterns from', () => {
    expect(pathPattern('prod', ['/a.b/{id}'])).toBe('^(?:/prod)?(?:/a\\.b/[^/]+)/?$');
  });
});
