import { WardConfigSchema } from '../../shared/domain/ward-config';
import type { WardConfig } from '../../shared/domain/ward-config';
import { UNITS_FILE, type Unit } from './units';

/**
 * Configuration of every commune-level unit of Hanoi, wards ("phường") and communes ("xã"), after
 * the reorganisation of 1 July 2025 (Nghị quyết 1656/NQ-UBTVQH15: 126 units, no districts),
 * generated from the data file `units.json` (see its `about` and `sources`) and parsed with
 * `WardConfigSchema` when this module loads, so a bad entry fails `cdk synth`.
 *
 * Agency codes: the national portal's electronic identifier of each unit's People's Committee
 * (format `xxx.xx.xx.H26`, Decision 20/2020/QĐ-TTg; H26 = Hanoi) could not be found in any public
 * source we could reach for the units formed on 1/7/2025. A unit whose code the data file does not
 * record gets a PLACEHOLDER in that format, derived from its official 5-digit administrative unit
 * code so that it is unique and traceable: `000.<digits 2-3>.<digits 4-5>.H26`, with
 * `agencyCodeConfirmed: false`. The dossier code embeds this value, so such a ward takes no
 * dossier (409 AGENCY_CODE_UNCONFIRMED) unless its deployment overrides that explicitly
 * (infra/config/deployment.ts).
 *
 * Alert e-mail addresses follow the city's `@hanoi.gov.vn` naming but are EXAMPLES, not verified
 * mailboxes: replace them in the data file with the one-stop desk's real addresses before deployment.
 */

/** Hanoi's targets for ward one-stop desks (domain.md, Statistics). */
const HANOI_WARD_TARGETS: WardConfig['targets'] = {
  onlineShare: 0.6,
  fullyOnlineShare: 0.2,
  onTimeShare: 1,
  eCopyShare: 1,
  satisfiedShare: 0.85,
};

const OFFICE_HOURS: WardConfig['officeHours'] = { open: '08:00', close: '17:00', cutoff: '15:00' };

/**
 * Years an e-result stays write-once in the archive. One value covers every result type, so it
 * follows the longest-lived one: civil-status records are kept permanently, but by the civil-status
 * books and the national civil-status database, not by this archive, whose copies back the e-result
 * and its verification. 70 years is the longest fixed retention term in the archive rules for
 * administrative records (Thông tư 10/2022/TT-BNV), far beyond certified contracts (20 years) and
 * building permits; a shorter term would let an e-copy expire while the person it names still uses it.
 */
const RETENTION_YEARS = 70;

const API_THROTTLE: WardConfig['api'] = { rateLimit: 50, burstLimit: 100 };

/** About three times a busy day's SMS (a few per dossier, a few hundred dossiers a day), a tenth of the month. */
const SMS_LIMITS: WardConfig['sms'] = { maxPriceUsd: 0.05, perPhonePerDay: 10, perWardPerDay: 2_000, perWardPerMonth: 20_000 };

/**
 * A person files a few dossiers on a busy day, not ten; citizens share addresses behind mobile
 * carriers' NAT and at the ward's own kiosk, so the per-address limits are loose, and the firewall's
 * looser still (it is there to stop floods, the table's counters to answer them precisely).
 */
const REQUEST_LIMITS: WardConfig['limits'] = {
  submissionsPerIdNumberPerDay: 10,
  submissionsPerSourcePerHour: 60,
  uploadsPerSourcePerHour: 600,
  firewallPer5Minutes: { submissions: 100, uploads: 600, otherWrites: 300 },
};

/**
 * The city's identity provider for citizens, set ONCE here for every ward: the city registers the
 * portal (one client, one redirect URI per ward site) with its OpenID Connect provider, which signs
 * citizens in with their VNeID level-2 account, and writes the values it was given here. They are
 * PLACEHOLDERS under the reserved `.invalid` domain until then: a stack deployed with them accepts
 * no citizen's token (the key set cannot be fetched), so online submissions are refused with 401
 * unless a ward's pilot switch (`unsignedOnlineSubmissions`) is on. Claim names are the provider's;
 * the API maps them to the applicant's ID number, full name and phone.
 */
const CITY_CITIZEN_SIGN_IN: WardConfig['citizenSignIn'] = {
  issuer: 'https://citizen-idp.hanoi.invalid',
  jwksUri: 'https://citizen-idp.hanoi.invalid/.well-known/jwks.json',
  clientId: 'mot-cua-so-portal',
  authorizationEndpoint: 'https://citizen-idp.hanoi.invalid/authorize',
  tokenEndpoint: 'https://citizen-idp.hanoi.invalid/token',
  scope: 'openid profile phone',
  algorithms: ['RS256', 'ES256'],
  claims: { idNumber: 'id_number', fullName: 'name', phone: 'phone_number' },
};

/** Singapore: the nearest AWS region where SNS sends SMS to Vietnamese numbers. */
const ENV: WardConfig['env'] = { region: 'ap-southeast-1' };

/** One mail to the officers every quarter of an hour at most: a flood of online dossiers is one digest, not a mailbox full. */
const ALERT_DIGEST_MINUTES = 15;

/** Placeholder agency code derived from the unit code; see the module comment. */
export const placeholderAgencyCode = (unitCode: string): string => `000.${unitCode.slice(1, 3)}.${unitCode.slice(3, 5)}.H26`;

const ward = ({ slug, name, type, unitCode, agencyCode, smsSenderName, alertEmails }: Unit): WardConfig => ({
  slug,
  name,
  province: UNITS_FILE.province,
  agencyCode: agencyCode?.code ?? placeholderAgencyCode(unitCode),
  agencyCodeConfirmed: agencyCode !== null,
  allowUnconfirmedAgencyCode: false,
  unitCode,
  unitType: type,
  smsSenderName,
  officeHours: OFFICE_HOURS,
  retentionYears: RETENTION_YEARS,
  targets: HANOI_WARD_TARGETS,
  alertEmails,
  alertDigestMinutes: ALERT_DIGEST_MINUTES,
  api: API_THROTTLE,
  limits: REQUEST_LIMITS,
  sms: SMS_LIMITS,
  citizenSignIn: CITY_CITIZEN_SIGN_IN,
  // Every ward requires sign-in for online submissions; a pilot ward sets this to true.
  unsignedOnlineSubmissions: false,
  env: ENV,
});

/** Throws when two configurations share a value of `field`. */
function assertUnique(wards: readonly WardConfig[], field: 'slug' | 'agencyCode' | 'smsSenderName' | 'unitCode'): void {
  const seen = new Map<string, string>();
  for (const w of wards) {
    const value = w[field];
    if (value === undefined) continue;
    const other = seen.get(value);
    if (other !== undefined) throw new Error(`Wards '${other}' and '${w.slug}' have the same ${field} '${value}'`);
    seen.set(value, w.slug);
  }
}

/** Every unit of the data file as a validated ward configuration, in the file's order. */
export const WARDS: readonly WardConfig[] = Object.freeze(
  UNITS_FILE.units.map((unit) => {
    const parsed = WardConfigSchema.safeParse(ward(unit));
    if (!parsed.success) {
      throw new Error(`Invalid configuration for ward '${unit.slug}': ${parsed.error.message}`);
    }
    return parsed.data;
  }),
);
for (const field of ['slug', 'unitCode', 'agencyCode', 'smsSenderName'] as const) assertUnique(WARDS, field);

/** The configuration of one ward; throws, naming the valid slugs, when the slug is unknown. */
export function wardBySlug(slug: string): WardConfig {
  const found = WARDS.find((w) => w.slug === slug);
  if (found === undefined) {
    throw new Error(`Unknown ward '${slug}'. Valid slugs: ${WARDS.map((w) => w.slug).join(', ')}`);
  }
  return found;
}
