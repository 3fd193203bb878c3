import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
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
    this.protectAgainstMalware();
  }

  /**
   * GuardDuty Malware Protection for S3 on incoming/: every new upload is scanned and tagged
   * GuardDutyMalwareScanStatus; the claim accepts an upload only when the tag says NO_THREATS_FOUND
   * (shared/adapters/s3/attachment-store.ts). Copies under attachments/ are of scanned versions.
   * The role is the one the plan's documentation prescribes: the managed EventBridge rule, the
   * bucket's notifications, reading and tagging objects, and the ward key through S3.
   */
  private protectAgainstMalware(): void {
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'MalwareProtectionRole', { assumedBy: new iam.ServicePrincipal('malware-protection-plan.guardduty.amazonaws.com') });
    const managedRule = `arn:${stack.partition}:events:${stack.region}:${stack.account}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*`;
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['events:PutRule', 'events:DeleteRule', 'events:PutTargets', 'events:RemoveTargets'],
        resources: [managedRule],
        conditions: { StringLike: { 'events:ManagedBy': 'malware-protection-plan.guardduty.amazonaws.com' } },
      }),
    );
    role.addToPolicy(new iam.PolicyStatement({ actions: ['events:DescribeRule', 'events:ListTargetsByRule'], resources: [managedRule] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutBucketNotification', 's3:GetBucketNotification', 's3:ListBucket'], resources: [this.bucket.bucketArn] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('malware-protection-resource-validation-object')] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging', 's3:PutObjectTagging', 's3:PutObjectVersionTagging'],
        resources: [this.bucket.arnForObjects(`${INCOMING_PREFIX}*`)],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.encryptionKey.keyArn],
        conditions: { StringLike: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
      }),
    );
    new guardduty.CfnMalwareProtectionPlan(this, 'MalwareProtection', {
      role: role.roleArn,
      protectedResource: { s3Bucket: { bucketName: this.bucket.bucketName, objectPrefixes: [INCOMING_PREFIX] } },
      actions: { tagging: { status: 'ENABLED' } },
    }).node.addDependency(role);
    Validations.of(role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${arnInFinding(this.bucket)}/${INCOMING_PREFIX}*]`,
        reason: 'GuardDuty scans and tags every new upload under incoming/ of this one bucket.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:${inFinding(stack.region, 'AWS::Region')}:${inFinding(stack.account, 'AWS::AccountId')}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*]`,
        reason: "The EventBridge rule GuardDuty manages for the plan; its name is GuardDuty's.",
      },
    );
  }

  /** Grants `user` what its route's uploads access needs (see OBJECT_ACCESS) and nothing more, and tells it the bucket. */
  grantTo(user: ResourceUser, uses: readonly UploadsUse[]): void {
    const reads = new Set(uses.flatMap((use) => OBJECT_ACCESS[use].reads));
    const writes = new Set(uses.flatMap((use) => OBJECT_ACCESS[use].writes));
    const objectsUnder = (prefixes: Set<string>) => [...prefixes].map((prefix) => this.bucket.arnForObjects(`${prefix}*`));
    if (reads.size > 0) grantBucketObjects(user, this.bucket, this.encryptionKey, { s3Action: 's3:GetObject', kmsAction: 'kms:Decrypt', objectArns: objectsUnder(reads) });
    // A presigned POST is signed with the function's credentials: S3 checks the function's
    // rights, KMS included, when the browser posts.
    if (writes.size > 0)
      grantBucketObjects(user, this.bucket, this.encryptionKey, { s3Action: 's3:PutObject', kmsAction: 'kms:GenerateDataKey', objectArns: objectsUnder(writes) });
    if (uses.some((use) => OBJECT_ACCESS[use].lists)) {
      iam.Grant.addToPrincipal({ grantee: user, actions: ['s3:ListBucket'], resourceArns: [this.bucket.bucketArn] });
    }
    if (uses.includes('attach')) {
      // The claim reads one version (its first bytes, its scan tag) and copies it with its tags.
      iam.Grant.addToPrincipal({
        grantee: user,
        actions: ['s3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging'],
        resourceArns: [this.bucket.arnForObjects(`${INCOMING_PREFIX}*`)],
      });
      iam.Grant.addToPrincipal({ grantee: user, actions: ['s3:PutObjectTagging'], resourceArns: [this.bucket.arnForObjects(`${ATTACHMENTS_PREFIX}*`)] });
    }
    user.addEnvironment('UPLOADS_BUCKET', this.bucket.bucketName);
    user.addEnvironment('UPLOADS_MALWARE_SCANNING', 'GUARDDUTY');

    for (const prefix of new Set([...reads, ...writes])) {
      Validations.of(user).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${arnInFinding(this.bucket)}/${prefix}*]`,
        reason: `Objects are named by upload id under ${prefix}; the grant is limited to that prefix of this one bucket.`,
      });
    }
  }
}

/** How cdk-nag writes a stack's region or account in a finding: the value, or the pseudo parameter when it is a token. */
const inFinding = (value: string, pseudo: string): string => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
