import type { RouteAccess } from './routes';

/**
 * Functions the ward runs on a schedule rather than on a request or a stream record. The CDK
 * stack builds one function and one EventBridge rule per job; local mode runs the same handler on
 * a timer.
 */
export interface ScheduledJob {
  readonly id: string;
  /** Entry point under `functions/`, without extension; exports `handler()`. */
  readonly handler: string;
  /** EventBridge cron fields, in UTC. */
  readonly cron: { readonly minute: string; readonly hour: string };
  readonly description: string;
  readonly access: RouteAccess;
}

export const SCHEDULED_JOBS: readonly ScheduledJob[] = [
  {
    id: 'SealManifest',
    handler: 'archive/seal-manifest',
    // 00:10 in Vietnam (UTC+7): the day before is complete.
    cron: { minute: '10', hour: '17' },
    description: "Seals the archive manifest's entries of each complete day (signed), and copies any entry missing from the archive",
    access: { table: 'readWrite', archive: ['read', 'write'], signing: true },
  },
];
