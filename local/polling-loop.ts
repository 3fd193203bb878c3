/**
 * The loop of local mode's pollers (the table's stream, the SQS queues), standing in for Lambda's
 * event source mappings: polling rounds until stopped, a pause after a round that delivered
 * nothing (longer, growing, after a failed one), and drains that wait for a quiet round.
 */
export interface PollingLoop {
  /** Resolves after a whole round that started after the call delivered nothing and did not fail. */
  drain(timeoutMs?: number): Promise<void>;
  /** Finishes the round under way, stops, then runs `onStop` (closing the poller's clients). */
  stop(): Promise<void>;
}

export interface PollingLoopOptions {
  /** What the poller reads, for its messages ("the stream of <table>", a queue's URL). */
  readonly source: string;
  /** "stream", "queue": the poller's name in its messages. */
  readonly name: string;
  /** One round: how many records or messages it delivered to the consumers. */
  readonly pollRound: () => Promise<number>;
  readonly pollIntervalMs: number;
  readonly log: (line: string) => void;
  readonly onStop: () => void;
}

const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;
/** The longest pause after failed rounds. */
const MAX_BACKOFF_MS = 10_000;

export function startPollingLoop(options: PollingLoopOptions): PollingLoop {
  const { pollIntervalMs } = options;
  let stopped = false;
  let round = 0;
  let wake: (() => void) | undefined;
  const drainWaiters: { afterRound: number; resolve: () => void; reject: (error: Error) => void }[] = [];

  const loop = (async () => {
    let consecutiveErrors = 0;
    while (!stopped) {
      round += 1;
      const thisRound = round;
      let delivered = 0;
      let failed = false;
      try {
        delivered = await options.pollRound();
        consecutiveErrors = 0;
      } catch (error) {
        failed = true;
        consecutiveErrors += 1;
        // DynamoDB Local restarting, a table being dropped by a test…: say it once, keep polling.
        if (consecutiveErrors === 1) options.log(`${options.name}: polling ${options.source} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!failed && delivered === 0) {
        // Done for every drain() called before this round began.
        for (const waiter of drainWaiters.filter((w) => w.afterRound < thisRound)) {
          drainWaiters.splice(drainWaiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
      if (delivered === 0 && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, failed ? Math.min(pollIntervalMs * 2 ** consecutiveErrors, MAX_BACKOFF_MS) : pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
    for (const waiter of drainWaiters.splice(0)) waiter.reject(new Error(`the ${options.name} poller stopped`));
  })();

  let stopping: Promise<void> | undefined;
  return {
    drain(timeoutMs = DEFAULT_DRAIN_TIMEOUT_MS) {
      if (stopped) return Promise.reject(new Error(`the ${options.name} poller is stopped`));
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${options.source} did not drain within ${timeoutMs} ms`)), timeoutMs);
        drainWaiters.push({
          afterRound: round,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        wake?.();
      });
    },
    stop: () =>
      (stopping ??= (async () => {
        stopped = true;
        wake?.();
        await loop;
        options.onStop();
      })()),
  };
}
