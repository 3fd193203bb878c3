import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ArchiveBucket } from './archive-bucket';
import type { SigningKey } from './signing-key';
import type { WardTable } from './ward-table';

export interface AuditorRoleProps {
  readonly wardSlug: string;
  readonly archive: ArchiveBucket;
  readonly signingKey: SigningKey;
  /** The table, of which the role reads the personal-data records only (the access log, the export records). */
  readonly table: WardTable;
  /**
   * Who may assume the role, each only with MFA. Default: the principals of this account (its
   * root, which delegates to the IAM users and roles the account's own policies allow to call
   * sts:AssumeRole on it). A list of named auditors' principals can replace it later.
   */
  readonly principals?: readonly iam.IPrincipal[];
}

/** `aws:MultiFactorAuthPresent` is absent from sessions without MFA, so `Bool` (not `BoolIfExists`) refuses them too. */
const WITH_MFA = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };

/**
 * The ward's auditor: a role that reads the write-once archive and checks the ward's signatures,
 * and can do nothing else. It may list and read every object and every version of the archive,
 * with their retention and legal hold, and the bucket's Object Lock configuration; decrypt the
 * archive's key through S3 only; verify with the signing key and read its public key; Query the
 * table's access log and data-subject export records (WardTable.grantAuditorRecords), decrypting
 * through DynamoDB only. It has no right to write or delete anything, to sign, to read a dossier
 * or the uploads.
 *
 * Trust: by default any principal of the ward's account whose own IAM policy allows assuming this
 * role, and only in a session with MFA (IAM users signed in with MFA, or `aws sts assume-role
 * --serial-number … --token-code …`); see `principals`. Sessions last at most an hour.
 */
export class AuditorRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: AuditorRoleProps) {
    super(scope, id);
    const [first = new iam.AccountRootPrincipal(), ...others] = props.principals ?? [];
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.PrincipalWithConditions(first, WITH_MFA),
      description: `${props.wardSlug}: auditor, reads the archive and verifies signatures (read-only)`,
      maxSessionDuration: Duration.hours(1),
    });
    // A CompositePrincipal takes no conditions: one trust statement per further principal.
    for (const principal of others) {
      this.role.assumeRolePolicy?.addStatements(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], principals: [principal], conditions: WITH_MFA }));
    }

    props.archive.grantAuditorRead(this.role);
    props.signingKey.grantVerify(this.role);
    props.table.grantAuditorRecords(this.role);
  }
}
