import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * What every bucket of ward data is: SSE-KMS with the ward's key (S3 Bucket Keys keep the KMS
 * request count per bucket), no public access, objects owned by the bucket, TLS only, versioned,
 * access-logged, and kept when the stack goes.
 */
export function wardDataBucketProps(encryptionKey: kms.IKey, accessLogs: s3.IBucket, accessLogsPrefix: string) {
  return {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    versioned: true,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: accessLogsPrefix,
    removalPolicy: RemovalPolicy.RETAIN,
  } satisfies s3.BucketProps;
}

/**
 * Grants an S3 action on some objects of an SSE-KMS bucket, with the matching KMS action. The
 * ward key also encrypts the table and the logs, so this use of it is limited to S3 acting on
 * this bucket (with S3 Bucket Keys the encryption context is the bucket's ARN).
 */
export function grantBucketObjects(
  grantee: iam.IGrantable,
  bucket: s3.IBucket,
  encryptionKey: kms.IKey,
  access: { readonly s3Action: string; readonly kmsAction: string; readonly objectArns: readonly string[] },
): void {
  iam.Grant.addToPrincipal({ grantee, actions: [access.s3Action], resourceArns: [...access.objectArns] });
  iam.Grant.addToPrincipal({
    grantee,
    actions: [access.kmsAction],
    resourceArns: [encryptionKey.keyArn],
    conditions: {
      StringEquals: {
        'kms:ViaService': `s3.${Stack.of(bucket).region}.amazonaws.com`,
        'kms:EncryptionContext:aws:s3:arn': bucket.bucketArn,
      },
    },
  });
}
