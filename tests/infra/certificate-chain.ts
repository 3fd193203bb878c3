import { createHash } from 'node:crypto';

/**
 * A PEM chain of certificates with DER bodies of the given sizes. Only the sizes and the PEM
 * framing matter to the stack (it ships the chain, it does not parse it), so the bodies are
 * deterministic filler rather than certificates.
 */
export function certificateChainOfSize(derSizes: readonly number[]): string {
  return derSizes
    .map((size, index) => {
      const der = Buffer.alloc(size);
      for (let offset = 0; offset < size; offset += 32) createHash('sha256').update(`${index}:${offset}`).digest().copy(der, offset);
      const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
      return ['-----BEGIN CERTIFICATE-----', ...lines, '-----END CERTIFICATE-----'].join('\n');
    })
    .join('\n')
    .concat('\n');
}
