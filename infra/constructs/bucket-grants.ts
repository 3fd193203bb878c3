import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';

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
