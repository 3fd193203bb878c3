import { CityConfigSchema, type CityConfig } from '../../shared/domain/city';

/**
 * The city's own configuration (the city stack, `infra/stacks/city-stack.ts`). Parsed when this
 * module loads, so a bad value fails `cdk synth`.
 *
 * The operators' address follows the city's `@hanoi.gov.vn` naming but is an EXAMPLE, not a
 * verified mailbox: replace it with the city operations team's real addresses before deployment.
 */
export const CITY: CityConfig = CityConfigSchema.parse({
  operatorEmails: ['vanhanh.motcua@hanoi.gov.vn'],
  // Two weeks, as the wards' dead-letter queues keep a message: enough to replay after an outage,
  // short for events that name dossiers.
  busArchiveRetentionDays: 14,
});
