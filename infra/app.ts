import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CITY_STACK_NAME, wardStackName } from '../shared/domain/city';
import { CITY } from './config/city';
import { WARDS, wardBySlug } from './config/wards';
import { CityStack, cityEnvOf } from './stacks/city-stack';
import { WardStack } from './stacks/ward-stack';

/**
 * The CDK app: the city stack (`MotCuaSo-city`, always: what every ward shares, derived from all
 * of `WARDS`) and the ward stacks, every ward's with plain `cdk synth`, or one with
 * `cdk synth -c ward=<slug>`. The only place that reads context; everything below receives typed props.
 */
const app = new App();

const slug: unknown = app.node.tryGetContext('ward');
if (slug !== undefined && typeof slug !== 'string') throw new Error('-c ward=<slug> takes one ward slug');
const wards = slug === undefined ? WARDS : [wardBySlug(slug)];

const city = new CityStack(app, CITY_STACK_NAME, { city: CITY, wards: WARDS, env: cityEnvOf(WARDS, process.env.CDK_DEFAULT_ACCOUNT) });

for (const ward of wards) {
  const stack = new WardStack(app, wardStackName(ward.slug), {
    ward,
    env: { account: ward.env.account ?? process.env.CDK_DEFAULT_ACCOUNT, region: ward.env.region },
  });
  // A ward names the city's bus and topic without referencing them: this only orders the
  // deployments, so that `cdk deploy --all` (or 'MotCuaSo-*', or one ward) deploys the city first.
  stack.addDependency(city, 'the city bus and the operators topic, which the ward names');
}

// cdk-nag 3 is a policy validation plugin: an unacknowledged finding fails the synthesis.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
