import * as z from 'zod';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm, 24-hour');

/** A limit's count: a counter item remembers the requests it counted, so it stays well under DynamoDB's 400 KB. */
const requestLimit = z.number().int().positive().max(5_000);

/** Share in [0, 1]. */
const share = z.number().min(0).max(1);

/** A claim's name in the identity provider's ID token (`name`, `phone_number`, `custom:id_number`, …). */
const claimName = z.string().regex(/^[A-Za-z][A-Za-z0-9_:./-]{0,99}$/);

/**
 * The city's identity provider for citizens (VNeID, or the city's OpenID Connect provider federated
 * with it): the portal signs citizens in there with the authorization-code flow and PKCE, and the
 * API checks the ID token it sends itself, against the issuer's published keys. The city registers
 * the portal once with it, so every ward has the same values (infra/config/wards.ts).
 */
export const CitizenSignInSchema = z
  .object({
    /** The `iss` of its ID tokens, exactly. */
    issuer: z.string().min(1).max(300),
    /** Where its signing keys are published (JSON Web Key Set). */
    jwksUri: z.url(),
    /** The portal's client id: the ID tokens' `aud`. */
    clientId: z.string().min(1).max(200),
    authorizationEndpoint: z.url(),
    tokenEndpoint: z.url(),
    endSessionEndpoint: z.url().optional(),
    /** What the portal asks for, `openid` first. */
    scope: z.string().regex(/^openid( [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'openid, then other scopes separated by spaces'),
    /** Signature algorithms accepted (an allow-list: `none` and HMAC never are). */
    algorithms: z
      .array(z.enum(['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA']))
      .min(1)
      .default(['RS256', 'ES256']),
    /** Which claims carry the person's ID number (CCCD), full name and mobile phone. */
    claims: z.object({ idNumber: claimName, fullName: claimName, phone: claimName }).strict(),
  })
  .strict();
export type CitizenSignIn = z.output<typeof CitizenSignInSchema>;

/**
 * One ward's configuration: everything ward-specific lives here, validated at synth time (infra)
 * and again at cold start (the Lambda reads it from its environment).
 */
export const WardConfigSchema = z
  .object({
    /** Lower-case ASCII id used in stack and resource names, e.g. `hoan-kiem`. */
    slug: z.string().regex(/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/),
    /** Full Vietnamese name, e.g. `Phường Hoàn Kiếm`. */
    name: z.string().min(3).max(80),
    /** The province-level unit, e.g. `Thành phố Hà Nội`. */
    province: z.string().min(3).max(80),
    /** Agency code on the national portal, first part of every dossier code, e.g. `000.A0.01.H26`. */
    agencyCode: z.string().regex(/^[0-9A-Z]{2,3}(\.[0-9A-Z]{2,3}){3}$/),
    /**
     * Whether `agencyCode` is the code the ward was assigned (a cited decision), rather than a
     * placeholder awaiting confirmation. False by default: a dossier code, once issued, never changes,
     * so a ward whose code is unconfirmed takes no dossier (see `allowUnconfirmedAgencyCode`).
     */
    agencyCodeConfirmed: z.boolean().default(false),
    /**
     * The explicit override: the ward takes dossiers although its agency code is unconfirmed (a
     * pilot, local mode, tests), knowing their codes would not change if the code were corrected.
     * Set at deployment (`cdk deploy -c ward=<slug> -c allowUnconfirmedAgencyCode=true`), never in the data file.
     */
    allowUnconfirmedAgencyCode: z.boolean().default(false),
    /** Official 5-digit code of the administrative unit (Cục Thống kê), when the ward is one of the city's units. */
    unitCode: z
      .string()
      .regex(/^\d{5}$/)
      .optional(),
    /** A ward ("phường") or a commune ("xã"): the same desk, the same procedures. */
    unitType: z.enum(['ward', 'commune']).default('ward'),
    /** Alphanumeric SMS sender id (3–11 letters or digits, at least one letter: SNS refuses spaces), also printed in each SMS. */
    smsSenderName: z.string().regex(/^(?=.*[A-Za-z])[A-Za-z0-9]{3,11}$/),
    officeHours: z.object({ open: clockTime, close: clockTime, cutoff: clockTime }).refine((h) => h.open < h.cutoff && h.cutoff <= h.close, 'open < cutoff ≤ close'),
    /** Years an e-result is kept, write-once, in the archive. */
    retentionYears: z.number().int().min(1).max(100),
    targets: z.object({
      onlineShare: share,
      fullyOnlineShare: share,
      onTimeShare: share,
      eCopyShare: share,
      satisfiedShare: share,
    }),
    /** Officers' e-mail addresses subscribed to the ward's alert topic. */
    alertEmails: z.array(z.email()).min(1),
    /**
     * Officers' alerts are gathered into a digest: at most one mail to the alert topic every this
     * many minutes, however many dossiers arrive or fall due meanwhile.
     */
    alertDigestMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    /** Public base URL of the citizens' site, for tracking and verification links; defaults to the API URL. */
    publicBaseUrl: z.url().optional(),
    api: z.object({ rateLimit: z.number().int().positive(), burstLimit: z.number().int().positive() }),
    /**
     * What one person or one client may ask of the public write routes, counted per ward (each
     * stack has its own table and firewall): over a limit, a request is answered 429 with
     * `Retry-After` and writes nothing. A retry with the same Idempotency-Key counts once.
     */
    limits: z.object({
      /** Online submissions one personal ID number may make in one Vietnam day. */
      submissionsPerIdNumberPerDay: requestLimit,
      /** Online submissions one client address (IPv4, or IPv6 /64) may make in one hour. */
      submissionsPerSourcePerHour: requestLimit,
      /** Presigned uploads one client address may ask for in one hour. */
      uploadsPerSourcePerHour: requestLimit,
      /**
       * The WAF's rate rules in front of the same routes: requests one IP may send in 5 minutes to
       * `POST /dossiers`, to `POST /uploads`, and to the other public write routes together. They stop
       * a flood before it costs the ward anything; WAF's floor is 10.
       */
      firewallPer5Minutes: z.object({
        submissions: z.number().int().min(10),
        uploads: z.number().int().min(10),
        otherWrites: z.number().int().min(10),
      }),
    }),
    sms: z.object({
      /** Highest price in USD SNS may pay for one SMS. */
      maxPriceUsd: z.number().positive().max(1),
      perPhonePerDay: z.number().int().positive(),
      /**
       * The ward's daily SMS budget (a Vietnam day), so that a flood in one day cannot spend the
       * month's; the stack alarms at 50, 80 and 100 % of it. The lower of the day's and the month's binds.
       */
      perWardPerDay: z.number().int().positive(),
      perWardPerMonth: z.number().int().positive(),
    }),
    /**
     * The certificate chain of the ward's signing key (PEM, the ward's certificate first, then its
     * issuers), issued by the government's official-use CA or a licensed CA for the request that
     * `npm run signing -- csr` makes. Until it is set, the ward signs with a self-issued
     * certificate, and its documents and verify page say so.
     */
    signingCertificateChainPem: z
      .string()
      .regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/, 'PEM certificates')
      .optional(),
    citizenSignIn: CitizenSignInSchema,
    /**
     * A pilot switch: online submissions without a citizen's sign-in are accepted (the applicant
     * typed in full). Off by default; while it is off, `POST /dossiers` answers 401 without a valid ID token.
     */
    unsignedOnlineSubmissions: z.boolean().default(false),
    /** AWS account and region of the ward's stack; the account may be left to the CLI's credentials. */
    env: z.object({
      account: z
        .string()
        .regex(/^\d{12}$/)
        .optional(),
      region: z.string().regex(/^[a-z]{2}-[a-z]+-\d$/),
    }),
  })
  .strict();

export type WardConfig = z.infer<typeof WardConfigSchema>;

/**
 * Whether the ward may issue dossier codes: its agency code, their first part, is confirmed, or the
 * deployment overrides that explicitly. Every way a dossier is created asks this first.
 */
export function issuesDossierCodes(ward: Pick<WardConfig, 'agencyCodeConfirmed' | 'allowUnconfirmedAgencyCode'>): boolean {
  return ward.agencyCodeConfirmed || ward.allowUnconfirmedAgencyCode;
}
export type OfficeHours = WardConfig['officeHours'];
