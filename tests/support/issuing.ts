import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOrCreateLocalSigningIdentity } from '../../local/signing-identity';
import { DocumentMetadataSchema, metadataKeyOf } from '../../shared/domain/archive';
import type { WardConfig } from '../../shared/domain/ward-config';
import type { IssuingDeps } from '../../shared/use-cases/issue-document';
import type { Clock, DocumentArchive, SigningIdentity } from '../../shared/use-cases/ports';

/** An archive in memory with the real one's write-once answers (`EXISTS` for a taken key): for tests whose point is not S3. */
export function memoryArchive(): DocumentArchive & { readonly objects: Map<string, Uint8Array> } {
  const objects = new Map<string, Uint8Array>();
  const put = (key: string, bytes: Uint8Array): Promise<'STORED' | 'EXISTS'> => {
    if (objects.has(key)) return Promise.resolve('EXISTS');
    objects.set(key, bytes);
    return Promise.resolve('STORED');
  };
  return {
    objects,
    putPdf: (key, bytes) => put(key, bytes),
    putJson: (key, json) => put(key, Buffer.from(json, 'utf8')),
    putText: (key, text) => put(key, Buffer.from(text, 'utf8')),
    get: (key) => Promise.resolve(objects.get(key)),
    getMetadata: (pdfKey) => {
      const bytes = objects.get(metadataKeyOf(pdfKey));
      return Promise.resolve(bytes === undefined ? undefined : DocumentMetadataSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8'))));
    },
    downloadLink: (key) => Promise.resolve({ url: `memory://${key}`, expiresAt: new Date(Date.now() + 600_000) }),
  };
}

let identity: Promise<SigningIdentity> | undefined;

/** A signing identity of local mode's test CA, made once per test file in a temporary folder. */
export function testSigningIdentity(ward: Pick<WardConfig, 'slug' | 'name' | 'province'>): Promise<SigningIdentity> {
  identity ??= mkdtemp(join(tmpdir(), 'mot-cua-so-test-signing-')).then(async (directory) => (await readOrCreateLocalSigningIdentity(directory, ward)).identity);
  return identity;
}

/** What issuing documents needs, on an in-memory archive with a local test CA's key. */
export function testIssuingDeps(ward: WardConfig, clock: Clock): IssuingDeps & { readonly archive: ReturnType<typeof memoryArchive> } {
  return { signingIdentity: () => testSigningIdentity(ward), archive: memoryArchive(), ward, clock, publicBaseUrl: 'http://127.0.0.1' };
}
