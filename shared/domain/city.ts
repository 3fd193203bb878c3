import * as z from 'zod';
import type { WardConfig } from './ward-config';

/**
 * What the city shares between its wards, by name: each ward stack and the city stack
 * (`infra/stacks/city-stack.ts`) derive the resources they name from these, so neither needs the
 * other's outputs.
 */

/** The city's EventBridge bus between the ward stacks. */
export const CITY_BUS_NAME = 'mot-cua-so-city';

/** The only `source` a ward may put events on the city bus with (the bus's resource policy). */
export const wardEventSource = (slug: string) => `mot-cua-so.ward.${slug}`;

/** The operators' SNS topic: every ward alarm is also sent there. */
export const OPERATORS_TOPIC_NAME = 'mot-cua-so-operators';

/** The CloudFormation stack of the city's shared resources. */
export const CITY_STACK_NAME = 'MotCuaSo-city';

/** The CloudFormation stack of one ward. */
export const wardStackName = (slug: string) => `MotCuaSo-${slug}`;

/** The SSM path of the ward directory: one parameter per ward, `<path>/<slug>`, a `WardDirectoryEntry` in JSON. */
export const WARD_DIRECTORY_PATH = '/mot-cua-so/city/wards';

/**
 * The SSM parameter each ward stack writes with its site's URL (the CloudFront distribution's, or
 * the ward's own domain): known only once the ward is deployed, so the ward writes it, not the city.
 */
export const wardSiteUrlParameterName = (slug: string) => `/mot-cua-so/${slug}/site-url`;

/** The tag every resource of a ward stack carries (its IAM roles too): the bus policy keys on it. */
export const WARD_TAG = 'ward';

/**
 * One ward in the city's directory, derived from its configuration at synthesis. Read by anyone
 * routing to a ward (the city bus's consumers, operators, the city's portal):
 * `aws ssm get-parameters-by-path --path /mot-cua-so/city/wards`.
 */
export const WardDirectoryEntrySchema = z
  .object({
    slug: z.string().regex(/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/),
    name: z.string().min(3).max(80),
    province: z.string().min(3).max(80),
    /** The national portal's agency code, first part of the ward's dossier codes. */
    agencyCode: z.string(),
    /** Whether that agency code is confirmed; while it is not, the ward takes no dossier (see `issuesDossierCodes`). */
    agencyCodeConfirmed: z.boolean(),
    /** A ward ("phường") or a commune ("xã"). */
    type: z.enum(['ward', 'commune']),
    /** Official 5-digit code of the administrative unit, when configured. */
    unitCode: z.string().optional(),
    /** The ward's CloudFormation stack. */
    stackName: z.string(),
    region: z.string(),
    /** The `source` of the ward's events on the city bus. */
    eventSource: z.string(),
    /** The ward's own domain, when it has one; otherwise read `siteUrlParameter`. */
    publicBaseUrl: z.url().optional(),
    /** The SSM parameter that holds the URL the ward's site is served at, written by the ward's stack. */
    siteUrlParameter: z.string(),
  })
  .strict();
export type WardDirectoryEntry = z.infer<typeof WardDirectoryEntrySchema>;

/** What the city configures for itself (`infra/config/city.ts`), validated at synthesis. */
export const CityConfigSchema = z
  .object({
    /** The city's operators: each gets an e-mail subscription to the operators' topic (confirmed by its recipient). */
    operatorEmails: z.array(z.email()).min(1),
    /** Days the city bus's archive keeps every ward event, for replay after a consumer's outage. */
    busArchiveRetentionDays: z.int().min(1).max(365),
  })
  .strict();
export type CityConfig = z.infer<typeof CityConfigSchema>;

/** A ward's directory entry, from its configuration. */
export function wardDirectoryEntry(
  ward: Pick<WardConfig, 'slug' | 'name' | 'province' | 'agencyCode' | 'agencyCodeConfirmed' | 'unitType' | 'unitCode' | 'publicBaseUrl' | 'env'>,
): WardDirectoryEntry {
  return WardDirectoryEntrySchema.parse({
    slug: ward.slug,
    name: ward.name,
    province: ward.province,
    agencyCode: ward.agencyCode,
    agencyCodeConfirmed: ward.agencyCodeConfirmed,
    type: ward.unitType,
    ...(ward.unitCode === undefined ? {} : { unitCode: ward.unitCode }),
    stackName: wardStackName(ward.slug),
    region: ward.env.region,
    eventSource: wardEventSource(ward.slug),
    ...(ward.publicBaseUrl === undefined ? {} : { publicBaseUrl: ward.publicBaseUrl }),
    siteUrlParameter: wardSiteUrlParameterName(ward.slug),
  });
}
