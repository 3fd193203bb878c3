import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { httpNationalSync } from '../adapters/http/national-sync-client';
import { fileCredentials, secretsManagerCredentials, type CredentialsSource } from '../adapters/secrets/national-sync-credentials';
import type { NationalSyncDeps } from '../use-cases/national-sync';
import { countNationalSync } from '../use-cases/national-sync-kpi';
import { systemClock } from '../use-cases/ports';
import { dossierStore, nationalSyncCounter, nationalSyncLedger } from './dynamodb';
import { env, publicBaseUrl, required, ward } from './env';
import { tracer } from './observability';

let credentials: CredentialsSource | undefined;

/** The endpoint's credentials: the local secret file in local mode, else the ward's secret in Secrets Manager; one cached source per execution environment. */
function credentialsSource(): CredentialsSource {
  if (credentials !== undefined) return credentials;
  const file = env.LOCAL_NATIONAL_SYNC_SECRET_FILE;
  credentials = file ? fileCredentials(file) : secretsManagerCredentials(tracer.captureAWSv3Client(new SecretsManagerClient({})), required('NATIONAL_SYNC_SECRET_ARN'));
  return credentials;
}

/** What the sync consumer and its retry job work with, built once per execution environment. */
export function nationalSyncDeps(): NationalSyncDeps {
  const dossiers = dossierStore();
  const synced = nationalSyncCounter();
  return {
    dossiers,
    ledger: nationalSyncLedger(),
    sync: httpNationalSync({ credentials: credentialsSource() }),
    unit: { agencyCode: ward.agencyCode, name: ward.name, publicBaseUrl },
    now: () => new Date(),
    countSynced: (code) => countNationalSync({ dossiers, synced, clock: systemClock }, code),
  };
}
