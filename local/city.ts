/**
 * A local city: several wards on one machine, each in its own process (local/ward-process.ts),
 * sharing one DynamoDB Local, one s3rver and one local SQS (each ward with its own table, buckets
 * and queues), joined by the local city bus (local/city-bus.ts) with each ward's rule. Used by
 * `WARDS=hoan-kiem,cua-nam npm start` (local/start.ts) and by the tests of reception without
 * boundaries (tests/support/local-city.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CITY_INBOUND_DELIVERY, cityQueueNames, HAND_OVER_DELIVERY } from '../shared/runtime/city-delivery';
import { startLocalCityBus, type LocalCityBus } from './city-bus';
import { localSqsClientConfig } from './local-aws';

/** What a ward process is started with (`LOCAL_WARD_PROCESS`, JSON). */
export interface WardProcessSettings {
  readonly wardSlug: string;
  readonly port: number;
  readonly dynamodbEndpoint: string;
  readonly s3Endpoint: string;
  readonly sqsEndpoint: string;
  readonly busEndpoint: string;
  readonly tableName: string;
  readonly uploadsBucket: string;
  readonly archiveBucket: string;
  /** The ward's files: its ID-hash secret, signing identity, outbox, checkpoints, dead letters. */
  readonly dataDirectory: string;
  /** The local officer pool's key and the local citizen provider's key (one pair for the whole city, as one VNeID serves every ward). */
  readonly officerKeyFile: string;
  readonly citizenKeyFile: string;
  /** Run the deadline state machine (a synthesis of the stack, some seconds) and the deadline starter. */
  readonly deadlines?: boolean;
  readonly clockSpeedup?: number;
  /** Serve the built front end at `/`. */
  readonly site?: boolean;
  readonly pollIntervalMs?: number;
  /** No request lines and no notification echo on the console. */
  readonly quiet?: boolean;
  /** Request limits at the schema's highest (tests submit many dossiers from 127.0.0.1). */
  readonly limitsOutOfTheWay?: boolean;
}

export interface CityQueues {
  readonly inboundQueueUrl: string;
  readonly inboundDeadLetterQueueUrl: string;
  readonly handOverQueueUrl: string;
  readonly handOverDeadLetterQueueUrl: string;
}

/** What a ward process tells its parent once it serves. */
export interface WardProcessReady extends CityQueues {
  readonly type: 'ready';
  readonly wardSlug: string;
  readonly wardName: string;
  readonly url: string;
}

/** A ward's two queues of reception without boundaries, each with its dead-letter queue, as infra/constructs/city-handover.ts deploys them. */
export async function provisionCityQueues(sqsEndpoint: string, wardSlug: string): Promise<CityQueues> {
  const sqs = new SQSClient(localSqsClientConfig(sqsEndpoint));
  const names = cityQueueNames(wardSlug);
  const withDeadLetters = async (name: string, deadLetterName: string, delivery: typeof CITY_INBOUND_DELIVERY | typeof HAND_OVER_DELIVERY) => {
    const retention = String(delivery.retentionDays * 24 * 3600);
    const deadLetters = await sqs.send(new CreateQueueCommand({ QueueName: deadLetterName, Attributes: { MessageRetentionPeriod: retention } }));
    const { Attributes: attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: deadLetters.QueueUrl, AttributeNames: ['QueueArn'] }));
    const queue = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          MessageRetentionPeriod: retention,
          VisibilityTimeout: String(delivery.visibilityTimeoutSeconds),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: attributes?.QueueArn, maxReceiveCount: delivery.maxReceiveCount }),
        },
      }),
    );
    if (queue.QueueUrl === undefined || deadLetters.QueueUrl === undefined) throw new Error('local SQS returned no queue URL');
    return [queue.QueueUrl, deadLetters.QueueUrl] as const;
  };
  try {
    const [inbound, inboundDeadLetters] = await withDeadLetters(names.inbound, names.inboundDeadLetters, CITY_INBOUND_DELIVERY);
    const [handOvers, handOverDeadLetters] = await withDeadLetters(names.handOvers, names.handOverDeadLetters, HAND_OVER_DELIVERY);
    return { inboundQueueUrl: inbound, inboundDeadLetterQueueUrl: inboundDeadLetters, handOverQueueUrl: handOvers, handOverDeadLetterQueueUrl: handOverDeadLetters };
  } finally {
    sqs.destroy();
  }
}

export interface LocalWardProcess extends WardProcessReady {
  stop(): Promise<void>;
}

const WARD_PROCESS_ENTRY = fileURLToPath(new URL('./ward-process.ts', import.meta.url));
const WARD_START_TIMEOUT_MS = 120_000;

/** Starts one ward process (with tsx, as `npm start` runs) and waits until it serves. */
export function startWardProcess(settings: WardProcessSettings): Promise<LocalWardProcess> {
  const child: ChildProcess = fork(WARD_PROCESS_ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, LOCAL_WARD_PROCESS: JSON.stringify(settings) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`ward ${settings.wardSlug} did not start within ${WARD_START_TIMEOUT_MS / 1000} s`));
    }, WARD_START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ward ${settings.wardSlug} exited with code ${String(code)} before it was ready`));
    });
    child.on('message', (message: WardProcessReady) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve({
        ...message,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

export interface LocalCity {
  readonly bus: LocalCityBus;
  /** By slug, in the order asked for. */
  readonly wards: ReadonlyMap<string, LocalWardProcess>;
  stop(): Promise<void>;
}

export interface StartLocalCityOptions {
  /** One entry per ward; the bus endpoint is filled in. */
  readonly wards: readonly Omit<WardProcessSettings, 'busEndpoint'>[];
  readonly sqsEndpoint: string;
}

/** The city bus, then every ward (in parallel), each with its rule on the bus. */
export async function startLocalCity(options: StartLocalCityOptions): Promise<LocalCity> {
  const bus = await startLocalCityBus({ sqsEndpoint: options.sqsEndpoint });
  const started = await Promise.allSettled(options.wards.map((settings) => startWardProcess({ ...settings, busEndpoint: bus.endpoint })));
  const wards = new Map<string, LocalWardProcess>();
  for (const outcome of started) if (outcome.status === 'fulfilled') wards.set(outcome.value.wardSlug, outcome.value);
  const failed = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  const stop = async () => {
    await Promise.all([...wards.values()].map((ward) => ward.stop()));
    await bus.stop();
  };
  if (failed) {
    await stop();
    throw failed.reason;
  }
  for (const ward of wards.values()) bus.addRule({ wardSlug: ward.wardSlug, queueUrl: ward.inboundQueueUrl });
  return { bus, wards, stop };
}
