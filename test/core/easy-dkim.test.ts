// Easy DKIM's DNS side: deterministic tokens, hosted zones and the owner's CNAME records.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DkimError,
  easyDkimRecords,
  easyDkimTokens,
  REGIONAL_SIGNING_HOSTED_ZONES,
  signingHostedZone,
} from '../../src/index.js';
import { loadEasyDkimVectors } from '../../vectors/load.js';

const { tokens: tokenVectors, regions } = loadEasyDkimVectors();
const TOKEN = /^[a-z2-7]{32}$/;

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
