import { WardConfigSchema } from '../../shared/domain/ward-config';
import type { WardConfig } from '../../shared/domain/ward-config';

/**
 * Configuration of the Hanoi wards ("phường") the application is deployed for, after the
 * reorganisation of 1 July 2025 (Nghị quyết 1656/NQ-UBTVQH15: 126 communes and wards, no
 * districts). Parsed with `WardConfigSchema` when this module loads, so a bad entry fails `cdk synth`.
 *
 * Agency codes: the national portal's electronic identifier of each ward People's Committee
 * (format `xxx.xx.xx.H26`, Decision 20/2020/QĐ-TTg; H26 = Hanoi, Decision 2918/QĐ-UBND and its
 * 2025 updates) could not be found in any public source we could reach. The codes below are
 * PLACEHOLDERS in that format, TO BE CONFIRMED WITH THE WARD before go-live: each is derived from
 * the ward's official 5-digit administrative unit code (Cục Thống kê, Công văn 1027/CTK-CSCL of
 * 25/06/2025), so they are unique and traceable: `000.<digits 2-3>.<digits 4-5>.H26`. The dossier
 * code embeds this value, so it must be fixed before the first dossier is received.
 *
 * Alert e-mail addresses follow the city's `@hanoi.gov.vn` naming but are EXAMPLES, not verified
 * mailboxes: replace them with the one-stop desk's real addresses before deployment.
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

interface WardIdentity {
  readonly slug: string;
  readonly name: string;
  /** Official 5-digit code of the administrative unit (Cục Thống kê, 25/06/2025). */
  readonly unitCode: string;
  readonly smsSenderName: string;
}

/** Placeholder agency code derived from the unit code; see the module comment. */
/** One mail to the officers every quarter of an hour at most: a flood of online dossiers is one digest, not a mailbox full. */
const ALERT_DIGEST_MINUTES = 15;

const placeholderAgencyCode = (unitCode: string): string => `000.${unitCode.slice(1, 3)}.${unitCode.slice(3, 5)}.H26`;

const ward = ({ slug, name, unitCode, smsSenderName }: WardIdentity): WardConfig => ({
  slug,
  name,
  province: 'Thành phố Hà Nội',
  agencyCode: placeholderAgencyCode(unitCode),
  smsSenderName,
  officeHours: OFFICE_HOURS,
  retentionYears: RETENTION_YEARS,
  targets: HANOI_WARD_TARGETS,
  alertEmails: [`motcua.${slug.replaceAll('-', '')}@hanoi.gov.vn`],
  alertDigestMinutes: ALERT_DIGEST_MINUTES,
  api: API_THROTTLE,
  limits: REQUEST_LIMITS,
  sms: SMS_LIMITS,
  citizenSignIn: CITY_CITIZEN_SIGN_IN,
  // Every ward requires sign-in for online submissions; a pilot ward sets this to true.
  unsignedOnlineSubmissions: false,
  env: ENV,
});

const IDENTITIES: readonly WardIdentity[] = [
  { slug: 'hoan-kiem', name: 'Phường Hoàn Kiếm', unitCode: '00070', smsSenderName: 'HOANKIEM' },
  { slug: 'cua-nam', name: 'Phường Cửa Nam', unitCode: '00082', smsSenderName: 'CUANAM' },
  { slug: 'ba-dinh', name: 'Phường Ba Đình', unitCode: '00004', smsSenderName: 'BADINH' },
  { slug: 'tay-ho', name: 'Phường Tây Hồ', unitCode: '00103', smsSenderName: 'TAYHO' },
  { slug: 'hai-ba-trung', name: 'Phường Hai Bà Trưng', unitCode: '00256', smsSenderName: 'HAIBATRUNG' },
  { slug: 'hoang-mai', name: 'Phường Hoàng Mai', unitCode: '00331', smsSenderName: 'HOANGMAI' },
  { slug: 'long-bien', name: 'Phường Long Biên', unitCode: '00145', smsSenderName: 'LONGBIEN' },
  { slug: 'ha-dong', name: 'Phường Hà Đông', unitCode: '09556', smsSenderName: 'HADONG' },
];

/** Every deployed ward, validated. */
export const WARDS: readonly WardConfig[] = Object.freeze(
  IDENTITIES.map((identity) => {
    const parsed = WardConfigSchema.safeParse(ward(identity));
    if (!parsed.success) {
      throw new Error(`Invalid configuration for ward '${identity.slug}': ${parsed.error.message}`);
    }
    return parsed.data;
  }),
);

/** The configuration of one ward; throws, naming the valid slugs, when the slug is unknown. */
export function wardBySlug(slug: string): WardConfig {
  const found = WARDS.find((w) => w.slug === slug);
  if (found === undefined) {
    throw new Error(`Unknown ward '${slug}'. Valid slugs: ${WARDS.map((w) => w.slug).join(', ')}`);
  }
  return found;
}
