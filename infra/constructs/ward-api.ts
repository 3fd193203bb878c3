import { Size, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { WardConfig } from '../../shared/domain/ward-config';
import { BINARY_MEDIA_TYPES, CORS_ALLOWED_HEADERS, CORS_ORIGIN, type RouteDefinition } from '../../shared/runtime/routes';
import { ApiFirewall } from './api-firewall';
import { apiNameOf } from './dashboard-figures';
import { addProblemResponses } from './problem-responses';

/** The API's one stage; a literal, so that functions can know their URL without depending on the stage resource. */
export const API_STAGE = 'prod';

export interface RouteBinding {
  readonly route: RouteDefinition;
  readonly handler: lambda.IFunction;
}

export interface WardApiProps {
  readonly ward: WardConfig;
  readonly routes: readonly RouteBinding[];
  /** Encrypts the access log group. */
  readonly logKey: kms.IKey;
  /**
   * Authorizer of the `officer` routes (Cognito, with the ward and roles in the token). Until the
   * stack has one, an officer route fails synthesis rather than being deployed open.
   */
  readonly officerAuthorizer?: apigw.IAuthorizer;
  /** The value of the origin header the ward's distribution sends: the web ACL blocks requests without it (api-firewall.ts). */
  readonly originVerifySecret: string;
}

/** The ward's REST API, built from the route table: one Lambda proxy integration per route. */
export class WardApi extends Construct {
  readonly api: apigw.RestApi;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WardApiProps) {
    super(scope, id);
    const { ward } = props;

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.logKey,
    });

    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: apiNameOf(ward),
      description: `Một Cửa Số: ${ward.name}, ${ward.province}`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Execution logging needs the account-wide API Gateway CloudWatch role; see the APIG6 note below.
      cloudWatchRole: false,
      minCompressionSize: Size.kibibytes(1),
      // BINARY_MEDIA_TYPES (the PDF posted to /verify) arrive base64-encoded, `isBase64Encoded: true`;
      // a request of another Content-Type (JSON) still arrives as text. A response is decoded only
      // when a handler returns `isBase64Encoded: true` (none does: documents are downloaded through
      // presigned links), so JSON and problem+json responses are unchanged; the gateway's own
      // problem responses carry the same template for these types (addProblemResponses).
      binaryMediaTypes: [...BINARY_MEDIA_TYPES],
      deployOptions: {
        stageName: API_STAGE,
        throttlingRateLimit: ward.api.rateLimit,
        throttlingBurstLimit: ward.api.burstLimit,
        tracingEnabled: true,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: accessLogFormat(),
      },
    });

    // The stack outputs the URL as `ApiUrl`; drop RestApi's generated duplicate.
    this.api.node.tryRemoveChild('Endpoint');

    // The handlers validate bodies and parameters with the zod schemas that also generate the
    // OpenAPI document; API Gateway checks only what each method declares (its path parameters),
    // so there is one schema source and no model to drift.
    const validator = this.api.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    for (const [path, bindings] of groupByPath(props.routes)) {
      const resource = this.api.root.resourceForPath(path);
      for (const { route, handler } of bindings) {
        const method = resource.addMethod(route.method, new apigw.LambdaIntegration(handler, { allowTestInvoke: false }), {
          operationName: route.id,
          requestValidator: validator,
          requestParameters: Object.fromEntries(pathParameters(route.path).map((name) => [`method.request.path.${name}`, true])),
          ...this.authorizationFor(route, props.officerAuthorizer),
        });
        // Citizen routes are open at the gateway too: their handler checks the citizen's ID token itself.
        if (route.auth !== 'officer') acknowledgeOpenMethod(method);
      }
      // Citizens' portals and the officers' web app both call from browsers: every resource answers
      // the preflight (without authorization, as browsers send none with it).
      resource.addCorsPreflight({ allowOrigins: [CORS_ORIGIN], allowMethods: bindings.map(({ route }) => route.method), allowHeaders: CORS_ALLOWED_HEADERS });
    }

    addProblemResponses(this.api, CORS_ORIGIN, BINARY_MEDIA_TYPES);

    new ApiFirewall(this, 'Firewall', {
      wardSlug: ward.slug,
      stageArn: this.api.deploymentStage.stageArn,
      stageName: API_STAGE,
      routes: props.routes.map(({ route }) => route),
      limits: ward.limits.firewallPer5Minutes,
      originVerifySecret: props.originVerifySecret,
    });

    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG6',
      reason:
        'Execution logging needs the API Gateway CloudWatch role, an account-and-region-wide setting that one ward stack ' +
        'among several must not own (each would overwrite it, and deleting one would break the others). Every request ' +
        'is in the JSON access log and traced in X-Ray; enable execution logs from the account baseline if needed.',
    });
  }

  private authorizationFor(route: RouteDefinition, officerAuthorizer: apigw.IAuthorizer | undefined): apigw.MethodOptions {
    if (route.auth !== 'officer') return { authorizationType: apigw.AuthorizationType.NONE };
    if (!officerAuthorizer) {
      throw new Error(`route ${route.id} (${route.method} ${route.path}) is an officer route, but the stack has no officer authorizer yet`);
    }
    return { authorizer: officerAuthorizer, authorizationType: officerAuthorizer.authorizationType ?? apigw.AuthorizationType.COGNITO };
  }
}

function groupByPath(routes: readonly RouteBinding[]): Map<string, RouteBinding[]> {
  const byPath = new Map<string, RouteBinding[]>();
  for (const binding of routes) byPath.set(binding.route.path, [...(byPath.get(binding.route.path) ?? []), binding]);
  return byPath;
}

/** `{code}` placeholders of an API Gateway path. */
function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
}

function acknowledgeOpenMethod(method: apigw.Method): void {
  const reason =
    'Citizen route, unauthenticated by design (api.md: no login). Abuse is bounded by stage throttling and the WAF per-IP rate rule; ' +
    "routes that return a dossier's data also require its secret (X-Dossier-Secret), checked by the handler.";
  Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason }, { id: 'AwsSolutions-COG4', reason });
}

/** One JSON object per request. The resource path is the route template, so no dossier code is logged. */
function accessLogFormat(): apigw.AccessLogFormat {
  const field = apigw.AccessLogField;
  return apigw.AccessLogFormat.custom(
    JSON.stringify({
      requestId: field.contextRequestId(),
      requestTime: field.contextRequestTime(),
      ip: field.contextIdentitySourceIp(),
      userAgent: field.contextIdentityUserAgent(),
      method: field.contextHttpMethod(),
      resourcePath: field.contextResourcePath(),
      status: field.contextStatus(),
      responseLength: field.contextResponseLength(),
      responseLatencyMs: field.contextResponseLatency(),
      integrationStatus: field.contextIntegrationStatus(),
      integrationLatencyMs: field.contextIntegrationLatency(),
      errorType: field.contextErrorResponseType(),
      waf: field.contextWafResponseCode(),
      xrayTraceId: field.contextXrayTraceId(),
    }),
  );
}
