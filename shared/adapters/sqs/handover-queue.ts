import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import type { HandOverQueue } from '../../use-cases/ports';

/** The hand-over queue on SQS: one message per dossier handed over, `{"dossierCode": …}`. */
export function sqsHandOverQueue(client: SQSClient, queueUrl: string): HandOverQueue {
  return {
    async enqueue(dossierCode) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ dossierCode }) }));
    },
  };
}

const HandOverMessageSchema = z.object({ dossierCode: z.string().min(1) });

/** The dossier code of a hand-over queue message. @throws ZodError / SyntaxError on a malformed body */
export const dossierCodeOfHandOverMessage = (body: string): string => HandOverMessageSchema.parse(JSON.parse(body)).dossierCode;
