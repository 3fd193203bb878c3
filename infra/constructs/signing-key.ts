import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { WardConfig } from '../../shared/domain/ward-config';
import { CERTIFICATE_CHAIN_PATH, type ResourceUser } from './ward-function';

export interface SigningKeyProps {
  readonly ward: Pick<WardConfig, 'slug' | 'signingCertificateChainPem'>;
}

/**
 * The ward's signing key: a KMS asymmetric key (ECC_NIST_P256, SIGN_VERIFY), whose private half
 * never leaves KMS. It signs the ward's documents (PAdES), cancellation records and daily archive
 * manifests (shared/adapters/kms/document-signer.ts). Asymmetric keys cannot rotate, and this one
 * must not: its certificate names it, and every signature made with it refers to it, so it is
 * retained when the stack goes, like the archive it vouches for.
 */
export class SigningKey extends Construct {
  readonly key: kms.Key;
  readonly aliasName: string;
  private readonly hasCertificateChain: boolean;

  constructor(scope: Construct, id: string, props: SigningKeyProps) {
    super(scope, id);
    this.aliasName = `alias/mot-cua-so/${props.ward.slug}/signing`;
    this.hasCertificateChain = props.ward.signingCertificateChainPem !== undefined;
    this.key = new kms.Key(this, 'Key', {
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      enableKeyRotation: false,
      alias: this.aliasName,
      description: `Một Cửa Số ${props.ward.slug}: signs documents, cancellations and archive manifests`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * Lets `user` sign with the key and read its public key (kms:Sign, kms:GetPublicKey on this key
   * only), and tells it the key (SIGNING_KEY_ID: the ARN, which each signature records) and, when
   * the ward has a configured certificate chain, the file holding it (SIGNING_CERTIFICATE_CHAIN_FILE,
   * shipped next to every bundle by WardFunction).
   */
  grantTo(user: ResourceUser): void {
    iam.Grant.addToPrincipal({ grantee: user, actions: ['kms:Sign', 'kms:GetPublicKey'], resourceArns: [this.key.keyArn] });
    user.addEnvironment('SIGNING_KEY_ID', this.key.keyArn);
    if (this.hasCertificateChain) user.addEnvironment('SIGNING_CERTIFICATE_CHAIN_FILE', CERTIFICATE_CHAIN_PATH);
  }

  /** Lets `grantee` check signatures with the key (kms:Verify, kms:GetPublicKey), never sign. */
  grantVerify(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['kms:Verify', 'kms:GetPublicKey'], resourceArns: [this.key.keyArn] });
  }
}
