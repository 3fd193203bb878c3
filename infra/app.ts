import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CITY_STACK_NAME, wardStackName } from '../shared/domain/city';
import { CITY } from './config/city';
import { wardDeployments } from './config/deployment';
import { WARDS } from './config/wards';
import { CityStack, cityEnvOf } from './stacks/city-stack';
import { WardStack } from './stacks/ward-stack';

/**
 * The CDK app: the city stack (`MotCuaSo-city`, always: what every ward shares, derived from all
 * of `WARDS`) and the ward stacks, every ward's with plain `cdk synth`, or one with
 * `cdk synth -c ward=<slug>`; `-c allowUnconfirmedAgencyCode=true` (with `-c ward`) overrides an
 * unconfirmed agency code (infra/config/deployment.ts). The only place that reads context;
 * everything below receives typed props.
 */
const app = new App();

const deployments = wardDeployments({ ward: app.node.tryGetContext('ward'), allowUnconfirmedAgencyCode: app.node.tryGetContext('allowUnconfirmedAgencyCode') });

const city = new CityStack(app, CITY_STACK_NAME, { city: CITY, wards: WARDS, env: cityEnvOf(WARDS, process.env.CDK_DEFAULT_ACCOUNT) });

for (const { ward, notice } of deployments) {
  const stack = new WardStack(app, wardStackName(ward.slug), {
    ward,
    env: { account: ward.env.account ?? process.env.CDK_DEFAULT_ACCOUNT, region: ward.env.region },
  });
  // A ward names the city's bus and topic without referencing them: this only orders the
  // deployments, so that `cdk deploy --all` (or 'MotCuaSo-*', or one ward) deploys the city first.
  stack.addDependency(city, 'the city bus and the operators topic, which the ward names');
  if (notice?.level === 'warning') Annotations.of(stack).addWarningV2('mot-cua-so:agency-code-overridden', notice.message);
  else if (notice) Annotations.of(stack).addInfo(notice.message);
}

// cdk-nag 3 is a policy validation plugin: an unacknowledged finding fails the synthesis.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
