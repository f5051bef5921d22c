import { createPublicKey, createSign, createVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DkimError, generateDkimKey, parsePrivateKey } from '../../src/index.js';

describe('generateDkimKey', () => {
  it.each([1024, 2048] as const)('makes a %i-bit key in SES form that signs and verifies', async (bits) => {
    const generated = await generateDkimKey({ bits, domain: 'example.com', selector: 'ses1' });
    expect(generated.privateKey).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(generated.key.bits).toBe(bits);
    expect(generated.key.form).toBe('ses');
    expect(generated.key.encoding).toBe('pkcs1');
    expect(generated.key.warnings).toEqual([]);
    expect(parsePrivateKey(generated.privateKey, { strict: true }).spki).toEqual(generated.key.spki);
    expect(generated.record?.name).toBe('ses1._domainkey.example.com');

    // node:crypto, an independent implementation, signs with the SES-form key and verifies
    // with the public key read back out of the record's p=.
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${generated.privateKey}\n-----END RSA PRIVATE KEY-----\n`;
    const signature = createSign('sha256').update('DKIM').sign(pem);
    const p = generated.record?.value.split('p=')[1] ?? '';
    const publicKey = createPublicKey({ key: Buffer.from(p, 'base64'), format: 'der', type: 'spki' });
    expect(createVerify('sha256').update('DKIM').verify(publicKey, signature)).toBe(true);
  });

  it('defaults to 2048 bits and no record', async () => {
    const generated = await generateDkimKey();
    expect(generated.key.bits).toBe(2048);
    expect(generated.record).toBeUndefined();
  });

  it('refuses other sizes, half a record name, and a missing WebCrypto', async () => {
    await expect(generateDkimKey({ bits: 4096 as 2048 })).rejects.toMatchObject({ code: 'KEY_SIZE_UNSUPPORTED' });
    await expect(generateDkimKey({ bits: 1024, domain: 'example.com' })).rejects.toMatchObject({
      code: 'OPTION_INVALID',
    });
    await expect(generateDkimKey({ bits: 1024, crypto: {} as never })).rejects.toBeInstanceOf(DkimError);
  });

  it('uses the injected WebCrypto', async () => {
    let calls = 0;
    const subtle = globalThis.crypto.subtle;
    const counting = {
      subtle: {
        generateKey: ((...args: Parameters<SubtleCrypto['generateKey']>) => {
          calls++;
          return subtle.generateKey(...args);
        }) as SubtleCrypto['generateKey'],
        exportKey: subtle.exportKey.bind(subtle) as SubtleCrypto['exportKey'],
      },
    };
    await generateDkimKey({ bits: 1024, crypto: counting });
    expect(calls).toBe(1);
  });
});
