import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  MessageNotInflight,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSqsClientConfig } from '../../local/local-aws';
import { startLocalSqsServer, type LocalSqsServer } from '../../local/sqs-server';

/** Local mode's SQS through the AWS SDK's own client, on a clock the test moves. */
let server: LocalSqsServer;
let sqs: SQSClient;
let now = Date.parse('2031-03-01T00:00:00Z');
const SECOND = 1000;

beforeAll(async () => {
  server = await startLocalSqsServer({ now: () => now });
  sqs = new SQSClient(localSqsClientConfig(server.endpoint));
});

afterAll(async () => {
  sqs.destroy();
  await server.stop();
});

let queueNumber = 0;
async function queuesWithRedrive(maxReceiveCount: number): Promise<{ source: string; deadLetters: string; deadLettersArn: string }> {
  queueNumber += 1;
  const deadLetters = (await sqs.send(new CreateQueueCommand({ QueueName: `dead-letters-${queueNumber}` }))).QueueUrl ?? '';
  const deadLettersArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: deadLetters, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn ?? '';
  const source =
    (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: `source-${queueNumber}`,
          Attributes: { VisibilityTimeout: '30', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLettersArn, maxReceiveCount }) },
        }),
      )
    ).QueueUrl ?? '';
  return { source, deadLetters, deadLettersArn };
}

const receive = async (queueUrl: string) =>
  (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages ?? [];

describe('the local SQS server', () => {
  it('holds a delayed message back until its delay passed, and hides a received one for its visibility timeout or the one it is changed to', async () => {
    const { source } = await queuesWithRedrive(5);
    await sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: 'Nội dung có dấu', DelaySeconds: 60 }));

    expect(await receive(source)).toEqual([]);
    now += 60 * SECOND;
    const [first] = await receive(source);
    expect(first).toMatchObject({ Body: 'Nội dung có dấu', Attributes: { ApproximateReceiveCount: '1' } });
    expect(await receive(source)).toEqual([]);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: source, ReceiptHandle: first?.ReceiptHandle, VisibilityTimeout: 3 * 3600 }));
    now += 30 * SECOND;
    expect(await receive(source)).toEqual([]);
    now += 3 * 3600 * SECOND;
    const [again] = await receive(source);
    expect(again).toMatchObject({ MessageId: first?.MessageId, Attributes: { ApproximateReceiveCount: '2' } });

    await sqs.send(new DeleteMessageCommand({ QueueUrl: source, ReceiptHandle: again?.ReceiptHandle }));
    now += 3600 * SECOND;
    expect(await receive(source)).toEqual([]);
  });

  it('moves a message received maxReceiveCount times to the dead-letter queue, and a move task back to its source', async () => {
    const { source, deadLetters, deadLettersArn } = await queuesWithRedrive(2);
    await sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: 'retry me' }));
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      expect(await receive(source), `receive ${attempt}`).toHaveLength(1);
      now += 30 * SECOND;
    }

    expect(await receive(source)).toEqual([]);
    const [dead] = await receive(deadLetters);
    expect(dead?.Body).toBe('retry me');
    now += 30 * SECOND;

    const { TaskHandle: handle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: deadLettersArn }));
    const { Results: tasks } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: deadLettersArn }));
    expect(tasks?.[0]).toMatchObject({ TaskHandle: handle, Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 1 });
    const [back] = await receive(source);
    expect(back).toMatchObject({ Body: 'retry me', Attributes: { ApproximateReceiveCount: '1' } });
    expect(await receive(deadLetters)).toEqual([]);
  });

  it("answers SQS's errors as the SDK's exceptions, and refuses a move from a queue that is no dead-letter queue", async () => {
    const { source } = await queuesWithRedrive(3);
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
    await sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: 'x' }));
    const [message] = await receive(source);
    now += 30 * SECOND;
    await expect(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: source, ReceiptHandle: message?.ReceiptHandle, VisibilityTimeout: 10 }))).rejects.toBeInstanceOf(
      MessageNotInflight,
    );
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: 'x', DelaySeconds: 901 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    const sourceArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: source, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
    await expect(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: sourceArn }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('keeps its queues and messages across a restart when given a state file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'local-sqs-'));
    const stateFile = join(directory, 'sqs.json');
    try {
      const first = await startLocalSqsServer({ stateFile, now: () => now });
      const client = new SQSClient(localSqsClientConfig(first.endpoint));
      await client.send(new CreateQueueCommand({ QueueName: 'kept' }));
      await client.send(new SendMessageCommand({ QueueUrl: `${first.endpoint}/123456789012/kept`, MessageBody: 'still here' }));
      client.destroy();
      await first.stop();

      const second = await startLocalSqsServer({ stateFile, now: () => now });
      const again = new SQSClient(localSqsClientConfig(second.endpoint));
      const { QueueUrl: url } = await again.send(new GetQueueUrlCommand({ QueueName: 'kept' }));
      const { Messages: messages } = await again.send(new ReceiveMessageCommand({ QueueUrl: url }));
      expect(messages?.map((m) => m.Body)).toEqual(['still here']);
      again.destroy();
      await second.stop();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
