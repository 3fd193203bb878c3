import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { PORTAL_CONFIG_PATH, type PortalConfig } from '../../shared/api/portal-config';
import { PAGE_DOCUMENTS } from '../../shared/api/portal-paths';
import { siteSecurityHeaders, type SiteOrigins } from '../../shared/api/site-headers';
import type { WardConfig } from '../../shared/domain/ward-config';
import { ROUTES } from '../../shared/runtime/routes';
import { arnInFinding } from './nag-findings';
import { siteRouterCode, viewerAddressCode } from './site-router';
import { ORIGIN_VERIFY_HEADER } from './api-firewall';
import { API_STAGE } from './ward-api';

/** The built front end (`npm run web:build`); it must exist when the stack is synthesized. */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Hashed file names change with their content: a year, immutable. */
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** HTML documents and the run-time config: revalidated on every load, so a deployment shows at once. */
export const DOCUMENT_CACHE_CONTROL = 'no-cache';

/**
 * The first segment of every API route (`/procedures`, `/dossiers`, `/officer`, …): each gets a
 * behavior to the API origin, for the segment itself and everything under it.
 */
export const API_PATH_PREFIXES: readonly string[] = [...new Set(ROUTES.map((route) => `/${route.path.split('/')[1] ?? ''}`))];

export interface WardSiteProps {
  readonly ward: WardConfig;
  /** The REST API served behind the same distribution. Only its id is used, never its stage (see below). */
  readonly api: apigw.IRestApi;
  /** Where the bucket's server access logs and the distribution's standard logs go (prefixes `site/`, `cloudfront/`). */
  readonly accessLogs: s3.IBucket;
  /** The other origins the pages reach (identity providers, uploads): the Content-Security-Policy names them. */
  readonly origins: SiteOrigins;
  /** The built front end; WEB_DIST unless a test points elsewhere. */
  readonly buildDirectory?: string;
  /** The value of ORIGIN_VERIFY_HEADER the distribution sends the API, which the API's web ACL requires. */
  readonly originVerifySecret: string;
}

/**
 * The ward's web site: the citizen portal at `/` and the officer console at `/can-bo/` (one Vite
 * build, `web/dist`) in a private bucket, and the API, behind one CloudFront distribution, so that
 * pages and API share one origin (no CORS, the API client's base URL is '').
 *
 * - The bucket is reached only through Origin Access Control (no public access, no website endpoint).
 * - A CloudFront Function answers every page path with its HTML document (site-router.ts).
 * - Every page carries the security headers of shared/api/site-headers.ts (the same as local mode's).
 * - Each API path prefix is a behavior to the REST API's regional endpoint: all methods, no caching,
 *   every viewer header but Host (API Gateway routes by its own host name).
 *
 * The API origin is built from the REST API's id and the stage's name, not `api.url`: the stage
 * depends on the deployment, the deployment on the methods, the methods on the functions, and the
 * functions on this distribution (their PUBLIC_BASE_URL); the RestApi resource itself depends on
 * none of them, so there is no cycle.
 */
export class WardSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://<distribution>.cloudfront.net`, no trailing slash. */
  readonly url: string;
  private readonly buildDirectory: string;
  /** What `/config.json` holds (deploy-time values as tokens), once `deploy` has run. */
  portalConfig?: PortalConfig;

  constructor(scope: Construct, id: string, props: WardSiteProps) {
    super(scope, id);
    this.buildDirectory = props.buildDirectory ?? WEB_DIST;
    if (!existsSync(`${this.buildDirectory}/${PAGE_DOCUMENTS.citizen}`) || !existsSync(`${this.buildDirectory}/${PAGE_DOCUMENTS.officer}`)) {
      throw new Error(
        `The front end is not built (${this.buildDirectory} has no ${PAGE_DOCUMENTS.citizen} or ${PAGE_DOCUMENTS.officer}): run npm run web:build first (npm run synth and npm test do).`,
      );
    }
    const stack = Stack.of(this);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      // Public pages: S3-managed keys (with a KMS key, every viewer's miss would be a KMS request through CloudFront).
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'site/',
      // Nothing here that the build cannot recreate.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    // CloudFront's standard logs need a bucket with ACLs (the log delivery writes objects it owns).
    const distributionLogs = new s3.Bucket(this, 'DistributionLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'cloudfront-logs/',
      lifecycleRules: [{ id: 'expire-distribution-logs', expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const pageHeaders = new cloudfront.ResponseHeadersPolicy(this, 'PageHeaders', {
      comment: `Một Cửa Số ${props.ward.slug}: security headers of the pages (shared/api/site-headers.ts)`,
      ...responseHeadersOf(siteSecurityHeaders(props.origins, { https: true })),
    });
    // The API's answers keep their own headers (the verify page has its own CSP); HSTS and nosniff are added when missing.
    const apiHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ApiHeaders', {
      comment: `Một Cửa Số ${props.ward.slug}: transport headers of the API`,
      securityHeadersBehavior: {
        strictTransportSecurity: { ...hstsOf(siteSecurityHeaders(props.origins, { https: true })), override: false },
        contentTypeOptions: { override: false },
      },
    });

    const router = new cloudfront.Function(this, 'Router', {
      comment: 'Page paths to their HTML document (shared/api/portal-paths.ts)',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(siteRouterCode()),
    });

    // The viewer's address for the API's limits, set by CloudFront (a viewer's own value is overwritten).
    const viewerAddress = new cloudfront.Function(this, 'ViewerAddress', {
      comment: 'The viewer address to the API (shared/runtime/http.ts VIEWER_ADDRESS_HEADER)',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(viewerAddressCode()),
    });
    const apiOrigin = new origins.HttpOrigin(`${props.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      originPath: `/${API_STAGE}`,
      // The API's web ACL blocks requests without it: the execute-api endpoint is only reached through here.
      customHeaders: { [ORIGIN_VERIFY_HEADER]: props.originVerifySecret },
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: apiHeaders,
      functionAssociations: [{ function: viewerAddress, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      compress: true,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Một Cửa Số: ${props.ward.name}`,
      defaultRootObject: PAGE_DOCUMENTS.citizen,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Viewers are in Vietnam: the price class with Asian edge locations, not all of them.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: distributionLogs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: pageHeaders,
        functionAssociations: [{ function: router, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      additionalBehaviors: Object.fromEntries(API_PATH_PREFIXES.flatMap((prefix) => [prefix, `${prefix}/*`].map((pattern) => [pattern, apiBehavior]))),
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
    this.acknowledgeFindings();
  }

  /**
   * Deploys the build and `/config.json` (deploy-time values, such as the officers' client id,
   * filled in by the deployment) to the bucket, then invalidates the distribution's cache.
   */
  deploy(portalConfig: PortalConfig): void {
    if (this.portalConfig !== undefined) throw new Error('The site is deployed once');
    this.portalConfig = portalConfig;
    // Hashed assets first and never pruned: a page loaded before a deployment still finds its scripts.
    const assets = new s3deploy.BucketDeployment(this, 'DeployAssets', {
      sources: [s3deploy.Source.asset(`${this.buildDirectory}/assets`)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'assets/',
      cacheControl: [s3deploy.CacheControl.fromString(ASSET_CACHE_CONTROL)],
      prune: false,
      memoryLimit: 512,
    });
    const documents = new s3deploy.BucketDeployment(this, 'DeployDocuments', {
      sources: [s3deploy.Source.asset(this.buildDirectory, { exclude: ['assets/**'] }), s3deploy.Source.jsonData(PORTAL_CONFIG_PATH.slice(1), portalConfig)],
      destinationBucket: this.bucket,
      // Pruning spares the assets, which the deployment above owns.
      exclude: ['assets/*'],
      cacheControl: [s3deploy.CacheControl.fromString(DOCUMENT_CACHE_CONTROL)],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
    documents.node.addDependency(assets);
    for (const deployment of [assets, documents]) this.acknowledgeDeployment(deployment);
  }

  /** cdk-nag findings on the distribution, each answered. */
  private acknowledgeFindings(): void {
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'No geo restriction: citizens abroad (students, workers) use the ward\u2019s online services too.' },
      {
        id: 'AwsSolutions-CFR2',
        reason: 'The API behind the distribution has its own web ACL on its stage (api-firewall.ts, with per-route rate rules); the pages are static files from a private bucket.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate cannot have its minimum TLS version raised; a ward with its own domain (publicBaseUrl) puts its certificate and policy in front.',
      },
    );
  }

  /** The deployments' handler is CDK's (one singleton Lambda function per stack, Python, AWS CLI layer): its grants are CDK's too. */
  private acknowledgeDeployment(deployment: s3deploy.BucketDeployment): void {
    const stack = Stack.of(this);
    const assetsBucket = `cdk-hnb659fds-assets-${inFinding(stack.account, 'AWS::AccountId')}-${inFinding(stack.region, 'AWS::Region')}`;
    const copies = 'CDK\u2019s bucket deployment handler copies the build from the CDK assets bucket into the site bucket';
    Validations.of(deployment.handlerRole).acknowledge(
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${copies} (CDK\u2019s grantRead/grantReadWrite).`,
      })),
      { id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${assetsBucket}/*]`, reason: `${copies}: it reads the asset archives of this deployment.` },
      { id: `AwsSolutions-IAM5[Resource::${arnInFinding(this.bucket)}/*]`, reason: `${copies}: every object of the site bucket is the build\u2019s.` },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'cloudfront:CreateInvalidation and GetInvalidation, which have no resource-level permissions for the handler to be limited to.',
      },
    );
    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler === undefined) throw new Error('The bucket deployment handler was not found in the stack');
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'CDK\u2019s bucket deployment handler writes its own logs.',
      },
      { id: 'AwsSolutions-L1', reason: 'CDK\u2019s bucket deployment handler, on the Python runtime CDK pins for it.' },
    );
  }
}

/** How cdk-nag writes a stack's region or account in a finding: the value, or the pseudo parameter when it is a token. */
const inFinding = (value: string, pseudo: string): string => (Token.isUnresolved(value) ? `<${pseudo}>` : value);

/** The HSTS header of `headers` as CloudFront's policy takes it. */
function hstsOf(headers: Readonly<Record<string, string>>): Omit<cloudfront.ResponseHeadersStrictTransportSecurity, 'override'> {
  const value = headers['Strict-Transport-Security'];
  const maxAge = /max-age=(\d+)/.exec(value ?? '')?.[1];
  if (value === undefined || maxAge === undefined) throw new Error('The site headers have no Strict-Transport-Security with a max-age');
  return { accessControlMaxAge: Duration.seconds(Number(maxAge)), includeSubdomains: /includeSubDomains/.test(value), preload: /preload/.test(value) };
}

/**
 * shared/api/site-headers.ts's headers as a CloudFront response headers policy: the ones CloudFront
 * names (CSP, HSTS, nosniff, frame options, referrer policy) as security headers, the others
 * (Permissions-Policy, Cross-Origin-Opener-Policy) as custom headers; every one overrides the origin's.
 */
export function responseHeadersOf(headers: Readonly<Record<string, string>>): Pick<cloudfront.ResponseHeadersPolicyProps, 'securityHeadersBehavior' | 'customHeadersBehavior'> {
  const securityHeaders = new Set(['Content-Security-Policy', 'Strict-Transport-Security', 'X-Content-Type-Options', 'X-Frame-Options', 'Referrer-Policy']);
  const frameOption = headers['X-Frame-Options'];
  const referrerPolicy = Object.values(cloudfront.HeadersReferrerPolicy).find((policy) => policy === headers['Referrer-Policy']);
  if (headers['X-Content-Type-Options'] !== 'nosniff') throw new Error('The site headers must send X-Content-Type-Options: nosniff');
  if (frameOption !== 'DENY' && frameOption !== 'SAMEORIGIN') throw new Error(`X-Frame-Options ${frameOption ?? '(none)'} has no CloudFront equivalent`);
  if (referrerPolicy === undefined) throw new Error(`Referrer-Policy ${headers['Referrer-Policy'] ?? '(none)'} has no CloudFront equivalent`);
  const csp = headers['Content-Security-Policy'];
  if (csp === undefined) throw new Error('The site headers have no Content-Security-Policy');
  return {
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
      strictTransportSecurity: { ...hstsOf(headers), override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: frameOption === 'DENY' ? cloudfront.HeadersFrameOption.DENY : cloudfront.HeadersFrameOption.SAMEORIGIN, override: true },
      referrerPolicy: { referrerPolicy, override: true },
    },
    customHeadersBehavior: {
      customHeaders: Object.entries(headers)
        .filter(([name]) => !securityHeaders.has(name))
        .map(([header, value]) => ({ header, value, override: true })),
    },
  };
}
