import { AsyncLocalStorage } from 'node:async_hooks';
import { Server, type IncomingMessage } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Commands that change state in an AWS service: DynamoDB and S3 writes, messages, executions. */
const WRITE_COMMAND =
  /^(Put|Update|Delete|BatchWrite|TransactWrite|Copy|CreateMultipartUpload|UploadPart|CompleteMultipartUpload|Restore|Publish|SendMessage|StartExecution|StartSyncExecution)/;

/** The request header that names a request for {@link WriteRecorder.writesOf}. */
export const RECORDED_REQUEST_HEADER = 'x-recorded-request';

interface Sendable {
  send: (this: unknown, command: unknown, ...rest: unknown[]) => Promise<unknown>;
}

export interface WriteRecorder {
  /** Names of the write commands that succeeded while serving the request sent with this {@link RECORDED_REQUEST_HEADER} (e.g. `PutCommand`), and forgets them. */
  writesOf(requestId: string): string[];
  /** How many commands (reads too) requests with the header sent: proof that the recorder sees the handlers' calls at all. */
  commandsOf(requestId: string): number;
  restore(): void;
}

/**
 * Records every write an AWS SDK v3 client of this process completes, by request: `send` of the
 * clients' base class (smithy's `Client`, which every service client and the document client
 * extend) is wrapped, and each request the local HTTP server of this process receives with the
 * {@link RECORDED_REQUEST_HEADER} runs in an async context of that id, which the handler's calls
 * inherit. Requests can then run concurrently. A write that failed (a condition that did not
 * hold, a cancelled transaction) wrote nothing and is not recorded.
 */
export function recordAwsWrites(): WriteRecorder {
  const context = new AsyncLocalStorage<string>();
  const writes = new Map<string, string[]>();
  const commands = new Map<string, number>();
  const bases = new Set([DynamoDBClient, DynamoDBDocumentClient, S3Client].map((client) => Object.getPrototypeOf(client.prototype) as Sendable));
  const restores = [...bases].map((base) => {
    const original = base.send;
    base.send = async function send(this: unknown, command: unknown, ...rest: unknown[]) {
      const requestId = context.getStore();
      if (requestId !== undefined) commands.set(requestId, (commands.get(requestId) ?? 0) + 1);
      const result = await original.call(this, command, ...rest);
      const name = (command as { constructor?: { name?: string } } | undefined)?.constructor?.name ?? '';
      if (requestId !== undefined && WRITE_COMMAND.test(name)) writes.set(requestId, [...(writes.get(requestId) ?? []), name]);
      return result;
    };
    return () => {
      base.send = original;
    };
  });
  const server = Server.prototype as unknown as { emit: (this: unknown, event: string | symbol, ...args: unknown[]) => boolean };
  const originalEmit = server.emit;
  server.emit = function emit(this: unknown, event: string | symbol, ...args: unknown[]) {
    const requestId = event === 'request' ? (args[0] as IncomingMessage).headers[RECORDED_REQUEST_HEADER] : undefined;
    return typeof requestId === 'string' ? context.run(requestId, () => originalEmit.call(this, event, ...args)) : originalEmit.call(this, event, ...args);
  };
  return {
    writesOf: (requestId) => {
      const taken = writes.get(requestId) ?? [];
      writes.delete(requestId);
      return taken;
    },
    commandsOf: (requestId) => {
      const count = commands.get(requestId) ?? 0;
      commands.delete(requestId);
      return count;
    },
    restore: () => {
      for (const restore of restores) restore();
      server.emit = originalEmit;
    },
  };
}
