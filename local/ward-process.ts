/**
 * One ward of a local city, in a process of its own (handlers read their environment once, at
 * import, so two wards cannot share a process): started by local/city.ts with its settings in
 * `LOCAL_WARD_PROCESS` (JSON, {@link WardProcessSettings}), it provisions its table, buckets and
 * queues on the city's shared DynamoDB Local, s3rver and SQS, runs the real handlers behind its
 * HTTP server, the stream consumers, the notifier's retries and the two workers of reception
 * without boundaries (the city receiver on its inbound queue, the hand-over worker), and tells
 * its parent it is ready (IPC). It stops on SIGTERM or when the parent goes.
 */
import { join } from 'node:path';
import type { LocalDeadlineRunner } from './deadline-runner';
import { localCitizenSignIn } from './citizen-tokens';
import { startLocalHttpServer, type LocalHttpServer } from './http-server';
import { localIdentityProviderMounts } from './identity-providers';
import { localDynamoDbClientConfig, localSqsClientConfig } from './local-aws';
import { localOfficerAuthorizer, readOrCreateOfficerSigningKey } from './officer-tokens';
import { portalConfigMount } from './portal-config';
import { provisionLocalQueues, provisionLocalWard } from './provision';
import { startQueuePoller, type QueuePoller } from './queue-poller';
import { readOrCreateLocalSigningIdentity } from './signing-identity';
import { staticSite } from './static-site';
import { startStreamPoller, type StreamPoller } from './stream-poller';
import { applyHandlerEnvironment, localHandlerEnvironment, localWard, readOrCreateSecret } from './ward-environment';
import { provisionCityQueues, type WardProcessSettings, type WardProcessReady } from './city';
import { RETRY_DELIVERY, RETRY_WORKER } from '../shared/runtime/notification-retries';
import { CITY_INBOUND_DELIVERY, CITY_RECEIVER, HAND_OVER_DELIVERY, HAND_OVER_WORKER } from '../shared/runtime/city-delivery';
import { STREAM_CONSUMERS } from '../shared/runtime/consumers';

const stoppers: (() => Promise<void>)[] = [];

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const settings = JSON.parse(process.env.LOCAL_WARD_PROCESS ?? '') as WardProcessSettings;
  const configured = localWard(settings.wardSlug);
  const quiet = settings.quiet === true;
  const log = quiet ? () => undefined : (line: string) => console.error(`[${configured.slug}] ${line}`);
  const publicBaseUrl = `http://127.0.0.1:${settings.port}`;
  const ward = {
    ...configured,
    citizenSignIn: localCitizenSignIn(publicBaseUrl),
    ...(settings.limitsOutOfTheWay
      ? { limits: { ...configured.limits, submissionsPerIdNumberPerDay: 5_000, submissionsPerSourcePerHour: 5_000, uploadsPerSourcePerHour: 5_000 } }
      : {}),
  };
  const resources = {
    dynamodbEndpoint: settings.dynamodbEndpoint,
    s3Endpoint: settings.s3Endpoint,
    tableName: settings.tableName,
    uploadsBucket: settings.uploadsBucket,
    archiveBucket: settings.archiveBucket,
  };
  await provisionLocalWard(resources);
  const notificationQueues = await provisionLocalQueues(settings.sqsEndpoint, ward.slug);
  const cityQueues = await provisionCityQueues(settings.sqsEndpoint, ward.slug);
  const officerKey = await readOrCreateOfficerSigningKey(settings.officerKeyFile);
  const citizenKey = await readOrCreateOfficerSigningKey(settings.citizenKeyFile);
  const { files: signingFiles } = await readOrCreateLocalSigningIdentity(join(settings.dataDirectory, 'signing', ward.slug), ward);
  // Imported only when asked for: it loads the handlers' Powertools before their environment is set.
  const runner = settings.deadlines ? await import('./deadline-runner') : undefined;
  const deadlines: LocalDeadlineRunner | undefined = runner
    ? await runner.startLocalDeadlineRunner({
        ward,
        clockSpeedup: settings.clockSpeedup ?? 1,
        logFailure: (message, error) => log(`${message} ${error instanceof Error ? error.message : ''}`),
      })
    : undefined;
  if (deadlines) stoppers.push(() => deadlines.close());

  applyHandlerEnvironment({
    ...localHandlerEnvironment({
      ...resources,
      ward,
      idHashSecret: await readOrCreateSecret(join(settings.dataDirectory, 'id-hash.key')),
      publicBaseUrl,
      signing: { keyFile: signingFiles.signingKey, chainFile: signingFiles.chain },
      notificationsOutboxFile: join(settings.dataDirectory, `notifications-${ward.slug}.jsonl`),
      notificationsOutageFile: join(settings.dataDirectory, `sns-outage-${ward.slug}`),
      notificationRetries: { sqsEndpoint: settings.sqsEndpoint, retryQueueUrl: notificationQueues.retryQueueUrl },
      echoNotifications: !quiet,
      ...(deadlines ? { deadlines: { endpoint: deadlines.endpoint, stateMachineArn: deadlines.stateMachineArn } } : {}),
    }),
    AWS_ENDPOINT_URL_EVENTBRIDGE: settings.busEndpoint,
    HANDOVER_QUEUE_URL: cityQueues.handOverQueueUrl,
  });
  if (runner && deadlines) await runner.restartOpenClocks(deadlines, ward, resources);

  // Without the deadline state machine, the deadline starter has nothing to start.
  const consumers = STREAM_CONSUMERS.filter((consumer) => deadlines !== undefined || !consumer.access.deadlines);
  const streams: StreamPoller = await startStreamPoller({
    clientConfig: localDynamoDbClientConfig(resources),
    tableName: settings.tableName,
    consumers,
    checkpointFile: join(settings.dataDirectory, `stream-checkpoint-${ward.slug}.json`),
    deadLetterFile: join(settings.dataDirectory, `dead-letters-${ward.slug}.jsonl`),
    ...(settings.pollIntervalMs ? { pollIntervalMs: settings.pollIntervalMs, retryDelayMs: 20 } : {}),
    log,
  });
  stoppers.push(() => streams.stop());
  const queue = (queueUrl: string, consumer: { id: string; handler: string }, batchSize: number): Promise<QueuePoller> =>
    startQueuePoller({
      clientConfig: localSqsClientConfig(settings.sqsEndpoint),
      queueUrl,
      consumer,
      batchSize,
      ...(settings.pollIntervalMs ? { pollIntervalMs: settings.pollIntervalMs } : {}),
      log,
    });
  for (const poller of await Promise.all([
    queue(notificationQueues.retryQueueUrl, RETRY_WORKER, RETRY_DELIVERY.batchSize),
    queue(cityQueues.inboundQueueUrl, CITY_RECEIVER, CITY_INBOUND_DELIVERY.batchSize),
    queue(cityQueues.handOverQueueUrl, HAND_OVER_WORKER, HAND_OVER_DELIVERY.batchSize),
  ])) {
    stoppers.push(() => poller.stop());
  }
  const http: LocalHttpServer = await startLocalHttpServer({
    port: settings.port,
    authorizeOfficer: localOfficerAuthorizer({ key: officerKey, ward: ward.slug, onRefused: (reason) => log(`officer token refused: ${reason}`) }),
    ...(quiet ? { logRequest: () => undefined } : {}),
    ...(settings.site ? { fallback: staticSite({ origins: { connect: [settings.s3Endpoint], formAction: [] } }) } : {}),
    mounts: [...localIdentityProviderMounts({ ward: ward.slug, citizenKey, officerKey }), portalConfigMount(ward)],
  });
  stoppers.unshift(() => http.close());
  const ready: WardProcessReady = { type: 'ready', wardSlug: ward.slug, wardName: ward.name, url: http.url, ...cityQueues };
  process.send?.(ready);
}

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const stopper of stoppers) await stopper().catch((error: unknown) => console.error('stopping a local ward:', error));
  process.exit(code);
}

process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
// The parent went (its IPC channel closed): nothing is left to serve.
process.on('disconnect', () => void stop(0));

main().catch((error: unknown) => {
  console.error('A local ward could not start:', error);
  void stop(1);
});

export {};
