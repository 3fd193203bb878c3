/**
 * What every SDK client needs to reach the local services instead of AWS. Local only: these are
 * not secrets. The access key is the one s3rver has built in (it refuses unknown keys);
 * DynamoDB Local accepts any alphanumeric key.
 */
export const LOCAL_AWS_REGION = 'ap-southeast-1';

/** A made-up account id, shaped like a real one: in the ARNs and Lambda events and contexts local mode builds. */
export const LOCAL_ACCOUNT_ID = '123456789012';

export const LOCAL_AWS_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface LocalAwsEndpoints {
  /** DynamoDB Local, e.g. `http://127.0.0.1:41234`. */
  readonly dynamodbEndpoint: string;
  /** s3rver, e.g. `http://127.0.0.1:41235`; clients must use path-style addressing. */
  readonly s3Endpoint: string;
}

/** Configuration for a DynamoDB or DynamoDB Streams client talking to DynamoDB Local. */
export function localDynamoDbClientConfig(endpoints: LocalAwsEndpoints) {
  return { endpoint: endpoints.dynamodbEndpoint, region: LOCAL_AWS_REGION, credentials: LOCAL_AWS_CREDENTIALS };
}

/** Configuration for an S3 client talking to s3rver. */
export function localS3ClientConfig(endpoints: LocalAwsEndpoints) {
  return {
    endpoint: endpoints.s3Endpoint,
    region: LOCAL_AWS_REGION,
    credentials: LOCAL_AWS_CREDENTIALS,
    forcePathStyle: true,
    // s3rver predates the SDK's default CRC32 checksums (and their aws-chunked trailers).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  } as const;
}

/** Configuration for an SQS client talking to local/sqs-server.ts. */
export function localSqsClientConfig(sqsEndpoint: string) {
  return { endpoint: sqsEndpoint, region: LOCAL_AWS_REGION, credentials: LOCAL_AWS_CREDENTIALS };
}

/** Under `.local/`: the endpoint of the running local ward's SQS (`npm start` writes it, `npm run redrive -- --local` reads it). */
export const LOCAL_SQS_ENDPOINT_FILE_NAME = 'sqs-endpoint';

/** Where `npm start` writes its DynamoDB Local endpoint, for the auditor's access-log command (local/access-log-cli.ts). */
export const LOCAL_DYNAMODB_ENDPOINT_FILE_NAME = 'dynamodb-endpoint';
