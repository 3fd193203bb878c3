import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { SCHEDULED_JOBS, type ScheduledJob } from '../shared/runtime/schedules';

export interface LocalScheduledJobs {
  stop(): void;
}

/** How often local mode runs each scheduled job (AWS runs them on their cron; a local ward may sleep through midnight). */
const LOCAL_INTERVAL_MS = 10 * 60 * 1000;

/**
 * The jobs of shared/runtime/schedules.ts, run by local mode: their real handlers, once at start
 * and then every ten minutes, or their own `localIntervalMs` (each job is idempotent: the manifest
 * seal seals only complete days, once; the alert digest sends each alert once). The handlers' environment must be set before this starts.
 */
export function startLocalScheduledJobs(options: { readonly projectDirectory: string; readonly log: (message: string, error?: unknown) => void }): LocalScheduledJobs {
  const run = async (job: ScheduledJob): Promise<void> => {
    try {
      const module = (await import(pathToFileURL(join(options.projectDirectory, 'functions', `${job.handler}.ts`)).href)) as { handler: () => Promise<unknown> };
      const outcome = await module.handler();
      options.log(`${job.id}: ${JSON.stringify(outcome)}`);
    } catch (error) {
      options.log(`${job.id} failed; it runs again in ${Math.round((job.localIntervalMs ?? LOCAL_INTERVAL_MS) / 1000)} s`, error);
    }
  };
  // One run of a job at a time: a slow run is not overtaken by the next.
  const timers = SCHEDULED_JOBS.map((job) => {
    let running = run(job);
    const timer = setInterval(() => void (running = running.then(() => run(job))), job.localIntervalMs ?? LOCAL_INTERVAL_MS);
    timer.unref();
    return timer;
  });
  return { stop: () => timers.forEach((timer) => clearInterval(timer)) };
}
