/**
 * `npm run -s officer-token -- --role reception [--role leader] [--name "Nguyễn Văn A"] [--ward hoan-kiem] [--expires 8h]`
 *
 * Prints an officer's ID token for the local ward (`npm start`), signed with the key in
 * `.local/officer-signing-key.json`; send it as `Authorization: Bearer <token>`. Only the token
 * goes to stdout, so `TOKEN=$(npm run -s officer-token -- --role reception)` works.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { OFFICER_ROLES } from '../shared/domain/status';
import { DEFAULT_LOCAL_TOKEN_LIFETIME, issueOfficerToken, OFFICER_SIGNING_KEY_FILE_NAME, parseDuration, readOrCreateOfficerSigningKey } from './officer-tokens';
import { localWard } from './ward-environment';

const PROJECT_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
const OFFICER_SIGNING_KEY_FILE = join(PROJECT_DIRECTORY, '.local', OFFICER_SIGNING_KEY_FILE_NAME);

const USAGE = `usage: npm run -s officer-token -- --role <${OFFICER_ROLES.join('|')}> [--role …] [--name "Nguyễn Văn A"] [--email a@b.vn] [--ward <slug>] [--expires ${DEFAULT_LOCAL_TOKEN_LIFETIME}]
  --ward defaults to $WARD, as npm start does; --expires takes 8h, 30m, 90s, 2d.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      name: { type: 'string' },
      email: { type: 'string' },
      ward: { type: 'string' },
      expires: { type: 'string', default: DEFAULT_LOCAL_TOKEN_LIFETIME },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const roles = values.role ?? [];
  const unknown = roles.filter((role) => !(OFFICER_ROLES as readonly string[]).includes(role));
  if (roles.length === 0 || unknown.length > 0) {
    throw new UsageError(roles.length === 0 ? 'at least one --role is needed' : `unknown role ${unknown.join(', ')}`);
  }
  const ward = wardOf(values.ward ?? process.env.WARD);
  const expiresIn = parseDuration(values.expires);
  if (expiresIn <= 0) throw new UsageError('--expires must be in the future');

  const key = await readOrCreateOfficerSigningKey(OFFICER_SIGNING_KEY_FILE);
  const token = await issueOfficerToken(key, { ward: ward.slug, roles, name: values.name, email: values.email, expiresIn });
  console.log(token);
  console.error(`${ward.name}: ID token for ${roles.join(', ')}, valid ${values.expires}. Send it as "Authorization: Bearer <token>".`);
}

class UsageError extends Error {}

/** The ward by slug, among the configured ones, as npm start picks it. */
function wardOf(slug: string | undefined): ReturnType<typeof localWard> {
  try {
    return localWard(slug);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
