import { createPublicKey } from 'node:crypto';
import fc from 'fast-check';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { DKIM_ERROR_CODES, DkimError, DkimPrivateKey, parsePrivateKey, toSesPrivateKey } from '../../src/index.js';
import { keyPool, toBase64 } from '../helpers/key-pool.js';

const pool = keyPool();

function forgeSpki(pkcs1Pem: string): Uint8Array {
  const privateKey = forge.pki.privateKeyFromPem(pkcs1Pem);
  const publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  return new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pki.publicKeyToAsn1(publicKey)).getBytes(), 'binary'));
}

/** Parses, and says what happened; anything but a key or a DkimError fails the property. */
function outcome(input: string | Uint8Array): DkimPrivateKey | DkimError {
  try {
    return parsePrivateKey(input);
  } catch (error) {
    if (error instanceof DkimError) return error;
    throw error;
  }
}

/** The longest run of the input that the message repeats, checked in 40-character windows. */
function leaksInput(message: string, input: string): boolean {
  for (let i = 0; i + 40 <= message.length; i++) {
    if (input.includes(message.slice(i, i + 40))) return true;
  }
  return false;
}

describe('differential: SPKI against independent implementations', () => {
  it.each(pool.map((key, index) => [index, key.bits, key] as const))('pool key %i (%i bits)', (_i, _bits, key) => {
    const fromPkcs1 = parsePrivateKey(toBase64(key.pkcs1Der));
    const fromPkcs8 = parsePrivateKey(key.pkcs8Pem);
    expect(fromPkcs1.spki).toEqual(key.spki);
    expect(fromPkcs1.spki).toEqual(forgeSpki(key.pkcs1Pem));
    const nodeSpki = createPublicKey(key.pkcs1Pem).export({ type: 'spki', format: 'der' });
    expect(fromPkcs1.spki).toEqual(new Uint8Array(nodeSpki));
    // PKCS #1 and PKCS #8 of one key give the same result.
    expect(fromPkcs8.spki).toEqual(fromPkcs1.spki);
    expect(fromPkcs8.n).toBe(fromPkcs1.n);
    expect(fromPkcs8.e).toBe(fromPkcs1.e);
    expect(fromPkcs8.bits).toBe(key.bits);
    expect(toSesPrivateKey(fromPkcs8)).toBe(toBase64(key.pkcs1Der));
    const forgeKey = forge.pki.privateKeyFromPem(key.pkcs1Pem);
    expect(fromPkcs1.n.toString(16)).toBe(forgeKey.n.toString(16));
  });
});

describe('no single-bit flip of a valid key passes as a key', () => {
  // A flipped bit lands in a tag, a length, the version, the OID or a component, and each
  // of those has a check that catches it. The one harmless flip is PKCS #8 version 0 -> 1
  // (RFC 5958 OneAsymmetricKey), which must then give back the very same key.
  it.each([
    ['1024-bit PKCS #1', () => pool[0]?.pkcs1Der],
    ['1024-bit PKCS #8', () => pool[1]?.pkcs8Der],
    ['2048-bit PKCS #1', () => pool[pool.length - 1]?.pkcs1Der],
  ] as const)('%s, every bit', (_name, get) => {
    const der = get();
    if (der === undefined) throw new Error('pool too small');
    const flipped = new Uint8Array(der);
    const original = toSesPrivateKey(parsePrivateKey(der));
    let refused = 0;
    let harmless = 0;
    for (let byte = 0; byte < der.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        flipped[byte] = (der[byte] as number) ^ (1 << bit);
        const result = outcome(flipped);
        if (result instanceof DkimPrivateKey) {
          if (toSesPrivateKey(result) !== original)
            throw new Error(`flip of bit ${bit} in byte ${byte} gave another key`);
          harmless++;
        } else {
          refused++;
        }
        flipped[byte] = der[byte] as number;
      }
    }
    expect(harmless).toBeLessThanOrEqual(1);
    expect(refused + harmless).toBe(der.length * 8);
  });
});

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'overwrite'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('overwrite' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 16 }) }),
);

function mutate(input: Uint8Array, mutation: Mutation): Uint8Array {
  if (input.length === 0) return input;
  const at = mutation.at % input.length;
  switch (mutation.kind) {
    case 'flip': {
      const out = new Uint8Array(input);
      out[at] = (out[at] as number) ^ (1 << mutation.bit);
      return out;
    }
    case 'truncate':
      return input.subarray(0, at);
    case 'insert':
      return new Uint8Array([...input.subarray(0, at), ...mutation.bytes, ...input.subarray(at)]);
    case 'overwrite': {
      const out = new Uint8Array(input);
      out.set(mutation.bytes.subarray(0, out.length - at), at);
      return out;
    }
    case 'delete':
      return new Uint8Array([...input.subarray(0, at), ...input.subarray(at + mutation.count)]);
  }
}

const latin1 = new TextDecoder('latin1');
const ascii = new TextEncoder();

/** A mutated key in one of the accepted forms, as the parser would receive it. */
const mutatedKeyArb = fc
  .record({
    key: fc.integer({ min: 0, max: pool.length - 1 }),
    form: fc.constantFrom('pkcs1-der', 'pkcs8-der', 'ses-of-mutated-der', 'ses-text', 'pem-text'),
    mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
  })
  .map(({ key, form, mutations }): string | Uint8Array => {
    const k = pool[key] as (typeof pool)[number];
    const apply = (bytes: Uint8Array) => mutations.reduce(mutate, bytes);
    switch (form) {
      case 'pkcs1-der':
        return apply(k.pkcs1Der);
      case 'pkcs8-der':
        return apply(k.pkcs8Der);
      case 'ses-of-mutated-der':
        return toBase64(apply(k.pkcs1Der));
      case 'ses-text':
        return latin1.decode(apply(ascii.encode(toBase64(k.pkcs1Der))));
      default:
        return latin1.decode(apply(ascii.encode(k.pkcs8Pem)));
    }
  });

const anyInputArb: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 6, arbitrary: mutatedKeyArb },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 1500 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 1500 }) },
  { weight: 1, arbitrary: fc.base64String({ maxLength: 1700 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Uint8Array.of(0x30, 0x82, 0x01, 0x2c, ...b)) },
);

function asText(input: string | Uint8Array): string {
  return typeof input === 'string' ? input : `${latin1.decode(input)}\n${toBase64(input)}`;
}

describe('mutation fuzzing: a key or a DkimError, never anything else', () => {
  it('holds for 100,000 damaged and random inputs, and no error repeats 40 characters of its input', () => {
    let keys = 0;
    let errors = 0;
    fc.assert(
      fc.property(anyInputArb, (input) => {
        const result = outcome(input);
        if (result instanceof DkimPrivateKey) {
          keys++;
          expect([1024, 2048]).toContain(result.bits);
        } else {
          errors++;
          expect(DKIM_ERROR_CODES).toContain(result.code);
          expect(leaksInput(result.message, asText(input))).toBe(false);
        }
      }),
      { numRuns: 100_000 },
    );
    expect(keys + errors).toBe(100_000);
    expect(errors).toBeGreaterThan(90_000);
  });
});
