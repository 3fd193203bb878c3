import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { isDossierCode } from '../../domain/formats';
import type { ApplicantStore, EarlierSubmission, PageRequest, WorklistPage } from '../../use-cases/ports';
import type { DynamoStoreOptions } from './dossier-store';
import { dossierFromItem } from './items';
import { DOSSIER_SK, dossierIndexKeys, keys } from './keys';
import { encodeCursor, invalidCursor, parseCursor } from './page-cursor';

/**
 * A citizen's own dossiers on the `byApplicant` index (PK `APPLICANT#<HMAC of the ID number>`,
 * SK `<submission instant>#<code>`), newest first: every page and every prefill is ONE Query.
 * The cursor is the base64url JSON of the page's last key; it must name the caller's own
 * partition, so that it can only continue the caller's list (400 otherwise).
 */
export function dynamoApplicantStore(client: DynamoDBDocumentClient, tableName: string, options: DynamoStoreOptions = {}): ApplicantStore {
  const capacity = options.returnConsumedCapacity ?? 'NONE';
  const query = (applicantKey: string) => ({
    TableName: tableName,
    IndexName: 'byApplicant',
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeValues: { ':pk': partitionOf(applicantKey) },
    ScanIndexForward: false,
    ReturnConsumedCapacity: capacity,
  });

  return {
    async listApplicantDossiers(applicantKey: string, request: PageRequest): Promise<WorklistPage> {
      const startKey = request.cursor === undefined ? undefined : decodeCursor(request.cursor, partitionOf(applicantKey));
      const result = await client.send(
        new QueryCommand({
          ...query(applicantKey),
          ExpressionAttributeNames: { '#pk': 'byApplicantPK' },
          // One more than the page: when it comes, there is a next page (no empty last page).
          Limit: request.limit + 1,
          ExclusiveStartKey: startKey,
        }),
      );
      const items = result.Items ?? [];
      const pageItems = items.slice(0, request.limit);
      const last = pageItems[pageItems.length - 1];
      const nextKey = items.length > request.limit && last ? keyOf(last) : result.LastEvaluatedKey;
      return { items: pageItems.map(dossierFromItem), nextCursor: nextKey ? encodeCursor(nextKey) : null };
    },

    async latestApplicantSubmissions(applicantKey: string, count: number): Promise<EarlierSubmission[]> {
      // Only what prefill reads: the contact details and the form data of each.
      const result = await client.send(
        new QueryCommand({
          ...query(applicantKey),
          ExpressionAttributeNames: {
            '#pk': 'byApplicantPK',
            '#code': 'code',
            '#procedure': 'procedure',
            '#applicant': 'applicant',
            '#formData': 'formData',
            '#submittedAt': 'submittedAt',
          },
          ProjectionExpression: '#code, #procedure.#code, #applicant.email, #applicant.address, #formData, #submittedAt',
          Limit: count,
        }),
      );
      return (result.Items ?? []).map((item) => EarlierSubmissionSchema.parse(item));
    },
  };
}

const EarlierSubmissionSchema = z
  .object({
    code: z.string(),
    procedure: z.object({ code: z.string() }),
    applicant: z.object({ email: z.string().optional(), address: z.string().optional() }).default({}),
    formData: z.record(z.string(), z.unknown()).default({}),
    submittedAt: z.string().transform((value) => new Date(value)),
  })
  .transform(
    (item): EarlierSubmission => ({
      code: item.code,
      procedureCode: item.procedure.code,
      ...(item.applicant.email === undefined ? {} : { email: item.applicant.email }),
      ...(item.applicant.address === undefined ? {} : { address: item.applicant.address }),
      formData: item.formData,
      submittedAt: item.submittedAt,
    }),
  );

const partitionOf = (applicantKey: string): string => dossierIndexKeys.byApplicant(applicantKey, '', '').byApplicantPK;

function keyOf(item: Record<string, unknown>): Record<string, unknown> {
  return { PK: item.PK, SK: item.SK, byApplicantPK: item.byApplicantPK, byApplicantSK: item.byApplicantSK };
}

const INDEX_SORT_KEY = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#(.+)$/;

const CursorSchema = z.object({ PK: z.string(), SK: z.literal(DOSSIER_SK), byApplicantPK: z.string(), byApplicantSK: z.string().regex(INDEX_SORT_KEY) }).strict();

/** @throws ValidationError when the cursor is not one of this applicant's pages. */
function decodeCursor(cursor: string, partition: string): Record<string, unknown> {
  const key = parseCursor(cursor, CursorSchema);
  const code = key === undefined ? undefined : INDEX_SORT_KEY.exec(key.byApplicantSK)?.[2];
  if (key === undefined || code === undefined || !isDossierCode(code) || key.PK !== keys.dossier(code).PK || key.byApplicantPK !== partition) throw invalidCursor();
  return key;
}
