import { mkdir } from 'node:fs/promises';
import S3rver from 's3rver';
import { LOOPBACK_HOST } from './free-port';
import { enforceConditionalWrites } from './s3-conditional-writes';
import { enforcePresignedPostPolicy } from './presigned-post-policy';

export interface LocalS3Server {
  /** `http://127.0.0.1:<port>`; clients must use path-style addressing (`forcePathStyle: true`). */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface StartLocalS3ServerOptions {
  /** Where objects are kept: `.local/s3` in local mode, a temporary folder in tests. */
  readonly directory: string;
  /** Port to listen on; by default a free one. */
  readonly port?: number;
  /** Buckets whose objects cannot be deleted (the archive: Object Lock and IAM refuse it in AWS). */
  readonly writeOnceBuckets?: readonly string[];
}

/**
 * Starts s3rver, an S3-compatible server, on 127.0.0.1. It answers the SDK's path-style requests
 * and browser-style presigned POST uploads (multipart/form-data); in front of its handlers,
 * `enforcePresignedPostPolicy` checks a POST's policy (expiry, key, content type, size range)
 * the way S3 does, which s3rver itself does not; and `enforceConditionalWrites` gives it S3's
 * `If-None-Match: *` writes and the archive's refusal of deletes.
 */
export async function startLocalS3Server(options: StartLocalS3ServerOptions): Promise<LocalS3Server> {
  await mkdir(options.directory, { recursive: true });
  const server = new S3rver({
    address: LOOPBACK_HOST,
    port: options.port ?? 0,
    directory: options.directory,
    silent: true,
    // Buckets are addressed by path only; never guess a bucket from the Host header.
    vhostBuckets: false,
  });
  server.middleware.unshift(
    enforcePresignedPostPolicy(),
    enforceConditionalWrites((bucket, key) => server.store.existsObject(bucket, key), { writeOnceBuckets: options.writeOnceBuckets }),
  );
  const address = await server.run();
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://${LOOPBACK_HOST}:${address.port}`,
    port: address.port,
    stop: () => (stopping ??= server.close()),
  };
}
