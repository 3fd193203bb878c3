import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import { BUNDLE_ALIASES } from './bundling';
import type { WardConfig } from '../../shared/domain/ward-config';
import { ESM_REQUIRE_BANNER, MAIN_FIELDS } from './bundling';

/** The repository root: entries, lock file and tsconfig are resolved from it, whatever the CLI's working directory. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The newest Node.js runtime this CDK version knows, pinned by name rather than `NODEJS_LATEST`
 * so that a CDK upgrade cannot silently move every function to another runtime.
 */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * What a resource construct needs from a function to let it use the resource: a principal to
 * grant to, and the environment where it names the resource (so the grant and the name never drift).
 */
export interface ResourceUser extends iam.IGrantable, IConstruct {
  addEnvironment(key: string, value: string): void;
}

export interface WardFunctionProps {
  readonly ward: WardConfig;
  /** Entry point under `functions/`, without extension, e.g. `catalog/list-procedures`. */
  readonly handler: string;
  readonly description: string;
  readonly memoryMb?: number;
  readonly timeout?: Duration;
  /** Encrypts the function's log group. */
  readonly logKey: kms.IKey;
  /** Ship the e-result fonts next to the bundle (functions that render PDFs). */
  readonly withResultFonts?: boolean;
}

/**
 * One Lambda function of the ward: an esbuild ESM bundle on the newest Node.js runtime (arm64),
 * active tracing, its own encrypted log group and a role that can write to that log group and
 * nothing else until a resource construct grants it more.
 */
export class WardFunction extends Construct implements ResourceUser {
  readonly lambda: NodejsFunction;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: WardFunctionProps) {
    super(scope, id);
    const { ward } = props;

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.logKey,
    });

    // Our own role instead of the default AWSLambdaBasicExecutionRole, whose logs:* on every log
    // group is more than a function writing to one log group needs.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${ward.slug}: ${props.description}`,
    });
    logGroup.grants.write(role);

    this.lambda = new NodejsFunction(this, 'Function', {
      entry: `${REPO_ROOT}functions/${props.handler}.ts`,
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        WARD_CONFIG: JSON.stringify(ward),
        POWERTOOLS_SERVICE_NAME: `mot-cua-so-${ward.slug}`,
        POWERTOOLS_METRICS_NAMESPACE: 'MotCuaSo',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: MAIN_FIELDS,
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        // Stack traces need the mappings, not a copy of the sources: a smaller bundle loads faster.
        sourcesContent: false,
        // The SDK v3 is inlined rather than taken from the runtime (see RUNTIME_PROVIDED_MODULES in
        // ./bundling for the measured trade-off).
        bundleAwsSDK: true,
        forceDockerBundling: false,
        esbuildArgs: Object.fromEntries(Object.entries(BUNDLE_ALIASES).map(([name, path]) => [`--alias:${name}`, path])),
        // The e-result renderer (shared/documents/result-pdf.ts) reads its fonts from ./fonts next
        // to the module, which in a bundle is next to index.mjs; esbuild does not copy files it
        // cannot see imported. Only the functions that render (~1.6 MB of fonts) get them.
        ...(props.withResultFonts
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) => [`cp -r "${inputDir}/shared/documents/fonts" "${outputDir}/fonts"`],
              },
            }
          : {}),
      },
    });

    this.grantPrincipal = this.lambda.grantPrincipal;

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions. ' +
        'Every other statement of this role names its resource.',
    });
  }

  addEnvironment(key: string, value: string): void {
    this.lambda.addEnvironment(key, value);
  }
}
