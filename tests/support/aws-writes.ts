import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Commands that change state in an AWS service: DynamoDB and S3 writes, messages, executions. */
const WRITE_COMMAND = /^(Put|Update|Delete|BatchWrite|TransactWrite|Copy|CreateMultipartUpload|UploadPart|CompleteMultipartUpload|Restore|Publish|SendMessage|StartExecution|StartSyncExecution)/;

interface Sendable {
  send: (this: unknown, command: unknown, ...rest: unknown[]) => Promise<unknown>;
}

export interface WriteRecorder {
  /** Names of the write commands that succeeded since the last call (e.g. `PutCommand`, `PutObjectCommand`), and forgets them. */
  take(): string[];
  /** Every command sent since the last `take` (reads too), to check the recorder sees the handlers' calls at all. */
  readonly sent: number;
  restore(): void;
}

/**
 * Records every write an AWS SDK v3 client of this process completes, by wrapping `send` of the
 * clients' base class (smithy's `Client`, which every service client and the document client extend): the handlers that local mode runs in-process use the same module, so
 * a test sees exactly which writes a request caused (requests must then run one at a time).
 * A write that failed (a condition that did not hold, a cancelled transaction) wrote nothing and
 * is not recorded.
 */
export function recordAwsWrites(): WriteRecorder {
  let writes: string[] = [];
  let sent = 0;
  const bases = new Set([DynamoDBClient, DynamoDBDocumentClient, S3Client].map((client) => Object.getPrototypeOf(client.prototype) as Sendable));
  const restores = [...bases].map((base) => {
    const original = base.send;
    base.send = async function send(this: unknown, command: unknown, ...rest: unknown[]) {
      sent += 1;
      const result = await original.call(this, command, ...rest);
      const name = (command as { constructor?: { name?: string } } | undefined)?.constructor?.name ?? '';
      if (WRITE_COMMAND.test(name)) writes.push(name);
      return result;
    };
    return () => {
      base.send = original;
    };
  });
  return {
    take: () => {
      const taken = writes;
      writes = [];
      sent = 0;
      return taken;
    },
    get sent() {
      return sent;
    },
    restore: () => {
      for (const restore of restores) restore();
    },
  };
}
