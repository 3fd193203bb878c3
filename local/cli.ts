import { wardBySlug } from '../infra/config/wards';
import type { WardConfig } from '../shared/domain/ward-config';

/** A command line the command cannot run: it prints the message and its usage, and exits 2. */
export class UsageError extends Error {}

/** The configured ward of a `--ward` option; an unknown slug is a usage error naming the valid ones. */
export function wardOf(slug: string): WardConfig {
  try {
    return wardBySlug(slug);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
