/**
 * `npm run city-report -- --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--wards <slug,…>] [--endpoint <url> | --aws [--region <r>]] [--json]`
 *
 * The city's report over the wards' tables: each ward's daily KPI counter items (never a
 * dossier), Decision 766's figures for each ward and for the city, with their formulas. By default
 * over local mode's tables (.local/dynamodb, with a DynamoDB Local of its own: stop `npm start`
 * first, or give its endpoint); `--aws` reads the deployed tables, as the city's function does.
 */
import { UsageError, wardOf } from './cli';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient, paginateListTables, type DynamoDBClientConfig, type ListTablesCommandInput } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WARDS } from '../infra/config/wards';
import { dynamoKpiStore } from '../shared/adapters/dynamodb/kpi-store';
import { wardTableName } from '../shared/adapters/dynamodb/table-definition';
import { cityReportView } from '../shared/api/views';
import type { WardConfig } from '../shared/domain/ward-config';
import { CityReportRequestSchema, getCityReport, type CityFigures } from '../shared/use-cases/city-report';
import type { NationalIndicator } from '../shared/use-cases/kpi-report';
import { systemClock } from '../shared/use-cases/ports';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
import { localDynamoDbClientConfig } from './local-aws';

const PROJECT_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
const LOCAL_DYNAMODB_DIRECTORY = join(PROJECT_DIRECTORY, '.local', 'dynamodb');

const USAGE = `usage: npm run city-report -- --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--wards <slug,…>] [--endpoint <url> | --aws [--region <region>]] [--json]

  --from, --to  the range, both days included (Vietnam time), at most 366 days
  --wards       the wards to sum (default: every ward of infra/config/wards.ts that has a table)
  --endpoint    a running DynamoDB Local (the one npm start prints); without it, a DynamoDB Local
                of its own is started over .local/dynamodb (stop npm start first)
  --aws         the deployed tables (mot-cua-so-<slug>), with the SDK's usual credentials, which
                need dynamodb:Query on the tables' KPI partition (as the city's function has)
  --json        the whole report as JSON (the city function's answer) instead of the summary

Prints Decision 766's figures of each ward and of the city, each with its formula and its
numerator / denominator; the city's are recomputed from the wards' summed counters.
Exit status: 0 done, 2 usage error.`;

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values, positionals } = parseArguments();
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals.join(' ')}'`);
  const parsed = CityReportRequestSchema.safeParse({ from: values.from, to: values.to });
  if (!parsed.success) throw new UsageError('--from and --to are needed, as YYYY-MM-DD');
  if (values.aws && values.endpoint !== undefined) throw new UsageError('--aws and --endpoint exclude each other');
  const wanted = values.wards === undefined ? [...WARDS] : values.wards.split(',').map((slug) => wardOf(slug.trim()));

  const server: DynamoDbLocal | undefined =
    values.aws || values.endpoint !== undefined ? undefined : await startDynamoDbLocal({ storage: { dataDirectory: LOCAL_DYNAMODB_DIRECTORY } });
  const config: DynamoDBClientConfig = values.aws
    ? { region: values.region ?? wanted[0]?.env.region }
    : localDynamoDbClientConfig({ dynamodbEndpoint: endpointOf(values.endpoint ?? server?.endpoint ?? ''), s3Endpoint: '' });
  const raw = new DynamoDBClient(config);
  try {
    const wards = values.aws ? wanted : await withTables(raw, wanted, values.wards !== undefined);
    const client = DynamoDBDocumentClient.from(raw);
    const report = await getCityReport(
      { wards: wards.map((ward) => ({ slug: ward.slug, name: ward.name, targets: ward.targets, kpis: dynamoKpiStore(client, wardTableName(ward.slug)) })), clock: systemClock },
      parsed.data,
    );
    if (values.json) {
      console.log(JSON.stringify(cityReportView(report), null, 2));
      return 0;
    }
    console.log(`Decision 766/QĐ-TTg, ${report.from} to ${report.to} (${report.days} days), ${report.wards.length} ward(s), as of ${cityReportView(report).asOf}\n`);
    for (const ward of report.wards) print(`${ward.name} (${ward.slug})`, ward);
    print('City (every ward above, counters summed)', report);
    return 0;
  } finally {
    raw.destroy();
    await server?.stop();
  }
}

/** The wards whose table exists here (local mode has only the wards it ran); naming one without a table is an error. */
async function withTables(client: DynamoDBClient, wards: readonly WardConfig[], named: boolean): Promise<WardConfig[]> {
  const tables = new Set<string>();
  for await (const page of paginateListTables({ client }, {} satisfies ListTablesCommandInput)) for (const name of page.TableNames ?? []) tables.add(name);
  const missing = wards.filter((ward) => !tables.has(wardTableName(ward.slug)));
  if (named && missing.length > 0) throw new UsageError(`no table for ${missing.map((ward) => ward.slug).join(', ')}: has local mode run that ward (WARD=<slug> npm start)?`);
  if (missing.length > 0) console.error(`(no table for ${missing.map((ward) => ward.slug).join(', ')}: left out)`);
  return wards.filter((ward) => tables.has(wardTableName(ward.slug)));
}

const LABELS: Record<Exclude<keyof CityFigures['national'], 'openOverdueAtEnd'>, string> = {
  onTimeShare: 'on time',
  lateShare: 'late',
  complaintShare: 'complaints',
  satisfaction: 'satisfaction',
  syncedShare: 'synced with the national portal',
  eResultShare: 'with an e-result',
  paidOnlineShare: 'paid online',
};

function print(title: string, figures: CityFigures): void {
  console.log(`${title}: ${figures.counts.received} received, ${figures.counts.resolved} resolved, ${figures.national.openOverdueAtEnd} open overdue at the end`);
  for (const [name, label] of Object.entries(LABELS) as [keyof typeof LABELS, string][]) {
    const figure: NationalIndicator = figures.national[name];
    const value = figure.value === null ? '   n/a' : `${(figure.value * 100).toFixed(2).padStart(6)}%`;
    const target = figure.target === null ? '' : ` (target ${(figure.target * 100).toFixed(0)}%${figure.met ? ', met' : figure.met === false ? ', not met' : ''})`;
    console.log(`  ${label.padEnd(32)} ${value} = ${figure.numerator} / ${figure.denominator}${target}   ${figure.formula}`);
  }
  console.log('');
}

function endpointOf(text: string): string {
  try {
    return new URL(text).origin;
  } catch {
    throw new UsageError(`--endpoint must be a URL, not '${text}'`);
  }
}

function parseArguments() {
  try {
    return parseArgs({
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        wards: { type: 'string' },
        endpoint: { type: 'string' },
        aws: { type: 'boolean', default: false },
        region: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    console.error(error);
    process.exitCode = 1;
  },
);
