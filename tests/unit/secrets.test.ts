import { describe, expect, it } from 'vitest';
import { canonicalJson, hashSecret, idempotencyKeyHash, newDossierSecret, sealSecret, secretMatches, sha256Hex, unsealSecret } from '../../shared/use-cases/secrets';

/** Crockford's base32: digits and upper-case letters without I, L, O, U. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SECRET_SHAPE = /^[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){4}$/;

describe('newDossierSecret', () => {
  it('is five groups of four Crockford base32 characters', () => {
    const secret = newDossierSecret();

    expect(secret).toMatch(SECRET_SHAPE);
  });

  it('never repeats over a thousand secrets and draws on the whole alphabet', () => {
    const secrets = Array.from({ length: 1000 }, () => newDossierSecret());

    expect(new Set(secrets).size).toBe(1000);
    expect(secrets.every((s) => SECRET_SHAPE.test(s))).toBe(true);
    const characters = new Set(secrets.join('').replaceAll('-', ''));
    expect([...characters].sort().join('')).toBe(CROCKFORD);
  });
});

describe('hashSecret', () => {
  it('is the SHA-256 of the secret without dashes, in hex', () => {
    expect(hashSecret('7KQ2-M9XD-4RTV-B8NC-3WZP')).toBe(sha256Hex('7KQ2M9XD4RTVB8NC3WZP'));
    expect(hashSecret('7KQ2-M9XD-4RTV-B8NC-3WZP')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores case, dashes and spaces the way a citizen retypes the secret', () => {
    const printed = hashSecret('7KQ2-M9XD-4RTV-B8NC-3WZP');

    expect(hashSecret('7kq2-m9xd-4rtv-b8nc-3wzp')).toBe(printed);
    expect(hashSecret('7KQ2M9XD4RTVB8NC3WZP')).toBe(printed);
    expect(hashSecret(' 7KQ2 M9XD 4RTV B8NC 3WZP ')).toBe(printed);
  });

  it('tells different secrets apart', () => {
    expect(hashSecret('7KQ2-M9XD-4RTV-B8NC-3WZP')).not.toBe(hashSecret('7KQ2-M9XD-4RTV-B8NC-3WZQ'));
  });
});

describe('secretMatches', () => {
  const secret = '7KQ2-M9XD-4RTV-B8NC-3WZP';
  const stored = hashSecret(secret);

  it('accepts the secret of the dossier', () => {
    expect(secretMatches(secret, stored)).toBe(true);
  });

  it('accepts the secret retyped in lower case without dashes', () => {
    expect(secretMatches('7kq2m9xd4rtvb8nc3wzp', stored)).toBe(true);
  });

  it('refuses another secret', () => {
    expect(secretMatches('7KQ2-M9XD-4RTV-B8NC-3WZQ', stored)).toBe(false);
  });

  it('refuses a request without a secret', () => {
    expect(secretMatches(undefined, stored)).toBe(false);
  });

  it('refuses any secret for a dossier that has none (unknown code, counter dossier)', () => {
    expect(secretMatches(secret, undefined)).toBe(false);
    expect(secretMatches(undefined, undefined)).toBe(false);
    expect(secretMatches('', undefined)).toBe(false);
  });

  it('refuses the text used as the placeholder hash of an absent dossier', () => {
    expect(secretMatches('absent dossier', undefined)).toBe(false);
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vector', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes Vietnamese text as UTF-8', () => {
    expect(sha256Hex('Nguyễn')).toBe(sha256Hex(Buffer.from('Nguyễn', 'utf8').toString('utf8')));
    expect(sha256Hex('Nguyễn')).not.toBe(sha256Hex('Nguyen'));
  });
});

describe('sealSecret and unsealSecret', () => {
  const secret = '7KQ2-M9XD-4RTV-B8NC-3WZP';
  const key = '5f0c7a1e-2b9d-4e8f-a3c6-1d2e3f4a5b6c';

  it('gives the secret back to the holder of the Idempotency-Key', () => {
    const sealed = sealSecret(secret, key);

    expect(unsealSecret(sealed, key)).toBe(secret);
  });

  it('does not show the secret in the sealed text', () => {
    const sealed = sealSecret(secret, key);

    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain(secret.replaceAll('-', ''));
  });

  it('seals the same secret differently each time (fresh IV)', () => {
    expect(sealSecret(secret, key)).not.toBe(sealSecret(secret, key));
  });

  it('opens nothing with another key', () => {
    const sealed = sealSecret(secret, key);

    expect(unsealSecret(sealed, 'another-idempotency-key')).toBeUndefined();
  });

  it('opens nothing that was tampered with', () => {
    const [iv = '', data = '', tag = ''] = sealSecret(secret, key).split('.');
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 0x01;

    expect(unsealSecret([iv, flipped.toString('base64url'), tag].join('.'), key)).toBeUndefined();
  });

  it.each(['', 'not-sealed', 'a.b', '..'])('opens nothing from the malformed text %j', (sealed) => {
    expect(unsealSecret(sealed, key)).toBeUndefined();
  });
});

describe('canonicalJson', () => {
  it('writes objects with their keys sorted at every level', () => {
    const value = { b: 1, a: { d: [{ y: 1, x: 2 }], c: 'Hoà' } };

    expect(canonicalJson(value)).toBe('{"a":{"c":"Hoà","d":[{"x":2,"y":1}]},"b":1}');
  });

  it('gives the same text whatever order the keys came in', () => {
    const one = { procedureCode: '1.001193', applicant: { fullName: 'Nguyễn Thị Hoa', phone: '+84912345678' }, attachments: [] };
    const other = { attachments: [], applicant: { phone: '+84912345678', fullName: 'Nguyễn Thị Hoa' }, procedureCode: '1.001193' };

    expect(canonicalJson(one)).toBe(canonicalJson(other));
  });

  it('keeps the order of array items, which is meaningful', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('drops undefined members, as JSON does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('tells apart values that differ only in type', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
  });
});

describe('idempotencyKeyHash', () => {
  const key = '5f0c7a1e-2b9d-4e8f-a3c6-1d2e3f4a5b6c';

  it('is a SHA-256 in hex, the same for the same key', () => {
    expect(idempotencyKeyHash(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(idempotencyKeyHash(key)).toBe(idempotencyKeyHash(key));
  });

  it('differs from the plain SHA-256 of the key', () => {
    expect(idempotencyKeyHash(key)).not.toBe(sha256Hex(key));
  });

  it('differs between keys', () => {
    expect(idempotencyKeyHash(key)).not.toBe(idempotencyKeyHash(`${key}x`));
  });
});
