import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { ResourceUser } from './ward-function';

export interface IdHashKeyProps {
  readonly wardSlug: string;
}

/**
 * The HMAC key that turns personal ID numbers into index keys (never the number itself). It is
 * never rotated and never deleted: a new key would change every hash and orphan the
 * `byApplicant` index entries written with the old one.
 */
export class IdHashKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: IdHashKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      alias: `alias/mot-cua-so/${props.wardSlug}/id-hash`,
      description: `Một Cửa Số ${props.wardSlug}: HMAC of personal ID numbers`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Lets `user` hash ID numbers (kms:GenerateMac only), and tells it the key. */
  grantTo(user: ResourceUser): void {
    this.key.grants.generateMac(user);
    user.addEnvironment('ID_HASH_KEY_ID', this.key.keyArn);
  }
}
