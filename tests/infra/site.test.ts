import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { citizenSignInOf } from '../../infra/config/citizen-sign-in';
import { ORIGIN_VERIFY_HEADER } from '../../infra/constructs/api-firewall';
import { siteRouterCode, viewerAddressCode } from '../../infra/constructs/site-router';
import { API_PATH_PREFIXES, ASSET_CACHE_CONTROL, DOCUMENT_CACHE_CONTROL, WardSite } from '../../infra/constructs/ward-site';
import { WardStack, siteOriginsOf } from '../../infra/stacks/ward-stack';
import { CITIZEN_PAGES, OFFICER_PAGES, pageDocumentOf } from '../../shared/api/portal-paths';
import { contentSecurityPolicy, HSTS_MAX_AGE_SECONDS } from '../../shared/api/site-headers';
import { WardConfigSchema } from '../../shared/domain/ward-config';
import { VIEWER_ADDRESS_HEADER } from '../../shared/runtime/http';
import { ROUTES } from '../../shared/runtime/routes';
import { testWard } from '../fixtures/ward';
import { intrinsicText, portalConfigOf } from './site-config';

const CDK_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;
const env = { account: '111122223333', region: 'ap-southeast-1' };
/** A ward on the distribution's own domain, and one with a domain of its own. */
const WARD = WardConfigSchema.parse({ ...testWard, slug: 'thu-nghiem', publicBaseUrl: undefined, env });
const CUSTOM_DOMAIN_WARD = WardConfigSchema.parse({ ...testWard, slug: 'ten-mien', publicBaseUrl: 'https://dichvucong.ten-mien.example.vn', env });

const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
const stack = new WardStack(app, 'MotCuaSo-thu-nghiem', { ward: WARD, env });
const customDomainStack = new WardStack(app, 'MotCuaSo-ten-mien', { ward: CUSTOM_DOMAIN_WARD, env });
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string | string[] }>;

const onlyId = (type: string, prefix: string): string => {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids, `${type} ${prefix}*`).toHaveLength(1);
  return ids[0] ?? '';
};
const distributionId = onlyId('AWS::CloudFront::Distribution', 'SiteDistribution');
const distributionConfig = resources[distributionId]?.Properties.DistributionConfig as {
  DefaultCacheBehavior: Record<string, unknown>;
  CacheBehaviors: { PathPattern: string; TargetOriginId: string; [key: string]: unknown }[];
  Origins: { Id: string; DomainName: unknown; OriginPath?: string; S3OriginConfig?: unknown; OriginAccessControlId?: unknown; CustomOriginConfig?: Record<string, unknown> }[];
  Logging?: unknown;
};
const distributionUrl = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] };

/** The viewer-request function's handler, as CloudFront would run it. */
const routerHandler = runInNewContext(`${siteRouterCode()}; handler`) as (event: { request: { uri: string } }) => { uri: string };
const routed = (uri: string): string => routerHandler({ request: { uri } }).uri;

/** The API behaviors' viewer-request function, as CloudFront would run it. */
type ViewerRequest = { request: { uri: string; headers: Record<string, { value: string }> }; viewer: { ip: string } };
const viewerAddressHandler = runInNewContext(`${viewerAddressCode()}; handler`) as (event: ViewerRequest) => ViewerRequest['request'];
/** The stack's origin secret: the UUID of its stack id. */
const STACK_UUID = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };

/** Page paths, API paths and files: the cases local mode's pageDocumentOf is tested on (tests/unit/portal-paths.test.ts), and more. */
const SAMPLE = '000.99.99.H26-261122-0001';
const PATHS = [
  CITIZEN_PAGES.catalog,
  CITIZEN_PAGES.procedure('1.001193'),
  CITIZEN_PAGES.file('1.001193'),
  CITIZEN_PAGES.dossier(SAMPLE),
  CITIZEN_PAGES.myDossiers,
  CITIZEN_PAGES.signInDone,
  OFFICER_PAGES.worklists,
  '/can-bo',
  OFFICER_PAGES.dossier(SAMPLE),
  OFFICER_PAGES.counterIntake,
  OFFICER_PAGES.kpis,
  OFFICER_PAGES.signInDone,
  ...ROUTES.map((route) => route.path.replace(/\{[^}]+\}/g, SAMPLE)),
  '/assets/citizen-1sgOveAT.js',
  '/favicon.svg',
  '/config.json',
  '/thu-tucX',
  '/can-boX/ho-so',
  '/ho-so/%E1%BB%87',
];

/** Every resource's references (Ref, GetAtt, DependsOn), for finding cycles. */
function dependencies(resource: { Properties?: unknown; DependsOn?: string | string[] }): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Ref' && typeof inner === 'string' && inner in resources) found.add(inner);
        else if (key === 'Fn::GetAtt' && Array.isArray(inner)) found.add(String(inner[0]));
        else visit(inner);
      }
    }
  };
  visit(resource.Properties);
  for (const id of [resource.DependsOn ?? []].flat()) found.add(id);
  return found;
}

describe('the site (CloudFront in front of the built front end and the API)', () => {
  it('answers every page path with its HTML document, in the generated CloudFront Function as in local mode, and leaves other paths alone', () => {
    for (const path of PATHS) {
      const document = pageDocumentOf(decodeURIComponent(path));
      expect(routed(path), path).toBe(document === undefined ? path : `/${document}`);
    }
    expect(routed(CITIZEN_PAGES.dossier(SAMPLE))).toBe('/index.html');
    expect(routed(OFFICER_PAGES.kpis)).toBe('/can-bo/index.html');
    expect(routed('/dossiers/x/status')).toBe('/dossiers/x/status');
    expect(routed('/ho-so/%E0%A4%A')).toBe('/ho-so/%E0%A4%A');
  });

  it('runs that function on viewer requests of the bucket, with the cloudfront-js-2.0 runtime', () => {
    const functionId = onlyId('AWS::CloudFront::Function', 'SiteRouter');
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: siteRouterCode(),
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
      AutoPublish: true,
    });
    expect(distributionConfig.DefaultCacheBehavior).toMatchObject({
      FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } }],
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
    });
  });

  it('keeps the build in a private, TLS-only, encrypted, access-logged bucket that only the distribution reads (Origin Access Control)', () => {
    const bucketId = onlyId('AWS::S3::Bucket', 'SiteBucket');
    expect(resources[bucketId]?.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { LogFilePrefix: 'site/' },
    });
    expect(resources[bucketId]?.Properties).not.toHaveProperty('WebsiteConfiguration');
    const s3Origin = distributionConfig.Origins.find((origin) => origin.S3OriginConfig !== undefined);
    expect(s3Origin?.DomainName).toEqual({ 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] });
    expect(s3Origin?.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [onlyId('AWS::CloudFront::OriginAccessControl', 'SiteDistribution'), 'Id'] });
    const policy = template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } });
    const statements = (Object.values(policy)[0]?.Properties as { PolicyDocument: { Statement: { Effect: string; Principal?: unknown; Action: unknown; Condition?: unknown }[] } })
      .PolicyDocument.Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() as unknown } },
      }),
    );
    expect(distributionConfig.Logging).toMatchObject({ Prefix: 'cloudfront/' });
  });

  it("sends the pages' security headers of shared/api/site-headers.ts, the CSP naming the identity providers and S3, with HSTS", () => {
    const policy = resources[onlyId('AWS::CloudFront::ResponseHeadersPolicy', 'SitePageHeaders')]?.Properties.ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: unknown }; StrictTransportSecurity: unknown; FrameOptions: unknown; ReferrerPolicy: unknown };
      CustomHeadersConfig: { Items: unknown[] };
    };
    const domain = onlyId('AWS::Cognito::UserPoolDomain', 'OfficersUserPoolDomain');
    const expected = contentSecurityPolicy(siteOriginsOf('ap-southeast-1', `https://{Ref:${domain}}.auth.ap-southeast-1.amazoncognito.com`, citizenSignInOf(WARD)));
    expect(intrinsicText(policy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy)).toBe(expected);
    expect(expected).toContain(`connect-src 'self' https://{Ref:${domain}}.auth.ap-southeast-1.amazoncognito.com https://citizen-idp`);
    expect(expected).toContain('https://*.s3.ap-southeast-1.amazonaws.com');
    expect(policy.SecurityHeadersConfig).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS, IncludeSubdomains: true, Preload: true, Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
      ContentTypeOptions: { Override: true },
    });
    expect(policy.CustomHeadersConfig.Items).toEqual(
      expect.arrayContaining([expect.objectContaining({ Header: 'Permissions-Policy' }), expect.objectContaining({ Header: 'Cross-Origin-Opener-Policy', Value: 'same-origin' })]),
    );
    expect(distributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: onlyId('AWS::CloudFront::ResponseHeadersPolicy', 'SitePageHeaders') });
  });

  it('sends each API path prefix, all methods, uncached and with every viewer header but Host, to the REST API of the stage', () => {
    const prefixes = [...new Set(ROUTES.map((route) => `/${route.path.split('/')[1]}`))];
    expect([...API_PATH_PREFIXES].sort()).toEqual(prefixes.sort());
    expect(distributionConfig.CacheBehaviors.map((behavior) => behavior.PathPattern).sort()).toEqual(prefixes.flatMap((prefix) => [prefix, `${prefix}/*`]).sort());
    const apiOrigin = distributionConfig.Origins.find((origin) => origin.CustomOriginConfig !== undefined);
    expect(apiOrigin?.DomainName).toEqual({
      'Fn::Join': ['', [{ Ref: onlyId('AWS::ApiGateway::RestApi', 'Api') }, '.execute-api.ap-southeast-1.', { Ref: 'AWS::URLSuffix' }]],
    });
    expect(apiOrigin).toMatchObject({ OriginPath: '/prod', CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] } });
    for (const behavior of distributionConfig.CacheBehaviors) {
      expect(behavior, behavior.PathPattern).toMatchObject({
        TargetOriginId: apiOrigin?.Id,
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        // The managed policies CachingDisabled and AllViewerExceptHostHeader.
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
        OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
        ViewerProtocolPolicy: 'redirect-to-https',
      });
    }
  });

  it('sets the viewer address header on every API behavior, overwriting a value the viewer sent, and keeps the other headers', () => {
    const functionId = onlyId('AWS::CloudFront::Function', 'SiteViewerAddress');
    template.hasResourceProperties('AWS::CloudFront::Function', { FunctionCode: viewerAddressCode(), FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }) });
    for (const behavior of distributionConfig.CacheBehaviors) {
      expect(behavior.FunctionAssociations, behavior.PathPattern).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } }]);
    }
    const forwarded = viewerAddressHandler({
      request: { uri: '/dossiers', headers: { [VIEWER_ADDRESS_HEADER]: { value: '1.2.3.4' }, authorization: { value: 'Bearer t' }, 'idempotency-key': { value: 'k' } } },
      viewer: { ip: '2001:db8::7' },
    });
    expect(forwarded.headers).toEqual({ [VIEWER_ADDRESS_HEADER]: { value: '2001:db8::7' }, authorization: { value: 'Bearer t' }, 'idempotency-key': { value: 'k' } });
    expect(forwarded.uri).toBe('/dossiers');
  });

  it("sends the API origin the stack's origin secret header, which the API's web ACL requires", () => {
    const apiOrigin = distributionConfig.Origins.find((origin) => origin.CustomOriginConfig !== undefined) as { OriginCustomHeaders?: unknown } | undefined;
    expect(apiOrigin?.OriginCustomHeaders).toEqual([{ HeaderName: ORIGIN_VERIFY_HEADER, HeaderValue: STACK_UUID }]);
    const [webAcl] = Object.values(template.findResources('AWS::WAFv2::WebACL')).map((resource) => resource.Properties as { Rules: { Name: string; Statement: unknown }[] });
    expect(webAcl?.Rules.find((rule) => rule.Name === 'OnlyThroughDistribution')?.Statement).toMatchObject({
      NotStatement: {
        Statement: { ByteMatchStatement: { FieldToMatch: { SingleHeader: { Name: ORIGIN_VERIFY_HEADER } }, PositionalConstraint: 'EXACTLY', SearchString: STACK_UUID } },
      },
    });
  });

  it('deploys hashed assets immutable and never pruned, then the HTML documents and /config.json revalidated, invalidating the cache', () => {
    const deployments = template.findResources('Custom::CDKBucketDeployment');
    const props = Object.values(deployments).map((resource) => resource.Properties as Record<string, unknown>);
    const assets = props.find((p) => p.DestinationBucketKeyPrefix === 'assets/');
    const documents = props.find((p) => p.DestinationBucketKeyPrefix === undefined);
    expect(assets).toMatchObject({ Prune: false, SystemMetadata: { 'cache-control': ASSET_CACHE_CONTROL } });
    expect(documents).toMatchObject({
      Prune: true,
      Exclude: ['assets/*'],
      SystemMetadata: { 'cache-control': DOCUMENT_CACHE_CONTROL },
      DistributionId: { Ref: distributionId },
      DistributionPaths: ['/*'],
    });
    const [documentsId] = Object.entries(deployments).find(([, resource]) => resource.Properties === documents) ?? [];
    const assetsId = Object.keys(deployments).find((id) => id !== documentsId);
    expect([resources[documentsId ?? '']?.DependsOn ?? []].flat()).toContain(assetsId);
  });

  it('writes /config.json: the ward, the API on the same origin, the citizens\u2019 provider and the officers\u2019 hosted sign-in', () => {
    const config = portalConfigOf(stack);
    expect(config).toMatchObject({
      ward: { slug: WARD.slug, name: WARD.name, province: WARD.province },
      apiBaseUrl: '',
      citizenSignIn: citizenSignInOf(WARD),
      officerSignIn: { redirectPath: OFFICER_PAGES.signInDone, scope: 'openid email profile' },
    });
    expect(config.citizenSignIn.redirectPath).toBe(CITIZEN_PAGES.signInDone);
  });

  it('links SMS, receipts and QR codes to the distribution, or to the ward\u2019s own domain, without a dependency cycle', () => {
    const submit = resources[onlyId('AWS::Lambda::Function', 'SubmitDossierFunction')]?.Properties as { Environment: { Variables: Record<string, unknown> } };
    expect(submit.Environment.Variables.PUBLIC_BASE_URL).toEqual(distributionUrl);
    const notifier = resources[onlyId('AWS::Lambda::Function', 'StreamConsumersNotifierFunction')]?.Properties as { Environment: { Variables: Record<string, unknown> } };
    expect(notifier.Environment.Variables.PUBLIC_BASE_URL).toEqual(distributionUrl);
    const custom = Template.fromStack(customDomainStack).findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { PUBLIC_BASE_URL: Match.anyValue() } } },
    });
    const values = new Set(Object.values(custom).map((fn) => JSON.stringify((fn.Properties as typeof submit).Environment.Variables.PUBLIC_BASE_URL)));
    expect([...values]).toEqual([JSON.stringify(CUSTOM_DOMAIN_WARD.publicBaseUrl)]);

    // CloudFormation refuses a template whose resources depend on each other in a circle.
    const state = new Map<string, 'visiting' | 'done'>();
    const cycleFrom = (id: string, path: string[]): string[] | undefined => {
      state.set(id, 'visiting');
      for (const next of dependencies(resources[id] ?? {})) {
        if (state.get(next) === 'visiting') return [...path, next];
        if (!state.has(next)) {
          const cycle = cycleFrom(next, [...path, next]);
          if (cycle) return cycle;
        }
      }
      state.set(id, 'done');
      return undefined;
    };
    for (const id of Object.keys(resources)) if (!state.has(id)) expect(cycleFrom(id, [id]), id).toBeUndefined();
    // The cycle the design avoids: the distribution names the RestApi, never its stage or deployment.
    expect([...dependencies(resources[distributionId] ?? {})].map((id) => resources[id]?.Type)).not.toContain('AWS::ApiGateway::Stage');
  });

  it('outputs the site URL', () => {
    template.hasOutput('SiteUrl', { Value: distributionUrl });
  });

  it('fails synthesis with a clear message when the front end is not built', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'mot-cua-so-no-build-'));
    try {
      const scratch = new Stack(new App(), 'Scratch', { env });
      const api = new apigw.RestApi(scratch, 'Api');
      api.root.addMethod('GET');
      expect(
        () =>
          new WardSite(scratch, 'Site', {
            ward: WARD,
            api,
            accessLogs: new s3.Bucket(scratch, 'Logs'),
            origins: { connect: [], formAction: [] },
            buildDirectory: empty,
            originVerifySecret: 'test-origin-secret',
          }),
      ).toThrow(/front end is not built .*npm run web:build/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
