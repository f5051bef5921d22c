// The SES Easy DKIM lifecycle: provider keys, the signing state, key-length changes and rotation.
import { describe, expect, it } from 'vitest';
import { DkimError, evaluateKeyRecords } from '../../src/index.js';
import {
  createEasyDkimIdentity,
  KEY_GENERATION_INTERVAL_MS,
  KeyRotationTooSoonError,
  rotateEasyDkimKeys,
  setNextSigningKeyLength,
} from '../../src/ses.js';
import { loadEasyDkimVectors } from '../../vectors/load.js';

const { tokens: tokenVectors } = loadEasyDkimVectors();
const HOUR = 60 * 60 * 1000;

describe('provider keys, DkimAttributes and rotation', () => {
  const t0 = Date.UTC(2026, 10, 26);

  it('creates the whole chain: tokens, CNAMEs, and a key record behind each token that matches its key', async () => {
    const identity = await createEasyDkimIdentity({
      domain: 'example.com',
      secret: 'emulator-secret',
      now: t0,
      keyLength: 'RSA_1024_BIT',
    });
    const { attributes, providerKeys } = identity;
    expect(attributes).toMatchObject({
      SigningEnabled: true,
      Tokens: tokenVectors[0]?.tokens,
      SigningHostedZone: 'dkim.amazonses.com',
      SigningAttributesOrigin: 'AWS_SES',
      CurrentSigningKeyLength: 'RSA_1024_BIT',
      NextSigningKeyLength: 'RSA_1024_BIT',
      LastKeyGenerationTimestamp: t0,
    });
    expect(providerKeys).toHaveLength(3);
    for (const [i, provider] of providerKeys.entries()) {
      expect(provider.token).toBe(attributes.Tokens[i]);
      expect(provider.record.name).toBe(`${provider.token}.dkim.amazonses.com`);
      expect(provider.key.key.bits).toBe(1024);
      expect(evaluateKeyRecords([provider.record.strings], provider.key.key).verdict).toBe('MATCH');
    }
  });

  it('allows a key-length change once a day, keeps the tokens on rotation and renews the keys', async () => {
    const identity = await createEasyDkimIdentity({ domain: 'example.com', now: t0, keyLength: 'RSA_1024_BIT' });
    const tooSoon = () => setNextSigningKeyLength(identity, 'RSA_2048_BIT', t0 + 23 * HOUR);
    expect(tooSoon).toThrow(expect.objectContaining({ code: 'KEY_ROTATION_TOO_SOON', name: 'BadRequestException' }));
    expect(setNextSigningKeyLength(identity, 'RSA_1024_BIT', t0 + HOUR)).toBe(identity);
    const changed = setNextSigningKeyLength(identity, 'RSA_2048_BIT', t0 + KEY_GENERATION_INTERVAL_MS);
    expect(changed.attributes.NextSigningKeyLength).toBe('RSA_2048_BIT');
    expect(changed.attributes.CurrentSigningKeyLength).toBe('RSA_1024_BIT');

    const rotated = await rotateEasyDkimKeys(changed, { now: t0 + 25 * HOUR });
    expect(rotated.attributes.Tokens).toEqual(identity.attributes.Tokens);
    expect(rotated.attributes.CurrentSigningKeyLength).toBe('RSA_2048_BIT');
    expect(rotated.attributes.LastKeyGenerationTimestamp).toBe(t0 + 25 * HOUR);
    for (const [i, provider] of rotated.providerKeys.entries()) {
      expect(provider.key.key.bits).toBe(2048);
      const old = identity.providerKeys[i];
      expect(provider.record.name).toBe(old?.record.name);
      expect(evaluateKeyRecords([provider.record.strings], old?.key.key).verdict).toBe('MISMATCH');
    }
    // The clock starts again at the rotation.
    expect(() => setNextSigningKeyLength(rotated, 'RSA_1024_BIT', t0 + 26 * HOUR)).toThrow(KeyRotationTooSoonError);
    expect(setNextSigningKeyLength(rotated, 'RSA_1024_BIT', t0 + 49 * HOUR).attributes.NextSigningKeyLength).toBe(
      'RSA_1024_BIT',
    );
  });

  it('refuses rotation for BYODKIM and unknown key lengths', async () => {
    const external = {
      attributes: { SigningEnabled: true, Tokens: ['s1'], SigningAttributesOrigin: 'EXTERNAL' as const },
      providerKeys: [],
    };
    expect(() => setNextSigningKeyLength(external, 'RSA_2048_BIT', t0)).toThrow(DkimError);
    await expect(rotateEasyDkimKeys(external, { now: t0 })).rejects.toBeInstanceOf(DkimError);
    await expect(
      createEasyDkimIdentity({ domain: 'example.com', now: t0, keyLength: 'RSA_4096_BIT' as 'RSA_2048_BIT' }),
    ).rejects.toMatchObject({
      code: 'OPTION_INVALID',
    });
  });
});
