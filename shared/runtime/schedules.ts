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
  /** How often local mode runs it, when more often than its default of ten minutes. */
  readonly localIntervalMs?: number;
  readonly access: RouteAccess & {
    /** Publishes to the ward's officers' alert topic (SNS). */
    readonly notify?: boolean;
    /** Sends dossier-sync records to the national portal: reads the ward's sync secret (endpoint and token). */
    readonly nationalSync?: boolean;
  };
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
  {
    id: 'AlertDigest',
    handler: 'events/send-alert-digest',
    // Every minute: the digest itself waits the ward's alertDigestMinutes between two mails.
    cron: { minute: '*', hour: '*' },
    description: "Sends the officers' pending alerts as one digest mail, at most once every alertDigestMinutes",
    access: { table: 'readWrite', notify: true },
    localIntervalMs: 5_000,
  },
  {
    id: 'WardFigures',
    handler: 'reports/publish-ward-figures',
    // Every five minutes, the dashboards' period.
    cron: { minute: '*/5', hour: '*' },
    description: "Publishes today's figures (received, resolved, on time, overdue open) as metrics for the ward's and the city's dashboards",
    access: { table: 'read' },
  },
  {
    id: 'NationalSyncRetry',
    handler: 'events/retry-national-sync',
    // Every minute: each dossier in the sync backlog waits its own growing delay (shared/use-cases/national-sync.ts).
    cron: { minute: '*', hour: '*' },
    description: 'Sends again the dossier changes the national sync endpoint did not accept, after growing waits; reports the backlog',
    access: { table: 'readWrite', nationalSync: true },
    localIntervalMs: 5_000,
  },
  {
    id: 'ErasePersonalData',
    handler: 'personal-data/erase-expired-personal-data',
    // 01:30 in Vietnam, every hour until 05:30: each run takes a bounded page of what is due
    // (ERASURES_PER_RUN), so a backlog drains over the night without a long-running function.
    cron: { minute: '30', hour: '18-22' },
    description: "Erases the personal data of dossiers past their procedure's retention (the archive and the KPI counters are untouched)",
    access: { table: 'readWrite' },
  },
];
