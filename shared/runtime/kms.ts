import { KMSClient } from '@aws-sdk/client-kms';
import { kmsIdHasher, localIdHasher } from '../adapters/kms/id-hasher';
import type { IdHasher } from '../use-cases/ports';
import { env, required } from './env';
import { tracer } from './observability';

/** In AWS, the KMS HMAC key; in local mode (no KMS there), the same HMAC with a local secret. */
export function idHasher(): IdHasher {
  if (env.ID_HASH_KEY_ID) return kmsIdHasher(tracer.captureAWSv3Client(new KMSClient({})), env.ID_HASH_KEY_ID);
  return localIdHasher(required('LOCAL_ID_HASH_SECRET'));
}
