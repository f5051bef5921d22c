import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizeExpectedKey } from '../../src/core/key-record/expected-key.js';
import { DkimError, parsePrivateKey } from '../../src/index.js';
import { keyPool, toBase64 } from '../helpers/key-pool.js';

describe('normalizeExpectedKey (one normaliser for the verdicts and the verifier)', () => {
  const pooled = keyPool()[6] as ReturnType<typeof keyPool>[number];
  const publicKey = createPublicKey(pooled.privateKey);
  const jwk = publicKey.export({ format: 'jwk' });
  const modulus = new Uint8Array(Buffer.from(jwk.n as string, 'base64url'));
  const exponent = new Uint8Array(Buffer.from(jwk.e as string, 'base64url'));
  const forms = {
    'a parsed private key': parsePrivateKey(pooled.pkcs1Der),
    'SPKI DER': pooled.spki,
    'PKCS #1 RSAPublicKey DER': new Uint8Array(publicKey.export({ type: 'pkcs1', format: 'der' })),
    '(n, e)': { n: BigInt(`0x${Buffer.from(modulus).toString('hex')}`), e: 65537n },
  };

  it.each(Object.entries(forms))('gives node:crypto’s modulus, exponent, SPKI and record text for %s', (_, key) => {
    const normalised = normalizeExpectedKey(key);
    expect(normalised.modulus).toEqual(modulus);
    expect(normalised.exponent).toEqual(exponent);
    expect(normalised.spki).toEqual(pooled.spki);
    expect(normalised.recordText).toBe(`v=DKIM1; k=rsa; p=${toBase64(pooled.spki)}`);
  });

  it('caches per key object', () => {
    const key = forms['(n, e)'];
    expect(normalizeExpectedKey(key)).toBe(normalizeExpectedKey(key));
    expect(normalizeExpectedKey({ ...key })).not.toBe(normalizeExpectedKey(key));
  });

  it('says it is the expected key that is unreadable, with the parser’s code', () => {
    const damaged = pooled.spki.slice(0, -1);
    let thrown: unknown;
    try {
      normalizeExpectedKey(damaged);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DkimError);
    expect((thrown as DkimError).message).toMatch(/^the expected public key is unreadable: /);
    expect((thrown as DkimError).code).toBe('DER_INVALID');
  });
});
