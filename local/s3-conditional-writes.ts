import type { S3rverContext, S3rverMiddleware } from 's3rver';

/** Does the object exist in s3rver's store (its key decoded)? */
export type ObjectExists = (bucket: string, key: string) => Promise<boolean>;

/**
 * S3's conditional writes, which s3rver does not have: a PUT with `If-None-Match: *` stores the
 * object only if no object has that key, and otherwise answers `412 PreconditionFailed`, as S3
 * does. Concurrent conditional PUTs of one key are taken one after the other (S3 decides them
 * atomically too), so that of twenty at once exactly one stores its object.
 *
 * A GET or HEAD of a key whose conditional PUT is in progress waits for it: an S3 PUT is atomic
 * (a reader sees the object whole or not at all), while s3rver writes its file as the body
 * arrives, so a concurrent reader could otherwise read half of it.
 *
 * For the buckets in `writeOnceBuckets` (the archive), DELETE is refused as the functions' IAM
 * policies and Object Lock refuse it in AWS: locally, too, nothing the ward archived disappears.
 */
export function enforceConditionalWrites(objectExists: ObjectExists, options: { readonly writeOnceBuckets?: readonly string[] } = {}): S3rverMiddleware {
  const writeOnce = new Set(options.writeOnceBuckets ?? []);
  const inFlight = new Map<string, Promise<void>>();
  return async (context, next) => {
    const target = objectOf(context.path);
    if (target === undefined) return next();
    if (context.method === 'DELETE' && writeOnce.has(target.bucket)) {
      return refuse(context, 403, 'AccessDenied', 'Objects of the write-once archive cannot be deleted');
    }
    const lockKey = `${target.bucket}/${target.key}`;
    if (context.method === 'GET' || context.method === 'HEAD') {
      await inFlight.get(lockKey);
      return next();
    }
    if (context.method !== 'PUT' || context.headers['if-none-match'] !== '*') return next();
    const previous = inFlight.get(lockKey) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const chained = previous.then(() => current);
    inFlight.set(lockKey, chained);
    await previous;
    try {
      if (await objectExists(target.bucket, target.key)) {
        return refuse(context, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
      }
      await next();
    } finally {
      release();
      if (inFlight.get(lockKey) === chained) inFlight.delete(lockKey);
    }
  };
}

function objectOf(path: string): { bucket: string; key: string } | undefined {
  const [bucket, ...rest] = path.replace(/^\//, '').split('/');
  if (!bucket || rest.length === 0) return undefined;
  const key = decodeURIComponent(rest.join('/'));
  return key === '' ? undefined : { bucket, key };
}

function refuse(context: S3rverContext, status: number, code: string, message: string): void {
  context.status = status;
  context.type = 'application/xml';
  context.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}
