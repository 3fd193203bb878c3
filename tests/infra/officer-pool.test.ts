import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { OfficerPool } from '../../infra/constructs/officer-pool';
import { WardApi } from '../../infra/constructs/ward-api';
import { FUNCTION_RUNTIME } from '../../infra/constructs/ward-function';
import { WardStack } from '../../infra/stacks/ward-stack';
import { OFFICER_PAGES } from '../../shared/api/portal-paths';
import { WardConfigSchema } from '../../shared/domain/ward-config';
import { ROUTES, type RouteDefinition } from '../../shared/runtime/routes';
import { testWard } from '../fixtures/ward';
import { portalConfigOf } from './site-config';

const WARD = WardConfigSchema.parse({ ...testWard, slug: 'thu-nghiem', env: { account: '111122223333', region: 'ap-southeast-1' } });

const CDK_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

/** An officer route and a public one on the same API, whatever the route table holds today. */
const OFFICER_ROUTE: RouteDefinition = {
  id: 'ListWorklist',
  method: 'GET',
  path: '/officer/dossiers',
  handler: 'x',
  auth: 'officer',
  roles: ['reception', 'specialist', 'leader'],
  access: {},
};
const PUBLIC_ROUTE: RouteDefinition = { id: 'ListProcedures', method: 'GET', path: '/procedures', handler: 'x', auth: 'public', access: {} };

// One app, synthesized once: the ward stack as deployed, and a small API wired the way the stack
// wires it, so the authorizer is tested even before the route table has officer routes.
const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
const wardStack = new WardStack(app, 'MotCuaSo-thu-nghiem', { ward: WARD, env: WARD.env });
const apiStack = new Stack(app, 'OfficerApi', { env: WARD.env });
const officers = new OfficerPool(apiStack, 'Officers', { ward: WARD });
const handler = new lambda.Function(apiStack, 'Fn', { runtime: FUNCTION_RUNTIME, handler: 'index.handler', code: lambda.Code.fromInline('x') });
new WardApi(apiStack, 'Api', {
  ward: WARD,
  routes: [OFFICER_ROUTE, PUBLIC_ROUTE].map((route) => ({ route, handler })),
  logKey: new kms.Key(apiStack, 'Key', { enableKeyRotation: true }),
  officerAuthorizer: officers.officerAuthorizer(),
  originVerifySecret: 'test-origin-secret',
});
const template = Template.fromStack(wardStack);
const apiTemplate = Template.fromStack(apiStack);

const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
const poolId = Object.keys(template.findResources('AWS::Cognito::UserPool'))[0] ?? '';
const distributionId = Object.keys(template.findResources('AWS::CloudFront::Distribution'))[0] ?? '';

/** The API path of a method of `resourcesOf`, rebuilt from its resource's parents. */
const pathOf = (resourcesOf: typeof resources, resourceId: unknown): string => {
  if (typeof resourceId === 'object' && resourceId !== null && 'Fn::GetAtt' in resourceId) return '';
  const resource = resourcesOf[(resourceId as { Ref: string }).Ref]?.Properties as { ParentId: unknown; PathPart: string };
  return `${pathOf(resourcesOf, resource.ParentId)}/${resource.PathPart}`;
};

describe('OfficerPool', () => {
  it('gives each ward one user pool where only an administrator creates officers, who sign in with their e-mail', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolName: 'mot-cua-so-thu-nghiem-officers',
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
  });

  it('keeps the ward in an immutable custom attribute, set once by the administrator', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([Match.objectLike({ Name: 'ward', AttributeDataType: 'String', Mutable: false })]),
    });
  });

  it('requires strong passwords and an authenticator app as second factor, with threat protection enforced', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true }),
      },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
  });

  it('retains the pool and protects it from deletion', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  it('has one group per officer role', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((group) => group.Properties as Record<string, unknown>);

    expect(groups.map((group) => group.GroupName).sort()).toEqual(['leader', 'reception', 'specialist']);
    expect(groups.every((group) => JSON.stringify(group.UserPoolId) === JSON.stringify({ Ref: poolId }))).toBe(true);
  });

  it("gives the officers' console a public client of the hosted sign-in (code flow, PKCE), with short tokens and the ward readable but not writable", () => {
    const site = (path: string) => ({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, path]] });
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      UserPoolId: { Ref: poolId },
      GenerateSecret: false,
      // Only refreshes besides the hosted sign-in: no SRP, password or custom flow straight to the pool.
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      // The distribution, and the ward's own domain.
      CallbackURLs: [site(OFFICER_PAGES.signInDone), `${new URL(WARD.publicBaseUrl ?? '').origin}${OFFICER_PAGES.signInDone}`],
      LogoutURLs: [site(OFFICER_PAGES.worklists), `${new URL(WARD.publicBaseUrl ?? '').origin}${OFFICER_PAGES.worklists}`],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 480,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
      ReadAttributes: Match.arrayWith(['custom:ward']),
      WriteAttributes: Match.not(Match.arrayWith(['custom:ward'])),
    });
  });

  it('gives the pool a Cognito domain for its hosted sign-in, named after the ward', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { UserPoolId: { Ref: poolId }, Domain: 'mot-cua-so-thu-nghiem' });
  });

  it("points the console's /config.json at the domain's authorize and token endpoints, with the web client and the pool's issuer", () => {
    const config = portalConfigOf(wardStack);
    const domain = Object.keys(template.findResources('AWS::Cognito::UserPoolDomain'))[0] ?? '';
    const client = Object.keys(template.findResources('AWS::Cognito::UserPoolClient'))[0] ?? '';
    expect(config.officerSignIn).toEqual({
      issuer: `https://cognito-idp.ap-southeast-1.{Ref:AWS::URLSuffix}/{Ref:${poolId}}`,
      authorizationEndpoint: `https://{Ref:${domain}}.auth.ap-southeast-1.amazoncognito.com/oauth2/authorize`,
      tokenEndpoint: `https://{Ref:${domain}}.auth.ap-southeast-1.amazoncognito.com/oauth2/token`,
      clientId: `{Ref:${client}}`,
      scope: 'openid email profile',
      redirectPath: OFFICER_PAGES.signInDone,
    });
  });

  it('outputs the pool id and the web client id', () => {
    template.hasOutput('OfficerUserPoolId', { Value: { Ref: poolId } });
    template.hasOutput('OfficerWebClientId', { Value: { Ref: Object.keys(template.findResources('AWS::Cognito::UserPoolClient'))[0] } });
  });

  it("puts the pool's authorizer, reading the Authorization header, on officer methods, and none on public ones", () => {
    const apiResources = apiTemplate.toJSON().Resources as typeof resources;
    const authorizerId = Object.keys(apiTemplate.findResources('AWS::ApiGateway::Authorizer'))[0] ?? '';
    const methodOf = (route: RouteDefinition) =>
      Object.values(apiTemplate.findResources('AWS::ApiGateway::Method'))
        .map((method) => method.Properties as { HttpMethod: string; ResourceId: unknown; AuthorizationType: string; AuthorizerId?: unknown })
        .find((method) => method.HttpMethod === route.method && pathOf(apiResources, method.ResourceId) === route.path);

    apiTemplate.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
      ProviderARNs: [{ 'Fn::GetAtt': [Object.keys(apiTemplate.findResources('AWS::Cognito::UserPool'))[0], 'Arn'] }],
    });
    expect(methodOf(OFFICER_ROUTE)).toMatchObject({ AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: { Ref: authorizerId } });
    expect(methodOf(PUBLIC_ROUTE)).toMatchObject({ AuthorizationType: 'NONE' });
    expect(methodOf(PUBLIC_ROUTE)?.AuthorizerId).toBeUndefined();
  });

  it("protects every officer route of the ward's route table with the pool's authorizer", () => {
    const officerRoutes = ROUTES.filter((route) => route.auth === 'officer');
    const authorizers = Object.keys(template.findResources('AWS::ApiGateway::Authorizer'));
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map(
      (method) => method.Properties as { HttpMethod: string; ResourceId: unknown; AuthorizationType: string; AuthorizerId?: unknown },
    );

    // No officer route yet: then no authorizer either (an unattached one fails synthesis).
    expect(authorizers).toHaveLength(officerRoutes.length > 0 ? 1 : 0);
    for (const route of officerRoutes) {
      const method = methods.find((candidate) => candidate.HttpMethod === route.method && pathOf(resources, candidate.ResourceId) === route.path);
      expect(method, `${route.method} ${route.path}`).toMatchObject({ AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: { Ref: authorizers[0] } });
    }
  });

  it('leaves no cdk-nag finding on the pool, its client, its authorizer or the officer methods', () => {
    const checks = new AwsSolutionsChecks();
    const findings = [checks.validateScope(wardStack), checks.validateScope(apiStack)]
      .flatMap((report) => report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`)))
      .filter((finding) => /Officers|officer/.test(finding));

    expect(findings).toEqual([]);
  });
});
