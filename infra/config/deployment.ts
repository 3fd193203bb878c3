import type { WardConfig } from '../../shared/domain/ward-config';
import { WARDS } from './wards';

/**
 * What `cdk synth`/`cdk deploy` deploys, from its context: `-c ward=<slug>` one ward, nothing every
 * ward; `-c allowUnconfirmedAgencyCode=true` (with `-c ward`) the explicit override that lets a ward
 * whose agency code is unconfirmed take dossiers all the same.
 *
 * A ward's agency code begins every dossier code and never changes with it, so a ward deployed
 * while its code is a placeholder takes no dossier: its API answers 409 AGENCY_CODE_UNCONFIRMED to
 * every new submission, online or at the counter, until its code is confirmed in
 * infra/config/units.json and the stack deployed again. Everything else works (officers, catalog,
 * the site), so a city can deploy all its wards before the codes arrive. The override is for a
 * pilot that must receive before then, and names its ward: it is refused for all wards at once
 * and for a ward whose code is confirmed.
 */
export interface WardDeployment {
  readonly ward: WardConfig;
  /**
   * Why the ward takes no dossier (info), or takes them on the override (a warning); none when its
   * code is confirmed. The app puts it on the stack, so `cdk synth` and `cdk deploy` print it.
   */
  readonly notice?: { readonly level: 'info' | 'warning'; readonly message: string };
}

export interface DeploymentContext {
  /** `-c ward=<slug>`. */
  readonly ward?: unknown;
  /** `-c allowUnconfirmedAgencyCode=true`. */
  readonly allowUnconfirmedAgencyCode?: unknown;
}

/** The context flag as a boolean: the CLI passes `-c name=value` as a string, cdk.json as JSON. */
function flag(value: unknown, name: string): boolean {
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new Error(`-c ${name}= takes true or false, not ${JSON.stringify(value)}`);
}

/** The wards to synthesize, each with the configuration its stack deploys (see WardDeployment); `wards` are the configured wards. */
export function wardDeployments(context: DeploymentContext, wards: readonly WardConfig[] = WARDS): WardDeployment[] {
  const { ward: slug } = context;
  if (slug !== undefined && typeof slug !== 'string') throw new Error('-c ward=<slug> takes one ward slug');
  const override = flag(context.allowUnconfirmedAgencyCode, 'allowUnconfirmedAgencyCode');
  if (override && slug === undefined) {
    throw new Error('-c allowUnconfirmedAgencyCode=true overrides one ward at a time: name it with -c ward=<slug>');
  }
  const selected = slug === undefined ? wards : wards.filter((ward) => ward.slug === slug);
  if (selected.length === 0) throw new Error(`Unknown ward '${String(slug)}'. Valid slugs: ${wards.map((ward) => ward.slug).join(', ')}`);
  return selected.map((ward) => {
    if (ward.agencyCodeConfirmed) {
      if (override) throw new Error(`Ward '${ward.slug}' has a confirmed agency code (${ward.agencyCode}): remove -c allowUnconfirmedAgencyCode=true`);
      return { ward };
    }
    if (override) {
      return {
        ward: { ...ward, allowUnconfirmedAgencyCode: true },
        notice: {
          level: 'warning',
          message: `${ward.slug}: agency code ${ward.agencyCode} is UNCONFIRMED and overridden (-c allowUnconfirmedAgencyCode=true): the ward takes dossiers, and their codes keep this agency code even if it is corrected later.`,
        },
      };
    }
    return {
      ward,
      notice: {
        level: 'info',
        message: `${ward.slug}: agency code ${ward.agencyCode} is unconfirmed: the ward takes no dossier (409 AGENCY_CODE_UNCONFIRMED) until the code is confirmed in infra/config/units.json, or the stack is deployed with -c ward=${ward.slug} -c allowUnconfirmedAgencyCode=true.`,
      },
    };
  });
}
