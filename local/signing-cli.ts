/**
 * `npm run -s signing -- csr --ward <slug> [--key-id <KMS key id, ARN or alias>] [--local]`
 *
 * Prints a PKCS#10 certificate request (PEM) for the ward's signing key, to send to the
 * official-use CA or a licensed CA; the chain it returns goes into the ward configuration. The
 * request is signed by the key itself, through the same port as the documents: in KMS by default
 * (the SDK's usual credentials, the ward's region from infra/config/wards.ts, the key
 * `alias/mot-cua-so/<slug>/signing` unless `--key-id` names another), or with `--local` the key
 * under `.local/signing/<slug>/` that `npm start` signs with (created if missing). Only the PEM
 * goes to stdout, so `npm run -s signing -- csr --ward hoan-kiem > hoan-kiem.csr` works.
 */
import { UsageError, wardOf } from './cli';
import { KMSClient } from '@aws-sdk/client-kms';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { kmsDocumentSigner, wardSigningKeyAlias } from '../shared/adapters/kms/document-signer';
import { createCertificateRequest, wardCertificateSubject } from '../shared/documents/certificates';
import type { WardConfig } from '../shared/domain/ward-config';
import type { DocumentSigner } from '../shared/use-cases/ports';
import { localSigningDirectory, readOrCreateLocalSigningIdentity } from './signing-identity';

const PROJECT_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));

const USAGE = `usage: npm run -s signing -- csr --ward <slug> [--key-id <KMS key id, ARN or alias>] [--local]
  csr         print a PKCS#10 request (PEM) for the ward's signing key, signed by that key
  --ward      the ward's slug, as in infra/config/wards.ts
  --key-id    the KMS key (default alias/mot-cua-so/<slug>/signing), in the ward's region
  --local     use local mode's key under .local/signing/<slug>/ instead of KMS`;

async function main(): Promise<void> {
  const { values, positionals } = parseArguments();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [command, ...extra] = positionals;
  if (command !== 'csr') throw new UsageError(command === undefined ? 'a command is needed' : `unknown command '${command}'`);
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra.join(' ')}'`);
  if (values.ward === undefined) throw new UsageError('--ward is needed');
  if (values.local && values['key-id'] !== undefined) throw new UsageError('--key-id names a KMS key; it does not go with --local');
  const ward = wardOf(values.ward);

  const { signer, source } = values.local ? await localSigner(ward) : kmsSigner(ward, values['key-id'] ?? wardSigningKeyAlias(ward.slug));
  const subject = wardCertificateSubject(ward);
  const request = await createCertificateRequest(signer, subject);
  process.stdout.write(request);
  console.error(`${ward.name}: certificate request for ${source} (CN=${subject.commonName}, O=${subject.organization}).`);
  console.error('Send it to the CA; put the chain it returns in the ward configuration.');
}

function parseArguments(): ReturnType<typeof parseArgsWithOptions> {
  try {
    return parseArgsWithOptions();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function parseArgsWithOptions() {
  return parseArgs({
    options: {
      ward: { type: 'string' },
      'key-id': { type: 'string' },
      local: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
}

function kmsSigner(ward: WardConfig, keyId: string): { signer: DocumentSigner; source: string } {
  return { signer: kmsDocumentSigner(new KMSClient({ region: ward.env.region }), keyId), source: `KMS key ${keyId} (${ward.env.region})` };
}

async function localSigner(ward: WardConfig): Promise<{ signer: DocumentSigner; source: string }> {
  const directory = localSigningDirectory(PROJECT_DIRECTORY, ward.slug);
  const { identity, files } = await readOrCreateLocalSigningIdentity(directory, ward);
  return { signer: identity.signer, source: `the local key ${files.signingKey}` };
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  // An AWS error (no credentials, no such key, access denied) says what is wrong in its name and message; its stack does not.
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
