import { Duration, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { RouteAccess } from '../../shared/runtime/routes';
import { grantBucketObjects, wardDataBucketProps } from './ward-data-bucket';
import { arnInFinding } from './nag-findings';
import type { ResourceUser } from './ward-function';

/** The archive adapter's layout (shared/adapters/s3/result-archive.ts): `results/<dossier code>/<issued>-<outcome>.pdf`. */
const RESULTS_PREFIX = 'results/';

export type ArchiveUse = NonNullable<RouteAccess['archive']>[number];

export interface ArchiveBucketProps {
  readonly encryptionKey: kms.IKey;
  /** Years an e-copy is kept, write-once (the ward's retention). */
  readonly retentionYears: number;
  /** Where the bucket's server access logs go. */
  readonly accessLogs: s3.IBucket;
}

/**
 * The write-once archive of e-results: S3 Object Lock in compliance mode with the ward's
 * retention as every object's default, so that no one — the account's root included — can
 * overwrite or delete an e-copy before its retention ends. Versioned (Object Lock requires it),
 * SSE-KMS with the ward's key, TLS only, no public access, access-logged.
 */
export class ArchiveBucket extends Construct {
  readonly bucket: s3.Bucket;
  private readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: ArchiveBucketProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...wardDataBucketProps(props.encryptionKey, props.accessLogs, 'archive/'),
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(365 * props.retentionYears)),
    });
  }

  /** `write` stores new e-copies (never overwrites: the adapter sends If-None-Match); `read` presigns downloads. */
  grantTo(user: ResourceUser, uses: readonly ArchiveUse[]): void {
    const objects = this.bucket.arnForObjects(`${RESULTS_PREFIX}*`);
    if (uses.includes('write')) grantBucketObjects(user, this.bucket, this.encryptionKey, { s3Action: 's3:PutObject', kmsAction: 'kms:GenerateDataKey', objectArns: [objects] });
    if (uses.includes('read')) grantBucketObjects(user, this.bucket, this.encryptionKey, { s3Action: 's3:GetObject', kmsAction: 'kms:Decrypt', objectArns: [objects] });
    user.addEnvironment('ARCHIVE_BUCKET', this.bucket.bucketName);
    Validations.of(user).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${arnInFinding(this.bucket)}/${RESULTS_PREFIX}*]`,
      reason: `E-copies are named by dossier code under ${RESULTS_PREFIX}; the grant is limited to that prefix of this one bucket.`,
    });
  }

}
