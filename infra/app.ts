import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { WARDS, wardBySlug } from './config/wards';
import { CityStack } from './stacks/city-stack';
import { WardStack } from './stacks/ward-stack';

/**
 * The CDK app: `cdk synth -c ward=<slug>` synthesizes that ward's stack, plain `cdk synth` every
 * ward's. The only place that reads context; everything below receives typed props.
 */
const app = new App();

const slug: unknown = app.node.tryGetContext('ward');
if (slug !== undefined && typeof slug !== 'string') throw new Error('-c ward=<slug> takes one ward slug');
const wards = slug === undefined ? WARDS : [wardBySlug(slug)];

for (const ward of wards) {
  new WardStack(app, `MotCuaSo-${ward.slug}`, {
    ward,
    env: { account: ward.env.account ?? process.env.CDK_DEFAULT_ACCOUNT, region: ward.env.region },
  });
}

// The city's stack, beside the wards, in the first ward's account and region (all wards share them).
const [first] = WARDS;
if (first) new CityStack(app, 'MotCuaSo-city', { wards: WARDS, env: { account: first.env.account ?? process.env.CDK_DEFAULT_ACCOUNT, region: first.env.region } });

// cdk-nag 3 is a policy validation plugin: an unacknowledged finding fails the synthesis.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
