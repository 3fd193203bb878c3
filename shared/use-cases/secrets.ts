import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** Crockford's base32 alphabet: no I, L, O, U, so a secret read aloud or retyped is not mistaken. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SECRET_GROUPS = 5;
const GROUP_LENGTH = 4;

/**
 * A dossier's secret: 20 random base32 characters (100 bits) in groups of four, e.g.
 * `7KQ2-M9XD-4RTV-B8NC-3WZP`. Shown once to the citizen; only its hash is stored.
 */
export function newDossierSecret(): string {
  const groups: string[] = [];
  for (let g = 0; g < SECRET_GROUPS; g += 1) {
    let group = '';
    for (let i = 0; i < GROUP_LENGTH; i += 1) group += ALPHABET.charAt(randomInt(ALPHABET.length));
    groups.push(group);
  }
  return groups.join('-');
}

/** Case, dashes and spaces do not matter when a citizen types the secret back. */
const canonicalSecret = (secret: string) => secret.toUpperCase().replace(/[\s-]/g, '');

export const hashSecret = (secret: string): string => sha256Hex(canonicalSecret(secret));

/** Hash of no secret: compared against when a dossier does not exist, so both answers take the same work. */
const ABSENT_HASH = sha256Hex('absent dossier');

/** Constant-time comparison of a provided secret with a stored hash (or with nothing). */
export function secretMatches(provided: string | undefined, storedHash: string | undefined): boolean {
  const expected = Buffer.from(storedHash ?? ABSENT_HASH, 'hex');
  const actual = Buffer.from(hashSecret(provided ?? ''), 'hex');
  return timingSafeEqual(expected, actual) && storedHash !== undefined && provided !== undefined;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Canonical JSON (keys sorted at every level), so equal requests have equal fingerprints. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Seals the secret for the idempotency record, with AES-256-GCM under a key derived from the
 * Idempotency-Key: only a client that knows the key (the one that submitted) can have the
 * secret again from a retry, and the stored record alone reveals nothing.
 */
export function sealSecret(secret: string, idempotencyKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(idempotencyKey), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [iv, sealed, cipher.getAuthTag()].map((part) => part.toString('base64url')).join('.');
}

export function unsealSecret(sealed: string, idempotencyKey: string): string | undefined {
  const [iv, data, tag] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !data || !tag) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(idempotencyKey), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

function sealingKey(idempotencyKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', idempotencyKey, 'mot-cua-so', 'dossier secret seal', 32));
}

/** The record key of an Idempotency-Key: a different derivation from the sealing key. */
export const idempotencyKeyHash = (idempotencyKey: string): string => sha256Hex(`idempotency:${idempotencyKey}`);
