import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import { ARCHIVE_PREFIXES, LEGACY_RESULTS_PREFIX, SELF_ISSUED_CERTIFICATE_KEY } from '../../shared/domain/archive';
import type { RouteAccess } from '../../shared/runtime/routes';
import { grantBucketObjects, wardDataBucketProps } from './ward-data-bucket';
import { arnInFinding } from './nag-findings';
import type { ResourceUser } from './ward-function';

/**
 * The archive's layout (shared/domain/archive.ts): the functions may read and write under each
 * prefix, and the one fixed key of the ward's self-issued certificate (written by the first
 * signer of a ward that has no configured chain).
 */
const ARCHIVE_KEY_PREFIXES: readonly string[] = Object.values(ARCHIVE_PREFIXES);

export type ArchiveUse = NonNullable<RouteAccess['archive']>[number];

/** What the auditor may do, on the objects and on the bucket: read every version and its lock, nothing else. */
const AUDITOR_OBJECT_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectRetention', 's3:GetObjectLegalHold'];
const AUDITOR_BUCKET_ACTIONS = ['s3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketObjectLockConfiguration'];

export interface ArchiveBucketProps {
  readonly wardSlug: string;
  /** Years an archived object is kept, write-once (the ward's retention). */
  readonly retentionYears: number;
  /** Where the bucket's server access logs go: another bucket (S3 must not log a bucket into itself). */
  readonly accessLogs: s3.IBucket;
}

/**
 * The write-once archive of what the ward issued: signed documents and their metadata, registers,
 * cancellation records, the manifest's hash chain and daily seals, the signing certificates.
 * S3 Object Lock in compliance mode with the ward's retention as every object's default, so that
 * no one (the account's root included) can overwrite or delete an archived version before its
 * retention ends. Versioned (Object Lock requires it), TLS only, no public access, access-logged.
 *
 * SSE-KMS with a key of its own (rotating), not the ward's data key: the auditor decrypts the
 * archive with no right on the key of the table and the uploads, which hold personal data the
 * archive does not. Compliance mode does not protect an object from the loss of its key, so the
 * key policy refuses to schedule the key's deletion, to everyone.
 */
export class ArchiveBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly encryptionKey: kms.Key;

  constructor(scope: Construct, id: string, props: ArchiveBucketProps) {
    super(scope, id);
    this.encryptionKey = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      alias: `alias/mot-cua-so/${props.wardSlug}/archive`,
      description: `Một Cửa Số ${props.wardSlug}: the write-once archive`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'KeepTheArchiveReadable',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:ScheduleKeyDeletion'],
        resources: ['*'],
      }),
    );
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...wardDataBucketProps(this.encryptionKey, props.accessLogs, 'archive/'),
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(365 * props.retentionYears)),
    });
  }

  /**
   * `write`: s3:PutObject under the layout's prefixes, nothing else (no delete, no retention
   * change: the bucket's default retention applies to every new object; the adapter sends
   * If-None-Match, so a key is never overwritten). `read`: s3:GetObject there, and s3:ListBucket,
   * without which S3 answers a missing key with 403 instead of 404, and the adapter reads 404 as
   * "not archived (yet)" (a cancellation record, the self-issued certificate, yesterday's seal).
   * Readers also read the legacy e-copies under `results/`.
   */
  grantTo(user: ResourceUser, uses: readonly ArchiveUse[]): void {
    const objectsUnder = (prefixes: readonly string[]) => [
      ...prefixes.map((prefix) => this.bucket.arnForObjects(`${prefix}*`)),
      this.bucket.arnForObjects(SELF_ISSUED_CERTIFICATE_KEY),
    ];
    const writes = uses.includes('write') ? ARCHIVE_KEY_PREFIXES : [];
    const reads = uses.includes('read') ? [...ARCHIVE_KEY_PREFIXES, LEGACY_RESULTS_PREFIX] : [];
    if (writes.length > 0) {
      grantBucketObjects(user, this.bucket, this.encryptionKey, { s3Action: 's3:PutObject', kmsAction: 'kms:GenerateDataKey', objectArns: objectsUnder(writes) });
    }
    if (reads.length > 0) {
      grantBucketObjects(user, this.bucket, this.encryptionKey, { s3Action: 's3:GetObject', kmsAction: 'kms:Decrypt', objectArns: objectsUnder(reads) });
      iam.Grant.addToPrincipal({ grantee: user, actions: ['s3:ListBucket'], resourceArns: [this.bucket.bucketArn] });
    }
    user.addEnvironment('ARCHIVE_BUCKET', this.bucket.bucketName);
    for (const prefix of new Set([...writes, ...reads])) {
      Validations.of(user).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${arnInFinding(this.bucket)}/${prefix}*]`,
        reason:
          prefix === LEGACY_RESULTS_PREFIX
            ? `E-copies from before signatures are named by dossier code under ${prefix}; read only, and limited to that prefix of this one bucket.`
            : `Archived objects are named by dossier, document or sequence under ${prefix} (shared/domain/archive.ts); the grant is limited to that prefix of this one bucket.`,
      });
    }
  }

  /**
   * Lets an auditor read every object, every version and its lock (retention, legal hold) and the
   * bucket's lock configuration, and decrypt through S3 only: no write, no delete, no other key.
   */
  grantAuditorRead(grantee: iam.IGrantable & IConstruct): void {
    iam.Grant.addToPrincipal({ grantee, actions: AUDITOR_OBJECT_ACTIONS, resourceArns: [this.bucket.arnForObjects('*')] });
    iam.Grant.addToPrincipal({ grantee, actions: AUDITOR_BUCKET_ACTIONS, resourceArns: [this.bucket.bucketArn] });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt'],
      resourceArns: [this.encryptionKey.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com`,
          'kms:EncryptionContext:aws:s3:arn': this.bucket.bucketArn,
        },
      },
    });
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${arnInFinding(this.bucket)}/*]`,
      reason: 'The auditor reads the whole archive, every prefix of this one bucket, by design; reading is all it may do there.',
    });
  }
}
