import 'aws-sdk-client-mock-vitest/extend';
import { GetPublicKeyCommand, KMSClient, KMSInvalidStateException, SignCommand, type SignCommandInput } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { kmsDocumentSigner, wardSigningKeyAlias } from '../../shared/adapters/kms/document-signer';

const kms = mockClient(KMSClient);
const KEY_ARN = 'arn:aws:kms:ap-southeast-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const PUBLIC_KEY_DER = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * KMS signs a digest it is sent; Node's crypto signs only messages. The fake KMS knows the
 * messages the test is about to sign, finds the one whose SHA-256 it received, and signs that
 * message with the key, which gives the signature KMS would return for the digest. A digest of
 * any other message is refused, so the test fails if the adapter sends anything but SHA-256.
 */
function fakeKmsSigning(...messages: Uint8Array[]): void {
  const byDigest = new Map(messages.map((message) => [sha256Hex(message), message]));
  kms.on(SignCommand).callsFake((input: SignCommandInput) => {
    const message = input.Message === undefined ? undefined : byDigest.get(Buffer.from(input.Message).toString('hex'));
    if (input.MessageType !== 'DIGEST' || message === undefined) throw new Error('The fake KMS signs only the SHA-256 digest of a known message');
    return { KeyId: KEY_ARN, SigningAlgorithm: 'ECDSA_SHA_256', Signature: new Uint8Array(sign('sha256', message, { key: privateKey, dsaEncoding: 'der' })) };
  });
}

beforeEach(() => {
  kms.reset();
  kms.on(GetPublicKeyCommand).resolves({ KeyId: KEY_ARN, KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', PublicKey: PUBLIC_KEY_DER, SigningAlgorithms: ['ECDSA_SHA_256'] });
});

describe('kmsDocumentSigner', () => {
  it('sends KMS the SHA-256 of the message as a digest and returns its DER signature, which verifies over the message', async () => {
    const message = new TextEncoder().encode('Giấy xác nhận tình trạng hôn nhân 000.00.70.H26-261122-0001');
    fakeKmsSigning(message);
    const signer = kmsDocumentSigner(new KMSClient({}), KEY_ARN);

    const signature = await signer.sign(message);

    expect(kms).toHaveReceivedCommandTimes(SignCommand, 1);
    expect(kms).toHaveReceivedCommandWith(SignCommand, {
      KeyId: KEY_ARN,
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
      Message: new Uint8Array(createHash('sha256').update(message).digest()),
    });
    expect(signature[0]).toBe(0x30); // DER SEQUENCE, not the 64-byte raw r‖s form
    expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
  });

  it('names the key it was given as its keyId', () => {
    expect(kmsDocumentSigner(new KMSClient({}), KEY_ARN).keyId).toBe(KEY_ARN);
  });

  it('reads the public key once per signer and hands out copies, so a caller cannot change the cached one', async () => {
    const signer = kmsDocumentSigner(new KMSClient({}), KEY_ARN);

    const [first, second] = await Promise.all([signer.publicKey(), signer.publicKey()]);
    first.fill(0);
    const third = await signer.publicKey();

    expect(kms).toHaveReceivedCommandTimes(GetPublicKeyCommand, 1);
    expect(kms).toHaveReceivedCommandWith(GetPublicKeyCommand, { KeyId: KEY_ARN });
    expect(Buffer.from(second).equals(Buffer.from(PUBLIC_KEY_DER))).toBe(true);
    expect(Buffer.from(third).equals(Buffer.from(PUBLIC_KEY_DER))).toBe(true);
  });

  it('asks KMS again after a failed public key read rather than caching the failure', async () => {
    kms
      .on(GetPublicKeyCommand)
      .rejectsOnce(new KMSInvalidStateException({ message: 'Key is pending import', $metadata: {} }))
      .resolves({ KeyId: KEY_ARN, KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', PublicKey: PUBLIC_KEY_DER });
    const signer = kmsDocumentSigner(new KMSClient({}), KEY_ARN);

    await expect(signer.publicKey()).rejects.toThrow(KMSInvalidStateException);
    const publicKeyDer = await signer.publicKey();

    expect(kms).toHaveReceivedCommandTimes(GetPublicKeyCommand, 2);
    expect(Buffer.from(publicKeyDer).equals(Buffer.from(PUBLIC_KEY_DER))).toBe(true);
  });

  it('refuses a key that is not an ECDSA P-256 signing key', async () => {
    kms.on(GetPublicKeyCommand).resolves({ KeyId: KEY_ARN, KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', PublicKey: PUBLIC_KEY_DER });
    const signer = kmsDocumentSigner(new KMSClient({}), KEY_ARN);

    await expect(signer.publicKey()).rejects.toThrow(/RSA_2048.*ECC_NIST_P256/);
  });

  it('fails when KMS returns no signature rather than returning an empty one', async () => {
    kms.on(SignCommand).resolves({ KeyId: KEY_ARN });
    const signer = kmsDocumentSigner(new KMSClient({}), KEY_ARN);

    await expect(signer.sign(new Uint8Array([1, 2, 3]))).rejects.toThrow(/no signature/);
  });

  it("names a ward's signing key by an alias under the application's prefix", () => {
    expect(wardSigningKeyAlias('hoan-kiem')).toBe('alias/mot-cua-so/hoan-kiem/signing');
  });
});
