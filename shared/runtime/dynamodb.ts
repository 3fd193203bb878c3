import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoApplicantStore } from '../adapters/dynamodb/applicant-store';
import { dynamoDocumentStore } from '../adapters/dynamodb/archive-records';
import { dynamoCatalogStore } from '../adapters/dynamodb/catalog-store';
import { dynamoDossierStore } from '../adapters/dynamodb/dossier-store';
import { dynamoKpiStore } from '../adapters/dynamodb/kpi-store';
import { dynamoNationalSyncCounter } from '../adapters/dynamodb/national-sync-counter';
import { dynamoNationalSyncLedger } from '../adapters/dynamodb/national-sync-ledger';
import { dynamoRequestCounterStore } from '../adapters/dynamodb/request-limits';
import { dynamoWorklistStore } from '../adapters/dynamodb/worklist-store';
import { dynamoPersonalDataStore } from '../adapters/dynamodb/personal-data-store';
import { required, ward } from './env';
import { tracer } from './observability';

/**
 * The DynamoDB client and stores, created once per execution environment. The endpoint comes
 * from the standard AWS_ENDPOINT_URL_DYNAMODB variable in local mode. (One module per AWS service,
 * so that a function's bundle holds only the clients it uses.)
 */
export const dynamo = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true },
});

export const catalogStore = () => dynamoCatalogStore(dynamo, required('TABLE_NAME'));
export const dossierStore = () => dynamoDossierStore(dynamo, required('TABLE_NAME'), ward.slug);
export const documentStore = () => dynamoDocumentStore(dynamo, required('TABLE_NAME'), ward.slug);
export const applicantStore = () => dynamoApplicantStore(dynamo, required('TABLE_NAME'));
export const worklistStore = () => dynamoWorklistStore(dynamo, required('TABLE_NAME'));
export const kpiStore = () => dynamoKpiStore(dynamo, required('TABLE_NAME'));
/** For the national-sync consumer: countNationalSync (shared/use-cases/national-sync-kpi.ts). */
export const nationalSyncCounter = () => dynamoNationalSyncCounter(dynamo, required('TABLE_NAME'));
export const requestCounterStore = () => dynamoRequestCounterStore(dynamo, required('TABLE_NAME'));

/** The ward's national sync ledger (the sync consumer, its retry job and the operator's status). */
export const nationalSyncLedger = () => dynamoNationalSyncLedger(dynamo, required('TABLE_NAME'));
export const personalDataStore = () => dynamoPersonalDataStore(dynamo, required('TABLE_NAME'));
