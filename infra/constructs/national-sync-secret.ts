import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { ResourceUser } from './ward-function';

export interface NationalSyncSecretProps {
  readonly wardSlug: string;
  /** The ward's data key: the token is a credential of the ward's. */
  readonly encryptionKey: kms.IKey;
}

/** The endpoint a new secret names until the operator writes the real one: `.invalid` never resolves, so nothing leaves by mistake. */
export const PLACEHOLDER_SYNC_ENDPOINT = 'https://dvcqg.invalid/dong-bo-ho-so';

/**
 * The ward's credentials for the national portal's (or the city TTHC system's) dossier-sync
 * endpoint: one Secrets Manager secret per ward stack, JSON `{"endpoint": "https://…", "token": "…"}`
 * (shared/adapters/secrets/national-sync-credentials.ts reads it). The stack creates it with the
 * placeholder endpoint and a generated token, and keeps it on stack deletion; the operator replaces
 * the value with what the portal issues to the ward (`aws secretsmanager put-secret-value`).
 *
 * Created here rather than referenced by a name from the ward configuration: each ward has its
 * own credentials (the portal issues them per unit), the stack then grants exactly that secret and
 * names it to the functions (the grant and the variable cannot drift), and a ward deploys without
 * a manual step before it; until the real value is written, deliveries fail and wait in the backlog.
 */
export class NationalSyncSecret extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: NationalSyncSecretProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: `mot-cua-so/${props.wardSlug}/national-sync`,
      description: `Một Cửa Số ${props.wardSlug}: endpoint and token of the national dossier sync (replace the placeholder with the portal's values)`,
      encryptionKey: props.encryptionKey,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ endpoint: PLACEHOLDER_SYNC_ENDPOINT }),
        generateStringKey: 'token',
        excludePunctuation: true,
        passwordLength: 40,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The token is issued by the national portal to the ward and changed there; no rotation function can obtain a new one, so the operator replaces the value when the portal rotates it (the functions read it again within five minutes, at once after a 401).',
    });
  }

  /** Lets `user` read the secret (and decrypt it with the ward's key), and tells it the secret's ARN. */
  grantTo(user: ResourceUser): void {
    this.secret.grantRead(user);
    user.addEnvironment('NATIONAL_SYNC_SECRET_ARN', this.secret.secretArn);
  }
}
