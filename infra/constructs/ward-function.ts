import { fileURLToPath } from 'node:url';
import { Duration, Tokenization, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import type { WardConfig } from '../../shared/domain/ward-config';
import { BUNDLE_ALIASES, ESM_REQUIRE_BANNER, MAIN_FIELDS } from './bundling';

/** How NodejsFunction bundles every function of the project (FUNCTION_BUNDLING is the same in esbuild's terms). */
export const NODEJS_BUNDLING = {
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
} as const satisfies BundlingOptions;

/** The repository root: entries, lock file and tsconfig are resolved from it, whatever the CLI's working directory. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The newest Node.js runtime this CDK version knows, pinned by name rather than `NODEJS_LATEST`
 * so that a CDK upgrade cannot silently move every function to another runtime.
 */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** A function's timeout unless its construct sets another (the API routes keep it). */
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 10;

/**
 * Lambda refuses a function whose environment variables (names and values, UTF-8) exceed 4 KB in
 * all, and says so only when CloudFormation deploys it: the synthesis checks it first.
 */
export const ENVIRONMENT_LIMIT_BYTES = 4096;
/**
 * What a value CloudFormation resolves at deploy time (an ARN, a generated name) is counted as:
 * more than any of the stack's (a KMS key ARN is ~85 characters, a generated bucket name ≤ 63).
 */
const UNRESOLVED_VALUE_BYTES = 160;

/**
 * The ward's signing certificate chain, when the ward configuration has one, is a file next to
 * every bundle (index.mjs) at this path: a chain of three certificates is 4–6 KB of PEM, more than
 * the whole environment may hold, so WARD_CONFIG leaves it out (see wardConfigVariable).
 * The signing key's grant names it in SIGNING_CERTIFICATE_CHAIN_FILE.
 */
export const CERTIFICATE_CHAIN_FILE_NAME = 'signing-certificate-chain.pem';
/** Where the bundle is unpacked in a zip-packaged function (LAMBDA_TASK_ROOT). */
export const CERTIFICATE_CHAIN_PATH = `/var/task/${CERTIFICATE_CHAIN_FILE_NAME}`;

/** The ward configuration as WARD_CONFIG: all of it but the certificate chain, which the bundle carries as a file. */
export function wardConfigVariable(ward: WardConfig): string {
  const { signingCertificateChainPem, ...config } = ward;
  return JSON.stringify(config);
}

/** Bytes of an environment, a value resolved only at deploy time counted as UNRESOLVED_VALUE_BYTES. */
export function environmentBytes(variables: Readonly<Record<string, string>>): number {
  const atMost = (value: string): string =>
    String(
      Tokenization.reverseString(value)
        .mapTokens({ mapToken: () => 'x'.repeat(UNRESOLVED_VALUE_BYTES) })
        .join({ join: (left: string | undefined, right: string | undefined) => `${left ?? ''}${right ?? ''}` }) ?? '',
    );
  return Object.entries(variables).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(atMost(value)), 0);
}

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
  /** Every variable set, kept to check the size limit at synthesis (the Function keeps its own private). */
  private readonly environment: Record<string, string>;

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

    this.environment = {
      WARD_CONFIG: wardConfigVariable(ward),
      POWERTOOLS_SERVICE_NAME: `mot-cua-so-${ward.slug}`,
      POWERTOOLS_METRICS_NAMESPACE: 'MotCuaSo',
      NODE_OPTIONS: '--enable-source-maps',
    };
    // Files esbuild cannot see imported, copied next to index.mjs after bundling.
    const chainPem = ward.signingCertificateChainPem;
    const afterBundling = (inputDir: string, outputDir: string): string[] => [
      // The e-result renderer (shared/documents/result-pdf.ts) reads its fonts from ./fonts next
      // to the module, which in a bundle is next to index.mjs. Only the functions that render
      // (~1.6 MB of fonts) get them.
      ...(props.withResultFonts ? [`cp -r "${inputDir}/shared/documents/fonts" "${outputDir}/fonts"`] : []),
      // Base64 on the command line, so that no shell quoting can alter the PEM.
      ...(chainPem === undefined ? [] : [writeFileCommand(`${outputDir}/${CERTIFICATE_CHAIN_FILE_NAME}`, chainPem)]),
    ];

    this.lambda = new NodejsFunction(this, 'Function', {
      entry: `${REPO_ROOT}functions/${props.handler}.ts`,
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb ?? 512,
      timeout: props.timeout ?? Duration.seconds(DEFAULT_FUNCTION_TIMEOUT_SECONDS),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: { ...this.environment },
      bundling: {
        ...NODEJS_BUNDLING,
        ...(props.withResultFonts || chainPem !== undefined ? { commandHooks: { beforeBundling: () => [], beforeInstall: () => [], afterBundling } } : {}),
      },
    });

    this.grantPrincipal = this.lambda.grantPrincipal;

    this.node.addValidation({
      validate: () => {
        const bytes = environmentBytes(this.environment);
        return bytes <= ENVIRONMENT_LIMIT_BYTES ? [] : [`The environment of ${this.node.path} would take ${bytes} bytes (at most); Lambda allows ${ENVIRONMENT_LIMIT_BYTES}.`];
      },
    });

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions. ' +
        'Every other statement of this role names its resource.',
    });
  }

  addEnvironment(key: string, value: string): void {
    this.environment[key] = value;
    this.lambda.addEnvironment(key, value);
  }
}

/** A shell command that writes `content` to `path` (with the Node.js that runs the synthesis). */
function writeFileCommand(path: string, content: string): string {
  const base64 = Buffer.from(content, 'utf8').toString('base64');
  return `node -e "require('node:fs').writeFileSync(process.argv[1], Buffer.from(process.argv[2], 'base64'))" "${path}" ${base64}`;
}
