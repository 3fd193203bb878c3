import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { attachmentKey, incomingKey } from '../../shared/adapters/s3/layout';
import type { RouteAccess } from '../../shared/runtime/routes';
import { grantBucketObjects, wardDataBucketProps } from './ward-data-bucket';
import { arnInFinding } from './nag-findings';
import type { ResourceUser } from './ward-function';

// The bucket layout is the adapter's (shared/adapters/s3/layout.ts); the grants and lifecycle follow it.
/** Presigned uploads land here; an upload not claimed by a dossier within a day is deleted. */
const INCOMING_PREFIX = incomingKey('');
/** Uploads a dossier claimed are copied here and kept with the dossier. */
const ATTACHMENTS_PREFIX = attachmentKey('');

export type UploadsUse = NonNullable<RouteAccess['uploads']>[number];

/**
 * What each use needs. `lists`: the use tells a missing object from a forbidden one; S3 answers
 * HeadObject on a missing key with 404 only to a caller that may list the bucket (403 otherwise),
 * and the upload adapter reads 404 as "not uploaded (or expired)".
 */
const OBJECT_ACCESS: Readonly<Record<UploadsUse, { readonly reads: readonly string[]; readonly writes: readonly string[]; readonly lists: boolean }>> = {
  presign: { reads: [], writes: [INCOMING_PREFIX], lists: false },
  // Claiming checks whether the upload was already copied (HeadObject on attachments/), then
  // checks and copies the fresh upload (HeadObject and CopyObject from incoming/).
  attach: { reads: [INCOMING_PREFIX, ATTACHMENTS_PREFIX], writes: [ATTACHMENTS_PREFIX], lists: true },
  // Officers' links first check that the attachment exists (HeadObject: 404, not 403).
  read: { reads: [ATTACHMENTS_PREFIX], writes: [], lists: true },
};

export interface UploadsBucketProps {
  /**
   * SSE-KMS with the ward's customer-managed key: attachments are scans of ID cards and civil
   * status papers, so decryption is limited to the functions granted here (and to this bucket,
   * by encryption context) and every decryption is in CloudTrail. S3 Bucket Keys keep the KMS
   * request count (and cost) per bucket rather than per object.
   */
  readonly encryptionKey: kms.IKey;
  /** Origins allowed to POST presigned uploads from a browser. */
  readonly allowedOrigins: readonly string[];
}

/** The citizens' uploads bucket, and the bucket receiving its server access logs. */
export class UploadsBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  private readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: UploadsBucketProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      // S3 server access logging can deliver only to a bucket encrypted with S3-managed keys.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...wardDataBucketProps(props.encryptionKey, this.accessLogs, 'uploads/'),
      cors: [
        {
          allowedMethods: [s3.HttpMethods.POST],
          allowedOrigins: [...props.allowedOrigins],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag', 'Location'],
          maxAge: 3600,
        },
      ],
      lifecycleRules: [
        {
          id: 'expire-unclaimed-uploads',
          prefix: INCOMING_PREFIX,
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
        },
        // Expiring a current version leaves a delete marker; drop it once no version is left.
        { id: 'remove-expired-delete-markers', prefix: INCOMING_PREFIX, expiredObjectDeleteMarker: true },
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
  }

  /** Grants `user` what its route's uploads access needs (see OBJECT_ACCESS) and nothing more, and tells it the bucket. */
  grantTo(user: ResourceUser, uses: readonly UploadsUse[]): void {
    const reads = new Set(uses.flatMap((use) => OBJECT_ACCESS[use].reads));
    const writes = new Set(uses.flatMap((use) => OBJECT_ACCESS[use].writes));
    const objectsUnder = (prefixes: Set<string>) => [...prefixes].map((prefix) => this.bucket.arnForObjects(`${prefix}*`));
    if (reads.size > 0) grantBucketObjects(user, this.bucket, this.encryptionKey, { s3Action: 's3:GetObject', kmsAction: 'kms:Decrypt', objectArns: objectsUnder(reads) });
    // A presigned POST is signed with the function's credentials: S3 checks the function's
    // rights, KMS included, when the browser posts.
    if (writes.size > 0) grantBucketObjects(user, this.bucket, this.encryptionKey, { s3Action: 's3:PutObject', kmsAction: 'kms:GenerateDataKey', objectArns: objectsUnder(writes) });
    if (uses.some((use) => OBJECT_ACCESS[use].lists)) {
      iam.Grant.addToPrincipal({ grantee: user, actions: ['s3:ListBucket'], resourceArns: [this.bucket.bucketArn] });
    }
    user.addEnvironment('UPLOADS_BUCKET', this.bucket.bucketName);

    for (const prefix of new Set([...reads, ...writes])) {
      Validations.of(user).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${arnInFinding(this.bucket)}/${prefix}*]`,
        reason: `Objects are named by upload id under ${prefix}; the grant is limited to that prefix of this one bucket.`,
      });
    }
  }

}
