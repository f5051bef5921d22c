import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createEasyDkimIdentity,
  DkimError,
  easyDkimRecords,
  easyDkimTokens,
  evaluateKeyRecords,
  KEY_GENERATION_INTERVAL_MS,
  REGIONAL_SIGNING_HOSTED_ZONES,
  rotateEasyDkimKeys,
  setNextSigningKeyLength,
  signingHostedZone,
} from '../../src/index.js';
import { loadEasyDkimVectors } from '../../vectors/load.js';

const { tokens: tokenVectors, regions } = loadEasyDkimVectors();
const TOKEN = /^[a-z2-7]{32}$/;
const HOUR = 60 * 60 * 1000;

// Labels that look like A-labels (xn--) must be valid punycode; those are tested elsewhere.
const labelArb = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/).filter((label) => !label.startsWith('xn--'));
const domainArb = fc
  .array(labelArb, { minLength: 1, maxLength: 6 })
  .map((labels) => [...labels, 'com'].join('.'))
  .filter((d) => d.length <= 253);

describe('Easy DKIM tokens', () => {
  it.each(tokenVectors.map((v) => [v.secret, v.domain, v.generation, v] as const))(
    'deterministic tokens for (%j, %s, %i) equal openssl HMAC + base32',
    async (_s, _d, _g, vector) => {
      const tokens = await easyDkimTokens({
        domain: vector.domain,
        secret: vector.secret,
        generation: vector.generation,
      });
      expect(tokens).toEqual(vector.tokens);
    },
  );

  it('uses the A-label of a Unicode domain', async () => {
    const vector = tokenVectors.find((v) => v.domain === 'xn--bcher-kva.example');
    expect(await easyDkimTokens({ domain: 'Bücher.example', secret: vector?.secret ?? '' })).toEqual(vector?.tokens);
  });

  it('random tokens: three distinct, 32 lowercase base32 characters, from the injected source', async () => {
    let draws = 0;
    const crypto = {
      getRandomValues<T extends Uint8Array>(array: T): T {
        draws++;
        return globalThis.crypto.getRandomValues(array);
      },
    };
    const tokens = await easyDkimTokens({ domain: 'example.com', crypto });
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(3);
    for (const token of tokens) expect(token).toMatch(TOKEN);
    expect(draws).toBe(3);
  });

  it('skips a repeated random token', async () => {
    const values = [1, 1, 2, 3];
    const crypto = {
      getRandomValues<T extends Uint8Array>(array: T): T {
        array.fill(values.shift() ?? 9);
        return array;
      },
    };
    const tokens = await easyDkimTokens({ domain: 'example.com', crypto });
    expect(new Set(tokens).size).toBe(3);
    expect(values).toEqual([]);
  });

  it('property: alphabet, length, distinctness and determinism for any domain, secret and generation', async () => {
    await fc.assert(
      fc.asyncProperty(
        domainArb,
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.nat({ max: 1000 }),
        async (domain, secret, generation) => {
          const a = await easyDkimTokens({ domain, secret, generation });
          const b = await easyDkimTokens({ domain, secret, generation });
          expect(a).toEqual(b);
          expect(new Set(a).size).toBe(3);
          for (const token of a) expect(token).toMatch(TOKEN);
          const next = await easyDkimTokens({ domain, secret, generation: generation + 1 });
          expect(next).not.toEqual(a);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses bad options with typed errors', async () => {
    await expect(easyDkimTokens({ domain: 'example.com', secret: '' })).rejects.toMatchObject({
      code: 'OPTION_INVALID',
    });
    await expect(easyDkimTokens({ domain: 'example.com', secret: 's', generation: -1 })).rejects.toMatchObject({
      code: 'OPTION_INVALID',
    });
    await expect(easyDkimTokens({ domain: 'not a domain', secret: 's' })).rejects.toMatchObject({
      code: 'DOMAIN_INVALID',
    });
  });
});

describe('hosted zones and CNAME records', () => {
  it.each(regions.map((v) => [v.region, v.zone, v] as const))('%s -> %s', (_r, _z, vector) => {
    expect(signingHostedZone({ region: vector.region })).toBe(vector.zone);
    const source = REGIONAL_SIGNING_HOSTED_ZONES[vector.region];
    expect(source ?? 'default').toBe(vector.source);
  });

  it('every regional entry of the table has a vector', () => {
    for (const region of Object.keys(REGIONAL_SIGNING_HOSTED_ZONES)) {
      expect(regions.map((v) => v.region)).toContain(region);
    }
  });

  it('defaults to dkim.amazonses.com, takes a custom zone, refuses a malformed region', () => {
    expect(signingHostedZone()).toBe('dkim.amazonses.com');
    expect(signingHostedZone({ region: 'eu-south-1', hostedZone: 'DKIM.Example.NET.' })).toBe('dkim.example.net');
    expect(() => signingHostedZone({ region: 'moon-base' })).toThrow(DkimError);
  });

  it('publishes <token>._domainkey.<domain> CNAME <token>.<zone>', async () => {
    const tokens = tokenVectors[0]?.tokens ?? [];
    const records = easyDkimRecords({ domain: 'Example.com', tokens, region: 'af-south-1' });
    expect(records.map((r) => [r.name, r.type, r.value])).toEqual(
      tokens.map((t) => [`${t}._domainkey.example.com`, 'CNAME', `${t}.dkim.af-south-1.amazonses.com`]),
    );
    expect(records[0]?.zone).toBe(
      `${tokens[0]}._domainkey.example.com. IN CNAME ${tokens[0]}.dkim.af-south-1.amazonses.com.`,
    );
  });

  it('property: every name and target is a valid DNS name of at most 253 octets', async () => {
    const tokens = tokenVectors[0]?.tokens ?? [];
    fc.assert(
      fc.property(domainArb, fc.constantFrom(undefined, ...regions.map((r) => r.region)), (domain, region) => {
        let records: ReturnType<typeof easyDkimRecords>;
        try {
          records = easyDkimRecords({ domain, tokens, ...(region ? { region } : {}) });
        } catch (error) {
          // Only a name over 253 octets may be refused, and then with DOMAIN_INVALID.
          expect(error).toMatchObject({ code: 'DOMAIN_INVALID' });
          expect(domain.length + 44).toBeGreaterThan(253);
          return;
        }
        for (const record of records) {
          for (const name of [record.name, record.value]) {
            expect(name.length).toBeLessThanOrEqual(253);
            for (const label of name.split('.'))
              expect(label).toMatch(/^(?:_domainkey|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses anything but three distinct tokens', () => {
    const t = tokenVectors[0]?.tokens ?? [];
    for (const tokens of [[], [t[0], t[1]], [t[0], t[0], t[1]], [t[0], t[1], 'UPPER'.padEnd(32, 'A')]]) {
      expect(() => easyDkimRecords({ domain: 'example.com', tokens: tokens as string[] })).toThrow(DkimError);
    }
  });
});

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
    expect(tooSoon).toThrow(expect.objectContaining({ code: 'KEY_ROTATION_TOO_SOON' }));
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
    expect(() => setNextSigningKeyLength(rotated, 'RSA_1024_BIT', t0 + 26 * HOUR)).toThrow(DkimError);
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
