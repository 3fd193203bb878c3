import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { OPERATORS_TOPIC_NAME } from '../../shared/domain/city';
import type { WardConfig } from '../../shared/domain/ward-config';

export interface WardAlarmsProps {
  readonly ward: WardConfig;
  readonly api: apigw.RestApi;
  readonly deadlines: sfn.StateMachine;
  /** The ward's own alert topic (its officers'). */
  readonly alarmAction: cloudwatch.IAlarmAction;
}

const PERIOD = Duration.minutes(5);
/** CloudWatch's limit on the metrics of one metric math alarm. */
const METRICS_PER_ALARM = 10;

/**
 * The city operators' topic (`infra/stacks/city-stack.ts`) in the stack's account and region, by
 * the ARN its name makes: the ward stack needs no output of the city stack.
 */
export const operatorsTopicArn = (stack: Stack): string => stack.formatArn({ service: 'sns', resource: OPERATORS_TOPIC_NAME });

/**
 * The ward's health alarms, each on the first occurrence in five minutes, to the ward's alert topic:
 * any 5xx of the API, errors and throttles of every Lambda function of the stack (the functions
 * found in the stack when this construct is created: create it last), and failed or timed-out
 * deadline executions. (The dead-letter queues
 * alarm in the constructs that own them; tests/infra/alarms.test.ts checks that every function
 * and every dead-letter queue of the template has its alarm.)
 */
export class WardAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly wardSlug: string;

  constructor(scope: Construct, id: string, props: WardAlarmsProps) {
    super(scope, id);
    const { ward } = props;
    this.wardSlug = ward.slug;
    const stack = Stack.of(this);

    this.add(
      'Api5xx',
      `${ward.slug}: the API answered 5xx (a defect or an AWS fault). The functions' logs have the errors.`,
      props.api.metricServerError({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
    );
    this.add(
      'DeadlinesFailed',
      `${ward.slug}: a deadline execution failed (its check-deadline retries ran out): a due-tomorrow alert or an overdue mark may be missing.`,
      props.deadlines.metricFailed({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
    );
    this.add('DeadlinesTimedOut', `${ward.slug}: a deadline execution timed out.`, props.deadlines.metricTimedOut({ period: PERIOD, statistic: cloudwatch.Stats.SUM }));

    // A function that has an Errors alarm of its own (a scheduled job's) is left out of the Errors groups.
    const alreadyAlarmed = new Set(
      stack.node
        .findAll()
        .filter((construct): construct is cloudwatch.CfnAlarm => construct instanceof cloudwatch.CfnAlarm)
        .filter((alarm) => alarm.namespace === 'AWS/Lambda' && alarm.metricName === 'Errors')
        .map((alarm) => JSON.stringify(stack.resolve(alarm.dimensions))),
    );
    const functions = lambdaFunctionsOf(stack);
    const unalarmed = functions.filter((fn) => !alreadyAlarmed.has(JSON.stringify(stack.resolve([{ name: 'FunctionName', value: fn.ref }]))));
    this.addFunctionGroups('Errors', 'failed (an invocation error; its log group has the error)', unalarmed);
    this.addFunctionGroups('Throttles', "were throttled (the account's or a function's concurrency limit)", functions);
    for (const alarm of this.alarms) alarm.addAlarmAction(props.alarmAction);

    // Every alarm of the stack (these, and those of the constructs created before: dead letters,
    // SMS caps, scheduled jobs) also goes to the city's operators, who watch all wards at once.
    const operators = new cloudwatchActions.SnsAction(sns.Topic.fromTopicArn(this, 'OperatorsTopic', operatorsTopicArn(stack)));
    for (const alarm of stack.node.findAll().filter((construct): construct is cloudwatch.Alarm => construct instanceof cloudwatch.Alarm)) alarm.addAlarmAction(operators);
  }

  /**
   * One alarm per group of functions (a metric math alarm takes at most ten metrics), on the
   * highest of their `metricName` sums: a stack has some forty functions, and an alarm each would
   * take a fifth of CloudFormation's 500 resources. The description names the group's functions.
   */
  private addFunctionGroups(metricName: 'Errors' | 'Throttles', what: string, functions: readonly CfnResource[]): void {
    for (let start = 0, group = 1; start < functions.length; start += METRICS_PER_ALARM, group += 1) {
      const members = functions.slice(start, start + METRICS_PER_ALARM);
      const usingMetrics = Object.fromEntries(
        members.map((fn, index) => [
          `f${index}`,
          new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName, dimensionsMap: { FunctionName: fn.ref }, period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        ]),
      );
      const names = members.map((fn) => fn.node.path.split('/').slice(1, -1).join('/')).join(', ');
      this.add(
        `Functions${metricName}${group}`,
        `${this.wardSlug}: one of these functions ${what}: ${names}`,
        new cloudwatch.MathExpression({
          expression: `MAX([${Object.keys(usingMetrics).join(', ')}])`,
          usingMetrics,
          period: PERIOD,
          label: `${metricName} of ${members.length} functions`,
        }),
      );
    }
  }

  private add(id: string, description: string, metric: cloudwatch.IMetric): void {
    this.alarms.push(
      new cloudwatch.Alarm(this, id, {
        alarmDescription: description.slice(0, 1024),
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}

/** Every `AWS::Lambda::Function` of the stack, the ward's own and those CDK adds (custom resource providers). */
function lambdaFunctionsOf(stack: Stack): CfnResource[] {
  return stack.node.findAll().filter((construct): construct is CfnResource => CfnResource.isCfnResource(construct) && construct.cfnResourceType === 'AWS::Lambda::Function');
}
