// Miller-Rabin in WebAssembly against the BigInt test: the same witness verdict for every
// base, over known primes, Carmichael numbers, strong pseudoprimes to base 2 and products of primes,
// every size around the module's limb boundaries, and random odd numbers.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { base64Decode } from '../../src/core/base64.js';
import { bytesToBigInts, modPow } from '../../src/core/bigint.js';
import { setBignumWasmEnabled } from '../../src/core/bignum-wasm.js';
import { readElement, readUnsignedInteger } from '../../src/core/der.js';
import { wasmWitnesses } from '../../src/core/miller-rabin-wasm.js';
import { isProbablePrime } from '../../src/core/prime.js';
import { parsePrivateKey, toSesPrivateKey } from '../../src/index.js';
import { loadKeyVectors, type ValidKeyVector } from '../../vectors/load.js';

afterEach(() => setBignumWasmEnabled(true));

/** The BigInt reference: whether `base` proves `n` composite. */
function referenceWitness(n: bigint, base: bigint): boolean {
  let odd = n - 1n;
  let twos = 0;
  while ((odd & 1n) === 0n) {
    odd >>= 1n;
    twos++;
  }
  let x = modPow(base, odd, n);
  if (x === 1n || x === n - 1n) return false;
  for (let i = 1; i < twos; i++) {
    x = (x * x) % n;
    if (x === n - 1n) return false;
    if (x === 1n) return true;
  }
  return true;
}

function wasmWitness(n: bigint): (base: bigint) => boolean {
  let odd = n - 1n;
  let twos = 0;
  while ((odd & 1n) === 0n) {
    odd >>= 1n;
    twos++;
  }
  const witness = wasmWitnesses(n, odd, twos);
  if (witness === undefined) throw new Error(`no WebAssembly test for ${n}`);
  return witness;
}

/** p and q of the real keys of the vectors, or of the one whose p is composite. */
function keyPrimes(composite: boolean): bigint[] {
  const primes: bigint[] = [];
  for (const vector of loadKeyVectors()) {
    if (!vector.valid || (vector.form !== 'der' && vector.form !== 'ses')) continue;
    if ((vector.id === 'composite-p-lenient') !== composite) continue;
    const der = base64Decode(toSesPrivateKey(parsePrivateKey((vector as ValidKeyVector).input)));
    const top = readElement(der, 0, der.length);
    let offset = readElement(der, top.start, top.end).end;
    const parts = [];
    for (let i = 0; i < 8; i++) {
      const element = readUnsignedInteger(der, offset, top.end, 'integer');
      parts.push(element);
      offset = element.end;
    }
    const [, , , p, q] = bytesToBigInts(der, parts) as bigint[];
    primes.push(p as bigint, q as bigint);
  }
  return primes;
}

/** A seeded base in [2, n-2]. */
function bases(n: bigint, count: number, seed: number): bigint[] {
  let state = BigInt(seed);
  const out = [2n, 3n, n - 2n];
  for (let i = 0; i < count; i++) {
    // A 64-bit LCG stretched over n's size; uniformity does not matter here, only variety.
    let value = 0n;
    for (let bits = 0; bits < n.toString(2).length + 64; bits += 64) {
      state = (state * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
      value = (value << 64n) | state;
    }
    out.push(2n + (value % (n - 3n)));
  }
  return out;
}

// Chernick's (6k+1)(12k+1)(18k+1) is a Carmichael number when all three factors are prime.
function chernick(from: bigint, count: number): bigint[] {
  const found: bigint[] = [];
  for (let k = from; found.length < count; k++) {
    const factors = [6n * k + 1n, 12n * k + 1n, 18n * k + 1n];
    if (factors.every((f) => isProbablePrime(f, 20, globalThis.crypto))) {
      found.push(factors.reduce((product, f) => product * f, 1n));
    }
  }
  return found;
}

describe('Miller-Rabin in WebAssembly', () => {
  const primes = [
    ...keyPrimes(false),
    (1n << 127n) - 1n,
    (1n << 521n) - 1n,
    (1n << 607n) - 1n,
    (1n << 255n) - 19n,
    (1n << 2203n) - 1n, // 79 limbs
    4294967311n, // the first prime above 2^32
  ];
  const composites = [
    // strong pseudoprimes to base 2 (OEIS A001262) and to every prime base up to 37 (A014233)
    3215031751n,
    2152302898747n,
    3474749660383n,
    341550071728321n,
    3825123056546413051n,
    318665857834031151167461n,
    3317044064679887385961981n,
    keyPrimes(true)[0] as bigint, // composite-p.der's p, the product of two primes
    ...chernick(1n << 20n, 3),
    ...chernick(1n << 40n, 2),
    ((1n << 127n) - 1n) * ((1n << 89n) - 1n),
    ((1n << 521n) - 1n) * ((1n << 607n) - 1n),
  ];

  it('gives the BigInt verdict for every base, on primes and composites', () => {
    let witnessed = 0;
    for (const [i, n] of [...primes, ...composites].entries()) {
      const witness = wasmWitness(n);
      for (const base of bases(n, 12, i + 1)) {
        const expected = referenceWitness(n, base);
        expect(witness(base), `${n} base ${base}`).toBe(expected);
        if (expected) witnessed++;
      }
    }
    expect(witnessed).toBeGreaterThan(composites.length * 10);
  });

  it('finds no witness for a prime and some for each composite', () => {
    for (const n of primes) expect(bases(n, 8, 7).some(wasmWitness(n)), String(n)).toBe(false);
    for (const n of composites) expect(bases(n, 8, 7).some(wasmWitness(n)), String(n)).toBe(true);
  });

  it('takes sizes up to its largest (115 limbs of 120)', () => {
    const n = (1n << 3217n) - 1n;
    const witness = wasmWitness(n);
    for (const base of bases(n, 1, 3)) expect(witness(base)).toBe(referenceWitness(n, base));
    expect(wasmWitness(n * 3n)(3n)).toBe(referenceWitness(n * 3n, 3n));
  });

  it('keeps the candidates of interleaved tests apart', () => {
    const [a, b] = [primes[0] as bigint, composites.at(-1) as bigint];
    const [wa, wb] = [wasmWitness(a), wasmWitness(b)];
    for (let i = 0; i < 3; i++) {
      expect(wa(12345n)).toBe(referenceWitness(a, 12345n));
      expect(wb(12345n)).toBe(referenceWitness(b, 12345n));
    }
  });

  it('leaves sizes it does not take, and even numbers, to BigInt', () => {
    expect(wasmWitnesses(97n, 3n, 5)).toBeUndefined();
    expect(wasmWitnesses(1n << 100n, 1n, 100)).toBeUndefined();
    expect(wasmWitnesses((1n << 4000n) + 1n, 1n, 4000)).toBeUndefined();
  });

  it('makes isProbablePrime give the same answers with the module on and off', () => {
    for (const n of [...primes, ...composites, ...composites.map((c) => c + 2n)]) {
      setBignumWasmEnabled(true);
      const fast = isProbablePrime(n, 8, globalThis.crypto);
      setBignumWasmEnabled(false);
      const slow = isProbablePrime(n, 8, globalThis.crypto);
      expect(fast, String(n)).toBe(slow);
    }
  });

  it('gives the BigInt verdict on both sides of every limb boundary', () => {
    // A modulus of 28 L - 2 bits takes L limbs of 28 bits (R = 2^(28 L) > 4m), one bit more takes
    // L + 1: an odd composite and a probable prime of both sizes, for every L up to 40 (the rows
    // of the module's loops run over L rounded up to 4) and at 74 (2048-bit primes); base 2 and
    // another.
    const sizes: number[] = [];
    for (const limbs of [...Array.from({ length: 39 }, (_, i) => i + 2), 74]) {
      for (const bits of [28 * limbs - 2, 28 * limbs - 1]) if (bits >= 32) sizes.push(bits);
    }
    let seed = 1;
    for (const bits of sizes) {
      const top = 1n << BigInt(bits - 1);
      let prime = top + 1n + 2n * BigInt(seed * 7919);
      while (!isProbablePrime(prime, 2, globalThis.crypto)) prime += 2n;
      const composite = top + 2n * BigInt(seed) * 104729n + 1n;
      for (const n of [prime, composite]) {
        expect(n.toString(2).length).toBe(bits);
        const witness = wasmWitness(n);
        for (const base of [2n, bases(n, 1, seed++)[3] as bigint]) {
          expect(witness(base), `${bits} bits, ${n} base ${base}`).toBe(referenceWitness(n, base));
        }
      }
    }
  });

  it('gives the BigInt verdict on strong pseudoprimes to base 2: Mersenne and Fermat numbers', () => {
    // 2^p - 1 with p prime but not a Mersenne prime exponent: its odd part (2^(p-1) - 1) is a
    // multiple of p, so 2 to it is 1. 2^(2^k) + 1 for k >= 5 (composite): n - 1 is a power of
    // two, so every step is one of the squarings after the exponent, and 2 reaches -1 among them.
    const mersenne = [37n, 41n, 59n, 67n, 101n, 257n, 509n, 1019n, 1021n, 1031n, 1061n, 2039n].map(
      (p) => (1n << p) - 1n,
    );
    const fermat = [5n, 6n, 7n, 8n, 9n, 10n, 11n].map((k) => (1n << (1n << k)) + 1n);
    for (const n of [...mersenne, ...fermat]) {
      const witness = wasmWitness(n);
      expect(referenceWitness(n, 2n)).toBe(false);
      expect(witness(2n), String(n)).toBe(false);
      const others = bases(n, 4, n.toString(2).length);
      for (const base of others) expect(witness(base), `${n} base ${base}`).toBe(referenceWitness(n, base));
      expect(others.some(witness), String(n)).toBe(true);
    }
  });

  it('gives the BigInt verdict on random odd numbers and bases', () => {
    const candidate = fc
      .tuple(fc.integer({ min: 32, max: 1100 }), fc.bigInt({ min: 0n, max: (1n << 1100n) - 1n }))
      .map(([bits, rest]) => (1n << BigInt(bits - 1)) | (rest & ((1n << BigInt(bits - 1)) - 1n)) | 1n);
    fc.assert(
      fc.property(candidate, fc.bigInt({ min: 0n, max: (1n << 1100n) - 1n }), (n, raw) => {
        const base = 2n + (raw % (n - 3n));
        expect(wasmWitness(n)(base)).toBe(referenceWitness(n, base));
      }),
      { numRuns: 300 },
    );
  });
});
