/**
 * `npm run -s citizen-token -- --id-number 001190012345 --name "Nguyễn Thị Hoa" [--phone 0912345678] [--expires 8h]`
 *
 * Prints a citizen's ID token of the local identity provider (`/local-vneid` of `npm start`), signed
 * with its key in `.local/citizen-signing-key.json` (created if missing, so `npm start` need not
 * run): what the portal sends as `Authorization: Bearer <token>` once the citizen signed in. Only
 * the token goes to stdout, so `TOKEN=$(npm run -s citizen-token -- …)` works.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ApplicantSchema, IdNumberSchema, PhoneSchema } from '../shared/domain/dossier';
import { fieldMessage } from '../shared/runtime/messages';
import { CITIZEN_SIGNING_KEY_FILE_NAME, issueCitizenToken, LOCAL_CITIZEN_ISSUER } from './citizen-tokens';
import { DEFAULT_LOCAL_TOKEN_LIFETIME, parseDuration, readOrCreateOfficerSigningKey } from './officer-tokens';
import { TEST_CITIZENS } from './test-accounts';

const PROJECT_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
const CITIZEN_SIGNING_KEY_FILE = join(PROJECT_DIRECTORY, '.local', CITIZEN_SIGNING_KEY_FILE_NAME);

const example = TEST_CITIZENS[0];
const USAGE = `usage: npm run -s citizen-token -- --id-number <12 digits> --name "<full name>" [--phone <0xxxxxxxxx>] [--expires ${DEFAULT_LOCAL_TOKEN_LIFETIME}] [--key-file <path>]
  An ID token of the local citizen provider (${LOCAL_CITIZEN_ISSUER}); --expires takes 8h, 30m, 90s, 2d;
  --key-file defaults to .local/${CITIZEN_SIGNING_KEY_FILE_NAME}, the key npm start's provider signs with.
  e.g. npm run -s citizen-token -- --id-number ${example?.idNumber ?? '001190012345'} --name "${example?.fullName ?? 'Nguyễn Thị Hoa'}" --phone 0912345678`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'id-number': { type: 'string' },
      name: { type: 'string' },
      phone: { type: 'string' },
      expires: { type: 'string', default: DEFAULT_LOCAL_TOKEN_LIFETIME },
      'key-file': { type: 'string', default: CITIZEN_SIGNING_KEY_FILE },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const idNumber = IdNumberSchema.safeParse(values['id-number'] ?? '');
  if (!idNumber.success) throw new UsageError(`--id-number: ${messageOf(idNumber.error.issues[0]?.message)}`);
  const fullName = ApplicantSchema.shape.fullName.safeParse(values.name ?? '');
  if (!fullName.success) throw new UsageError(`--name: ${messageOf(fullName.error.issues[0]?.message, 'a full name of 2 to 100 letters')}`);
  const phone = values.phone === undefined ? undefined : PhoneSchema.safeParse(values.phone);
  if (phone?.success === false) throw new UsageError(`--phone: ${messageOf(phone.error.issues[0]?.message)}`);
  const expiresIn = parseDuration(values.expires);
  if (expiresIn <= 0) throw new UsageError('--expires must be in the future');

  const key = await readOrCreateOfficerSigningKey(values['key-file']);
  const token = await issueCitizenToken(key, { idNumber: idNumber.data, fullName: fullName.data, ...(phone?.success ? { phone: phone.data } : {}), expiresIn });
  console.log(token);
  console.error(`ID token of ${fullName.data} from the local citizen provider, valid ${values.expires}. Send it as "Authorization: Bearer <token>".`);
}

class UsageError extends Error {}

/** Our message keys (`@ID_NUMBER_FORMAT`) in English; zod's own messages as they are. */
const messageOf = (message: string | undefined, fallback = 'not valid'): string =>
  message === undefined ? fallback : message.startsWith('@') ? fieldMessage(message, 'en') : fallback;

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
