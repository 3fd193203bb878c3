import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { wardDeployments } from './config/deployment';
import { WardStack } from './stacks/ward-stack';

/**
 * The CDK app: `cdk synth -c ward=<slug>` synthesizes that ward's stack, plain `cdk synth` every
 * ward's; `-c allowUnconfirmedAgencyCode=true` (with `-c ward`) overrides an unconfirmed agency code
 * (infra/config/deployment.ts). The only place that reads context; everything below receives typed props.
 */
const app = new App();

const deployments = wardDeployments({ ward: app.node.tryGetContext('ward'), allowUnconfirmedAgencyCode: app.node.tryGetContext('allowUnconfirmedAgencyCode') });

for (const { ward, notice } of deployments) {
  const stack = new WardStack(app, `MotCuaSo-${ward.slug}`, {
    ward,
    env: { account: ward.env.account ?? process.env.CDK_DEFAULT_ACCOUNT, region: ward.env.region },
  });
  if (notice?.level === 'warning') Annotations.of(stack).addWarningV2('mot-cua-so:agency-code-overridden', notice.message);
  else if (notice) Annotations.of(stack).addInfo(notice.message);
}

// cdk-nag 3 is a policy validation plugin: an unacknowledged finding fails the synthesis.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
