import { Stack, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * How cdk-nag writes a resource's ARN in a finding id (`AwsSolutions-IAM5[Resource::<Id.Arn>/…]`),
 * for acknowledging exactly that finding.
 */
export function arnInFinding(resource: IConstruct): string {
  return `<${Stack.of(resource).getLogicalId(resource.node.defaultChild as CfnElement)}.Arn>`;
}
