import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { SCHEDULED_JOBS } from '../shared/runtime/schedules';

export interface LocalScheduledJobs {
  stop(): void;
}

/** How often local mode runs each scheduled job (AWS runs them on their cron; a local ward may sleep through midnight). */
const LOCAL_INTERVAL_MS = 10 * 60 * 1000;

/**
 * The jobs of shared/runtime/schedules.ts, run by local mode: their real handlers, once at start
 * and then every ten minutes (each job is idempotent: the manifest seal seals only complete days,
 * once). The handlers' environment must be set before this starts.
 */
export function startLocalScheduledJobs(options: { readonly projectDirectory: string; readonly log: (message: string, error?: unknown) => void }): LocalScheduledJobs {
  const runAll = async (): Promise<void> => {
    for (const job of SCHEDULED_JOBS) {
      try {
        const module = (await import(pathToFileURL(join(options.projectDirectory, 'functions', `${job.handler}.ts`)).href)) as { handler: () => Promise<unknown> };
        const outcome = await module.handler();
        options.log(`${job.id}: ${JSON.stringify(outcome)}`);
      } catch (error) {
        options.log(`${job.id} failed; it runs again in ten minutes`, error);
      }
    }
  };
  void runAll();
  const timer = setInterval(() => void runAll(), LOCAL_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
