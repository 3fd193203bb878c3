import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { WardConfig } from '../../shared/domain/ward-config';
import { PROBLEMS } from '../../shared/domain/errors';
import { problemType } from '../../shared/runtime/problem';
import { VIEWER_ADDRESS_HEADER } from '../../shared/runtime/http';
import type { RouteDefinition } from '../../shared/runtime/routes';

/** The origin custom header the ward's distribution sends the API (ward-site.ts); the web ACL blocks requests without its value. */
export const ORIGIN_VERIFY_HEADER = 'x-mot-cua-so-origin-verify';

export interface ApiFirewallProps {
  readonly wardSlug: string;
  /** ARN of the API Gateway stage to protect. */
  readonly stageArn: string;
  /**
   * Requests one client IP may send in 5 minutes. Generous on purpose: citizens on mobile
   * networks share carrier-grade NAT addresses, and a ward office's officers share one.
   */
  readonly requestsPerIpPer5Minutes?: number;
  /** The stage's name: the default endpoint's paths start with it, a custom domain's do not. */
  readonly stageName: string;
  /** The API's routes: the public write routes (POST, no login) get the rate rules of `limits`. */
  readonly routes: readonly Pick<RouteDefinition, 'id' | 'method' | 'path' | 'auth'>[];
  readonly limits: WardConfig['limits']['firewallPer5Minutes'];
  /** The value of ORIGIN_VERIFY_HEADER that the distribution sends: requests without it are blocked. */
  readonly originVerifySecret: string;
}

/** The seconds a client blocked by a rate rule is told to wait: WAF lifts the block as the rate falls under the limit over its 5-minute window. */
export const RATE_RULE_RETRY_AFTER_SECONDS = 300;

/** The public write routes, grouped under the rate rule that limits them (every one is in exactly one). */
export function publicWriteRouteGroups(routes: ApiFirewallProps['routes']): { readonly submissions: string[]; readonly uploads: string[]; readonly otherWrites: string[] } {
  const writes = routes.filter((route) => route.auth === 'public' && route.method === 'POST');
  return {
    submissions: writes.filter((route) => route.id === 'SubmitDossier').map((route) => route.path),
    uploads: writes.filter((route) => route.id === 'CreateUpload').map((route) => route.path),
    otherWrites: writes.filter((route) => route.id !== 'SubmitDossier' && route.id !== 'CreateUpload').map((route) => route.path),
  };
}

/**
 * A regular expression of the request paths of route templates (`{param}`: one segment), with or
 * without the stage prefix, and a trailing slash allowed; WAF matches it after decoding and
 * normalizing the path, so `%2F` or `//` do not get around it.
 */
export function pathPattern(stageName: string, paths: readonly string[]): string {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const templates = paths.map((path) =>
    path
      .split('/')
      .map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : escape(segment)))
      .join('/'),
  );
  return `^(?:/${escape(stageName)})?(?:${templates.join('|')})/?$`;
}

const RATE_LIMITED_BODY_KEY = 'rate-limited';

const AWS_MANAGED_RULE_GROUPS = ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesCommonRuleSet'] as const;

/**
 * A regional WAF web ACL on the ward API. Stage throttling caps the ward as a whole, so one
 * abusive client could use up every citizen's share; the per-IP rate rule stops that client
 * alone, and tighter per-IP rules on the public write routes (submission, uploads, the others)
 * stop a flood of writes before it reaches a function, answered 429 with Retry-After. Each ward's
 * stack has its own web ACL, so its counts are its own. AWS managed rule groups drop known-bad
 * sources and inputs.
 */
export class ApiFirewall extends Construct {
  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `mot-cua-so-${props.wardSlug}-${metricName}`,
    });

    // Only the distribution reaches the API: it sends the secret header, and the viewer's address
    // (VIEWER_ADDRESS_HEADER), on which the rate rules below count, so they cannot be forged.
    const originRule: wafv2.CfnWebACL.RuleProperty = {
      name: 'OnlyThroughDistribution',
      priority: 0,
      action: { block: {} },
      statement: {
        notStatement: {
          statement: {
            byteMatchStatement: {
              fieldToMatch: { singleHeader: { Name: ORIGIN_VERIFY_HEADER } },
              positionalConstraint: 'EXACTLY',
              searchString: props.originVerifySecret,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
        },
      },
      visibilityConfig: visibility('only-through-distribution'),
    };
    const byViewer = { aggregateKeyType: 'FORWARDED_IP', forwardedIpConfig: { headerName: VIEWER_ADDRESS_HEADER, fallbackBehavior: 'MATCH' } } as const;
    const rateRule: wafv2.CfnWebACL.RuleProperty = {
      name: 'RatePerClientIp',
      priority: 1,
      action: { block: {} },
      statement: {
        rateBasedStatement: { ...byViewer, limit: props.requestsPerIpPer5Minutes ?? 2000, evaluationWindowSec: 300 },
      },
      visibilityConfig: visibility('rate-per-ip'),
    };
    const groups = publicWriteRouteGroups(props.routes);
    const writeRules = (
      [
        ['RateSubmissionsPerIp', 'rate-submissions-per-ip', groups.submissions, props.limits.submissions],
        ['RateUploadsPerIp', 'rate-uploads-per-ip', groups.uploads, props.limits.uploads],
        ['RateOtherPublicWritesPerIp', 'rate-other-writes-per-ip', groups.otherWrites, props.limits.otherWrites],
      ] as const
    )
      .filter(([, , paths]) => paths.length > 0)
      .map(
        ([name, metricName, paths, limit], index): wafv2.CfnWebACL.RuleProperty => ({
          name,
          priority: index + 2,
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: RATE_LIMITED_BODY_KEY,
                responseHeaders: [{ name: 'Retry-After', value: String(RATE_RULE_RETRY_AFTER_SECONDS) }],
              },
            },
          },
          statement: {
            rateBasedStatement: {
              ...byViewer,
              limit,
              evaluationWindowSec: 300,
              scopeDownStatement: {
                andStatement: {
                  statements: [
                    {
                      byteMatchStatement: {
                        fieldToMatch: { method: {} },
                        positionalConstraint: 'EXACTLY',
                        searchString: 'POST',
                        textTransformations: [{ priority: 0, type: 'NONE' }],
                      },
                    },
                    {
                      regexMatchStatement: {
                        fieldToMatch: { uriPath: {} },
                        regexString: pathPattern(props.stageName, paths),
                        textTransformations: [
                          { priority: 0, type: 'URL_DECODE' },
                          { priority: 1, type: 'NORMALIZE_PATH' },
                        ],
                      },
                    },
                  ],
                },
              },
            },
          },
          visibilityConfig: visibility(metricName),
        }),
      );
    const managedRules = AWS_MANAGED_RULE_GROUPS.map(
      (name, index): wafv2.CfnWebACL.RuleProperty => ({
        name,
        priority: writeRules.length + index + 2,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name,
            // The common rule set blocks bodies over 8 KB; the handlers enforce their own limit and
            // answer 413 as problem+json, so that rule only counts.
            ...(name === 'AWSManagedRulesCommonRuleSet' ? { ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] } : {}),
          },
        },
        visibilityConfig: visibility(name),
      }),
    );

    const webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules: [originRule, rateRule, ...writeRules, ...managedRules],
      // WAF sends it as application/json (it sets no other type); the shape is the API's problem+json.
      customResponseBodies: {
        [RATE_LIMITED_BODY_KEY]: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            type: problemType('RATE_LIMITED'),
            title: PROBLEMS.RATE_LIMITED.title.vi,
            status: 429,
            detail: `Địa chỉ này gửi quá nhiều yêu cầu; vui lòng thử lại sau ${RATE_RULE_RETRY_AFTER_SECONDS / 60} phút. / Too many requests from this address; please retry in ${RATE_RULE_RETRY_AFTER_SECONDS / 60} minutes.`,
            code: 'RATE_LIMITED',
          }),
        },
      },
      visibilityConfig: visibility('web-acl'),
    });
    new wafv2.CfnWebACLAssociation(this, 'Association', { resourceArn: props.stageArn, webAclArn: webAcl.attrArn });
  }
}
