import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface ApiFirewallProps {
  readonly wardSlug: string;
  /** ARN of the API Gateway stage to protect. */
  readonly stageArn: string;
  /**
   * Requests one client IP may send in 5 minutes. Generous on purpose: citizens on mobile
   * networks share carrier-grade NAT addresses, and a ward office's officers share one.
   */
  readonly requestsPerIpPer5Minutes?: number;
}

const AWS_MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesCommonRuleSet',
] as const;

/**
 * A regional WAF web ACL on the ward API. Stage throttling caps the ward as a whole, so one
 * abusive client could use up every citizen's share; the per-IP rate rule stops that client
 * alone. AWS managed rule groups drop known-bad sources and inputs.
 */
export class ApiFirewall extends Construct {
  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `mot-cua-so-${props.wardSlug}-${metricName}`,
    });

    const rateRule: wafv2.CfnWebACL.RuleProperty = {
      name: 'RatePerClientIp',
      priority: 0,
      action: { block: {} },
      statement: {
        rateBasedStatement: { aggregateKeyType: 'IP', limit: props.requestsPerIpPer5Minutes ?? 2000, evaluationWindowSec: 300 },
      },
      visibilityConfig: visibility('rate-per-ip'),
    };
    const managedRules = AWS_MANAGED_RULE_GROUPS.map(
      (name, index): wafv2.CfnWebACL.RuleProperty => ({
        name,
        priority: index + 1,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name,
            // The common rule set blocks bodies over 8 KB; the handlers enforce their own limit and
            // answer 413 as problem+json, so that rule only counts.
            ...(name === 'AWSManagedRulesCommonRuleSet'
              ? { ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] }
              : {}),
          },
        },
        visibilityConfig: visibility(name),
      }),
    );

    const webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules: [rateRule, ...managedRules],
      visibilityConfig: visibility('web-acl'),
    });
    new wafv2.CfnWebACLAssociation(this, 'Association', { resourceArn: props.stageArn, webAclArn: webAcl.attrArn });
  }
}
