import 'aws-sdk-client-mock-vitest/extend';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { InternalErrorException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { handler as NotifyHandler } from '../../functions/events/notify';
import { outboxItem } from '../../shared/adapters/dynamodb/items';
import { retryMessageBody } from '../../shared/adapters/sqs/notification-retry-queue';
import type { DomainEvent, DomainEventType } from '../../shared/domain/events';
import { citizenSms, notificationFacts, officerAlert } from '../../shared/domain/notifications';
import { FIRST_RETRY_DELAY_SECONDS } from '../../shared/use-cases/notification-retries';
import { lambdaContext } from '../fixtures/lambda';
import { setLambdaEnvironment, TEST_TABLE, testWard } from '../fixtures/ward';
import { sampleEvent, type SampleOverrides } from '../fixtures/events';

const dynamo = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
const sqs = mockClient(SQSClient);

const ALERTS_TOPIC_ARN = 'arn:aws:sns:ap-southeast-1:111122223333:ward-alerts';
const NOTIFICATION_RETRY_QUEUE_URL = 'https://sqs.ap-southeast-1.amazonaws.com/111122223333/mot-cua-so-phuong-thu-notification-retries';
const PUBLIC_BASE_URL = 'https://motcua.phuongthu.example.vn';
const PHONE = '+84912345678';

let handler: typeof NotifyHandler;

beforeAll(async () => {
  setLambdaEnvironment({ ALERTS_TOPIC_ARN, NOTIFICATION_RETRY_QUEUE_URL });
  ({ handler } = await import('../../functions/events/notify'));
});

beforeEach(() => {
  dynamo.reset();
  sns.reset();
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'sqs-message-1' });
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
  dynamo.on(DeleteCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'sns-message-1' });
});

// ---------------------------------------------------------------------------------------------
// Prepare
// ---------------------------------------------------------------------------------------------

let sequence = 1000;

function outboxEvent<T extends DomainEventType>(type: T, data: SampleOverrides<T>['data'] = {}): DomainEvent {
  sequence += 1;
  const sample = sampleEvent(type, { id: `0b8c7a52-4e3f-4a43-9d0b-0000000${sequence}`, dossierCode: '000.A0.01.H26-260105-0042', at: new Date('2026-01-05T02:30:00.000Z') });
  return { ...sample, data: { ...sample.data, phone: PHONE, ...data } };
}

/** The stream record of an outbox event, as Lambda delivers it; its sequence number identifies it in batch failures. */
function streamRecord(event: DomainEvent, item: Record<string, unknown> = outboxItem(event)): DynamoDBRecord {
  sequence += 1;
  return {
    eventID: `event-${sequence}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    eventSourceARN: 'arn:aws:dynamodb:ap-southeast-1:111122223333:table/ward-table/stream/2026-01-01T00:00:00.000',
    dynamodb: {
      SequenceNumber: String(sequence).padStart(21, '0'),
      NewImage: marshall(item, { removeUndefinedValues: true }) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
    },
  };
}

const batch = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });
const context = { ward: testWard, publicBaseUrl: PUBLIC_BASE_URL };

const conditionFailed = (item?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item ? { Item: marshall(item) } : {}) });

/** The updates of one delivery record (`NOTIFIED#<event>`/`SMS`), in order. */
const deliveryUpdates = (eventId: string, channel = 'SMS'): UpdateCommandInput[] =>
  dynamo
    .commandCalls(UpdateCommand)
    .map((call) => call.args[0].input)
    .filter((input) => JSON.stringify(input.Key) === JSON.stringify({ PK: `NOTIFIED#${eventId}`, SK: channel }));

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

describe('the notifier handler', () => {
  it("publishes the citizen's SMS to the phone number as a transactional SMS from the ward's sender id, at most at its price", async () => {
    const received = outboxEvent('DOSSIER_RECEIVED');

    const response = await handler(batch(streamRecord(received)), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      PhoneNumber: PHONE,
      Message: citizenSms(notificationFacts(received), context),
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'PHUONGTHU' },
        'AWS.SNS.SMS.MaxPrice': { DataType: 'Number', StringValue: '0.05' },
      },
    });
    const states = deliveryUpdates(received.id).map((update) => (update.ExpressionAttributeValues ?? {}) as Record<string, unknown>);
    expect(states.map((values) => values[':claimed'] ?? values[':sent'])).toEqual(['CLAIMED', 'SENT']);
  });

  it("adds the officers' alert of a new online dossier to the digest, rather than mail it alone", async () => {
    const submitted = outboxEvent('DOSSIER_SUBMITTED', { fullyOnline: true, procedureCode: '1.004873' });

    await handler(batch(streamRecord(submitted)), lambdaContext());

    const alert = officerAlert(notificationFacts(submitted), context);
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: TEST_TABLE,
      Item: expect.objectContaining({ PK: 'ALERTDIGEST', eventId: submitted.id, subject: alert?.subject, body: alert?.body }) as Record<string, unknown>,
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    expect(sns).not.toHaveReceivedCommandWith(PublishCommand, { TopicArn: ALERTS_TOPIC_ARN });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('hands the event to the retry queue when SNS fails, releases its claim and records nothing as sent, and the stream moves on', async () => {
    const received = outboxEvent('DOSSIER_RECEIVED');
    const other = outboxEvent('DOSSIER_STOPPED', { reason: 'Công dân rút hồ sơ' });
    sns
      .on(PublishCommand, { PhoneNumber: PHONE, Message: citizenSms(notificationFacts(received), context) })
      .rejects(new InternalErrorException({ message: 'Internal error', $metadata: {} }));

    const response = await handler(batch(streamRecord(received), streamRecord(other)), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: NOTIFICATION_RETRY_QUEUE_URL,
      DelaySeconds: FIRST_RETRY_DELAY_SECONDS,
      MessageBody: retryMessageBody(received),
    });
    expect(deliveryUpdates(received.id).some((update) => update.ExpressionAttributeValues?.[':sent'] === 'SENT')).toBe(false);
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, { TableName: TEST_TABLE, Key: { PK: `NOTIFIED#${received.id}`, SK: 'SMS' } });
    expect(deliveryUpdates(other.id).some((update) => update.ExpressionAttributeValues?.[':sent'] === 'SENT')).toBe(true);
  });

  it('reports the record as a batch item failure when SNS fails and the retry queue cannot take the event either', async () => {
    const received = outboxEvent('DOSSIER_RECEIVED');
    const failing = streamRecord(received);
    sns.on(PublishCommand).rejects(new InternalErrorException({ message: 'Internal error', $metadata: {} }));
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $fault: 'server' }));

    const response = await handler(batch(failing), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: failing.dynamodb?.SequenceNumber }] });
    expect(deliveryUpdates(received.id).some((update) => update.ExpressionAttributeValues?.[':sent'] === 'SENT')).toBe(false);
  });

  it('sends nothing for an event redelivered after its SMS went out', async () => {
    const received = outboxEvent('DOSSIER_RECEIVED');
    dynamo.on(UpdateCommand, { Key: { PK: `NOTIFIED#${received.id}`, SK: 'SMS' } }).rejects(conditionFailed({ state: 'SENT', messageId: 'sns-message-0' }));

    const response = await handler(batch(streamRecord(received)), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it("records an SMS over the phone's daily cap as refused, and does not send it", async () => {
    const received = outboxEvent('DOSSIER_RECEIVED');
    dynamo
      .on(UpdateCommand, { UpdateExpression: 'ADD sent :one, pending :ids SET expiresAt = :expiresAt' })
      .rejects(conditionFailed({ sent: 10, pending: new Set(['another-event']) }));

    const response = await handler(batch(streamRecord(received)), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ PK: 'SMSOVERCAP#2026-01-05', SK: `EVENT#${received.id}`, eventId: received.id, cap: 'PHONE_PER_DAY', limit: 10 }) as Record<string, unknown>,
    });
  });

  it("emits the ward's SMS count of the day (SmsDailyBudgetUsed) as it counts an SMS, for the daily budget's alarms", async () => {
    const { metrics } = await import('../../shared/runtime/observability');
    const addMetric = vi.spyOn(metrics, 'addMetric');
    dynamo
      .on(UpdateCommand, { Key: { PK: 'SMSQUOTA#WARDDAY#2026-01-05', SK: 'QUOTA' }, UpdateExpression: 'ADD sent :one, pending :ids SET expiresAt = :expiresAt' })
      .resolves({ Attributes: { sent: 1_600 } });

    const response = await handler(batch(streamRecord(outboxEvent('DOSSIER_RECEIVED'))), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(addMetric).toHaveBeenCalledWith('SmsDailyBudgetUsed', 'Count', 1_600);
    addMetric.mockRestore();
  });

  it('fails a malformed outbox record alone', async () => {
    const good = outboxEvent('DOSSIER_RECEIVED');
    const malformed = streamRecord(good, { ...outboxItem(outboxEvent('DOSSIER_RECEIVED')), at: 'not a date' });
    const { phone: _phone, ...withoutPhone } = good.data;
    const noPhone = streamRecord(good, { ...outboxItem(outboxEvent('DOSSIER_RECEIVED')), data: withoutPhone });

    const response = await handler(batch(malformed, streamRecord(good), noPhone), lambdaContext());

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual([malformed.dynamodb?.SequenceNumber, noPhone.dynamodb?.SequenceNumber]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });
});
